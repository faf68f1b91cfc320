"""Content errors written for whoever reads them: an editor, GitHub Actions, a program.

`text` is `content/claims/x.yaml:12:5: error: ...`, what editors and their
terminals know. `github` is one workflow command a line, which GitHub turns
into an annotation on that line of the pull request. `json` is an array of
{file, line, column, message} for other tools.
"""

from __future__ import annotations

import json

from .errors import ContentError, display_path

FORMATS = ("text", "github", "json")


def format_errors(errors: list[ContentError], style: str) -> str:
    if style == "github":
        return "".join(github_annotation(error) + "\n" for error in errors)
    if style == "json":
        return (
            json.dumps(
                [
                    {"file": display_path(e.pos.path), "line": e.pos.line, "column": e.pos.column, "message": e.message}
                    for e in errors
                ],
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    return "".join(f"{error}\n" for error in errors)


def github_annotation(error: ContentError) -> str:
    pos = error.pos
    return f"::error file={_property(display_path(pos.path))},line={pos.line},col={pos.column}::{_data(error.message)}"


def _data(text: str) -> str:
    """Escaped as the Actions runner unescapes a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escaped as the runner unescapes a property value, where `,` and `:` are separators."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")

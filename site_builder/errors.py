"""Positions in content files and the errors that point at them.

Every stage reports problems as `ContentError`s instead of raising, so one run
can show the editor every mistake at once, sorted the way they read the files.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass

_ONE_LINE = {c: f"\\x{c:02x}" for c in range(32) if c != 9} | {0x7F: "\\x7f", 0x2028: "\\u2028", 0x2029: "\\u2029"}


@dataclass(frozen=True, slots=True, order=True)
class Position:
    path: str
    line: int
    column: int

    def shown(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.column}"

    def __reduce__(self):
        # A record holds dozens, and records come back pickled by the thousand (from the validating
        # processes, from the cache): the dataclass default looks the fields up for each one.
        return (Position, (self.path, self.line, self.column))


@dataclass(frozen=True, slots=True, order=True)
class ContentError:
    pos: Position
    message: str

    def __str__(self) -> str:
        # Editors' text can hold line breaks; one error must stay one line.
        return f"{self.pos.shown()}: error: {self.message}".translate(_ONE_LINE)


class ErrorList:
    """Collects errors from one stage; stages hand their list on, never raise."""

    def __init__(self) -> None:
        self._errors: list[ContentError] = []

    def add(self, pos: Position, message: str) -> None:
        self._errors.append(ContentError(pos, message))

    def extend(self, errors) -> None:
        self._errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self._errors)

    def __len__(self) -> int:
        return len(self._errors)

    def __iter__(self):
        return iter(self._errors)

    def sorted(self) -> list[ContentError]:
        return sorted(set(self._errors))


class BuildFailed(Exception):
    """Raised by the pipeline when content errors stop a build before writing."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} content error(s)")
        self.errors = errors


def display_path(path: str) -> str:
    """Paths relative to the current folder, as editors' tools expect them."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel


def did_you_mean(wrong: str, known) -> str:
    by_case = {k.lower(): k for k in known}
    if wrong.lower() in by_case:
        return f" (did you mean '{by_case[wrong.lower()]}'?)"
    close = difflib.get_close_matches(wrong, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""

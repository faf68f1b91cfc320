"""Small valid archives written inline, and the command line run against them.

`minimal_site(tmp_path, {path: text})` writes the site below with some files
replaced (text or bytes), added, or removed (None). `site.run("build")` runs
`build.py` in-process from the site's folder, so error messages show the
paths an editor sees (`content/claims/x.yaml:3:11: error: ...`).
`single_error(tmp_path, {path: text})` builds such a site and returns its one
error as (where, message).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from site_builder import cli

REPO_ROOT = Path(__file__).resolve().parent.parent

SITE_YAML = """\
title: Example Fact-Check Archive
base_url: https://factcheck.example.org/
publisher:
  name: Example Fact-Checkers
  url: https://factcheck.example.org/about/
"""

PERSON = """\
name: Jane Roe
description: Minister of roads in an imaginary country.
"""

SOURCE = """\
title: Statement on the new bridge
kind: statement
publisher: Example Ministry
text: archive/ministry-statement.txt
quotes:
  - id: bridge-finished
    speaker: jane-roe
    text: The new bridge was finished in March, two months early.
"""

ARCHIVED_TEXT = """\
Example Ministry, press office.

Minister Jane Roe said: "The new bridge was finished in March, two months
early. It cost less than planned."
"""

CLAIM = """\
claim: The new bridge was finished two months early.
claimant: jane-roe
date: 2021-09-05
verdict: mostly-true
summary: The bridge opened in March, six weeks before the planned date.
analysis: |
  [Jane Roe](person:jane-roe) said so in a
  [statement](source:ministry-statement#bridge-finished).
reviewed: 2021-09-20
quotes:
  - ministry-statement#bridge-finished
topics:
  - bridges
"""

TOPIC = """\
title: Bridges
"""

# What `build` says of the minimal site's base_url, on an example domain (and nothing else).
PLACEHOLDER_WARNING = (
    "content/site.yaml:2:11: warning: base_url 'https://factcheck.example.org/' is a placeholder (example.org is "
    "reserved for examples): the site's links, feeds, sitemap and search-engine data would all point there; "
    "write the address where the site is published"
)

# Paths of the minimal site's files, for tests that replace one of them.
SITE_PATH = "content/site.yaml"
PERSON_PATH = "content/people/jane-roe.yaml"
SOURCE_PATH = "content/sources/ministry-statement.yaml"
TEXT_PATH = "archive/ministry-statement.txt"
CLAIM_PATH = "content/claims/bridge-finished-early.yaml"
TOPIC_PATH = "content/topics/bridges.yaml"

MINIMAL_FILES = {
    SITE_PATH: SITE_YAML,
    PERSON_PATH: PERSON,
    SOURCE_PATH: SOURCE,
    TEXT_PATH: ARCHIVED_TEXT,
    CLAIM_PATH: CLAIM,
    TOPIC_PATH: TOPIC,
}


@dataclass
class Result:
    code: int
    out: list[str]
    err: list[str]

    @property
    def errors(self) -> list[str]:
        """The `file:line:col: error: ...` lines, in the order printed."""
        return [line for line in self.err if ": error: " in line]

    @property
    def places(self) -> list[str]:
        """The `file:line:col` of each error."""
        return [line.split(": error: ", 1)[0] for line in self.errors]


class Site:
    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relpath: str, content: str | bytes | None) -> None:
        """Replace or add one file (str is written as UTF-8); None removes it."""
        path = self.root / relpath
        if content is None:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)

    def run(self, *args: str) -> Result:
        """`build.py ARGS` in this process, from the site's folder."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.chdir(self.root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(args))
        return Result(code, _lines(out.getvalue()), _lines(err.getvalue()))

    def run_subprocess(self, *args: str) -> Result:
        """`python build.py ARGS` as a real process, from the site's folder."""
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        done = subprocess.run(
            [sys.executable, str(REPO_ROOT / "build.py"), *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return Result(done.returncode, _lines(done.stdout), _lines(done.stderr))


def _lines(text: str) -> list[str]:
    """Lines as a terminal shows them: split at newlines only, not at other separators."""
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n") if text else []


def minimal_site(root: Path, changes: dict[str, str | bytes | None] | None = None) -> Site:
    """The minimal valid site in `root`, with `changes` applied on top."""
    site = Site(root)
    for relpath, content in {**MINIMAL_FILES, **(changes or {})}.items():
        site.write(relpath, content)
    return site


def single_error(root: Path, changes: dict[str, str | bytes | None]) -> tuple[str, str]:
    """Build the minimal site with `changes`; it must fail with exactly one error.

    Exactly one, so that a rule which also set off unrelated errors fails too.
    """
    result = minimal_site(root, changes).run("build")
    assert result.code == 1, result.err
    assert result.out == []
    assert len(result.errors) == 1, "\n".join(result.err)
    assert result.err[-1] == "1 error; public was left as it was"
    where, message = result.errors[0].split(": error: ", 1)
    return where, message


def replaced(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced; fails unless `old` occurs once, so no test goes vacuous."""
    assert text.count(old) == 1, f"{old!r} should occur once in the text"
    return text.replace(old, new)


def tree_snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) below `folder`, by relative path."""
    return {
        str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }

"""Input that once crashed or hung the build gets a positioned error instead.

A NUL in a path field; a named pipe, socket or device wherever the build
reads or copies a file (content, static/, templates/, locales/, archived
texts, logos), said for what it is; a template that divides by zero,
recurses or overflows, reported at the archive's template line, exit 1.
Builds that could hang run as processes with a timeout.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
from pathlib import Path

import pytest
from sites import SITE_PATH, SITE_YAML, SOURCE, SOURCE_PATH, TEXT_PATH, minimal_site, replaced
from trust import assert_positioned_errors_only, run_build

# -- NUL in a path ----------------------------------------------------------------

NUL_PATHS = {
    "text": (SOURCE_PATH, replaced(SOURCE, "text: archive/ministry-statement.txt", 'text: "archive/a\\0b.txt"'), "4:7"),
    "logo": (SITE_PATH, SITE_YAML + 'logo: "images/logo\\0.svg"\n', "6:7"),
}


@pytest.mark.parametrize("field", NUL_PATHS)
@pytest.mark.parametrize("command", [("build",), ("check",), ("check", "--format", "json")])
def test_a_nul_in_a_path_is_a_positioned_error(tmp_path, field, command):
    path, text, where = NUL_PATHS[field]
    site = minimal_site(tmp_path, {path: text})
    result = site.run(*command)
    assert result.code == 1, result.err
    if "json" in command:
        reported = json.loads("\n".join(result.out))
        found = (
            [(e["file"], e["line"], e["column"], e["message"]) for e in reported["errors"]]
            if isinstance(reported, dict)
            else [(e["file"], e["line"], e["column"], e["message"]) for e in reported]
        )
        assert [f"{f}:{line}:{col}" for f, line, col, _ in found] == [f"{path}:{where}"], reported
        assert "NUL" in found[0][3]
    else:
        assert result.places == [f"{path}:{where}"], result.err
        assert "NUL" in result.errors[0] and "\0" not in result.errors[0]


# -- anything that is not a regular file ---------------------------------------------


def make_special(path: Path, kind: str) -> None:
    """A named pipe, a listening Unix socket's file or a character device (/dev/zero's numbers) at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        with contextlib.chdir(path.parent):  # a socket's path is limited to 108 bytes
            sock = socket.socket(socket.AF_UNIX)
            sock.bind(path.name)
            sock.close()  # the file stays
    else:
        os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 5))


KINDS = [
    "fifo",
    "socket",
    pytest.param(
        "device", marks=pytest.mark.skipif(os.geteuid() != 0, reason="only root may create a device node (os.mknod)")
    ),
]
SAID = {"fifo": "named pipe (FIFO)", "socket": "socket", "device": "character device"}

# Where a special file stands, the site's changes that make the build read it, and where the error is.
PLACES = {
    "archived text": (TEXT_PATH, {}, f"{SOURCE_PATH}:4:7"),
    "logo": ("images/logo.png", {SITE_PATH: SITE_YAML + "logo: images/logo.png\n"}, f"{SITE_PATH}:6:7"),
    "static file": ("static/files/zero.bin", {}, "static/files/zero.bin:1:1"),
    "template": ("templates/robots.txt", {}, "templates/robots.txt:1:1"),
    "catalogue": (
        "locales/fr/LC_MESSAGES/messages.po",
        {SITE_PATH: SITE_YAML + "language: fr\n"},
        "locales/fr/LC_MESSAGES/messages.po:1:1",
    ),
    "content file": ("content/topics/pipe.yaml", {}, "content/topics/pipe.yaml:1:1"),
    "site.yaml": (SITE_PATH, {}, f"{SITE_PATH}:1:1"),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("place", PLACES)
def test_a_file_that_is_not_a_regular_file_is_refused_for_what_it_is(tmp_path, place, kind):
    relpath, changes, where = PLACES[place]
    minimal_site(tmp_path, changes)
    make_special(tmp_path / relpath, kind)
    result = run_build(tmp_path, "build", timeout=20)
    assert result.code == 1, result.shown()
    assert_positioned_errors_only(result.err)
    assert [line.split(": error: ")[0] for line in result.errors] == [where], result.err
    assert SAID[kind] in result.errors[0] and "does not exist" not in result.errors[0], result.errors[0]
    assert not (tmp_path / "public").exists()
    staged = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file() and ".staging-" in str(p))
    assert staged == 0


# -- template runtime errors ---------------------------------------------------------

FAULTS = {
    "division by zero": "{{ 1 // 0 }}",
    "recursion": "{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}{{ again(0) }}",
    "float overflow": "{{ 2.0 ** 10000 }}",
    "huge power": "{{ 7 ** 999999999 }}",  # Jinja's ** goes left to right: 10 ** 10 ** 10 is only 10 ** 100
    "huge string": "{{ 'x' * 10 ** 10 }}",
    "index": "{{ [1, 2][5] }}",
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_template_runtime_error_is_the_templates_at_its_line(tmp_path, fault):
    template = '{% extends "base.html" %}{% block main %}\n<p>' + FAULTS[fault] + "</p>\n{% endblock %}\n"
    minimal_site(tmp_path, {"templates/404.html": template})
    result = run_build(tmp_path, "build", timeout=30)
    assert result.code == 1, result.shown()
    assert_positioned_errors_only(result.err)
    assert [line.split(": error: ")[0] for line in result.errors] == ["templates/404.html:2:1"], result.err
    assert not (tmp_path / "public").exists()

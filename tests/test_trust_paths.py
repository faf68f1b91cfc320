"""Paths: nothing in the content may reach outside the site's folder or hide behind a name.

A source's `text`, the logo, a content file, a content folder and site.yaml
itself are refused when they lead outside the folder that holds content/
(through `..`, an absolute path or a symbolic link). File names must be
slugs, whatever Unicode makes them look like; a name that is not a regular
file must not hang the build.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sites import (
    ARCHIVED_TEXT,
    CLAIM,
    CLAIM_PATH,
    PERSON,
    PERSON_PATH,
    SITE_PATH,
    SITE_YAML,
    SOURCE,
    SOURCE_PATH,
    TEXT_PATH,
    TOPIC,
    TOPIC_PATH,
    minimal_site,
    replaced,
    single_error,
)
from trust import run_build

SECRET = "The secret words outside the site.\n"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the site, holding a file an attacker would like published."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET)
    return folder


# -- a source's archived text ----------------------------------------------------

TEXT_LINE = "text: archive/ministry-statement.txt"


def link(path: Path, target: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


@pytest.mark.parametrize("way", ["dot-dot", "deep-dot-dot", "absolute", "link-to-file", "link-to-folder", "link-chain"])
def test_an_archived_text_outside_the_site_is_refused_at_its_path(tmp_path, outside, way):
    root = tmp_path / "site"
    written = {
        "dot-dot": "../outside/secret.txt",
        "deep-dot-dot": "archive/../archive/../../outside/secret.txt",
        "absolute": str(outside / "secret.txt"),
        "link-to-file": "archive/secret.txt",
        "link-to-folder": "archive/elsewhere/secret.txt",
        "link-chain": "archive/first.txt",
    }[way]
    if way == "link-to-file":
        link(root / "archive/secret.txt", outside / "secret.txt")
    if way == "link-to-folder":
        link(root / "archive/elsewhere", outside)
    if way == "link-chain":  # a link inside the site to a link that leaves it
        link(root / "archive/second.txt", outside / "secret.txt")
        link(root / "archive/first.txt", root / "archive/second.txt")
    source = replaced(SOURCE, TEXT_LINE, f"text: {written}")
    source = replaced(
        source, "    text: The new bridge was finished in March, two months early.", "    text: The secret words"
    )
    where, message = single_error(root, {SOURCE_PATH: source})
    assert where == f"{SOURCE_PATH}:4:7"
    assert "outside the site" in message or "absolute path" in message


def test_an_archived_text_linked_from_inside_the_site_is_read(tmp_path):
    """The check follows links and judges where they lead, so a link that stays inside is fine."""
    root = tmp_path / "site"
    site = minimal_site(root, {"seeds/statement.txt": ARCHIVED_TEXT, TEXT_PATH: None})
    link(root / TEXT_PATH, root / "seeds/statement.txt")
    assert site.run("build").code == 0


# -- content files and folders ---------------------------------------------------


def move_outside(root: Path, relpath: str, outside: Path) -> None:
    """Move a content file or folder out of the site and leave a link in its place."""
    target = outside / Path(relpath).name
    os.replace(root / relpath, target)
    (root / relpath).symlink_to(target)


@pytest.mark.parametrize(
    "relpath",
    [CLAIM_PATH, PERSON_PATH, SOURCE_PATH, TOPIC_PATH, SITE_PATH, "content/claims", "content/people", "content/topics"],
)
def test_content_linked_from_outside_the_site_is_refused(tmp_path, outside, relpath):
    root = tmp_path / "site"
    site = minimal_site(root)
    move_outside(root, relpath, outside)
    result = site.run("build")
    assert result.code == 1, f"{relpath} linked to {outside} built:\n" + "\n".join(result.out + result.err)
    assert any(line.startswith(relpath) for line in result.errors), result.err
    assert not (root / "public").exists()


def test_content_linked_from_inside_the_site_is_read(tmp_path):
    root = tmp_path / "site"
    site = minimal_site(root, {"shared/bridges.yaml": TOPIC, TOPIC_PATH: None})
    link(root / TOPIC_PATH, root / "shared/bridges.yaml")
    assert site.run("build").code == 0


def test_a_logo_outside_the_site_is_refused(tmp_path, outside):
    (outside / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    root = tmp_path / "site"
    where, message = single_error(root, {SITE_PATH: SITE_YAML + "logo: ../outside/logo.svg\n"})
    assert where == f"{SITE_PATH}:6:7" and "outside the site" in message


def test_a_static_folder_linked_outside_the_site_is_refused(tmp_path, outside):
    root = tmp_path / "site"
    site = minimal_site(root)
    link(root / "static/files", outside)
    result = site.run("build")
    assert result.code == 1
    assert [line.split(": error: ")[0] for line in result.errors] == ["static/files:1:1"]


def test_a_content_file_that_is_not_a_regular_file_does_not_hang_the_build(tmp_path):
    """A named pipe never delivers end-of-file to a reader until someone writes to it."""
    root = tmp_path / "site"
    minimal_site(root)
    os.mkfifo(root / "content/topics/pipe.yaml")
    result = run_build(root, "build", timeout=8)
    assert result.code == 1, result.shown()
    assert [line.split(": error: ")[0] for line in result.errors] == ["content/topics/pipe.yaml:1:1"]


# -- names ------------------------------------------------------------------------

# File names that are not slugs, however they look: each is refused at its file.
BAD_NAMES = {
    "upper-case beside its lower-case twin": "Bridges",
    "all upper case": "BRIDGES",
    "right-to-left override": "bridges\u202e",
    "leading right-to-left override": "\u202ebridges",
    "left-to-right isolate": "bri\u2066dges",
    "zero-width space": "bridges\u200b",
    "zero-width joiner": "bri\u200ddges",
    "byte order mark": "\ufeffbridges",
    "Cyrillic dze for s": "bridge\u0455",
    "fullwidth b": "\uff42ridges",
    "combining acute": "bri\u0301dges",
    "precomposed accent": "caf\u00e9",
    "no-break space": "bridges\u00a0",
    "trailing space": "bridges ",
    "trailing newline": "bridges\n",
    "tab": "bri\tdges",
    "leading hyphen": "-bridges",
    "double hyphen": "bridges--old",
    "81 characters": "b" * 81,
}


@pytest.mark.parametrize("what", BAD_NAMES)
def test_a_file_name_that_is_not_a_slug_is_refused(tmp_path, what):
    name = BAD_NAMES[what]
    site = minimal_site(tmp_path, {f"content/topics/{name}.yaml": TOPIC})
    result = site.run("build")
    assert result.code == 1, f"{name!r} was taken as a slug"
    assert len(result.errors) == 1, result.err
    assert "cannot be an id (" in result.errors[0]


@pytest.mark.parametrize(
    "folder, name", [("pages", "About"), ("pages", "about\u200b"), ("claims", "Bridge-finished-early")]
)
def test_a_page_or_claim_file_name_that_is_not_a_slug_is_refused(tmp_path, folder, name):
    extension = ".md" if folder == "pages" else ".yaml"
    text = "---\ntitle: About\n---\nText.\n" if folder == "pages" else CLAIM
    result = minimal_site(tmp_path, {f"content/{folder}/{name}{extension}": text}).run("build")
    assert result.code == 1 and len(result.errors) == 1 and "cannot be an id (" in result.errors[0], result.err


def test_a_content_folder_named_with_another_case_is_refused(tmp_path):
    result = minimal_site(tmp_path, {"content/Topics/bridges.yaml": TOPIC, TOPIC_PATH: None}).run("build")
    assert result.code == 1
    assert result.errors[0].startswith("content/Topics:1:1: error: unexpected folder 'Topics'")


@pytest.mark.parametrize(
    "path, old, new, where",
    [
        (CLAIM_PATH, "claimant: jane-roe", 'claimant: "jane\\u200b-roe"', "2:11"),
        (CLAIM_PATH, "  - bridges", '  - "bridges\\u202e"', "13:5"),
        (
            CLAIM_PATH,
            "  - ministry-statement#bridge-finished",
            '  - "ministry-statement#bridge\\u2060-finished"',
            "11:5",
        ),
        (SOURCE_PATH, "speaker: jane-roe", 'speaker: "jane-ro\\u0435"', "7:14"),
        (PERSON_PATH, "name: Jane Roe", 'name: Jane Roe\naffiliation: "\\uff4aane-roe"', "2:14"),
    ],
)
def test_a_reference_with_invisible_or_look_alike_characters_is_refused_at_its_place(tmp_path, path, old, new, where):
    text = {CLAIM_PATH: CLAIM, SOURCE_PATH: SOURCE, PERSON_PATH: PERSON}[path]
    place, message = single_error(tmp_path, {path: replaced(text, old, new)})
    assert place == f"{path}:{where}", message


@pytest.mark.parametrize("target", ["person:jane\u200b-roe", "claim:bridge-finished-early\u202e", "topic:\uff42ridges"])
def test_a_markdown_link_with_invisible_or_look_alike_characters_is_refused(tmp_path, target):
    claim = replaced(CLAIM, "[Jane Roe](person:jane-roe)", f"[Jane Roe]({target})")
    place, message = single_error(tmp_path, {CLAIM_PATH: claim})
    assert place == f"{CLAIM_PATH}:7:14", message

"""The validation stage's cache (site_builder/cache.py): it saves time and never changes a byte.

Markdown conversions and quote proofs are kept in `<site root>/.cache/`. A
build without the cache, one with it, one with damaged entries and one that
cannot write it must give the same files; a changed text must never be
served from the cache; and a warm validation must not convert or search again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from test_site import DEFAULT_CONTENT, build_site
from trust import REPO_ROOT, run_build, site_differences, site_files

from bench.corpus import edit_record, generate_corpus
from site_builder import markdown as markdown_module
from site_builder import validate as validate_module
from site_builder.errors import ErrorList
from site_builder.urls import Urls
from site_builder.validate import Validator, find_content_files


def _entries(root: Path, kind: str) -> list[Path]:
    return sorted((root / ".cache" / kind).rglob("*.entry"))


@pytest.fixture(scope="module", params=["corpus", "archive"])
def site(request, tmp_path_factory) -> Path:
    """A site root whose content/ has analyses with links, tables and quotes proved against texts."""
    root = tmp_path_factory.mktemp(f"cache-{request.param}")
    if request.param == "corpus":
        generate_corpus(60, seed=11, folder=root)
    else:  # the default archive: HTML and PDF sources, Markdown images, pages
        shutil.copytree(DEFAULT_CONTENT, root / "content")
        shutil.copytree(REPO_ROOT / "seeds", root / "seeds")
    return root


@pytest.fixture(scope="module")
def uncached(site, tmp_path_factory) -> dict[str, bytes]:
    """The site built with no cache at all: what every other build must equal."""
    shutil.rmtree(site / ".cache", ignore_errors=True)
    out = build_site(site / "content", tmp_path_factory.mktemp("uncached") / "public")
    return site_files(out)


def test_the_cold_build_fills_the_cache_and_the_warm_one_gives_the_same_bytes(site, uncached, tmp_path):
    markdown, quotes = _entries(site, "markdown"), _entries(site, "quotes")
    claims = len(list((site / "content" / "claims").glob("*.yaml")))
    assert len(markdown) >= claims  # one analysis each, the pages' texts besides
    assert quotes, "no source's quotes were kept"
    warm = build_site(site / "content", tmp_path / "public")
    assert site_differences(site_files(warm), uncached) == []
    assert _entries(site, "markdown") == markdown  # nothing new to keep


def test_a_warm_validation_neither_converts_markdown_nor_searches_a_text(site, uncached, monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("computed again, though the cache holds it")

    monkeypatch.setattr(markdown_module.MarkdownConverter, "_convert", refused)
    monkeypatch.setattr(validate_module, "SearchableText", refused)
    validator = Validator(str(site), Urls("https://bench.example.org/"))
    validator.records = None  # each file validated, its Markdown and quotes from their caches
    for content_file in find_content_files(str(site / "content"), ErrorList()):
        errors = ErrorList()
        validator.checked(content_file, errors)
        assert list(errors) == [], content_file.path


def _read_entry(path: Path) -> tuple[str, object]:
    header, _, payload = path.read_bytes().partition(b"\n")
    return header.decode(), json.loads(payload)


def _write_entry(path: Path, value, digest: str | None = None) -> None:
    """`value` under the entry's key, with its true digest unless `digest` is given."""
    payload = json.dumps(value).encode()
    key = path.parent.name + path.stem
    path.write_bytes(f"{key} {digest or hashlib.sha256(payload).hexdigest()}\n".encode() + payload)


def test_damaged_entries_are_made_again_and_change_nothing(site, uncached, tmp_path):
    shutil.rmtree(site / ".cache" / "records")  # whole records would spare the conversions and proofs
    markdown, quotes = _entries(site, "markdown"), _entries(site, "quotes")
    header, value = _read_entry(markdown[1])
    markdown[0].write_bytes(markdown[0].read_bytes()[:80])  # truncated, as by a full disk
    # Altered: its digest no longer matches.
    _write_entry(markdown[1], {**value, "html": "<p>not what the analysis says</p>"}, digest=header.split()[1])
    markdown[2].write_bytes(b"\xff\xfe not an entry")
    _write_entry(markdown[3], {"html": 3, "found": "x"})  # its digest true, its value not a conversion
    _header, value = _read_entry(quotes[0])
    _write_entry(quotes[0], [[[0, 1]]] * (len(value) + 1))  # spans for a different number of quotes
    # Spans that end before they start (the default archive has a single source with quotes: the same entry).
    _write_entry(quotes[-1], [[[5, 2]]] * len(_read_entry(quotes[-1])[1]))
    damaged = [*markdown[:4], quotes[0], quotes[-1]]

    built = build_site(site / "content", tmp_path / "public")
    assert site_differences(site_files(built), uncached) == []
    for path in damaged:  # written again, whole
        header, value = _read_entry(path)
        assert header.split()[0] == path.parent.name + path.stem
    assert _read_entry(markdown[1])[1]["html"] != "<p>not what the analysis says</p>"


def test_a_cache_that_cannot_be_written_changes_nothing(site, uncached, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache"))
    (copy / ".cache").write_text("a file where the cache's folder would be\n", encoding="utf-8")
    built = build_site(copy / "content", tmp_path / "public")
    assert site_differences(site_files(built), uncached) == []


def test_an_edited_text_is_converted_and_proved_again(tmp_path):
    """Warm cache, then one analysis and one quote changed: the output is that of a build without the cache."""
    copy = tmp_path / "site"
    generate_corpus(30, seed=7, folder=copy)
    build_site(copy / "content", tmp_path / "first")  # fills the cache
    assert _entries(copy, "markdown") and _entries(copy, "quotes")
    claim = sorted((copy / "content" / "claims").glob("*.yaml"))[0]
    edit_record(
        claim,
        lambda record: record.update(analysis=record["analysis"] + "\n\nA *new* [link](claim:" + claim.stem + ")."),
    )
    source = next(p for p in sorted((copy / "content" / "sources").glob("*.yaml")) if "quotes:" in p.read_text())

    def shorten(record):
        record["quotes"][0]["text"] = record["quotes"][0]["text"].rsplit(" ", 1)[0]

    edit_record(source, shorten)
    warm = site_files(build_site(copy / "content", tmp_path / "warm"))
    shutil.rmtree(copy / ".cache")
    cold = site_files(build_site(copy / "content", tmp_path / "cold"))
    assert site_differences(warm, cold) == []
    page = warm[f"claims/{claim.stem}/index.html"].decode()
    assert "<em>new</em>" in page


def test_errors_found_in_a_text_are_reported_alike_from_the_cache(tmp_path):
    """A link problem is part of what is kept: `check` after a failed build reports it at the same place."""
    generate_corpus(20, seed=3, folder=tmp_path)
    claim = sorted((tmp_path / "content" / "claims").glob("*.yaml"))[0]
    edit_record(
        claim, lambda record: record.update(analysis=record["analysis"] + "\n\nSee [this](javascript:alert(1)).")
    )
    runs = [run_build(REPO_ROOT, "build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "public"))]
    kept = _entries(tmp_path, "markdown")
    assert kept  # validation kept its work, though the build failed
    runs.append(run_build(REPO_ROOT, "check", "--content", str(tmp_path / "content")))
    assert [run.code for run in runs] == [1, 1], runs[0].shown()
    assert runs[0].errors == runs[1].errors
    assert len(runs[0].errors) == 1 and "javascript:alert(1)" in runs[0].errors[0], runs[0].errors


def test_check_reads_the_cache_and_keeps_nothing_new(tmp_path):
    """`check` writes nothing (tests/test_cli.py): with an empty cache it leaves none, with one it adds nothing."""
    generate_corpus(20, seed=4, folder=tmp_path)
    assert run_build(REPO_ROOT, "check", "--content", str(tmp_path / "content")).code == 0
    assert not (tmp_path / ".cache").exists()
    build_site(tmp_path / "content", tmp_path / "public")
    kept = {path: path.stat().st_mtime_ns for path in _entries(tmp_path, "markdown")}
    claim = sorted((tmp_path / "content" / "claims").glob("*.yaml"))[0]
    edit_record(claim, lambda record: record.update(analysis=record["analysis"] + "\n\nOne more line."))
    assert run_build(REPO_ROOT, "check", "--content", str(tmp_path / "content")).code == 0
    assert {path: path.stat().st_mtime_ns for path in _entries(tmp_path, "markdown")} == kept

"""The validation stage's cache (site_builder/cache.py): it saves time and never changes a byte.

Markdown conversions and quote proofs are kept in `<site root>/.cache/`. A
build without the cache, one with it, one with damaged entries and one that
cannot write it must give the same files; a changed text must never be
served from the cache; and a warm validation must not convert or search again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from test_site import DEFAULT_CONTENT, build_site
from trust import REPO_ROOT, run_build, site_differences, site_files

from bench.corpus import edit_record, generate_corpus
from site_builder import markdown as markdown_module
from site_builder import parallel, record_cache
from site_builder import validate as validate_module
from site_builder.errors import ErrorList
from site_builder.pipeline import BuildOptions, read_content
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


# -- whole records (site_builder/record_cache.py) ---------------------------------------------


def test_a_warm_validation_takes_whole_records_equal_to_validated_ones(site, uncached, monkeypatch):
    files = find_content_files(str(site / "content"), ErrorList())
    fresh = Validator(str(site), Urls("https://bench.example.org/"))
    fresh.records = None
    expected = {f.path: fresh.checked(f, ErrorList())[0] for f in files}

    def refused(*args, **kwargs):
        raise AssertionError("a file was parsed again, though the record cache holds its record")

    monkeypatch.setattr(validate_module, "read_yaml_file", refused)
    monkeypatch.setattr(validate_module, "read_source_text", refused)
    validator = Validator(str(site), Urls("https://bench.example.org/"))
    for content_file in files:
        errors = ErrorList()
        record, _ = validator.checked(content_file, errors)
        assert list(errors) == [] and record == expected[content_file.path], content_file.path
        # As a worker sends it: the bytes the cache holds, which unpickle to the same record.
        record, _ = validator.checked(content_file, errors, pickled=True)
        assert isinstance(record, record_cache.Pickled) and record.loads() == expected[content_file.path]


def test_the_record_cache_version_covers_every_module_validation_runs():
    """A module validation imports but the version leaves out would serve records its change should alter."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, site_builder.validate; print(*sorted(sys.modules))"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    ours = {name.split(".", 1)[1] + ".py" for name in loaded if name.startswith("site_builder.")}
    assert ours == set(record_cache.MODULES)


def _errors(root: Path) -> list[str]:
    return [str(error) for error in read_content(BuildOptions(content_dir=str(root / "content"))).errors().sorted()]


def test_a_record_is_validated_again_when_a_file_it_read_changes(tmp_path):
    """The archived text edited, or its link led elsewhere: the errors are those of a build without the cache."""
    generate_corpus(20, seed=8, folder=tmp_path)
    source = next(p for p in sorted((tmp_path / "content" / "sources").glob("*.yaml")) if "quotes:" in p.read_text())
    written = next(line.split(": ", 1)[1] for line in source.read_text().splitlines() if line.startswith("text: "))
    text = tmp_path / written
    real = text.with_name("real-" + text.name)
    text.rename(real)
    text.symlink_to(real.name)  # a link inside the site, as an archive may keep its texts
    build_site(tmp_path / "content", tmp_path / "public")
    assert _errors(tmp_path) == []

    original = real.read_bytes()
    real.write_bytes(original[: len(original) // 3])  # the text cut short: quotes from its end are gone
    cut = _errors(tmp_path)
    assert cut and all(f"{source.name}:" in error and "is not in the archived text" in error for error in cut), cut
    shutil.rmtree(tmp_path / ".cache")
    assert _errors(tmp_path) == cut

    real.write_bytes(original)
    build_site(tmp_path / "content", tmp_path / "again")  # the record kept again
    hidden = tmp_path / ".private" / real.name
    hidden.parent.mkdir()
    hidden.write_bytes(original)  # the same bytes, where the build may not read
    text.unlink()
    text.symlink_to(os.path.relpath(hidden, text.parent))
    [error] = _errors(tmp_path)
    assert f"{source.name}:" in error and "goes through '.private'" in error, error


def test_an_image_is_read_again_not_copied_into_the_record(tmp_path):
    generate_corpus(20, seed=9, folder=tmp_path)
    image = tmp_path / "media" / "post.png"
    image.parent.mkdir()

    def png(colour) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (40, 30), colour).save(out, "PNG")
        return out.getvalue()

    image.write_bytes(png("red"))
    claim = sorted((tmp_path / "content" / "claims").glob("*.yaml"))[0]
    edit_record(claim, lambda record: record.update(image={"file": "media/post.png", "alt": "The post, as shown"}))
    first = site_files(build_site(tmp_path / "content", tmp_path / "first"))
    kept = b"".join(path.read_bytes() for path in _entries(tmp_path, "records"))
    assert png("red") not in kept

    files = find_content_files(str(tmp_path / "content"), ErrorList())
    [content_file] = [f for f in files if f.path == str(claim)]
    record, _ = Validator(str(tmp_path), Urls("https://bench.example.org/")).checked(content_file, ErrorList(), True)
    assert record.image.file.data == png("red")  # from the file, through the cache's entry

    image.write_bytes(png("blue"))
    second = site_files(build_site(tmp_path / "content", tmp_path / "second"))
    shutil.rmtree(tmp_path / ".cache")
    assert site_differences(second, site_files(build_site(tmp_path / "content", tmp_path / "cold"))) == []
    assert site_differences(first, second) != []
    image.write_bytes(b"not a picture")
    [error] = _errors(tmp_path)
    assert "post.png' is not a PNG, JPEG or WebP image" in error, error


def test_an_entry_that_is_not_a_record_runs_nothing(site, uncached, tmp_path, monkeypatch):
    """Entries are unpickled with only the record classes allowed: one that names anything else is a miss."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)  # the record goes through a worker, pickled
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    [first, *_] = _entries(site, "records")
    header, _, payload = first.read_bytes().partition(b"\n")
    made_from = payload.partition(b"\n")[0]
    hostile = made_from + b"\n" + pickle.dumps(Payload())
    key = header.split()[0].decode()
    first.write_bytes(f"{key} {hashlib.sha256(hostile).hexdigest()}\n".encode() + hostile)
    built = build_site(site / "content", tmp_path / "public")
    assert not marker.exists()
    assert site_differences(site_files(built), uncached) == []
    assert pickle.dumps(Payload()) not in first.read_bytes(), "the entry was not made again"

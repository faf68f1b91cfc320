"""The cache keeps what the last full build used and nothing else (site_builder/cache.py, prune).

Each test builds a small generated corpus in-process, with the validating
and drawing work forced into worker processes (parallel.PARALLEL_FROM), as
an archive of thousands of files has it: what the workers used must come
back to the main process, or the prune would remove it.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

import pytest
from test_site import build_site
from trust import REPO_ROOT, run_build

from bench.corpus import edit_record, generate_corpus
from site_builder import parallel
from site_builder.errors import BuildFailed
from site_builder.pipeline import BuildOptions, BuiltSite

KINDS = ("markdown", "quotes", "records", "share-images")


def entries(root: Path) -> dict[str, set[str]]:
    """Each kind's files below .cache/<kind>/, as paths inside that folder."""
    found = {}
    for kind in KINDS:
        folder = root / ".cache" / kind
        found[kind] = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    return found


def contents(root: Path, kind: str) -> dict[str, bytes]:
    folder = root / ".cache" / kind
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)  # workers even for a few files
    generate_corpus(24, seed=5, folder=tmp_path)
    return tmp_path


def build(root: Path, out: str = "public") -> Path:
    return build_site(root / "content", root / out)


def claims(root: Path) -> list[Path]:
    return sorted((root / "content" / "claims").glob("*.yaml"))


def add_to_analysis(claim: Path, words: str) -> None:
    edit_record(claim, lambda record: record.update(analysis=record["analysis"] + "\n\n" + words))


def test_an_edited_analysis_leaves_no_entry_of_its_old_text(corpus):
    build(corpus)
    before = entries(corpus)
    assert all(before[kind] for kind in KINDS), before
    build(corpus)
    assert entries(corpus) == before, "a warm build removed or added entries: the workers' use was lost"

    claim = claims(corpus)[0]
    old_markdown = contents(corpus, "markdown")
    add_to_analysis(claim, "One more sentence, checked since.")
    build(corpus)
    after = entries(corpus)
    for kind in ("markdown", "records"):
        gone, new = before[kind] - after[kind], after[kind] - before[kind]
        assert len(gone) == len(new) == 1, (kind, gone, new)
    [gone], [new] = before["markdown"] - after["markdown"], after["markdown"] - before["markdown"]
    old_html = json.loads(old_markdown[gone].partition(b"\n")[2])["html"]
    new_html = json.loads(contents(corpus, "markdown")[new].partition(b"\n")[2])["html"]
    assert "One more sentence" in new_html and "One more sentence" not in old_html
    assert old_html[:300] == new_html[:300], "the entry that went is not the old analysis's"
    # The analysis is not part of the claim's picture or its sources' quotes: those stay as they were.
    assert after["share-images"] == before["share-images"]
    assert after["quotes"] == before["quotes"]


def test_a_failed_build_and_check_prune_nothing(corpus):
    build(corpus)
    before = entries(corpus)
    edited, broken = claims(corpus)[:2]
    add_to_analysis(edited, "A sentence added while another file is broken.")
    edit_record(broken, lambda record: record.update(verdict="no-such-verdict"))
    with pytest.raises(BuildFailed) as first:
        build(corpus)
    failed = entries(corpus)
    # The broken claim is valid by itself, so its record was kept: the library finds the same error from it.
    with pytest.raises(BuildFailed) as again:
        build(corpus)
    assert [str(e) for e in again.value.errors] == [str(e) for e in first.value.errors]
    assert len(first.value.errors) == 1 and "no-such-verdict" in str(first.value.errors[0])
    assert entries(corpus) == failed
    for kind in KINDS:
        assert before[kind] <= failed[kind], f"a failed build removed {kind} entries"
    check = run_build(REPO_ROOT, "check", "--content", str(corpus / "content"))
    assert check.code == 1, check.shown()
    assert entries(corpus) == failed, "check wrote or removed entries"

    edit_record(broken, lambda record: record.update(verdict="false"))
    build(corpus)
    fixed = entries(corpus)
    assert len(before["markdown"] - fixed["markdown"]) == 1  # the edited analysis's old text, at last


def test_only_what_the_cache_wrote_goes(corpus):
    build(corpus)
    cache = corpus / ".cache"
    some = sorted((cache / "markdown").iterdir())[0]
    stale = some / (".tmp-123-" + "a" * 64)  # a write a killed build left behind
    fresh = some / (".tmp-456-" + "b" * 64)  # a write in progress
    foreign = {
        cache / "markdown" / "README.txt": b"notes",
        some / "notes.entry.bak": b"an editor's backup",
        cache / "share-images" / "logo.png": b"not a picture the build drew",
        cache / "share-images" / ("C" * 64 + ".png"): b"capitals: not a name the cache writes",
        cache / "someone-else" / ("0" * 64 + ".png"): b"a folder the cache does not own",
        cache / "records" / "ab" / "cd" / ("0" * 62 + ".entry"): b"too deep to be an entry",
        stale: b"half an entry",
        fresh: b"half an entry",
    }
    for path, data in foreign.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    outside = corpus / "elsewhere.png"
    outside.write_bytes(b"a file outside the cache")
    link = cache / "share-images" / ("1" * 64 + ".png")
    link.symlink_to(outside)  # named like an entry, but the cache never writes links

    build(corpus)
    for path, data in foreign.items():
        if path != stale:
            assert path.read_bytes() == data, f"{path} was removed or changed"
    assert not stale.exists(), "a temporary file left an hour ago stays for ever"
    assert link.is_symlink() and outside.read_bytes() == b"a file outside the cache"


def test_no_prune_while_another_process_holds_the_cache(corpus):
    build(corpus)
    before = entries(corpus)
    add_to_analysis(claims(corpus)[0], "Edited while a preview runs.")
    # As another build or preview holds it: a lock of its own, on the same file.
    with open(corpus / ".cache" / ".lock", "rb") as other:
        fcntl.flock(other, fcntl.LOCK_SH)
        build(corpus)
        assert before["markdown"] <= entries(corpus)["markdown"], "pruned while another build held the cache"
    build(corpus)
    assert len(before["markdown"] - entries(corpus)["markdown"]) == 1


def test_the_preview_keeps_what_its_rebuilds_want(corpus):
    page = corpus / "content" / "pages" / "about.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: About\n---\nWho checks the claims.\n", encoding="utf-8")
    project = BuiltSite(BuildOptions(content_dir=str(corpus / "content"), out_dir=str(corpus / "public"), search=False))
    project.build()
    before = entries(corpus)
    first, second = claims(corpus)[:2]
    add_to_analysis(first, "Edited in the preview.")
    project.rebuild({str(first)})
    # The rebuild read one file: the others' entries, which a later full read wants, are all still there.
    after = entries(corpus)
    for kind in KINDS:
        assert before[kind] <= after[kind], kind
    # A build beside the running preview prunes nothing: the preview holds the cache.
    run = run_build(REPO_ROOT, "build", "--content", str(corpus / "content"), "--out", str(corpus / "cli"))
    assert run.code == 0, run.shown()
    assert before["markdown"] <= entries(corpus)["markdown"]
    add_to_analysis(second, "Edited again.")
    project.rebuild({str(second)})
    assert before["markdown"] <= entries(corpus)["markdown"]
    # A page edited is a full build of the content the rebuild read: one file, so nothing is pruned.
    page.write_text("---\ntitle: About us\n---\nWho checks the claims.\n", encoding="utf-8")
    assert project.rebuild({str(page)}).full
    for kind in KINDS:
        assert before[kind] <= entries(corpus)[kind], kind
    project._cache_lock.release()  # the preview stopped
    build(corpus, "after")
    now = entries(corpus)
    assert len(before["markdown"] - now["markdown"]) == 2  # the two analyses' old texts (the page's is unchanged)
    assert len(before["records"] - now["records"]) == 3  # and the three files' old records

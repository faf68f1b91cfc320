"""The search index's cache (search.shard_cache): a shard whose pages are all unchanged is copied, not indexed.

A shard's index is a pure function of its pages, so a warm build copies it
from `.cache/search/`; these tests hold it to that: a warm build runs no
Pagefind and writes the index it would have written, an edit re-indexes the
shards of the pages it changed and the site equals one built without the
cache, a damaged entry is indexed again, and the prune keeps only what the
last build used.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_site import build_site
from trust import site_differences, site_files

from bench.corpus import edit_record, generate_corpus
from site_builder import pipeline, search
from site_builder.cache import FolderCache

CLAIMS = 30
SHARD_PAGES = 12  # about five shards of the corpus's pages
WORD = "zembrocalvine"  # in no generated text


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(search, "SHARD_PAGES", SHARD_PAGES)
    generate_corpus(CLAIMS, seed=23, folder=tmp_path)
    return tmp_path


def build(root: Path, out: str) -> Path:
    return build_site(root / "content", root / out, search=True)


def entries(root: Path) -> list[Path]:
    return sorted((root / ".cache" / "search").rglob("*.entry"))


def index_files(site: Path) -> dict[str, bytes]:
    return {path: data for path, data in site_files(site).items() if path.startswith("pagefind/")}


def indexed_shards() -> set[int | None]:
    """The shards Pagefind ran on in the last build (None: the one unsharded index)."""
    return {run["shard"] for run in search.last_runs}


@pytest.mark.parametrize("sharded", [True, False], ids=["shards", "one-index"])
def test_a_warm_build_runs_no_pagefind_and_writes_the_same_index(root, monkeypatch, sharded):
    if not sharded:
        monkeypatch.setattr(search, "SHARD_PAGES", 4000)
    cold = build(root, "cold")
    shards = search.shard_count(len(search.record_pages(str(cold))))
    assert (shards > 3) == sharded
    assert len(search.last_runs) == shards
    assert len(entries(root)) == shards
    warm = build(root, "warm")
    assert search.last_runs == []
    # Byte for byte, Pagefind's files of unstable name too: they are the cold build's.
    assert index_files(warm) == index_files(cold)
    assert site_differences(warm, cold) == []


def test_an_edit_indexes_again_the_shards_it_changed_and_equals_a_build_without_the_cache(root, monkeypatch):
    first = build(root, "first")
    shards = search.shard_count(len(search.record_pages(str(first))))
    before = site_files(first)
    claim = sorted((root / "content" / "claims").glob("*.yaml"))[3]
    # The summary, which the claim's claimant, topics and related claims show too.
    edit_record(claim, lambda record: record.update(summary=f"{record['summary']} The {WORD} of it."))
    edited = build(root, "edited")
    after = site_files(edited)
    pages = search.record_pages(str(edited))
    rewritten = {search.shard_of(page, shards) for page in pages if before.get(page) != after[page]}
    read_anew = {
        search.shard_of(page, shards)
        for page in pages
        if page not in before or search.indexed_view(before[page]) != search.indexed_view(after[page])
    }
    claim_page = f"claims/{claim.stem}/index.html"
    assert indexed_shards() == read_anew == {search.shard_of(claim_page, shards)}
    # The pages that list the claim changed only where Pagefind does not read: their shards were copied.
    assert len(rewritten) > 1
    shard_dir = edited / "pagefind" / search.shard_name(search.shard_of(claim_page, shards))
    assert any(WORD.startswith(word) for word in search._words(str(shard_dir)))
    # The prune kept this build's shards alone: the edited shards' earlier indexes went.
    assert len(entries(root)) == shards

    empty = root / "nothing-kept"
    monkeypatch.setattr(pipeline, "shard_cache", lambda site_root: FolderCache(str(empty), "search", "v"))
    fresh = build(root, "fresh")
    assert indexed_shards() == set(range(shards))
    assert site_differences(edited, fresh) == [], site_differences(edited, fresh)


def test_a_damaged_entry_is_indexed_again_and_changes_nothing(root):
    cold = build(root, "cold")
    damaged = entries(root)[0]
    data = bytearray(damaged.read_bytes())
    data[-1] ^= 0xFF
    damaged.write_bytes(bytes(data))
    truncated = entries(root)[1]
    truncated.write_bytes(truncated.read_bytes()[:-100])
    warm = build(root, "warm")
    assert len(search.last_runs) == 2
    assert site_differences(warm, cold) == []


def test_a_deleted_cache_is_made_again(root):
    cold = build(root, "cold")
    shutil.rmtree(root / ".cache")
    again = build(root, "again")
    assert len(search.last_runs) == search.shard_count(len(search.record_pages(str(again))))
    assert site_differences(again, cold) == []

"""What a large archive costs its host (issue 19): share pictures drawn once and kept in
`.cache/share-images/`, the dataset written once and compactly, claim pages without repeated markup.

The cache is checked the way it could go wrong: a build with it, without it, and with damaged or
stale entries must write the same bytes, and the cache must keep only what the last build used.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml
from sites import tree_snapshot
from tools import read_dataset
from trust import REPO_ROOT

from site_builder import dataset, share_image
from site_builder.pipeline import BuildOptions, build

EDITED = "content/claims/bridge-finished-early.yaml"


def _build(root: Path, out: str) -> dict[str, bytes | None]:
    build(BuildOptions(content_dir=str(root / "content"), out_dir=str(root / out), search=False))
    return tree_snapshot(root / out)


def _entries(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / ".cache" / "share-images").iterdir())}


@pytest.fixture(scope="module")
def dari(tmp_path_factory) -> Path:
    """The Dari example (right to left, with an English claim), copied without its cache."""
    root = tmp_path_factory.mktemp("bytes") / "dari"
    shutil.copytree(REPO_ROOT / "examples" / "dari", root, ignore=shutil.ignore_patterns(".cache"))
    return root


def test_share_image_cache_never_changes_the_output(dari, monkeypatch):
    cold = _build(dari, "out-cold")
    entries = _entries(dari)
    pictures = {path: data for path, data in cold.items() if path.endswith("/og.png")}
    assert len(entries) == len(pictures) == 3
    assert {data[16:] for data in entries.values()} == set(pictures.values())

    # Warm: nothing is drawn, everything is copied, and the bytes are the same.
    with monkeypatch.context() as patched:
        patched.setattr(share_image, "render", lambda *a, **k: pytest.fail("a share image was drawn despite the cache"))
        assert _build(dari, "out-warm") == cold

    # Damaged and stale: one entry cut short, one with a flipped bit, one left by an older renderer.
    cache = dari / ".cache" / "share-images"
    first, second, _ = sorted(cache.iterdir())
    first.write_bytes(first.read_bytes()[:-50])
    damaged = bytearray(second.read_bytes())
    damaged[300] ^= 0x10
    second.write_bytes(bytes(damaged))
    stale = cache / ("f" * 64 + ".png")
    stale.write_bytes(entries[first.name])  # a valid entry whose key no claim has any more
    os.utime(stale, (time.time() - 86400, time.time() - 86400))
    assert _build(dari, "out-damaged") == cold
    assert _entries(dari) == entries, "damaged entries are repaired and the stale one is pruned"


def test_an_edited_claim_leaves_no_old_picture_behind(dari):
    path = dari / EDITED
    original = path.read_text(encoding="utf-8")
    try:
        _build(dari, "out-before")
        before = _entries(dari)
        for entry in (dari / ".cache" / "share-images").iterdir():  # the edit comes an hour later
            os.utime(entry, (time.time() - 3600, time.time() - 3600))
        path.write_text(original.replace("ساخته شد.", "ساخته شد!", 1), encoding="utf-8")
        edited = _build(dari, "out-edited")
        after = _entries(dari)
        assert len(after) == len(before) == 3 and len(set(after) - set(before)) == 1
        shutil.rmtree(dari / ".cache")
        assert _build(dari, "out-edited-cold") == edited
    finally:
        path.write_text(original, encoding="utf-8")


def test_the_cache_can_be_deleted_and_a_missing_cache_is_made_again(dari):
    shutil.rmtree(dari / ".cache", ignore_errors=True)
    first = _build(dari, "out-a")
    shutil.rmtree(dari / ".cache")
    assert _build(dari, "out-b") == first
    assert len(_entries(dari)) == 3


def test_the_dataset_has_each_analysis_once_as_its_markdown(dari):
    files = _build(dari, "out-data")
    data = read_dataset(dari / "out-data")
    assert data["version"] == 3 and data["claims"]
    for claim in data["claims"]:
        written = yaml.safe_load((dari / "content" / "claims" / f"{claim['slug']}.yaml").read_text(encoding="utf-8"))
        assert claim["analysis"] == {"markdown": written["analysis"].strip()}
        page = files[f"claims/{claim['slug']}/index.html"].decode("utf-8")
        assert "<p>" in page and "<p>" not in json.dumps(claim, ensure_ascii=False)  # no HTML copy beside it


def test_the_dataset_is_bounded_parts_that_rebuild_to_the_same_bytes(dari, monkeypatch):
    # Issue 19: one file was 85 MB at 10,000 claims; parts of PART_RECORDS keep each file bounded.
    monkeypatch.setattr(dataset, "PART_RECORDS", 2)
    files = _build(dari, "out-parts")
    index = json.loads(files["data/claims.json"])
    whole = read_dataset(dari / "out-parts")  # each part's records, first and last as its entry says
    slugs = sorted(p.stem for p in (dari / "content" / "claims").glob("*.yaml"))
    assert [c["slug"] for c in whole["claims"]] == slugs and len(slugs) > 2
    assert [p["records"] for p in index["claims"]["parts"]] == [2] * (len(slugs) // 2) + [len(slugs) % 2] * (
        len(slugs) % 2
    )
    for name in dataset.LISTS:
        for number, part in enumerate(index[name]["parts"], 1):
            data = files[dataset.part_path(name, number)]
            assert part["url"].endswith(dataset.part_path(name, number))
            # gzip as `gzip -n` writes it: no time and no name, so rebuilds are byte-identical anywhere.
            assert data[:4] == b"\x1f\x8b\x08\x00" and data[4:8] == bytes(4)
            assert gzip.decompress(data).decode("utf-8").endswith("\n")
    assert _build(dari, "out-parts-again") == files

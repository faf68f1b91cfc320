"""Time the build against the floor and Hugo: `python -m bench [--claims N ...] [--out DIR]`.

For each size: generate the corpus (or reuse the cached one), then run our
build cold (no `.cache/` beside content/) and warm (the same build again,
its cache kept), the floor, the floor plus Pagefind's CLI, and Hugo then
Pagefind's CLI on Hugo's output, each once, as child processes so that their
peak memory can be read; measure one search query's bytes in chromium; time
incremental rebuilds (the search index's refresh apart); time the preview's reload
and search after one claim is saved (chromium); time `build.py import` on
made-up exports of N items in each format (bench/importing.py); measure the
output, per claim too. The build reports its own peaks: its main process, its
largest forked worker and Pagefind apart. A run that fails is recorded (exit
code, peak memory) and the rest go on; the comparisons, whose unsharded
Pagefind needs memory in proportion to the pages, are skipped with the reason
where they would not fit in this machine's memory. Prints a table (with the
growth from the smallest size to the largest when there are several) and
writes the numbers as JSON.

`--builds-only` runs our build alone, cold and warm, with its output and
peaks: what the growth from one size to the next needs, in a fraction of the
time (at 100,000 claims the comparisons, the preview and the imports are most
of the whole run's 99 minutes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import yaml

from .browser import preview_edit, query_bytes
from .corpus import BENCH_DIR, DEFAULT_SEED, MIN_CLAIMS, ensure_corpus
from .hugo import hugo_command, hugo_version, prepare
from .importing import measure_import
from .incremental import measure_incremental
from .measure import CommandFailed, Run, folder_bytes, folder_stats, run_measured
from .sitecheck import site_checks

REPO = BENCH_DIR.parent


def bench_size(claims: int, seed: int, browser: bool = True, builds_only: bool = False) -> dict:
    _progress(f"N={claims}: corpus")
    corpus, generated = ensure_corpus(claims, seed)
    content = str(corpus / "content")
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix=f"bench-N{claims}-") as tmp:
        out = Path(tmp)
        build_command = [python, "build.py", "build", "--content", content, "-v", "--out"]
        # Cold: nothing kept from an earlier run (the cache lives beside content/). Warm: the same build again.
        shutil.rmtree(corpus / ".cache", ignore_errors=True)
        _progress(f"N={claims}: build, cold (no .cache/)")
        build = _attempt([*build_command, str(out / "build")])
        _progress(f"N={claims}: build, warm (the cache of the cold build kept)")
        warm = _attempt([*build_command, str(out / "build-warm")])
        cache_bytes, cache_files = folder_stats(corpus / ".cache")  # what two builds of the same content keep
        ours = {
            "claims": claims,
            "corpus_seconds": None if generated is None else round(generated, 3),  # None: reused
            "build": {
                **_run_json(build),
                **_output(out / "build", claims),
                "index_bytes": folder_bytes(out / "build" / "pagefind"),
            },
            "build_warm": {**_run_json(warm), "cache_bytes": cache_bytes, "cache_files": cache_files},
        }
        if builds_only:
            return {**ours, **_SKIPPED_BY_BUILDS_ONLY}
        _progress(f"N={claims}: floor")
        floor = _attempt([python, "-m", "bench.floor", content, str(out / "floor")])
        skipped = _comparison_guard(claims)
        _progress(f"N={claims}: floor + pagefind" + (f" skipped: {skipped}" if skipped else ""))
        floor_pagefind = skipped or _attempt(
            [python, "-m", "bench.floor", content, str(out / "floor-pagefind"), "--with-pagefind"]
        )
        _progress(f"N={claims}: hugo (preparing its content, untimed)")
        started = time.perf_counter()
        prepare(corpus, out / "hugo-site")
        prepared = time.perf_counter() - started
        _progress(f"N={claims}: hugo + pagefind" + (f" skipped: {skipped}" if skipped else ""))
        hugo = skipped or _attempt(hugo_command(out / "hugo-site", out / "hugo"))
        # As bench.floor --with-pagefind runs it.
        hugo_pagefind = skipped or (
            _attempt([python, "-m", "pagefind", "--site", str(out / "hugo")])
            if isinstance(hugo, Run)
            else {"error": "hugo failed"}
        )
        shutil.rmtree(out / "hugo-site", ignore_errors=True)
        query = preview = checks = None
        if browser and isinstance(build, Run):
            _progress(f"N={claims}: one search query in chromium")
            query = _guarded(lambda: query_bytes(out / "build", _query(corpus)))
            if claims <= SITE_CHECKS_UP_TO:
                _progress(f"N={claims}: the test suite's site checks (links, vnu, axe, search) on the cold build")
                checks = _guarded(lambda: site_checks(out / "build", _base_url(corpus)))
            else:
                checks = {"skipped": f"run up to {SITE_CHECKS_UP_TO:,} claims (links alone would take minutes here)"}
        _progress(f"N={claims}: incremental")
        incremental = _guarded(lambda: measure_incremental(corpus, out / "incremental"))
        shutil.rmtree(out / "incremental", ignore_errors=True)
        if browser:
            _progress(f"N={claims}: the preview, one claim edited, in chromium")
            preview = _guarded(lambda: preview_edit(corpus, out / "preview"))
            shutil.rmtree(out / "preview", ignore_errors=True)
        _progress(f"N={claims}: import (made-up exports of N items)")
        imported = measure_import(claims, seed)
        hugo_and_pagefind = (
            {
                "seconds": round(hugo.seconds + hugo_pagefind.seconds, 3),
                "max_rss_bytes": max(hugo.max_rss, hugo_pagefind.max_rss),
            }  # wall seconds of both; the larger peak
            if isinstance(hugo, Run) and isinstance(hugo_pagefind, Run)
            else {"error": "not run: see hugo"}
        )
        return {
            **ours,
            "floor": {**_run_json(floor), **_output(out / "floor", claims)},
            "floor_pagefind": {
                **_run_json(floor_pagefind),
                "index_bytes": folder_bytes(out / "floor-pagefind" / "pagefind"),
            },
            "hugo": {**_run_json(hugo), "prepare_seconds": round(prepared, 3), **_output(out / "hugo", claims)},
            "hugo_pagefind": {**_run_json(hugo_pagefind), "index_bytes": folder_bytes(out / "hugo" / "pagefind")},
            "hugo_and_pagefind": hugo_and_pagefind,
            "ratio": _over(build, floor_pagefind),
            "ratio_hugo": _over(build, hugo_and_pagefind),
            "ratio_warm": _over(warm, floor_pagefind),
            "ratio_warm_hugo": _over(warm, hugo_and_pagefind),
            "search_query": query,
            "site_checks": checks,
            "preview": preview,
            "incremental": _rounded(incremental),
            "import": imported,
        }


BUILDS_ONLY = {"skipped": "--builds-only"}
# The rest of bench_size's record under --builds-only: every other measure says it was skipped.
_SKIPPED_BY_BUILDS_ONLY = {
    **{name: dict(BUILDS_ONLY) for name in ("floor", "floor_pagefind", "hugo", "hugo_pagefind", "hugo_and_pagefind")},
    **{name: None for name in ("ratio", "ratio_hugo", "ratio_warm", "ratio_warm_hugo")},
    **{name: dict(BUILDS_ONLY) for name in ("search_query", "site_checks", "preview", "incremental", "import")},
}


# Unsharded Pagefind holds every page in memory: 465 MB at 1,000 claims of this corpus, 4.3 GB at
# 10,000 (issue 19); Hugo about 200 KB a claim. A comparison projected past the memory this machine
# has free would only be killed, perhaps taking others' processes with it, so it is skipped.
_PEAK_BYTES_PER_CLAIM = {"pagefind": 440_000, "hugo": 200_000}


def _comparison_guard(claims: int) -> dict | None:
    """None if floor + Pagefind and Hugo + Pagefind fit in memory; else why they are skipped."""
    available = _available_memory()
    projected = claims * max(_PEAK_BYTES_PER_CLAIM.values())
    if available is None or projected <= 0.8 * available:
        return None
    return {
        "skipped": f"unsharded Pagefind would need about {projected / 1e9:.0f} GB at {claims:,} claims "
        f"({_PEAK_BYTES_PER_CLAIM['pagefind'] // 1000} KB a claim, measured at 1,000 and 10,000); "
        f"this machine has {available / 1e9:.1f} GB available",
        "projected_rss_bytes": projected,
        "available_bytes": available,
    }


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _attempt(command: list[str]) -> Run | dict:
    """The measured run, or what is known of a failed one (its exit code, peak memory, last output)."""
    try:
        return run_measured(command, REPO)
    except CommandFailed as failed:
        _progress(f"{failed} (recorded; the bench goes on)")
        return {
            "error": str(failed),
            "max_rss_bytes": failed.max_rss,
            "seconds": failed.seconds,
            "output_tail": failed.output.strip().splitlines()[-10:],
        }


def _guarded(measure):
    try:
        return measure()
    except Exception as exc:  # noqa: BLE001 (keep the other numbers; main exits 1)
        traceback.print_exc()
        return {"error": f"{type(exc).__name__}: {exc}"}


def _over(run: Run | dict, other: Run | dict) -> float | None:
    """run's wall time over other's; None if either did not complete."""
    mine = run.seconds if isinstance(run, Run) else None
    theirs = (
        other.seconds
        if isinstance(other, Run)
        else (None if "error" in other or "skipped" in other else other.get("seconds"))
    )
    return round(mine / theirs, 3) if mine and theirs else None


def _output(folder: Path, claims: int) -> dict:
    size, files = folder_stats(folder)
    if size is None:
        return {"output_bytes": None}
    return {
        "output_bytes": size,
        "output_files": files,
        "bytes_per_claim": round(size / claims),
        "files_per_claim": round(files / claims, 3),
    }


# The site checks read every page twice (links), which at 100,000 claims is most of ten minutes.
SITE_CHECKS_UP_TO = 10_000


def _base_url(corpus: Path) -> str:
    with open(corpus / "content" / "site.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=yaml.CBaseLoader)["base_url"]


def _query(corpus: Path) -> str:
    """Two words from the middle claim's title: a query that finds it, among others."""
    claims = sorted((corpus / "content" / "claims").iterdir())
    with open(claims[len(claims) // 2], encoding="utf-8") as f:
        title = yaml.load(f, Loader=yaml.CBaseLoader)["claim"]
    words = [word.strip(".,;:'\"") for word in title.split()]
    return " ".join([word for word in words if len(word) > 3][:2])


def _run_json(run: Run | dict) -> dict:
    if not isinstance(run, Run):  # failed or skipped: what is known of it
        return {"stages": {}, **run}
    return {"seconds": round(run.seconds, 3), "max_rss_bytes": run.max_rss, "stages": run.stages, "memory": run.memory}


def _rounded(incremental: dict | None) -> dict | None:
    if incremental is None or "error" in incremental or "skipped" in incremental:
        return incremental
    return {name: {**numbers, "seconds": round(numbers["seconds"], 3)} for name, numbers in incremental.items()}


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def table(results: list[dict]) -> str:
    """One column per size and, with several sizes, the growth from the smallest to the largest."""
    first, last = min(results, key=lambda r: r["claims"]), max(results, key=lambda r: r["claims"])
    growth = len(results) > 1
    header = [f"N={r['claims']}" for r in results] + ([f"N={last['claims']}/N={first['claims']}"] if growth else [])
    rows: list[tuple[str, list[str]]] = [("", header)]

    def row(label: str, cell, number=None) -> None:
        """`cell(result)` is the text; `number(result)`, if given, is what the growth column divides."""
        cells = [cell(r) for r in results]
        if growth:
            cells.append(_ratio(number(last), number(first)) if number else "")
        rows.append((label, cells))

    def seconds(get):  # row()'s cell and number for a value in seconds
        return lambda r: _seconds(get(r)), get

    def mib(get):  # ... in bytes
        return lambda r: _mib(get(r)), get

    row("corpus generation", lambda r: "cached" if r["corpus_seconds"] is None else _seconds(r["corpus_seconds"]))
    for stage in _stage_names(results, "build"):
        row(f"build: {stage}", *seconds(lambda r, s=stage: _get(r, "build", "stages", s)))
    row("build total, cold: no .cache/ (wall)", *seconds(lambda r: _ran(r, "build", "seconds")))
    for stage in _stage_names(results, "build_warm"):
        row(f"build, warm: {stage}", *seconds(lambda r, s=stage: _get(r, "build_warm", "stages", s)))
    row("build total, warm: .cache/ kept (wall)", *seconds(lambda r: _ran(r, "build_warm", "seconds")))
    row(".cache/ after the warm build", *mib(lambda r: _get(r, "build_warm", "cache_bytes")))
    for stage in _stage_names(results, "floor"):
        row(f"floor: {stage}", *seconds(lambda r, s=stage: _get(r, "floor", "stages", s)))
    row("floor total (wall)", *seconds(lambda r: _ran(r, "floor", "seconds")))
    row("comparisons with Pagefind", lambda r: _comparison_state(r))
    row("pagefind CLI (on the floor)", *seconds(lambda r: _get(r, "floor_pagefind", "stages", "pagefind")))
    row("floor + pagefind (wall)", *seconds(lambda r: _ran(r, "floor_pagefind", "seconds")))
    row("hugo (wall; content converted before)", *seconds(lambda r: _ran(r, "hugo", "seconds")))
    row("pagefind CLI (on hugo's output)", *seconds(lambda r: _ran(r, "hugo_pagefind", "seconds")))
    row("hugo + pagefind (wall)", *seconds(lambda r: _ran(r, "hugo_and_pagefind", "seconds")))
    for key, label in (
        ("ratio", "cold build / (floor + pagefind)"),
        ("ratio_hugo", "cold build / (hugo + pagefind)"),
        ("ratio_warm", "warm build / (floor + pagefind)"),
        ("ratio_warm_hugo", "warm build / (hugo + pagefind)"),
    ):
        row(f"ratio {label}", lambda r, k=key: _times(r.get(k)), lambda r, k=key: r.get(k))
    row("peak RSS build: main process", *mib(lambda r: _get(r, "build", "memory", "main")))
    row(
        "peak RSS build: largest worker (1)",
        lambda r: (
            "none"
            if _get(r, "build", "memory", "main") and not _get(r, "build", "memory", "workers")
            else _mib(_get(r, "build", "memory", "workers"))
        ),
        lambda r: _get(r, "build", "memory", "workers"),
    )
    row("peak RSS build: pagefind (2)", *mib(lambda r: _get(r, "build", "memory", "pagefind")))
    row("peak RSS build: largest process", *mib(lambda r: _get(r, "build", "max_rss_bytes")))
    row(
        "peak RSS warm build: main / workers / pagefind",
        lambda r: " / ".join(_mib(_get(r, "build_warm", "memory", k)) for k in ("main", "workers", "pagefind")),
    )
    row("peak RSS floor", *mib(lambda r: _get(r, "floor", "max_rss_bytes")))
    row("peak RSS floor + pagefind", *mib(lambda r: _get(r, "floor_pagefind", "max_rss_bytes")))
    row("peak RSS hugo", *mib(lambda r: _get(r, "hugo", "max_rss_bytes")))
    row("peak RSS pagefind (on hugo's output)", *mib(lambda r: _get(r, "hugo_pagefind", "max_rss_bytes")))
    row("search: /search/ loaded (chromium)", lambda r: _transfer(_get(r, "search_query", "page_load")))
    row(
        "search: one query typed (chromium)",
        lambda r: _transfer(_get(r, "search_query", "query_transfer")),
        lambda r: _get(r, "search_query", "query_transfer", "bytes"),
    )
    row("search: the query's kB by kind of file", lambda r: _kinds(_get(r, "search_query", "query_transfer")))
    row("site checks: pages / broken links / vnu errors", lambda r: _checks(r.get("site_checks")))
    row(
        "site checks: axe violations / titles found first",
        lambda r: _checks(r.get("site_checks"), ("axe_violations", "search_found_first")),
    )
    row("preview: first build", *seconds(lambda r: _get(r, "preview", "first_build_seconds")))
    row("preview: claim saved -> page reloaded (chromium)", *seconds(lambda r: _get(r, "preview", "reload_seconds")))
    row("preview: claim saved -> search finds it (chromium)", *seconds(lambda r: _get(r, "preview", "search_seconds")))
    for name, label in (
        ("full_build", "full build"),
        ("claim_summary", "claim summary edited"),
        ("source_quote", "source quote edited"),
    ):
        row(
            f"incremental: {label}",
            lambda r, n=name: _incremental(r.get("incremental"), n),
            lambda r, n=name: _get(r, "incremental", n, "seconds"),
        )
        if name != "full_build":
            row(
                f"incremental: {label}: of it, search refresh",
                *seconds(lambda r, n=name: _get(r, "incremental", n, "stages", "index")),
            )
    for name, label in (
        ("claimreview-datafeed", "ClaimReview DataFeed of N"),
        ("factcheck-api", "Fact Check API response of N"),
        ("csv", "CSV of N rows"),
        ("claimreview-html", "N/10 saved HTML pages"),
    ):
        row(f"import: {label}", *seconds(lambda r, n=name: _get(r, "import", "formats", n, "seconds")))
    row(
        "import: the DataFeed again (nothing changes)",
        *seconds(lambda r: _get(r, "import", "formats", "claimreview-datafeed", "again_seconds")),
    )
    for run in ("build", "floor", "hugo"):
        row(f"output size ({run})", *mib(lambda r, n=run: _get(r, n, "output_bytes")))
        row(
            f"output per claim ({run})",
            lambda r, n=run: _per_claim(r, n),
            lambda r, n=run: _get(r, n, "bytes_per_claim"),
        )
    row("index size (build's pagefind/)", *mib(lambda r: _get(r, "build", "index_bytes")))
    row("index size (floor's pagefind/)", *mib(lambda r: _get(r, "floor_pagefind", "index_bytes")))
    row("index size (hugo's pagefind/)", *mib(lambda r: _get(r, "hugo_pagefind", "index_bytes")))

    label_width = max(len(label) for label, _ in rows)
    widths = [max(len(cells[i]) for _, cells in rows) for i in range(len(header))]
    lines = [
        f"{label:<{label_width}}  " + "  ".join(f"{cell:>{width}}" for cell, width in zip(cells, widths))
        for label, cells in rows
    ]
    return "\n".join([*lines, "", *_FOOTNOTES])


_FOOTNOTES = (
    "(1) forked for validation and rendering (none: the site was too small to fork), one per core; its peak",
    "    counts the pages it shares with the main process copy-on-write, so adding them up overstates the total.",
    "(2) the indexer, a separate program, run once the workers have exited; Linux counts the main",
    "    process's peak into the programs it starts, so this never reads below the main process's.",
)


def _ran(result: dict, *keys: str):
    """As _get, but None for a run that failed or was skipped (its seconds are not the run's)."""
    run = result.get(keys[0])
    return None if not isinstance(run, dict) or "error" in run or "skipped" in run else _get(result, *keys)


def _comparison_state(result: dict) -> str:
    for name in ("floor_pagefind", "hugo", "hugo_pagefind"):
        run = result.get(name) or {}
        if "skipped" in run:
            return "skipped (--builds-only)" if run == BUILDS_ONLY else "skipped (memory; see JSON)"
        if "error" in run:
            return f"{name} failed (see JSON)"
    return "ran"


def _checks(checks: dict | None, keys=("pages", "broken_links", "vnu_errors")) -> str:
    if not checks or "error" in checks or "skipped" in checks:
        return "—" if not checks else ("skipped" if "skipped" in checks else "failed (see JSON)")
    found = " / ".join(f"{checks[key]:,}" for key in keys)
    return found + (f" of {checks['search_shards']}" if "search_found_first" in keys else "")


def _transfer(numbers: dict | None) -> str:
    return "—" if not numbers else f"{numbers['bytes'] / 1000:.1f} kB in {numbers['requests']} requests"


def _kinds(numbers: dict | None) -> str:
    kinds = (numbers or {}).get("kinds")
    return "—" if not kinds else ", ".join(f"{kind} {part['bytes'] / 1000:.0f}" for kind, part in kinds.items())


def _per_claim(result: dict, run: str) -> str:
    size, files = _get(result, run, "bytes_per_claim"), _get(result, run, "files_per_claim")
    return "—" if size is None else f"{size / 1000:.1f} kB, {files:.2f} files"


def _get(result: dict, *keys: str):
    """result[k1][k2]...; None where a key is missing (a run without it, an older JSON)."""
    value = result
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _ratio(top: float | None, bottom: float | None) -> str:
    return "—" if top is None or not bottom else _times(top / bottom)


def _times(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def _stage_names(results: list[dict], run: str) -> list[str]:
    return list(dict.fromkeys(stage for r in results for stage in (_get(r, run, "stages") or {})))


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f} s"


def _mib(value: int | None) -> str:
    return "—" if value is None else f"{value / 2**20:.1f} MiB"


def _incremental(incremental: dict | None, name: str) -> str:
    if incremental is None:
        return "n/a"
    if "error" in incremental:
        return "failed"
    numbers = incremental.get(name, {})
    if "pages" not in numbers:
        return _seconds(numbers["seconds"]) if numbers else "n/a"
    return f"{_seconds(numbers['seconds'])}, {numbers['pages']} pages, {numbers['written']} written"


def growth(results: list[dict]) -> dict:
    """Largest size over smallest: claims, times and peaks (whole build: its largest process)."""
    first, last = min(results, key=lambda r: r["claims"]), max(results, key=lambda r: r["claims"])
    measures = {
        "build_seconds": ("build", "seconds"),
        "build_warm_seconds": ("build_warm", "seconds"),
        "build_main_rss": ("build", "memory", "main"),
        "build_workers_rss": ("build", "memory", "workers"),
        "build_pagefind_rss": ("build", "memory", "pagefind"),
        "build_max_rss": ("build", "max_rss_bytes"),
        "floor_pagefind_seconds": ("floor_pagefind", "seconds"),
        "hugo_and_pagefind_seconds": ("hugo_and_pagefind", "seconds"),
        "output_bytes": ("build", "output_bytes"),
        "index_bytes": ("build", "index_bytes"),
    }
    ratios = {}
    for name, keys in measures.items():
        top, bottom = _ran(last, *keys), _ran(first, *keys)
        ratios[name] = None if top is None or not bottom else round(top / bottom, 3)
    return {
        "from": first["claims"],
        "to": last["claims"],
        "claims": round(last["claims"] / first["claims"], 3),
        **ratios,
    }


def growth_line(ratios: dict) -> str:
    def ratio(name: str) -> str:
        return _times(ratios[name])

    return (
        f"growth from N={ratios['from']} to N={ratios['to']} ({ratios['claims']:g}x the claims): "
        f"build time {ratio('build_seconds')}, peak RSS of the main process {ratio('build_main_rss')}, "
        f"of the whole build (its largest process) {ratio('build_max_rss')}"
    )


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--claims",
        type=int,
        nargs="+",
        default=[1000, 10000],
        metavar="N",
        help="corpus sizes in claims (default: 1000 10000)",
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help="leave out what chromium measures (a query's bytes, the preview's reload)",
    )
    parser.add_argument(
        "--builds-only",
        action="store_true",
        help="measure only our build, cold and warm (no floor, Hugo, browser, incremental or import)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed")
    parser.add_argument(
        "--out",
        type=Path,
        default=BENCH_DIR / "results",
        metavar="DIR",
        help="where the JSON goes (default: bench/results)",
    )
    args = parser.parse_args(argv)
    if min(args.claims) < MIN_CLAIMS:
        parser.error(f"--claims must be at least {MIN_CLAIMS}")
    try:
        results = [
            bench_size(claims, args.seed, browser=not args.no_browser, builds_only=args.builds_only)
            for claims in args.claims
        ]
    except CommandFailed as failed:
        print(f"bench: {failed}\n{failed.output}", file=sys.stderr)
        return 1
    print(table(results))
    now = dt.datetime.now(dt.UTC)
    record = {
        "date": now.isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "--short", "HEAD") or None,
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "python": platform.python_version(),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "seed": args.seed,
        "tools": {"hugo": hugo_version(), "pagefind": _version("pagefind_bin")},
        "results": results,
    }
    if len(results) > 1:
        record["growth"] = growth(results)
        print("\n" + growth_line(record["growth"]))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{now:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    failed = [
        f"{name} at N={r['claims']}"
        for r in results
        for name in ("build", "build_warm", "floor", "incremental", "search_query", "preview")
        if isinstance(r.get(name), dict) and "error" in r[name]
    ]
    if failed:
        print(f"bench: failed (recorded in the JSON; tracebacks above): {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

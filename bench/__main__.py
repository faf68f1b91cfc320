"""Time the build against the floor and Hugo: `python -m bench [--claims N ...] [--out DIR]`.

For each size: generate the corpus (or reuse the cached one), then run our
build, the floor, the floor plus Pagefind's CLI, and Hugo then Pagefind's CLI
on Hugo's output, each once, as child processes so that their peak memory
can be read; time incremental rebuilds; time `build.py import` on made-up
exports of N items in each format (bench/importing.py); measure the output. The build
reports its own peaks too: its main process, its largest forked worker and
Pagefind apart. Prints a table (with the growth from the smallest size to the
largest when there are several) and writes the numbers as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from .corpus import BENCH_DIR, DEFAULT_SEED, MIN_CLAIMS, ensure_corpus
from .hugo import hugo_command, hugo_version, prepare
from .importing import measure_import
from .incremental import measure_incremental
from .measure import CommandFailed, Run, folder_bytes, run_measured

REPO = BENCH_DIR.parent


def bench_size(claims: int, seed: int) -> dict:
    _progress(f"N={claims}: corpus")
    corpus, generated = ensure_corpus(claims, seed)
    content = str(corpus / "content")
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix=f"bench-N{claims}-") as tmp:
        out = Path(tmp)
        _progress(f"N={claims}: build")
        build = run_measured([python, "build.py", "build", "--content", content, "--out", str(out / "build"), "-v"], REPO)
        _progress(f"N={claims}: floor")
        floor = run_measured([python, "-m", "bench.floor", content, str(out / "floor")], REPO)
        _progress(f"N={claims}: floor + pagefind")
        floor_pagefind = run_measured(
            [python, "-m", "bench.floor", content, str(out / "floor-pagefind"), "--with-pagefind"], REPO)
        _progress(f"N={claims}: hugo (preparing its content, untimed)")
        started = time.perf_counter()
        prepare(corpus, out / "hugo-site")
        prepared = time.perf_counter() - started
        _progress(f"N={claims}: hugo + pagefind")
        hugo = run_measured(hugo_command(out / "hugo-site", out / "hugo"), REPO)
        hugo_output = folder_bytes(out / "hugo")
        # As bench.floor --with-pagefind runs it.
        hugo_pagefind = run_measured([python, "-m", "pagefind", "--site", str(out / "hugo")], REPO)
        _progress(f"N={claims}: incremental")
        try:
            incremental = measure_incremental(corpus, out / "incremental")
        except Exception as exc:  # noqa: BLE001 (keep the other numbers; main exits 1)
            traceback.print_exc()
            incremental = {"error": f"{type(exc).__name__}: {exc}"}
        hugo_and_pagefind = hugo.seconds + hugo_pagefind.seconds
        _progress(f"N={claims}: import (made-up exports of N items)")
        imported = measure_import(claims, seed)
        return {
            "claims": claims,
            "corpus_seconds": None if generated is None else round(generated, 3),  # None: reused
            "build": {**_run_json(build), "memory": build.memory, "output_bytes": folder_bytes(out / "build"),
                      "index_bytes": folder_bytes(out / "build" / "pagefind")},
            "floor": {**_run_json(floor), "output_bytes": folder_bytes(out / "floor")},
            "floor_pagefind": {**_run_json(floor_pagefind),
                               "index_bytes": folder_bytes(out / "floor-pagefind" / "pagefind")},
            "hugo": {**_run_json(hugo), "prepare_seconds": round(prepared, 3),
                     "output_bytes": hugo_output},
            "hugo_pagefind": {**_run_json(hugo_pagefind), "index_bytes": folder_bytes(out / "hugo" / "pagefind")},
            # Wall seconds of the two runs, one after the other; memory: the larger peak.
            "hugo_and_pagefind": {"seconds": round(hugo_and_pagefind, 3),
                                  "max_rss_bytes": max(hugo.max_rss, hugo_pagefind.max_rss)},
            "ratio": round(build.seconds / floor_pagefind.seconds, 3),
            "ratio_hugo": round(build.seconds / hugo_and_pagefind, 3),
            "incremental": _rounded(incremental),
            "import": imported,
        }


def _run_json(run: Run) -> dict:
    return {"seconds": round(run.seconds, 3), "max_rss_bytes": run.max_rss, "stages": run.stages}


def _rounded(incremental: dict | None) -> dict | None:
    if incremental is None or "error" in incremental:
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
        row(f"build: {stage}", *seconds(lambda r, s=stage: r["build"]["stages"].get(s)))
    row("build total (wall)", *seconds(lambda r: r["build"]["seconds"]))
    for stage in _stage_names(results, "floor"):
        row(f"floor: {stage}", *seconds(lambda r, s=stage: r["floor"]["stages"].get(s)))
    row("floor total (wall)", *seconds(lambda r: r["floor"]["seconds"]))
    row("pagefind CLI (on the floor)", *seconds(lambda r: r["floor_pagefind"]["stages"].get("pagefind")))
    row("floor + pagefind (wall)", *seconds(lambda r: r["floor_pagefind"]["seconds"]))
    row("hugo (wall; content converted before)", *seconds(lambda r: _get(r, "hugo", "seconds")))
    row("pagefind CLI (on hugo's output)", *seconds(lambda r: _get(r, "hugo_pagefind", "seconds")))
    row("hugo + pagefind (wall)", *seconds(lambda r: _get(r, "hugo_and_pagefind", "seconds")))
    row("ratio build / (floor + pagefind)", lambda r: _times(r["ratio"]), lambda r: r["ratio"])
    row("ratio build / (hugo + pagefind)", lambda r: _times(r.get("ratio_hugo")), lambda r: r.get("ratio_hugo"))
    row("peak RSS build: main process", *mib(lambda r: _get(r, "build", "memory", "main")))
    row("peak RSS build: largest worker (1)",
        lambda r: "none" if _get(r, "build", "memory", "main") and not _get(r, "build", "memory", "workers")
        else _mib(_get(r, "build", "memory", "workers")), lambda r: _get(r, "build", "memory", "workers"))
    row("peak RSS build: pagefind (2)", *mib(lambda r: _get(r, "build", "memory", "pagefind")))
    row("peak RSS build: largest process", *mib(lambda r: r["build"]["max_rss_bytes"]))
    row("peak RSS floor", *mib(lambda r: r["floor"]["max_rss_bytes"]))
    row("peak RSS floor + pagefind", *mib(lambda r: r["floor_pagefind"]["max_rss_bytes"]))
    row("peak RSS hugo", *mib(lambda r: _get(r, "hugo", "max_rss_bytes")))
    row("peak RSS pagefind (on hugo's output)", *mib(lambda r: _get(r, "hugo_pagefind", "max_rss_bytes")))
    for name, label in (("full_build", "full build"), ("claim_summary", "claim summary edited"),
                        ("source_quote", "source quote edited")):
        row(f"incremental: {label}", lambda r, n=name: _incremental(r["incremental"], n),
            lambda r, n=name: _get(r, "incremental", n, "seconds"))
    for name, label in (("claimreview-datafeed", "ClaimReview DataFeed of N"), ("factcheck-api", "Fact Check API response of N"),
                        ("csv", "CSV of N rows"), ("claimreview-html", "N/10 saved HTML pages")):
        row(f"import: {label}", *seconds(lambda r, n=name: _get(r, "import", "formats", n, "seconds")))
    row("import: the DataFeed again (nothing changes)",
        *seconds(lambda r: _get(r, "import", "formats", "claimreview-datafeed", "again_seconds")))
    row("output size (build)", *mib(lambda r: r["build"]["output_bytes"]))
    row("output size (floor)", *mib(lambda r: _get(r, "floor", "output_bytes")))
    row("output size (hugo)", *mib(lambda r: _get(r, "hugo", "output_bytes")))
    row("index size (build's pagefind/)", *mib(lambda r: r["build"]["index_bytes"]))
    row("index size (floor's pagefind/)", *mib(lambda r: r["floor_pagefind"]["index_bytes"]))
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
    return list(dict.fromkeys(stage for r in results for stage in r[run]["stages"]))


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f} s"


def _mib(value: int | None) -> str:
    return "—" if value is None else f"{value / 2**20:.1f} MiB"


def _incremental(incremental: dict | None, name: str) -> str:
    if incremental is None:
        return "n/a"
    if "error" in incremental:
        return "failed"
    numbers = incremental[name]
    if "pages" not in numbers:
        return _seconds(numbers["seconds"])
    return f"{_seconds(numbers['seconds'])}, {numbers['pages']} pages, {numbers['written']} written"


def growth(results: list[dict]) -> dict:
    """Largest size over smallest: claims, times and peaks (whole build: its largest process)."""
    first, last = min(results, key=lambda r: r["claims"]), max(results, key=lambda r: r["claims"])
    measures = {
        "build_seconds": ("build", "seconds"),
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
        top, bottom = _get(last, *keys), _get(first, *keys)
        ratios[name] = None if top is None or not bottom else round(top / bottom, 3)
    return {"from": first["claims"], "to": last["claims"], "claims": round(last["claims"] / first["claims"], 3), **ratios}


def growth_line(ratios: dict) -> str:
    def ratio(name: str) -> str:
        return _times(ratios[name])

    return (f"growth from N={ratios['from']} to N={ratios['to']} ({ratios['claims']:g}x the claims): "
            f"build time {ratio('build_seconds')}, peak RSS of the main process {ratio('build_main_rss')}, "
            f"of the whole build (its largest process) {ratio('build_max_rss')}")


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="corpus sizes in claims (default: 1000 10000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results", metavar="DIR",
                        help="where the JSON goes (default: bench/results)")
    args = parser.parse_args(argv)
    if min(args.claims) < MIN_CLAIMS:
        parser.error(f"--claims must be at least {MIN_CLAIMS}")
    try:
        results = [bench_size(claims, args.seed) for claims in args.claims]
    except CommandFailed as failed:
        print(f"bench: {failed}\n{failed.output}", file=sys.stderr)
        return 1
    print(table(results))
    now = dt.datetime.now(dt.timezone.utc)
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
    failed = [r["claims"] for r in results if r["incremental"] and "error" in r["incremental"]]
    if failed:
        print(f"bench: the incremental rebuild failed for N={', '.join(map(str, failed))} (traceback above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

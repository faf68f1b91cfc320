"""Time the build against the floor: `python -m bench [--claims N ...] [--out DIR]`.

For each size: generate the corpus (or reuse the cached one), then run our
build, the floor and the floor plus Pagefind's CLI, each once, as child
processes so that their peak memory can be read; time incremental rebuilds;
measure the output. Prints a table and writes the numbers as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

from .corpus import BENCH_DIR, DEFAULT_SEED, MIN_CLAIMS, ensure_corpus
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
        _progress(f"N={claims}: incremental")
        try:
            incremental = measure_incremental(corpus, out / "incremental")
        except Exception as exc:  # noqa: BLE001 (keep the other numbers; main exits 1)
            traceback.print_exc()
            incremental = {"error": f"{type(exc).__name__}: {exc}"}
        return {
            "claims": claims,
            "corpus_seconds": None if generated is None else round(generated, 3),  # None: reused
            "build": {**_run_json(build), "output_bytes": folder_bytes(out / "build"),
                      "index_bytes": folder_bytes(out / "build" / "pagefind")},
            "floor": _run_json(floor),
            "floor_pagefind": {**_run_json(floor_pagefind),
                               "index_bytes": folder_bytes(out / "floor-pagefind" / "pagefind")},
            "ratio": round(build.seconds / floor_pagefind.seconds, 3),
            "incremental": _rounded(incremental),
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
    rows: list[tuple[str, list[str]]] = [("", [f"N={r['claims']}" for r in results])]

    def row(label: str, cell) -> None:
        rows.append((label, [cell(r) for r in results]))

    row("corpus generation", lambda r: "cached" if r["corpus_seconds"] is None else _seconds(r["corpus_seconds"]))
    for stage in _stage_names(results, "build"):
        row(f"build: {stage}", lambda r, s=stage: _seconds(r["build"]["stages"].get(s)))
    row("build total (wall)", lambda r: _seconds(r["build"]["seconds"]))
    for stage in _stage_names(results, "floor"):
        row(f"floor: {stage}", lambda r, s=stage: _seconds(r["floor"]["stages"].get(s)))
    row("floor total (wall)", lambda r: _seconds(r["floor"]["seconds"]))
    row("pagefind CLI (on the floor)", lambda r: _seconds(r["floor_pagefind"]["stages"].get("pagefind")))
    row("floor + pagefind (wall)", lambda r: _seconds(r["floor_pagefind"]["seconds"]))
    row("ratio build / (floor + pagefind)", lambda r: f"{r['ratio']:.2f}x")
    row("peak RSS build", lambda r: _mib(r["build"]["max_rss_bytes"]))
    row("peak RSS floor", lambda r: _mib(r["floor"]["max_rss_bytes"]))
    row("peak RSS floor + pagefind", lambda r: _mib(r["floor_pagefind"]["max_rss_bytes"]))
    for name, label in (("full_build", "full build"), ("claim_summary", "claim summary edited"),
                        ("source_quote", "source quote edited")):
        row(f"incremental: {label}", lambda r, n=name: _incremental(r["incremental"], n))
    row("output size (build)", lambda r: _mib(r["build"]["output_bytes"]))
    row("index size (build's pagefind/)", lambda r: _mib(r["build"]["index_bytes"]))
    row("index size (floor's pagefind/)", lambda r: _mib(r["floor_pagefind"]["index_bytes"]))

    label_width = max(len(label) for label, _ in rows)
    widths = [max(len(cells[i]) for _, cells in rows) for i in range(len(results))]
    return "\n".join(
        f"{label:<{label_width}}  " + "  ".join(f"{cell:>{width}}" for cell, width in zip(cells, widths))
        for label, cells in rows
    )


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
        "results": results,
    }
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

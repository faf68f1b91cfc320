"""The crowded archive: does the build stay linear when every claim shares one quote?

`python -m bench.crowded [--claims 1000 4000] [--limit 5]` builds the
"crowded" corpus (every claim cites one quote, is made by its speaker and is
about one topic) at each size, once, and prints the build's time, stage by
stage, and its growth from the smallest size to the largest. Exits 1 when
the time grows more than `--limit` times the claims' growth over 4 (4x the
claims may cost at most ~5x the time): a page that walks every claim
sharing the quote, once per claim, made 10,000 claims cost 110 s where 2,500
cost 7. It also reports the largest HTML page, which pagination keeps from
growing with the claims of one topic or person.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from .corpus import DEFAULT_SEED, ensure_corpus
from .measure import run_measured

REPO = Path(__file__).resolve().parent.parent


def measure(claims: int, seed: int) -> dict:
    corpus, _ = ensure_corpus(claims, seed, shape="crowded")
    with tempfile.TemporaryDirectory(prefix=f"bench-crowded-N{claims}-") as tmp:
        out = Path(tmp) / "build"
        run = run_measured(
            [sys.executable, "build.py", "build", "--content", str(corpus / "content"), "--out", str(out), "-v"], REPO
        )
        largest = max(out.rglob("*.html"), key=lambda p: p.stat().st_size)
        return {
            "claims": claims,
            "seconds": round(run.seconds, 3),
            "stages": run.stages,
            "largest_page": str(largest.relative_to(out)),
            "largest_page_bytes": largest.stat().st_size,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crowded", description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--limit", type=float, default=5.0, help="most time growth allowed for 4x the claims")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results = []
    for claims in sorted(set(args.claims)):
        print(f"bench.crowded: N={claims}", file=sys.stderr, flush=True)
        results.append(measure(claims, args.seed))
    for r in results:
        stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in r["stages"].items())
        print(
            f"N={r['claims']}: {r['seconds']:.2f} s ({stages}); largest page {r['largest_page_bytes'] / 1024:.0f} KiB "
            f"({r['largest_page']})"
        )
    code = 0
    if len(results) > 1:
        first, last = results[0], results[-1]
        claims, seconds = last["claims"] / first["claims"], last["seconds"] / first["seconds"]
        # Linear growth allows `limit` for 4x the claims; scaled for other ratios.
        allowed = args.limit * claims / 4
        print(
            f"growth from N={first['claims']} to N={last['claims']} ({claims:g}x the claims): "
            f"build time {seconds:.2f}x, render {last['stages'].get('render', 0) / max(first['stages'].get('render', 0), 1e-9):.2f}x "
            f"(at most {allowed:.2f}x allowed)"
        )
        if seconds > allowed:
            print("bench.crowded: the build grows faster than the claims", file=sys.stderr)
            code = 1
        results.append({"growth": {"claims": claims, "seconds": round(seconds, 3), "allowed": allowed}})
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main())

"""Time `build.py import` on made-up exports: `python -m bench.importing [--items N]`.

A seeded export of N fact-checks is written in each format the import reads:
a schema.org DataFeed of ClaimReviews (the Data Commons shape, 5% of its
items listed twice and 1% null), a Fact Check Tools API response and a
semicolon CSV with renamed columns; and N/10 saved HTML pages, each with its
ClaimReview and an article body, the costly path (every page is parsed and its
text converted to Markdown). Each is imported into an empty archive, as a
child process so that its peak memory can be read; the DataFeed is imported a
second time (nothing may change) and the result checked with `build.py check`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from random import Random

from .corpus import BENCH_DIR, DEFAULT_SEED
from .measure import run_measured

REPO = BENCH_DIR.parent
SITE_YAML = """\
title: Made-up Import Benchmark
base_url: https://bench.example.org/
publisher:
  name: Made-up Checkers
  url: https://bench.example.org/
"""
# The publisher's own scale words: most match the default scale, the rest need the verdict map.
RATINGS = [
    "False",
    "Mostly False",
    "Half True",
    "Mostly True",
    "True",
    "FALSE",
    "Pants on Fire",
    "Misleading",
    "Missing context",
    "Unproven",
]
VERDICT_MAP = '"Pants on Fire": false\n"Misleading": mostly-false\n"Missing context": half-true\n'
WORDS = (
    "bridge road harbour tunnel budget ministry council election school hospital water power tax fares trains "
    "buses wages prices housing rent police court farm river forest census vaccine clinic port airport"
).split()


def made_up_items(n: int, seed: int) -> list[dict]:
    """N fact-checks as plain data, the same for the same seed."""
    rng = Random(seed)
    start = dt.date(2015, 1, 1)
    people = [
        f"{rng.choice(['Ana', 'Bo', 'Cem', 'Dara', 'Eli', 'Femi', 'Gul', 'Hana'])} "
        f"{rng.choice(['Roe', 'Miles', 'Okafor', 'Stone', 'Vale', 'Quill'])} {i}"
        for i in range(max(1, n // 20))
    ]
    items = []
    for i in range(n):
        made = start + dt.timedelta(days=rng.randrange(3_000))
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
        items.append(
            {
                "claim": f"The {words} claim number {i} is {rng.choice(['up', 'down', 'finished', 'late'])}.",
                "claimant": rng.choice(people),
                "date": made.isoformat(),
                "reviewed": (made + dt.timedelta(days=rng.randint(1, 30))).isoformat(),
                "rating": rng.choice(RATINGS),
                "url": f"https://checks.example.net/{made.year}/{i}/",
                "appearance": f"https://social.example/post/{rng.randrange(n * 2)}" if rng.random() < 0.5 else None,
                "topics": [rng.choice(WORDS).title()],
            }
        )
    return items


def claim_review(item: dict) -> dict:
    reviewed = {
        "@type": "Claim",
        "datePublished": item["date"],
        "author": {"@type": "Person", "name": item["claimant"]},
    }
    if item["appearance"]:
        reviewed["appearance"] = [{"@type": "CreativeWork", "url": item["appearance"]}]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": item["url"],
        "claimReviewed": item["claim"],
        "datePublished": item["reviewed"],
        "author": {"@type": "Organization", "name": "Made-up Checkers"},
        "reviewRating": {"@type": "Rating", "alternateName": item["rating"]},
        "itemReviewed": reviewed,
    }


def write_exports(items: list[dict], folder: Path, seed: int) -> dict[str, list[str]]:
    rng = Random(seed + 1)
    elements = []
    for item in items:
        elements.append({"@type": "DataFeedItem", "item": [claim_review(item)]})
        if rng.random() < 0.05:
            elements.append({"@type": "DataFeedItem", "item": [claim_review(item)]})
        if rng.random() < 0.01:
            elements.append(None)
    (folder / "feed.json").write_text(
        json.dumps({"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": elements}, indent=1),
        encoding="utf-8",
    )
    api = [
        {
            "text": i["claim"],
            "claimant": i["claimant"],
            "claimDate": i["date"] + "T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": "Made-up Checkers", "site": "checks.example.net"},
                    "url": i["url"],
                    "title": "Fact check: " + i["claim"],
                    "reviewDate": i["reviewed"] + "T00:00:00Z",
                    "textualRating": i["rating"],
                    "languageCode": "en",
                }
            ],
        }
        for i in items
    ]
    (folder / "api.json").write_text(json.dumps({"claims": api}, indent=1), encoding="utf-8")
    rows = ["\ufeffStatement;Speaker;Said on;Rating;Published;Tags;Link"]
    rows += [
        ";".join([i["claim"], i["claimant"], i["date"], i["rating"], i["reviewed"], "; ".join(i["topics"]), i["url"]])
        for i in items
    ]
    (folder / "sheet.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    pages = folder / "pages"
    pages.mkdir()
    for n, item in enumerate(items[: max(1, len(items) // 10)]):
        body = "".join(
            f"<p>{' '.join(rng.choice(WORDS) for _ in range(60))} <a href='/{n}/source'>a link</a>.</p>"
            for _ in range(6)
        )
        (pages / f"{n}.html").write_text(
            f"<!doctype html><html lang='en'><head><title>{item['claim']}</title>"
            f"<script type='application/ld+json'>{json.dumps(claim_review(item))}</script></head><body><nav>Menu</nav>"
            f"<article><h1>{item['claim']}</h1><div class='entry-content'><h2>What we found</h2>{body}</div></article>"
            "</body></html>",
            encoding="utf-8",
        )
    (folder / "map.yaml").write_text(VERDICT_MAP, encoding="utf-8")
    return {
        "claimreview-datafeed": ["claimreview", str(folder / "feed.json")],
        "factcheck-api": ["factcheck-api", str(folder / "api.json")],
        "csv": [
            "csv",
            str(folder / "sheet.csv"),
            "--columns",
            "claim=Statement,claimant=Speaker,date=Said on,verdict=Rating,reviewed=Published,topics=Tags,url=Link",
        ],
        "claimreview-html": ["claimreview", str(pages)],
    }


def measure_import(items_count: int, seed: int = DEFAULT_SEED) -> dict:
    python = sys.executable
    results = {}
    with tempfile.TemporaryDirectory(prefix=f"bench-import-{items_count}-") as tmp:
        folder = Path(tmp)
        exports = write_exports(made_up_items(items_count, seed), folder, seed)
        for number, (name, arguments) in enumerate(exports.items()):
            archive = folder / f"archive-{number}"
            (archive / "content").mkdir(parents=True)
            (archive / "content" / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
            command = [
                python,
                "build.py",
                "import",
                *arguments,
                "--content",
                str(archive / "content"),
                "--verdict-map",
                str(folder / "map.yaml"),
            ]
            run = run_measured(command, REPO)
            result = {
                "seconds": round(run.seconds, 3),
                "max_rss_bytes": run.max_rss,
                "summary": run.stdout.strip().split("\n")[-1],
            }
            if name == "claimreview-datafeed":
                again = run_measured(command, REPO)
                result["again_seconds"] = round(again.seconds, 3)
                result["again_summary"] = again.stdout.strip().split("\n")[-1]
                check = run_measured([python, "build.py", "check", "--content", str(archive / "content")], REPO)
                result["check_seconds"] = round(check.seconds, 3)
                result["check"] = check.stdout.strip()
            results[name] = result
            print(
                f"bench.importing: {name}: {result['seconds']:.2f} s, {run.max_rss / 2**20:.0f} MiB; {result['summary']}",
                file=sys.stderr,
                flush=True,
            )
    return {"items": items_count, "html_pages": max(1, items_count // 10), "formats": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.importing", description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000, help="fact-checks in each export (default 10,000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    print(json.dumps(measure_import(args.items, args.seed), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

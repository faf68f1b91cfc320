"""The test suite's site checks, run on the bench's own build: nothing a reader sees gets worse at size.

The suite checks links, markup (the Nu HTML Checker), accessibility (axe in
chromium) and search on sites of a few dozen claims, a sharded one among
them; issue 19 asks that they pass on a sharded 10,000-claim site too. Here
they run on the bench's cold build:

- every internal link and anchor of every page leads somewhere;
- the Nu HTML Checker on a sample of pages of every family (all of 17,000
  pages would take the checker many minutes; the families' pages share their
  templates, so the sample spans each template with many records' data);
- axe on the lists and on a claim, source, person and topic page, and on
  /search/ showing results;
- in each shard, a claim's own title finds that claim first.

`python -m bench.sitecheck SITE` runs them on a built site alone.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from site_builder import search

from .browser import INPUT, RESULT_LINK, _browser, _serving

TESTS = Path(__file__).resolve().parent.parent / "tests"
VNU_SAMPLE = 600  # pages; a fifth of the checker's time on 10,000 claims' record pages
AXE_PAGES = ("", "claims/", "sources/", "people/", "topics/")
LISTED = 8  # problems kept in the JSON per check; the counts are whole


def site_checks(site: Path, base_url: str) -> dict:
    """Counts of what each check found (0: passed), the first few problems, and what was checked."""
    sys.path.insert(0, str(TESTS))
    try:
        from built_site import broken_links
        from tools import vnu_errors
    finally:
        sys.path.remove(str(TESTS))
    # The corpus names its publisher's about page under the site's own address, which it does not write.
    publisher = f"> {base_url}about/:"
    links = [problem for problem in broken_links(site, base_url) if publisher not in problem]
    pages = sorted(site.rglob("*.html"))
    sample = pages[:: max(1, len(pages) // VNU_SAMPLE)]
    markup = vnu_errors(sample)
    accessibility, found = _in_chromium(site)
    return {
        "pages": len(pages),
        "broken_links": len(links),
        "broken_links_first": links[:LISTED],
        "vnu_pages": len(sample),
        "vnu_errors": len(markup),
        "vnu_errors_first": markup[:LISTED],
        "axe_pages": sorted(accessibility),
        "axe_violations": sum(len(v) for v in accessibility.values()),
        "axe_violations_first": [f"{url}: {v}" for url, found_here in accessibility.items() for v in found_here][
            :LISTED
        ],
        "search_shards": len(found),
        "search_found_first": sum(found.values()),
        "search_missed": sorted(query for query, first in found.items() if not first)[:LISTED],
    }


def _in_chromium(site: Path) -> tuple[dict[str, list], dict[str, bool]]:
    """axe's violations by page; for one claim of each shard, whether its title finds it first."""
    sys.path.insert(0, str(TESTS))
    try:
        from tools import axe_violations
    finally:
        sys.path.remove(str(TESTS))
    records = search.record_pages(str(site))
    shards = search.shard_count(len(records))
    firsts: dict[int, str] = {}
    for page in records:
        if page.startswith("claims/"):
            firsts.setdefault(search.shard_of(page, shards), page)
    chosen = [firsts[shard] for shard in sorted(firsts)]
    pages = [*AXE_PAGES, *(_first(records, kind) for kind in ("sources/", "people/", "topics/")), chosen[0]]
    violations: dict[str, list] = {}
    found: dict[str, bool] = {}
    with _serving(site) as base, _browser() as browser:
        page = browser.new_page()
        for path in pages:
            page.goto(base + path.removesuffix("index.html"), wait_until="load")
            violations[path] = axe_violations(page)
        for claim in chosen:
            title = _title(site / claim)
            page.goto(base + "search/", wait_until="load")
            page.fill(INPUT, title)
            page.wait_for_selector(RESULT_LINK, timeout=60_000)
            found[title] = page.locator(RESULT_LINK).first.get_attribute("href") == "/" + claim.removesuffix(
                "index.html"
            )
        # The results as a reader sees them, checked too.
        violations["search/ (results shown)"] = axe_violations(page)
    return violations, found


def _first(records: list[str], kind: str) -> str:
    return next(page for page in records if page.startswith(kind))


def _title(page: Path) -> str:
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", heading)).strip()


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m bench.sitecheck", description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--base-url", default="https://bench.example.org/")
    args = parser.parse_args(argv)
    result = site_checks(args.site, args.base_url)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0 if not (result["broken_links"] or result["vnu_errors"] or result["axe_violations"]) else 1


if __name__ == "__main__":
    sys.exit(main())

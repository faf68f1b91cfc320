"""Validity: every page, link, feed and sitemap of a real and a generated archive is what it claims to be.

The Nu HTML Checker reads every page of the default archive and of a
generated one (200 claims); axe-core checks a page of each kind of the
generated one in chromium; no page holds an id twice; every internal link
and anchor resolves; Pagefind's files are written whole; the
sitemap validates against the sitemaps.org XSD (tests/schemas/sitemap.xsd)
and the Atom feed against RFC 4287's RELAX NG schema (tests/schemas/atom.rng)
plus, checked here in Python, the rules that schema leaves to Schematron and
prose.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from built_site import broken_links, html_pages
from lxml import etree
from sites import CLAIM, CLAIM_PATH, minimal_site, replaced
from test_site import DEFAULT_CONTENT, build_site
from tools import axe_violations, read_dataset, vnu_errors

from bench.corpus import generate_corpus

SCHEMAS = Path(__file__).resolve().parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DEFAULT_BASE_URL = "https://factcheck.example.org/"
CORPUS_CLAIMS = 200
# Published under a base path, which every link must carry; also moves the
# generator's publisher URL (bench.example.org/about/, a page no archive has)
# off the site.
CORPUS_BASE_URL = "https://archive.example.net/checks/"


@pytest.fixture(scope="module")
def default_site(tmp_path_factory) -> Path:
    return build_site(DEFAULT_CONTENT, tmp_path_factory.mktemp("default") / "public", search=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(CORPUS_CLAIMS, seed=11, folder=folder)
    return folder / "content"


@pytest.fixture(scope="module")
def corpus_site(corpus, tmp_path_factory) -> Path:
    return build_site(corpus, tmp_path_factory.mktemp("corpus-site") / "public", base_url=CORPUS_BASE_URL, search=True)


# -- HTML and accessibility -----------------------------------------------------


def test_every_page_of_both_archives_passes_the_nu_html_checker(default_site, corpus_site):
    assert len(list(corpus_site.rglob("*.html"))) > CORPUS_CLAIMS
    assert vnu_errors([default_site, corpus_site]) == []


def sample_pages(site: Path) -> dict[str, str]:
    """One page of each kind, the record pages with the most on them, by URL path below the site."""
    pages = {
        "home": "",
        "claims index": "claims/",
        "verdicts": "verdicts/",
        "people list": "people/",
        "corrections": "corrections/",
        "404": "404.html",
    }
    for kind, folder in (("claim", "claims"), ("source", "sources"), ("person", "people"), ("topic", "topics")):
        biggest = max((site / folder).glob("*/index.html"), key=lambda p: p.stat().st_size)
        pages[kind] = f"{folder}/{biggest.parent.name}/"
    return pages


def test_axe_finds_nothing_on_a_page_of_each_kind_of_the_generated_archive(corpus_site, chromium_browser, serve_dir):
    base = serve_dir(corpus_site, urlsplit(CORPUS_BASE_URL).path)
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        found = {}
        for kind, path in {**sample_pages(corpus_site), "search": "search/?q=the"}.items():
            page.goto(base + path)
            if kind == "search":
                page.wait_for_selector(".pagefind-ui__result")
            found[kind] = axe_violations(page)
        assert {kind: violations for kind, violations in found.items() if violations} == {}
    finally:
        context.close()


def test_a_markdown_heading_never_takes_an_id_the_page_already_uses(tmp_path):
    """A heading's id comes from its words: '## Main' must not become a second id="main" (the skip link's target)."""
    headings = "  # Main\n\n  ## Site search q\n\n  ## Text quote bridge finished\n\n  [Jane Roe]"
    minimal_site(
        tmp_path,
        {
            CLAIM_PATH: replaced(CLAIM, "  [Jane Roe]", headings),
            "content/pages/about.md": "---\ntitle: About\n---\n## Main\n\nText.\n",
        },
    )
    site = build_site(tmp_path / "content", tmp_path / "public")
    for relpath, doc in html_pages(site).items():
        repeated = [i for i, n in Counter(doc.xpath("//@id")).items() if n > 1]
        assert repeated == [], relpath
        assert [e.tag for e in doc.xpath("//*[@id='main']")] == ["main"], relpath


# -- links ------------------------------------------------------------------------


def test_every_internal_link_and_anchor_of_the_generated_archive_resolves(corpus_site):
    assert broken_links(corpus_site, CORPUS_BASE_URL) == []


def test_every_internal_link_and_anchor_of_the_default_archive_resolves(default_site):
    assert broken_links(default_site, DEFAULT_BASE_URL) == []


# -- the search index ---------------------------------------------------------------


def test_the_search_index_is_written_whole(default_site, corpus_site):
    """Pagefind's own scripts, styles and WebAssembly are the same bytes in every build, and none is cut short.

    Its indexer writes them as it quits; a build that swapped its folder in
    before they were all written would publish a broken search.
    """

    def assets(site: Path) -> dict[str, bytes]:
        return {
            p.name: p.read_bytes()
            for p in (site / "pagefind").iterdir()
            if p.is_file() and p.suffix in (".js", ".css", ".pagefind")
        }

    one, two = assets(default_site), assets(corpus_site)
    assert {"pagefind.js", "pagefind-ui.js", "pagefind-worker.js", "wasm.en.pagefind"} <= set(one)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert all(data for data in one.values())
    for name in one:
        if name.endswith(".js"):
            checked = subprocess.run(
                ["node", "--check", str(default_site / "pagefind" / name)], capture_output=True, text=True
            )
            assert checked.returncode == 0, (name, checked.stderr[-500:])
    entry = json.loads((default_site / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] > 0


# -- the sitemap ------------------------------------------------------------------


def sitemap_problems(path: Path, base_url: str) -> list[str]:
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))
    document = etree.parse(str(path))
    problems = [f"{path.name}:{e.line}: {e.message}" for e in schema.error_log] if not schema.validate(document) else []
    locs = [loc.text for loc in document.iter(f"{SITEMAP}loc")]
    problems += [f"{path.name}: {loc} is not under {base_url}" for loc in locs if not loc.startswith(base_url)]
    problems += [f"{path.name}: {loc} listed {n} times" for loc, n in Counter(locs).items() if n > 1]
    if len(locs) > 50_000 or path.stat().st_size > 50 * 1024 * 1024:
        problems.append(f"{path.name}: larger than one sitemap may be")
    return problems


def test_the_sitemaps_validate_against_the_sitemaps_org_schema(default_site, corpus_site):
    assert sitemap_problems(default_site / "sitemap.xml", DEFAULT_BASE_URL) == []
    assert sitemap_problems(corpus_site / "sitemap.xml", CORPUS_BASE_URL) == []


def test_the_sitemap_lists_every_page_a_search_engine_should_find(corpus_site):
    base = CORPUS_BASE_URL
    listed = {loc.text for loc in etree.parse(str(corpus_site / "sitemap.xml")).iter(f"{SITEMAP}loc")}
    for folder in ("claims", "sources", "people", "topics"):
        for page in (corpus_site / folder).glob("*/index.html"):
            assert f"{base}{folder}/{page.parent.name}/" in listed


# -- the Atom feed ------------------------------------------------------------------

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def atom_problems(feed: etree._ElementTree) -> list[str]:
    """RFC 4287: Appendix B's schema, then the rules it states in Schematron and prose."""
    schema = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    problems = [f"line {e.line}: {e.message}" for e in schema.error_log] if not schema.validate(feed) else []
    root = feed.getroot()
    entries = root.findall(f"{ATOM}entry")
    if not root.findall(f"{ATOM}author") and not all(e.findall(f"{ATOM}author") for e in entries):
        problems.append("4.1.1: the feed has no author and not every entry has one")
    if not [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]:
        problems.append("4.1.1: the feed has no link rel=self")
    for element in [root, *entries]:
        where = "the feed" if element is root else f"entry {element.findtext(f'{ATOM}id')}"
        alternates = [
            (link.get("type"), link.get("hreflang"))
            for link in element.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if len(alternates) != len(set(alternates)):
            problems.append(f"4.1.1/4.1.2: {where} has two alternate links of one type and language")
        identifier = element.findtext(f"{ATOM}id") or ""
        if not urlsplit(identifier).scheme or re.search(r"\s", identifier):
            problems.append(f"4.2.6: {where}'s id {identifier!r} is not an absolute IRI")
        for name in ("updated", "published"):
            for date in element.findall(f"{ATOM}{name}"):
                if not RFC3339.match(date.text or ""):
                    problems.append(f"3.3: {where}'s {name} {date.text!r} is not an RFC 3339 date-time")
    for entry in entries:
        where = f"entry {entry.findtext(f'{ATOM}id')}"
        if entry.find(f"{ATOM}content") is None and not [
            link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"
        ]:
            problems.append(f"4.1.2: {where} has neither content nor an alternate link")
        content = entry.find(f"{ATOM}content")
        if content is not None and content.get("src") is not None and entry.find(f"{ATOM}summary") is None:
            problems.append(f"4.1.2: {where} has out-of-line content and no summary")
        if (entry.findtext(f"{ATOM}updated") or "") > (root.findtext(f"{ATOM}updated") or ""):
            problems.append(f"4.2.15: {where} was updated after the feed")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    problems += [f"4.2.6: id {i} on {n} entries" for i, n in Counter(ids).items() if n > 1]
    return problems


def test_the_feeds_follow_rfc_4287(default_site, corpus_site):
    assert atom_problems(etree.parse(str(default_site / "feed.xml"))) == []
    assert atom_problems(etree.parse(str(corpus_site / "feed.xml"))) == []


def test_every_feed_entry_is_a_claim_of_the_archive(corpus_site):
    feed = etree.parse(str(corpus_site / "feed.xml")).getroot()
    dataset = read_dataset(corpus_site)
    entries = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert entries and set(entries) <= {c["url"] for c in dataset["claims"]}


BROKEN_FEEDS = {
    "no id": ("<id>https://x.example/</id>", ""),
    "a date without a time zone": ("<updated>2021-09-20T00:00:00Z</updated>", "<updated>2021-09-20T00:00:00</updated>"),
    "no author anywhere": ("<author><name>Checkers</name></author>", ""),
    "two alternate links": (
        '<link rel="alternate" type="text/html" href="https://x.example/"/>',
        '<link rel="alternate" type="text/html" href="https://x.example/"/>'
        '<link type="text/html" href="https://x.example/2"/>',
    ),
    "a relative entry id": ("<id>https://x.example/claims/a/</id>", "<id>claims/a/</id>"),
    "an element the format does not have": (
        "<title>Checks</title>",
        "<title>Checks</title><atom:colour xmlns:atom='http://www.w3.org/2005/Atom'>red</atom:colour>",
    ),
}
GOOD_FEED = """<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>https://x.example/</id><title>Checks</title>
<link rel="alternate" type="text/html" href="https://x.example/"/>
<link rel="self" type="application/atom+xml" href="https://x.example/feed.xml"/>
<updated>2021-09-20T00:00:00Z</updated><author><name>Checkers</name></author>
<entry><id>https://x.example/claims/a/</id><title>A</title><link href="https://x.example/claims/a/"/>
<updated>2021-09-19T00:00:00Z</updated><content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry>
</feed>"""


@pytest.mark.parametrize("mistake", BROKEN_FEEDS)
def test_the_feed_checks_catch_each_kind_of_mistake(mistake):
    old, new = BROKEN_FEEDS[mistake]
    assert atom_problems(etree.ElementTree(etree.fromstring(GOOD_FEED))) == []
    assert GOOD_FEED.count(old) == 1
    broken = etree.ElementTree(etree.fromstring(GOOD_FEED.replace(old, new)))
    assert atom_problems(broken) != []


def test_the_sitemap_check_catches_a_relative_location(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>claims/a/</loc>'
        "<lastmod>2021-09-20</lastmod></url></urlset>"
    )
    assert sitemap_problems(path, "https://x.example/") != []

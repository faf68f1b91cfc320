"""The reader's site, checked on built output.

Each test builds a real archive (the default one, or a small one written
inline below) with the pipeline and then parses what came out: HTML with lxml,
JSON-LD, the Atom feed, the sitemap and the dataset. Browser checks (axe, the
Nu checker) live in test_site_browser.py and test_search_browser.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import lxml.html
import pytest
import yaml
from built_site import broken_links, html_pages  # noqa: F401 (other test modules import them from here)
from lxml import etree
from sites import CLAIM, CLAIM_PATH, TOPIC_PATH, minimal_site, replaced
from tools import read_dataset
from trust import site_differences, site_files

from site_builder.dataset import LISTS
from site_builder.pipeline import BuildOptions, build

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT = REPO_ROOT / "content"
BASE_PATH_URL = "https://example.org/archive/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RECORD_KINDS = {"claims", "sources", "people", "topics"}


# -- building and reading sites ------------------------------------------------


def build_site(content: Path, out: Path, base_url: str | None = None, search: bool = False) -> Path:
    # In a thread of its own: once a browser test has started Playwright, its
    # sync API keeps an event loop running in this thread, and the indexer's
    # asyncio.run refuses to start inside a running loop.
    options = BuildOptions(content_dir=str(content), out_dir=str(out), base_url=base_url, search=search)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(build, options).result()
    return out


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (path below root -> text) and return the content folder."""
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root / "content"


def page_kind(relpath: str) -> str:
    """'claims/x/index.html' -> 'claims'; indexes and other pages -> their own name."""
    parts = relpath.split("/")
    if len(parts) == 3 and parts[0] in RECORD_KINDS:
        return parts[0]
    return relpath


def json_ld(doc) -> list[dict]:
    return [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]


def section_links(doc, heading: str) -> list[str]:
    """hrefs of the claim-title links in the section under the h2 `heading`."""
    return doc.xpath(f"//section[h2[normalize-space()='{heading}']]//ul[@class='cards']/li/*[1]/a/@href")


# -- a small archive written inline ---------------------------------------------

SMALL_SITE = {
    "content/site.yaml": """
        title: Harbour Town Fact-Check
        base_url: https://checks.example.net/
        description: Checks of claims about an imaginary harbour town.
        publisher:
          name: Example Fact-Checkers
          url: https://checks.example.net/about/
        """,
    "content/people/jane-roe.yaml": """
        name: Jane Roe
        description: Harbour minister in an imaginary town.
        affiliation: harbour-party
        url: https://jane-roe.example.org/
        same_as:
          - https://www.wikidata.org/wiki/Q4115189
        """,
    "content/people/harbour-party.yaml": """
        name: Harbour Party
        kind: organization
        description: An imaginary political party.
        """,
    "content/people/john-doe.yaml": """
        name: John Doe
        """,
    "content/sources/harbour-statement.yaml": """
        title: Statement on the harbour bridge
        kind: statement
        publisher: Example Ministry
        url: https://ministry.example.org/statement
        archive_url: https://archive.example.org/statement
        published: 2021-09-04
        text: archive/harbour-statement.txt
        quotes:
          - id: bridge-finished
            speaker: jane-roe
            date: 2021-09-04
            text: The new bridge was finished in March, two months early.
            context: Said at the opening of the bridge.
          - id: ferry-free
            speaker: john-doe
            text: The ferry will stay free … for every resident
        """,
    "archive/harbour-statement.txt": """
        Example Ministry, press office.

        Minister Jane Roe said: "The new bridge was finished in March, two months
        early. It cost less than planned."

        John Doe added: "The ferry will stay free, as it always was, for every resident."
        """,
    "content/sources/radio-interview.yaml": """
        title: Morning radio interview
        kind: interview
        quotes:
          - id: tolls
            speaker: john-doe
            text: The bridge was finished late and the tolls doubled.
        """,
    "content/claims/bridge-early.yaml": """
        claim: The harbour bridge was finished two months early.
        claimant: jane-roe
        date: 2021-09-04
        verdict: mostly-true
        summary: The bridge opened in March, six weeks before the planned date.
        analysis: |
          ## What the records say

          [Jane Roe](person:jane-roe) said so in a
          [statement](source:harbour-statement#bridge-finished)[^plan].
          [John Doe](person:john-doe) [disagreed](claim:bridge-late); see the
          [radio interview](source:radio-interview) and the topic
          [bridges](topic:bridges).

          - The plan said May.
          - It opened in March.

          | Date | Event |
          | --- | --- |
          | March | Opening |

          [^plan]: The building plan, page 4.
        reviewed: 2021-09-20
        updated: 2021-10-01
        quotes:
          - harbour-statement#bridge-finished
        appearances:
          - harbour-statement
        topics:
          - bridges
          - harbour
        corrections:
          - date: 2021-10-01
            note: The opening month was first given as April.
        """,
    "content/claims/bridge-late.yaml": """
        claim: The harbour bridge was finished late.
        claimant: john-doe
        date: 2021-09-05
        verdict: "false"
        summary: The records show it opened early.
        analysis: The [records](claim:bridge-early) show otherwise.
        reviewed: 2021-09-21
        quotes:
          - radio-interview#tolls
        counterclaims:
          - bridge-early
        topics:
          - bridges
        """,
    "content/claims/ferry-free.yaml": """
        claim: The ferry will stay free for every resident.
        claimant: harbour-party
        date: 2021-09-04
        verdict: unproven
        summary: No budget for the ferry has been published.
        analysis: Nothing in the [statement](source:harbour-statement#ferry-free) says how.
        reviewed: 2021-09-22
        quotes:
          - harbour-statement#ferry-free
        """,
    "content/claims/bridge-early-fa.yaml": """
        claim: پل بندر دو ماه زودتر تمام شد.
        claimant: jane-roe
        date: 2021-09-04
        verdict: opinion
        summary: این یک ادعای آزمایشی است.
        analysis: این یک ادعای آزمایشی است.
        reviewed: 2021-09-19
        language: fa
        """,
    "content/topics/bridges.yaml": """
        title: Bridges
        description: Bridges of the imaginary harbour town.
        """,
}


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("small")
    return build_site(write_site(root, SMALL_SITE), root / "public")


@pytest.fixture(scope="module")
def default_site(tmp_path_factory) -> Path:
    return build_site(DEFAULT_CONTENT, tmp_path_factory.mktemp("default") / "public", search=True)


def small_yaml(relpath: str) -> dict:
    return yaml.safe_load(textwrap.dedent(SMALL_SITE[relpath]))


# -- links ---------------------------------------------------------------------


def test_every_internal_link_of_the_default_archive_resolves(default_site):
    assert broken_links(default_site, "https://factcheck.example.org/") == []


def test_every_internal_link_resolves_under_a_base_path(tmp_path):
    site = build_site(DEFAULT_CONTENT, tmp_path / "public", base_url=BASE_PATH_URL, search=True)
    assert broken_links(site, BASE_PATH_URL) == []
    small = build_site(write_site(tmp_path / "small", SMALL_SITE), tmp_path / "small-public", base_url=BASE_PATH_URL)
    assert broken_links(small, BASE_PATH_URL) == []


def test_link_checker_catches_a_missing_base_path_and_a_missing_anchor(small_site, tmp_path):
    page = small_site / "claims/bridge-late/index.html"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(
            original.replace(
                "</main>", '<a href="/archive/claims/">x</a><a href="/claims/bridge-early/#nowhere">y</a></main>'
            ),
            encoding="utf-8",
        )
        problems = broken_links(small_site, "https://checks.example.net/")
    finally:
        page.write_text(original, encoding="utf-8")
    assert any("no file archive/claims/index.html" in p for p in problems)
    assert any("no element with id 'nowhere'" in p for p in problems)


def test_analysis_markdown_keeps_headings_lists_tables_footnotes_and_internal_links(small_site):
    doc = html_pages(small_site)["claims/bridge-early/index.html"]
    analysis = doc.xpath("//section[contains(@class, 'analysis')]")[0]
    assert analysis.xpath(".//h3[normalize-space()='What the records say']")
    assert len(analysis.xpath(".//ul/li")) >= 2
    assert analysis.xpath(".//table//td[normalize-space()='Opening']")
    assert analysis.xpath(".//a[starts-with(@href, '#fn')]") and analysis.xpath(".//*[starts-with(@id, 'fn')]")
    hrefs = set(analysis.xpath(".//a/@href"))
    assert {
        "/people/jane-roe/",
        "/claims/bridge-late/",
        "/sources/radio-interview/",
        "/topics/bridges/",
        "/sources/harbour-statement/#quote-bridge-finished",
    } <= hrefs


# -- claim pages ---------------------------------------------------------------


def test_counterclaims_show_on_both_pages_whichever_side_names_them(small_site):
    pages = html_pages(small_site)
    assert section_links(pages["claims/bridge-late/index.html"], "Counterclaims") == ["/claims/bridge-early/"]
    assert section_links(pages["claims/bridge-early/index.html"], "Counterclaims") == ["/claims/bridge-late/"]
    assert section_links(pages["claims/ferry-free/index.html"], "Counterclaims") == []


def test_each_quote_links_to_its_place_on_the_source_page_and_in_the_archived_text(small_site):
    pages = html_pages(small_site)
    checked = 0
    for relpath, doc in pages.items():
        if page_kind(relpath) != "claims":
            continue
        for figure in doc.xpath("//figure[contains(@class, 'quote')]"):
            quote_text = figure.xpath("normalize-space(blockquote)")
            source_href = figure.xpath(".//a[contains(@href, '#quote-')]/@href")[0]
            path, anchor = source_href.split("#")
            target = pages[path.lstrip("/") + "index.html"].xpath(f"//*[@id='{anchor}']")
            assert len(target) == 1 and target[0].tag == "figure", source_href
            assert target[0].xpath("normalize-space(blockquote)") == quote_text
            for href in figure.xpath(".//a[contains(@href, '#text-quote-')]/@href"):
                path, anchor = href.split("#")
                marks = pages[path.lstrip("/") + "index.html"].xpath(f"//mark[@id='{anchor}']")
                assert len(marks) == 1, href
                checked += 1
    assert checked >= 2  # quotes with archived text on bridge-early and ferry-free


def test_claim_page_shows_each_quote_once_with_its_context_a_click_away(small_site):
    doc = html_pages(small_site)["claims/ferry-free/index.html"]
    text = "The ferry will stay free … for every resident"
    assert doc.xpath("normalize-space(//main)").count(text) == 1
    [link] = doc.xpath("//p[contains(@class, 'in-context')]/a")
    assert link.get("href") == "/sources/harbour-statement/#text-quote-ferry-free"


def test_claim_page_carries_verdict_as_words_dates_topics_and_corrections(small_site):
    doc = html_pages(small_site)["claims/bridge-early/index.html"]
    assert doc.xpath("normalize-space(//h1)") == "The harbour bridge was finished two months early."
    badge = doc.xpath("//section[contains(@class, 'verdict-panel')]//a[contains(@class, 'verdict')]")[0]
    # The label first, the place after the pips, styled by their places (site.css, .verdict > :first-child).
    assert badge.xpath("normalize-space(*[1])") == "Mostly true"
    assert (
        badge.xpath("normalize-space(*[contains(@class, 'pips')]/following-sibling::*)")
        == "(4 of 5 on the rating scale)"
    )
    assert doc.xpath("//header[@class='record-header']/p[@class='byline']/a/@href") == ["/people/jane-roe/"]
    assert doc.xpath("//header[@class='record-header']//time/@datetime") == ["2021-09-04"]
    assert doc.xpath("//dl[@class='facts']//time/@datetime") == ["2021-09-20", "2021-10-01"]
    assert doc.xpath("//dd//a[@data-pagefind-filter='topic']/text()") == ["Bridges", "Harbour"]
    corrections = doc.xpath("//section[h2='Corrections']//li")
    assert [c.text_content() for c in corrections] == ["1 October 2021: The opening month was first given as April."]


def test_an_unrated_badge_names_its_verdict_and_the_scale_page_says_what_unrated_means(small_site):
    pages = html_pages(small_site)
    badge = pages["claims/ferry-free/index.html"].xpath(
        "//section[contains(@class, 'verdict-panel')]//a[contains(@class, 'verdict')]"
    )[0]
    assert " ".join(badge.text_content().split()) == "Unproven"
    assert len(badge) == 1 and not badge.xpath(".//*[contains(@class, 'pips')]")
    entry = pages["verdicts/index.html"].xpath("//section[@id='verdict-unproven']")[0]
    assert "no place on the rating scale" in entry.xpath("normalize-space(p[@class='unrated-note'])")
    assert not pages["verdicts/index.html"].xpath("//section[@id='verdict-true']/p[@class='unrated-note']")


def test_right_to_left_claim_sets_language_and_direction(small_site):
    pages = html_pages(small_site)
    doc = pages["claims/bridge-early-fa/index.html"]
    assert (doc.get("lang"), doc.get("dir")) == ("fa", "rtl")
    # The claim's own words are Persian, right to left; the labels around them stay English.
    for chrome in doc.xpath("//header[contains(@class, 'site-header')] | //article | //footer"):
        assert (chrome.get("lang"), chrome.get("dir")) == ("en", "ltr")
    for words in doc.xpath("//h1 | //p[@class='summary'] | //section[contains(@class, 'analysis')]/div"):
        assert (words.get("lang"), words.get("dir")) == ("fa", "rtl")
    card = pages["people/jane-roe/index.html"].xpath("//a[@href='/claims/bridge-early-fa/' and ancestor::h3]")[0]
    assert (card.get("lang"), card.get("dir")) == ("fa", "rtl")


# -- source, person and list pages ---------------------------------------------------


def test_source_page_marks_every_quote_in_its_archived_text(small_site):
    doc = html_pages(small_site)["sources/harbour-statement/index.html"]
    assert doc.xpath("//figure[@id='quote-bridge-finished']") and doc.xpath("//figure[@id='quote-ferry-free']")
    marked = doc.xpath("//div[@class='archived-text']//mark[@id='text-quote-bridge-finished']")
    assert (
        marked
        and " ".join(marked[0].text_content().split()) == "The new bridge was finished in March, two months early."
    )
    # The omission splits the quote into two marks; only the first carries the id.
    assert len(doc.xpath("//div[@class='archived-text']//mark")) == 3
    cited_by = doc.xpath(
        "//figure[@id='quote-bridge-finished']//div[@class='cited-by']//a[not(contains(@class, 'verdict'))]/@href"
    )
    assert cited_by == ["/claims/bridge-early/"]
    assert doc.xpath("//dd/a/@href") == [
        "https://ministry.example.org/statement",
        "https://archive.example.org/statement",
        "/sources/harbour-statement/harbour-statement.txt",
    ]


def test_person_page_has_scorecard_affiliation_links_and_quotes(small_site):
    pages = html_pages(small_site)
    jane = pages["people/jane-roe/index.html"]
    rows = [
        tuple(" ".join(td.text_content().split()) for td in tr.xpath("td"))
        for tr in jane.xpath("//table[@class='tally']/tbody/tr")
    ]
    assert rows == [("Mostly true (4 of 5 on the rating scale)", "1", "50%"), ("Not a factual claim", "1", "50%")]
    assert jane.xpath("//dd/a/@href")[:2] == ["/people/harbour-party/", "https://jane-roe.example.org/"]
    assert "https://www.wikidata.org/wiki/Q4115189" in jane.xpath("//dd//a/@href")
    assert jane.xpath("//figure[contains(@class, 'quote')]//a[contains(@href, '#quote-bridge-finished')]")
    party = pages["people/harbour-party/index.html"]
    assert party.xpath("//dt[.='Members in this archive']/following-sibling::dd//a/@href") == ["/people/jane-roe/"]


def test_claims_index_lists_newest_review_first_and_groups(small_site):
    pages = html_pages(small_site)
    doc = pages["claims/index.html"]
    newest = doc.xpath("//section[h2='Newest first']//h3/a/@href")
    assert newest == [
        "/claims/ferry-free/",
        "/claims/bridge-late/",
        "/claims/bridge-early/",
        "/claims/bridge-early-fa/",
    ]
    assert doc.xpath("//li[@id='verdict-false']/a/@href") == ["/claims/verdict/false/"]
    assert doc.xpath("//li[@id='claimant-jane-roe']/a/@href") == ["/people/jane-roe/"]
    assert doc.xpath("//li[@id='topic-harbour']/a/@href") == ["/topics/harbour/"]
    false_claims = pages["claims/verdict/false/index.html"].xpath("//section[h2='Newest first']//h3/a/@href")
    assert false_claims and all(
        pages[u.strip("/") + "/index.html"].xpath("normalize-space(//*[@data-pagefind-filter='verdict'])") == "False"
        for u in false_claims
    )


def test_long_claim_lists_are_cut_into_linked_pages(tmp_path):
    from sites import minimal_site

    from site_builder.pages.views import CLAIMS_PER_PAGE

    site = minimal_site(tmp_path)
    original = next((site.root / "content/claims").glob("*.yaml")).read_text(encoding="utf-8")
    for n in range(CLAIMS_PER_PAGE * 2 + 1):
        (site.root / f"content/claims/copy-{n}.yaml").write_text(original, encoding="utf-8")
    assert site.run("build").code == 0
    out = site.root / "public"
    first = lxml.html.parse(str(out / "claims/index.html")).getroot()
    third = lxml.html.parse(str(out / "claims/page/3/index.html")).getroot()
    assert len(first.xpath("//section[h2='Newest first']//ul[@class='cards']/li")) == CLAIMS_PER_PAGE
    assert len(third.xpath("//section[h2='Newest first']//ul[@class='cards']/li")) == 2
    assert first.xpath("//nav[@class='pager']//a[@rel='next']/@href") == ["/claims/page/2/"]
    assert third.xpath("//nav[@class='pager']//a[@aria-current='page']/text()") == ["3"]
    assert not (out / "claims/page/4").exists()


def test_a_long_list_links_its_ends_and_its_neighbours_and_every_page_is_reachable(tmp_path, monkeypatch):
    from sites import minimal_site

    import site_builder.pages.views as views
    from site_builder.pipeline import BuildOptions, build

    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 2)
    monkeypatch.setattr(views, "ITEMS_PER_PAGE", 1)
    site = minimal_site(tmp_path)
    original = next((site.root / "content/claims").glob("*.yaml")).read_text(encoding="utf-8")
    for n in range(20):
        (site.root / f"content/claims/copy-{n:02}.yaml").write_text(original, encoding="utf-8")
    person = (site.root / "content/people/jane-roe.yaml").read_text(encoding="utf-8")
    for n in range(3):
        (site.root / f"content/people/person-{n}.yaml").write_text(person, encoding="utf-8")
    build(BuildOptions(content_dir=str(site.root / "content"), out_dir=str(site.root / "public"), search=False))
    out = site.root / "public"

    def pager(path: str) -> list[str]:
        doc = lxml.html.parse(str(out / path / "index.html")).getroot()
        return [li.text_content().strip() for li in doc.xpath("//nav[@class='pager']//li")]

    # 21 claims, 2 to a page: 11 pages; page 6 links the first, the last and two on either side.
    assert pager("claims/page/6") == ["Newer", "1", "…", "4", "5", "6", "7", "8", "…", "11", "Older"]
    assert pager("claims") == ["1", "2", "3", "…", "11", "Older"]
    assert pager("claims/page/3") == ["Newer", "1", "2", "3", "4", "5", "…", "11", "Older"]  # no gap of one page
    # Following the pagers from the first page reaches every page, and every link leads to a page.
    seen, todo = set(), ["/claims/"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        doc = lxml.html.parse(str(out / url.strip("/") / "index.html")).getroot()
        todo += doc.xpath("//nav[@class='pager']//a/@href")
    assert seen == {"/claims/"} | {f"/claims/page/{n}/" for n in range(2, 12)}
    # An index of people, one to a page, lists each person once across its pages, with a pager of numbers only.
    people = sorted(p.stem for p in (site.root / "content/people").glob("*.yaml"))
    listed = []
    for n in range(1, len(people) + 1):
        doc = lxml.html.parse(str(out / ("people" if n == 1 else f"people/page/{n}") / "index.html")).getroot()
        listed += [href.strip("/").split("/")[-1] for href in doc.xpath("//ul[@class='index-list']//a/@href")]
        assert "Newer" not in pager("people" if n == 1 else f"people/page/{n}")
    assert len(people) == 4 and sorted(listed) == people
    assert not (out / f"people/page/{len(people) + 1}").exists()


def test_a_records_feed_holds_its_newest_claims_and_the_site_feed_more(tmp_path, monkeypatch):
    from lxml import etree
    from sites import minimal_site

    import site_builder.feeds as feeds
    from site_builder.pipeline import BuildOptions, build

    monkeypatch.setattr(feeds, "FEED_ENTRIES", 4)
    monkeypatch.setattr(feeds, "RECORD_FEED_ENTRIES", 2)
    site = minimal_site(tmp_path)
    original = next((site.root / "content/claims").glob("*.yaml")).read_text(encoding="utf-8")
    assert "reviewed: " in original and "claimant: jane-roe" in original
    for day in range(1, 7):  # reviewed on the 1st to the 6th: the 6th is the newest
        text = re.sub(r"reviewed: \S+", f"reviewed: 2024-03-0{day}", original)
        (site.root / f"content/claims/copy-{day}.yaml").write_text(text, encoding="utf-8")
    build(BuildOptions(content_dir=str(site.root / "content"), out_dir=str(site.root / "public"), search=False))

    def entries(path: str) -> list[str]:
        root = etree.parse(str(site.root / "public" / path)).getroot()
        return [
            e.findtext("{http://www.w3.org/2005/Atom}id").rstrip("/").rsplit("/", 1)[-1]
            for e in root.findall("{http://www.w3.org/2005/Atom}entry")
        ]

    assert entries("people/jane-roe/feed.xml") == ["copy-6", "copy-5"]
    assert entries("feed.xml") == ["copy-6", "copy-5", "copy-4", "copy-3"]


def test_verdict_scale_page_explains_every_verdict(small_site):
    doc = html_pages(small_site)["verdicts/index.html"]
    ids = doc.xpath("//section[contains(@class, 'verdict-entry')]/@id")
    assert ids == [
        f"verdict-{v}"
        for v in ("true", "mostly-true", "half-true", "mostly-false", "false", "unproven", "disputed", "opinion")
    ]


def test_home_page_shows_latest_and_counts(small_site):
    doc = html_pages(small_site)["index.html"]
    assert (
        doc.xpath("normalize-space(//p[@class='stats'])")
        == "4 fact-checks, drawn from 2 sources holding 3 original quotes."
    )
    assert len(doc.xpath("//section[h2='Latest fact-checks']//ul[@class='cards']/li")) == 4


# -- every page ---------------------------------------------------------------


def test_every_page_has_one_h1_language_landmarks_and_metadata(default_site):
    for relpath, doc in html_pages(default_site).items():
        assert len(doc.xpath("//h1")) == 1, relpath
        assert doc.get("lang"), relpath
        assert len(doc.xpath("//main[@id='main']")) == 1 and doc.xpath("//a[@href='#main']"), relpath
        assert doc.xpath("//header//nav") and doc.xpath("//footer"), relpath
        form = doc.xpath("//header//form[@role='search']")[0]
        assert form.get("method") == "get" and form.xpath(".//input[@name='q']/@id") == form.xpath(".//label/@for"), (
            relpath
        )
        for name in ("og:title", "og:description", "og:url", "og:type"):
            assert doc.xpath(f"//meta[@property='{name}']/@content"), (relpath, name)
        for name in ("twitter:card", "description"):
            assert doc.xpath(f"//meta[@name='{name}']/@content"), (relpath, name)
        # X falls back to og:title, og:description and og:image: their copies were 0.5 KB a page.
        for name in ("twitter:title", "twitter:description", "twitter:image"):
            assert not doc.xpath(f"//meta[@name='{name}']"), (relpath, name)
        csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert csp and "script-src 'self' 'wasm-unsafe-eval';" in csp[0] and "object-src 'none'" in csp[0], relpath


def test_nothing_loads_from_another_host(default_site):
    for relpath, doc in html_pages(default_site).items():
        for url in doc.xpath("//script/@src | //link[@rel='stylesheet' or @rel='icon']/@href | //img/@src"):
            assert url.startswith("/") and not url.startswith("//"), (relpath, url)
    assert "@import" not in (default_site / "assets/site.css").read_text(encoding="utf-8")
    assert "url(" not in (default_site / "assets/site.css").read_text(encoding="utf-8")


def test_only_record_pages_are_search_records(default_site):
    for relpath, doc in html_pages(default_site).items():
        bodies = doc.xpath("//*[@data-pagefind-body]")
        assert len(bodies) == (1 if page_kind(relpath) in RECORD_KINDS else 0), relpath


def test_claim_pages_carry_search_filters_meta_and_sort(small_site):
    doc = html_pages(small_site)["claims/bridge-early/index.html"]
    body = doc.xpath("//*[@data-pagefind-body]")[0]
    filters = body.xpath(".//@data-pagefind-filter")
    assert {"verdict", "claimant", "topic", "language:en", "year:2021"} <= set(filters)
    assert filters.count("topic") == 2
    # lang: the search page marks each result with its page's language (assets/search.js).
    # tone: the search page draws each result's verdict as its badge.
    assert set(body.xpath(".//@data-pagefind-meta")) == {"title", "verdict", "claimant", "lang:en", "tone:scale-4"}
    assert set(body.xpath(".//@data-pagefind-sort")) == {"date[datetime]", "reviewed[datetime]"}
    assert doc.xpath("normalize-space(//*[@data-pagefind-filter='verdict'])") == "Mostly true"
    source = html_pages(small_site)["sources/harbour-statement/index.html"]
    assert source.xpath("normalize-space(//*[@data-pagefind-filter='source kind'])") == "Statement"


def test_search_page_loads_pagefind_from_this_site_and_works_without_script_as_a_link(tmp_path):
    site = build_site(DEFAULT_CONTENT, tmp_path / "public", base_url=BASE_PATH_URL)
    doc = html_pages(site)["search/index.html"]
    assert doc.xpath("//link[@rel='stylesheet']/@href") == [
        "/archive/assets/site.css",
        "/archive/pagefind/pagefind-ui.css",
        "/archive/assets/search.css",
    ]
    assert doc.xpath("//script/@src") == ["/archive/pagefind/pagefind-ui.js", "/archive/assets/search.js"]
    assert not doc.xpath("//script[not(@src)]")
    assert doc.xpath("//noscript//a/@href") == ["/archive/claims/"]
    assert doc.xpath("//div[@id='search']/@data-bundle-path") == ["/archive/pagefind/"]
    assert doc.xpath("//header//form/@action") == ["/archive/search/"]


# -- data for machines ----------------------------------------------------------------


def test_claim_review_json_ld_for_a_rated_verdict(small_site):
    doc = html_pages(small_site)["claims/bridge-early/index.html"]
    [data] = json_ld(doc)
    assert data["@context"] == "https://schema.org" and data["@type"] == "ClaimReview"
    assert data["url"] == "https://checks.example.net/claims/bridge-early/"
    assert data["claimReviewed"] == "The harbour bridge was finished two months early."
    assert data["datePublished"] == "2021-09-20" and data["dateModified"] == "2021-10-01"
    assert data["author"] == {
        "@type": "Organization",
        "name": "Example Fact-Checkers",
        "url": "https://checks.example.net/about/",
    }
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly true",
    }
    item = data["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2021-09-04"
    assert item["author"]["@type"] == "Person" and item["author"]["name"] == "Jane Roe"
    assert item["author"]["sameAs"] == ["https://www.wikidata.org/wiki/Q4115189"]
    [appearance] = item["appearance"]
    copy = appearance.pop("archivedAt")
    assert appearance == {
        "@type": "CreativeWork",
        "url": "https://ministry.example.org/statement",
        "name": "Statement on the harbour bridge",
        "datePublished": "2021-09-04",
    }
    published = small_site / "sources/harbour-statement/harbour-statement.txt"
    assert copy == {
        "@type": "MediaObject",
        "encodingFormat": "text/plain",
        "contentUrl": "https://checks.example.net/sources/harbour-statement/harbour-statement.txt",
        "sha256": hashlib.sha256(published.read_bytes()).hexdigest(),
    }


def test_claim_review_json_ld_for_an_unrated_verdict_and_an_organisation(small_site):
    [data] = json_ld(html_pages(small_site)["claims/ferry-free/index.html"])
    assert data["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}
    assert data["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Harbour Party",
        "url": "https://checks.example.net/people/harbour-party/",
    }
    assert "dateModified" not in data
    # No appearances listed: the source of its quote is where it appeared.
    assert [a["url"] for a in data["itemReviewed"]["appearance"]] == ["https://ministry.example.org/statement"]


def test_json_ld_only_on_claim_pages_and_one_each(default_site):
    for relpath, doc in html_pages(default_site).items():
        expected = 1 if page_kind(relpath) == "claims" else 0
        assert len(json_ld(doc)) == expected, relpath


def test_feed_lists_every_claim_newest_first_with_content_dates(small_site):
    feed = etree.parse(str(small_site / "feed.xml")).getroot()
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert ids == [
        f"https://checks.example.net/claims/{s}/"
        for s in ("bridge-early", "ferry-free", "bridge-late", "bridge-early-fa")
    ]
    assert updated == ["2021-10-01T00:00:00Z", "2021-09-22T00:00:00Z", "2021-09-21T00:00:00Z", "2021-09-19T00:00:00Z"]
    assert feed.findtext(f"{ATOM}updated") == "2021-10-01T00:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://checks.example.net/feed.xml"
    # A correction's note follows the summary, so feed readers see what changed.
    assert entries[0].findtext(f"{ATOM}summary") == (
        "Mostly true: The bridge opened in March, six weeks before the planned date."
        " Corrected 1 October 2021: The opening month was first given as April."
    )
    content = lxml.html.fragment_fromstring(entries[0].findtext(f"{ATOM}content"), create_parent="div")
    assert content.xpath("//h3[.='What the records say']")


def test_a_records_feed_gives_each_claim_its_summary_and_link_not_its_analysis(small_site):
    # Issue 19: a topic's or a person's feed is one of hundreds; the analysis whole was 80% of each entry.
    site_feed = etree.parse(str(small_site / "feed.xml")).getroot()
    analyses = {e.findtext(f"{ATOM}id"): e.findtext(f"{ATOM}content") for e in site_feed.iter(f"{ATOM}entry")}
    feeds = sorted(small_site.glob("*/*/feed.xml"))
    assert feeds
    for path in feeds:
        entries = etree.parse(str(path)).getroot().findall(f"{ATOM}entry")
        assert entries, path
        for entry in entries:
            url = entry.findtext(f"{ATOM}id")
            assert analyses[url], url  # the site's feed still carries it
            assert entry.find(f"{ATOM}content") is None, (path, url)
            assert entry.findtext(f"{ATOM}summary").strip(), (path, url)
            assert [link.get("href") for link in entry.findall(f"{ATOM}link[@rel='alternate']")] == [url]


def test_sitemap_and_robots_list_every_page_with_absolute_urls(default_site):
    urls = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in etree.parse(str(default_site / "sitemap.xml")).getroot()
    }
    claims = sorted(p.name for p in (DEFAULT_CONTENT / "claims").glob("*.yaml"))
    for name in claims:
        assert f"https://factcheck.example.org/claims/{name[:-5]}/" in urls
    for url in urls:
        relpath = url.removeprefix("https://factcheck.example.org/")
        assert (default_site / relpath / "index.html").is_file() or (default_site / relpath).is_file(), url
    assert "https://factcheck.example.org/404.html" not in urls and "https://factcheck.example.org/search/" not in urls
    robots = (default_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://factcheck.example.org/sitemap.xml" in robots.splitlines()


def test_dataset_round_trips_every_claim(small_site):
    data = read_dataset(small_site)
    assert data["format"] == "fact-check-archive" and data["version"] == 3
    claims = {c["slug"]: c for c in data["claims"]}
    assert set(claims) == {p.split("/")[-1][:-5] for p in SMALL_SITE if p.startswith("content/claims/")}
    for slug, claim in claims.items():
        written = small_yaml(f"content/claims/{slug}.yaml")
        assert claim["claim"] == written["claim"].strip()
        assert claim["claimant"] == written["claimant"]
        assert claim["date"] == written["date"].isoformat() and claim["reviewed"] == written["reviewed"].isoformat()
        assert claim["updated"] == (written["updated"].isoformat() if "updated" in written else None)
        assert claim["verdict"]["id"] == str(written["verdict"]).lower()
        assert claim["summary"] == written["summary"].strip()
        assert claim["analysis"]["markdown"] == written["analysis"].strip()
        assert [f"{q['source']}#{q['id']}" for q in claim["quotes"]] == written.get("quotes", [])
        assert claim["appearances"] == written.get("appearances", [])
        assert claim["topics"] == written.get("topics", [])
        assert claim["language"] == written.get("language", "en")
        assert claim["corrections"] == [
            {"date": c["date"].isoformat(), "note": c["note"]} for c in written.get("corrections", [])
        ]
    assert claims["bridge-early"]["counterclaims"] == ["bridge-late"] and claims["bridge-late"]["counterclaims"] == [
        "bridge-early"
    ]
    assert claims["bridge-early"]["verdict"] == {"id": "mostly-true", "label": "Mostly true", "rating": 4}
    sources = {s["slug"]: s for s in data["sources"]}
    quote = sources["harbour-statement"]["quotes"][0]
    start, end = quote["positions"][0]
    assert sources["harbour-statement"]["text"][start:end].split() == quote["text"].split()
    assert quote["cited_by"] == ["bridge-early"]
    assert {p["slug"] for p in data["people"]} == {"jane-roe", "harbour-party", "john-doe"}
    assert {t["slug"] for t in data["topics"]} == {"bridges", "harbour"}


def test_dataset_has_every_claim_of_the_default_archive(default_site):
    data = read_dataset(default_site)
    assert sorted(c["slug"] for c in data["claims"]) == sorted(
        p.stem for p in (DEFAULT_CONTENT / "claims").glob("*.yaml")
    )


@pytest.mark.parametrize("topics", [True, False])
def test_the_dataset_is_an_index_and_parts_of_a_record_a_line(tmp_path, topics):
    # Without topics the list is empty: no part, and still in the index.
    changes = {} if topics else {CLAIM_PATH: replaced(CLAIM, "topics:\n  - bridges\n", ""), TOPIC_PATH: None}
    site = minimal_site(tmp_path, changes)
    assert site.run("build").code == 0
    public = tmp_path / "public"
    index = json.loads((public / "data/claims.json").read_text(encoding="utf-8"))
    assert (index["topics"] == {"count": 0, "parts": []}) == (not topics)
    data = read_dataset(public)  # every part gunzips to one record a line, as the index counts them
    assert (data["topics"] == []) == (not topics)
    written = sorted(p.relative_to(public).as_posix() for p in (public / "data").iterdir())
    listed = sorted(part["url"].split("/", 3)[3] for name in LISTS for part in index[name]["parts"])
    assert written == sorted(["data/claims.json", *listed])  # nothing unlisted is published beside them


def test_every_dataset_key_is_documented(small_site):
    doc = (REPO_ROOT / "docs/dataset.md").read_text(encoding="utf-8")
    data = read_dataset(small_site)
    keys = set(data) | set(data["site"]) | set(data["verdicts"][0])
    index = json.loads((small_site / "data/claims.json").read_text(encoding="utf-8"))
    keys |= set(index["claims"]) | set(index["claims"]["parts"][0])
    for records in ("claims", "sources", "people", "topics"):
        keys |= set(data[records][0])
    keys |= set(data["sources"][0]["quotes"][0]) | set(data["claims"][0]["quotes"][0])
    assert [key for key in sorted(keys) if f"`{key}`" not in doc] == []


# -- safety ---------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> </script><script>alert(1)</script>'
HOSTILE_SHORT = '"><img src=x onerror=alert(1)><script>x</script>'  # for fields of 60 characters


def hostile_site() -> dict[str, str]:
    h = json.dumps(HOSTILE)  # a YAML double-quoted scalar
    s = json.dumps(HOSTILE_SHORT)
    return {
        "content/site.yaml": f"""
            title: {h}
            base_url: https://checks.example.net/
            description: {h}
            publisher:
              name: {h}
              url: https://checks.example.net/
            verdicts:
              - id: rated
                label: {s}
                rating: 1
                description: {h}
              - id: unrated
                label: {s}
                description: {h}
            """,
        "content/people/mallory.yaml": f"""
            name: {h}
            description: {h}
            """,
        "content/sources/post.yaml": f"""
            title: {h}
            kind: social-post
            publisher: {h}
            text: archive/post.txt
            quotes:
              - id: q
                speaker: mallory
                text: {h}
                context: {h}
            """,
        "archive/post.txt": f"Before. {HOSTILE} After.\n",
        "content/topics/evil.yaml": f"""
            title: {h}
            description: {h}
            """,
        "content/claims/evil.yaml": f"""
            claim: {h}
            claimant: mallory
            date: 2021-01-01
            verdict: rated
            summary: {h}
            analysis: |
              {HOSTILE}

              <a href="javascript:alert(1)" onclick="alert(1)">x</a> <iframe src="https://evil.example/"></iframe>
            reviewed: 2021-01-02
            quotes:
              - post#q
            appearances:
              - post
            topics:
              - evil
            corrections:
              - date: 2021-01-03
                note: {h}
            """,
        "content/claims/evil-too.yaml": f"""
            claim: {h}
            claimant: mallory
            date: 2021-01-01
            verdict: unrated
            summary: {h}
            analysis: {h}
            reviewed: 2021-01-02
            counterclaims:
              - evil
            """,
    }


def test_hostile_text_in_every_field_comes_out_inert(tmp_path):
    site = build_site(write_site(tmp_path, hostile_site()), tmp_path / "public", search=True)
    for relpath, doc in html_pages(site).items():
        for script in doc.iter("script"):
            if script.get("src") is not None:
                assert script.get("src").startswith(("/assets/", "/pagefind/")) and not (script.text or "").strip(), (
                    relpath
                )
            else:
                assert script.get("type") == "application/ld+json", (relpath, script.text)
                assert "</" not in script.text and "<!--" not in script.text
        for element in doc.iter():
            if not isinstance(element.tag, str):
                continue
            assert element.tag not in ("img", "iframe", "object", "embed"), (relpath, element.tag)
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (relpath, element.tag, name)
                assert not value.strip().lower().startswith("javascript:"), (relpath, element.tag, name)
    pages = html_pages(site)
    claim = pages["claims/evil/index.html"]
    assert claim.xpath("string(//h1)") == HOSTILE  # escaped, not dropped
    [data] = json_ld(claim)
    assert data["claimReviewed"] == HOSTILE and data["itemReviewed"]["author"]["name"] == HOSTILE
    assert pages["sources/post/index.html"].xpath("string(//mark[@id='text-quote-q'])") == HOSTILE
    feed = etree.parse(str(site / "feed.xml")).getroot()
    assert feed.findtext(f"{ATOM}title") == HOSTILE
    assert not any(isinstance(e.tag, str) and e.tag.endswith("script") for e in feed.iter())
    etree.parse(str(site / "sitemap.xml"))
    dataset = read_dataset(site)
    assert dataset["claims"][0]["claim"] == HOSTILE


# -- determinism ----------------------------------------------------------------


def test_a_second_build_is_byte_identical(tmp_path):
    first = build_site(DEFAULT_CONTENT, tmp_path / "one", search=True)
    second = build_site(DEFAULT_CONTENT, tmp_path / "two", search=True)
    # Pagefind's own run-to-run differences aside (trust.site_differences), every byte.
    assert site_differences(first, second) == []
    assert len(site_files(first)) > 40


def test_outputs_carry_no_build_timestamp(small_site):
    today = dt.date.today().isoformat()
    for path in small_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt"):
            assert today not in path.read_text(encoding="utf-8"), path


def test_stylesheets_ship_minified(default_site):
    for name in ("site.css", "search.css"):
        source = (REPO_ROOT / "templates/assets" / name).read_text(encoding="utf-8")
        shipped = (default_site / "assets" / name).read_text(encoding="utf-8")
        assert "/*" in source and "/*" not in shipped and "\n" not in shipped.strip(), name
        assert len(shipped) < 0.8 * len(source), name

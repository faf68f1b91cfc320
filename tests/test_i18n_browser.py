"""The Dari example archive (examples/dari/, right to left) in a real browser:
axe-core on every kind of page, the layout on a phone, the charts mirrored,
and search over claims in two languages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_i18n import DARI_CONTENT
from test_site import build_site
from tools import axe_violations

from site_builder import i18n

PAGES = {
    "claim": "claims/bridge-finished-early/",
    "claim in English": "claims/new-roads-by-year-end/",
    "source": "sources/ministry-statement/",
    "person": "people/zohra-amiri/",
    "topic": "topics/bridges-and-roads/",
    "home": "",
    "claims index": "claims/",
    "verdicts": "verdicts/",
    "about": "about/",
    "404": "404.html",
    "search": "search/?q=پل",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(DARI_CONTENT, tmp_path_factory.mktemp("dari-browser") / "public", search=True)


@pytest.fixture
def open_page(browse, serve_dir, site):
    """Factory: open_page(path below the site, width, scheme) -> a page, search results loaded."""

    def opened(path: str, width: int = 1280, scheme: str = "light"):
        page = browse(serve_dir(site) + path, width, scheme)
        if path.startswith("search/"):
            page.wait_for_selector(".pagefind-ui__result")
            # Results arrive as placeholders first, then their titles and excerpts.
            page.wait_for_load_state("networkidle")
            page.wait_for_selector(".pagefind-ui__loading", state="detached")
        return page

    return opened


@pytest.mark.parametrize("width", (360, 1280))
@pytest.mark.parametrize("scheme", ("light", "dark"))
@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_no_violations_on_the_right_to_left_site(open_page, kind, scheme, width):
    page = open_page(PAGES[kind], width, scheme)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.problems == []


def test_the_page_reads_from_the_right(open_page):
    page = open_page(PAGES["claim"], 1280)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The heading starts at the right edge of the text column and the site's name at the header's right.
    heading = page.locator("h1").bounding_box()
    main = page.locator("main").bounding_box()
    assert abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 40
    title = page.locator(".site-title").bounding_box()
    assert title["x"] > 640
    # A quote's rule is on its right, where the reader starts.
    quote = page.locator(".quote").first
    assert quote.evaluate("e => getComputedStyle(e).borderRightWidth") == "4px"
    assert quote.evaluate("e => getComputedStyle(e).borderLeftWidth") == "0px"


def test_the_english_claim_reads_left_to_right_inside_the_dari_chrome(open_page):
    page = open_page(PAGES["claim in English"], 1280)
    heading = page.locator("h1")
    assert heading.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert page.locator(".site-nav").evaluate("e => getComputedStyle(e).direction") == "rtl"


def test_charts_are_mirrored_on_screen(open_page):
    # Time runs right to left: the earliest date stands at the right end of the axis.
    page = open_page(PAGES["topic"], 1280)
    dates = page.eval_on_selector_all(
        ".timeline.chart-wide .timeline-date", "ds => ds.map(d => d.getBoundingClientRect().left)"
    )
    assert len(dates) == 2 and dates[0] > dates[1]
    # On a phone the map's nodes stand at the right, each claim's words to their left.
    page = open_page(PAGES["topic"], 360)
    nodes = page.eval_on_selector_all(
        ".claim-map-narrow .map-node",
        """ns => ns.map(n => [
        n.querySelector('circle').getBoundingClientRect().left, n.querySelector('.map-claim').getBoundingClientRect().right])""",
    )
    assert nodes and all(circle > words for circle, words in nodes)


def test_search_finds_claims_in_both_languages_and_marks_each_result_language(open_page):
    dari = i18n.interface("fa-AF")
    page = open_page("search/?q=پل", 360)
    titles = page.locator(".pagefind-ui__result-title").all_inner_texts()
    assert "پل نو دو ماه زودتر از موعد ساخته شد." in titles
    # Pagefind's own words follow the page's language, and our filters are named in Dari.
    filters = page.locator(".pagefind-ui__filter-name").all_inner_texts()
    assert dari.gettext("verdict") in [f.strip() for f in filters]
    page = open_page("search/?q=roads", 1280)
    result = page.locator(".pagefind-ui__result").first
    assert (
        result.locator(".pagefind-ui__result-title").inner_text()
        == "All the new roads will be finished by the end of the year."
    )
    assert result.get_attribute("lang") == "en"
    assert result.evaluate("e => getComputedStyle(e).direction") == "ltr"
    # The language is an attribute, not a tag shown to readers.
    assert "lang" not in result.inner_text().lower()

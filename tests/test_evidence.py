"""The evidence made visible: verdict charts, claim maps, timelines, history
links, corrections in the feed, link preview images. Charts are parsed as
XML; the default archive's claim, person and topic pages go through axe-core
and the Nu checker.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from PIL import Image
from test_site import DEFAULT_CONTENT, SMALL_SITE, build_site, write_site
from test_site_browser import open_page
from tools import axe_violations, vnu_errors

SVG = "{http://www.w3.org/2000/svg}"
REPOSITORY = "https://github.com/example/harbour-archive"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("evidence")
    files = dict(SMALL_SITE)
    files["content/site.yaml"] = textwrap.dedent(SMALL_SITE["content/site.yaml"]) + f"repository: {REPOSITORY}\n"
    return build_site(write_site(root, files), root / "public")


@pytest.fixture(scope="module")
def default_site(tmp_path_factory) -> Path:
    return build_site(DEFAULT_CONTENT, tmp_path_factory.mktemp("evidence-default") / "public")


def charts(site: Path, page: str, css_class: str) -> list[lxml.etree._Element]:
    """The page's SVG charts of one class, each parsed again as standalone XML."""
    doc = lxml.html.parse(str(site / page / "index.html"))
    found = doc.xpath(f"//svg[contains(concat(' ', @class, ' '), ' {css_class} ')]")
    return [lxml.etree.fromstring(lxml.html.tostring(svg)) for svg in found]


def test_person_and_topic_pages_say_each_count_once(site):
    for page in ("people/jane-roe", "topics/bridges"):
        # The table of counts, with each verdict's badge: no bar chart beside it saying the same.
        assert charts(site, page, "chart-bars") == []
        doc = lxml.html.parse(str(site / page / "index.html"))
        rows = doc.xpath("//table[@class='tally']/tbody/tr")
        assert len(rows) >= 2
        for row in rows:
            label, count = (
                row.xpath("normalize-space(td[1]/*[contains(@class, 'verdict')]/*[1])"),
                row.xpath("normalize-space(td[2])"),
            )
            assert label and count.isdigit()
        assert "same counts" not in doc.xpath("normalize-space(//main)")


def test_claim_map_is_a_picture_of_the_related_list_which_names_each_claim(site):
    # One drawing, the wide one: on a phone the related claims' list is the map (issue 19: the
    # narrow drawing and the nodes' names wrote every claim three more times, 9 of 30 KB a page).
    [wide] = charts(site, "claims/bridge-early", "claim-map")
    assert "chart-wide" in wide.get("class")
    doc = lxml.html.parse(str(site / "claims/bridge-early/index.html"))
    [figure] = doc.xpath("//figure[contains(@class, 'claim-map-figure')]")
    assert "chart-wide" in figure.get("class").split()  # the figure goes with its drawing on a phone
    related = doc.xpath("//ul[contains(@class, 'related-list')]/li/a[1]/@href")
    counterclaims = doc.xpath("//section[h2='Counterclaims']//h3/a/@href")
    # The claim itself in the middle, then its counterclaim and the claim sharing its source: the
    # counterclaim's card above names it, so the list gives the other (issue 19: each claim once).
    assert [a.get("href") for a in wide.findall(f"{SVG}a")[1:]] == counterclaims + related
    assert counterclaims == ["/claims/bridge-late/"] and related == ["/claims/ferry-free/"]
    caption = figure.xpath("normalize-space(figcaption)")
    assert caption.endswith("the counterclaims above and the list below name the same claims."), caption
    # The list is the map's text: the drawing is hidden from assistive technology, and its
    # links, which a mouse follows, are out of the keyboard's way (axe: aria-hidden-focus).
    assert wide.get("aria-hidden") == "true" and wide.get("role") is None
    assert wide.find(f"{SVG}title") is None and wide.find(f"{SVG}desc") is None
    for node in wide.findall(f"{SVG}a"):
        assert node.get("tabindex") == "-1" and node.get("aria-label") is None and node.find(f"{SVG}title") is None
        # Named by nothing, a node holds its own label: the claim cut short, its verdict's line a
        # <tspan>, coloured by the link's tone class (no group a label repeating it, issue 19).
        [label] = node.findall(f"{SVG}text")
        assert label.text and [t.get("class") for t in label.findall(f"{SVG}tspan")] == ["map-verdict"]
    assert not [g for g in wide.iter(f"{SVG}g") if "map-label" in g.get("class", "")]
    # One path per kind of link (its subpaths the links), and each list entry says its kind in words
    # and carries its line's kind and its verdict's colour for the dot that stands for its node.
    edges = [path.get("class") for path in wide.findall(f"{SVG}path")]
    assert sorted(edges) == ["map-edge edge-counterclaim", "map-edge edge-shared"]
    items = {
        li.xpath("string(a[1]/@href)"): (li.get("class"), " ".join(li.text_content().split()))
        for li in doc.xpath("//ul[contains(@class, 'related-list')]/li")
    }
    classes, words = items["/claims/ferry-free/"]
    assert "edge-shared" in classes.split() and words.endswith("(shares a source)")
    assert all(c.startswith("tone-") for c, _ in items.values())


def test_a_claim_page_names_each_related_claim_once(site):
    # Issue 19: a counterclaim was a card and again an entry of the related list (3.5 KB a page).
    # Its card, under "Counterclaims", says what the entry said; the map's caption says where each is.
    captions = {
        "bridge-early": "the counterclaims above and the list below name the same claims.",
        "bridge-late": "the counterclaims above name the same claims.",  # its one related claim is its counterclaim
        "ferry-free": "the list below names the same claims.",
    }
    for slug, caption in captions.items():
        doc = lxml.html.parse(str(site / "claims" / slug / "index.html"))
        cards = doc.xpath("//section[h2='Counterclaims']//h3/a/@href")
        listed = doc.xpath("//ul[contains(@class, 'related-list')]/li/a[1]/@href")
        [wide] = charts(site, f"claims/{slug}", "claim-map")
        drawn = [a.get("href") for a in wide.findall(f"{SVG}a")[1:]]
        assert sorted(drawn) == sorted(cards + listed) and len(set(cards + listed)) == len(cards + listed), slug
        assert doc.xpath("normalize-space(//figure[contains(@class, 'claim-map-figure')]/figcaption)").endswith(caption)
        if not listed:  # no empty list left behind
            assert doc.xpath("//ul[contains(@class, 'related-list')]") == []
        # Outside the drawing (and the analysis's own words), each claim is linked once.
        links = doc.xpath(
            "//article//a[starts-with(@href, '/claims/')][not(ancestor::svg)]"
            "[not(ancestor::section[@class='analysis'])]/@href"
        )
        links = [href for href in links if href in drawn]
        assert sorted(links) == sorted(drawn), slug


def test_a_source_page_lists_each_citing_claim_once(site, default_site):
    # Issue 19: the claims its quotes list as citing them were listed again below (1.4 KB a page).
    doc = lxml.html.parse(str(site / "sources/harbour-statement/index.html"))
    cited = doc.xpath("//div[@class='cited-by']//li/a[1]/@href")
    assert sorted(cited) == ["/claims/bridge-early/", "/claims/ferry-free/"]
    assert doc.xpath("//section[contains(h2, 'cite this source')]") == []  # nothing left to list
    # The default archive's source: claims citing no quote of it are listed below, as the others.
    [page] = (default_site / "sources").glob("*/index.html")
    doc = lxml.html.parse(str(page))
    cited = set(doc.xpath("//div[@class='cited-by']//li/a[1]/@href"))
    [section] = doc.xpath("//section[contains(h2, 'cite this source')]")
    assert section.xpath("normalize-space(h2)") == "Other fact-checks that cite this source"
    others = section.xpath(".//li/a[1]/@href")
    assert others and not cited & set(others) and len(set(others)) == len(others)
    # Between them, every claim that cites the source or appeared in it.
    citing = {
        f"/claims/{claim.parent.name}/"
        for claim in (default_site / "claims").glob("*/index.html")
        if f"/sources/{page.parent.name}/" in claim.read_text(encoding="utf-8")
    }
    assert cited | set(others) == citing


def test_a_card_names_its_claimant_except_on_the_claimants_own_page(site):
    # Issue 19: on a person's page every card's byline named the person again, a link to the page itself.
    own = lxml.html.parse(str(site / "people/jane-roe/index.html"))
    bylines = own.xpath("//ul[@class='cards']/li/p[@class='byline']")
    assert bylines and all(b.xpath("a") == [] and b.xpath("time/@datetime") for b in bylines)
    topic = lxml.html.parse(str(site / "topics/bridges/index.html"))
    assert "/people/jane-roe/" in topic.xpath("//ul[@class='cards']/li/p[@class='byline']/a/@href")
    # A card's parts are styled by their place, not a class each (site.css, .cards > li).
    for doc in (own, topic):
        for card in doc.xpath("//ul[@class='cards']/li"):
            assert card.get("class") is None and [child.tag for child in card] == ["h3", "p", "p", "p"]
            assert [child.get("class") for child in card] == [None, None, "byline", None]


def test_topic_map_draws_every_claim_of_the_topic(site):
    for chart in charts(site, "topics/bridges", "claim-map"):
        assert {a.get("href") for a in chart.findall(f"{SVG}a")} == {"/claims/bridge-early/", "/claims/bridge-late/"}


def test_timeline_labels_first_and_last_dates(site):
    for chart in charts(site, "people/jane-roe", "timeline"):  # wide and narrow
        assert len(chart.findall(f"{SVG}circle[@class]")) >= 2
        assert [t.text for t in chart.findall(f"{SVG}text[@class]") if "timeline-date" in t.get("class")] == [
            "4 September 2021"
        ]


def test_claim_page_links_to_its_file_history_when_the_site_names_a_repository(site, tmp_path):
    doc = lxml.html.parse(str(site / "claims/bridge-early/index.html"))
    assert doc.xpath("//a/@href[contains(., 'commits')]") == [
        f"{REPOSITORY}/commits/main/content/claims/bridge-early.yaml"
    ]
    plain = build_site(write_site(tmp_path, SMALL_SITE), tmp_path / "public")
    assert not lxml.html.parse(str(plain / "claims/bridge-early/index.html")).xpath("//a/@href[contains(., 'commits')]")


def test_feed_carries_corrections_as_updates(site):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = lxml.etree.parse(str(site / "feed.xml"))
    [entry] = [e for e in feed.findall(f"{atom}entry") if e.findtext(f"{atom}id").endswith("/claims/bridge-early/")]
    assert entry.findtext(f"{atom}updated") == "2021-10-01T00:00:00Z"
    assert "first given as April" in entry.findtext(f"{atom}summary")
    assert "first given as April" in entry.findtext(f"{atom}content")


def test_feed_update_is_the_newest_correction_when_later_than_updated(tmp_path):
    files = dict(SMALL_SITE)
    files["content/claims/ferry-free.yaml"] = textwrap.dedent(SMALL_SITE["content/claims/ferry-free.yaml"]) + (
        "corrections:\n  - date: 2021-12-24\n    note: The claimant was misnamed.\n"
    )
    out = build_site(write_site(tmp_path, files), tmp_path / "public")
    feed = lxml.etree.parse(str(out / "feed.xml"))
    atom = "{http://www.w3.org/2005/Atom}"
    first = feed.find(f"{atom}entry")
    assert first.findtext(f"{atom}id").endswith("/claims/ferry-free/")
    assert first.findtext(f"{atom}updated") == "2021-12-24T00:00:00Z"


def test_every_claim_has_a_share_image_of_1200_by_630(site):
    claims = sorted(p.parent for p in (site / "claims").glob("*/index.html") if p.parent.parent.name == "claims")
    assert claims
    for folder in claims:
        with Image.open(io.BytesIO((folder / "og.png").read_bytes())) as image:
            assert image.format == "PNG" and image.size == (1200, 630)
        doc = lxml.html.parse(str(folder / "index.html"))
        [url] = doc.xpath("//meta[@property='og:image']/@content")
        assert url == f"https://checks.example.net/claims/{folder.name}/og.png"
        assert doc.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]
        assert doc.xpath("//meta[@property='og:image:width']/@content") == ["1200"]
        assert doc.xpath("//meta[@property='og:image:height']/@content") == ["630"]


def test_share_images_are_the_same_bytes_on_every_build(site, tmp_path):
    files = dict(SMALL_SITE)
    files["content/site.yaml"] = textwrap.dedent(SMALL_SITE["content/site.yaml"]) + f"repository: {REPOSITORY}\n"
    again = build_site(write_site(tmp_path, files), tmp_path / "public")
    for png in site.glob("claims/*/og.png"):
        assert (again / png.relative_to(site)).read_bytes() == png.read_bytes()


PAGES = ("claims/taliban-captured-all-panjshir-districts/", "people/taliban/", "topics/battlefield-claims/")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_axe_finds_no_violations_in_charts(chromium_browser, serve_dir, default_site, path, scheme):
    context, page = open_page(chromium_browser, serve_dir(default_site) + path, scheme, 1280)
    try:
        assert page.locator("svg.chart").count() >= 1
        assert axe_violations(page) == []
    finally:
        context.close()


def test_nu_checker_accepts_pages_with_charts(default_site):
    assert vnu_errors([default_site / path / "index.html" for path in PAGES]) == []

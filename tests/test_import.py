"""`build.py import`: an archive moved in from ClaimReview pages, Fact Check API responses and spreadsheets.

Every input is written inline with made-up names, imported into an archive
that holds only site.yaml, and the result is built and read back from the
built pages. The round trip imports this tool's own built pages into an
empty archive and builds that: no claim, verdict, date, claimant or URL lost.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from built_site import broken_links, html_pages
from sites import CLAIM_PATH, SITE_YAML, Site, minimal_site, tree_snapshot

BASE = "https://factcheck.example.org/"
ERROR_LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+):(?P<column>\d+): (?:error|note): \S")


def empty_archive(root: Path) -> Site:
    site = Site(root)
    site.write("content/site.yaml", SITE_YAML)
    return site


def claim_files(site: Site) -> dict[str, str]:
    folder = site.root / "content" / "claims"
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}


def page(site: Site, slug: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(
        (site.root / "public" / "claims" / slug / "index.html").read_text(encoding="utf-8")
    )


def claim_review(
    claim, rating, url, claimant="Jane Roe", kind="Person", date="2024-03-01", reviewed="2024-03-05", **extra
):
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "url": url,
        "datePublished": reviewed,
        "author": {"@type": "Organization", "name": "Example Checkers"},
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        "itemReviewed": {"@type": "Claim", "datePublished": date, "author": {"@type": kind, "name": claimant}},
    }
    review.update(extra)
    return review


def html_page(scripts: list, body: str = "", lang: str = "en", canonical: str | None = None) -> str:
    blocks = "\n".join(
        f'<script type="application/ld+json">{s if isinstance(s, str) else json.dumps(s)}</script>' for s in scripts
    )
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f'<!doctype html><html lang="{lang}"><head><title>A saved page</title>{link}'
        f'<meta name="description" content="The description of the page.">{blocks}</head>'
        f'<body><nav><a href="/">Home</a></nav>{body}<footer>Footer words</footer></body></html>'
    )


WORDPRESS_BODY = """
<article><h1>Fact check: the bridge</h1>
<div class="entry-content">
<p>The minister said the <strong>new bridge</strong> cost less than planned. The
<a href="/2024/02/budget/">budget report</a> and <a href="https://stats.example.net/roads">road statistics</a> disagree.</p>
<script>tracker()</script><img src="/wp-content/chart.png" alt="A chart">
<h2>What we found</h2>
<ul><li>First point</li><li>Second point</li></ul>
</div></article>
"""


# -- ClaimReview: HTML pages in several shapes, .jsonld files, DataFeeds ------------------------------

PARAGRAPH = (
    "Misleading. The ministry counted roads that were only resurfaced, which the official "
    "statistics do not count as new roads."
)


@pytest.fixture(scope="module")
def claimreview_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("claimreview")
    site = empty_archive(root)
    inbox = root / "inbox"
    # A WordPress page: one ClaimReview object, its text in .entry-content, an old address on this archive.
    site.write(
        "inbox/2024/bridge.html",
        html_page(
            [
                claim_review(
                    "The new bridge cost less than planned.",
                    "Mostly False",
                    BASE + "2024/03/bridge-cost/",
                    name="Fact check: the bridge",
                )
            ],
            WORDPRESS_BODY,
        ),
    )
    # @graph beside a WebPage, with a whole paragraph as its rating and the claimant an organisation.
    site.write(
        "inbox/graph.html",
        html_page(
            [
                {
                    "@context": "https://schema.org",
                    "@graph": [
                        {"@type": "WebPage", "name": "A page"},
                        claim_review(
                            "The ministry built 400 kilometres of road in 2023.",
                            PARAGRAPH,
                            "https://other.example.com/checks/roads",
                            claimant="Example Ministry",
                            kind="GovernmentOrganization",
                        ),
                    ],
                }
            ],
            "<main><p>Main text of the roads check.</p></main>",
        ),
    )
    # A list of two ClaimReviews on one page: the page's text belongs to neither.
    site.write(
        "inbox/roundup.html",
        html_page(
            [
                [
                    claim_review(
                        "Ferries carry more people than the bridge.",
                        "FALSE",
                        "https://other.example.com/checks/ferries",
                    ),
                    claim_review(
                        "The bridge is the longest in the region.",
                        "True",
                        "https://other.example.com/checks/longest",
                        claimant="Richard Miles",
                    ),
                ]
            ],
            "<article><p>Roundup text.</p></article>",
        ),
    )
    # .jsonld with a list, and a DataFeed with null and partial items.
    site.write(
        "inbox/list.jsonld",
        json.dumps(
            [
                claim_review(
                    "Tolls on the bridge will double next year.",
                    "half true",
                    "https://other.example.com/checks/tolls",
                    itemReviewed={
                        "@type": "Claim",
                        "author": {"@type": "Person", "name": "Jane Roe"},
                        "appearance": [
                            {
                                "@type": "CreativeWork",
                                "url": "https://social.example/post/1",
                                "name": "A post by Jane Roe",
                                "datePublished": "2024-01-09",
                            }
                        ],
                    },
                ),
            ],
            indent=1,
        ),
    )
    site.write(
        "inbox/feed.json",
        json.dumps(
            {
                "@context": "https://schema.org",
                "@type": "DataFeed",
                "dataFeedElement": [
                    None,
                    {"@type": "DataFeedItem", "item": None},
                    {
                        "@type": "DataFeedItem",
                        "item": [
                            claim_review(
                                "The bridge opened in March.",
                                "Mostly true",
                                "https://other.example.com/checks/march",
                                reviewed="2024-04-02T10:00:00+02:00",
                            )
                        ],
                    },
                    {
                        "@type": "DataFeedItem",
                        "item": [
                            {
                                "@type": "ClaimReview",
                                "claimReviewed": "A claim nobody made.",
                                "reviewRating": {"alternateName": "False"},
                                "datePublished": "2024-01-01",
                            }
                        ],
                    },
                ],
            },
            indent=1,
        ),
    )
    site.write("map.yaml", f"{json.dumps(PARAGRAPH.upper())}: half-true\n")
    result = site.run("import", "claimreview", str(inbox), "--verdict-map", "map.yaml")
    built = site.run("build")
    return site, result, built


def test_claimreview_inputs_of_every_shape_import_and_build(claimreview_site):
    site, result, built = claimreview_site
    assert result.code == 1, result.err  # one item was skipped, and says so
    assert built.code == 0, built.err
    claims = claim_files(site)
    assert len(claims) == 6, sorted(claims)
    assert result.out[-1].startswith("import: 9 items read (0 duplicates, 2 empty, 1 skipped); claims: wrote 6 new"), (
        result.out
    )
    texts = {
        lxml.html.document_fromstring(p.read_text()).xpath("string(//h1)")
        for p in (site.root / "public" / "claims").glob("*/index.html")
    }
    assert "The bridge is the longest in the region." in texts and "Tolls on the bridge will double next year." in texts


def test_a_feed_item_without_a_claimant_is_reported_at_its_line_and_skipped(claimreview_site):
    site, result, _ = claimreview_site
    errors = [line for line in result.err if ": error: " in line]
    assert len(errors) == 1, result.err
    feed_lines = (site.root / "inbox" / "feed.json").read_text().split("\n")
    line = next(i for i, text in enumerate(feed_lines, 1) if "A claim nobody made" in text)
    where, message = errors[0].split(": error: ")
    path, at_line, _ = where.rsplit(":", 2)
    assert path.endswith("inbox/feed.json") and line - 3 <= int(at_line) < line, (where, line)
    assert "does not say who made the claim" in message and "skipped" in message


def test_an_html_pages_article_becomes_the_analysis_with_its_links(claimreview_site):
    site, _, _ = claimreview_site
    text = claim_files(site)["the-new-bridge-cost-less-than-planned"]
    assert "verdict: mostly-false" in text and "original_rating" not in text  # "Mostly False" is the label
    doc = page(site, "the-new-bridge-cost-less-than-planned")
    analysis = doc.xpath("//section[contains(@class,'analysis')]")[0]
    links = {a.text_content(): a.get("href") for a in analysis.iter("a")}
    assert links == {"budget report": BASE + "2024/02/budget/", "road statistics": "https://stats.example.net/roads"}
    words = analysis.text_content()
    assert "What we found" in words and "Second point" in words
    assert "tracker" not in words and "Footer words" not in words and "Home" not in words
    assert not analysis.xpath(".//img")
    assert doc.xpath("string(//p[contains(@class,'summary')])") == "The description of the page."


def test_the_original_url_is_shown_and_its_old_path_redirects(claimreview_site):
    site, _, _ = claimreview_site
    doc = page(site, "the-new-bridge-cost-less-than-planned")
    facts = {
        dt.text_content(): dd
        for dt, dd in zip(doc.xpath("//dl[@class='facts']//dt"), doc.xpath("//dl[@class='facts']//dd"))
    }
    assert facts["First published at"].xpath("string(.//a/@href)") == BASE + "2024/03/bridge-cost/"
    alias = lxml.html.document_fromstring(
        (site.root / "public" / "2024" / "03" / "bridge-cost" / "index.html").read_text()
    )
    target = "/claims/the-new-bridge-cost-less-than-planned/"
    assert alias.xpath("//link[@rel='canonical']/@href") == [BASE + target[1:]]
    assert alias.xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url={target}"]
    assert alias.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert target in alias.xpath("//main//a/@href")
    assert "2024/03/bridge-cost" not in (site.root / "public" / "sitemap.xml").read_text()
    # The old site's own links (its about page, the budget report) lead nowhere yet; every other link works.
    assert [
        p for p in broken_links(site.root / "public", BASE) if "about/" not in p and "2024/02/budget/" not in p
    ] == []


def test_imported_claim_pages_and_alias_pages_are_valid_html(claimreview_site):
    from tools import vnu_errors

    public = claimreview_site[0].root / "public"
    pages = [
        public / "2024" / "03" / "bridge-cost" / "index.html",
        public / "claims" / "the-ministry-built-400-kilometres-of-road-in-2023" / "index.html",
        public / "claims" / "the-new-bridge-cost-less-than-planned" / "index.html",
    ]
    assert vnu_errors(pages) == []


def test_a_paragraph_rating_is_kept_in_the_publishers_words(claimreview_site):
    site, _, _ = claimreview_site
    slug = "the-ministry-built-400-kilometres-of-road-in-2023"
    assert "verdict: half-true" in claim_files(site)[slug]
    doc = page(site, slug)
    shown = doc.xpath("string(//p[@class='original-rating']//q)")
    assert shown.startswith("Misleading. The ministry counted roads")
    person = (site.root / "content" / "people" / "example-ministry.yaml").read_text()
    assert "kind: organization" in person


def test_a_roundup_page_does_not_lend_its_text_to_each_claim(claimreview_site):
    site, _, _ = claimreview_site
    text = claim_files(site)["ferries-carry-more-people-than-the-bridge"]
    assert "Roundup text" not in text and "The description of the page." not in text
    assert "https://other.example.com/checks/ferries" in text  # the analysis links the original instead


def test_an_appearance_becomes_a_source_and_dates_the_claim(claimreview_site):
    site, result, _ = claimreview_site
    text = claim_files(site)["tolls-on-the-bridge-will-double-next-year"]
    assert "date: 2024-01-09" in text and "appearances:\n  - a-post-by-jane-roe\n" in text
    source = (site.root / "content" / "sources" / "a-post-by-jane-roe.yaml").read_text()
    assert 'url: "https://social.example/post/1"' in source and "published: 2024-01-09" in source
    assert "1 claim dates from the appearance's date" in result.out[-1]
    # The same name twice is one person.
    assert sorted(p.stem for p in (site.root / "content" / "people").glob("*.yaml")) == [
        "example-ministry",
        "jane-roe",
        "richard-miles",
    ]


def test_malformed_json_ld_is_reported_at_its_position_and_the_rest_imports(tmp_path):
    site = empty_archive(tmp_path)
    site.write(
        "in/bad.html",
        html_page(
            [
                '{"@type": "ClaimReview",\n "claimReviewed": "x",,}',
                claim_review("The ferry is free on Sundays.", "True", "https://other.example.com/f"),
            ]
        ),
    )
    site.write("in/bad.json", '[\n  {"@type": "ClaimReview"\n  "x": 1}\n]')
    result = site.run("import", "claimreview", "in")
    assert result.code == 1
    errors = [line for line in result.err if ": error: " in line]
    assert errors[0].startswith("in/bad.html:2:") and "not valid JSON" in errors[0]
    assert errors[1].startswith("in/bad.json:3:3: error: this is not valid JSON: Expecting ',' delimiter")
    assert list(claim_files(site)) == ["the-ferry-is-free-on-sundays"]
    assert site.run("check").code == 0


# -- Fact Check Tools API -------------------------------------------------------------------------


def api_claim(text, rating, url, claimant="Jane Roe", date="2024-05-01T00:00:00Z", language="en", **review):
    claim = {
        "text": text,
        "claimReview": [
            {
                "publisher": {"name": "Example Checkers", "site": "example.com"},
                "url": url,
                "title": f"Fact check: {text}",
                "reviewDate": "2024-05-03T00:00:00Z",
                "textualRating": rating,
                "languageCode": language,
                **review,
            }
        ],
    }
    if claimant:
        claim["claimant"] = claimant
    if date:
        claim["claimDate"] = date
    return claim


ARABIC = "قالت الوزيرة إن الجسر الجديد اكتمل قبل موعده بشهرين."
CHINESE = "部长说新桥提前两个月完工。"


@pytest.fixture(scope="module")
def api_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("api")
    site = empty_archive(root)
    claims = [
        api_claim("The harbour was dredged in 2022.", "False", "https://other.example.com/harbour"),
        api_claim("The harbour was dredged in 2022.", "False", "https://other.example.com/harbour/"),  # listed twice
        api_claim("Bus fares fell by half.", "Mostly True", "https://other.example.com/fares", date=None),
        api_claim("A claim without a claimant.", "False", "https://other.example.com/nobody", claimant=None),
        api_claim(ARABIC, "False", "https://other.example.com/ar", language="en"),  # mislabelled
        api_claim(CHINESE, "True", "https://other.example.com/zh", language="zh"),
    ]
    site.write(
        "api/page1.json", json.dumps({"claims": claims[:4], "nextPageToken": "abc"}, ensure_ascii=False, indent=2)
    )
    site.write("api/page2.json", json.dumps(claims[4:], ensure_ascii=False, indent=2))  # a bare list
    result = site.run("import", "factcheck-api", "api/page1.json", "api/page2.json")
    return site, result, site.run("build")


def test_api_responses_import_and_build(api_site):
    site, result, built = api_site
    assert built.code == 0, built.err
    summary = result.out[-1]
    assert summary.startswith("import: 6 items read (1 duplicates, 0 empty, 1 skipped); claims: wrote 4 new"), summary
    assert "1 claim dates from the review date" in summary and "4 analyses linking the original" in summary
    fares = claim_files(site)["bus-fares-fell-by-half"]
    assert "date: 2024-05-03" in fares and "verdict: mostly-true" in fares
    assert 'original_url: "https://other.example.com/fares"' in fares
    doc = page(site, "bus-fares-fell-by-half")
    link = doc.xpath("//section[contains(@class,'analysis')]//a")[0]
    assert (
        link.get("href") == "https://other.example.com/fares"
        and link.text_content() == "Fact check: Bus fares fell by half."
    )


def test_an_api_claim_without_claimant_is_reported_and_skipped(api_site):
    site, result, _ = api_site
    errors = [line for line in result.err if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith("api/page1.json:"), result.err
    assert "does not say who made the claim" in errors[0]
    assert not any("without a claimant" in text for text in claim_files(site).values())


def test_arabic_and_chinese_claims_get_readable_slugs_and_honest_languages(api_site):
    site, result, _ = api_site
    slugs = sorted(claim_files(site))
    arabic = next(s for s in slugs if s.startswith("qlt"))
    chinese = next(s for s in slugs if s.startswith("bu-chang"))
    assert all(len(s) <= 80 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)
    note = next(line for line in result.err if ": note: " in line)
    assert "labels this claim 'en', but its text is in Arabic script" in note
    ar = page(site, arabic)
    assert ar.xpath("//h1/@dir") == ["rtl"] and ar.xpath("//h1/@lang") == ["und-Arab"]
    zh = page(site, chinese)
    assert zh.xpath("//h1/@lang") == ["zh"]


# -- CSV ------------------------------------------------------------------------------------------

CSV_TEXT = (
    "\ufeffStatement;Speaker;Said on;Rating;Published;Tags;Link;Notes\n"
    'The tunnel is 3 km long.;Jane Roe;2024-02-01;Falso;2024-02-10;"Tunnels; Roads";https://other.example.com/tunnel;x\n'
    '"The tunnel cost 5; maybe 6 million.";Richard Miles;2024/02/03;Mostly true;2024-02-11;Tunnels;;\n'
    "The tunnel opened in 1999.;Jane Roe;03.02.1999;True;2024-02-12;;;\n"
    '"Tunnel traffic doubled.\nSince 2020.";Richard Miles;2024-02-04;True;2024-02-13;;;\n'
)


@pytest.fixture(scope="module")
def csv_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("csv")
    site = empty_archive(root)
    site.write("sheet.csv", CSV_TEXT)
    columns = "claim=Statement,claimant=Speaker,date=Said on,verdict=Rating,reviewed=Published,topics=Tags,url=Link"
    first = site.run("import", "csv", "sheet.csv", "--columns", columns)
    site.write("map.yaml", None)
    wrote_map = site.run("import", "csv", "sheet.csv", "--columns", columns, "--write-verdict-map", "map.yaml")
    site.write("map.yaml", (site.root / "map.yaml").read_text().replace('"Falso":', '"Falso": false'))
    second = site.run("import", "csv", "sheet.csv", "--columns", columns, "--verdict-map", "map.yaml")
    return site, first, wrote_map, second, columns


def test_an_unmatched_rating_writes_nothing_and_is_listed_with_its_count(csv_site):
    site, first, _, _, _ = csv_site
    assert first.code == 1
    assert "import: 1 rating match no verdict" in "\n".join(first.err)
    assert any(re.fullmatch(r"\s+1 × Falso", line) for line in first.err), first.err
    assert "0 new" in first.out[-1]


def test_the_verdict_map_lists_every_rating_and_fills_the_gap(csv_site):
    site, _, wrote_map, second, _ = csv_site
    assert wrote_map.code == 1 and "3 distinct ratings, 1 without a verdict" in wrote_map.out[-1]
    text = (site.root / "map.yaml").read_text()
    assert '# 1 claim, e.g. The tunnel is 3 km long.\n"Falso": false\n' in text
    assert '# matches `true` by itself\n"True":\n' in text
    assert second.code == 1, second.err  # the row with a bad date is reported
    assert "wrote 3 new" in second.out[-1]
    assert "verdict: false" in claim_files(site)["the-tunnel-is-3-km-long"]
    assert site.run("build").code == 0


def test_csv_with_bom_semicolons_quotes_and_renamed_columns(csv_site):
    site, _, _, second, _ = csv_site
    claims = claim_files(site)
    assert sorted(claims) == [
        "the-tunnel-cost-5-maybe-6-million",
        "the-tunnel-is-3-km-long",
        "tunnel-traffic-doubled-since-2020",
    ]
    assert "date: 2024-02-03" in claims["the-tunnel-cost-5-maybe-6-million"]
    assert 'claim: "Tunnel traffic doubled. Since 2020."' in claims["tunnel-traffic-doubled-since-2020"]
    assert "topics:\n  - tunnels\n  - roads\n" in claims["the-tunnel-is-3-km-long"]
    assert (site.root / "content" / "topics" / "roads.yaml").read_text() == 'title: "Roads"\n'
    bad = [line for line in second.err if ": error: " in line]
    assert bad == [
        "sheet.csv:4:37: error: '03.02.1999' in column date is not a date: write dates as YYYY-MM-DD; row skipped"
    ]


def test_columns_that_do_not_exist_are_usage_errors(tmp_path):
    site = empty_archive(tmp_path)
    site.write("s.csv", "claim,claimant\nx,y\n")
    assert site.run("import", "csv", "s.csv", "--columns", "claim").code == 2
    assert site.run("import", "csv", "s.csv", "--columns", "colour=Red").code == 2
    missing = site.run("import", "csv", "s.csv", "--columns", "claimant=Speaker")
    assert missing.code == 1 and "s.csv:1:1: error: --columns maps claimant to 'Speaker'" in missing.err[0]
    assert site.run("import", "csv", "nowhere.csv").code == 2


# -- Re-importing ---------------------------------------------------------------------------------


def test_reimport_is_idempotent_updates_its_claims_and_keeps_editors_changes(tmp_path):
    site = empty_archive(tmp_path)
    feed = [
        claim_review("The port handles 2 million containers.", "False", "https://other.example.com/port"),
        claim_review("The airport has three runways.", "True", "https://other.example.com/airport"),
    ]
    site.write("feed.json", json.dumps(feed))
    assert site.run("import", "claimreview", "feed.json").code == 0
    before = tree_snapshot(tmp_path / "content") | {"state": (tmp_path / "import-state.json").read_bytes()}
    again = site.run("import", "claimreview", "feed.json")
    assert again.code == 0 and "wrote 0 new and 0 updated, 2 unchanged" in again.out[-1]
    assert tree_snapshot(tmp_path / "content") | {"state": (tmp_path / "import-state.json").read_bytes()} == before

    # The export is updated: one rating changes, a claim is added.
    feed[0]["reviewRating"]["alternateName"] = "Mostly false"
    feed.append(claim_review("The harbour is 12 metres deep.", "Half true", "https://other.example.com/harbour"))
    site.write("feed.json", json.dumps(feed))
    updated = site.run("import", "claimreview", "feed.json", "--dry-run")
    assert updated.out[:2] == [
        "would write content/claims/the-harbour-is-12-metres-deep.yaml (new)",
        "would write content/claims/the-port-handles-2-million-containers.yaml (update)",
    ] or sorted(updated.out[:2]) == sorted(
        [
            "would write content/claims/the-port-handles-2-million-containers.yaml (update)",
            "would write content/claims/the-harbour-is-12-metres-deep.yaml (new)",
        ]
    )
    assert tree_snapshot(tmp_path / "content") | {"state": (tmp_path / "import-state.json").read_bytes()} == before
    assert site.run("import", "claimreview", "feed.json").code == 0
    assert "verdict: mostly-false" in claim_files(site)["the-port-handles-2-million-containers"]
    assert len(claim_files(site)) == 3

    # An editor improves a claim; the next export changes it too: the editor's file is kept and listed.
    path = tmp_path / "content" / "claims" / "the-airport-has-three-runways.yaml"
    edited = path.read_text().replace("verdict: true", "verdict: mostly-true")
    path.write_text(edited)
    feed[1]["datePublished"] = "2024-03-09"
    site.write("feed.json", json.dumps(feed))
    kept = site.run("import", "claimreview", "feed.json")
    assert kept.code == 0 and "1 kept as an editor changed them" in kept.out[-1]
    assert "  content/claims/the-airport-has-three-runways.yaml" in kept.err
    assert path.read_text() == edited
    forced = site.run("import", "claimreview", "feed.json", "--force")
    assert forced.code == 0 and "verdict: true" in path.read_text() and "reviewed: 2024-03-09" in path.read_text()
    assert site.run("check").code == 0


def test_a_claim_matched_by_text_and_claimant_when_the_export_lost_its_url(tmp_path):
    site = empty_archive(tmp_path)
    site.write(
        "a.json", json.dumps([api_claim("Trains run every ten minutes.", "True", "https://other.example.com/t")])
    )
    site.run("import", "factcheck-api", "a.json")
    moved = api_claim("Trains run every ten minutes.", "Mostly true", "https://other.example.com/t")
    del moved["claimReview"][0]["url"]
    site.write("a.json", json.dumps([moved]))
    result = site.run("import", "factcheck-api", "a.json")
    assert "wrote 0 new and 1 updated" in result.out[-1], result.out
    assert list(claim_files(site)) == ["trains-run-every-ten-minutes"]


# -- Aliases in the content format ----------------------------------------------------------------


def test_an_alias_that_clashes_with_a_page_stops_the_build_at_its_line(tmp_path):
    site = minimal_site(tmp_path)
    text = (tmp_path / CLAIM_PATH).read_text() + 'aliases:\n  - "/2021/old-bridge/"\n  - "/claims/"\n'
    site.write(CLAIM_PATH, text)
    result = site.run("build")
    assert result.code == 1
    assert result.errors == [
        f"{CLAIM_PATH}:16:5: error: this alias would be written to claims/index.html, where the build "
        "already writes a page from claims.html: remove the alias (that address already shows a page)"
    ]


@pytest.mark.parametrize(
    "alias, message",
    [
        ("/../etc/", "has an empty, '.', '..' or hidden part"),
        ("/", "is the home page"),
        ("/assets/site.css", "lies in /assets/"),
        ("/page?id=3", "no ?query"),
        ("old-page/", "starting with /"),
    ],
)
def test_an_alias_the_build_cannot_write_is_a_positioned_error(tmp_path, alias, message):
    site = minimal_site(tmp_path)
    site.write(CLAIM_PATH, (tmp_path / CLAIM_PATH).read_text() + f'aliases:\n  - "{alias}"\n')
    result = site.run("check")
    assert result.code == 1 and len(result.errors) == 1, result.err
    assert result.errors[0].startswith(f"{CLAIM_PATH}:15:5: error:") and message in result.errors[0]


# -- The round trip -------------------------------------------------------------------------------

ROUND_TRIP_FILES = {
    "content/people/richard-miles.yaml": "name: Richard Miles\nurl: https://miles.example.net/\nsame_as:\n  - https://www.wikidata.org/wiki/Q4115189\n",
    "content/people/harbour-authority.yaml": "name: Harbour Authority\nkind: organization\n",
    "content/sources/harbour-post.yaml": "title: A post by the harbour authority\nkind: social-post\nurl: https://social.example/harbour/7\npublished: 2021-06-01\n",
    "content/claims/harbour-deepened.yaml": (
        "claim: The harbour was deepened to 15 metres.\nclaimant: harbour-authority\ndate: 2021-06-01\nverdict: unproven\n"
        "summary: No survey confirms the depth.\nanalysis: The authority gave no survey.\nreviewed: 2021-06-10\n"
        "updated: 2021-07-01\nappearances:\n  - harbour-post\n"
    ),
    "content/claims/miles-on-fares.yaml": (
        "claim: Fares have not risen in ten years.\nclaimant: richard-miles\ndate: 2021-03-02\nverdict: false\n"
        "summary: Fares rose in 2017.\nanalysis: The 2017 timetable shows higher fares.\nreviewed: 2021-03-09\n"
    ),
}


def _facts(site_root: Path) -> dict[str, tuple]:
    """What a reader and a machine see of each claim: from the built pages' ClaimReview."""
    facts = {}
    for relpath, doc in html_pages(site_root / "public").items():
        if not relpath.startswith("claims/") or relpath.count("/") != 2:
            continue
        data = json.loads(doc.xpath("string(//script[@type='application/ld+json'])"))
        item = data["itemReviewed"]
        facts[data["claimReviewed"]] = (
            data["reviewRating"]["alternateName"],
            item["datePublished"],
            data["datePublished"],
            data.get("dateModified"),
            item["author"]["name"],
            item["author"]["@type"],
            item["author"].get("sameAs"),
            sorted(a["url"] for a in item.get("appearance", [])),
            data["url"],
        )
    return facts


def test_round_trip_through_the_built_sites_own_claimreview_pages_loses_nothing(tmp_path):
    original = minimal_site(tmp_path / "old", ROUND_TRIP_FILES)
    assert original.run("build").code == 0
    moved = empty_archive(tmp_path / "new")
    result = moved.run("import", "claimreview", str(tmp_path / "old" / "public" / "claims"))
    assert result.code == 0, result.err
    assert "filled in: nothing" in result.out[-1]
    assert moved.run("build").code == 0
    before, after = _facts(tmp_path / "old"), _facts(tmp_path / "new")
    assert len(before) == 3 and set(after) == set(before)
    for claim, facts in before.items():
        rating, date, reviewed, modified, claimant, kind, same_as, appearances, url = after[claim]
        assert (rating, date, reviewed, modified, claimant, kind, same_as) == facts[:7], claim
        assert url == facts[8]  # same slug, same address
        # Every appearance URL survives (a source without its own URL is known by its old page's address).
        assert appearances == facts[7], claim
    for text in claim_files(moved).values():
        assert "original_url: " in text and "aliases" not in text
    # The page's own words come along too: its summary, and its analysis as Markdown.
    harbour = claim_files(moved)["harbour-deepened"]
    assert 'summary: "No survey confirms the depth."' in harbour and "The authority gave no survey." in harbour
    person = (tmp_path / "new" / "content" / "people" / "richard-miles.yaml").read_text()
    assert 'url: "https://miles.example.net/"' in person


# -- Fuzzing: whatever the input, positioned errors and valid content, never a traceback ---------------

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(
        [
            "ClaimReview",
            "2024-02-30",
            "2024-03-01",
            "https://factcheck.example.org/a/b/",
            "https://factcheck.example.org/claims/x/",
            "https://x.example/..",
            "False",
            "Mostly true",
            "javascript:alert(1)",
            "ar",
            "en",
            "zh-Hant",
            "\u2028",
            "- no",
            "#",
            "|",
            "\"'",
            "a: b",
            "---",
            "قالت",
            "部长",
        ]
    ),
)
json_values = st.recursive(
    json_scalars,
    lambda c: (
        st.lists(c, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "claimReviewed",
                    "reviewRating",
                    "alternateName",
                    "itemReviewed",
                    "author",
                    "name",
                    "datePublished",
                    "url",
                    "appearance",
                    "@graph",
                    "dataFeedElement",
                    "item",
                    "inLanguage",
                    "claims",
                    "text",
                    "claimant",
                    "claimDate",
                    "claimReview",
                    "textualRating",
                    "reviewDate",
                    "languageCode",
                    "publisher",
                    "title",
                    "sameAs",
                    "description",
                    "reviewBody",
                ]
            )
            | st.text(max_size=8),
            c,
            max_size=6,
        )
    ),
    max_leaves=30,
)
# Mostly reviews that can be imported, with arbitrary words where editors' text goes: the YAML written must read back.
review_like = st.builds(
    lambda claim, rating, name, url, extra: {**claim_review(claim, rating, url, claimant=name), **extra},
    st.text(min_size=1, max_size=60) | json_scalars,
    st.sampled_from(["False", "MOSTLY TRUE", "Half-true"]) | json_scalars,
    st.text(min_size=1, max_size=30) | json_scalars,
    st.sampled_from(
        [
            "https://other.example.com/a",
            "https://factcheck.example.org/2020/old/",
            "https://factcheck.example.org/claims/x/",
        ]
    )
    | json_scalars,
    st.dictionaries(
        st.sampled_from(["description", "reviewBody", "inLanguage", "name", "dateModified"]) | st.text(max_size=6),
        json_values,
        max_size=2,
    ),
)


def _assert_honest(site: Site, result) -> None:
    assert result.code in (0, 1), result.err
    for line in result.err:
        assert "Traceback" not in line and "internal error" not in line, result.err
    check = site.run("check")
    assert check.code == 0, check.err + [p.read_text() for p in (site.root / "content").rglob("*.yaml")]


@pytest.fixture
def fuzz_archive(tmp_path):
    def fresh():
        root = tmp_path / "fuzz"
        shutil.rmtree(root, ignore_errors=True)
        return empty_archive(root)

    return fresh


@FUZZ
@given(st.lists(st.one_of(review_like, json_values), max_size=5), st.sampled_from(["claimreview", "factcheck-api"]))
def test_fuzzed_json_imports_valid_content_or_says_why(fuzz_archive, values, kind):
    site = fuzz_archive()
    site.write("in.json", json.dumps(values if kind == "claimreview" else {"claims": values}))
    _assert_honest(site, site.run("import", kind, "in.json"))


@FUZZ
@given(
    st.lists(
        st.lists(
            st.one_of(st.text(max_size=20), st.sampled_from(["2024-01-02", "False", "https://a.example/x", ";", '"'])),
            min_size=0,
            max_size=6,
        ),
        max_size=5,
    ),
    st.sampled_from([",", ";"]),
    st.booleans(),
)
def test_fuzzed_spreadsheets_import_valid_content_or_say_why(fuzz_archive, rows, delimiter, bom):
    site = fuzz_archive()
    header = delimiter.join(["claim", "claimant", "date", "verdict", "reviewed", "summary"])
    text = ("\ufeff" if bom else "") + header + "\n" + "\n".join(delimiter.join(row) for row in rows)
    site.write("in.csv", text)
    _assert_honest(site, site.run("import", "csv", "in.csv"))


@FUZZ
@given(
    st.binary(max_size=200)
    | st.text(max_size=200).map(lambda t: f"<html><script type='application/ld+json'>{t}</script></html>".encode())
)
def test_fuzzed_bytes_never_crash_the_import(fuzz_archive, data):
    site = fuzz_archive()
    site.write("in.html", data)
    _assert_honest(site, site.run("import", "claimreview", "in.html"))


def test_the_benchmarks_made_up_exports_import_cleanly_and_idempotently():
    from bench.importing import measure_import

    formats = measure_import(40)["formats"]
    for name, result in formats.items():
        expected = 4 if name == "claimreview-html" else 40
        assert (
            f"claims: wrote {expected} new and 0 updated" in result["summary"] and "0 skipped" in result["summary"]
        ), name
    again = formats["claimreview-datafeed"]
    assert "wrote 0 new and 0 updated, 40 unchanged" in again["again_summary"]
    assert again["check"].endswith(": no errors")


html_fragments = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<a href='",
            "'>",
            "</a>",
            "<h2>",
            "</h2>",
            "<ul><li>",
            "</li></ul>",
            "<b>",
            "</b>",
            "[",
            "]",
            "(",
            ")",
            "*",
            "_",
            "#",
            "`",
            "<",
            ">",
            "&amp;",
            "&lt;",
            "javascript:x",
            "http://a.example/",
            "/rel",
            "claim:x",
            "![",
            "<script>",
            "</script>",
            "<img src=x>",
            "\n",
            "  ",
            "|",
            "---",
            "<table><tr><td>",
            "</td></tr></table>",
        ]
    )
    | st.text(max_size=10),
    max_size=40,
).map("".join)


@FUZZ
@given(html_fragments)
@example("<![")  # found by this test: html.parser rejected the page and the import crashed
def test_fuzzed_article_bodies_become_markdown_that_passes_check(fuzz_archive, body):
    site = fuzz_archive()
    review = claim_review("The ferry is free on Sundays.", "False", "https://other.example.com/f")
    site.write("in.html", html_page([review], f"<article>{body}</article>"))
    result = site.run("import", "claimreview", "in.html")
    _assert_honest(site, result)
    if "\x00" in body:  # a page holding a NUL byte is no text: refused whole, at its position
        assert claim_files(site) == {} and "contains a NUL byte" in result.err[0]
    else:
        assert len(claim_files(site)) == 1, result.err


def test_a_broken_state_file_stops_the_import_before_it_writes(tmp_path):
    site = empty_archive(tmp_path)
    site.write(
        "feed.json", json.dumps([claim_review("The port is open at night.", "True", "https://other.example.com/n")])
    )
    site.write("import-state.json", '{"version": 1, "files": ')
    result = site.run("import", "claimreview", "feed.json")
    assert result.code == 1
    assert result.err[0].startswith("import-state.json:1:1: error: the import's state file cannot be read")
    assert claim_files(site) == {}


def test_ratings_match_ids_and_labels_ignoring_case_accents_and_punctuation_and_never_guess():
    from site_builder.i18n import interface
    from site_builder.importing.verdicts import match, scale_of
    from site_builder.schema import DEFAULT_VERDICTS

    scale = scale_of(DEFAULT_VERDICTS)
    for rating in ("Mostly False", "MOSTLY FÁLSE", "mostly-false", " Mostly  false! ", "Mostly_False"):
        assert match(rating, scale, {}) == "mostly-false", rating
    assert match("Not a factual claim", scale, {}) == "opinion"
    for rating in ("Mostly", "Pants on Fire", "Falsehood", "Misleading"):
        assert match(rating, scale, {}) is None, rating
    dari = scale_of(DEFAULT_VERDICTS, interface("fa-AF").gettext)
    assert match(interface("fa-AF").gettext("Mostly false"), dari, {}) == "mostly-false"


def test_a_partial_copy_of_a_fact_check_is_completed_by_its_twin(tmp_path):
    site = empty_archive(tmp_path)
    full = api_claim("The lighthouse is 200 years old.", "False", "https://other.example.com/lighthouse")
    partial = api_claim(
        "The lighthouse is 200 years old.", "False", "https://other.example.com/lighthouse", claimant=None, date=None
    )
    site.write("api.json", json.dumps({"claims": [partial, full]}))
    result = site.run("import", "factcheck-api", "api.json")
    assert result.code == 0, result.err
    assert "(1 duplicates, 0 empty, 0 skipped)" in result.out[-1] and "claim dates" not in result.out[-1]
    text = claim_files(site)["the-lighthouse-is-200-years-old"]
    assert "claimant: jane-roe" in text and "date: 2024-05-01" in text


def test_a_dari_archive_imports_its_own_ratings_and_states_them_in_dari(tmp_path):
    site = Site(tmp_path)
    site.write("content/site.yaml", SITE_YAML + "language: fa-AF\n")
    claim = "وزیر گفت پل جدید دو ماه زودتر تمام شد."
    site.write(
        "api.json",
        json.dumps(
            [api_claim(claim, "بیشتر نادرست", "https://other.example.com/fa", language="fa")], ensure_ascii=False
        ),
    )
    result = site.run("import", "factcheck-api", "api.json")
    assert result.code == 0, result.err
    ((slug, text),) = claim_files(site).items()
    assert "verdict: mostly-false" in text and "language" not in text and "original_rating" not in text
    assert "راستی‌آزمایی اصلی را بخوانید" in text and "Read the original" not in text
    assert site.run("build").code == 0
    # In the site's own language the heading takes its direction from the page (no dir of its own).
    assert page(site, slug).xpath("//h1/ancestor-or-self::*[@dir][1]/@dir") == ["rtl"]


def test_an_article_too_long_for_an_analysis_is_replaced_by_a_link_and_counted(tmp_path):
    site = empty_archive(tmp_path)
    long_body = "A sentence of the review. " * 2_500 + "[x] " * 1_100
    site.write(
        "feed.json",
        json.dumps(
            [claim_review("The canal is 90 km long.", "True", "https://other.example.com/c", reviewBody=long_body)]
        ),
    )
    result = site.run("import", "claimreview", "feed.json")
    assert result.code == 0 and "1 article texts too long for an analysis, replaced by a link" in result.out[-1]
    assert "Read the original fact-check" in claim_files(site)["the-canal-is-90-km-long"]
    assert site.run("check").code == 0


def test_an_old_address_the_build_writes_a_page_at_is_not_made_an_alias(tmp_path):
    site = empty_archive(tmp_path)
    site.write("content/pages/about.md", "---\ntitle: About\n---\nAbout us.\n")
    feed = [
        claim_review("The dam holds 3 billion litres.", "False", BASE + "about/"),
        claim_review("The dam is 80 metres high.", "False", BASE + "search/"),
        claim_review("The dam was finished in 1960.", "True", BASE + "2019/dam/?p=12"),
    ]
    site.write("feed.json", json.dumps(feed))
    result = site.run("import", "claimreview", "feed.json")
    assert result.code == 0, result.err
    assert sum("is not kept as an alias: the build writes a page there" in line for line in result.err) == 2
    assert sum("?p=12 is not kept as an alias: a static site cannot answer" in line for line in result.err) == 1
    assert not any("aliases" in text for text in claim_files(site).values())
    assert site.run("build").code == 0

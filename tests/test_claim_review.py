"""ClaimReview as aggregators read it: each appearance points where the claim was
made (the original, else its archived copy, never this archive's own page),
firstAppearance names the one that came first, and Google's presets of
structured-data-testing-tool pass on every claim page. Also og:locale, and the
`check` warning about a source no reader can reach.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sites import CLAIM, CLAIM_PATH, PLACEHOLDER_WARNING, minimal_site, replaced, single_error
from test_site import DEFAULT_CONTENT, REPO_ROOT, build_site, html_pages, json_ld, write_site
from tools import sdtt_report

SITE = {
    "content/site.yaml": """
        title: Riverside Fact-Check
        base_url: https://checks.example.net/
        publisher:
          name: Example Fact-Checkers
          url: https://checks.example.net/about/
        """,
    "content/people/sam-poe.yaml": """
        name: Sam Poe
        """,
    "content/sources/speech.yaml": """
        title: Speech at the river festival
        kind: speech
        url: https://video.example.org/speech
        published: 2021-06-02
        """,
    "content/sources/post.yaml": """
        title: A post repeating the speech
        kind: social-post
        archive_url: https://archive.example.org/post
        published: 2021-06-01
        """,
    "content/sources/interview.yaml": """
        title: Interview nobody recorded
        kind: interview
        publisher: Example Radio
        quotes:
          - id: dam
            speaker: sam-poe
            text: The dam will be finished next year.
        """,
    "content/claims/named-first.yaml": """
        claim: The river is the cleanest in the region.
        claimant: sam-poe
        date: 2021-06-01
        verdict: unproven
        summary: No comparison has been published.
        analysis: Nobody has measured it.
        reviewed: 2021-06-10
        appearances:
          - speech
          - post
          - interview
        first_appearance: speech
        """,
    "content/claims/earliest-dated.yaml": """
        claim: The river bridge will be tolled.
        claimant: sam-poe
        date: 2021-06-01
        verdict: "false"
        summary: The council ruled tolls out.
        analysis: The council ruled tolls out.
        reviewed: 2021-06-11
        appearances:
          - speech
          - post
        """,
    "content/claims/nowhere-to-reach.yaml": """
        claim: The dam will be finished next year.
        claimant: sam-poe
        date: 2021-06-03
        verdict: mostly-false
        summary: The plans say three years.
        analysis: The plans say three years.
        reviewed: 2021-06-12
        quotes:
          - interview#dam
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("claim-review")
    return build_site(write_site(root, SITE), root / "public")


def item_reviewed(site: Path, slug: str) -> dict:
    [data] = json_ld(html_pages(site)[f"claims/{slug}/index.html"])
    return data["itemReviewed"]


def test_appearances_point_at_the_original_or_its_archived_copy_never_at_the_archive(site):
    item = item_reviewed(site, "named-first")
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": "https://video.example.org/speech",
            "name": "Speech at the river festival",
            "datePublished": "2021-06-02",
        },
        {
            "@type": "CreativeWork",
            "url": "https://archive.example.org/post",
            "name": "A post repeating the speech",
            "datePublished": "2021-06-01",
        },
    ]  # the interview has no address at all: left out


def test_first_appearance_is_the_one_the_claim_names(site):
    assert item_reviewed(site, "named-first")["firstAppearance"]["url"] == "https://video.example.org/speech"


def test_first_appearance_is_otherwise_the_earliest_dated(site):
    assert item_reviewed(site, "earliest-dated")["firstAppearance"] == {
        "@type": "CreativeWork",
        "url": "https://archive.example.org/post",
        "name": "A post repeating the speech",
        "datePublished": "2021-06-01",
    }


def test_a_claim_whose_sources_have_no_address_has_no_appearance(site):
    item = item_reviewed(site, "nowhere-to-reach")
    assert "appearance" not in item and "firstAppearance" not in item


def test_the_default_archive_never_names_its_own_pages_as_appearances(tmp_path_factory):
    site = build_site(DEFAULT_CONTENT, tmp_path_factory.mktemp("default-cr") / "public")
    for relpath, doc in html_pages(site).items():
        for data in json_ld(doc):
            for work in data["itemReviewed"].get("appearance", []):
                assert not work["url"].startswith("https://factcheck.example.org/"), relpath


def test_google_presets_of_structured_data_testing_tool_pass_on_every_claim_page(site):
    pages = sorted((site / "claims").glob("*/index.html"))
    assert len(pages) == 3
    for page in pages:
        code, report = sdtt_report(page)
        assert code == 0 and "Failed: 0" in report, report


def test_first_appearance_must_be_among_the_appearances(tmp_path):
    claim = replaced(
        CLAIM, "topics:\n", "appearances:\n  - ministry-statement\nfirst_appearance: ministry-statment\ntopics:\n"
    )
    where, message = single_error(tmp_path / "typo", {CLAIM_PATH: claim})
    assert where.endswith("bridge-finished-early.yaml:14:19")
    assert "first appearance 'ministry-statment' does not exist in sources/" in message
    claim = claim.replace("appearances:\n  - ministry-statement\n", "")
    claim = claim.replace("first_appearance: ministry-statment", "first_appearance: ministry-statement")
    where, message = single_error(tmp_path / "not-listed", {CLAIM_PATH: claim})
    assert message == (
        "first_appearance 'ministry-statement' is not among this claim's appearances: "
        "add it to appearances, or name one of them"
    )


def test_check_warns_about_a_source_no_reader_can_reach(tmp_path):
    site = minimal_site(tmp_path, {"content/sources/hearsay.yaml": "title: Hearsay\nkind: interview\n"})
    result = site.run("check")
    assert result.code == 0
    assert [line for line in result.err if ": warning: " in line] == [
        "content/sources/hearsay.yaml:1:1: warning: source 'hearsay' has no url, archive_url or text: readers cannot "
        "reach what it says; add the original's url, an archived copy's archive_url, or its text",
        PLACEHOLDER_WARNING,
    ]
    assert result.out == ["checked 5 records in content: no errors, 1 warning"]
    # A source with its text archived is reachable: the minimal site's own gives no warning but its base_url's.
    assert minimal_site(tmp_path / "plain").run("check").err == [PLACEHOLDER_WARNING]


def test_og_locale_names_the_page_language_as_open_graph_writes_it(site, tmp_path):
    assert html_pages(site)["index.html"].xpath("//meta[@property='og:locale']/@content") == ["en"]
    dari = build_site(REPO_ROOT / "examples/dari/content", tmp_path / "dari")
    assert html_pages(dari)["index.html"].xpath("//meta[@property='og:locale']/@content") == ["fa_AF"]

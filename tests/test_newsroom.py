"""The newsroom's workflow (issue 17): drafts and embargoes, staff and bylines, readers' links, feeds, images.

Each site is built once per module with the real command line, in a process
of its own, and the tests read what came out: every file of public/, the
Pagefind fragments decompressed, the dataset, the feeds parsed as Atom.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from sites import CLAIM, CLAIM_PATH, PLACEHOLDER_WARNING, REPO_ROOT, SITE_PATH, SITE_YAML, minimal_site, replaced


def _jpeg_with_gps(size, colour) -> bytes:
    """A screenshot as a phone saves it: EXIF naming the phone and GPS saying where."""
    exif = Image.Exif()
    exif[0x010F] = "QuokkaPhone"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "E", 4: (7.0, 5.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _png(size) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 90, 200, 160)).save(out, "PNG")
    return out.getvalue()


SCREENSHOT = _jpeg_with_gps((1200, 800), (200, 30, 30))
DRAFT_SCREENSHOT = _jpeg_with_gps((640, 480), (20, 160, 30))
MAP_PNG = _png((300, 200))

NOW_BEFORE = "2026-12-05T08:59+01:00"  # a minute before the embargo below
NOW_AFTER = "2026-12-05T09:00+01:00"  # the embargo's instant: it has passed

# Words and slugs that exist only in the unpublished records, so a trace of them anywhere is found.
BANNER = '//*[contains(concat(" ", @class, " "), " held-banner ")]'
ROBOTS = '//meta[@name="robots"]'
DRAFT_MARKERS = ("zebra", "Zebracorn")
EMBARGO_MARKERS = ("okapi", "Okapicorn")

DRAFT_CLAIM = """\
claim: The Zebracorn bridge toll doubled overnight.
claimant: zebra-person
date: 2021-10-01
verdict: false
summary: Zebracorn tolls stayed the same.
analysis: |
  The Zebracorn toll is unchanged; see the [statement](source:zebra-source).
reviewed: 2021-10-05
topics:
  - zebra-topic
appearances:
  - zebra-source
counterclaims:
  - bridge-finished-early
draft: true
image:
  file: media/zebra.jpg
  alt: The Zebracorn leaflet
"""

EMBARGOED_CLAIM = """\
claim: The Okapicorn tunnel will open in spring.
claimant: jane-roe
date: 2021-10-02
verdict: half-true
summary: Okapicorn opening is planned for summer.
analysis: |
  Okapicorn works are behind schedule, as [the bridge check](claim:bridge-finished-early) noted.
reviewed: 2021-10-06
topics:
  - okapi-topic
  - bridges
publish_at: 2026-12-05T09:00:00+01:00
"""

# The published claim names both unpublished ones; the links must go, the words stay.
PUBLISHED_CLAIM = replaced(
    CLAIM,
    "reviewed: 2021-09-20\n",
    """\
reviewed: 2021-09-20
counterclaims:
  - okapi-tunnel
authors:
  - ada-quill
editors:
  - bo-marsh
corrections:
  - date: 2021-11-02
    note: The opening month was corrected.
image:
  file: media/post.jpg
  alt: The minister's post announcing the bridge
  caption: The post as it appeared.
  credit: Screenshot by Example Fact-Checkers
""",
).replace(
    "  [statement](source:ministry-statement#bridge-finished).\n",
    "  [statement](source:ministry-statement#bridge-finished), unlike [a later check](claim:zebra-draft)\n"
    "  and [another one](claim:okapi-tunnel).\n\n  ![A map of the bridge](media/map.png)\n",
)

NEWSROOM_FILES = {
    "media/post.jpg": SCREENSHOT,
    "media/zebra.jpg": DRAFT_SCREENSHOT,
    "media/map.png": MAP_PNG,
    SITE_PATH: SITE_YAML
    + "report_error_url: mailto:desk@factcheck.example.org\ntips_url: https://factcheck.example.org/tips/\n",
    "content/pages/corrections-policy.md": "---\ntitle: Corrections policy\n---\nWe correct errors openly.\n",
    CLAIM_PATH: PUBLISHED_CLAIM,
    "content/claims/zebra-draft.yaml": DRAFT_CLAIM,
    "content/claims/okapi-tunnel.yaml": EMBARGOED_CLAIM,
    "content/people/zebra-person.yaml": "name: Zebracorn Person\ndraft: true\n",
    "content/sources/zebra-source.yaml": "title: Zebracorn leaflet\nkind: document\ndraft: true\n",
    "content/topics/zebra-topic.yaml": "title: Zebracorn tolls\ndraft: true\n",
    "content/staff/ada-quill.yaml": "name: Ada Quill\nrole: Fact-checker\nbio: |\n  Ada checks [bridges](topic:bridges).\n"
    "same_as:\n  - https://example.org/ada\n",
    "content/staff/bo-marsh.yaml": "name: Bo Marsh\nrole: Editor\n",
    "content/pages/zebra-page.md": "---\ntitle: Zebracorn plans\nnav: 3\ndraft: true\n---\nZebracorn text.\n",
}


def every_file_text(folder: Path) -> dict[str, str]:
    """Every file below `folder` by path, as text, gzip-compressed ones (Pagefind's) decompressed."""
    texts = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        texts[str(path.relative_to(folder))] = data.decode("utf-8", errors="replace")
    return texts


def traces(folder: Path, markers: tuple[str, ...]) -> list[str]:
    """The files whose path or bytes mention any marker, ignoring case."""
    pattern = re.compile("|".join(markers), re.IGNORECASE)
    return [path for path, text in every_file_text(folder).items() if pattern.search(path) or pattern.search(text)]


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    root = tmp_path_factory.mktemp("newsroom")
    site = minimal_site(root, NEWSROOM_FILES)
    builds = {}
    for name, args in {
        "before": ("--now", NOW_BEFORE),
        "after": ("--now", NOW_AFTER),
        "drafts": ("--drafts", "--now", NOW_BEFORE),
    }.items():
        result = site.run_subprocess("build", "--out", f"out-{name}", *args)
        assert result.code == 0, "\n".join(result.err)
        builds[name] = root / f"out-{name}"
    return site, builds


def page(folder: Path, relpath: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((folder / relpath).read_bytes())


# -- drafts and embargoes ---------------------------------------------------------


def test_draft_and_embargoed_claim_leave_no_trace(newsroom):
    _, builds = newsroom
    public = builds["before"]
    assert (public / "claims/bridge-finished-early/index.html").is_file()
    assert any(public.glob("pagefind/fragment/*.pf_fragment")), "the search index was not built"
    assert (public / "data").is_dir()
    assert traces(public, DRAFT_MARKERS) == []
    assert traces(public, EMBARGO_MARKERS) == []


def test_links_to_unpublished_claims_keep_their_words(newsroom):
    _, builds = newsroom
    claim = page(builds["before"], "claims/bridge-finished-early/index.html")
    text = claim.text_content()
    assert "unlike a later check" in " ".join(text.split())
    assert "and another one" in " ".join(text.split())
    hrefs = [a.get("href") for a in claim.iter("a")]
    assert not [h for h in hrefs if "zebra" in h or "okapi" in h]


def test_embargoed_claim_appears_once_its_instant_has_passed(newsroom):
    _, builds = newsroom
    public = builds["after"]
    assert (public / "claims/okapi-tunnel/index.html").is_file()
    assert (public / "claims/okapi-tunnel/og.png").is_file()
    assert (public / "topics/okapi-topic/index.html").is_file()
    texts = every_file_text(public)
    assert "claims/okapi-tunnel/" in texts["sitemap.xml"]
    assert "Okapicorn tunnel" in texts["feed.xml"]
    dataset = "".join(text for path, text in texts.items() if path.startswith("data/"))
    assert "okapi-tunnel" in dataset
    assert any("Okapicorn" in text for path, text in texts.items() if path.startswith("pagefind/fragment/"))
    published = page(public, "claims/bridge-finished-early/index.html")
    assert any(a.get("href") == "/claims/okapi-tunnel/" for a in published.iter("a"))
    # Published now: no banner and no noindex.
    okapi = page(public, "claims/okapi-tunnel/index.html")
    assert not okapi.xpath(BANNER)
    assert not okapi.xpath(ROBOTS)
    # The draft is still a draft.
    assert traces(public, DRAFT_MARKERS) == []


def test_drafts_build_shows_everything_with_banner_and_noindex(newsroom):
    _, builds = newsroom
    public = builds["drafts"]
    for relpath, banner in (
        ("claims/zebra-draft/index.html", "Draft: not published"),
        ("people/zebra-person/index.html", "Draft: not published"),
        ("sources/zebra-source/index.html", "Draft: not published"),
        ("topics/zebra-topic/index.html", "Draft: not published"),
        ("zebra-page/index.html", "Draft: not published"),
        ("claims/okapi-tunnel/index.html", "Embargoed until 5 December 2026, 08:00 UTC"),
    ):
        html = page(public, relpath)
        assert [b.text_content().strip() for b in html.xpath(BANNER)] == [banner], relpath
        assert html.xpath(ROBOTS)[0].get("content") == "noindex", relpath
    published = page(public, "claims/bridge-finished-early/index.html")
    assert not published.xpath(BANNER)
    assert not published.xpath(ROBOTS)
    assert "zebra" not in (public / "sitemap.xml").read_text(), "unpublished pages stay out of the sitemap"


def test_check_counts_drafts_and_embargoed_claims(newsroom):
    site, _ = newsroom
    result = site.run("check", "--now", NOW_BEFORE)
    assert result.code == 0, result.err
    assert result.out == [
        "checked 11 records in content: no errors, 1 warning; 5 drafts and 1 embargoed claim, which `build` leaves out"
    ], result.err
    result = site.run("check", "--now", NOW_AFTER)
    assert result.out == [
        "checked 11 records in content: no errors, 1 warning; 5 drafts and 0 embargoed claims, which `build` leaves out"
    ]
    # The draft source has no address yet: check says so, before it is published.
    assert result.err == [
        "content/sources/zebra-source.yaml:1:1: warning: source 'zebra-source' has no url, archive_url "
        "or text: readers cannot reach what it says; add the original's url, an archived copy's "
        "archive_url, or its text",
        PLACEHOLDER_WARNING,
    ]


def test_references_from_drafts_are_checked(tmp_path):
    # zebra-person, zebra-source and no-such-claim do not exist: a draft is checked like any claim.
    site = minimal_site(
        tmp_path,
        {
            "content/claims/zebra-draft.yaml": DRAFT_CLAIM.replace("bridge-finished-early", "no-such-claim"),
            "media/zebra.jpg": DRAFT_SCREENSHOT,
        },
    )
    result = site.run("build")
    assert result.code == 1
    assert result.places == [
        "content/claims/zebra-draft.yaml:2:11",
        "content/claims/zebra-draft.yaml:7:56",
        "content/claims/zebra-draft.yaml:12:5",
        "content/claims/zebra-draft.yaml:14:5",
    ], result.errors
    assert "counterclaim 'no-such-claim' does not exist" in result.errors[-1]


def test_published_claim_cannot_need_a_draft_person(tmp_path):
    site = minimal_site(tmp_path, {"content/people/jane-roe.yaml": "name: Jane Roe\ndraft: true\n"})
    result = site.run("build", "--drafts")
    assert result.code == 1
    assert result.errors[0].startswith(
        "content/claims/bridge-finished-early.yaml:2:11: error: claimant 'jane-roe' is a draft"
    )


@pytest.mark.parametrize(
    "value, message",
    [
        ("yes", "'draft' should be true or false, not 'yes'"),
    ],
)
def test_draft_is_true_or_false(tmp_path, value, message):
    site = minimal_site(tmp_path, {CLAIM_PATH: CLAIM + f"draft: {value}\n"})
    result = site.run("build")
    assert result.code == 1
    assert result.errors == [f"content/claims/bridge-finished-early.yaml:14:8: error: {message}"]


@pytest.mark.parametrize("value", ["2026-12-05T09:00", "2026-02-30", "2026-12-05T25:00Z", "tomorrow"])
def test_publish_at_needs_a_real_instant_with_offset(tmp_path, value):
    site = minimal_site(tmp_path, {CLAIM_PATH: CLAIM + f"publish_at: {value}\n"})
    result = site.run("build")
    assert result.code == 1
    assert len(result.errors) == 1
    assert result.errors[0].startswith("content/claims/bridge-finished-early.yaml:14:13: error: 'publish_at'")


def test_now_must_be_an_instant(tmp_path):
    site = minimal_site(tmp_path)
    result = site.run("build", "--now", "2026-12-05T09:00")
    assert result.code == 2
    assert "is not a date-time with an offset" in result.err[-1]


def test_serve_shows_drafts_with_their_banner(tmp_path):
    minimal_site(tmp_path, NEWSROOM_FILES)
    process = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "build.py"), "serve", "--port", "0", "--now", NOW_BEFORE],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(2)]  # "built …", then "serving …"
        serving = re.match(r"^serving (http://\S+/) ", lines[-1])
        assert serving, lines
        for path, banner in (
            ("claims/zebra-draft/", "Draft: not published"),
            ("claims/okapi-tunnel/", "Embargoed until 5 December 2026, 08:00 UTC"),
        ):
            # No proxy: the preview is on this machine.
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                serving.group(1) + path, timeout=10
            ) as response:
                html = lxml.html.fromstring(response.read())
            assert [b.text_content().strip() for b in html.xpath(BANNER)] == [banner]
            assert html.xpath(ROBOTS)[0].get("content") == "noindex"
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        process.stdout.close()
        process.stderr.close()


# -- staff and bylines ----------------------------------------------------------------


def test_claim_page_has_a_byline_of_staff(newsroom):
    _, builds = newsroom
    claim = page(builds["before"], "claims/bridge-finished-early/index.html")
    byline = claim.xpath('//p[contains(@class, "staff-byline")]')[0]
    assert " ".join(byline.text_content().split()) == "Fact-check by Ada Quill, edited by Bo Marsh"
    assert [(a.get("href"), a.get("rel")) for a in byline.iter("a")] == [
        ("/staff/ada-quill/", "author"),
        ("/staff/bo-marsh/", None),
    ]


def test_staff_pages_list_everyone_and_their_fact_checks(newsroom):
    _, builds = newsroom
    public = builds["before"]
    index = page(public, "staff/index.html")
    entries = [
        " ".join(li.text_content().split()) for li in index.xpath('//main//li[a[starts-with(@href, "/staff/")]]')
    ]
    assert entries == ["Ada QuillFact-checker", "Bo MarshEditor"]  # name, then the role in its own element
    ada = page(public, "staff/ada-quill/index.html")
    assert ada.xpath("//h1")[0].text_content() == "Ada Quill"
    assert ada.xpath('//main//a[@href="/topics/bridges/"]'), "the bio's Markdown link is resolved"
    assert ada.xpath('//main//a[@href="/claims/bridge-finished-early/"]')
    assert "https://factcheck.example.org/staff/ada-quill/" in (public / "sitemap.xml").read_text()
    assert page(public, "index.html").xpath('//nav//a[@href="/staff/"]'), "the team is in the navigation"


def test_claimreview_names_staff_as_authors_and_the_organisation_as_publisher(newsroom):
    _, builds = newsroom
    claim = page(builds["before"], "claims/bridge-finished-early/index.html")
    data = json.loads(claim.xpath('//script[@type="application/ld+json"]')[0].text)
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Example Fact-Checkers",
        "url": "https://factcheck.example.org/about/",
    }
    assert [(a["@type"], a["name"], a["url"], a["jobTitle"]) for a in data["author"]] == [
        ("Person", "Ada Quill", "https://factcheck.example.org/staff/ada-quill/", "Fact-checker")
    ]
    assert data["author"][0]["sameAs"] == ["https://example.org/ada"]
    assert [e["name"] for e in data["editor"]] == ["Bo Marsh"]
    # What Google's ClaimReview checks require of the review, with authors now people.
    assert {"claimReviewed", "reviewRating", "url", "author", "itemReviewed"} <= data.keys()
    assert data["reviewRating"]["alternateName"] and data["itemReviewed"]["author"]["name"] == "Jane Roe"


def test_claim_without_authors_keeps_the_organisation_as_author(newsroom):
    _, builds = newsroom
    claim = page(builds["after"], "claims/okapi-tunnel/index.html")
    data = json.loads(claim.xpath('//script[@type="application/ld+json"]')[0].text)
    assert data["author"]["@type"] == "Organization" and "publisher" not in data
    assert not claim.xpath('//p[contains(@class, "staff-byline")]')


def test_unknown_staff_is_an_error_at_its_line(tmp_path):
    site = minimal_site(
        tmp_path,
        {
            CLAIM_PATH: CLAIM + "authors:\n  - ada-quil\n",
            "content/staff/ada-quill.yaml": "name: Ada Quill\nrole: Fact-checker\n",
        },
    )
    result = site.run("build")
    assert result.code == 1
    assert result.errors == [
        "content/claims/bridge-finished-early.yaml:15:5: error: author 'ada-quil' does not exist "
        "in staff/ (did you mean 'ada-quill' (Ada Quill)?)"
    ]


def test_staff_needs_name_and_role(tmp_path):
    site = minimal_site(tmp_path, {"content/staff/ada-quill.yaml": "name: Ada Quill\n"})
    result = site.run("build")
    assert result.code == 1
    assert result.errors == [
        "content/staff/ada-quill.yaml:1:1: error: staff member is missing the required key 'role': "
        "what they do, such as Fact-checker or Editor"
    ]


# -- feeds per topic, claimant, staff member and verdict ------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = {  # the page, and the claims its feed holds
    "topics/bridges/": ["bridge-finished-early"],
    "people/jane-roe/": ["bridge-finished-early"],
    "staff/ada-quill/": ["bridge-finished-early"],
    "staff/bo-marsh/": ["bridge-finished-early"],
    "claims/verdict/mostly-true/": ["bridge-finished-early"],
}


def test_every_group_page_links_its_valid_atom_feed(newsroom):
    from lxml import etree
    from test_trust_validity import atom_problems

    _, builds = newsroom
    public = builds["after"]
    feeds = {
        **FEEDS,
        "topics/bridges/": ["bridge-finished-early", "okapi-tunnel"],
        "topics/okapi-topic/": ["okapi-tunnel"],
        "claims/verdict/half-true/": ["okapi-tunnel"],
        "people/jane-roe/": ["bridge-finished-early", "okapi-tunnel"],
    }  # the corrected one was updated last
    for path, claims in feeds.items():
        html = page(public, path + "index.html")
        links = html.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]/@href')
        assert links == ["/feed.xml", f"/{path}feed.xml"], path
        feed = etree.parse(str(public / path / "feed.xml"))
        assert atom_problems(feed) == [], path
        root = feed.getroot()
        assert root.findtext(f"{ATOM}id") == f"https://factcheck.example.org/{path}"
        assert [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"] == [
            f"https://factcheck.example.org/{path}feed.xml"
        ]
        assert [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")] == [
            f"https://factcheck.example.org/claims/{slug}/" for slug in claims
        ], path
    # A page without claims has no feed.
    assert not (public / "people/zebra-person").exists()


def test_group_feeds_carry_bylines_and_corrections_as_updates(newsroom):
    from lxml import etree

    _, builds = newsroom
    entry = etree.parse(str(builds["before"] / "topics/bridges/feed.xml")).getroot().find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated") == "2021-11-02T00:00:00Z"
    assert entry.findtext(f"{ATOM}published") == "2021-09-20T00:00:00Z"
    assert "Corrected 2 November 2021: The opening month was corrected." in entry.findtext(f"{ATOM}summary")
    assert [(a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri")) for a in entry.findall(f"{ATOM}author")] == [
        ("Ada Quill", "https://factcheck.example.org/staff/ada-quill/")
    ]
    assert [c.findtext(f"{ATOM}name") for c in entry.findall(f"{ATOM}contributor")] == ["Bo Marsh"]


# -- readers talking back ------------------------------------------------------------


def test_every_claim_page_offers_to_report_an_error_with_its_address(newsroom):
    _, builds = newsroom
    claim = page(builds["before"], "claims/bridge-finished-early/index.html")
    report = claim.xpath('//p[@class="report-error"]')[0]
    links = [(a.text_content(), a.get("href")) for a in report.iter("a")]
    assert links == [
        (
            "Report an error in this fact-check",
            "mailto:desk@factcheck.example.org?subject=Error%20in%20the%20fact-check"
            "%20https%3A%2F%2Ffactcheck.example.org%2Fclaims%2Fbridge-finished-early%2F",
        ),
        ("Our corrections policy", "/corrections-policy/"),
    ]
    footer = claim.xpath('//footer//a[@href="https://factcheck.example.org/tips/"]')
    assert [a.text_content() for a in footer] == ["Suggest a claim to check"]


def test_a_web_form_gets_the_claim_address_as_a_parameter(tmp_path):
    site = minimal_site(
        tmp_path, {SITE_PATH: SITE_YAML + "report_error_url: https://forms.example.org/report?lang=en\n"}
    )
    assert site.run("build").code == 0
    claim = lxml.html.fromstring((tmp_path / "public/claims/bridge-finished-early/index.html").read_bytes())
    assert claim.xpath('//p[@class="report-error"]/a/@href') == [
        "https://forms.example.org/report?lang=en&url=https%3A%2F%2Ffactcheck.example.org%2Fclaims%2Fbridge-finished-early%2F"
    ]
    assert not claim.xpath('//footer//a[text()="Suggest a claim to check"]'), "no tips_url, no link"


@pytest.mark.parametrize("value", ["desk@example.org", "ftp://example.org/", "mailto:desk"])
def test_contact_addresses_are_web_or_mail_addresses(tmp_path, value):
    site = minimal_site(tmp_path, {SITE_PATH: SITE_YAML + f"tips_url: {value}\n"})
    result = site.run("build")
    assert result.code == 1
    assert result.errors == [
        f"content/site.yaml:6:11: error: 'tips_url' should be a web address starting with http:// "
        f"or https://, or an e-mail address written mailto:desk@example.org, not '{value}'"
    ]


def test_staff_pages_get_the_context_their_template_is_documented_with(newsroom):
    from site_builder import pages as site_pages
    from site_builder.pipeline import BuildOptions, load_library
    from site_builder.urls import Urls

    site, _ = newsroom
    library = load_library(
        BuildOptions(content_dir=str(site.root / "content"), now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    )
    pages = [plan.make() for plan in site_pages.SitePages(library, Urls(library.site.base_url)).plans()]
    staff = [page for page in pages if page.template == "staff.html"]
    assert [p.path for p in staff] == ["staff/ada-quill/index.html", "staff/bo-marsh/index.html"]
    assert all(isinstance(p.context, site_pages.staff.StaffPage) for p in staff)


# -- images -------------------------------------------------------------------------


def test_claim_image_is_written_in_responsive_versions(newsroom):
    _, builds = newsroom
    public = builds["before"]
    stem = "/media/" + hashlib.sha256(SCREENSHOT).hexdigest()[:16]
    claim = page(public, "claims/bridge-finished-early/index.html")
    figure = claim.xpath('//figure[@class="figure"]')[0]
    source = figure.xpath(".//source")[0]
    assert source.get("type") == "image/webp"
    assert source.get("srcset") == f"{stem}-480.webp 480w, {stem}-960.webp 960w, {stem}-1200.webp 1200w"
    img = figure.xpath(".//img")[0]
    assert img.get("srcset") == f"{stem}-480.jpg 480w, {stem}-960.jpg 960w, {stem}-1200.jpg 1200w"
    assert (img.get("src"), img.get("width"), img.get("height")) == (f"{stem}-1200.jpg", "1200", "800")
    assert img.get("sizes") and img.get("alt") == "The minister's post announcing the bridge"
    assert img.get("loading") is None, "the image at the top of the page loads at once"
    assert (
        " ".join(figure.xpath(".//figcaption")[0].text_content().split())
        == "The post as it appeared. Screenshot by Example Fact-Checkers"
    )
    for url in [*source.get("srcset").split(", "), *img.get("srcset").split(", ")]:
        path, width = url.split(" ")
        with Image.open(public / path.lstrip("/")) as version:
            assert version.width == int(width[:-1]) and version.format == ("WEBP" if path.endswith(".webp") else "JPEG")
    # The Markdown image, further down, waits until it is scrolled to.
    inline = claim.xpath("//section[@class='analysis']//picture//img")[0]  # libxml2 nests img in the void source
    assert (inline.get("alt"), inline.get("loading"), inline.get("width"), inline.get("height")) == (
        "A map of the bridge",
        "lazy",
        "300",
        "200",
    )


def test_written_images_carry_no_metadata(newsroom):
    _, builds = newsroom
    written = sorted((builds["before"] / "media").iterdir())
    assert len(written) == 8  # the screenshot in 3 widths and the map in 1, each as WebP and in its own format
    assert b"QuokkaPhone" in SCREENSHOT
    for path in written:
        data = path.read_bytes()
        assert b"QuokkaPhone" not in data and b"Exif" not in data, path.name
        with Image.open(path) as image:
            assert dict(image.getexif()) == {}, path.name
            assert not {"exif", "xmp", "icc_profile", "gps"} & set(image.info), path.name


def test_a_draft_image_is_not_published(newsroom):
    _, builds = newsroom
    draft = hashlib.sha256(DRAFT_SCREENSHOT).hexdigest()[:16]
    assert not [p for p in (builds["before"] / "media").iterdir() if p.name.startswith(draft)]
    assert sorted(p.name for p in (builds["drafts"] / "media").iterdir() if p.name.startswith(draft)) == [
        f"{draft}-480.jpg",
        f"{draft}-480.webp",
        f"{draft}-640.jpg",
        f"{draft}-640.webp",
    ]


def test_image_cache_lives_beside_content_and_never_changes_the_output(newsroom):
    site, builds = newsroom
    cache = site.root / ".cache" / "images"
    cached = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(cached) >= 12  # every version of every build so far
    result = site.run_subprocess("build", "--out", "out-cached", "--now", NOW_BEFORE)
    assert result.code == 0, result.err
    kept = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert kept.items() <= cached.items(), "nothing was resized again"
    # The full build kept one entry a version it wrote; the drafts build's draft screenshot went.
    assert len(kept) == len(list((site.root / "out-cached" / "media").iterdir())) < len(cached)
    for path in cache.iterdir():
        path.unlink()
    cache.rmdir()
    result = site.run_subprocess("build", "--out", "out-uncached", "--now", NOW_BEFORE)
    assert result.code == 0, result.err
    for name in ("out-cached", "out-uncached"):
        assert {p.name: p.read_bytes() for p in (site.root / name / "media").iterdir()} == {
            p.name: p.read_bytes() for p in (builds["before"] / "media").iterdir()
        }


@pytest.mark.parametrize(
    "analysis, place, message",
    [
        ("  Text.\n\n  ![](media/map.png)\n", "9:7", "the image 'media/map.png' has no alt text"),
        ("  ![map.png](media/map.png)\n", "7:14", "the image's alt text repeats its file name 'map.png'"),
        (
            "  ![A map](https://example.org/map.png)\n",
            "7:12",
            "the image 'https://example.org/map.png' is not a file of the site",
        ),
        ("  ![A map](media/nothing.png)\n", "7:12", "the image 'media/nothing.png' does not exist"),
    ],
)
def test_markdown_images_follow_the_image_rules_at_their_own_line(tmp_path, analysis, place, message):
    claim = replaced(
        CLAIM,
        "  [Jane Roe](person:jane-roe) said so in a\n  [statement](source:ministry-statement#bridge-finished).\n",
        analysis,
    )
    site = minimal_site(tmp_path, {CLAIM_PATH: claim, "media/map.png": MAP_PNG})
    result = site.run("build")
    assert result.code == 1
    assert len(result.errors) == 1, result.errors
    assert result.errors[0].startswith(f"content/claims/bridge-finished-early.yaml:{place}: error: {message}"), (
        result.errors
    )


@pytest.mark.parametrize(
    "image, place, message",
    [
        ("  file: media/map.png\n  alt: map\n", "16:8", "'alt' repeats the file name 'map'"),
        ('  file: media/map.png\n  alt: ""\n', "16:8", "'alt' is empty"),
        ("  file: media/map.png\n", "15:3", "image is missing the required key 'alt'"),
        (
            "  file: media/fake.png\n  alt: A map\n",
            "15:9",
            "the image 'media/fake.png' is not a PNG, JPEG or WebP image",
        ),
        (
            "  file: media/anim.gif\n  alt: A map\n",
            "15:9",
            "the image 'media/anim.gif' is a GIF image; use PNG, JPEG or WebP",
        ),
    ],
)
def test_claim_image_needs_a_real_image_and_alt_text(tmp_path, image, place, message):
    gif = io.BytesIO()
    Image.new("P", (4, 4)).save(gif, "GIF")
    site = minimal_site(
        tmp_path,
        {
            CLAIM_PATH: CLAIM + "image:\n" + image,
            "media/map.png": MAP_PNG,
            "media/fake.png": b"not an image",
            "media/anim.gif": gif.getvalue(),
        },
    )
    result = site.run("build")
    assert result.code == 1
    assert len(result.errors) == 1, result.errors
    assert result.errors[0].startswith(f"content/claims/bridge-finished-early.yaml:{place}: error: {message}"), (
        result.errors
    )


# -- the example newsroom ---------------------------------------------------------------


def test_the_example_newsroom_passes_check_and_uses_every_new_key(tmp_path):
    import shutil

    from sites import Site

    example = REPO_ROOT / "examples" / "newsroom"
    shutil.copytree(example, tmp_path / "newsroom", ignore=shutil.ignore_patterns(".cache"))
    result = Site(tmp_path / "newsroom").run("check", "--now", "2026-12-01T00:00Z")
    assert result.code == 0, result.err
    assert result.out == [
        "checked 12 records in content: no errors, 1 warning; 5 drafts and 1 embargoed claim, which `build` leaves out"
    ]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((example / "content").rglob("*")) if p.is_file())
    for key in (
        "draft: true",
        "publish_at:",
        "authors:",
        "editors:",
        "image:",
        "caption:",
        "credit:",
        "](media/",
        "report_error_url:",
        "tips_url:",
        "role:",
        "bio:",
        "same_as:",
    ):
        assert key in text, key
    for folder in ("claims", "sources", "people", "topics", "pages"):
        assert any("draft: true" in p.read_text(encoding="utf-8") for p in (example / "content" / folder).iterdir()), (
            folder
        )

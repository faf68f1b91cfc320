"""Evidence as it really is: quotes proven against HTML pages, PDFs and WARC files, with fixity.

The archive built here holds a news page with navigation and footer, a
two-page report as a PDF, and the same page inside a WARC file; every name
in it is made up. `build.py archive` runs against a server on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import shutil
import textwrap
import threading
import time

import lxml.html
import pytest
from evidence_files import (
    ARTICLE_HTML,
    ARTICLE_TEXT,
    ARTICLE_URL,
    REPORT_PAGES,
    REPORT_TEXT,
    scanned_pdf,
    text_pdf,
    warc,
)
from sites import PLACEHOLDER_WARNING, minimal_site, replaced, single_error, tree_snapshot
from tools import read_dataset
from warcio.archiveiterator import ArchiveIterator

from site_builder import archiver
from site_builder.extract import extract

REPORT = text_pdf(REPORT_PAGES, title="Report of the Harbour Bridge Commission")
ARTICLE_WARC = warc(ARTICLE_URL, ARTICLE_HTML.encode("utf-8"))

HTML_SOURCE = """\
title: Bridge opens two months early
kind: news-article
publisher: Harbour Times
url: http://harbour-times.example/news/bridge-opens-early
text: archive/bridge-opens-early.html
sha256: {sha}
archived: 2026-11-30T09:15:00Z
quotes:
  - id: finished-early
    speaker: jane-roe
    text: >-
      "The new bridge was finished in March, two months early. It cost less than planned,
      and it will carry twice the traffic of the old ferry."
  - id: opened-monday
    speaker: jane-roe
    text: The new bridge over the harbour opened to traffic on Monday
"""

PDF_SOURCE = """\
title: Report of the Harbour Bridge Commission
kind: report
text: archive/harbour-report.pdf
sha256: {sha}
quotes:
  - id: finished-in-march
    speaker: jane-roe
    text: the bridge was finished in March, two months ahead of the published schedule
  - id: cost
    speaker: jane-roe
    text: The works cost 4.2 million, which is less than the budget
"""

WARC_SOURCE = """\
title: Bridge opens two months early (web archive)
kind: news-article
text: archive/bridge-opens-early.warc.gz
quotes:
  - id: finished-early
    speaker: jane-roe
    text: The new bridge was finished in March, two months early.
"""

FILES = {
    "archive/bridge-opens-early.html": ARTICLE_HTML,
    "archive/harbour-report.pdf": REPORT,
    "archive/bridge-opens-early.warc.gz": ARTICLE_WARC,
    "content/sources/harbour-times.yaml": HTML_SOURCE.format(sha=hashlib.sha256(ARTICLE_HTML.encode()).hexdigest()),
    "content/sources/harbour-report.yaml": PDF_SOURCE.format(sha=hashlib.sha256(REPORT).hexdigest()),
    "content/sources/harbour-times-warc.yaml": WARC_SOURCE,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = minimal_site(tmp_path_factory.mktemp("archived-sources"), FILES)
    result = site.run("build")
    assert result.code == 0, result.err
    return site


def page(site, relpath: str):
    return lxml.html.parse(str(site.root / "public" / relpath / "index.html")).getroot()


def quote_figure(doc, quote_id: str):
    [figure] = doc.xpath(f"//figure[@id='quote-{quote_id}']")
    return figure


# -- extraction ----------------------------------------------------------------------


def test_the_text_taken_from_each_kind_of_file_is_the_same_byte_for_byte():
    assert extract(ARTICLE_HTML.encode("utf-8"), "html", "a.html").text == ARTICLE_TEXT
    assert extract(REPORT, "pdf", "r.pdf").text == REPORT_TEXT
    assert extract(ARTICLE_WARC, "warc", "a.warc.gz").text == ARTICLE_TEXT
    assert extract(warc(ARTICLE_URL, REPORT, "application/pdf"), "warc", "r.warc.gz").text == REPORT_TEXT
    html = extract(ARTICLE_HTML.encode("utf-8"), "html", "a.html")
    assert [(s.start, s.heading) for s in html.sections] == [
        (0, "Bridge opens two months early"),
        (166, "What the minister said"),
        (487, "The cost"),
    ]
    assert [ARTICLE_TEXT[s.start :].split("\n")[0] for s in html.sections] == [s.heading for s in html.sections]
    pdf = extract(REPORT, "pdf", "r.pdf")
    assert [(s.start, s.page) for s in pdf.sections] == [(0, "1"), (REPORT_TEXT.index("The cost of the works"), "2")]


def test_the_boilerplate_around_the_article_is_not_its_text():
    for words in ("Subscribe", "Copyright", "privacy policy", "Sport", "Imaginary Press Council"):
        assert words not in ARTICLE_TEXT and words in ARTICLE_HTML


# -- quotes found, with their page or heading ------------------------------------------


def test_quotes_are_found_in_an_html_page_a_pdf_and_a_warc(site):
    for slug, quote_id, words in (
        ("harbour-times", "finished-early", "finished in March, two months early"),
        ("harbour-report", "finished-in-march", "finished in March, two months ahead"),
        ("harbour-report", "cost", "The works cost 4.2 million"),
        ("harbour-times-warc", "finished-early", "finished in March, two months early"),
    ):
        doc = page(site, f"sources/{slug}")
        [mark] = doc.xpath(f"//div[@class='archived-text']//mark[@id='text-quote-{quote_id}']")
        assert words in " ".join(mark.text_content().split()), (slug, quote_id)


def test_a_quote_split_across_a_line_break_of_the_pdf_is_found_on_its_page(site):
    assert "finished in\nMarch" in REPORT_TEXT  # the quote runs over the end of a line
    doc = page(site, "sources/harbour-report")
    pages = {
        quote_id: quote_figure(doc, quote_id).xpath(".//*[@class='quote-page']/text()")
        for quote_id in ("finished-in-march", "cost")
    }
    assert pages == {"finished-in-march": ["p. 1"], "cost": ["p. 2"]}


def test_a_quote_in_an_html_page_names_the_heading_it_falls_under(site):
    doc = page(site, "sources/harbour-times")
    attribution = quote_figure(doc, "finished-early").xpath(".//p[@class='attribution']")[0]
    assert " ".join(attribution.text_content().split()) == "Jane Roe, under the heading What the minister said"
    assert attribution.xpath(".//q/text()") == ["What the minister said"]
    assert quote_figure(doc, "opened-monday").xpath(".//p[@class='attribution']//q/text()") == [
        "Bridge opens two months early"
    ]
    data = read_dataset(site.root / "public")
    quotes = {(s["slug"], q["id"]): (q["page"], q["heading"]) for s in data["sources"] for q in s["quotes"]}
    assert quotes[("harbour-report", "finished-in-march")] == ("1", None)
    assert quotes[("harbour-times", "finished-early")] == (None, "What the minister said")


def test_a_quote_from_the_navigation_or_footer_is_refused(tmp_path):
    source = replaced(
        FILES["content/sources/harbour-times.yaml"],
        "text: The new bridge over the harbour opened to traffic on Monday",
        "text: Subscribe to the Harbour Times newsletter for all the latest news",
    )
    where, message = single_error(tmp_path, {**FILES, "content/sources/harbour-times.yaml": source})
    assert where == "content/sources/harbour-times.yaml:16:11"
    assert message.startswith("quote 'opened-monday' is not in the archived text archive/bridge-opens-early.html")


def test_a_pdf_without_a_text_layer_is_an_error_at_its_text_line_that_says_it_needs_ocr(tmp_path):
    where, message = single_error(
        tmp_path,
        {
            **FILES,
            "archive/harbour-report.pdf": scanned_pdf(2),
            "content/sources/harbour-report.yaml": replaced(
                FILES["content/sources/harbour-report.yaml"], "sha256:", "#sha256:"
            ),
        },
    )
    assert where == "content/sources/harbour-report.yaml:3:7"
    assert "has no text layer" in message and "needs OCR" in message


def test_a_damaged_pdf_or_warc_is_an_error_at_the_text_line(tmp_path):
    files = {
        **FILES,
        "archive/bridge-opens-early.warc.gz": b"not a warc at all",
        "archive/harbour-report.pdf": REPORT[:200],
    }
    files["content/sources/harbour-report.yaml"] = replaced(
        files["content/sources/harbour-report.yaml"], "sha256:", "#sha256:"
    )
    result = minimal_site(tmp_path, files).run("build")
    assert result.code == 1
    assert result.places == ["content/sources/harbour-report.yaml:3:7", "content/sources/harbour-times-warc.yaml:3:7"]
    assert "cannot be read" in result.errors[0] and "cannot be read" in result.errors[1]


# -- fixity ----------------------------------------------------------------------------


def test_a_changed_file_is_caught_by_its_digest(tmp_path):
    # One word changed in the archived page: the quote would still be "proven" without the digest.
    changed = ARTICLE_HTML.replace("opened to traffic on Monday", "opened to traffic on Sunday")
    where, message = single_error(
        tmp_path,
        {
            **FILES,
            "archive/bridge-opens-early.html": changed,
            "content/sources/harbour-times.yaml": replaced(
                FILES["content/sources/harbour-times.yaml"],
                "text: The new bridge over the harbour opened to traffic on Monday",
                "text: The new bridge over the harbour opened to traffic on Sunday",
            ),
        },
    )
    assert where == "content/sources/harbour-times.yaml:6:9"
    assert message.startswith(
        "the archived file has changed since it was recorded: archive/bridge-opens-early.html "
        f"now has the SHA-256 {hashlib.sha256(changed.encode()).hexdigest()}"
    )


@pytest.mark.parametrize(
    "line, message",
    [
        ("sha256: abc123", "'sha256' should be a SHA-256 digest of 64 hexadecimal digits"),
        ("archived: yesterday", "'archived' should be a date-time with an offset, like 2026-12-05T09:00+01:00"),
        ("archived: 2026-02-30T10:00:00Z", "'archived' is not a real date and time"),
    ],
)
def test_a_malformed_digest_or_archive_date_is_an_error_at_its_line(tmp_path, line, message):
    source = FILES["content/sources/harbour-report.yaml"].replace("kind: report\n", f"kind: report\n{line}\n")
    source = (
        source.replace(f"sha256: {hashlib.sha256(REPORT).hexdigest()}\n", "") if line.startswith("sha256") else source
    )
    where, found = single_error(tmp_path, {**FILES, "content/sources/harbour-report.yaml": source})
    assert where.startswith("content/sources/harbour-report.yaml:3:") and found.startswith(message)


def test_a_digest_without_an_archived_file_is_an_error(tmp_path):
    source = "title: A statement\nkind: statement\nsha256: " + "a" * 64 + "\n"
    where, message = single_error(tmp_path, {"content/sources/statement.yaml": source})
    assert where == "content/sources/statement.yaml:3:9" and "this source has no 'text'" in message


def test_the_source_page_links_the_archived_file_with_its_digest_date_and_original_url(site):
    for slug, name, original in (
        ("harbour-times", "bridge-opens-early.html.txt", "http://harbour-times.example/news/bridge-opens-early"),
        ("harbour-report", "harbour-report.pdf", None),
        ("harbour-times-warc", "bridge-opens-early.warc.gz", ARTICLE_URL),
    ):
        doc = page(site, f"sources/{slug}")
        [link] = doc.xpath("//div[@class='archived-file']//a")
        assert link.text == name and link.get("href") == f"/sources/{slug}/{name}"
        published = (site.root / "public" / link.get("href").lstrip("/")).read_bytes()
        original_file = {
            "harbour-times": "bridge-opens-early.html",
            "harbour-report": "harbour-report.pdf",
            "harbour-times-warc": "bridge-opens-early.warc.gz",
        }[slug]
        assert published == (site.root / "archive" / original_file).read_bytes()
        [digest] = doc.xpath("//div[@class='digest']//code/text()")
        assert digest == hashlib.sha256(published).hexdigest()
        # Only a digest the source records was checked by the build, and the page says so only then.
        assert bool(doc.xpath("//div[@class='digest']//span[@class='muted']")) == (slug != "harbour-times-warc")
        originals = [a.get("href") for a in doc.xpath("//dt[.='Original']/following-sibling::dd//a")]
        assert originals == ([original] if original else [])
    times = {
        slug: page(site, f"sources/{slug}").xpath("//dt[.='Archived on']/following-sibling::dd/time/@datetime")
        for slug in ("harbour-times", "harbour-report", "harbour-times-warc")
    }
    # The WARC says when it was recorded, though its source file does not.
    assert times == {
        "harbour-times": ["2026-11-30T09:15:00Z"],
        "harbour-report": [],
        "harbour-times-warc": ["2026-11-30T09:15:00Z"],
    }


def test_the_dataset_and_the_claim_review_carry_the_digest_the_date_and_the_original(tmp_path):
    claim = replaced(
        minimal_site_claim(),
        "  - ministry-statement#bridge-finished\n",
        "  - ministry-statement#bridge-finished\n  - harbour-times#finished-early\n",
    )
    site = minimal_site(tmp_path, {**FILES, "content/claims/bridge-finished-early.yaml": claim})
    assert site.run("build").code == 0
    data = read_dataset(site.root / "public")
    source = next(s for s in data["sources"] if s["slug"] == "harbour-times")
    digest = hashlib.sha256(ARTICLE_HTML.encode()).hexdigest()
    assert source["original_url"] == "http://harbour-times.example/news/bridge-opens-early"
    assert source["archived_file"] == {
        "url": "https://factcheck.example.org/sources/harbour-times/bridge-opens-early.html.txt",
        "sha256": digest,
        "sha256_recorded": True,
        "size": len(ARTICLE_HTML.encode()),
        "format": "html",
        "media_type": "text/html",
        "archived": "2026-11-30T09:15:00Z",
    }
    assert source["text"] == ARTICLE_TEXT
    doc = lxml.html.parse(str(site.root / "public/claims/bridge-finished-early/index.html")).getroot()
    [data] = [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]
    appearance = next(a for a in data["itemReviewed"]["appearance"] if a["name"] == "Bridge opens two months early")
    assert appearance["url"] == "http://harbour-times.example/news/bridge-opens-early"
    assert appearance["archivedAt"] == {
        "@type": "MediaObject",
        "contentUrl": "https://factcheck.example.org/sources/harbour-times/bridge-opens-early.html.txt",
        "encodingFormat": "text/html",
        "sha256": digest,
        "dateCreated": "2026-11-30T09:15:00Z",
    }


def minimal_site_claim() -> str:
    from sites import CLAIM

    return CLAIM


# -- the cache -------------------------------------------------------------------------


def test_the_extraction_cache_never_changes_the_output(site, tmp_path):
    cache = site.root / ".cache" / "extracted"
    entries = sorted(p.name for p in cache.iterdir())
    assert len(entries) == 3 and all(name.endswith((".html.json", ".pdf.json", ".warc.json")) for name in entries)
    # Built again from the cache (warm), from a damaged cache, and with none at all: the same bytes.
    warm = tmp_path / "warm"
    assert site.run("build", "--out", str(warm)).code == 0
    for entry in cache.iterdir():
        entry.write_text("{not json", encoding="utf-8")
    damaged = tmp_path / "damaged"
    assert site.run("build", "--out", str(damaged)).code == 0
    shutil.rmtree(site.root / ".cache")
    cold = tmp_path / "cold"
    assert site.run("build", "--out", str(cold)).code == 0

    def pages(folder):  # the search index's file names are its own hashes, different on every run
        return {path: data for path, data in tree_snapshot(folder).items() if not path.startswith("pagefind")}

    first = pages(site.root / "public")
    assert pages(warm) == first and pages(damaged) == first and pages(cold) == first
    assert len(list(cache.iterdir())) == 3  # made again


# -- check -----------------------------------------------------------------------------


def test_check_warns_of_quotes_that_no_archived_text_can_prove(tmp_path):
    source = (
        "title: An interview\nkind: interview\nquotes:\n  - id: roads\n    speaker: jane-roe\n    text: Roads first.\n"
    )
    site = minimal_site(tmp_path, {"content/sources/interview.yaml": source})
    result = site.run("check")
    assert result.code == 0
    assert result.err == [
        "content/sources/interview.yaml:4:5: warning: quotes cannot be verified: source 'interview' "
        "has no archived text; archive the source with `python build.py archive URL --source "
        "interview`, or name a copy of it in 'text'",
        "content/sources/interview.yaml:1:1: warning: source 'interview' has no url, archive_url or "
        "text: readers cannot reach what it says; add the original's url, an archived copy's "
        "archive_url, or its text",
        PLACEHOLDER_WARNING,
    ]
    assert result.out == ["checked 5 records in content: no errors, 2 warnings"]
    github = site.run("check", "--format", "github")
    assert github.out[0].startswith(
        "::warning file=content/sources/interview.yaml,line=4,col=5::quotes cannot be verified"
    )


# -- build.py archive --------------------------------------------------------------------


SCAN = scanned_pdf(1)


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 (the standard library's name)
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        status, headers, body = route(self) if callable(route) else route
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _slow(handler):
    time.sleep(2)
    return 200, [("Content-Type", "text/html")], b"<html><body><p>late</p></body></html>"


@pytest.fixture(scope="module")
def server():
    html = ("text/html; charset=utf-8", ARTICLE_HTML.encode("utf-8"))
    _Handler.routes = {
        "/news/bridge-opens-early": (200, [("Content-Type", html[0])], html[1]),
        "/old-address": (301, [("Location", "/news/bridge-opens-early")], b""),
        "/report.pdf": (200, [("Content-Type", "application/pdf")], REPORT),
        "/scan.pdf": (200, [("Content-Type", "application/pdf")], SCAN),
        "/missing": (404, [("Content-Type", "text/plain")], b"gone"),
        "/picture.png": (200, [("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n"),
        "/slow": _slow,
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_archive_keeps_a_page_as_a_warc_and_writes_the_source_file(server, tmp_path):
    site = minimal_site(tmp_path)
    result = site.run("archive", f"{server}/old-address", "--source", "bridge-opens-early", "--allow-local")
    assert result.code == 0, result.err
    source = (site.root / "content/sources/bridge-opens-early.yaml").read_text(encoding="utf-8")
    fields = dict(line.split(": ", 1) for line in source.splitlines())
    [copy] = (site.root / "archive").glob("bridge-opens-early-*.warc.gz")
    assert fields["url"] == f"{server}/news/bridge-opens-early"  # where the redirect led
    assert fields["text"] == f"archive/{copy.name}"
    assert fields["sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert fields["title"] == "Bridge opens two months early" and fields["publisher"] == "Harbour Times"
    assert fields["kind"] == "news-article"
    assert copy.name == f"bridge-opens-early-{fields['archived'].replace('-', '').replace(':', '')}.warc.gz"
    # The WARC holds both steps: the redirect and the page, each with its request.
    records = [
        (
            r.rec_type,
            r.rec_headers.get_header("WARC-Target-URI"),
            r.http_headers.get_statuscode() if r.http_headers and r.rec_type == "response" else None,
        )
        for r in ArchiveIterator(io.BytesIO(copy.read_bytes()))
    ]
    assert records == [
        ("warcinfo", None, None),
        ("response", f"{server}/old-address", "301"),
        ("request", f"{server}/old-address", None),
        ("response", f"{server}/news/bridge-opens-early", "200"),
        ("request", f"{server}/news/bridge-opens-early", None),
    ]
    assert extract(copy.read_bytes(), "warc", copy.name).text == ARTICLE_TEXT
    # It prints the quotes the page holds, ready to paste.
    assert "  - id:" in result.out and any(
        "The new bridge was finished in March, two months early." in line for line in result.out
    )
    assert result.err == []


def test_archive_again_keeps_what_the_editor_wrote_and_the_earlier_copy(server, tmp_path):
    site = minimal_site(tmp_path)
    written = textwrap.dedent("""\
        # Checked by the desk on Monday.
        title: The minister's bridge, as the Harbour Times told it
        kind: news-article
        url: http://harbour-times.example/old
        sha256: 0000000000000000000000000000000000000000000000000000000000000000
        quotes:
          - id: finished-early  # the minister at the opening
            speaker: jane-roe
            text: The new bridge was finished in March, two months early.
        """)
    site.write("content/sources/harbour-times.yaml", written)
    site.write("archive/harbour-times-earlier.warc.gz", ARTICLE_WARC)
    result = site.run("archive", f"{server}/news/bridge-opens-early", "--source", "harbour-times", "--allow-local")
    assert result.code == 0, result.err
    after = (site.root / "content/sources/harbour-times.yaml").read_text(encoding="utf-8")
    [copy] = (site.root / "archive").glob("harbour-times-2*.warc.gz")
    lines = after.splitlines()
    assert lines[:3] == written.splitlines()[:3]  # the comment, the title and the kind as written
    assert lines[3:7] == [
        "publisher: Harbour Times",
        f"url: {server}/news/bridge-opens-early",
        f"text: archive/{copy.name}",
        f"sha256: {hashlib.sha256(copy.read_bytes()).hexdigest()}",
    ]
    assert lines[7].startswith("archived: 20") and lines[7].endswith("Z")
    assert lines[8:] == written.splitlines()[5:]  # the quotes untouched, comment included
    assert (site.root / "archive/harbour-times-earlier.warc.gz").read_bytes() == ARTICLE_WARC
    assert "  quote 'finished-early' is in the new copy" in result.out
    assert site.run("build").code == 0


def test_archive_keeps_a_pdf_as_the_pdf(server, tmp_path):
    site = minimal_site(tmp_path)
    result = site.run("archive", f"{server}/report.pdf", "--source", "harbour-report", "--allow-local")
    [copy] = (site.root / "archive").glob("harbour-report-*.pdf")
    assert copy.read_bytes() == REPORT
    source = (site.root / "content/sources/harbour-report.yaml").read_text(encoding="utf-8")
    assert "title: Report of the Harbour Bridge Commission\n" in source and f"text: archive/{copy.name}\n" in source
    # What the PDF does not say is left for the editor, and the command says so.
    assert result.code == 1 and result.errors == [
        "content/sources/harbour-report.yaml:2:6: error: 'kind' is empty, and it is required in source: what kind of "
        "source it is; write one of news-article, statement, interview, speech, social-post, video, report, document, "
        "other after 'kind: '"
    ]


def test_archive_of_a_scan_keeps_it_and_says_it_needs_ocr(server, tmp_path):
    site = minimal_site(tmp_path)
    result = site.run("archive", f"{server}/scan.pdf", "--source", "scan", "--allow-local")
    assert result.code == 1
    assert [e for e in result.errors if "needs OCR" in e and e.startswith("content/sources/scan.yaml:")]
    assert list((site.root / "archive").glob("scan-*.pdf"))


@pytest.mark.parametrize(
    "path, args, code, message",
    [
        ("/news/bridge-opens-early", [], 2, "a private, loopback or reserved address"),
        ("/missing", ["--allow-local"], 1, "answered 404 Not Found"),
        ("/picture.png", ["--allow-local"], 1, "is image/png: an HTML page, a PDF or a text file can be archived"),
        ("/slow", ["--allow-local", "--timeout", "0.5"], 1, "did not answer within 0.5 seconds"),
    ],
)
def test_archive_refuses_or_fails_without_writing_anything(server, tmp_path, path, args, code, message):
    site = minimal_site(tmp_path)
    before = tree_snapshot(site.root)
    result = site.run("archive", f"{server}{path}", "--source", "page", *args)
    assert result.code == code and message in result.err[-1], result.err
    assert tree_snapshot(site.root) == before


def test_archive_fetches_only_http_and_https(tmp_path):
    site = minimal_site(tmp_path)
    for url in ("file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)"):
        result = site.run("archive", url, "--source", "page")
        assert result.code == 2 and "is not an http:// or https:// address" in result.err[-1]


def test_archive_checks_the_address_after_each_redirect(server, tmp_path, monkeypatch):
    # 127.0.0.1 stands in for a public host here; 127.0.0.2, where the redirect leads, stays refused.
    monkeypatch.setattr(archiver, "address_allowed", lambda address: address == "127.0.0.1")
    port = server.rsplit(":", 1)[1]
    _Handler.routes["/to-private"] = (302, [("Location", f"http://127.0.0.2:{port}/news/bridge-opens-early")], b"")
    site = minimal_site(tmp_path)
    before = tree_snapshot(site.root)
    result = site.run("archive", f"{server}/to-private", "--source", "page")
    assert result.code == 2 and "leads to 127.0.0.2, a private, loopback or reserved address" in result.err[-1]
    assert tree_snapshot(site.root) == before


def test_archive_stops_at_the_size_limit(server, tmp_path, monkeypatch):
    monkeypatch.setattr(archiver, "MAX_BYTES", len(REPORT) - 1)
    site = minimal_site(tmp_path)
    before = tree_snapshot(site.root)
    result = site.run("archive", f"{server}/report.pdf", "--source", "report", "--allow-local")
    assert result.code == 1 and f"more than the limit of {len(REPORT) - 1:,}" in result.err[-1]
    assert tree_snapshot(site.root) == before


@pytest.mark.parametrize(
    "address, allowed",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("93.184.215.14", True),
        ("2606:4700::6810:84e5", True),
    ],
)
def test_only_public_addresses_are_allowed(address, allowed):
    assert archiver.address_allowed(address) is allowed

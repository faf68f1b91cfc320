"""Made-up archived files for the evidence tests: an HTML page, PDFs, a WARC.

The PDFs come from a tiny PDF writer (Helvetica text, or a grey picture for
a scan without a text layer), so no PDF library is needed to make them, and
the bytes are the same on every run. Nobody named here exists.
"""

from __future__ import annotations

import io

ARTICLE_URL = "http://harbour-times.example/news/bridge-opens-early"

ARTICLE_HTML = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Bridge opens two months early | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<meta property="og:type" content="article">
</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a></li>
<li><a href="/sport/">Sport</a></li><li><a href="/subscribe/">Subscribe to the Harbour Times newsletter for all the latest news</a></li></ul></nav></header>
<main>
<article>
<h1>Bridge opens two months early</h1>
<p>The new bridge over the harbour opened to traffic on Monday, two months ahead of the schedule the
ministry had published last spring.</p>
<h2>What the minister said</h2>
<p>Minister Jane Roe told reporters at the opening: \u201cThe new bridge was finished in March, two months
early. It cost less than planned, and it will carry twice the traffic of the old ferry.\u201d</p>
<p>Engineers had warned of delays last year, when winter storms damaged the scaffolding on the northern pier.</p>
<h2>The cost</h2>
<p>The ministry did not publish the final cost on Monday. A spokesperson said the accounts would be audited
before the figure was released.</p>
</article>
</main>
<footer><p>Copyright Harbour Times. All rights reserved. Read our privacy policy and our cookie policy.</p>
<p>Harbour Times is a member of the Imaginary Press Council.</p></footer>
</body>
</html>
"""

# What the build takes from ARTICLE_HTML, byte for byte: the boilerplate is gone.
ARTICLE_TEXT = (
    "Bridge opens two months early\n\n"
    "The new bridge over the harbour opened to traffic on Monday, two months ahead of the schedule the "
    "ministry had published last spring.\n\n"
    "What the minister said\n\n"
    "Minister Jane Roe told reporters at the opening: \u201cThe new bridge was finished in March, two months "
    "early. It cost less than planned, and it will carry twice the traffic of the old ferry.\u201d\n\n"
    "Engineers had warned of delays last year, when winter storms damaged the scaffolding on the northern pier.\n\n"
    "The cost\n\n"
    "The ministry did not publish the final cost on Monday. A spokesperson said the accounts would be audited "
    "before the figure was released.\n"
)

REPORT_PAGES = [
    [
        "Report of the Harbour Bridge Commission",
        "",
        "The commission finds that the bridge was finished in",
        "March, two months ahead of the published schedule.",
    ],
    [
        "The cost of the works",
        "",
        "The works cost 4.2 million, which is less than the",
        "budget approved by the council in the spring.",
    ],
]

# What the build takes from the report: each page's lines, a blank line between pages.
REPORT_TEXT = (
    "Report of the Harbour Bridge Commission\n"
    "The commission finds that the bridge was finished in\n"
    "March, two months ahead of the published schedule.\n\n"
    "The cost of the works\n"
    "The works cost 4.2 million, which is less than the\n"
    "budget approved by the council in the spring.\n"
)


def text_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A PDF with a text layer: one page per list of lines (an empty line leaves a gap)."""

    def page_content(lines):
        parts = [b"BT /F1 12 Tf 16 TL 72 720 Td"]
        for line in lines:
            escaped = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            parts.append(b"(" + escaped + b") Tj T*" if line else b"T*")
        return b"\n".join(parts + [b"ET"]), b"<< /Font << /F1 1 0 R >> >>"

    return _pdf([page_content(lines) for lines in pages], title)


def scanned_pdf(page_count: int = 1) -> bytes:
    """A PDF of pictures only, as a scanner makes it: no text layer at all."""
    picture = bytes(range(0, 256, 4))  # 8 x 8 grey levels
    pages = []
    for _ in range(page_count):
        pages.append((b"q 400 0 0 500 100 150 cm /Im1 Do Q", b"<< /XObject << /Im1 IMAGE >> >>"))
    image = (
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(picture) + picture + b"\nendstream"
    )
    return _pdf(pages, None, image)


def _pdf(pages: list[tuple[bytes, bytes]], title: str | None, image: bytes | None = None) -> bytes:
    """Objects: 1 font, 2 page tree, 3 catalogue, 4 image (or info), then each page's content and page."""
    objects = [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"",  # the page tree, once the pages' numbers are known
        b"<< /Type /Catalog /Pages 2 0 R >>",
        image or b"<< >>",
    ]
    kids = []
    for content, resources in pages:
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        resources = resources.replace(b"IMAGE", b"4 0 R")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources %s >>"
            % (len(objects), resources)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = None
    if title:
        objects.append(b"<< /Title (" + title.encode("latin-1") + b") >>")
        info = len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 3 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        b" /Info %d 0 R" % info if info else b"",
        xref,
    )
    return bytes(out)


def warc(
    url: str,
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    date: str = "2026-11-30T09:15:00Z",
) -> bytes:
    """A gzipped WARC holding one response, as a crawler would record it."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    headers = StatusAndHeaders(
        status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": "<urn:uuid:00000000-0000-4000-8000-000000000001>"},
    )
    writer.write_record(record)
    return out.getvalue()

"""An archived file → the text its quotes are verified against.

A source's `text` may be plain text, an HTML page (its main text, without the
navigation and footer around it), a PDF (its text layer) or a WARC file (the
page or PDF it archived). Extraction is a pure function of the file's bytes
and the pinned extractors' versions, so the text, and every quote's place in
it, is the same on every machine; the cache beside content/ only saves the
time of doing it again.

The text keeps where each PDF page and each HTML heading starts, so a quote
can say the page or the heading it falls under.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass
from importlib import metadata

from . import cache, model
from .quotes import nfc

# How a file's name ends → its format; the longest ending wins (.warc.gz before .gz).
FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf", ".warc.gz": "warc", ".warc": "warc"}
MEDIA_TYPES = {"txt": "text/plain", "html": "text/html", "pdf": "application/pdf", "warc": "application/warc"}
# Bumped when the text this module makes from the same bytes changes; the
# extractors' own versions are part of the cache key too.
EXTRACTION_VERSION = 1
_EXTRACTORS = ("trafilatura", "lxml", "pypdf", "warcio")
_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


class ExtractionFailed(Exception):
    """The file cannot give a text: the message says why and what to do, for the `text` line."""


@dataclass(frozen=True)
class Extracted:
    text: str
    sections: tuple[model.Section, ...] = ()
    media_type: str = "text/plain"  # of what the text came from (a WARC's payload, say)
    target_url: str | None = None  # the URL a WARC recorded
    captured: str | None = None  # when a WARC says it was recorded (WARC-Date)


def file_format(path: str) -> str | None:
    """txt, html, pdf or warc from the file's name; None if it is none of those."""
    lower = path.lower()
    endings = sorted((e for e in FORMATS if lower.endswith(e)), key=len, reverse=True)
    return FORMATS[endings[0]] if endings else None


def extract(data: bytes, format: str, name: str) -> Extracted:
    """The text of an archived file's bytes; ExtractionFailed if it has none to give."""
    if format == "txt":
        return Extracted(_plain(data, name))
    if format == "html":
        return Extracted(*html_text(data, name), media_type="text/html")
    if format == "pdf":
        text, sections = pdf_text(data, name)
        return Extracted(text, sections, media_type="application/pdf")
    if format == "warc":
        return warc_text(data, name)
    raise ExtractionFailed(f"'{name}' is not a .txt, .html, .htm, .pdf or .warc.gz file")


def _plain(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExtractionFailed(f"the archived text '{name}' is not valid UTF-8: save it as UTF-8") from None
    if "\x00" in text:
        raise ExtractionFailed(f"the archived text '{name}' contains NUL bytes: it is not a text file")
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def html_text(data: bytes, name: str) -> tuple[str, tuple[model.Section, ...]]:
    """The page's main text, a paragraph per block, and where each heading starts.

    trafilatura finds the article among the navigation, sidebars and footer; a
    quote from those is not the source's words and is not found.
    """
    import lxml.etree
    import trafilatura

    document = trafilatura.extract(
        data,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        with_metadata=False,
    )
    if not document:
        raise ExtractionFailed(
            f"no main text was found in the page '{name}': it may be empty, or built "
            "by scripts; save the text as a .txt file and name that in 'text'"
        )
    root = lxml.etree.fromstring(document.encode("utf-8"))
    blocks: list[str] = []
    sections: list[model.Section] = []
    offset = 0
    for element in root.iterfind("main/*"):
        if element.tag == "list":
            lines = [_line(" ".join(item.itertext())) for item in element.iterfind(".//item")]
            block = "\n".join(line for line in lines if line)
        else:
            block = _line(" ".join(element.itertext()))
        if not block:
            continue
        if element.tag == "head":
            sections.append(model.Section(offset, heading=block))
        blocks.append(block)
        offset += len(block) + 2
    return nfc("\n\n".join(blocks) + "\n"), tuple(sections)


def _line(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes, name: str) -> tuple[str, tuple[model.Section, ...]]:
    """The text layer, page after page (a blank line between), and where each page starts.

    Pages are named by their labels when the PDF has them (a report's page
    "12" may be the fourteenth), as a citation would name them.
    """
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionFailed(f"the PDF '{name}' is encrypted: save a copy without a password and archive that")
        labels = reader.page_labels
        texts = [page.extract_text() or "" for page in reader.pages]
    except ExtractionFailed:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise ExtractionFailed(
            f"the PDF '{name}' cannot be read ({type(exc).__name__}): it may be damaged; download it again"
        ) from None
    pieces, sections, offset = [], [], 0
    for number, text in enumerate(texts):
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        text = _BLANK_LINES.sub("\n", text).strip()
        if not text:
            continue
        label = labels[number] if number < len(labels) and labels[number] else str(number + 1)
        sections.append(model.Section(offset, page=label))
        pieces.append(text)
        offset += len(text) + 2
    if not pieces:
        raise ExtractionFailed(
            f"the PDF '{name}' has no text layer (it is a scan or a picture of text), so "
            "no quote can be checked against it: it needs OCR first (for example "
            "`ocrmypdf in.pdf out.pdf`); archive the result, or write its text in a .txt file"
        )
    return nfc("\n\n".join(pieces) + "\n"), tuple(sections)


def warc_text(data: bytes, name: str) -> Extracted:
    """The text of the response a WARC archived: the first successful one, HTML, PDF or plain text."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if not data.startswith((b"\x1f\x8b", b"WARC/")):
        raise ExtractionFailed(
            f"the WARC '{name}' cannot be read: it is not a WARC file (gzipped or not); archive the page again"
        )
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if not record.format.startswith("warc"):
                raise ArchiveLoadFailed("an ARC record, not WARC")
            if record.rec_type not in ("response", "resource"):
                continue
            status = record.http_headers.get_statuscode() if record.http_headers else "200"
            if not status or not status.startswith("2"):
                continue
            headers = record.http_headers or record.rec_headers
            media_type = (headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
            payload = record.content_stream().read()
            target = record.rec_headers.get_header("WARC-Target-URI")
            captured = record.rec_headers.get_header("WARC-Date")
            inner = _payload_format(media_type, payload)
            if inner is None:
                raise ExtractionFailed(
                    f"the WARC '{name}' archived {media_type or 'a file of unknown type'} "
                    "from which no text can be taken: archive an HTML page, a PDF or a text file"
                )
            found = extract(payload, inner, f"{name} ({target or 'its response'})")
            return dataclasses.replace(found, media_type=MEDIA_TYPES[inner], target_url=target, captured=captured)
    except ExtractionFailed:
        raise
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, KeyError, AttributeError, TypeError) as exc:
        raise ExtractionFailed(
            f"the WARC '{name}' cannot be read ({type(exc).__name__}): it may be damaged; archive the page again"
        ) from None
    raise ExtractionFailed(
        f"the WARC '{name}' holds no successful response (status 2xx) to take the text from: archive the page again"
    )


def _payload_format(media_type: str, payload: bytes) -> str | None:
    if payload.startswith(b"%PDF-") or media_type == "application/pdf":
        return "pdf"
    if media_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if media_type == "text/plain":
        return "txt"
    return None


def extractor_versions() -> str:
    return ",".join(f"{name}={metadata.version(name)}" for name in _EXTRACTORS) + f",extract={EXTRACTION_VERSION}"


class ExtractionCache:
    """Extracted texts by the file's SHA-256, in `.cache/extracted/` beside content/.

    Safe to delete at any time; a missing, unreadable or stale entry is made
    again, and one that cannot be written is simply not kept.
    """

    def __init__(self, site_root: str) -> None:
        self.folder = os.path.join(site_root, ".cache", "extracted")
        self.versions = extractor_versions()

    def get(self, sha256: str, format: str) -> Extracted | None:
        try:
            with open(self._path(sha256, format), encoding="utf-8") as f:
                entry = json.load(f)
            if entry.get("versions") != self.versions:
                return None
            sections = tuple(model.Section(int(s[0]), page=s[1], heading=s[2]) for s in entry["sections"])
            found = Extracted(
                str(entry["text"]), sections, str(entry["media_type"]), entry["target_url"], entry["captured"]
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        cache.note("extracted", os.path.basename(self._path(sha256, format)))  # cache.prune keeps it
        return found

    def put(self, sha256: str, format: str, found: Extracted) -> None:
        if not cache.keep_new_entries:  # `check` writes nothing
            return
        entry = {
            "versions": self.versions,
            "text": found.text,
            "media_type": found.media_type,
            "target_url": found.target_url,
            "captured": found.captured,
            "sections": [[s.start, s.page, s.heading] for s in found.sections],
        }
        try:
            os.makedirs(self.folder, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                json.dump(entry, f, ensure_ascii=False)
            os.replace(temporary, self._path(sha256, format))  # parallel validators may write the same entry
        except OSError:
            return
        cache.note("extracted", os.path.basename(self._path(sha256, format)))

    def _path(self, sha256: str, format: str) -> str:
        return os.path.join(self.folder, f"{sha256}.{format}.json")

"""Encodings: what editors' tools save is read the same, or refused at the very byte.

UTF-8 with or without a byte order mark, with LF, CRLF or CR line ends,
builds the same bytes; anything that is not UTF-8 or holds NUL is an error
at its line and column; a quote typed in one Unicode normalisation (a Mac
types NFD) matches its archived text in the other.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import lxml.html
import pytest
from built_site import broken_links, html_pages
from sites import (
    ARCHIVED_TEXT,
    CLAIM,
    CLAIM_PATH,
    MINIMAL_FILES,
    SOURCE,
    SOURCE_PATH,
    TEXT_PATH,
    minimal_site,
    replaced,
    single_error,
)
from test_site import build_site
from trust import site_differences

PAGE_PATH = "content/pages/about.md"
PAGE = "---\ntitle: About us\ndescription: Who checks the claims.\n---\nWe check claims.\n\n## How\n\nCarefully.\n"
FILES = {**MINIMAL_FILES, PAGE_PATH: PAGE}
# The archived text is evidence published byte for byte, with its digest: saved another way, it is another file
# (test_an_archived_text_saved_another_way_is_read_the_same_and_published_as_it_is).
TEXT_FILES = [path for path in FILES if path.endswith((".yaml", ".md", ".txt")) and path != TEXT_PATH]


def built(root: Path, files: dict[str, str | bytes]) -> Path:
    minimal_site(
        root, {path: text for path, text in files.items() if path not in MINIMAL_FILES or text != MINIMAL_FILES[path]}
    )
    return build_site(root / "content", root / "public")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The site built from plain UTF-8 files with LF line ends."""
    return built(tmp_path_factory.mktemp("lf"), FILES)


SAVED_AS = {
    "UTF-8 with BOM": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "CRLF": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "CR": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "BOM and CRLF": lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_every_file_saved_another_way_builds_the_same_bytes(tmp_path, reference, saved_as):
    files = {path: SAVED_AS[saved_as](text) if path in TEXT_FILES else text for path, text in FILES.items()}
    assert site_differences(built(tmp_path, files), reference) == []


@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_an_archived_text_saved_another_way_is_read_the_same_and_published_as_it_is(tmp_path, reference, saved_as):
    saved = SAVED_AS[saved_as](ARCHIVED_TEXT)
    site = built(tmp_path, {**FILES, TEXT_PATH: saved})
    copy = "sources/ministry-statement/ministry-statement.txt"
    # The copy, and what names its digest and size: its source page and the dataset. (The claim's
    # ClaimReview would too, but this source has no url: it is no appearance aggregators can follow.)
    assert site_differences(site, reference) == [
        f"differs: {path}"
        for path in sorted([copy, "data/sources-0001.jsonl.gz", "sources/ministry-statement/index.html"])
    ]
    assert (site / copy).read_bytes() == saved
    pages = [html_pages(folder)["sources/ministry-statement/index.html"] for folder in (site, reference)]
    texts = [lxml.html.tostring(doc.xpath("//div[@class='archived-text']")[0]) for doc in pages]
    assert texts[0] == texts[1]  # the same text, the same quotes marked


@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_an_error_is_placed_the_same_however_the_file_was_saved(tmp_path, saved_as):
    claim = replaced(CLAIM, "date: 2021-09-05", "date: 2021-09-31")
    where, _ = single_error(tmp_path / "lf", {CLAIM_PATH: claim})
    assert where == f"{CLAIM_PATH}:3:7"
    assert single_error(tmp_path / "other", {CLAIM_PATH: SAVED_AS[saved_as](claim)})[0] == where


NOT_UTF8 = {
    "Latin-1": b"\xe9",
    "Windows-1252 quote": b"\x93",
    "overlong slash": b"\xc0\xaf",
    "encoded surrogate": b"\xed\xa0\x80",
    "beyond U+10FFFF": b"\xf4\x90\x80\x80",
    "cut-off sequence": b"\xe2\x80",
    "0xFF": b"\xff",
}


@pytest.mark.parametrize("kind", NOT_UTF8)
def test_bytes_that_are_not_utf8_are_refused_at_their_line_and_column(tmp_path, kind):
    claim = CLAIM.encode("utf-8").replace(b"summary: The bridge", b"summary: The " + NOT_UTF8[kind] + b"bridge")
    where, message = single_error(tmp_path, {CLAIM_PATH: claim})
    assert where == f"{CLAIM_PATH}:5:14"
    assert "UTF-8" in message


def test_a_utf16_file_is_refused_at_its_first_byte(tmp_path):
    where, message = single_error(tmp_path, {CLAIM_PATH: CLAIM.encode("utf-16")})
    assert where == f"{CLAIM_PATH}:1:1" and "UTF-8" in message


def test_a_page_that_is_not_utf8_is_refused_at_its_line_and_column(tmp_path):
    where, message = single_error(tmp_path, {PAGE_PATH: PAGE.encode("utf-8").replace(b"Carefully", b"Caref\xfclly")})
    assert where == f"{PAGE_PATH}:9:6" and "UTF-8" in message


def test_a_nul_byte_in_a_content_file_is_refused_at_its_place(tmp_path):
    where, message = single_error(
        tmp_path, {CLAIM_PATH: replaced(CLAIM, "summary: The bridge", "summary: The\x00bridge")}
    )
    assert where == f"{CLAIM_PATH}:5:13" and "NUL" in message


@pytest.mark.parametrize(
    "data, words",
    [
        (ARCHIVED_TEXT.encode("utf-8").replace(b"March", b"M\xe4rz"), "not valid UTF-8 (line 3, column 58"),
        (ARCHIVED_TEXT.encode("utf-8").replace(b"press office", b"press\x00office"), "NUL"),
        (ARCHIVED_TEXT.encode("utf-16"), "not valid UTF-8"),
    ],
    ids=["Latin-1", "NUL", "UTF-16"],
)
def test_an_archived_text_that_is_not_utf8_text_is_refused_at_its_path(tmp_path, data, words):
    where, message = single_error(tmp_path, {TEXT_PATH: data})
    assert where == f"{SOURCE_PATH}:4:7"
    assert words in message


# A quote and its text in different normalisations: é as one code point (NFC) or e + U+0301 (NFD).
WORDS = "Le café de Zoë a rouvert; ÅNGSTRÖM et Œuvre, 한국어 ﬁn."


@pytest.mark.parametrize("quote_form, text_form", [("NFD", "NFC"), ("NFC", "NFD"), ("NFD", "NFD"), ("NFC", "mixed")])
def test_a_quote_matches_its_text_whatever_the_normalisation(tmp_path, quote_form, text_form):
    quote = unicodedata.normalize(quote_form, WORDS)
    if text_form == "mixed":
        text = unicodedata.normalize("NFD", WORDS[:20]) + unicodedata.normalize("NFC", WORDS[20:])
    else:
        text = unicodedata.normalize(text_form, WORDS)
    assert (quote == text) == (quote_form == text_form == "NFD")
    site = built(
        tmp_path,
        {
            **FILES,
            TEXT_PATH: f"The minister said: «{text}» and left.\n",
            SOURCE_PATH: replaced(
                SOURCE, "text: The new bridge was finished in March, two months early.", f'text: "{quote}"'
            ),
        },
    )
    source_page = html_pages(site)["sources/ministry-statement/index.html"]
    marked = source_page.xpath("string(//mark[@id='text-quote-bridge-finished'])")
    assert unicodedata.normalize("NFC", marked) == unicodedata.normalize("NFC", WORDS)
    assert broken_links(site, "https://factcheck.example.org/") == []

"""What every reader hands on: one fact-check as the input said it, nothing added.

Readers (claimreview.py, factcheck_api.py, csv_reader.py) turn their format
into `Item`s and report what they cannot read as positioned problems; the
planner decides what becomes of them. A field the input lacks stays None here.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import ErrorList, Position
from ..schema import _LANGUAGE_RE as LANGUAGE_RE
from ..schema import URL_RE


@dataclass
class Appearance:
    url: str
    title: str | None = None
    published: dt.date | None = None
    publisher: str | None = None


@dataclass
class Item:
    pos: Position  # where the item starts in its input file
    claim: str | None = None
    claimant: str | None = None
    claimant_kind: str | None = None  # person or organization, when the input says
    claimant_url: str | None = None
    claimant_same_as: tuple[str, ...] = ()
    date: dt.date | None = None  # when the claim was made
    rating: str | None = None  # the publisher's textual rating
    reviewed: dt.date | None = None
    updated: dt.date | None = None
    url: str | None = None  # the fact-check's own address
    title: str | None = None  # the fact-check's headline
    publisher: str | None = None  # who published the fact-check
    summary: str | None = None
    analysis: str | None = None  # Markdown
    language: str | None = None  # as the input labels it
    appearances: list[Appearance] = field(default_factory=list)
    topics: tuple[str, ...] = ()
    filled: list[str] = field(default_factory=list)  # required fields taken from another field, for the report


class Problems:
    """Positioned problems of one import: malformed files and items that cannot be imported."""

    def __init__(self) -> None:
        self.errors = ErrorList()

    def add(self, pos: Position, message: str) -> None:
        self.errors.add(pos, message)


_SPACE = re.compile(r"\s+")
# Characters no content file may hold (schema.py refuses them); an export carries them by accident.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff\u2028\u2029\ud800-\udfff]")


def clean_line(value) -> str | None:
    """Text as one line, control characters and runs of white space made single spaces; None if nothing is left."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = _SPACE.sub(" ", _CONTROL.sub(" ", unicodedata.normalize("NFC", str(value)))).strip()
    return text or None


def clean_block(value) -> str | None:
    """Text that may span lines: line breaks kept, control characters removed."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(lambda m: "\n" if m[0] in "\u2028\u2029\x85" else " ", text.replace("\t", "    "))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text or None


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
_SLASHED = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})\s*$")
_WORDED = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")


def parse_date(value) -> dt.date | None:
    """An ISO date or date-time (the time dropped), YYYY/MM/DD or an English 'September 5, 2021'; None otherwise."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value) or _SLASHED.match(value)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        text = _SPACE.sub(" ", value.strip().replace(".", ""))
        for pattern in _WORDED:
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    except (ValueError, OverflowError):
        return None
    return None


def clean_url(value) -> str | None:
    """An http(s) URL the content format accepts, else None (a relative or javascript: link is no address)."""
    return _written_as(value, URL_RE, lambda text: text.replace(" ", "%20"), 2_000)


def clean_language(value) -> str | None:
    """A BCP 47 tag as the content format writes it (`pt_BR` becomes `pt-BR`), else None."""
    return _written_as(value, LANGUAGE_RE, lambda text: text.replace("_", "-"), 40)


def _written_as(value, pattern: re.Pattern, tidy, limit: int) -> str | None:
    text = clean_line(value)
    if text is None:
        return None
    text = tidy(text)
    return text if pattern.fullmatch(text) and len(text) <= limit else None


def position_at(path: str, text: str, offset: int, line_starts: list[int] | None = None) -> Position:
    """The line and column (both from 1) of a character offset in `text`."""
    if line_starts is None:
        line_starts = line_starts_of(text)
    line = bisect.bisect_right(line_starts, offset)
    return Position(path, line, offset - line_starts[line - 1] + 1)


def line_starts_of(text: str) -> list[int]:
    starts = [0]
    find = text.find
    at = find("\n")
    while at != -1:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts

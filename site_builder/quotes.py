"""Finding a quote in its source's archived text.

Editors copy quotes by hand, so the match ignores what a keyboard changes:
runs of white space, straight versus typographic quote marks and dashes, and
Unicode normalisation (a Mac types NFD). `…` or `...` marks an omission: the
parts around it must appear in order.
"""

from __future__ import annotations

import re
import unicodedata

from .model import Span

# One-for-one replacements, so offsets in the folded text are offsets in the original.
_FOLD = str.maketrans(
    {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2039\u203a\u00b4`"}
    | {c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"}
    | {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
)
_OMISSION = re.compile(r"\u2026|\.\.\.")
MAX_QUOTE_CHARS = 10_000


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """The archived text as the matcher sees it: same length, marks folded."""
    return nfc(text).translate(_FOLD)


def _part_pattern(part: str) -> re.Pattern | None:
    words = part.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def find_quote(quote: str, folded_text: str) -> tuple[Span, ...] | None:
    """Spans of the quote's parts in the text, or None if it is not there."""
    spans = []
    start = 0
    for part in _OMISSION.split(fold(quote)):
        pattern = _part_pattern(part)
        if pattern is None:
            continue
        found = pattern.search(folded_text, start)
        if found is None:
            return None
        spans.append(Span(found.start(), found.end()))
        start = found.end()
    return tuple(spans) or None


def closest_miss(quote: str, folded_text: str) -> str:
    """Where the quote stops matching the text, so the editor knows what to fix.

    Parts are matched in order, as `find_quote` does; within the first part
    that fails, the longest run of its leading words found is reported.
    """
    start = 0
    for part in _OMISSION.split(fold(quote)):
        pattern = _part_pattern(part)
        if pattern is None:
            continue
        found = pattern.search(folded_text, start)
        if found is not None:
            start = found.end()
            continue
        if pattern.search(folded_text):
            return f"the part '{_shorten(part)}' is in the text, but not after the part before it"
        words = part.split()
        low, high = 0, len(words)
        while low < high:  # binary search on prefix length; matching is monotone
            mid = (low + high + 1) // 2
            if _part_pattern(" ".join(words[:mid])).search(folded_text, start):
                low = mid
            else:
                high = mid - 1
        if low == 0:
            return f"its words from '{words[0]}' on are not in the text"
        shown = " ".join(words[max(0, low - 4):low])
        return f"it matches up to '…{shown}' and then differs at '{words[low]}'"
    return "it is empty"


def _shorten(text: str, words: int = 6) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")

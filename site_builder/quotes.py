"""Finding a quote in its source's archived text.

Editors copy quotes by hand, so the match ignores what a keyboard changes:
runs of white space, straight versus typographic quote marks and dashes, and
Unicode normalisation (a Mac types NFD). `…` or `...` marks an omission: the
parts around it must appear in order.
"""

from __future__ import annotations

import bisect
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
_WORD = re.compile(r"\S+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """The archived text as the matcher sees it: same length, marks folded."""
    return nfc(text).translate(_FOLD)


class SearchableText:
    """An archived text prepared once for many quotes: marks folded, white space collapsed.

    Quotes are then found with `str.find` on the collapsed text, and spans are
    mapped back to offsets in the original text. (Compiling one regular
    expression per quote cost more than every other check together.)
    """

    def __init__(self, text: str) -> None:
        folded = fold(text)
        self._words = [(m.start(), m.end()) for m in _WORD.finditer(folded)]
        self._flat_starts = []
        position = 0
        for start, end in self._words:
            self._flat_starts.append(position)
            position += end - start + 1
        self.flat = " ".join(folded[start:end] for start, end in self._words)

    def find(self, part: str, start: int = 0) -> tuple[int, int] | None:
        """Where `part` (already folded) stands in the collapsed text, from `start`."""
        needle = " ".join(part.split())
        if not needle:
            return None
        found = self.flat.find(needle, start)
        return None if found < 0 else (found, found + len(needle))

    def original_span(self, flat_start: int, flat_end: int) -> Span:
        return Span(self._original(flat_start), self._original(flat_end - 1) + 1)

    def _original(self, flat_offset: int) -> int:
        index = bisect.bisect_right(self._flat_starts, flat_offset) - 1
        return self._words[index][0] + flat_offset - self._flat_starts[index]


def _parts(quote: str) -> list[str]:
    return [part for part in _OMISSION.split(fold(quote)) if part.split()]


def find_quote(quote: str, text: SearchableText) -> tuple[Span, ...] | None:
    """Spans of the quote's parts in the text, or None if it is not there."""
    spans = []
    start = 0
    for part in _parts(quote):
        found = text.find(part, start)
        if found is None:
            return None
        spans.append(text.original_span(*found))
        start = found[1]
    return tuple(spans) or None


def closest_miss(quote: str, text: SearchableText) -> str:
    """Where the quote stops matching the text, so the editor knows what to fix.

    Parts are matched in order, as `find_quote` does; within the first part
    that fails, the longest run of its leading words found is reported.
    """
    start = 0
    for part in _parts(quote):
        found = text.find(part, start)
        if found is not None:
            start = found[1]
            continue
        if text.find(part) is not None:
            return f"the part '{_shorten(part)}' is in the text, but not after the part before it"
        words = part.split()
        low, high = 0, len(words)
        while low < high:  # binary search on prefix length; matching is monotone
            mid = (low + high + 1) // 2
            if text.find(" ".join(words[:mid]), start) is not None:
                low = mid
            else:
                high = mid - 1
        if low == 0:
            return f"its words from '{words[0]}' on are not in the text"
        shown = " ".join(words[max(0, low - 4) : low])
        return f"it matches up to '…{shown}' and then differs at '{words[low]}'"
    return "it is empty"


def _shorten(text: str, words: int = 6) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")

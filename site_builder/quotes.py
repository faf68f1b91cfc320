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
    """The longest leading run of the quote's words that the text does contain.

    Tells the editor where their copy starts to differ from the source.
    """
    words = fold(quote).replace("\u2026", " ").replace("...", " ").split()
    low, high = 0, len(words)
    while low < high:  # binary search on prefix length; matching is monotone
        mid = (low + high + 1) // 2
        if _part_pattern(" ".join(words[:mid])).search(folded_text):
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return f"not even its first word '{words[0]}' is in the text" if words else "it is empty"
    if low == len(words):
        return "its parts are there but not in this order"
    shown = " ".join(words[max(0, low - 4):low])
    return f"it matches up to '…{shown}' and then differs at '{words[low]}'"

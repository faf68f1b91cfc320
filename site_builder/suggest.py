"""What an editor probably meant: a written name matched against ids, labels and names.

Editors write what they see on the page ("Mostly false", "Marisol Quenby")
where the format wants a file name or id ("mostly-false", "marisol-quenby").
Both sides are reduced to a key that ignores case, spaces and punctuation,
accents and script (transliterated to Latin letters), then compared whole and
fuzzily, so one wrong letter still finds its record.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from anyascii import anyascii

_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]+")


def match_key(text: str) -> str:
    """'Mostly False', 'mostly-false' and 'Móstly  false' all give 'mostlyfalse'."""
    text = unicodedata.normalize("NFKC", text)
    return _NOT_LETTER_OR_DIGIT.sub("", anyascii(text).casefold())


def slugified(text: str) -> str:
    """The id an editor would get by writing `text` in the format's letters: 'Mostly False' → 'mostly-false'."""
    return _NOT_LETTER_OR_DIGIT.sub("-", anyascii(unicodedata.normalize("NFKC", text)).casefold()).strip("-")


def closest(written: str, candidates: dict[str, str]) -> str | None:
    """The id in `candidates` (id → its label or name) that `written` most likely means; None if none is close."""
    wanted = match_key(written)
    if not wanted:
        return None
    keys: dict[str, str] = {}
    for id_, label in sorted(candidates.items()):
        for key in (match_key(id_), match_key(label or "")):
            if key:
                keys.setdefault(key, id_)
    if wanted in keys:
        return keys[wanted]
    # Three-letter ids ('frs', 'ar') are near anything: they are only matched whole.
    close = difflib.get_close_matches(wanted, [key for key in keys if len(key) > 3], n=1, cutoff=0.75)
    return keys[close[0]] if close else None


def named(id_: str, label: str | None) -> str:
    """'mostly-false' (Mostly false): the id to write, and what readers see of it."""
    return f"'{id_}'" + (f" ({label})" if label and label != id_ else "")

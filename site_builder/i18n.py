"""The interface's language: its words from a gettext catalogue, its dates and numbers from CLDR.

The site's `language` picks the catalogue; content is never translated, only
the words the generator itself puts around it (navigation, labels, the
default verdict scale). Catalogues are ordinary .po files, read at start-up,
so translators use the tools they know (Poedit, Weblate, `pybabel update`)
and nothing is compiled by hand. English is the source language and needs
no catalogue.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import glob
import io
import os
import re

import babel
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal

from .errors import ErrorList, Position
from .files import UnreadableFile, read_bytes
from .text import direction

LOCALES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locales")
DOMAIN = "messages"
# A bare "en" means international English: day before month, as most of the
# world writes it ("5 September 2021"), not CLDR's US default.
_CLDR_ALIASES = {"en": "en_001", "prs": "fa_AF"}


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; it is translated where it is shown."""
    return message


class Interface:
    """Words, dates and numbers in one language, for templates and page contexts alike."""

    def __init__(self, tag: str, translations: gettext.NullTranslations, locale: babel.Locale) -> None:
        self.tag = tag  # BCP 47, as site.yaml writes it
        self.dir = direction(tag)
        self.locale = locale
        self.translations = translations

    def gettext(self, message: str, **values: object) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        values.setdefault("num", n)
        return self.translations.ngettext(singular, plural, n) % values

    def date(self, value: dt.date) -> str:
        return _format_date(value, self.locale)

    def number(self, value: int | float) -> str:
        return _format_number(value, self.locale)


@functools.lru_cache(maxsize=4096)
def _format_number(value: int | float, locale: babel.Locale) -> str:
    # Pagers and tallies spell out the same few numbers on thousands of pages.
    return format_decimal(value, locale=locale)


@functools.cache
def _format_date(value: dt.date, locale: babel.Locale) -> str:
    # Archives reuse few dates across many pages, and CLDR formatting is not cheap.
    return format_date(value, "long", locale=locale)


def interface(tag: str, extra_dirs: tuple[str, ...] = ()) -> Interface:
    """The interface for a BCP 47 tag; an archive's own catalogues in `extra_dirs` come first.

    A language without a catalogue falls back to the nearest one (fa-AF → fa)
    and then to English words, with dates and numbers still in the language.
    """
    # The archive's catalogues' sizes and times are part of the key: the preview
    # server asks again after a translator saves one.
    stamps = []
    for folder in extra_dirs:
        for path in sorted(glob.glob(os.path.join(folder, "*", "LC_MESSAGES", f"{DOMAIN}.po"))):
            stat = os.stat(path)
            stamps.append((path, stat.st_mtime_ns, stat.st_size))
    return _interface(tag, extra_dirs, tuple(stamps))


@functools.lru_cache(maxsize=8)
def _interface(tag: str, extra_dirs: tuple[str, ...], _stamps: tuple) -> Interface:
    locale = cldr_locale(tag)
    candidates = _candidates(tag, locale)
    translations: gettext.NullTranslations = gettext.NullTranslations()
    for folder in reversed((*extra_dirs, LOCALES_DIR)):
        # Later folders take precedence: each found catalogue becomes the primary, the earlier its fallback.
        found = _catalogue(folder, candidates)
        if found is not None:
            found.add_fallback(translations)
            translations = found
    return Interface(tag, translations, locale)


def cldr_locale(tag: str) -> babel.Locale:
    """The CLDR locale for a tag, or the nearest one Babel knows; English if none."""
    name = tag.replace("-", "_")
    for candidate in (_CLDR_ALIASES.get(name.lower(), name), name.split("_")[0]):
        try:
            return babel.Locale.parse(_CLDR_ALIASES.get(candidate.lower(), candidate))
        except (babel.UnknownLocaleError, ValueError):
            continue
    return babel.Locale.parse("en_001")


def shipped_languages() -> list[str]:
    """The languages whose catalogues ship with the generator, as BCP 47 tags, English first."""
    found = sorted(
        name.replace("_", "-")
        for name in os.listdir(LOCALES_DIR)
        if os.path.isfile(os.path.join(LOCALES_DIR, name, "LC_MESSAGES", f"{DOMAIN}.po"))
    )
    return ["en", *found]


# Messages the shipped templates write as HTML, whose translations are inserted
# as HTML too. Every other translation is escaped like any text (an archive's
# own catalogue is written by anyone with commit access). None so far.
MARKUP_MESSAGES: frozenset[str] = frozenset()
MAX_CATALOGUE_BYTES = 8 * 1024 * 1024

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_BABEL_LINE = re.compile(r" on \d+$")  # Babel's own line number, counted from 0


def check_catalogues(folder: str, errors: ErrorList) -> None:
    """An archive's own catalogues (locales/<language>/LC_MESSAGES/messages.po): readable,
    and using no value the message does not give, which would stop the build mid-page."""
    for path in sorted(glob.glob(os.path.join(folder, "*", "LC_MESSAGES", f"{DOMAIN}.po"))):
        try:
            catalog = read_po(io.BytesIO(read_bytes(path, MAX_CATALOGUE_BYTES)), abort_invalid=True)
        except UnreadableFile as exc:
            errors.add(Position(path, 1, 1), f"this catalogue {exc}: save it as a UTF-8 .po file")
            continue
        except PoFileError as exc:
            # Babel counts this line from 0.
            reason = _BABEL_LINE.sub("", str(exc.args[0]))
            errors.add(
                Position(path, exc.lineno + 1, 1),
                f"this catalogue cannot be read ({reason}): "
                "fix the line, or open and save the file in a PO editor such as Poedit",
            )
            continue
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            errors.add(Position(path, 1, 1), f"this catalogue cannot be read ({exc}): save it as a UTF-8 .po file")
            continue
        for message in catalog:
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            given = {name for text in ids for name in _PLACEHOLDER.findall(text)}
            for text in strings:
                unknown = sorted(set(_PLACEHOLDER.findall(text)) - given)
                if unknown:
                    errors.add(
                        Position(path, message.lineno, 1),
                        (
                            f"the translation of '{ids[0]}' uses %({unknown[0]})s, which the message does not have: "
                            f"use only {', '.join(f'%({name})s' for name in sorted(given)) or 'no placeholders'}"
                        ),
                    )


def _candidates(tag: str, locale: babel.Locale) -> list[str]:
    names = [tag.replace("-", "_"), str(locale)]
    if locale.territory:
        names.append(f"{locale.language}_{locale.territory}")
    names.append(locale.language)
    # Then the language as spoken elsewhere (a Persian site gets the Dari words), before English.
    if os.path.isdir(LOCALES_DIR):
        names += sorted(name for name in os.listdir(LOCALES_DIR) if name.startswith(f"{locale.language}_"))
    return list(dict.fromkeys(names))


def _catalogue_path(folder: str, candidates: list[str]) -> str | None:
    for name in candidates:
        path = os.path.join(folder, name, "LC_MESSAGES", f"{DOMAIN}.po")
        if os.path.isfile(path):
            return path
    return None


def _catalogue(folder: str, candidates: list[str]) -> gettext.GNUTranslations | None:
    path = _catalogue_path(folder, candidates)
    if path is None:
        return None
    try:
        catalog = read_po(io.BytesIO(read_bytes(path, MAX_CATALOGUE_BYTES)))
    except UnreadableFile:  # reported by check_catalogues
        return None
    compiled = io.BytesIO()
    # Fuzzy entries are a translator's unfinished guesses: English is better than a wrong word.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)

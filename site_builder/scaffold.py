"""New content files written from the format's declarations: `build.py new claim SLUG`.

Each key comes with its meaning and the kind of value it takes as comments,
read off schema.py, so a new file teaches the format and cannot drift from it.

Required keys that only the editor can fill are left empty. The file is valid
YAML all the same, and `check` names each empty key at its line ("'summary'
is empty: write ...") until it is written, so a half-made fact-check can never
be built and published by mistake, as placeholder text could be. Dates due
today are filled in; optional keys are there, commented out.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from dataclasses import dataclass

from .errors import ErrorList, display_path
from .files import site_root
from .jsonschema_export import schema_path
from .reference import describe_type
from .schema import (
    DEFAULT_VERDICTS,
    FOLDERS,
    AliasPath,
    Choice,
    ContentImageFile,
    Date,
    DateTime,
    Field,
    FieldType,
    Integer,
    Language,
    ListOf,
    MarkdownText,
    QuoteReference,
    Record,
    Reference,
    Sha256,
    Slug,
    Text,
    TextFile,
    Url,
    slug_problem,
)
from .suggest import slugified
from .validate import read_site
from .writer import OutputError

# Record kind → (content folder, declaration): "claim" → ("claims", CLAIM).
KINDS: dict[str, tuple[str, Record]] = {kind: (folder, record) for folder, (kind, record) in FOLDERS.items()}
WIDTH = 79


class ScaffoldRefused(Exception):
    """The file cannot be made as asked (a usage error); nothing was written."""


@dataclass(frozen=True)
class Hints:
    """What the template knows beyond the declarations."""

    slug: str
    today: dt.date
    verdicts: tuple  # the site's scale, listed beside `verdict`
    claimant: str | None = None
    source: str | None = None
    text: str | None = None  # the archived text file `new source --text` started

    def filled(self, spec: Field) -> str | list[str] | None:
        """The value written for a key at the top of a new file, if there is one."""
        if isinstance(spec.type, TextFile) and self.text:
            return self.text
        if spec.key == "claimant" and self.claimant:
            return self.claimant
        if spec.key == "appearances" and self.source:
            return [self.source]
        if spec.required and isinstance(spec.type, Date):
            return self.today.isoformat()
        return None


# Dates a new file fills with today's, and what the editor must do about them.
FILLED_DATE_NOTES = {
    "date": "Filled in with today's date: change it to the day the claim was made.",
    "reviewed": "Filled in with the day this file was started: change it to the day the fact-check is published.",
}
# Where `new source SLUG --text` starts the source's archived text, beside content/.
TEXTS_FOLDER = "seeds"


def new_text_file(content_dir: str, slug: str) -> str:
    """An empty archived text for source `slug`, kept as it is if it exists already; returns its path."""
    path = os.path.join(site_root(content_dir), TEXTS_FOLDER, f"{slug}.txt")
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "x", encoding="utf-8"):
            pass
    except FileExistsError:
        pass
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(path)}: {exc.strerror}") from None
    return path


def new_record_file(
    content_dir: str,
    kind: str,
    slug: str,
    claimant: str | None = None,
    source: str | None = None,
    today: dt.date | None = None,
    text: str | None = None,
) -> str:
    """Write content/<folder>/<slug>.yaml for a new record; returns its path."""
    for option, value in (("", slug), ("--claimant ", claimant), ("--source ", source)):
        problem = value is not None and slug_problem(value)
        if problem:
            fixed = slugified(value)[:80].strip("-")
            hint = f"; write {fixed}" if fixed and fixed != value and not slug_problem(fixed) else ""
            raise ScaffoldRefused(f"{option}'{value}' cannot be a file name: {problem}{hint}")
    folder, _ = KINDS[kind]
    path = os.path.join(content_dir, folder, f"{slug}.yaml")
    site = read_site(content_dir, ErrorList())
    hints = Hints(slug, today or dt.date.today(), site.verdicts if site else DEFAULT_VERDICTS, claimant, source, text)
    text = scaffold_text(kind, hints)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise ScaffoldRefused(f"{display_path(path)} already exists: edit it, or choose another slug") from None
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(path)}: {exc.strerror}") from None
    return path


def scaffold_text(kind: str, hints: Hints) -> str:
    folder, record = KINDS[kind]
    lines = [
        f"# yaml-language-server: $schema=../../{schema_path(kind)}",
        *_comment(record.doc.replace("<slug>", hints.slug)),
        "#",
        *_comment(
            "Fill in every key left empty below: until then `python build.py check` reports it "
            'and the site does not build. Optional keys are commented out: remove the "# " in '
            "front of one to use it. For long text, write >- after the colon and the text on the "
            "lines below, indented by two spaces. The guide: docs/editing.md; every key: docs/format.md.",
            hang="",
        ),
    ]
    for spec in record.fields:
        lines += ["", *_key_doc(spec, hints), *_key_lines(spec, hints, record.name)]
    return "\n".join(lines) + "\n"


def _key_doc(spec: Field, hints: Hints) -> list[str]:
    value = describe_type(spec.type)
    entries = spec.type.item if isinstance(spec.type, ListOf) and isinstance(spec.type.item, Record) else None
    if isinstance(spec.type, Reference) and spec.type.kind == "verdict":
        value = "one of " + ", ".join(v.id for v in hints.verdicts)
    elif isinstance(spec.type, MarkdownText):
        value += ", on the lines below, indented by two spaces"
    elif entries is not None:
        value = f"a list; each {entries.name} has these keys:"
    lines = _comment(f"{spec.doc[:1].upper()}{spec.doc[1:]}.")
    lines += _comment(f"{'Required' if spec.required else 'Optional'}: {value}" + ("" if entries else "."))
    if spec.key in FILLED_DATE_NOTES and isinstance(hints.filled(spec), str):
        lines += _comment(FILLED_DATE_NOTES[spec.key])
    if isinstance(spec.type, TextFile) and hints.text:
        lines += _comment(f"{hints.text} was started empty: paste the source's full text into it, as published.")
    for inner in entries.fields if entries else ():
        lines += _comment(f"{inner.key}{' (required)' if inner.required else ''}: {inner.doc}", indent="  ")
    return lines


def _key_lines(spec: Field, hints: Hints, record_name: str) -> list[str]:
    filled = hints.filled(spec)
    if isinstance(filled, list):
        return [f"{spec.key}:", *(f"  - {item}" for item in filled)]
    if filled is not None:
        return [f"{spec.key}: {filled}"]
    if spec.required:
        return [f"{spec.key}: |" if isinstance(spec.type, MarkdownText) else f"{spec.key}:"]
    return ["# " + line for line in _example(spec, hints, record_name)]


def _example(spec: Field, hints: Hints, record_name: str) -> list[str]:
    """An optional key written out with a value to show its shape."""
    if isinstance(spec.type, ListOf):
        item = spec.type.item
        if isinstance(item, Record):
            entry = [line for inner in item.fields if inner.required for line in _example(inner, hints, item.name)]
            return [f"{spec.key}:", "  - " + entry[0], *("    " + line for line in entry[1:])]
        return [f"{spec.key}:", f"  - {_example_value(item, None, hints, record_name)}"]
    if isinstance(spec.type, Record):  # v2: image: {file, alt, ...}
        return [
            f"{spec.key}:",
            *(
                "  " + line
                for inner in spec.type.fields
                if inner.required
                for line in _example(inner, hints, spec.type.name)
            ),
        ]
    value = _example_value(spec.type, spec.default, hints, record_name)
    return [f"{spec.key}: {value}".rstrip()]


def _example_value(field_type: FieldType, default, hints: Hints, record_name: str) -> str:
    if isinstance(default, str):
        return default
    if isinstance(field_type, Reference):
        return hints.source if field_type.kind == "source" and hints.source else f"{field_type.kind}-slug"
    if isinstance(field_type, Slug):
        return f"{record_name}-id"
    if isinstance(field_type, QuoteReference):
        return f"{hints.source or 'source-slug'}#quote-id"
    if isinstance(field_type, DateTime):
        return "2026-12-05T09:00:00+01:00"
    if isinstance(field_type, Date):
        return hints.today.isoformat()
    if isinstance(field_type, DateTime):
        return f"{hints.today.isoformat()}T00:00:00Z"
    if isinstance(field_type, Sha256):
        return ""  # `build.py archive` writes it, or `sha256sum FILE` gives it
    if isinstance(field_type, Url):
        return "https://"
    if isinstance(field_type, Choice):
        return field_type.choices[0]
    if isinstance(field_type, Integer):
        return str(field_type.minimum)
    if isinstance(field_type, Language):
        return "en"
    if isinstance(field_type, ContentImageFile):
        return "media/screenshot.png"
    if isinstance(field_type, TextFile):
        return f"seeds/{hints.slug}.txt"
    if isinstance(field_type, AliasPath):
        return '"/2021/09/old-slug/"'
    if isinstance(field_type, Text):
        return ""  # left empty: `check` asks for it once the key is uncommented
    raise TypeError(f"no example value for {type(field_type).__name__}: add one here")


def _comment(text: str, indent: str = "", hang: str = "  ") -> list[str]:
    """`text` as comment lines; lines after the first hang under it unless hang is ""."""
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent="# " + indent,
        subsequent_indent="# " + indent + hang,
        break_long_words=False,
        break_on_hyphens=False,
    )

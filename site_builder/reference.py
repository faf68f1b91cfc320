"""The format reference, docs/format.md, written from the format's declarations.

Every table row comes from a `Field` in schema.py, so the reference says
exactly what the validator enforces; `build.py generate` rewrites it and a
test fails while the committed copy is stale.
"""

from __future__ import annotations

from .markdown import LINK_SCHEMES
from .schema import (
    DEFAULT_VERDICTS,
    FOLDERS,
    PAGE,
    PAGES_FOLDER,
    SITE,
    SLUG_MAX,
    FieldType,
    ListOf,
    MarkdownText,
    Record,
    Text,
)
from .urls import BUILT_IN_FOLDERS, SITE_PAGES

FORMAT_MD = "docs/format.md"


def describe_type(field_type: FieldType) -> str:
    """What a value of this type looks like, in the words the docs use."""
    if isinstance(field_type, ListOf):
        if isinstance(field_type.item, Record):
            return f"a list of {field_type.item.name} entries, each with the keys in the {field_type.item.name} table"
        return f"a list; each item {describe_type(field_type.item)}"
    if isinstance(field_type, Record):
        return f"the keys in the {field_type.name} table"
    if isinstance(field_type, MarkdownText):
        return f"Markdown text, at most {field_type.max_chars:,} characters"
    if isinstance(field_type, Text):
        lines = "one line of text" if field_type.single_line else "text, several lines allowed"
        return f"{lines}, at most {field_type.max_chars:,} characters"
    return field_type.doc


def nested_records(record: Record) -> list[Record]:
    """The records written inside `record` (a claim's corrections, a source's quotes), in order."""
    found = []
    for spec in record.fields:
        inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
        if isinstance(inner, Record):
            found += [inner, *nested_records(inner)]
    return found


def format_reference() -> str:
    links = ", ".join(f"`[text]({scheme}:<slug>)`" for scheme in sorted(LINK_SCHEMES))
    parts = [_INTRO.format(slug_max=SLUG_MAX, links=links, site_pages=", ".join(f"`{name}`" for name in SITE_PAGES))]
    files = [
        ("site.yaml", SITE),
        *((f"{folder}/<slug>.yaml", spec) for folder, (_, spec) in FOLDERS.items()),
        (f"{PAGES_FOLDER}/<slug>.md", PAGE),
    ]
    for title, record in files:
        parts.append(f"## `{title}`\n\n{_cell(record.doc)}\n\n{_table(record)}")
        for inner in nested_records(record):
            parts.append(f"### {inner.name}\n\n{_cell(inner.doc)}\n\n{_table(inner)}")
        if record is SITE:
            parts.append(_default_scale())
        if record is PAGE:
            parts.append(_PAGES.format(reserved=", ".join(f"`{name}`" for name in BUILT_IN_FOLDERS)))
    return "\n\n".join(parts) + "\n"


def _table(record: Record) -> str:
    rows = ["| key | required | value | meaning |", "| --- | --- | --- | --- |"]
    for spec in record.fields:
        rows.append(
            f"| `{spec.key}` | {'yes' if spec.required else 'no'} | {_cell(describe_type(spec.type))} | {_cell(spec.doc)} |"
        )
    return "\n".join(rows)


def _default_scale() -> str:
    rows = ["| id | label | rating | description |", "| --- | --- | --- | --- |"]
    for verdict in DEFAULT_VERDICTS:
        rating = verdict.rating if verdict.rating is not None else "unrated"
        rows.append(f"| `{verdict.id}` | {verdict.label} | {rating} | {_cell(verdict.description)} |")
    return "### The default verdict scale\n\nUsed when site.yaml has no `verdicts`.\n\n" + "\n".join(rows)


def _cell(text: str) -> str:
    """Markdown-safe: `|` would end the cell, `<slug>` would vanish as an HTML tag."""
    words = []
    for word in text.replace("|", "\\|").split(" "):
        if "<" in word and "`" not in word:
            core = word.rstrip(".,;:)")
            word = f"`{core}`{word[len(core) :]}"
        words.append(word)
    return " ".join(words)


_INTRO = """\
# The content format: reference

<!-- Generated from site_builder/schema.py by `python build.py generate`. Do not edit by hand. -->

Every key of every content file, as the build checks it. The
[editors' guide](editing.md) explains how to use them, with examples.

## Rules for every file

- A **slug** is a file name without `.yaml`: lowercase letters a-z, digits and
  single hyphens, 1 to {slug_max} characters, not starting or ending with a
  hyphen. It is the record's permanent id and its web address.
- A **date** is written `YYYY-MM-DD`, like `2021-09-05`.
- Every value is read as text, exactly as written: `verdict: false` names the
  verdict whose id is `false`, and `name: No` is the text "No".
- A **list** has one item a line, each starting with `- `. An empty list may be
  left out.
- A key that is not in the tables below is an error, so a misspelt key is
  caught instead of silently ignored.
- Paths (a source's `text`, the site's `logo`) are relative to the folder that
  holds `content/`, and must lead to a file inside it.
- Markdown links within the archive: {links}, and
  `[text](source:<slug>#<quote-id>)` for one quote. A link to a record that
  does not exist is an error. `page:` links to one of the archive's pages
  (`pages/<slug>.md`) or to a page the site builds itself: {site_pages}."""

_PAGES = """\
A page is a Markdown file that starts with these keys between two lines
`---` (its front matter), followed by its text:

```markdown
---
title: About
nav: 1
---
Who publishes this archive, and why.

## Our funding
...
```

It is published at `/<slug>/`. In its text `##` starts a section; the title
is the page's only top heading. Pages with `nav` are listed in the site's
navigation after the built-in items, by `nav` (then by slug). A page may not
take the name of a folder the site builds itself: {reserved}.

## Beside `content/`: `templates/`, `static/` and `locales/`

- `templates/<name>`: replaces the built-in template of the same name
  (see [templates.md](templates.md) for what each one receives).
- `static/`: copied into the site as it is, after the built-in assets (so
  `static/assets/favicon.svg` replaces the icon); a static file may not take
  the place of a page or file the build writes.
- `locales/<language>/LC_MESSAGES/messages.po`: the interface's words in a
  language of the archive's own, before the shipped catalogues
  (see [translating.md](translating.md))."""

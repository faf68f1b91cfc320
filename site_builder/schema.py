"""The content format, declared once.

The validator, the JSON Schema for editors' IDEs and the format reference in
the docs are all read off these declarations, so they cannot drift apart.
Each field type turns a positioned YAML node into a typed value, or records
an error that says what to write instead and returns INVALID.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import images, model
from .errors import ErrorList, Position, did_you_mean
from .files import path_problem
from .i18n import N_
from .markdown import IMAGE_PLACEHOLDER
from .model import SLUG_RE
from .suggest import closest, named, slugified
from .yamlsrc import Mapping, Node, Scalar, ScalarLocator, Sequence, YamlFile, node_kind

INVALID: Any = object()

# Matched with fullmatch: `$` alone would let a final newline through. The
# patterns keep their anchors for the JSON Schema, which reads them as written.
SLUG_MAX = 80
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# BCP 47 as editors write it: language, then optional script, region, variants.
_LANGUAGE_RE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z]{4})?(?:-(?:[a-zA-Z]{2}|\d{3}))?(?:-[a-zA-Z0-9]{5,8})*$")
URL_RE = re.compile(r"^https?://[^\s/?#<>\"'`\\]+[^\s<>\"'`\\]*$")
_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# The build reads every scalar as text, but editors' IDEs read YAML 1.2, where
# `verdict: false` is a boolean and `title: 1984` a number; the JSON Schema
# accepts those types wherever the text they stand for can be valid.
_YAML_TEXT_TYPES = ["string", "number", "boolean"]
_YAML_SLUG_TYPES = ["string", "integer", "boolean"]


def slug_problem(slug: str) -> str | None:
    """Why `slug` is not a valid slug, in an editor's words; None if it is."""
    if not slug:
        return "it is empty"
    if len(slug) > SLUG_MAX:
        return f"it is {len(slug)} characters long; the limit is {SLUG_MAX}"
    if not SLUG_RE.fullmatch(slug):
        return "use only lowercase letters a-z, digits and single hyphens, not at the start or end"
    return None


@dataclass
class Parsing:
    """What parsing one file needs: where to report and what helps convert."""

    file: YamlFile
    errors: ErrorList
    markdown: Any = None  # MarkdownConverter; None when only checking the shape
    read_text: Callable[[Scalar, Parsing], Any] | None = None
    read_image: Callable[[Scalar, Parsing], Any] | None = None
    # Every reference parsed in the file, with its key: checked against the
    # other records even when the file has errors, so one run shows them all.
    found: list = field(default_factory=list)
    # The top-level values that parsed, when the file as a whole did not.
    partial: dict | None = None
    read_content_image: Callable[[Scalar, Parsing], Any] | None = None  # v2: PNG, JPEG, WebP of claims, staff, pages

    def error(self, pos: Position, message: str) -> Any:
        self.errors.add(pos, message)
        return INVALID


class FieldType:
    """How one kind of value is written, checked and described."""

    doc: str = ""

    def parse(self, node: Node, ctx: Parsing, name: str) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def pattern(self, regex: str, doc: str | None = None) -> dict:
        """A JSON Schema pattern, with the words IDEs show when it fails."""
        return {"pattern": regex, "patternErrorMessage": f"should be {doc or self.doc}"}

    def scalar(self, node: Node, ctx: Parsing, name: str) -> Scalar | None:
        if not isinstance(node, Scalar):
            ctx.error(node.pos, f"'{name}' should be {self.doc}, not {node_kind(node)}")
            return None
        written = value_like_comment(node, ctx)
        if written is not None:
            ctx.error(
                node.pos,
                f"'{name}' is empty: YAML reads what follows ' #' as a comment, "
                f'so write the value in quotes, like {name}: "{written[:60]}"',
            )
            return None
        if node.is_empty or not node.value.strip():
            ctx.error(
                node.pos,
                f"'{name}' is empty: write {self.doc.replace('`', '')} after '{name}: ', or remove the line (it is optional)",
            )
            return None
        return node


def _written_as(field: FieldType, node: Node, ctx: Parsing, name: str, pattern: re.Pattern, wrong: str):
    """The scalar's stripped text if it matches `pattern` whole, else an error saying `wrong`."""
    node = field.scalar(node, ctx, name)
    if node is None:
        return INVALID
    value = node.value.strip()
    if not pattern.fullmatch(value):
        return ctx.error(node.pos, f"'{name}' should be {wrong}, not '{value[:80]}'")
    return value


class Text(FieldType):
    def __init__(self, doc: str = "text", max_chars: int = 2_000, single_line: bool = True) -> None:
        self.doc, self.max_chars, self.single_line = doc, max_chars, single_line

    def parse(self, node, ctx, name):
        node = self.scalar(node, ctx, name)
        if node is None:
            return INVALID
        if node.comment is not None:
            return ctx.error(
                node.comment,
                f"the text of '{name}' stops here because ' #' starts a comment in YAML: "
                f"put the whole text in quotes if '#…' belongs to it, or remove the comment",
            )
        value = node.value.strip()
        if len(value) > self.max_chars:
            return ctx.error(node.pos, f"'{name}' is {len(value):,} characters long; the limit is {self.max_chars:,}")
        if self.single_line and "\n" in value:
            return ctx.error(node.pos, f"'{name}' should be one line of text: join the lines")
        control = _CONTROL.search(value)
        if control:  # written as an escape in quotes; feeds and HTML cannot carry it
            return ctx.error(node.pos, f"'{name}' contains the control character U+{ord(control[0]):04X}: remove it")
        return value

    def json_schema(self):
        if self.single_line:  # one line, though a folded `>` block leaves a final newline
            pattern = self.pattern(r"^\s*\S[^\n]*\s*$", f"{self.doc} on one line")
        else:
            pattern = self.pattern(r"\S")  # not blank
        return {"type": _YAML_TEXT_TYPES, "minLength": 1, "maxLength": self.max_chars, **pattern}


class MarkdownText(Text):
    # A fact-check runs to a few thousand characters; Python-Markdown's cost
    # grows faster than the text on hostile input, so the bound is generous
    # for editors and tight for a bomb.
    def __init__(self, max_chars: int = 50_000) -> None:
        super().__init__("Markdown text", max_chars, single_line=False)

    def parse(self, node, ctx, name):
        value = super().parse(node, ctx, name)
        if value is INVALID or ctx.markdown is None:
            return value if value is INVALID else model.Markdown(value, "", ())
        return convert_markdown(value, node, ctx)


MAX_LINK_BRACKETS = 1_000


def convert_markdown(text: str, node: Scalar, ctx: Parsing) -> model.Markdown:
    """Markdown to HTML; its links' problems are reported where they are written within `node`."""
    brackets = text.count("[")
    if brackets > MAX_LINK_BRACKETS:
        # Python-Markdown's time grows with the square of the '[' in a text:
        # 4,000 took seconds, 20,000 took minutes. No fact-check needs this many.
        ctx.error(
            node.pos,
            f"this Markdown has {brackets:,} '[' characters (links, footnotes); the limit is {MAX_LINK_BRACKETS:,}",
        )
        return model.Markdown(text, "", ())
    try:
        html, found, problems = ctx.markdown.convert(text)
    except RecursionError:  # Python-Markdown recurses once per level of nesting
        ctx.error(node.pos, "this Markdown nests quotes or lists too deeply to convert: flatten it")
        return model.Markdown(text, "", ())
    locate = ScalarLocator(ctx.file, node)
    for problem in problems:
        ctx.error(locate.find(problem.target), problem.message)
    locate = ScalarLocator(ctx.file, node)
    links = tuple(model.InternalLink(link.kind, link.slug, link.anchor, locate.find(link.target)) for link in found)
    ctx.found.extend(("link", link) for link in links)
    figures = _markdown_figures(ctx, node, ctx.markdown.images)
    if figures or "<img" in html:
        html = _with_pictures(html, figures, ctx.markdown.urls)
    return model.Markdown(text, html, links, tuple(f for f in figures if f is not None))


def _markdown_figures(ctx: Parsing, node: Scalar, found) -> list:
    """v2: each ![alt](file) read as a Figure (None where it is wrong: reported at the image's own place)."""
    locate = ScalarLocator(ctx.file, node)
    figures = []
    for image in found:
        pos = locate.find(image.path)
        read = ctx.read_content_image
        file = read(Scalar(image.path, pos, True, pos), ctx) if read else INVALID
        if file is not INVALID and alt_is_file_name(image.alt, image.path):
            file = ctx.error(pos, f"the image's alt text repeats its file name '{image.alt}': say what the image shows")
        figures.append(None if file is INVALID else model.Figure(file, image.alt, image.title, None, pos))
    return figures


def _with_pictures(html: str, figures: list, urls) -> str:
    def replace(match: re.Match) -> str:
        index = match.group(1)
        figure = figures[int(index)] if index is not None and int(index) < len(figures) else None
        # Analyses are below the claim's verdict and summary: always below the fold.
        return images.picture_html(figure, urls, lazy=True, inline=True) if figure else ""

    return IMAGE_PLACEHOLDER.sub(replace, html)


class Date(FieldType):
    doc = "a date written YYYY-MM-DD"

    def parse(self, node, ctx, name):
        value = _written_as(self, node, ctx, name, _DATE_RE, "a date written YYYY-MM-DD, like 2021-09-05")
        if value is INVALID:
            return INVALID
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return ctx.error(node.pos, f"'{name}' is not a real date: '{value}' (check the month and day)")

    def json_schema(self):
        return {"type": "string", **self.pattern(_DATE_RE.pattern), "format": "date"}


_SHA256_RE = re.compile(r"^[0-9a-fA-F]{64}$")


class Sha256(FieldType):
    doc = "a SHA-256 digest: 64 hexadecimal digits"

    def parse(self, node, ctx, name):
        value = _written_as(
            self,
            node,
            ctx,
            name,
            _SHA256_RE,
            "a SHA-256 digest of 64 hexadecimal digits (0-9, a-f), as `sha256sum FILE` prints it",
        )
        return value if value is INVALID else value.lower()

    def json_schema(self):
        return {"type": "string", **self.pattern(_SHA256_RE.pattern)}


class Url(FieldType):
    doc = "a web address starting with http:// or https://"

    def parse(self, node, ctx, name):
        return _written_as(self, node, ctx, name, URL_RE, "a full web address starting with http:// or https://")

    def json_schema(self):
        return {"type": "string", **self.pattern(URL_RE.pattern), "format": "uri"}


# v2: where readers write to: a web form, or an address their mail program opens.
_CONTACT_RE = re.compile(
    r"^(?:https?://[^\s/?#<>\"'`\\]+[^\s<>\"'`\\]*|mailto:[^\s@<>\"'`\\?]+@[^\s@<>\"'`\\?]+(?:\?[^\s<>\"'`\\]*)?)$"
)


class ContactUrl(FieldType):
    doc = "a web address starting with http:// or https://, or an e-mail address written mailto:desk@example.org"

    def parse(self, node, ctx, name):
        return _written_as(self, node, ctx, name, _CONTACT_RE, self.doc)

    def json_schema(self):
        return {"type": "string", **self.pattern(_CONTACT_RE.pattern)}


class Slug(FieldType):
    doc = "an id of lowercase letters a-z, digits and hyphens, like mostly-false"

    def parse(self, node, ctx, name):
        node = self.scalar(node, ctx, name)
        if node is None:
            return INVALID
        value = node.value.strip()
        problem = slug_problem(value)
        if problem:
            suggestion = slugified(value)[:SLUG_MAX].strip("-")
            instead = (
                f": write '{suggestion}'" if suggestion and suggestion != value and not slug_problem(suggestion) else ""
            )
            return ctx.error(node.pos, f"'{name}' value '{value[:80]}' cannot be an id ({problem}){instead}")
        return value

    def json_schema(self):
        return {"type": _YAML_SLUG_TYPES, **self.pattern(SLUG_RE.pattern), "maxLength": SLUG_MAX, "minimum": 0}


class Reference(Slug):
    """The slug of another record; whether it exists is the library's question."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        folder = model.KINDS.get(kind)
        article = "an" if kind[:1] in "aeiou" else "a"
        self.doc = (
            f"the file name of {article} {kind} in {folder}/, without .yaml" if folder else f"{article} {kind} id"
        )

    def parse(self, node, ctx, name):
        node = self.scalar(node, ctx, name)
        if node is None:
            return INVALID
        value = node.value.strip()
        if "\n" in value or len(value) > 200:
            return ctx.error(node.pos, f"'{name}' should be {self.doc}, not a text")
        # A name where an id was wanted ('Jane Roe', 'Mostly false') is matched
        # against every record's id and name once all are read (library.py).
        ref = model.Ref(self.kind, value, node.pos)
        ctx.found.append((name, ref))
        return ref


class QuoteReference(FieldType):
    doc = "a quote reference written <source-slug>#<quote-id>: the source's file name without .yaml, a #, and the quote's id"

    def parse(self, node, ctx, name):
        node = self.scalar(node, ctx, name)
        if node is None:
            return INVALID
        value = node.value.strip()
        source, hash_, quote = value.partition("#")
        if not hash_ or slug_problem(source) or slug_problem(quote):
            fixed = re.sub(r"\s*[/:\s]\s*", "#", value, count=1)
            like = (
                fixed
                if fixed.count("#") == 1 and not any(map(slug_problem, fixed.split("#")))
                else "ministry-statement#bridge-finished"
            )
            return ctx.error(
                node.pos,
                f"'{value[:80]}' is not a quote reference: write the source's file name without .yaml, "
                f"a #, and the quote's id, like {like}",
            )
        ref = model.QuoteRef(source, quote, node.pos)
        ctx.found.append((name, ref))
        return ref

    def json_schema(self):
        slug = SLUG_RE.pattern.strip("^$")
        return {"type": "string", **self.pattern(f"^{slug}#{slug}$")}


class Choice(FieldType):
    def __init__(self, *choices: str) -> None:
        self.choices = choices
        self.doc = "one of " + ", ".join(f"`{c}`" for c in choices)

    def parse(self, node, ctx, name):
        node = self.scalar(node, ctx, name)
        if node is None:
            return INVALID
        value = node.value.strip()
        if value not in self.choices:
            return ctx.error(
                node.pos,
                f"'{name}' must be one of {', '.join(self.choices)}, not '{value[:80]}'{did_you_mean(value, self.choices)}",
            )
        return value

    def json_schema(self):
        return {"type": "string", "enum": list(self.choices)}


class Integer(FieldType):
    def __init__(self, minimum: int = 1, maximum: int = 100) -> None:
        self.minimum, self.maximum = minimum, maximum
        self.doc = f"a whole number from {minimum} to {maximum}"

    def parse(self, node, ctx, name):
        node = self.scalar(node, ctx, name)
        if node is None:
            return INVALID
        value = node.value.strip()
        if not value.isascii() or not value.isdigit() or not self.minimum <= int(value) <= self.maximum:
            return ctx.error(node.pos, f"'{name}' should be {self.doc}, not '{value[:80]}'")
        return int(value)

    def json_schema(self):
        return {
            "type": ["integer", "string"],
            **self.pattern(r"^\d+$"),
            "minimum": self.minimum,
            "maximum": self.maximum,
        }


class Language(FieldType):
    doc = "a BCP 47 language tag such as en, fa-AF, ps or ar"

    def parse(self, node, ctx, name):
        if isinstance(node, Scalar) and node.value.strip() and not _LANGUAGE_RE.fullmatch(node.value.strip()):
            written = node.value.strip()
            tag = closest(written, _language_names())
            hint = f" (did you mean {named(tag, _language_names()[tag])}?)" if tag else ""
            return ctx.error(node.pos, f"'{name}' should be {self.doc}, not '{written[:80]}'{hint}")
        return _written_as(self, node, ctx, name, _LANGUAGE_RE, self.doc)

    def json_schema(self):
        return {"type": "string", **self.pattern(_LANGUAGE_RE.pattern)}


@functools.cache
def _language_names() -> dict[str, str]:
    """Language tags by their English names from CLDR ('fa-AF': 'Dari'), to suggest a tag for a name."""
    from babel import Locale

    return {code.replace("_", "-"): label for code, label in Locale("en").languages.items()}


class SiteFile(FieldType):
    """A path to a file of the archive, read by the context's reader named `reader`."""

    reader = ""

    def parse(self, node, ctx, name):
        node = self.scalar(node, ctx, name)
        if node is None:
            return INVALID
        # Every path field, whatever reads it: no NUL, nothing hidden behind a leading '.'.
        problem = path_problem(node.value.strip())
        if problem:
            shown = node.value.strip().replace("\0", "\\0")  # a NUL would cut the message short in a terminal
            return ctx.error(node.pos, f"the path '{shown}' {problem}")
        read = getattr(ctx, self.reader)
        return read(node, ctx) if read else INVALID

    def json_schema(self):
        return {"type": "string", "minLength": 1}


class TextFile(SiteFile):
    doc = "the path of an archived file (a UTF-8 .txt, an .html or .htm page, a .pdf with a text layer or a .warc.gz), relative to the folder that holds content/"
    reader = "read_text"


class ImageFile(SiteFile):
    doc = "the path of an image file (SVG, PNG, JPEG, WebP or GIF), relative to the folder that holds content/"
    reader = "read_image"


# A path as a URL writes it: percent-escapes allowed, no query or fragment (a static file cannot answer those).
_ALIAS_RE = re.compile(r"^/(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]+/?)*$")


class AliasPath(FieldType):
    doc = "a path on this site starting with /, like /2021/09/old-slug/"

    def parse(self, node, ctx, name):
        value = _written_as(self, node, ctx, name, _ALIAS_RE, f"{self.doc} (no ?query, #fragment or //)")
        if value is INVALID:
            return INVALID
        output, problem = alias_output(value)
        if problem:
            return ctx.error(node.pos, f"the alias '{value[:80]}' {problem}")
        return model.Alias(value, output, node.pos)

    def json_schema(self):
        return {"type": "string", **self.pattern(_ALIAS_RE.pattern)}


def alias_output(path: str) -> tuple[str, str | None]:
    """The output file of an alias path, or why there can be none: the server maps the decoded path to a file."""
    try:
        decoded = urllib.parse.unquote(path, errors="strict") if "%" in path else path
    except UnicodeDecodeError:
        return "", "has percent-escapes that are not UTF-8 text: copy the path from the browser's address bar"
    parts = decoded.strip("/").split("/")
    if decoded == "/" or not decoded.strip("/"):
        return "", "is the home page: name the old page's own path"
    if any(
        part in ("", ".", "..") or part.startswith(".") or _CONTROL.search(part) or "\x00" in part or "\\" in part
        for part in parts
    ):
        return "", "has an empty, '.', '..' or hidden part: write the path as readers' browsers show it"
    if parts[0] in ("assets", "pagefind", "data"):
        return "", f"lies in /{parts[0]}/, which the build writes itself: it cannot be an alias"
    if len(decoded.encode()) > 1_000:
        return "", "is too long for a file name"
    last = parts[-1].lower()
    if not path.endswith("/") and last.endswith((".html", ".htm")):
        return "/".join(parts), None
    return "/".join(parts) + "/index.html", None


class ContentImageFile(SiteFile):
    doc = "the path of a PNG, JPEG or WebP image, relative to the folder that holds content/, like media/screenshot.png"
    reader = "read_content_image"


class Color(FieldType):
    doc = 'a colour written #rrggbb, like "#0a55c2", in quotes'

    def parse(self, node, ctx, name):
        if isinstance(node, Scalar) and node.is_empty and "#" in ctx.file.text.split("\n")[node.pos.line - 1]:
            # `key: #0a55c2` is a key and a comment to YAML.
            return ctx.error(
                node.pos,
                f"'{name}' is empty: YAML reads what follows ' #' as a comment, "
                f'so write the colour in quotes, like {name}: "#0a55c2"',
            )
        value = _written_as(self, node, ctx, name, _COLOR_RE, self.doc)
        return value if value is INVALID else value.lower()

    def json_schema(self):
        return {"type": "string", **self.pattern(_COLOR_RE.pattern)}


# v2: a date-time carries its offset, so an embargo means one instant wherever the build runs.
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$")


class DateTime(FieldType):
    doc = "a date-time written YYYY-MM-DDTHH:MM with Z or an offset, like 2026-12-05T09:00:00+01:00, or a date (its midnight in UTC)"

    def parse(self, node, ctx, name):
        value = _written_as(
            self,
            node,
            ctx,
            name,
            _DATETIME_RE,
            "a date-time with an offset, like 2026-12-05T09:00+01:00 or 2026-12-05T08:00Z, or a date written YYYY-MM-DD",
        )
        if value is INVALID:
            return INVALID
        parsed = parse_datetime(value)
        if parsed is None:
            return ctx.error(
                node.pos, f"'{name}' is not a real date and time: '{value}' (check the month, day, hour and minute)"
            )
        return parsed

    def json_schema(self):
        return {"type": "string", **self.pattern(_DATETIME_RE.pattern)}


def parse_datetime(value: str) -> dt.datetime | None:
    """An aware datetime from a date-time with offset or Z, or a date (midnight UTC); None if not one."""
    if not _DATETIME_RE.fullmatch(value):
        return None
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), dt.UTC)
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)
    except ValueError:
        return None


class Boolean(Choice):
    """v2: `draft` only; written as YAML's own words, read as a Python bool."""

    def __init__(self) -> None:
        super().__init__("false", "true")
        self.doc = "true or false"

    def parse(self, node, ctx, name):
        node = self.scalar(node, ctx, name)
        if node is None:
            return INVALID
        value = node.value.strip()
        if value not in self.choices:  # yes, no, on, True: YAML 1.1 words the build does not guess at
            return ctx.error(node.pos, f"'{name}' should be true or false, not '{value[:80]}'")
        return value == "true"

    def json_schema(self):
        return {"type": ["boolean", "string"], "enum": [False, True, "false", "true"]}


class ListOf(FieldType):
    def __init__(self, item: FieldType, unique: bool = True, min_items: int = 0) -> None:
        self.item, self.unique, self.min_items = item, unique, min_items
        self.doc = f"a list, each item {item.doc}"

    def parse(self, node, ctx, name):
        if isinstance(node, Scalar) and node.is_empty:
            node = Sequence([], node.pos)
        if not isinstance(node, Sequence):
            return ctx.error(node.pos, f"'{name}' should be a list: put each item on its own line starting with '- '")
        if len(node.items) < self.min_items:
            return ctx.error(
                node.pos,
                f"'{name}' needs at least {self.min_items} item(s): add them, or remove '{name}' to use the default",
            )
        values, seen, ok = [], {}, True
        for item in node.items:
            value = self.item.parse(item, ctx, name)
            if value is INVALID:
                ok = False
                continue
            key = _identity(value)
            if self.unique and key in seen:
                ok = False
                ctx.error(item.pos, f"'{key}' is listed twice in '{name}' (first on line {seen[key]}): remove one")
                continue
            seen[key] = item.pos.line
            values.append(value)
        return tuple(values) if ok else INVALID

    def json_schema(self):
        # `key:` with nothing after it is an empty list; YAML 1.2 reads it as null.
        schema = {"type": ["array", "null"], "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.unique and not isinstance(self.item, Record):
            schema["uniqueItems"] = True
        return schema


def _what_to_write(spec: Field, node: Scalar, ctx: Parsing) -> str:
    """What an empty required value needs and where it goes: after the colon, below a `|` block, or keys below."""
    key = spec.key
    if isinstance(spec.type, Record):
        return f"write its keys ({', '.join(spec.type.by_key)}) on the lines below '{key}:', indented by two spaces"
    shape = spec.type.doc.replace("`", "")
    what = "it" if isinstance(spec.type, Text) or not shape or shape in spec.doc else shape
    if node.plain or node.value:
        return f"write {what} after '{key}: '"
    written = ctx.file.text.split("\n")[node.pos.line - 1][node.pos.column - 1 :].strip()
    if written[:1] in ("'", '"'):  # `key: ""`, as the browser editor writes a field left empty
        return f"write {what} between the quotes of '{key}: {written[:2]}'"
    return f"write {what} on the lines below '{key}: {written}', indented by two spaces"


def value_like_comment(node: Node, ctx: Parsing) -> str | None:
    """The words after ` #` on an empty value's line when they look like the value: `#Hashtag`, `#0a55c2`.

    `key: #0a55c2` or `claim: #Hashtag ...` is a key and a comment to YAML.
    A `# ` followed by a space is a comment the editor meant (the scaffolds
    write them), and the value is simply missing.
    """
    if not (isinstance(node, Scalar) and node.is_empty and node.comment is not None):
        return None
    written = ctx.file.text.split("\n")[node.comment.line - 1][node.comment.column - 1 :].strip()
    return written if written[1:2].strip() else None


def _blank(node: Node) -> bool:
    return isinstance(node, Scalar) and (node.is_empty or not node.value.strip())


def close_key(written: str, keys) -> str | None:
    """The declared key `written` was probably meant to be: case, one or two letters off."""
    by_case = {k.lower(): k for k in keys}
    if written.lower() in by_case:
        return by_case[written.lower()]
    close = difflib.get_close_matches(written, sorted(keys), n=1, cutoff=0.6)
    return close[0] if close else None


def _identity(value: Any) -> Any:
    if isinstance(value, model.Ref):
        return value.slug
    if isinstance(value, model.QuoteRef):
        return str(value)
    return getattr(value, "id", value)


@dataclass(frozen=True)
class Field:
    key: str
    type: FieldType
    required: bool = False
    doc: str = ""
    default: Any = None


@dataclass
class Record(FieldType):
    """A mapping with declared keys; also the top level of each content file."""

    name: str
    fields: list[Field]
    model: type | None
    doc: str = ""
    by_key: dict[str, Field] = field(init=False)

    def __post_init__(self) -> None:
        self.by_key = {f.key: f for f in self.fields}

    def parse(self, node, ctx, name=None, **extra):
        if not isinstance(node, Mapping):
            where = f"'{name}'" if name else "this file"
            return ctx.error(
                node.pos, f"{where} should be a mapping of keys ({', '.join(self.by_key)}), not {node_kind(node)}"
            )
        values, ok = {}, True
        unknown = {key: entry[0] for key, entry in node.entries.items() if key not in self.by_key}
        missing = [spec.key for spec in self.fields if spec.required and spec.key not in node.entries]
        # Keys of an empty mapping above written without their indentation (`publisher:` then `name: ...`).
        stranded = {}
        for key, (key_node, value_node) in node.entries.items():
            inner = self.by_key[key].type if key in self.by_key else None
            inner = inner.item if isinstance(inner, ListOf) else inner
            if isinstance(inner, Record) and _blank(value_node):
                stranded.update({k: (key, key_node) for k in unknown if k in inner.by_key and k not in stranded})
        misspelt = {}  # a required key written wrongly is reported once, at the wrong spelling
        for key in unknown:
            meant = close_key(key, self.by_key)
            if key not in stranded and meant in missing and meant not in misspelt:
                misspelt[meant] = key
        if len(unknown) == 1 and len(missing) == 1 and not misspelt and not stranded:
            misspelt[missing[0]] = next(iter(unknown))  # one key wrong, one missing: the one was meant
        meant_by = {key: meant for meant, key in misspelt.items()}
        for key, key_node in unknown.items():
            ok = False
            if key in stranded:
                parent, parent_node = stranded[key]
                ctx.error(
                    key_node.pos,
                    f"'{key}' is a key of '{parent}' (line {parent_node.pos.line}): indent it by two "
                    f"spaces more than '{parent}:'",
                )
            elif key in meant_by:
                meant = meant_by[key]
                ctx.error(
                    key_node.pos,
                    f"unknown key '{key}' (did you mean '{meant}'?), and '{meant}' is required "
                    f"in {self.name}: {self.by_key[meant].doc}",
                )
            else:
                ctx.error(
                    key_node.pos,
                    f"unknown key '{key}' in {self.name}{did_you_mean(key, self.by_key)}; "
                    f"allowed keys are: {', '.join(self.by_key)}",
                )
        parents = {parent for parent, _ in stranded.values()}
        for key, (_key_node, value_node) in node.entries.items():
            spec = self.by_key.get(key)
            if spec is None:
                continue
            if key in parents:  # reported at each stranded key
                ok = False
                values[key] = INVALID
                continue
            if not spec.required and isinstance(value_node, Scalar) and not value_node.plain and value_node.value == "":
                # `key: ""` is how the CMS (/admin/) writes an optional field left empty or cleared: no value.
                values[key] = spec.default
                continue
            if spec.required and _blank(value_node) and not isinstance(spec.type, ListOf):
                ok = False
                values[key] = INVALID
                if value_like_comment(value_node, ctx) is None:
                    ctx.error(
                        value_node.pos,
                        f"'{key}' is empty, and it is required in {self.name}: "
                        f"{spec.doc}; {_what_to_write(spec, value_node, ctx)}",
                    )
                    continue
            value = spec.type.parse(value_node, ctx, key)
            if value is INVALID:
                ok = False
            values[key] = value
        for spec in self.fields:
            if spec.key not in node.entries:
                if spec.required:
                    ok = False
                    if spec.key not in misspelt:
                        ctx.error(node.pos, f"{self.name} is missing the required key '{spec.key}': {spec.doc}")
                else:
                    values[spec.key] = spec.default
        if not ok and name is None:
            ctx.partial = values
        if not ok or self.model is None:
            return INVALID if not ok else values
        return self.model(**values, pos=node.pos, **extra)

    def json_schema(self):
        return {
            "type": "object",
            "description": self.doc,
            "properties": {
                f.key: {**f.type.json_schema(), "description": f.doc}
                | ({"default": f.default} if isinstance(f.default, str) else {})
                for f in self.fields
            },
            "required": [f.key for f in self.fields if f.required],
            "additionalProperties": False,
        }


class FigureRecord(Record):
    """v2: an image with its alt text, which must say what the image shows: not nothing, not its file name."""

    def parse(self, node, ctx, name=None, **extra):
        figure = super().parse(node, ctx, name, **extra)
        if figure is INVALID or not isinstance(node, Mapping):
            return figure
        if alt_is_file_name(figure.alt, figure.file.path):
            return ctx.error(
                node.entries["alt"][1].pos,
                f"'alt' repeats the file name '{figure.alt}': say what the image shows, for readers who cannot see it",
            )
        return figure


def alt_is_file_name(alt: str, path: str) -> bool:
    name = path.replace("\\", "/").rsplit("/", 1)[-1].casefold()
    return alt.strip().casefold() in {name, name.rsplit(".", 1)[0], path.casefold()}


# English, and in the catalogues: a site that keeps the default scale shows it in its own language (library.py).
def _verdict(id_, label, rating, description):
    return model.Verdict(id_, label, rating, description, Position("<default verdict scale>", 1, 1))


DEFAULT_VERDICTS = (
    _verdict("true", N_("True"), 5, N_("The claim is accurate and nothing significant is missing.")),
    _verdict(
        "mostly-true",
        N_("Mostly true"),
        4,
        N_("The claim is accurate but needs clarification or additional information."),
    ),
    _verdict(
        "half-true",
        N_("Half true"),
        3,
        N_("The claim is partially accurate but leaves out important details or takes things out of context."),
    ),
    _verdict(
        "mostly-false",
        N_("Mostly false"),
        2,
        N_("The claim contains an element of truth but ignores critical facts that would give a different impression."),
    ),
    _verdict("false", N_("False"), 1, N_("The claim is not accurate.")),
    _verdict(
        "unproven", N_("Unproven"), None, N_("The evidence available does not show whether the claim is accurate.")
    ),
    _verdict(
        "disputed",
        N_("Disputed"),
        None,
        N_("The claim is contested by credible sources and the evidence does not settle it."),
    ),
    _verdict(
        "opinion",
        N_("Not a factual claim"),
        None,
        N_("An opinion, prediction, offer or value judgement: there is no fact to check."),
    ),
)

SOURCE_KINDS = (
    "news-article",
    "statement",
    "interview",
    "speech",
    "social-post",
    "video",
    "report",
    "document",
    "other",
)

PUBLISHER = Record(
    "publisher",
    [
        Field("name", Text(), True, "the organisation's name"),
        Field("url", Url(), True, "its web address"),
    ],
    model.Publisher,
    "The organisation that publishes the fact-checks.",
)

VERDICT = Record(
    "verdict",
    [
        Field("id", Slug(), True, "what claims write in their `verdict` key"),
        Field("label", Text(max_chars=60), True, "the verdict's name as readers see it"),
        Field(
            "rating",
            Integer(1, 20),
            False,
            "1 (worst) to the number of rated verdicts (best); leave out for an unrated verdict such as unproven",
        ),
        Field("description", Text(max_chars=1_000), True, "what the verdict means, shown on the verdict scale page"),
    ],
    model.Verdict,
    "One step of the rating scale.",
)

SOCIAL_LINK = Record(
    "social link",
    [
        Field("name", Text(max_chars=60), True, "the link's text, such as the network's name"),
        Field("url", Url(), True, "the address of the archive's account or page there"),
    ],
    model.SocialLink,
    "A link to the archive elsewhere, shown in the footer of every page.",
)

CMS_BACKENDS = ("github", "gitlab", "git-gateway")

CMS = Record(
    "cms",
    [
        Field(
            "backend",
            Choice(*CMS_BACKENDS),
            True,
            "where the editors' changes are committed: github, gitlab, or git-gateway (Netlify Identity)",
        ),
        Field("repo", Text(max_chars=200), True, "the archive's repository as owner/name, such as org/archive"),
        Field("branch", Text(max_chars=200), False, "the branch the site is built from", "main"),
        Field(
            "workflow",
            Choice("editorial", "direct"),
            False,
            "editorial (the default): each new or changed file is a draft, a pull request, until an editor publishes it; direct: every save is a commit to the branch",
            "editorial",
        ),
        Field(
            "auth_url",
            Url(),
            False,
            "the address of the OAuth service that signs editors in to GitHub or GitLab, when it is not Netlify's (see docs/editing.md)",
        ),
        Field(
            "local_port",
            Integer(1024, 65535),
            False,
            "the port of decap-server on an editor's own machine (`npx decap-server`): /admin/ opened on localhost saves to the working tree through it. Default 8081",
        ),
    ],
    model.Cms,
    "The editors' interface in the browser at /admin/ (Decap CMS); leave out to build no /admin/.",
)

SITE = Record(
    "site.yaml",
    [
        Field("title", Text(max_chars=200), True, "the site's name"),
        Field("base_url", Url(), True, "the absolute http(s) URL where the site is published, ending in /"),
        Field(
            "language",
            Language(),
            False,
            "the site's language, default en: the interface's words (catalogues ship for en and fa-AF, Dari; other languages show English words, see docs/translating.md), its dates and the pages' direction (right to left for fa, ps, ar …)",
            "en",
        ),
        Field("description", Text(max_chars=500), False, "one or two sentences about the archive"),
        Field("publisher", PUBLISHER, True, "who publishes the fact-checks: name and url"),
        Field(
            "verdicts",
            ListOf(VERDICT, min_items=1),
            False,
            "the rating scale; leave out to use the default scale",
            DEFAULT_VERDICTS,
        ),
        Field(
            "logo",
            ImageFile(),
            False,
            "an image shown in the header in place of the title (whose text becomes its alt text)",
        ),
        Field(
            "accent_color",
            Color(),
            False,
            "the colour of links, focus rings and the search button; it needs a contrast of 4.5:1 with the light theme's backgrounds",
        ),
        Field(
            "accent_color_dark",
            Color(),
            False,
            "the accent colour in the dark theme; it needs a contrast of 4.5:1 with the dark theme's backgrounds. Default: accent_color made lighter",
        ),
        Field(
            "footer",
            Text(max_chars=500),
            False,
            "plain text shown in the footer of every page, such as a licence notice",
        ),
        Field(
            "social",
            ListOf(SOCIAL_LINK, unique=False),
            False,
            "links to the archive elsewhere, shown in the footer",
            (),
        ),
        Field(
            "repository",
            Url(),
            False,
            "the archive's source repository on GitHub, such as https://github.com/org/archive: each claim page then links to its file's history there, {repository}/commits/main/content/claims/<slug>.yaml",
        ),
        Field(
            "cms",
            CMS,
            False,
            "switch on the editors' interface in the browser at /admin/: backend, repo and branch (see docs/editing.md, Editing in the browser)",
        ),
        Field(
            "report_error_url",
            ContactUrl(),
            False,
            "where readers report an error (http(s) or mailto:); every claim page links it, passing the claim's address along (a mailto: subject, or a url= parameter)",
        ),
        Field(
            "tips_url",
            ContactUrl(),
            False,
            "where readers suggest a claim to check (http(s) or mailto:); linked from the footer of every page",
        ),
    ],
    model.Site,
    "The site's settings: content/site.yaml.",
)

FIGURE = FigureRecord(
    "image",
    [
        Field(
            "file",
            ContentImageFile(),
            True,
            "the image file: PNG, JPEG or WebP, inside the site's folder (for example media/)",
        ),
        Field(
            "alt", Text(max_chars=500), True, "what the image shows, for readers who cannot see it; not its file name"
        ),
        Field("caption", Text(max_chars=500), False, "a line shown under the image"),
        Field("credit", Text(max_chars=200), False, "who made or owns the image"),
    ],
    model.Figure,
    "An image: a screenshot of the claim, a portrait, a picture on a page.",
)

CORRECTION = Record(
    "correction",
    [
        Field("date", Date(), True, "when the correction was made"),
        Field("note", Text(max_chars=2_000, single_line=False), True, "what was corrected"),
    ],
    model.Correction,
    "One entry of a claim's public corrections log.",
)

CLAIM = Record(
    "claim",
    [
        Field("claim", Text(max_chars=500), True, "the claim as one plain sentence, as a reader would search for it"),
        Field(
            "claimant",
            Reference("person"),
            True,
            "who made the claim: the file name of a person in people/, without .yaml",
        ),
        Field("date", Date(), True, "when the claim was made"),
        Field(
            "verdict", Reference("verdict"), True, "a verdict id from the scale (see site.yaml or the default scale)"
        ),
        Field("summary", Text(max_chars=1_000, single_line=False), True, "the verdict in one or two plain sentences"),
        Field("analysis", MarkdownText(), True, "the fact-check itself, in Markdown"),
        Field("reviewed", Date(), True, "when the fact-check was published"),
        Field("updated", Date(), False, "when the fact-check was last changed"),
        Field(
            "quotes",
            ListOf(QuoteReference()),
            False,
            "the original words behind the claim: each written <source-slug>#<quote-id>, the source's file name in sources/ without .yaml, a #, and the quote's id",
            (),
        ),
        Field("appearances", ListOf(Reference("source")), False, "sources where the claim appeared", ()),
        Field(
            "first_appearance",
            Reference("source"),
            False,
            "which of the appearances came first, for aggregators (ClaimReview firstAppearance); default: the earliest dated one",
        ),
        Field(
            "counterclaims",
            ListOf(Reference("claim")),
            False,
            "claims that contradict this one; the link shows on both pages",
            (),
        ),
        Field(
            "topics",
            ListOf(Reference("topic")),
            False,
            "the claim's topics, each the file name of a topic in topics/ without .yaml (a topic without a file still gets its page)",
            (),
        ),
        Field("language", Language(), False, "the claim's language when it differs from the site's"),
        Field("corrections", ListOf(CORRECTION, unique=False), False, "the public corrections log", ()),
        Field(
            "original_rating",
            Text(max_chars=2_000, single_line=False),
            False,
            "the rating in the original publisher's own words, for imported fact-checks; shown on the page beside the verdict",
        ),
        Field(
            "original_url",
            Url(),
            False,
            'where this fact-check was first published, for imported fact-checks; shown on the page as "First published at"',
        ),
        Field(
            "aliases",
            ListOf(AliasPath()),
            False,
            "old paths on this site (/2021/09/old-slug/) that redirect to this claim, so that old links keep working",
            (),
        ),
        Field(
            "draft",
            Boolean(),
            False,
            "true keeps it unpublished: `build` leaves it out of everything readers and machines see; `build --drafts` and `serve` show it with a banner",
            False,
        ),
        Field(
            "publish_at",
            DateTime(),
            False,
            "the embargo: before this instant the claim is treated as a draft (a scheduled rebuild publishes it)",
        ),
        Field(
            "authors",
            ListOf(Reference("staff")),
            False,
            "who researched and wrote the fact-check: slugs from staff/, shown as its byline",
            (),
        ),
        Field("editors", ListOf(Reference("staff")), False, "who reviewed it: slugs from staff/", ()),
        Field(
            "image",
            FIGURE,
            False,
            "an image, typically a screenshot of the claim as it appeared: {file, alt, caption, credit}",
        ),
    ],
    model.Claim,
    "One claim and its fact-check: content/claims/<slug>.yaml.",
)

QUOTE = Record(
    "quote",
    [
        Field("id", Slug(), True, "unique within the source; claims cite it as <source-slug>#<id>"),
        Field("speaker", Reference("person"), True, "who said it: the file name of a person in people/, without .yaml"),
        Field("text", Text(max_chars=10_000, single_line=False), True, "the exact words; … or ... marks an omission"),
        Field("date", Date(), False, "when it was said"),
        Field("context", Text(max_chars=2_000, single_line=False), False, "where and how it was said"),
    ],
    model.Quote,
    "One original quote from a source.",
)

SOURCE = Record(
    "source",
    [
        Field("title", Text(max_chars=500), True, "the source's title"),
        Field("kind", Choice(*SOURCE_KINDS), True, "what kind of source it is"),
        Field("publisher", Text(max_chars=200), False, "who published it"),
        Field("url", Url(), False, "where the original is"),
        Field("archive_url", Url(), False, "where an archived copy is"),
        Field("published", Date(), False, "when it was published"),
        Field("language", Language(), False, "its language when it differs from the site's"),
        Field(
            "text",
            TextFile(),
            False,
            "the archived copy: a .txt, an .html/.htm page, a .pdf with a text layer or a .warc.gz (`build.py archive` makes one); the build takes its text, and every quote must be found in it",
        ),
        Field(
            "sha256",
            Sha256(),
            False,
            "the SHA-256 digest of the archived file named in `text`, as recorded when it was archived; the build stops if the file no longer matches",
        ),
        Field("archived", DateTime(), False, "when the archived copy was retrieved"),
        Field("quotes", ListOf(QUOTE), False, "the source's original quotes", ()),
        Field(
            "draft",
            Boolean(),
            False,
            "true keeps it unpublished: `build` leaves it out of everything readers and machines see; `build --drafts` and `serve` show it with a banner",
            False,
        ),
    ],
    model.Source,
    "One source document and its original quotes: content/sources/<slug>.yaml.",
)

PERSON = Record(
    "person",
    [
        Field("name", Text(max_chars=200), True, "the display name"),
        Field("kind", Choice("person", "organization"), False, "person (the default) or organization", "person"),
        Field("description", Text(max_chars=500), False, "one line: who they are"),
        Field(
            "affiliation",
            Reference("person"),
            False,
            "the organisation they belong to: its file name in people/, without .yaml",
        ),
        Field("url", Url(), False, "an official page"),
        Field("same_as", ListOf(Url()), False, "web addresses that identify them elsewhere, such as Wikidata", ()),
        Field(
            "draft",
            Boolean(),
            False,
            "true keeps it unpublished: `build` leaves it out of everything readers and machines see; `build --drafts` and `serve` show it with a banner",
            False,
        ),
    ],
    model.Person,
    "A claimant or speaker, person or organisation: content/people/<slug>.yaml.",
)

TOPIC = Record(
    "topic",
    [
        Field("title", Text(max_chars=200), True, "the topic's title"),
        Field("description", Text(max_chars=1_000, single_line=False), False, "what the topic covers"),
        Field(
            "draft",
            Boolean(),
            False,
            "true keeps it unpublished: `build` leaves it out of everything readers and machines see; `build --drafts` and `serve` show it with a banner",
            False,
        ),
    ],
    model.Topic,
    "A topic: content/topics/<slug>.yaml.",
)

PAGE = Record(
    "page",
    [
        Field("title", Text(max_chars=120), True, "the page's title: its heading, and its name in the navigation"),
        Field("description", Text(max_chars=500), False, "one or two sentences for search engines and link previews"),
        Field(
            "nav",
            Integer(1, 99),
            False,
            "its place in the site's navigation, after the built-in items (1 first); leave out to keep the page out of it",
        ),
        Field("image", FIGURE, False, "an image shown under the title: {file, alt, caption, credit}"),
        Field(
            "draft",
            Boolean(),
            False,
            "true keeps it unpublished: `build` leaves it out of everything readers and machines see; `build --drafts` and `serve` show it with a banner",
            False,
        ),
    ],
    model.OwnPage,
    "A page of the archive's own, such as about or methodology: the front matter of content/pages/<slug>.md.",
)

STAFF = Record(
    "staff member",
    [
        Field("name", Text(max_chars=200), True, "the display name"),
        Field("role", Text(max_chars=120), True, "what they do, such as Fact-checker or Editor"),
        Field("bio", MarkdownText(max_chars=5_000), False, "who they are, in Markdown"),
        Field(
            "same_as", ListOf(Url()), False, "web addresses that identify them elsewhere, such as a profile page", ()
        ),
        Field("image", FIGURE, False, "a portrait: {file, alt, caption, credit}"),
    ],
    model.Staff,
    "One of the newsroom's own people, who checks or edits fact-checks: content/staff/<slug>.yaml.",
)

# Content folder → the record kind its files hold.
FOLDERS = {
    "claims": ("claim", CLAIM),
    "sources": ("source", SOURCE),
    "people": ("person", PERSON),
    "topics": ("topic", TOPIC),
    "staff": ("staff", STAFF),
}
# The folder of the archive's own pages, Markdown files with front matter (PAGE).
PAGES_FOLDER = "pages"

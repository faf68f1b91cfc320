"""Content files → typed records, every problem reported with its position.

Each file is checked on its own (so files can be checked in parallel);
whether references point at existing records is the library's job.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import os
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, replace

from . import brand, cache, images, model
from .cache import ResultCache, code_version
from .errors import ContentError, ErrorList, Position, did_you_mean
from .extract import ExtractionCache, ExtractionFailed, extract, file_format
from .files import PUBLISHED_DOT_FOLDERS, UnreadableFile, hidden_part, path_problem, read_bytes, regular_file_problem
from .files import site_root as files_site_root
from .markdown import MarkdownConverter
from .quotes import SearchableText, closest_miss, find_quote, nfc
from .record_cache import RecordCache
from .schema import FOLDERS, INVALID, PAGE, PAGES_FOLDER, SITE, Parsing, convert_markdown, slug_problem
from .suggest import slugified
from .urls import BUILT_IN_FOLDERS, Urls
from .yamlsrc import (
    MAX_FILE_BYTES,
    Mapping,
    Scalar,
    Sequence,
    YamlFile,
    decode_text,
    parse_yaml,
    read_source_text,
    read_yaml_file,
)

MAX_TEXT_BYTES = 2 * 1024 * 1024  # a book-length transcript; bounds time and memory
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024  # a long report as a PDF, or a page with its markup, as a WARC
MAX_LOGO_BYTES = 1024 * 1024
# What a logo may be: its extension, and how its file starts (SVG is text, checked apart).
LOGO_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".svg": (),
}
# What an SVG logo may not hold: opened on its own, an SVG runs on the site's
# origin, outside the pages' Content Security Policy.
SVG_ACTIVE_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "portal",
    "style",
    "animate",
    "set",
    "handler",
    "listener",
}
# Folders of the site's root (beside content/), not of content/.
SITE_ROOT_FOLDERS = {"locales", "static", "templates"}
# File name ending of each content folder's files.
EXTENSIONS = {**{folder: ".yaml" for folder in FOLDERS}, PAGES_FOLDER: ".md"}


@dataclass(frozen=True, slots=True)
class ContentFile:
    path: str
    folder: str  # claims, sources, people, topics, pages
    slug: str

    @property
    def kind(self) -> str:
        return "page" if self.folder == PAGES_FOLDER else FOLDERS[self.folder][0]

    def __reduce__(self):
        # Through its constructor: one comes back from a validating process with every file's
        # results, and the dataclass default looks its fields up each time.
        return (ContentFile, (self.path, self.folder, self.slug))


def find_content_files(content_dir: str, errors: ErrorList) -> list[ContentFile]:
    """The record and page files under content/, in a fixed order whatever the disk lists."""
    files: list[ContentFile] = []
    for entry in sorted(os.listdir(content_dir)):
        path = os.path.join(content_dir, entry)
        if entry.startswith(".") or entry == "site.yaml":
            continue
        if entry in SITE_ROOT_FOLDERS:
            errors.add(
                Position(path, 1, 1),
                f"'{entry}' belongs beside the content folder, not inside it: move it up one level, next to content/",
            )
            continue
        if entry not in EXTENSIONS:
            errors.add(
                Position(path, 1, 1),
                f"unexpected {'folder' if os.path.isdir(path) else 'file'} '{entry}' in the content folder{did_you_mean(entry, EXTENSIONS)}: "
                f"content/ holds site.yaml and the folders {', '.join(EXTENSIONS)}",
            )
            continue
        if os.path.islink(path) and not _inside(os.path.realpath(path), os.path.realpath(files_site_root(content_dir))):
            errors.add(
                Position(path, 1, 1),
                f"'{entry}' is a link to a folder outside the site's folder: move the folder itself here",
            )
            continue
        if not os.path.isdir(path):
            errors.add(Position(path, 1, 1), f"'{entry}' should be a folder of {EXTENSIONS[entry]} files")
            continue
        files.extend(_folder_files(path, entry, errors))
    return files


def _folder_files(folder_path: str, folder: str, errors: ErrorList) -> list[ContentFile]:
    files = []
    wanted = EXTENSIONS[folder]
    # scandir: the kind of each entry comes with the listing, not from three stat calls
    # per file (a second of every rebuild at 10,000 claims).
    with os.scandir(folder_path) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        name, path = entry.name, entry.path
        if name.startswith("."):
            continue
        stem, ext = os.path.splitext(name)
        if entry.is_dir() or ext != wanted:
            hint = (
                f" rename it to end in {wanted}"
                if ext in (".yml", ".markdown")
                else " move it out of the content folder"
            )
            errors.add(Position(path, 1, 1), f"only {wanted} files belong in {folder}/:{hint}")
            continue
        if entry.is_symlink() and not _inside(
            os.path.realpath(path), os.path.realpath(os.path.dirname(os.path.dirname(folder_path)))
        ):
            errors.add(
                Position(path, 1, 1),
                "this file is a link to something outside the site's folder: replace it with the file itself",
            )
            continue
        if not entry.is_file():  # a FIFO or device would block or never end
            problem = regular_file_problem(path) or "is not a regular file"
            errors.add(Position(path, 1, 1), f"this {problem}: replace it with a text file")
            continue
        problem = slug_problem(stem)
        if problem:
            fixed = slugified(stem)[:80].strip("-")
            rename = f"rename the file to {fixed}{ext}" if fixed and not slug_problem(fixed) else "rename the file"
            errors.add(
                Position(path, 1, 1),
                f"the file name '{stem}' cannot be an id ({problem}): {rename}; "
                "a file's name is its record's permanent id and web address",
            )
            continue
        if folder == PAGES_FOLDER and stem in BUILT_IN_FOLDERS:
            errors.add(
                Position(path, 1, 1),
                f"the page '{stem}' would be published at /{stem}/, which is {BUILT_IN_FOLDERS[stem]} "
                "that the site builds itself: rename the file",
            )
            continue
        files.append(ContentFile(path, folder, stem))
    return files


@dataclass(frozen=True, slots=True)
class StaticFile:
    path: str  # in the archive's static/ folder
    output: str  # where it goes in the output, with / between folders


def find_static_files(static_dir: str, site_root: str, errors: ErrorList) -> list[StaticFile]:
    """Every file under the archive's static/ folder, sorted; links out of the site's folder refused.

    Names starting with '.' are never published (.git, .env, as in content/),
    except the web's own .well-known/ at the top.
    """
    found = [
        StaticFile(path, os.path.relpath(path, static_dir).replace(os.sep, "/"))
        for path in site_folder_files(static_dir, site_root, errors, published=True)
    ]
    return sorted(found, key=lambda f: f.output)


def site_folder_files(top: str, site_root: str, errors: ErrorList, published: bool = False) -> list[str]:
    """The regular files under one of the site's own folders (static/, templates/, locales/).

    Each is inside the site's folder, wherever links lead, and a regular file
    (a FIFO or device would hang whatever reads it); anything else is an error
    at its path. `published` leaves out names starting with '.'.
    """
    if not os.path.isdir(top):
        return []
    real_root = os.path.realpath(site_root)
    name_of_top = os.path.basename(os.path.normpath(top))
    if not _inside(os.path.realpath(top), real_root):
        errors.add(
            Position(top, 1, 1),
            f"{name_of_top}/ is a link to a folder outside the site's folder: move the folder itself here",
        )
        return []
    found, seen = [], set()
    for folder, subfolders, names in os.walk(top, followlinks=True):
        seen.add(os.path.realpath(folder))
        kept = []
        at_top = os.path.samefile(folder, top)
        for name in sorted(subfolders):
            path = os.path.join(folder, name)
            real = os.path.realpath(path)
            if published and hidden_part(name, PUBLISHED_DOT_FOLDERS if at_top else frozenset()):
                continue
            if not _inside(real, real_root):
                errors.add(
                    Position(path, 1, 1),
                    "this folder is a link to something outside the site's folder: replace it with the folder itself",
                )
            elif real not in seen:  # a link back up the tree would never end
                kept.append(name)
        subfolders[:] = kept
        for name in sorted(names):
            path = os.path.join(folder, name)
            if published and hidden_part(name):
                continue
            real = os.path.realpath(path)
            if not _inside(real, real_root):
                errors.add(
                    Position(path, 1, 1),
                    "this file is a link to something outside the site's folder: replace it with the file itself",
                )
                continue
            if published and hidden_part(os.path.relpath(real, real_root), PUBLISHED_DOT_FOLDERS):
                errors.add(
                    Position(path, 1, 1),
                    "this file is a link into a folder whose name starts with '.' (kept private, "
                    "like .git): replace it with the file itself",
                )
                continue
            problem = regular_file_problem(path)
            if problem:
                errors.add(Position(path, 1, 1), f"this {problem}: {name_of_top}/ may hold only ordinary files")
                continue
            found.append(path)
    return found


class Validator:
    """Turns one content file at a time into a record."""

    def __init__(self, site_root: str, urls: Urls, convert_markdown: bool = True) -> None:
        self.files = SiteFiles(site_root)
        self.urls = urls
        # An analysis sits under the claim page's h2, so its `#` is an h2 and `##` an h3.
        self.markdown = MarkdownConverter(urls, site_root=site_root) if convert_markdown else None
        self.quote_cache = ResultCache(site_root, "quotes", _quotes_version())
        # Whole records (record_cache.py), for the build's validators: the archiver's checks only the shape.
        self.records = RecordCache(site_root, urls.base_path) if convert_markdown else None

    @functools.cached_property
    def page_markdown(self) -> MarkdownConverter | None:
        """A page's text sits under its title alone: `##` is an h2 (and `#`, a second title, is dropped)."""
        return MarkdownConverter(self.urls, baselevel=1, site_root=self.files.site_root) if self.markdown else None

    def context(self, file: YamlFile, errors: ErrorList) -> Parsing:
        return Parsing(
            file, errors, self.markdown, self.files.archived_text, read_content_image=self.files.content_image
        )

    def record(self, content_file: ContentFile, errors: ErrorList) -> model.Record | model.OwnPage | None:
        return self.checked(content_file, errors)[0]

    def checked(
        self, content_file: ContentFile, errors: ErrorList, pickled: bool = False
    ) -> tuple[object | None, model.Unfinished | None]:
        """The record, or None and what of the file can still be checked against the others.

        From the record cache when the file and all it read are unchanged.
        `pickled`: the record may come as a record_cache.Pickled, the bytes
        the cache holds, for a worker to send to the main process as they are.
        """
        if self.records is None:
            return self._checked(content_file, errors)
        try:
            data = read_bytes(content_file.path, MAX_FILE_BYTES)
        except UnreadableFile:
            return self._checked(content_file, errors)  # which says why it cannot be read
        key = self.records.key(content_file.path, content_file.folder, content_file.slug, data)
        found = self.records.get(key, pickled)
        if found is not None:
            return found, None
        before = len(errors)
        reads = self.files.reads = []
        try:
            with cache.capture() as uses:
                record, unfinished = self._checked(content_file, errors, data)
        finally:
            self.files.reads = None
        if record is not None and len(errors) == before:
            kept = self.records.put(key, record, reads, uses)
            if pickled and kept is not None:
                return kept, None  # pickled once, for the cache and for the main process
        return record, unfinished

    def _checked(
        self, content_file: ContentFile, errors: ErrorList, data: bytes | None = None
    ) -> tuple[object | None, model.Unfinished | None]:
        if content_file.folder == PAGES_FOLDER:
            return self.page(content_file, errors, data), None
        file = read_yaml_file(content_file.path, errors, data)
        if file is None:
            return None, None
        if file.root is None:
            errors.add(Position(file.path, 1, 1), "this file is empty: see docs/editing.md for what it should hold")
            return None, None
        kind, spec = FOLDERS[content_file.folder]
        ctx = self.context(file, errors)
        record = spec.parse(file.root, ctx, slug=content_file.slug)
        if record is INVALID:
            partial = ctx.partial or {}
            if (
                kind == "source"
                and partial.get("text") not in (None, INVALID)
                and partial.get("quotes") not in (None, INVALID)
            ):
                # The quotes are checked against the text even when another key is wrong.
                self.find_quotes(partial["text"], partial["quotes"], file, errors)
            return None, model.Unfinished(kind, content_file.slug, tuple(ctx.found))
        if isinstance(record, model.Source):
            unchanged = _check_fixity(record, file, errors)
            record = self.verify_quotes(record, file, errors)
            return (record if unchanged else None), None
        return record, None

    def page(self, content_file: ContentFile, errors: ErrorList, data: bytes | None = None) -> model.OwnPage | None:
        """A Markdown page: front matter between two `---` lines, then the text."""
        text = read_source_text(content_file.path, errors, data)
        if text is None:
            return None
        lines = text.split("\n")
        start = Position(content_file.path, 1, 1)
        if lines[0].rstrip() != "---":
            errors.add(
                start,
                "a page starts with its front matter: a line '---', the page's keys "
                "(at least title: ...), and another line '---', then the text",
            )
            return None
        end = next((number for number, line in enumerate(lines[1:], 2) if line.rstrip() == "---"), None)
        if end is None:
            errors.add(start, "the front matter opened here is not closed: add a line '---' after its last key")
            return None
        # Parsed from the file's first line (`---` starts a YAML document), so positions are the file's own.
        before = len(errors)
        file = YamlFile(content_file.path, text, parse_yaml(content_file.path, "\n".join(lines[: end - 1]), errors))
        if len(errors) > before:
            return None
        if file.root is None or (isinstance(file.root, Scalar) and file.root.is_empty):
            errors.add(start, "the front matter is empty: it needs at least title: ...")
            return None
        body = "\n".join(lines[end:]).strip()
        if not body:
            errors.add(Position(content_file.path, end, 1), "the page has no text: write it below this line")
            return None
        body_node = Scalar(
            body, Position(content_file.path, end + 1, 1), False, Position(content_file.path, len(lines), 1)
        )
        ctx = Parsing(file, errors, self.page_markdown, read_content_image=self.files.content_image)
        markdown = convert_markdown(body, body_node, ctx) if ctx.markdown else model.Markdown(body, "", ())
        page = PAGE.parse(file.root, ctx, slug=content_file.slug, body=markdown)
        return None if page is INVALID else page

    def verify_quotes(self, source: model.Source, file: YamlFile, errors: ErrorList) -> model.Source | None:
        if source.text is None:
            return source
        verified = self.find_quotes(source.text, source.quotes, file, errors)
        return replace(source, quotes=verified) if verified is not None else None

    def find_quotes(self, text: model.ArchivedText, quotes, file: YamlFile, errors: ErrorList) -> tuple | None:
        """The quotes with where each is in `text`; None if any is not there (each reported)."""
        key = self.quote_cache.key(text.text, *(quote.text for quote in quotes))
        cached = _cached_spans(self.quote_cache.get(key), len(quotes))
        if cached is not None:
            return tuple(
                replace(quote, spans=spans, **_location(text.sections, spans)) for quote, spans in zip(quotes, cached)
            )
        found = self._find_quotes(text, quotes, file, errors)
        if found is not None:  # a quote not found is reported, with closest_miss, from the text each time
            self.quote_cache.put(key, [[[span.start, span.end] for span in quote.spans] for quote in found])
        return found

    def _find_quotes(self, text: model.ArchivedText, quotes, file: YamlFile, errors: ErrorList) -> tuple | None:
        searchable = SearchableText(text.text)
        text_nodes = _quote_text_nodes(file)
        verified, ok = [], True
        for quote in quotes:
            spans = find_quote(quote.text, searchable)
            if spans is None:
                ok = False
                errors.add(
                    text_nodes.get(quote.id, quote.pos),
                    f"quote '{quote.id}' is not in the archived text {text.path}: {closest_miss(quote.text, searchable)}. "
                    "Copy the words exactly as the source has them; mark left-out words with …",
                )
                continue
            verified.append(replace(quote, spans=spans, **_location(text.sections, spans)))
        return tuple(verified) if ok else None


@functools.cache
def _quotes_version() -> str:
    # Where a quote is found depends on quotes.py alone (model.py: the Span it is given as).
    return code_version(("quotes.py", "model.py"), ())


def _cached_spans(entry, count: int) -> list[tuple[model.Span, ...]] | None:
    """A cache entry back as each quote's spans; None if it is not one for `count` quotes."""
    if not isinstance(entry, list) or len(entry) != count:
        return None
    try:
        found = [tuple(model.Span(start, end) for start, end in spans) for spans in entry]
    except (TypeError, ValueError):
        return None
    if not all(
        spans and all(type(s.start) is int and type(s.end) is int and 0 <= s.start < s.end for s in spans)
        for spans in found
    ):
        return None
    return found


def _location(sections: tuple[model.Section, ...], spans: tuple[model.Span, ...]) -> dict:
    """The PDF page (or pages) a quote stands on, or the HTML heading it falls under."""
    starts = [section.start for section in sections]
    first = bisect.bisect_right(starts, spans[0].start) - 1
    if first < 0:
        return {}
    last = bisect.bisect_right(starts, spans[-1].end - 1) - 1
    if sections[first].page is not None:
        pages = [s.page for s in sections[first : last + 1] if s.page is not None]
        return {"page": pages[0] if len(pages) == 1 else f"{pages[0]}\u2013{pages[-1]}"}
    return {"heading": sections[first].heading}


def _check_fixity(source: model.Source, file: YamlFile, errors: ErrorList) -> bool:
    """A recorded digest must still be the archived file's: a silent edit would re-prove a changed quote."""
    if source.sha256 is None:
        return True
    where = _key_pos(file, "sha256")
    if source.text is None:
        errors.add(
            where,
            "'sha256' is the digest of the archived file named in 'text', but this source has no "
            "'text': add it, or remove sha256",
        )
        return False
    if source.text.sha256 != source.sha256:
        errors.add(
            where,
            f"the archived file has changed since it was recorded: {source.text.path} now has the "
            f"SHA-256 {source.text.sha256}, not the {source.sha256} written here. If the file was changed by "
            f"mistake, restore it (git checkout -- {source.text.path}); if the source "
            f"itself changed, archive it again (python build.py archive URL --source {source.slug}) and check "
            "its quotes against the new copy",
        )
        return False
    return True


class SiteFiles:
    """Files that content names by a path relative to the site's root: archived texts, the logo."""

    def __init__(self, site_root: str) -> None:
        self.site_root = site_root
        self.real_root = os.path.realpath(site_root)
        self.cache = ExtractionCache(site_root)
        # While a record is validated for the record cache: (path as written, real path, SHA-256, what) of each file read.
        self.reads: list[tuple[str, str, str, str]] | None = None

    def _read(
        self, node: Scalar, ctx: Parsing, what: str, example: str, max_bytes: int, advice: str = ""
    ) -> bytes | None:
        """The file's bytes; None (with the error reported) unless it is a file inside the site's folder, not too large."""
        written = node.value.strip()
        if os.path.isabs(written) or written.startswith(("/", "\\")):
            ctx.error(
                node.pos,
                f"'{written}' is an absolute path: write the path relative to the folder that holds content/, like {example}",
            )
            return None
        real = os.path.realpath(os.path.join(self.site_root, written))
        if not _inside(real, self.real_root):
            ctx.error(
                node.pos,
                f"'{written}' points outside the site's folder; {what}s must live inside it (for example in {os.path.dirname(example)}/)",
            )
            return None
        # Judged again where the path leads: a link inside the site may point into .git/.
        problem = path_problem(os.path.relpath(real, self.real_root))
        if problem:
            ctx.error(node.pos, f"'{written}' leads to a path that {problem}")
            return None
        try:
            data = read_bytes(real, max_bytes)
        except UnreadableFile as exc:
            reason = str(exc)
        else:
            if self.reads is not None:
                self.reads.append((written, real, hashlib.sha256(data).hexdigest(), what))
            return data
        if reason == "does not exist":
            ctx.error(
                node.pos,
                f"the {what} '{written}' does not exist: check the path, relative to the folder that holds content/",
            )
        elif reason == "is a folder, not a regular file":
            ctx.error(node.pos, f"'{written}' is a folder: give the path of the {what} inside it")
        elif reason.startswith("is larger than"):
            ctx.error(node.pos, f"the {what} '{written}' is larger than {max_bytes // (1024 * 1024)} MiB{advice}")
        else:
            ctx.error(node.pos, f"the {what} '{written}' {reason}: replace it with the file itself")
        return None

    def archived_text(self, node: Scalar, ctx: Parsing):
        written = node.value.strip()
        format = file_format(written) or "txt"
        if format != "txt":
            return self._extracted_text(node, ctx, written, format)
        data = self._read(node, ctx, "archived text", "seeds/article.txt", MAX_TEXT_BYTES)
        if data is None:
            return INVALID
        text_errors = ErrorList()
        text = decode_text(written, data, text_errors, "archived text")
        if text is None:
            where = next(iter(text_errors)).pos
            return ctx.error(
                node.pos,
                f"the archived text '{written}' is not valid UTF-8 "
                f"(line {where.line}, column {where.column} of that file): save it as UTF-8",
            )
        if "\x00" in text:
            return ctx.error(node.pos, f"the archived text '{written}' contains NUL bytes: it is not a text file")
        if not text.strip():
            return ctx.error(
                node.pos,
                f"the archived text '{written}' is empty: paste the source's full text into it, "
                "as published, and save it",
            )
        return model.ArchivedText(written, nfc(text), hashlib.sha256(data).hexdigest(), size=len(data))

    def _extracted_text(self, node: Scalar, ctx: Parsing, written: str, format: str):
        """An HTML page's, a PDF's or a WARC's text, from the cache when this file was extracted before."""
        data = self._read(node, ctx, "archived file", "archive/article.warc.gz", MAX_ARCHIVE_BYTES)
        if data is None:
            return INVALID
        sha256 = hashlib.sha256(data).hexdigest()
        found = self.cache.get(sha256, format)
        if found is None:
            try:
                found = extract(data, format, written)
            except ExtractionFailed as failed:
                return ctx.error(node.pos, str(failed))
            self.cache.put(sha256, format, found)
        if len(found.text) > MAX_TEXT_BYTES:
            return ctx.error(
                node.pos,
                f"the text of '{written}' is longer than {MAX_TEXT_BYTES // (1024 * 1024)} Mi "
                "characters: archive the part the quotes come from",
            )
        return model.ArchivedText(
            written,
            found.text,
            sha256,
            format,
            found.media_type,
            len(data),
            found.sections,
            found.target_url,
            found.captured,
        )

    def content_image(self, node: Scalar, ctx: Parsing):
        """v2: an image of a claim, staff member, page or Markdown text, checked by Pillow and measured."""
        written = node.value.strip()
        data = self._read(
            node,
            ctx,
            "image",
            "media/screenshot.png",
            images.MAX_BYTES,
            ": save it smaller (a screenshot needs far less)",
        )
        if data is None:
            return INVALID
        found = images.inspect(data)
        if isinstance(found, str):
            return ctx.error(node.pos, f"the image '{written}' {found}")
        kind, width, height = found
        return model.ContentImage(written, kind, width, height, hashlib.sha256(data).hexdigest(), data)

    def logo(self, node: Scalar, ctx: Parsing):
        written = node.value.strip()
        extension = os.path.splitext(written)[1].lower()
        if extension not in LOGO_SIGNATURES:
            return ctx.error(
                node.pos, f"the logo '{written}' should be an image file ending in {', '.join(sorted(LOGO_SIGNATURES))}"
            )
        data = self._read(
            node, ctx, "logo", "images/logo.svg", MAX_LOGO_BYTES, ": a header logo needs far less, save a smaller one"
        )
        if data is None:
            return INVALID
        signatures = LOGO_SIGNATURES[extension]
        looks_right = data.startswith(signatures) if signatures else b"<svg" in data[:4096]
        if not looks_right:
            return ctx.error(
                node.pos,
                f"the logo '{written}' is not a {extension[1:].upper()} image: save it in the format its name says",
            )
        problem = _svg_problem(data) if extension == ".svg" else None
        if problem:
            return ctx.error(node.pos, f"the logo '{written}' {problem}")
        return model.Image(written, extension, data)


def _svg_problem(data: bytes) -> str | None:
    """Why an SVG logo is not a plain picture (script, event handlers, links, embedded documents); None if it is."""
    if b"<!ENTITY" in data:
        return "declares XML entities: export it again as plain SVG"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return f"is not well-formed SVG ({exc}): export it again"
    for element in root.iter():
        tag = element.tag.rpartition("}")[2].lower() if isinstance(element.tag, str) else ""
        if tag in SVG_ACTIVE_ELEMENTS:
            return f"contains <{tag}>: a logo must be a plain picture, with nothing that runs or loads; remove it"
        for name, value in element.attrib.items():
            name = name.rpartition("}")[2].lower()
            if name.startswith("on"):
                return f"contains an event handler ({name}): a logo must be a plain picture, with nothing that runs; remove it"
            if name == "href" and not value.strip().startswith("#"):
                return f"links to '{value[:80]}': a logo must be a plain picture, with nothing that links or loads; remove it"
    return None


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def _quote_text_nodes(file: YamlFile) -> dict[str, Position]:
    """Where each quote's `text` is written, so a mismatch points at the words."""
    found = {}
    quotes = file.root.entries.get("quotes") if isinstance(file.root, Mapping) else None
    if quotes and isinstance(quotes[1], Sequence):
        for item in quotes[1].items:
            if isinstance(item, Mapping) and "id" in item.entries and "text" in item.entries:
                id_node, text_node = item.entries["id"][1], item.entries["text"][1]
                if isinstance(id_node, Scalar):
                    found[id_node.value.strip()] = text_node.pos
    return found


def read_site(content_dir: str, errors: ErrorList) -> model.Site | None:
    path = os.path.join(content_dir, "site.yaml")
    problem = regular_file_problem(path)
    if problem == "does not exist":
        errors.add(
            Position(path, 1, 1),
            "site.yaml is missing: every archive needs one with at least title, base_url and publisher",
        )
        return None
    if problem:
        errors.add(Position(path, 1, 1), f"site.yaml {problem}: replace it with a text file")
        return None
    site_root = os.path.realpath(files_site_root(content_dir))
    if os.path.islink(path) and not _inside(os.path.realpath(path), site_root):
        errors.add(
            Position(path, 1, 1),
            "site.yaml is a link to a file outside the site's folder: replace it with the file itself",
        )
        return None
    file = read_yaml_file(path, errors)
    if file is None:
        return None
    if file.root is None:
        errors.add(Position(path, 1, 1), "site.yaml is empty: it needs at least title, base_url and publisher")
        return None
    site_files = SiteFiles(files_site_root(content_dir))
    site = SITE.parse(file.root, Parsing(file, errors, read_image=site_files.logo))
    if site is INVALID:
        return None
    url_ok = site.base_url.endswith("/")
    if not url_ok:
        errors.add(_key_pos(file, "base_url"), f"base_url should end with '/': write {site.base_url}/")
    scale_ok = _check_verdict_scale(site, errors)
    return site if _check_accent_contrast(site, file, errors) and scale_ok and url_ok else None


def verdict_scale(content_dir: str) -> tuple | None:
    """The scale site.yaml sets when site.yaml has errors elsewhere, so claims' verdicts are still checked."""
    errors = ErrorList()
    file = read_yaml_file(os.path.join(content_dir, "site.yaml"), errors)
    if file is None or file.root is None:
        return None
    ctx = Parsing(file, errors)
    site = SITE.parse(file.root, ctx)
    if site is not INVALID:
        return site.verdicts
    scale = (ctx.partial or {}).get("verdicts", INVALID)
    return None if scale is INVALID else scale


# Hosts reserved for examples (RFC 2606, RFC 6761) and this machine: a site
# built for one of them has every link, feed and canonical address wrong.
_PLACEHOLDER_DOMAINS = ("example.com", "example.net", "example.org")
_PLACEHOLDER_TLDS = ("example", "invalid", "test", "localhost")


def placeholder_host(url: str) -> str | None:
    """The reserved host `url` is on ('example.org'), or None for an address a site can be published at."""
    host = url.partition("://")[2].split("/", 1)[0].rpartition("@")[2].split(":", 1)[0].lower().rstrip(".")
    for domain in _PLACEHOLDER_DOMAINS:
        if host == domain or host.endswith("." + domain):
            return domain
    tld = host.rpartition(".")[2]
    if tld in _PLACEHOLDER_TLDS or host in ("localhost", "127.0.0.1", "[::1]"):
        return tld if tld in _PLACEHOLDER_TLDS else host
    return None


def placeholder_base_url(content_dir: str, override: str | None = None) -> ContentError | None:
    """What is wrong with publishing at a placeholder base_url (site.yaml's, or `override`), at its line."""
    path = os.path.join(content_dir, "site.yaml")
    if override is not None:
        base_url, pos, where = override, Position("--base-url", 1, 1), "--base-url"
    else:
        file = read_yaml_file(path, ErrorList())
        entry = file.root.entries.get("base_url") if file is not None and isinstance(file.root, Mapping) else None
        if entry is None or not isinstance(entry[1], Scalar):
            return None
        base_url, pos, where = entry[1].value.strip(), entry[1].pos, "base_url"
    host = placeholder_host(base_url)
    if host is None:
        return None
    return ContentError(
        pos,
        f"{where} '{base_url}' is a placeholder ({host} is reserved for examples): the site's "
        "links, feeds, sitemap and search-engine data would all point there; write the address "
        "where the site is published",
    )


def _key_pos(file: YamlFile, key: str) -> Position:
    entry = file.root.entries.get(key) if isinstance(file.root, Mapping) else None
    return entry[1].pos if entry else Position(file.path, 1, 1)


def _check_accent_contrast(site: model.Site, file: YamlFile, errors: ErrorList) -> bool:
    """Links in the accent colour must be readable text (WCAG AA) on every background of their theme."""
    if site.accent_color_dark and not site.accent_color:
        errors.add(
            _key_pos(file, "accent_color_dark"),
            "accent_color_dark is the dark theme's version of accent_color: set accent_color too",
        )
        return False
    ok = True
    for key, color, theme, fix in (
        ("accent_color", site.accent_color, "light", "darker"),
        ("accent_color_dark", site.accent_color_dark, "dark", "lighter"),
    ):
        if color is None:
            continue
        ratio, background, background_color = brand.weakest_contrast(color, theme)
        if ratio < brand.AA_TEXT:
            ok = False
            errors.add(
                _key_pos(file, key),
                f"{key} {color} has a contrast ratio of {brand.shown_ratio(ratio)} with the "
                f"{theme} theme's {background} {background_color}; links need at least {brand.AA_TEXT}:1 "
                f"(WCAG AA): choose a {fix} colour",
            )
    return ok


def _check_verdict_scale(site: model.Site, errors: ErrorList) -> bool:
    rated = [v for v in site.verdicts if v.rating is not None]
    expected = set(range(1, len(rated) + 1))
    ok = True
    seen: dict[int, model.Verdict] = {}
    for verdict in rated:
        if verdict.rating in seen:
            ok = False
            errors.add(
                verdict.pos,
                f"verdicts '{seen[verdict.rating].id}' and '{verdict.id}' both have rating {verdict.rating}: each rated verdict needs its own",
            )
        elif verdict.rating not in expected:
            ok = False
            errors.add(
                verdict.pos,
                f"verdict '{verdict.id}' has rating {verdict.rating}, but with {len(rated)} rated verdicts the ratings run from 1 (worst) to {len(rated)} (best)",
            )
        seen[verdict.rating] = verdict
    return ok

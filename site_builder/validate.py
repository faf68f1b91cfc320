"""Content files → typed records, every problem reported with its position.

Each file is checked on its own (so files can be checked in parallel);
whether references point at existing records is the library's job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from . import model
from .errors import ErrorList, Position, did_you_mean
from .markdown import MarkdownConverter
from .quotes import closest_miss, find_quote, fold, nfc
from .schema import FOLDERS, INVALID, SITE, Context, slug_problem
from .urls import Urls
from .yamlsrc import Mapping, Scalar, Sequence, YamlFile, decode_text, read_yaml_file

MAX_TEXT_BYTES = 10 * 1024 * 1024
OPTIONAL_FOLDERS = {"pages", "static", "templates"}  # handled by other stages or later versions


@dataclass(frozen=True, slots=True)
class ContentFile:
    path: str
    folder: str  # claims, sources, people, topics
    slug: str


def find_content_files(content_dir: str, errors: ErrorList) -> list[ContentFile]:
    """The record files under content/, in a fixed order whatever the disk lists."""
    files: list[ContentFile] = []
    for entry in sorted(os.listdir(content_dir)):
        path = os.path.join(content_dir, entry)
        if entry.startswith(".") or entry == "site.yaml" or entry in OPTIONAL_FOLDERS:
            continue
        if entry not in FOLDERS:
            errors.add(Position(path, 1, 1), f"unexpected {'folder' if os.path.isdir(path) else 'file'} '{entry}' in the content folder{did_you_mean(entry, FOLDERS)}: "
                       f"content/ holds site.yaml and the folders {', '.join(FOLDERS)}")
            continue
        if not os.path.isdir(path):
            errors.add(Position(path, 1, 1), f"'{entry}' should be a folder of .yaml files")
            continue
        files.extend(_folder_files(path, entry, errors))
    return files


def _folder_files(folder_path: str, folder: str, errors: ErrorList) -> list[ContentFile]:
    files = []
    for name in sorted(os.listdir(folder_path)):
        path = os.path.join(folder_path, name)
        if name.startswith("."):
            continue
        stem, ext = os.path.splitext(name)
        if os.path.isdir(path) or ext != ".yaml":
            hint = " rename it to end in .yaml" if ext == ".yml" else " move it out of the content folder"
            errors.add(Position(path, 1, 1), f"only .yaml files belong in {folder}/:{hint}")
            continue
        if os.path.islink(path) and not _inside(os.path.realpath(path), os.path.realpath(os.path.dirname(os.path.dirname(folder_path)))):
            errors.add(Position(path, 1, 1), "this file is a link to something outside the site's folder: replace it with the file itself")
            continue
        problem = slug_problem(stem)
        if problem:
            errors.add(Position(path, 1, 1), f"the file name '{stem}' is not a valid slug ({problem}); the file name is the record's permanent id and URL, so rename the file")
            continue
        files.append(ContentFile(path, folder, stem))
    return files


class Validator:
    """Turns one content file at a time into a record."""

    def __init__(self, site_root: str, urls: Urls, convert_markdown: bool = True) -> None:
        self.site_root = site_root
        self.real_root = os.path.realpath(site_root)
        self.markdown = MarkdownConverter(urls) if convert_markdown else None

    def context(self, file: YamlFile, errors: ErrorList) -> Context:
        return Context(file, errors, self.markdown, self.read_archived_text)

    def record(self, content_file: ContentFile, errors: ErrorList) -> model.Record | None:
        file = read_yaml_file(content_file.path, errors)
        if file is None:
            return None
        if file.root is None:
            errors.add(Position(file.path, 1, 1), "this file is empty: see docs/editing.md for what it should hold")
            return None
        kind, spec = FOLDERS[content_file.folder]
        record = spec.parse(file.root, self.context(file, errors), slug=content_file.slug)
        if record is INVALID:
            return None
        if isinstance(record, model.Source):
            record = self.verify_quotes(record, file, errors)
        return record

    def read_archived_text(self, node: Scalar, ctx: Context):
        written = node.value.strip()
        if os.path.isabs(written) or written.startswith(("/", "\\")):
            return ctx.error(node.pos, f"'{written}' is an absolute path: write the path relative to the folder that holds content/, like seeds/article.txt")
        full = os.path.join(self.site_root, written)
        real = os.path.realpath(full)
        if not _inside(real, self.real_root):
            return ctx.error(node.pos, f"'{written}' points outside the site's folder; archived texts must live inside it (for example in seeds/)")
        if os.path.isdir(real):
            return ctx.error(node.pos, f"'{written}' is a folder: give the path of the text file inside it")
        if not os.path.isfile(real):
            return ctx.error(node.pos, f"the archived text '{written}' does not exist: check the path, relative to the folder that holds content/")
        if os.path.getsize(real) > MAX_TEXT_BYTES:
            return ctx.error(node.pos, f"the archived text '{written}' is larger than {MAX_TEXT_BYTES // (1024 * 1024)} MiB")
        with open(real, "rb") as f:
            data = f.read()
        text_errors = ErrorList()
        text = decode_text(written, data, text_errors, "archived text")
        if text is None:
            where = next(iter(text_errors)).pos
            return ctx.error(node.pos, f"the archived text '{written}' is not valid UTF-8 "
                             f"(line {where.line}, column {where.column} of that file): save it as UTF-8")
        if "\x00" in text:
            return ctx.error(node.pos, f"the archived text '{written}' contains NUL bytes: it is not a text file")
        return model.ArchivedText(written, nfc(text))

    def verify_quotes(self, source: model.Source, file: YamlFile, errors: ErrorList) -> model.Source | None:
        if source.text is None:
            return source
        folded = fold(source.text.text)
        text_nodes = _quote_text_nodes(file)
        verified, ok = [], True
        for quote in source.quotes:
            spans = find_quote(quote.text, folded)
            if spans is None:
                ok = False
                errors.add(
                    text_nodes.get(quote.id, quote.pos),
                    f"quote '{quote.id}' is not in the archived text {source.text.path}: {closest_miss(quote.text, folded)}. "
                    "Copy the words exactly as the source has them; mark left-out words with …",
                )
                continue
            verified.append(replace(quote, spans=spans))
        return replace(source, quotes=tuple(verified)) if ok else None


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def _quote_text_nodes(file: YamlFile) -> dict[str, "Position"]:
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
    if not os.path.isfile(path):
        errors.add(Position(path, 1, 1), "site.yaml is missing: every archive needs one with at least title, base_url and publisher")
        return None
    file = read_yaml_file(path, errors)
    if file is None:
        return None
    if file.root is None:
        errors.add(Position(path, 1, 1), "site.yaml is empty: it needs at least title, base_url and publisher")
        return None
    site = SITE.parse(file.root, Context(file, errors))
    if site is INVALID:
        return None
    if not site.base_url.endswith("/"):
        errors.add(_key_pos(file, "base_url"), f"base_url should end with '/': write {site.base_url}/")
        return None
    return site if _check_verdict_scale(site, errors) else None


def _key_pos(file: YamlFile, key: str) -> Position:
    entry = file.root.entries.get(key) if isinstance(file.root, Mapping) else None
    return entry[1].pos if entry else Position(file.path, 1, 1)


def _check_verdict_scale(site: model.Site, errors: ErrorList) -> bool:
    rated = [v for v in site.verdicts if v.rating is not None]
    expected = set(range(1, len(rated) + 1))
    ok = True
    seen: dict[int, model.Verdict] = {}
    for verdict in rated:
        if verdict.rating in seen:
            ok = False
            errors.add(verdict.pos, f"verdicts '{seen[verdict.rating].id}' and '{verdict.id}' both have rating {verdict.rating}: each rated verdict needs its own")
        elif verdict.rating not in expected:
            ok = False
            errors.add(verdict.pos, f"verdict '{verdict.id}' has rating {verdict.rating}, but with {len(rated)} rated verdicts the ratings run from 1 (worst) to {len(rated)} (best)")
        seen[verdict.rating] = verdict
    return ok

"""The build, stage after stage: read and validate, resolve, plan, render, write, index.

Data flows one way. Every stage before writing collects errors instead of
raising, and the build stops before touching the output if there are any.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import rcssmin

from . import progress
from .context import PageBuilder
from .errors import BuildFailed, ErrorList
from .i18n import check_catalogues
from .library import Library, build_library
from .parallel import run_chunked
from .publishing import Publishing, publish
from .errors import Position
from .render import BUILTIN_TEMPLATES, Renderer, TemplateFailed
from .search import INDEX_FOLDER, Indexing
from .urls import Urls
from .validate import (StaticFile, Validator, find_content_files, find_static_files, read_site, site_folder_files,
                       verdict_scale)
from .writer import StagedOutput, refuse_unsafe_output

ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates", "assets")


@dataclass
class BuildOptions:
    content_dir: str = "content"
    out_dir: str = "public"
    base_url: str | None = None  # overrides site.yaml's, for previews
    search: bool = True
    force: bool = False  # replace a non-empty output folder that no build wrote
    drafts: bool = False  # v2: include drafts and embargoed claims, each page with a banner (build --drafts, serve)
    now: dt.datetime | None = None  # v2: the instant embargoes are evaluated at; None: the current time

    def image_cache(self) -> str:
        """v2: resized images kept between builds, beside content/; safe to delete."""
        return os.path.join(self.site_root, ".cache", "images")

    def publishing(self) -> Publishing:
        return Publishing(self.now or dt.datetime.now(dt.timezone.utc), self.drafts)

    @property
    def site_root(self) -> str:
        """The folder that holds content/; paths in content, templates/ and static/ are below it."""
        return os.path.dirname(os.path.abspath(self.content_dir))

    def template_dirs(self) -> list[str]:
        """Where templates are looked for: the archive's own templates/ first, then the built-in ones."""
        own = os.path.join(self.site_root, "templates")
        if os.path.isdir(own) and os.path.realpath(own) != os.path.realpath(BUILTIN_TEMPLATES):
            return [own, BUILTIN_TEMPLATES]
        return [BUILTIN_TEMPLATES]

    def static_dir(self) -> str:
        """Files copied into the output as they are, after the built-in assets."""
        return os.path.join(self.site_root, "static")

    def locale_dirs(self) -> tuple[str, ...]:
        """The archive's own interface catalogues, which come before the shipped ones."""
        own = os.path.join(self.site_root, "locales")
        return (own,) if os.path.isdir(own) else ()


@dataclass
class BuildReport:
    records: int = 0
    pages: int = 0
    indexed: int = 0  # pages in the search index
    written: int = 0  # files whose bytes changed (incremental rebuilds)
    changed: list[str] | None = None  # their output paths, written or removed (None: a full build, all of them)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


class _Stopwatch:
    def __init__(self, report: BuildReport) -> None:
        self.report, self.last = report, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.stages[stage] = self.report.stages.get(stage, 0.0) + now - self.last
        self.last = now


@dataclass(frozen=True)
class FileResult:
    kind: str
    slug: str
    signature: tuple[int, int]  # mtime_ns and size: unchanged files are not read again
    record: object | None
    errors: tuple
    unfinished: object | None = None  # model.Unfinished: the references of a file that did not validate


@dataclass
class Content:
    """Everything read from the content folder, file by file."""

    site: object | None
    site_errors: list
    layout_errors: list  # misplaced or misnamed files, unreadable catalogues
    files: dict[str, FileResult]
    locale_dirs: tuple[str, ...] = ()  # the archive's own catalogues, checked
    verdicts: tuple | None = None  # the verdict scale, known even when site.yaml has other errors

    def errors(self) -> ErrorList:
        errors = ErrorList()
        errors.extend(self.site_errors)
        errors.extend(self.layout_errors)
        for result in self.files.values():
            errors.extend(result.errors)
        return errors

    def records(self) -> list:
        return [r.record for r in self.files.values() if r.record is not None]

    def unfinished(self) -> list:
        return [r.unfinished for r in self.files.values() if r.unfinished is not None]

    def unreadable(self) -> dict[str, set[str]]:
        """Records whose files exist but did not validate, by kind."""
        found: dict[str, set[str]] = {}
        for result in self.files.values():
            if result.record is None:
                found.setdefault(result.kind, set()).add(result.slug)
        return found


def _signature(path: str) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, -1)
    return (stat.st_mtime_ns, stat.st_size)


def read_content(options: BuildOptions, previous: Content | None = None, touched: frozenset[str] = frozenset()) -> Content:
    """Read and validate every content file; files unchanged since `previous` are reused.

    Unchanged means same size and modification time and not in `touched` (the
    paths a file watcher reported: two saves within one clock tick can leave
    the modification time as it was).
    """
    site_errors, layout_errors = ErrorList(), ErrorList()
    site = read_site(options.content_dir, site_errors)
    files = find_content_files(options.content_dir, layout_errors)
    # The archive's templates/ and locales/ are held to the site's folder, as content/ and static/ are.
    contained = {}
    for folder in ("templates", "locales"):
        before = len(layout_errors)
        site_folder_files(os.path.join(options.site_root, folder), options.site_root, layout_errors)
        contained[folder] = len(layout_errors) == before
    # Catalogues that lead outside the site are not read at all, not even to check them.
    locale_dirs = options.locale_dirs() if contained["locales"] else ()
    for folder in locale_dirs:
        check_catalogues(folder, layout_errors)
    signatures = {f.path: _signature(f.path) for f in files}
    kept = {}
    if previous is not None and previous.site == site:
        touched = {os.path.abspath(p) for p in touched}
        kept = {f.path: previous.files[f.path] for f in files
                if f.path in previous.files and previous.files[f.path].signature == signatures[f.path]
                and os.path.abspath(f.path) not in touched}
    to_read = [f for f in files if f.path not in kept]
    base_url = options.base_url or (site.base_url if site else "https://example.invalid/")
    results = dict(kept)
    for chunk in run_chunked(_validate_chunk, to_read, lambda: Validator(options.site_root, Urls(base_url)), stage="validate"):
        for content_file, (record, unfinished), errors in chunk:
            path = content_file.path
            results[path] = FileResult(content_file.kind, content_file.slug, signatures[path], record, tuple(errors), unfinished)
    ordered = {f.path: results[f.path] for f in files}
    scale = site.verdicts if site else verdict_scale(options.content_dir)
    return Content(site, list(site_errors), list(layout_errors), ordered, locale_dirs, scale)


def resolve(content: Content, options: BuildOptions | None = None) -> Library:
    """One library of cross-referenced records, or BuildFailed with every error.

    With `options`, the library of what is published as they say (drafts, now).
    """
    errors = content.errors()
    library = build_library(content.site, content.records(), errors, content.unreadable(), content.locale_dirs,
                            unfinished=content.unfinished(), verdict_scale=content.verdicts)
    if errors or library is None:
        raise BuildFailed(errors.sorted())
    if options is None:
        return library
    return publish(library, options.publishing(), Urls(options.base_url or library.site.base_url))


def load_library(options: BuildOptions, report: BuildReport | None = None) -> Library:
    """Read, validate and resolve the archive; raises BuildFailed with every error."""
    watch = _Stopwatch(report or BuildReport())
    content = read_content(options)
    watch.lap("validate")
    library = resolve(content, options)
    watch.lap("resolve")
    return library


@dataclass
class Built:
    """A finished build and what an incremental rebuild needs to start from."""

    report: BuildReport
    content: Content
    library: Library
    digests: dict[str, bytes]  # output path -> hash of the bytes written
    contexts: dict[str, object]  # output path -> context, for the site-wide pages
    # Output path -> the static file copied there: a rebuild's new pages must not overwrite one
    # (static/ changed is a full build, so this stays true between full builds).
    static: dict[str, StaticFile] = field(default_factory=dict)


def build(options: BuildOptions) -> BuildReport:
    return full_build(options).report


def full_build(options: BuildOptions) -> Built:
    refuse_unsafe_output(options.out_dir, options.site_root, options.content_dir)
    started = time.perf_counter()
    report = BuildReport()
    watch = _Stopwatch(report)
    content = read_content(options)
    watch.lap("validate")
    library = resolve(content, options)
    watch.lap("resolve")
    builder = PageBuilder(library, Urls(options.base_url or library.site.base_url), options.image_cache())
    pages = builder.plans()
    data_files = builder.data_files()
    static_errors = ErrorList()
    static = find_static_files(options.static_dir(), options.site_root, static_errors)
    watch.lap("plan")
    archived = builder.archived_files()
    with StagedOutput(options.out_dir, options.force) as output:
        for relpath, _ in archived:
            output.claim(relpath, "its source, as the source's archived file")
        _refuse_clashes(output, pages, data_files, builder.attachment_paths(), static, static_errors)
        digests = render_pages(builder, pages, output.write, template_dirs=options.template_dirs(), attachments=False)
        watch.lap("render")
        # The index needs only the pages: Pagefind reads them while the rest is written.
        indexing = Indexing(output.staging, library.site.language) if options.search else None
        try:
            digests.update(render_attachments(builder, output.write))
            for relpath, produce in data_files:
                digests[relpath] = write_hashed(output.write, relpath, produce())
            for relpath, path in archived:
                output.copy_file(os.path.join(options.site_root, path), relpath)
            output.copy_tree(ASSETS, "assets")
            # Stylesheets go out minified: the source keeps its comments for whoever edits it.
            for name in sorted(os.listdir(ASSETS)):
                if name.endswith(".css"):
                    with open(os.path.join(ASSETS, name), encoding="utf-8") as sheet:
                        output.write(f"assets/{name}", rcssmin.cssmin(sheet.read()).encode("utf-8"))
            for item in static:
                output.copy_file(item.path, item.output)
            watch.lap("write")
        except BaseException:
            if indexing:
                indexing.cancel()
            raise
        if indexing:
            progress.stage("search index", 0, 1)
            report.indexed = indexing.wait()
            watch.lap("index")
        output.commit()
    watch.lap("swap")
    report.records = library.record_count()
    report.pages = len(pages)
    report.seconds = time.perf_counter() - started
    return Built(report, content, library, digests, {p.output: p.page.context for p in pages if p.page},
                 {item.output: item for item in static})


def _refuse_clashes(output: StagedOutput, pages, data_files, attachments: list[str], static: list[StaticFile],
                    clashes: ErrorList) -> None:
    """Reserve every output path before anything is written; two outputs on one path stop the build.

    A static file may replace a built-in asset (a favicon, say), which is
    copied before it, but nothing the build generates.
    """
    for page in pages:
        earlier = output.claim(page.output, page.template)
        if earlier is not None and page.template == "alias.html":
            clashes.add(page.origin, f"this alias would be written to {page.output}, where the build already writes "
                        f"a page from {earlier}: remove the alias (that address already shows a page)")
        elif earlier is not None:
            clashes.add(page.origin, f"two pages would be written to {page.output}: this one and one from {earlier}")
    for relpath, _ in data_files:
        output.claim(relpath, "site.yaml" if relpath.startswith("assets/") else "the archive's records")
    for relpath in attachments:
        output.claim(relpath, "its claim, as the claim's share image")
    for item in static:
        earlier = output.claim(item.output, "static")
        if item.output.split("/")[0] == INDEX_FOLDER:
            earlier = "the search index"
        if earlier is not None:
            static_clash(item, earlier, clashes)
    if clashes:
        raise BuildFailed(clashes.sorted())


def static_clash(item: StaticFile, owner: str, clashes: ErrorList) -> None:
    """The one message for a static file on a path the build writes, in full builds and rebuilds alike."""
    clashes.add(Position(item.path, 1, 1), f"this static file would overwrite {item.output}, "
                f"which the build writes from {owner}: rename or remove the static file")


def render_pages(builder: PageBuilder, pages: list, write, parallel: bool = True,
                 template_dirs: list[str] | None = None, attachments: bool = True) -> dict[str, bytes]:
    """Build, render and `write(path, bytes)` every planned page, across processes; their digests.

    `attachments=False` leaves the pages' attachments (share images) to render_attachments.
    """
    digests: dict[str, bytes] = {}
    template_errors = ErrorList()
    for chunk_digests, chunk_errors in run_chunked(
        _render_chunk, range(len(pages)),
        lambda: (Renderer(builder.site_view, builder.ui, template_dirs), pages, write, attachments),
        workers=None if parallel else 1, stage="render",
    ):
        digests.update(chunk_digests)
        template_errors.extend(chunk_errors)
    if template_errors:
        raise BuildFailed(template_errors.sorted())
    return digests


def render_attachments(builder: PageBuilder, write) -> dict[str, bytes]:
    """Write the claims' attachments (share images) across processes; their digests."""
    digests: dict[str, bytes] = {}
    for chunk_digests in run_chunked(_attachments_chunk, list(builder.lib.claims), lambda: (builder, write), stage="images"):
        digests.update(chunk_digests)
    return digests


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def write_hashed(write, relpath: str, pieces: Iterable[bytes]) -> bytes:
    """`write(relpath, pieces)` and the digest of what was written, in one pass."""
    pieces, finished = hashing(pieces)
    write(relpath, pieces)
    return finished()


def hashing(pieces: Iterable[bytes]) -> tuple[Iterator[bytes], Callable[[], bytes]]:
    """The same pieces, and their digest as `digest` gives it (call it once they have all gone through)."""
    hasher = hashlib.blake2b(digest_size=16)

    def hashed():
        for piece in pieces:
            hasher.update(piece)
            yield piece

    return hashed(), hasher.digest


def _validate_chunk(validator: Validator, files) -> list[tuple]:
    results = []
    for content_file in files:
        errors = ErrorList()
        results.append((content_file, validator.checked(content_file, errors), list(errors)))
    return results


def _render_chunk(state, indices) -> tuple[dict, list]:
    """Render and write pages in this process; template errors come back as data."""
    renderer, pages, write, attachments = state
    digests, errors = {}, []
    for index in indices:
        page = pages[index].make()
        try:
            data = renderer.render(page)
        except TemplateFailed as failed:
            errors.append(failed.error)
            continue
        write(page.output, data)
        digests[page.output] = digest(data)
        for relpath, attachment in page.attachments() if attachments and page.attachments else ():
            write(relpath, attachment)
            digests[relpath] = digest(attachment)
    return digests, errors


def _attachments_chunk(state, slugs) -> dict:
    builder, write = state
    digests = {}
    for slug in slugs:
        for relpath, data in builder.claim_attachments(slug):
            write(relpath, data)
            digests[relpath] = digest(data)
    return digests

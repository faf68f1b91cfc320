"""The build, stage after stage: read and validate, resolve, plan, render, write, index.

Data flows one way. Every stage before writing collects errors instead of
raising, and the build stops before touching the output if there are any.

A rebuild (the preview's, after an edit) is the same pipeline in another
mode: it re-reads only the files that changed, plans only the pages that
show a changed record (pages.dependent_pages) and the site-wide pages whose
context changed, and writes through a LiveOutput, which replaces changed
files in place, instead of a staging folder swapped in whole. Reserving
paths, refusing clashes, rendering and writing are the same code in both.

A change to site.yaml, to a template, to a file of static/ or to one of the
archive's own pages (content/pages/) is a full build: the first three can
change any page, and a page's title may be in the navigation of every page.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import rcssmin

from . import cache, dataset, progress, record_cache
from .errors import BuildFailed, ErrorList, Position
from .files import site_root
from .i18n import check_catalogues
from .library import Library, build_library
from .library_update import updated_library
from .pages import BY_KIND, Plan, SitePages, dependent_pages
from .pages.family import Key
from .pages.source import archived_files
from .parallel import frozen, run_chunked
from .publishing import Publishing, publish
from .render import BUILTIN_TEMPLATES, Renderer, TemplateFailed
from .search import (
    INDEX_FOLDER,
    PREVIEW_SHARD_WORKERS,
    SHARD_WORKERS,
    Indexing,
    SearchIndexFailed,
    SearchRefresh,
    indexed_digest,
    is_record_page,
    shard_cache,
)
from .urls import Urls
from .validate import (
    StaticFile,
    Validator,
    find_content_files,
    find_static_files,
    read_site,
    site_folder_files,
    verdict_scale,
)
from .writer import LiveOutput, OutputLock, StagedOutput, refuse_unsafe_output

ASSETS = os.path.join(BUILTIN_TEMPLATES, "assets")


@dataclass
class BuildOptions:
    content_dir: str = "content"
    out_dir: str = "public"
    base_url: str | None = None  # overrides site.yaml's, for previews
    search: bool = True
    force: bool = False  # replace a non-empty output folder that no build wrote
    drafts: bool = False  # v2: include drafts and embargoed claims, each page with a banner (build --drafts, serve)
    now: dt.datetime | None = None  # v2: the instant embargoes are evaluated at; None: the current time
    # Record pages per search shard (search.SHARD_PAGES); the preview's are smaller, so an edit re-indexes fewer.
    search_shard_pages: int | None = None

    def image_cache(self) -> str:
        """v2: resized images kept between builds, beside content/; safe to delete."""
        return os.path.join(self.site_root, ".cache", "images")

    def publishing(self) -> Publishing:
        return Publishing(self.now or dt.datetime.now(dt.UTC), self.drafts)

    @property
    def site_root(self) -> str:
        """The folder that holds content/; paths in content, templates/ and static/ are below it."""
        return site_root(self.content_dir)

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
    written: int = 0  # files whose bytes changed or that went (rebuilds)
    changed: list[str] | None = None  # their output paths (None: a full build, all of them)
    full: bool = True  # the whole site was built and swapped in, not updated in place
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
    # The content folder's listing and what it found wrong, for a rebuild told exactly what changed.
    listing: tuple = ()
    listing_errors: tuple = ()

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


def read_content(
    options: BuildOptions,
    previous: Content | None = None,
    touched: frozenset[str] = frozenset(),
    complete: bool = False,
) -> Content:
    """Read and validate every content file; files unchanged since `previous` are reused.

    Unchanged means same size and modification time and not in `touched` (the
    paths a file watcher reported: two saves within one clock tick can leave
    the modification time as it was). `complete`: `touched` names every path
    that changed (the preview's watcher reports them all); if they are all
    files `previous` read and still there, the folder is not listed again nor
    any other file looked at (0.3 s of a rebuild at 10,000 claims).
    """
    site_errors, layout_errors = ErrorList(), ErrorList()
    site = read_site(options.content_dir, site_errors)
    edited = _edited_files(options.content_dir, previous, touched) if complete else None
    if edited is None:
        listing_errors = ErrorList()
        files = find_content_files(options.content_dir, listing_errors)
        signatures = {f.path: _signature(f.path) for f in files}
    else:
        files, listing_errors = list(previous.listing), previous.listing_errors
        signatures = {path: result.signature for path, result in previous.files.items()}
        signatures.update({path: _signature(path) for path in edited})
    layout_errors.extend(listing_errors)
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
    kept = {}
    if previous is not None and previous.site == site and edited is not None:
        kept = {path: result for path, result in previous.files.items() if path not in edited}
    elif previous is not None and previous.site == site:
        touched = {os.path.abspath(p) for p in touched}
        kept = {
            f.path: previous.files[f.path]
            for f in files
            if f.path in previous.files
            and previous.files[f.path].signature == signatures[f.path]
            and os.path.abspath(f.path) not in touched
        }
    to_read = [f for f in files if f.path not in kept]
    base_url = options.base_url or (site.base_url if site else "https://example.invalid/")
    results = dict(kept)
    for chunk, used in run_chunked(
        _validate_chunk, to_read, lambda: Validator(options.site_root, Urls(base_url)), stage="validate"
    ):
        cache.add_used(used)
        for content_file, (record, unfinished), errors in chunk:
            path = content_file.path
            if isinstance(record, record_cache.Pickled):  # a worker's record, sent as the cache keeps it
                record = record.loads()
                if record is None:  # an entry that is not a record after all: validated here, and kept anew
                    errors = ErrorList()
                    record, unfinished = Validator(options.site_root, Urls(base_url)).checked(content_file, errors)
            results[path] = FileResult(
                content_file.kind, content_file.slug, signatures[path], record, tuple(errors), unfinished
            )
    ordered = {f.path: results[f.path] for f in files}
    scale = site.verdicts if site else verdict_scale(options.content_dir)
    return Content(
        site, list(site_errors), list(layout_errors), ordered, locale_dirs, scale, tuple(files), tuple(listing_errors)
    )


def _edited_files(content_dir: str, previous: Content | None, touched) -> set[str] | None:
    """The content files among `touched`, if each is one `previous` read and is still there; else None."""
    if previous is None or not previous.listing:
        return None
    folder = os.path.abspath(content_dir)
    edited = set()
    for path in touched:
        relative = os.path.relpath(os.path.abspath(path), folder)
        if relative.startswith(os.pardir + os.sep) or relative == os.pardir:
            continue  # a template, an archived text: not a content file
        if relative == "site.yaml":
            continue  # read every time
        path = os.path.join(content_dir, relative)
        if path not in previous.files or not os.path.isfile(path):
            return None  # a file added or removed, or not one of the records: list the folder again
        edited.add(path)
    return edited


def resolve(content: Content, options: BuildOptions | None = None) -> Library:
    """One library of cross-referenced records, or BuildFailed with every error.

    With `options`, the library of what is published as they say (drafts, now).
    """
    errors = content.errors()
    library = build_library(
        content.site,
        content.records(),
        errors,
        content.unreadable(),
        content.locale_dirs,
        unfinished=content.unfinished(),
        verdict_scale=content.verdicts,
    )
    if errors or library is None:
        raise BuildFailed(errors.sorted())
    if options is None:
        return library
    return publish(library, options.publishing(), Urls(options.base_url or library.site.base_url))


def load_library(options: BuildOptions) -> Library:
    """Read, validate and resolve the archive; raises BuildFailed with every error."""
    return resolve(read_content(options), options)


@dataclass
class Built:
    """A finished build and what a rebuild needs to start from."""

    report: BuildReport
    content: Content
    library: Library
    digests: dict[str, bytes]  # output path -> hash of the bytes written
    contexts: dict[str, object]  # output path -> context, for the site-wide pages
    # Output path -> the static file copied there: a rebuild's new pages must not overwrite one
    # (static/ changed is a full build, so this stays true between full builds).
    static: dict[str, StaticFile] = field(default_factory=dict)


@dataclass
class SitePlan:
    """Everything one build writes, decided before anything is written."""

    pages: list[Plan]  # each built where it is rendered
    attachments: list[Key]  # records whose attachments (share images) are made
    data_files: list[tuple[str, Callable[[], Iterable[bytes]]]]
    archived: list[tuple[str, str]]  # (path in the output, path in the site) of archived files copied as they are
    static: list[StaticFile]  # copied by a full build; a rebuild only keeps its pages off their paths
    contexts: dict[str, object]  # the site-wide pages' contexts, by output path
    gone: list[str] = field(default_factory=list)  # a rebuild's files no longer built
    shown_first: int = 0  # a rebuild's: its first pages, the edited records' own, are shown before the rest are made


def build(options: BuildOptions) -> BuildReport:
    return full_build(options).report


def full_build(options: BuildOptions, content: Content | None = None) -> Built:
    """The whole site, staged and swapped in; `content` if it was just read."""
    refuse_unsafe_output(options.out_dir, options.site_root, options.content_dir)
    # Held while the cache is in use, so that no other build's prune removes what this one reads.
    with cache.CacheLock(options.site_root):
        return _full_build(options, content)


def _full_build(options: BuildOptions, content: Content | None) -> Built:
    started = time.perf_counter()
    report = BuildReport()
    watch = _Stopwatch(report)
    read_here = content is None
    if read_here:
        cache.take_used()  # from here on, what this build reads or writes
        content = read_content(options)
    watch.lap("validate")
    library = resolve(content, options)
    watch.lap("resolve")
    # The library lives to the end of the build: collections need not scan it again and again.
    with frozen():
        pages = SitePages(library, Urls(options.base_url or library.site.base_url), options.image_cache())
        static_errors = ErrorList()
        static = find_static_files(options.static_dir(), options.site_root, static_errors)
        plans = pages.plans()
        plan = SitePlan(
            plans,
            pages.record_keys(),
            pages.data_files(),
            pages.archived_files(),
            static,
            {p.path: p.output.context for p in plans if p.output},
        )
        watch.lap("plan")
        with StagedOutput(options.out_dir, options.force) as output:
            digests = _write(options, pages, plan, output, static_errors, watch, report)
            output.commit()
    watch.lap("swap")
    # A build that read every file itself (a preview's rebuild may have read a few) keeps what it used.
    if read_here and cache.prune(options.site_root, cache.take_used()) is not None:
        watch.lap("prune")
    return _finished(
        report,
        started,
        library,
        [plan],
        Built(report, content, library, digests, plan.contexts, {item.output: item for item in static}),
    )


class BuiltSite:
    """A site kept up to date between edits (the preview, the benchmark): built once, then rebuilt in place."""

    def __init__(self, options: BuildOptions, live_search: bool = False) -> None:
        self.options = options
        self.built: Built | None = None
        self.content: Content | None = None  # the last read, even if it failed
        self._layout = None
        # The preview's: a rebuild refreshes the live index's shards itself, begun as soon as the
        # record pages are written (a full build is left to the caller's refresh_search()).
        self.live_search = live_search
        # Whether the index holds the record pages as they are on disk (not after a failed refresh).
        self._index_current = False
        # Called once a refreshed index answers, from the thread that swapped it in (the preview
        # reloads an open search page, which asks its query again).
        self.index_swapped: Callable[[], None] | None = None
        # Held while this object lives: its later rebuilds read entries that another build must not prune.
        self._cache_lock: cache.CacheLock | None = None

    def build(self, content: Content | None = None) -> BuildReport:
        """A full build; later `rebuild()`s start from what it leaves."""
        if self._cache_lock is None:
            self._cache_lock = cache.CacheLock(self.options.site_root)
        self._layout = self._layout_signature()
        self._index_current = False
        self.built = full_build(self.options, content)
        self.content = self.built.content
        return self.built.report

    def rebuild(
        self, touched=frozenset(), shown: Callable[[BuildReport], None] | None = None, complete: bool = False
    ) -> BuildReport:
        """Bring the output up to date with the content; raises BuildFailed on errors.

        `touched`: paths a watcher saw change, read again even if their size and
        modification time look the same; `complete`: nothing else changed
        (read_content). `shown(report)` is called once the pages of the
        changed records are written, before the site-wide pages and data files
        (which at 10,000 claims take seconds): the preview reloads the page
        being edited then.
        """
        if self.built is None or self._layout_signature() != self._layout:
            return self._rebuild_whole(None, shown)
        # A full collection walks every object of the library (about a second at 10,000 claims) and
        # comes at random: none while the edited pages are made; it may run once they are shown.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._rebuild(touched, shown, collecting, complete)
        finally:
            if collecting:
                gc.enable()

    def _rebuild(self, touched, shown, collecting: bool, complete: bool) -> BuildReport:
        options = self.options
        started = time.perf_counter()
        report = BuildReport(full=False)
        watch = _Stopwatch(report)
        content = read_content(options, previous=self.content, touched=frozenset(touched), complete=complete)
        self.content = content  # even if it fails: the next rebuild re-reads only what changes
        watch.lap("validate")
        if content.site != self.built.content.site:
            return self._rebuild_whole(content, shown, collecting)
        library = self._updated_library(content) or resolve(content, options)
        watch.lap("resolve")
        # Against the last good build, not the last read: edits made while the
        # content had errors are rendered once it is fixed.
        changed = _changed_keys(self.built.content, content)
        if any(kind == "page" for kind, _ in changed):
            return self._rebuild_whole(content, shown, collecting)
        pages = SitePages(library, Urls(options.base_url or library.site.base_url), options.image_cache())
        previous = self.built
        records = _records_plan(pages, previous, changed)
        watch.lap("plan")
        # What the index read of the record pages about to be replaced (the index holds them as they are).
        indexed = _read_record_pages(options.out_dir, records.pages) if self.live_search and self._index_current else {}
        with LiveOutput(options.out_dir, previous.digests) as output:
            # The edited records' own shards, indexed from the moment their pages are written, while
            # the pages listing them are made (0.2 to 0.5 s): with what it wrote then.
            early: list[tuple[SearchRefresh, int]] = []

            def show() -> None:
                report.pages, report.written = len(records.pages), len(output.written)
                if shown:
                    shown(report)
                if collecting:
                    gc.enable()
                if self.live_search:
                    own = _index_changes(options.out_dir, output.written, indexed)
                    early.append((self._start_refresh(library, own), len(output.written)))

            try:
                _write(options, pages, records, output, ErrorList(), watch, report, show)
            except BaseException:
                for started_early, _ in early:
                    started_early.cancel()
                raise
            report.pages, report.written = len(records.pages), len(output.written)
            refresh = early[0][0] if early else None
            if self.live_search and not (
                early and _unindexed(_index_changes(options.out_dir, output.written[early[0][1] :], indexed))
            ):
                # The other pages written changed what the index reads (or nothing was begun): all of them again.
                if refresh is not None:
                    refresh.cancel()
                refresh = self._start_refresh(library, _index_changes(options.out_dir, output.written, indexed))
            try:
                site_wide = _site_wide_plan(pages, previous)
                watch.lap("plan")
                _write(options, pages, site_wide, output, ErrorList(), watch, report)
            except BaseException:
                if refresh is not None:
                    refresh.cancel()
                raise
            # Under the output's lock still: a second lock of our own could find the first held by a
            # Pagefind just forked and not yet started (it holds the lock's file until it is).
            index_failed = self._finish_refresh(refresh, report) if refresh is not None else None
        report.written, report.changed = len(output.written), list(output.written)
        self.built = _finished(
            report,
            started,
            library,
            [records, site_wide],
            Built(report, content, library, output.digests, site_wide.contexts, previous.static),
        )
        if index_failed is not None:
            raise index_failed
        if refresh is None and options.search and output.written:
            self.refresh_search(report)
        return report

    def _start_refresh(self, library: Library, written: list[str]) -> SearchRefresh:
        return SearchRefresh(
            self.options.out_dir,
            library.site.language,
            list(written),
            self.options.search_shard_pages,
            PREVIEW_SHARD_WORKERS,
            swap_early=True,
            keep_links=True,
            swapped=self.index_swapped,
        )

    def _finish_refresh(self, refresh: SearchRefresh, report: BuildReport) -> SearchIndexFailed | None:
        """The shards indexed meanwhile swapped in; "index" is the time from the record pages to the fresh index.

        A failure is returned, to be raised once the rebuild is recorded.
        """
        self._index_current = False
        try:
            report.indexed = refresh.wait()
        except SearchIndexFailed as failed:
            return failed
        self._index_current = True
        report.stages = {**report.stages, "index": refresh.finished - refresh.started}
        return None

    def _updated_library(self, content: Content) -> Library | None:
        """The last build's library with its edited claims replaced, if claims are all that changed (library_update)."""
        before = self.built.content
        if before.files.keys() != content.files.keys() or content.errors():
            return None
        edited = {}
        for path, result in content.files.items():
            old = before.files[path]
            if result is old:
                continue
            if result.kind != "claim" or old.record is None or result.record is None:
                return None
            edited[result.record.slug] = result.record
        return updated_library(self.built.library, edited, content.site, self.options.publishing())

    def _rebuild_whole(self, content: Content | None, shown, collecting: bool = False) -> BuildReport:
        if collecting:  # a full build's garbage is collected as it goes
            gc.enable()
        report = self.build(content)
        if shown:
            shown(report)
        return report

    def refresh_search(self, report: BuildReport) -> None:
        """Bring the live site's search index up to date after a rebuild; its time goes into `report`.

        The preview calls it once the browser has reloaded, so that the page does not wait for the index.
        """
        started = time.perf_counter()
        self._index_current = False
        with OutputLock(self.options.out_dir):
            # After a rebuild only the shards holding what it changed are indexed again.
            report.indexed = SearchRefresh(
                self.options.out_dir,
                self.built.library.site.language,
                None if report.full else report.changed,
                self.options.search_shard_pages,
                PREVIEW_SHARD_WORKERS if self.live_search else SHARD_WORKERS,
                keep_links=self.live_search,
                swapped=self.index_swapped,
            ).wait()
        self._index_current = True
        # A new dict, not an added key: the preview's /__status may be reading the old one.
        report.stages = {**report.stages, "index": time.perf_counter() - started}

    def _layout_signature(self) -> tuple:
        """What, changed, can change every page: the templates (built-in and the archive's), static/ and locales/."""
        return _tree_signature(
            *self.options.template_dirs(), self.options.static_dir(), os.path.join(self.options.site_root, "locales")
        )


def _records_plan(pages: SitePages, previous: Built, changed: set[Key]) -> SitePlan:
    """The pages that show the `changed` records, and the files of records gone or shortened."""
    old, library = previous.library, pages.lib
    keys = set()
    for key in changed:
        keys |= dependent_pages(old, key) | dependent_pages(library, key)
    keys = sorted(keys)
    kept = [key for key in keys if _exists(library, key)]
    # A record gone, or a topic, person or source whose list of claims got shorter, leaves files behind.
    gone = []
    for key in keys:
        if _exists(old, key):
            now = set(_record_files(library, key)) if _exists(library, key) else set()
            gone += [path for path in _record_files(old, key) if path not in now]
    changed_sources = {slug for kind, slug in changed if kind == "source"}
    # Only a changed source's archived files can come or go (listing every source's takes 0.05 s at 10,000 claims).
    archived = pages.archived_files() if changed_sources else []
    # An archived copy goes with its source, or when the source names another file.
    now_archived = {relpath for relpath, _ in archived}
    gone += [
        relpath
        for relpath, _ in (archived_files(old) if changed_sources else [])
        if relpath.split("/")[1] in changed_sources and relpath not in now_archived
    ]
    archived = [(relpath, path) for relpath, path in archived if relpath.split("/")[1] in changed_sources]
    # The edited records' own pages first: the editor is looking at one of them.
    own = pages.record_plans(key for key in kept if key in changed)
    plans = own + pages.record_plans(key for key in kept if key not in changed)
    return SitePlan(
        plans, kept, [], archived, list(previous.static.values()), previous.contexts, gone, shown_first=len(own)
    )


def _site_wide_plan(pages: SitePages, previous: Built) -> SitePlan:
    """The site-wide pages whose context changed (at 10,000 claims there are hundreds), and every data file."""
    site_wide = pages.site_wide()
    plans = [Plan.ready(output) for output in site_wide if previous.contexts.get(output.path) != output.context]
    contexts = {output.path: output.context for output in site_wide}
    gone = sorted(previous.contexts.keys() - contexts.keys())  # e.g. a page of an index that got shorter
    data_files = pages.data_files()
    made = {path for path, _ in data_files}  # a shorter list has fewer dataset parts: the last ones go
    gone += sorted(path for path in previous.digests if dataset.is_part(path) and path not in made)
    return SitePlan(plans, [], data_files, [], list(previous.static.values()), contexts, gone)


def _read_record_pages(out_dir: str, plans: list[Plan]) -> dict[str, bytes]:
    found = {}
    for plan in plans:
        if is_record_page(plan.path):
            try:
                with open(os.path.join(out_dir, plan.path), "rb") as f:
                    found[plan.path] = f.read()
            except OSError:
                continue
    return found


def _index_changes(out_dir: str, written: list[str], before: dict[str, bytes]) -> list[str]:
    """The written paths, less the record pages whose change the index cannot see (search.indexed_digest).

    An edit of a claim rewrites the pages that list it (its claimant's, its
    topics', related claims'), in parts the index ignores: their shards
    need no new index, and most edits then re-index one shard, not five to nine.
    """
    kept = []
    for relpath in written:
        if relpath in before:
            try:
                with open(os.path.join(out_dir, relpath), "rb") as f:
                    now = f.read()
            except OSError:
                now = None
            if now is not None and indexed_digest(now) == indexed_digest(before[relpath]):
                continue
        kept.append(relpath)
    return kept


def _unindexed(changes: list[str]) -> bool:
    """Whether none of the written `changes` (as _index_changes leaves them) is a page the index holds."""
    return not any(is_record_page(relpath) for relpath in changes)


def _record_files(lib: Library, key: Key) -> list[str]:
    """A record's attachments, then its pages, later pages first."""
    family = BY_KIND[key[0]]
    return family.attachment_paths(lib, key[1]) + list(reversed(family.outputs(lib, key[1])))


def _write(
    options: BuildOptions,
    pages: SitePages,
    plan: SitePlan,
    output,
    static_errors: ErrorList,
    watch: _Stopwatch,
    report: BuildReport,
    shown: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """Reserve every path, then render and write the plan into `output`; the digests of what was written.

    `shown()` is called once the plan's `shown_first` pages are written.
    """
    for relpath, _ in plan.archived:
        output.claim(relpath, "its source, as the source's archived file")
    attachment_paths = [
        path for key in plan.attachments for path in BY_KIND[key[0]].attachment_paths(pages.lib, key[1])
    ]
    _refuse_clashes(output, plan.pages, plan.data_files, attachment_paths, plan.static, static_errors)
    if shown is None:
        digests = render_pages(pages, plan.pages, output, template_dirs=options.template_dirs())
    else:
        digests = render_pages(pages, plan.pages[: plan.shown_first], output, template_dirs=options.template_dirs())
        shown()
        digests.update(
            render_pages(pages, plan.pages[plan.shown_first :], output, template_dirs=options.template_dirs())
        )
    watch.lap("render")
    # The index needs only the pages: Pagefind reads them while the rest is written.
    indexing = (
        Indexing(
            output.staging,
            pages.lib.site.language,
            shard_pages=options.search_shard_pages,
            shard_cache=shard_cache(options.site_root),
        )
        if options.search and output.full
        else None
    )
    try:
        digests.update(render_attachments(pages, plan.attachments, output))
        for relpath, produce in plan.data_files:
            digests[relpath] = output.write(relpath, produce())
        for relpath, path in plan.archived:
            output.copy_file(os.path.join(options.site_root, path), relpath)
        if output.full:
            output.copy_tree(ASSETS, "assets")
            # Stylesheets go out minified: the source keeps its comments for whoever edits it.
            for name in sorted(os.listdir(ASSETS)):
                if name.endswith(".css"):
                    with open(os.path.join(ASSETS, name), encoding="utf-8") as sheet:
                        output.write(f"assets/{name}", rcssmin.cssmin(sheet.read()).encode("utf-8"))
            for item in plan.static:
                output.copy_file(item.path, item.output)
        for relpath in plan.gone:
            output.remove(relpath)
            digests.pop(relpath, None)
        watch.lap("write")
    except BaseException:
        if indexing:
            indexing.cancel()
        raise
    if indexing:
        progress.stage("search index", 0, 1)
        report.indexed = indexing.wait()
        watch.lap("index")
    return digests


def _finished(report: BuildReport, started: float, library: Library, plans: list[SitePlan], built: Built) -> Built:
    report.records = library.record_count()
    report.pages = sum(len(plan.pages) for plan in plans)
    report.seconds = time.perf_counter() - started
    return built


def _refuse_clashes(
    output, pages: list[Plan], data_files, attachments: list[str], static: list[StaticFile], clashes: ErrorList
) -> None:
    """Reserve every output path before anything is written; two outputs on one path stop the build.

    A static file may replace a built-in asset (a favicon, say), which is
    copied before it, but nothing the build generates.
    """
    for page in pages:
        earlier = output.claim(page.path, page.template)
        if earlier is not None and page.template == "alias.html":
            clashes.add(
                page.origin,
                f"this alias would be written to {page.path}, where the build already writes "
                f"a page from {earlier}: remove the alias (that address already shows a page)",
            )
        elif earlier is not None:
            clashes.add(page.origin, f"two pages would be written to {page.path}: this one and one from {earlier}")
    for relpath, _ in data_files:
        output.claim(relpath, "site.yaml" if relpath.startswith("assets/") else "the archive's records")
    for relpath in attachments:
        output.claim(relpath, "its claim, as the claim's share image")
    for item in static:
        earlier = output.claim(item.output, "static")
        if earlier == "static":  # reserved by a rebuild's first part already
            continue
        if item.output.split("/")[0] == INDEX_FOLDER:
            earlier = "the search index"
        if earlier is not None:
            clashes.add(
                Position(item.path, 1, 1),
                f"this static file would overwrite {item.output}, "
                f"which the build writes from {earlier}: rename or remove the static file",
            )
    if clashes:
        raise BuildFailed(clashes.sorted())


def render_pages(
    pages: SitePages, plans: list[Plan], output, template_dirs: list[str] | None = None
) -> dict[str, bytes]:
    """Build, render and write every planned page into `output`, across processes where it allows; their digests."""
    digests: dict[str, bytes] = {}
    template_errors = ErrorList()
    for chunk_digests, chunk_errors in run_chunked(
        _render_chunk,
        range(len(plans)),
        lambda: (Renderer(pages.site_view, pages.ui, template_dirs), plans, output),
        workers=None if output.parallel else 1,
        stage="render",
    ):
        digests.update(chunk_digests)
        template_errors.extend(chunk_errors)
    if template_errors:
        raise BuildFailed(template_errors.sorted())
    return digests


def render_attachments(pages: SitePages, keys: list[Key], output) -> dict[str, bytes]:
    """Write the records' attachments (share images) across processes where the output allows; their digests."""
    digests: dict[str, bytes] = {}
    keys = [key for key in keys if BY_KIND[key[0]].attachment_paths(pages.lib, key[1])]
    for chunk_digests, used in run_chunked(
        _attachments_chunk, keys, lambda: (pages, output), workers=None if output.parallel else 1, stage="images"
    ):
        digests.update(chunk_digests)
        cache.add_used(used)  # the pictures a worker drew or copied: prune keeps them
    return digests


def _validate_chunk(validator: Validator, files) -> tuple[list[tuple], dict]:
    """Each file's results, then the cache entries used (a worker's are sent back for prune to keep)."""
    # A worker sends records as the record cache pickled them; in the main process they stay objects.
    in_worker = multiprocessing.parent_process() is not None
    results = []
    for content_file in files:
        errors = ErrorList()
        results.append((content_file, validator.checked(content_file, errors, pickled=in_worker), list(errors)))
    return results, cache.take_used()


def _render_chunk(state, indices) -> tuple[dict, list]:
    """Render and write pages in this process; template errors come back as data."""
    renderer, plans, output = state
    digests, errors = {}, []
    for index in indices:
        page = plans[index].make()
        try:
            data = renderer.render(page)
        except TemplateFailed as failed:
            errors.append(failed.error)
            continue
        digests[page.path] = output.write(page.path, data)
    return digests, errors


def _attachments_chunk(state, keys) -> tuple[dict, dict]:
    pages, output = state
    written = {relpath: output.write(relpath, data) for key in keys for relpath, data in pages.attachments(key)}
    return written, cache.take_used()


def _exists(library: Library, key: Key) -> bool:
    return key[1] in library.records_of(key[0])


def _changed_keys(before: Content, after: Content) -> set[Key]:
    keys = set()
    for path in before.files.keys() | after.files.keys():
        old, new = before.files.get(path), after.files.get(path)
        if old is new:
            continue
        for result in (old, new):
            if result is not None and result.record is not None:
                keys.add((result.kind, result.record.slug))
    return keys


def _tree_signature(*folders: str) -> tuple:
    entries = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                stat = os.stat(os.path.join(root, name))
                entries.append((root, name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))

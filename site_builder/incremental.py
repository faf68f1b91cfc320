"""Rebuilding after an edit: only the pages that show what changed.

The preview server and the benchmark keep a `Project` between builds. A
rebuild re-reads only files whose size or modification time changed,
resolves the library again (cheap), and re-renders the pages that show a
changed record, plus the site-wide pages (home, indexes, feeds). Which pages
show which record mirrors context.py; the tests compare every incremental
result with a full build, so the two cannot silently disagree.

A change to site.yaml, to a template, to a file of static/ or to one of the
archive's own pages (content/pages/) is a full build: the first three can
change any page, and a page's title may be in the navigation of every page.
Pages are few and edited rarely, so tracking which pages show a page's nav
entry would buy little.
"""

from __future__ import annotations

import os
import time

from . import model
from .context import PageBuilder, PagePlan, record_outputs, share_image_path
from .errors import BuildFailed, ErrorList
from .library import Library
from .pipeline import (
    BuildOptions, BuildReport, Built, Content, _Stopwatch, digest, full_build, hashing,
    read_content, render_pages, resolve, static_clash,
)
from .search import refresh_search_index
from .urls import Urls, output_file
from .writer import OutputLock, replace_file

Key = tuple[str, str]  # (record kind, slug)


class Project:
    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.built: Built | None = None
        self.content: Content | None = None
        self.templates_signature = None

    def build(self) -> BuildReport:
        """A full build; later `rebuild()`s start from what it leaves."""
        self.templates_signature = self._layout_signature()
        self.built = full_build(self.options)
        self.content = self.built.content
        return self.built.report

    def rebuild(self, touched=frozenset()) -> BuildReport:
        """Bring the output up to date with the content; raises BuildFailed on errors.

        `touched`: paths a watcher saw change, read again even if their size and
        modification time look the same.
        """
        if self.built is None or self._layout_signature() != self.templates_signature:
            return self.build()
        started = time.perf_counter()
        report = BuildReport()
        watch = _Stopwatch(report)
        before = self.content
        content = read_content(self.options, previous=before, touched=frozenset(touched))
        self.content = content  # even if it fails: the next rebuild re-reads only what changes
        watch.lap("validate")
        if content.site != self.built.content.site:
            return self.build()
        library = resolve(content, self.options)
        watch.lap("resolve")
        old = self.built.library
        # Against the last good build, not the last read: edits made while the
        # content had errors are rendered once it is fixed.
        changed = _changed_keys(self.built.content, content)
        if any(kind == "page" for kind, _ in changed):
            return self.build()
        keys = set()
        for key in changed:
            keys |= dependent_pages(old, key) | dependent_pages(library, key)
        builder = PageBuilder(library, Urls(self.options.base_url or library.site.base_url), self.options.image_cache())
        pages = builder.record_plans(key for key in sorted(keys) if _exists(library, *key))
        # Site-wide pages (home, the paged indexes, feeds) are rendered again
        # only if what they show changed: at 10,000 claims there are hundreds.
        site_wide = builder.text_pages() + builder.global_pages()
        previous = self.built.contexts
        pages += [PagePlan.ready(page) for page in site_wide if previous.get(page.output) != page.context]
        contexts = {page.output: page.context for page in site_wide}
        gone_site_wide = sorted(previous.keys() - contexts.keys())  # e.g. a page of an index that got shorter
        # A claim's share image goes before its page, so that the page's folder is empty once both are.
        gone = [path for kind, slug in sorted(keys) if not _exists(library, kind, slug)
                for path in ([share_image_path(slug)] if kind == "claim" else []) + [output_file(model.KINDS[kind], slug)]]
        # A topic, person or source whose list of claims got shorter needs fewer pages; later pages first, so folders empty.
        gone += [path for kind, slug in sorted(keys) if _exists(old, kind, slug)
                 for path in reversed(record_outputs(old, kind, slug)[1:])
                 if path not in (record_outputs(library, kind, slug) if _exists(library, kind, slug) else ())]
        # A new record's page (or share image) on a static file's path is refused as the full build refuses it.
        clashes = ErrorList()
        for plan in pages:
            if plan.output in self.built.static:
                static_clash(self.built.static[plan.output], plan.template, clashes)
        for kind, slug in sorted(keys):
            if kind == "claim" and _exists(library, kind, slug) and share_image_path(slug) in self.built.static:
                static_clash(self.built.static[share_image_path(slug)], "its claim, as the claim's share image", clashes)
        if clashes:
            raise BuildFailed(clashes.sorted())
        watch.lap("plan")
        written = []
        out_dir = self.options.out_dir
        digests = self.built.digests

        def write_if_changed(relpath: str, data: bytes) -> None:
            new = digest(data)
            if digests.get(relpath) != new:
                replace_file(out_dir, relpath, data)
                digests[relpath] = new
                written.append(relpath)

        with OutputLock(out_dir):
            render_pages(builder, pages, write_if_changed, parallel=False, template_dirs=self.options.template_dirs())
            for relpath, produce in builder.data_files():
                # Written aside and hashed in one pass; kept only if the bytes changed.
                pieces, finished = hashing(produce())
                if replace_file(out_dir, relpath, pieces, keep_old_if=lambda: finished() == digests.get(relpath)):
                    digests[relpath] = finished()
                    written.append(relpath)
            changed_sources = {slug for kind, slug in changed if kind == "source"}
            for relpath, path in builder.archived_files():
                if relpath.split("/")[1] in changed_sources:
                    with open(os.path.join(self.options.site_root, path), "rb") as f:
                        write_if_changed(relpath, f.read())
            for relpath in gone + gone_site_wide:
                _remove_page(out_dir, relpath)
                digests.pop(relpath, None)
            watch.lap("render")
            if self.options.search and (written or gone or gone_site_wide):
                report.indexed = refresh_search_index(out_dir, library.site.language, written + gone + gone_site_wide)
                watch.lap("index")
        self.built = Built(report, content, library, digests, contexts, self.built.static)
        report.records = library.record_count()
        report.pages = len(pages)
        report.written = len(written) + len(gone) + len(gone_site_wide)
        report.changed = written + gone + gone_site_wide
        report.seconds = time.perf_counter() - started
        return report

    def _layout_signature(self) -> tuple:
        """What, changed, can change every page: the templates (built-in and the archive's), static/ and locales/."""
        return _tree_signature(*self.options.template_dirs(), self.options.static_dir(),
                               os.path.join(self.options.site_root, "locales"))


def _exists(library: Library, kind: str, slug: str) -> bool:
    return slug in library.records_of(kind)


def _key(record) -> Key:
    return (_KIND_OF[type(record)], record.slug)


_KIND_OF = {model.Claim: "claim", model.Source: "source", model.Person: "person", model.Topic: "topic", model.Page: "page",
            model.Staff: "staff"}


def _changed_keys(before: Content, after: Content) -> set[Key]:
    keys = set()
    for path in before.files.keys() | after.files.keys():
        old, new = before.files.get(path), after.files.get(path)
        if old is new:
            continue
        for result in (old, new):
            if result is not None and result.record is not None:
                keys.add(_key(result.record))
    return keys


def dependent_pages(lib: Library, key: Key) -> set[Key]:
    """The record pages that show something of record `key` (its own page included)."""
    kind, slug = key
    pages = {key}
    if kind == "claim":
        claim = lib.claims.get(slug)
        if claim is None:
            return pages
        pages |= {("claim", s) for s in lib.counterclaims.get(slug, ())}
        for ref in claim.quotes:
            pages |= {("claim", s) for s in lib.claims_citing_quote.get((ref.source, ref.quote), ())}
            source = lib.sources.get(ref.source)
            pages |= {("person", q.speaker.slug) for q in source.quotes if q.id == ref.quote} if source else set()
        sources = {r.slug for r in claim.appearances} | {q.source for q in claim.quotes}
        pages |= {("source", s) for s in sources}
        # Claims sharing a source show this one in their claim map.
        pages |= {("claim", s) for source in sources for s in lib.claims_by_source.get(source, ())}
        pages.add(("person", claim.claimant.slug))
        pages |= {("topic", t.slug) for t in claim.topics}
        pages |= {("staff", r.slug) for r in (*claim.authors, *claim.editors)}  # v2: their pages list it
    elif kind == "source":
        source = lib.sources.get(slug)
        pages |= {("claim", s) for s in lib.claims_by_source.get(slug, ())}
        if source is not None:
            pages |= {("person", q.speaker.slug) for q in source.quotes}
    elif kind == "person":
        person = lib.people.get(slug)
        if person is not None and person.affiliation:
            pages.add(("person", person.affiliation.slug))
        pages |= {("person", s) for s in lib.members.get(slug, ())}
        for claim_slug in lib.claims_by_claimant.get(slug, ()):
            pages |= dependent_pages(lib, ("claim", claim_slug))
        for source_slug, quote_id in lib.quotes_by_speaker.get(slug, ()):
            pages.add(("source", source_slug))
            pages |= {("claim", s) for s in lib.claims_citing_quote.get((source_slug, quote_id), ())}
    elif kind == "topic":
        pages |= {("claim", s) for s in lib.claims_by_topic.get(slug, ())}
    elif kind == "staff":  # v2: the bylines of their claims
        pages |= {("claim", s) for s in lib.claims_by_staff.get(slug, ())}
    return pages


def _remove_page(out_dir: str, relpath: str) -> None:
    path = os.path.join(out_dir, relpath)
    if os.path.exists(path):
        os.remove(path)
        # Up to the first folder still in use: a record's page/<n>/ and then page/.
        folder = os.path.dirname(path)
        while os.path.normpath(folder) != os.path.normpath(out_dir):
            try:
                os.rmdir(folder)
            except OSError:
                break
            folder = os.path.dirname(folder)


def _tree_signature(*folders: str) -> tuple:
    entries = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                stat = os.stat(os.path.join(root, name))
                entries.append((root, name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))

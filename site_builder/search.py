"""The search index: Pagefind, from the pagefind[bin] package, over the staged output.

The build indexes the finished staging folder before it is swapped in, so
a failed index leaves the previous site in place. Two measured pitfalls of
Pagefind's Python API decide how it is called:

- `add_html_file` costs about 0.1 s per page whatever the page (its service
  loop sleeps before reading each response): indexing a written folder in
  one go is a hundred times faster.
- `PagefindIndex` terminates its service as soon as the service answers the
  write request, sometimes before the files are on disk: 4 of 9 runs at
  10,000 claims left `pagefind.js` cut short and the entry file empty, and
  search broken. The same packaged binary run as a command exits only once
  everything is written, so the build runs that and checks its result.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable

import cbor2
from pagefind.service import get_executable

from . import cache
from .pages import searched_folders
from .parallel import die_with_parent, frozen
from .writer import digest, swap_folders

INDEX_FOLDER = "pagefind"
RECORD_FOLDERS = tuple(searched_folders())  # the page families whose record pages are searched
RECORD_PAGES = "{" + ",".join(RECORD_FOLDERS) + "}/*/index.html"
ENTRY_FILE = "pagefind-entry.json"
TIMEOUT = 3600  # seconds
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is in KiB on Linux, bytes on macOS

# Record pages per shard, on average at most (tests set it small). Pagefind
# holds its whole index in memory, 135 MiB + 0.27 MiB a page of the
# benchmark's corpus (1.2 GB at 3,900 pages, 4.3 GB at 15,550): 4,000 pages
# stay near 1.2 GB however large the archive grows, with room for longer
# pages. Each shard costs a reader one more index chunk a word of the query
# (about 25 KB), so shards are as large as memory allows. Up to this many
# pages the archive is one index, as it always was; above, its pages are
# spread by hash over as few shards as hold them, so that an edited page
# re-indexes one shard until the archive outgrows its shard count.
SHARD_PAGES = 4000
# The preview's shards: smaller, since an edit re-indexes its shard while the
# editor waits (Pagefind takes about 4 ms a page), and a reader on the same
# machine loads the extra chunks for nothing.
PREVIEW_SHARD_PAGES = 250
# A search page reads every shard's entry and metadata before it answers a common word: at 100,000
# claims the preview's 250-page shards were 620, and its /search/ had not answered after 120 s
# (bench/results/20261202-074916.json); 62 answered at 10,000 claims. Past 64, the shards grow.
MOST_SMALL_SHARDS = 64
# The preview's shards are small (Pagefind needs about 200 MB for 250 pages),
# and an edit touches several (the claim's page, its claimant's, topics' and
# related claims'): two at once.
PREVIEW_SHARD_WORKERS = 2
# Shards indexed at once. Each Pagefind keeps about 1.4 of the 2 cores busy,
# so two at once gain little time and double the memory.
SHARD_WORKERS = 1
SHARD_PREFIX = "shard-"
# A sharded index's pagefind/pagefind.js: Pagefind's API over all shards merged.
MERGING_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "search_shards.js")
# What the search page loads from pagefind/ itself besides pagefind.js.
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")
# A sharded index's routing table (search_shards.js reads it): each word of
# the index with the shards holding it, in chunks of about this many bytes
# before compression (Pagefind's own index chunks are about 25 KB compressed).
ROUTE_FOLDER = "route"
ROUTE_CHUNK_BYTES = 48_000
# Each shard's words, one a line, written beside its index when it is built,
# so that re-indexing some shards rebuilds the routing table from the rest
# without decoding their index again.
WORDS_FILE = "pagefind-words.txt.gz"
# Languages whose words a query cannot be routed by: the router takes a
# query word's first half to be the start of every word it matches, which
# holds where Pagefind's stemmer only trims endings (or there is none) and
# words are spaced. Arabic's stemmer also strips prefixes; Greek's and
# Tamil's rules were not checked; the others are written without spaces.
UNROUTED_LANGUAGES = frozenset({"ar", "el", "ta", "zh", "ja", "ko", "th", "lo", "km", "my"})

# Peak RSS in bytes, for `build -v`, from the last index_folder() call:
# "workers" the largest child before Pagefind started (the forked validation
# and render workers), "pagefind" the largest Pagefind process.
last_peaks: dict[str, int] = {}
# One entry a Pagefind run of the last indexing: its shard (None: unsharded),
# pages, peak RSS in bytes and seconds, for the benchmark.
last_runs: list[dict] = []


class SearchIndexFailed(Exception):
    pass


def shard_cache(site_root: str) -> cache.FolderCache:
    """Indexed shards by their pages: an index is a pure function of the pages' bytes, its language and Pagefind.

    A shard's index is most of a warm build's time (30 of 51 s at 10,000
    claims), and a shard whose pages are all unchanged has the same index,
    so it is kept whole (with its words, for the routing table) under a key
    made of every page's path and indexed_digest, the language, this module
    (the flags Pagefind is run with) and Pagefind's version. Keyed by what
    Pagefind reads, not by the pages' bytes, an edit of one claim indexes
    its own page's shard again, not those of every page that lists it.
    """
    return cache.FolderCache(site_root, "search", cache.code_version(("search.py",), ("pagefind_bin",)))


def record_pages(site_dir: str) -> list[str]:
    """The pages the index holds, as paths below `site_dir`, in a stable order."""
    pages = []
    for kind in RECORD_FOLDERS:
        folder = os.path.join(site_dir, kind)
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        pages.extend(
            f"{kind}/{name}/index.html" for name in names if os.path.isfile(os.path.join(folder, name, "index.html"))
        )
    return pages


def shard_count(page_count: int, shard_pages: int | None = None) -> int:
    """The number of shards for an archive of `page_count` record pages (1: one unsharded index).

    Shards smaller than SHARD_PAGES (the preview's) are never more than
    MOST_SMALL_SHARDS: past that, they grow with the archive instead.
    """
    count = max(1, -(-page_count // (shard_pages or SHARD_PAGES)))
    if shard_pages is None or shard_pages >= SHARD_PAGES:
        return count
    return min(count, max(MOST_SMALL_SHARDS, shard_count(page_count)))


def shard_of(relpath: str, shards: int) -> int:
    """The shard of a record page, by its path alone.

    Lamping and Veach's jump consistent hash of the path's hash: evenly
    spread, and when the archive grows by one shard, pages only ever move
    to the new shard (a 1/shards share of them), never between old ones.
    """
    key = int.from_bytes(hashlib.sha256(relpath.encode("utf-8")).digest()[:8], "big")
    shard, candidate = -1, 0
    while candidate < shards:
        shard = candidate
        key = (key * 2862933555777941757 + 1) & 0xFFFFFFFFFFFFFFFF
        candidate = int((shard + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return shard


def shard_name(shard: int) -> str:
    return f"{SHARD_PREFIX}{shard:04d}"


def index_folder(site_dir: str, language: str, index_dir: str | None = None, shard_pages: int | None = None) -> int:
    """Index the record pages under `site_dir` into `index_dir` (default `site_dir/pagefind/`); the page count."""
    return Indexing(site_dir, language, index_dir, shard_pages=shard_pages).wait()


class Indexing:
    """Pagefind at work on a written folder, while the build does what the index does not need.

    Only record pages carry data-pagefind-body; naming them spares Pagefind
    from parsing every index page, feed and list for nothing. Pagefind keeps
    about 1.4 of 2 cores busy, so the build draws share images meanwhile.

    A sharded index is indexed shard by shard, each from a folder of hard
    links to its pages (Pagefind takes one glob, and a list of thousands of
    paths overflows a command line), into `index_dir/shard-NNNN/`. `shards`
    limits the run to those shards, each written to `.shard-NNNN-new/` for
    the caller to swap in (SearchRefresh).

    With a `shard_cache`, a shard (or the one index) whose pages read as
    those of an earlier build (indexed_view) is copied from it rather than
    indexed, and each index made is kept there.
    """

    def __init__(
        self,
        site_dir: str,
        language: str,
        index_dir: str | None = None,
        shards: set[int] | None = None,
        count: int | None = None,
        shard_pages: int | None = None,
        workers: int = SHARD_WORKERS,
        pages: list[str] | None = None,
        keep_links: bool = False,
        shard_cache: cache.FolderCache | None = None,
    ) -> None:
        self.site_dir = os.path.abspath(site_dir)
        self.index_dir = os.path.abspath(index_dir or os.path.join(self.site_dir, INDEX_FOLDER))
        self.language = language
        self._executable = get_executable()
        if self._executable is None:
            raise SearchIndexFailed(
                "the search index could not be built: Pagefind's binary is missing; run `make build` to install it"
            )
        self._only, self._count, self._shard_pages = shards, count, shard_pages
        self._workers, self._pages = workers, pages  # `pages`: record_pages(site_dir), if the caller has them
        self._work = os.path.join(self.site_dir, f".{INDEX_FOLDER}-work")
        # `keep_links` (the preview, whose folder lives on): each shard's folder of links is kept
        # between runs, its links symbolic so that a page replaced by a rename is still the one
        # linked. Making 250 links and removing them took 0.4 + 0.9 s of an edit's index at
        # 1,000 claims: each of their system calls hands the interpreter to the thread writing
        # the site-wide pages, and waits up to 5 ms to have it back.
        self._keep = keep_links
        self._runs: list[_Run] = []
        self._cache = shard_cache
        self._keys: dict[str, str] = {}  # output folder -> the cache key of its pages, for a run to keep its index
        self._restored: list[str] = []  # output folders copied from the cache
        self._lock = threading.Lock()
        self._cancelled = False
        self._error: BaseException | None = None
        last_peaks.clear()
        last_runs.clear()
        self._workers_peak = _children_peak()
        # Bringing kept folders up to date is a few directory listings: done here, in the caller's
        # thread, before it goes on to other work (the thread below would wait on it for each).
        self._planned: list | None = None
        if self._keep and shards is not None:
            try:
                self._planned = self._plan()
            except BaseException as exc:  # noqa: BLE001 (raised by wait(), as the thread's errors are)
                self._error = exc
        self._thread = threading.Thread(target=self._drive, name="search index", daemon=True)
        self._thread.start()

    def _plan(self) -> list[tuple[int | None, str, str]]:
        """(shard, folder to index, folder to write) for every Pagefind run."""
        pages = record_pages(self.site_dir) if self._pages is None else self._pages
        if self._count is None:
            self._count = shard_count(len(pages), self._shard_pages)
        if self._count == 1:
            return [] if self._from_cache(pages, self.index_dir) else [(None, self.site_dir, self.index_dir)]
        wanted = set(range(self._count)) if self._only is None else self._only
        by_shard: dict[int, list[str]] = {shard: [] for shard in wanted}
        for relpath in pages:
            shard = shard_of(relpath, self._count)
            if shard in by_shard:
                by_shard[shard].append(relpath)
        plan = []
        for shard in sorted(wanted):
            site = os.path.join(self._work, shard_name(shard))
            out = os.path.join(self.index_dir, shard_name(shard) if self._only is None else f".{shard_name(shard)}-new")
            shutil.rmtree(out, ignore_errors=True)
            if self._from_cache(by_shard[shard], out):
                del by_shard[shard]  # no links to make: Pagefind does not run
            else:
                plan.append((shard, site, out))
        if self._keep:
            try:
                if self._only is None:  # every shard's links made afresh (the shard count may have moved)
                    shutil.rmtree(self._work, ignore_errors=True)
                for shard, relpaths in by_shard.items():
                    _keep_links(self.site_dir, os.path.join(self._work, shard_name(shard)), relpaths)
                return plan
            except OSError:  # no symbolic links here: links made for this run alone
                self._keep = False
        shutil.rmtree(self._work, ignore_errors=True)
        for shard, relpaths in by_shard.items():
            os.makedirs(os.path.join(self._work, shard_name(shard)))
            for relpath in relpaths:
                _link(os.path.join(self.site_dir, relpath), os.path.join(self._work, shard_name(shard), relpath))
        return plan

    def _from_cache(self, relpaths: list[str], out: str) -> bool:
        """Whether the index of `relpaths` was copied from the cache into `out`; if not, its key is noted for later."""
        if self._cache is None:
            return False
        parts: list = [self.language]
        for relpath in relpaths:
            with open(os.path.join(self.site_dir, relpath), "rb") as f:
                parts += [relpath, indexed_digest(f.read())]
        key = self._cache.key(*parts)
        if self._cache.restore(key, out):
            self._restored.append(out)
            return True
        self._keys[out] = key
        return False

    def _drive(self) -> None:
        try:
            if self._error is not None:
                raise self._error
            pending = self._planned if self._planned is not None else self._plan()
            running: list[_Run] = []
            while pending or running:
                with self._lock:
                    if self._cancelled:
                        return
                    while pending and len(running) < self._workers:
                        shard, site, out = pending.pop(0)
                        run = _Run(self._executable, site, out, self.language, shard)
                        running.append(run)
                        self._runs.append(run)
                done = _wait_any(running)
                running.remove(done)
                failure = done.failure()
                if failure:
                    raise SearchIndexFailed(failure)
                if done.shard is not None:
                    if not self._keep:
                        # Its links, while the next shard indexes: removing 16,000 takes 8 s here.
                        shutil.rmtree(done.site, ignore_errors=True)
                    write_words(done.out)
                if done.out in self._keys:
                    self._cache.store(self._keys[done.out], done.out)
        except BaseException as exc:  # noqa: BLE001 (handed to wait(), in the build's thread)
            self._error = exc

    def wait(self) -> int:
        """The number of pages indexed, once Pagefind has written everything."""
        self._thread.join()
        # Every worker the build forked has been waited for by now, and no Pagefind
        # yet (their exits are only noticed, not collected, until here).
        last_peaks["workers"] = max(self._workers_peak, _children_peak())
        for run in self._runs:
            run.collect()
        if self._runs:
            last_peaks["pagefind"] = max(run.peak for run in self._runs)
        last_runs.extend(
            {"shard": run.shard, "pages": run.pages, "peak": run.peak, "seconds": run.seconds} for run in self._runs
        )
        if not self._keep:
            shutil.rmtree(self._work, ignore_errors=True)
        if self._error is not None:
            if isinstance(self._error, SearchIndexFailed):
                raise self._error
            raise SearchIndexFailed(f"the search index could not be built: {self._error}") from self._error
        count = sum(_page_count(out) for out in [run.out for run in self._runs] + self._restored)
        if self._only is None:
            self._finish_bundle()
        return count

    def _finish_bundle(self) -> None:
        """A sharded index's pagefind/ itself: the UI the search page loads and the script that merges the shards."""
        if self._count == 1:
            return
        shards = [shard_name(shard) for shard in range(self._count)]
        for name in UI_FILES:
            shutil.copyfile(os.path.join(self.index_dir, shards[0], name), os.path.join(self.index_dir, name))
        write_merging_script(self.index_dir, shards, self.language, {} if self._keep else None)

    def cancel(self) -> None:
        """Stop Pagefind: the build failed while it was indexing."""
        with self._lock:
            self._cancelled = True
            for run in self._runs:
                run.kill()
        self._thread.join()
        for run in self._runs:
            run.collect()
        if self._keep and self._planned is not None:  # made whole before any Pagefind started
            for _shard, _site, out in self._planned:
                shutil.rmtree(out, ignore_errors=True)
        else:  # kept links may be half made: the next run makes them afresh
            shutil.rmtree(self._work, ignore_errors=True)


@dataclasses.dataclass
class _Merged:
    """What write_merging_script read of a live index's shards, kept for the next call (the preview's)."""

    shards: list[str]
    masks: dict[str, int]  # the routing table: word -> the shards holding it
    filters: dict[str, list[str]]  # shard -> its filters' names
    script: tuple[int, int]  # the pagefind.js written then (inode, time): the index it describes


# Index folder -> what its last merging script was made from. At 10,000 claims the preview's
# 64 shards held 330,000 words: read again after each edit, with every shard's page list for
# the filters' names, while the site-wide pages were being written.
_merged: dict[str, _Merged] = {}


def write_merging_script(
    index_dir: str, shards: list[str], language: str, changed: dict[str, list[str]] | None = None
) -> None:
    """pagefind/pagefind.js: Pagefind's API over `shards`, the first one the primary index, with its routing table.

    `changed` (the preview's, which keeps what it reads for the next call):
    the shards indexed again since the last call on this folder, each with
    the words it held before; the others are not read again. None: every
    shard is read and nothing kept. {}: every shard read, and kept.
    """
    script_path = os.path.join(index_dir, "pagefind.js")
    key = os.path.abspath(index_dir)
    last = _merged.pop(key, None)
    if changed is None or last is None or last.shards != shards or _stamp(script_path) != last.script:
        last = None  # another index than the one remembered (or none): every shard read
    routed = language.split("-")[0].lower() not in UNROUTED_LANGUAGES
    masks = _masks(index_dir, shards, last, changed) if routed else {}
    routes = write_routes(index_dir, shards, masks) if routed else []
    if not routed:
        shutil.rmtree(os.path.join(index_dir, ROUTE_FOLDER), ignore_errors=True)
    filters = {
        shard: last.filters[shard] if last and shard not in changed else _filters(os.path.join(index_dir, shard))
        for shard in shards
    }
    with open(MERGING_SCRIPT, encoding="utf-8") as f:
        script = f.read()
    script = (
        script.replace('"./SHARD0/', json.dumps(f"./{shards[0]}/")[:-1])
        .replace('["SHARDS"]', json.dumps(shards))
        .replace('["FILTERS"]', json.dumps(_ordered_filters(filters, shards), ensure_ascii=False))
        .replace('["ROUTES"]', json.dumps(routes, ensure_ascii=False))
    )
    # Whole or not at all: a search page loading it meanwhile gets the old one or this one.
    writing = os.path.join(index_dir, ".pagefind.js-new")
    with open(writing, "w", encoding="utf-8") as f:
        f.write(script)
    os.replace(writing, script_path)
    if changed is not None:
        _merged[key] = _Merged(shards, masks, filters, _stamp(script_path))


def _masks(index_dir: str, shards: list[str], last: _Merged | None, changed: dict[str, list[str]] | None):
    """Word -> mask of the shards holding it: the last call's, with the `changed` shards' words updated."""
    if last is None:
        masks: dict[str, int] = {}
        for number, shard in enumerate(shards):
            bit = 1 << number
            for word in _words(os.path.join(index_dir, shard)):
                masks[word] = masks.get(word, 0) | bit
        return masks
    masks = last.masks
    for shard, before in changed.items():
        bit = 1 << shards.index(shard)
        now = set(_words(os.path.join(index_dir, shard)))
        for word in set(before) - now:
            mask = masks.pop(word, 0) & ~bit
            if mask:
                masks[word] = mask
        for word in now:
            masks[word] = masks.get(word, 0) | bit
    return masks


def _stamp(path: str) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0)
    return (stat.st_ino, stat.st_mtime_ns)


def moved_index(old_dir: str, new_dir: str) -> None:
    """The index folder `old_dir` was renamed `new_dir`: what its merging script was made from goes with it."""
    remembered = _merged.pop(os.path.abspath(old_dir), None)
    if remembered is not None:
        _merged[os.path.abspath(new_dir)] = remembered


def _decoded(path: str):
    """A Pagefind file's content: gzip, a signature, then CBOR."""
    with open(path, "rb") as f:
        data = gzip.decompress(f.read())
    if data.startswith(b"pagefind_dcd"):
        data = data[len(b"pagefind_dcd") :]
    return cbor2.loads(data)


def _meta(shard_dir: str) -> list:
    """A shard's pf_meta: [version, pages, index chunks, filters, sorts, meta fields] in Pagefind 1.5."""
    names = [name for name in os.listdir(shard_dir) if name.endswith(".pf_meta")]
    if len(names) != 1:
        raise SearchIndexFailed(f"the search index was written incompletely ({shard_dir}: {len(names)} pf_meta files)")
    return _decoded(os.path.join(shard_dir, names[0]))


def write_words(shard_dir: str) -> None:
    """The words a shard's index holds (Pagefind's stems, as a query matches them), into WORDS_FILE."""
    words = set()
    # Decoding makes many small objects; a collection meanwhile would scan the whole library a build holds.
    with frozen():
        for name in os.listdir(os.path.join(shard_dir, "index")):
            if name.endswith(".pf_index"):
                # WordIndex {words: [PackedWord [word, pages, ...], ...]}
                words.update(entry[0] for entry in _decoded(os.path.join(shard_dir, "index", name))[0])
    # No time in the header (gzip.open writes one): a rebuild writes the same bytes.
    data = gzip.compress("\n".join(sorted(words)).encode("utf-8"), compresslevel=1, mtime=0)
    with open(os.path.join(shard_dir, WORDS_FILE), "wb") as f:
        f.write(data)


def _words(shard_dir: str) -> list[str]:
    path = os.path.join(shard_dir, WORDS_FILE)
    if not os.path.isfile(path):  # an index from before the routing table
        write_words(shard_dir)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [word for word in f.read().split("\n") if word]


def _code_units(word: str) -> bytes:
    # JavaScript compares strings by UTF-16 code units, not code points.
    return word.encode("utf-16-be")


def write_routes(index_dir: str, shards: list[str], masks: dict[str, int] | None = None) -> list[list[str]]:
    """route/*.pf_route: every word with a hexadecimal mask of the shards holding it; [first word, file] a chunk.

    Files are named by their content's hash, so a browser holding an older
    pagefind.js asks for files that are gone and searches every shard,
    rather than routing by a table that no longer matches the shards.
    `masks`: word -> mask, if the caller has them.
    """
    if masks is None:
        masks = _masks(index_dir, shards, None, None)
    fresh = os.path.join(index_dir, f".{ROUTE_FOLDER}-new")
    shutil.rmtree(fresh, ignore_errors=True)
    os.makedirs(fresh)
    routes, lines, size = [], [], 0

    def flush() -> None:
        data = gzip.compress("\n".join(lines).encode("utf-8"), compresslevel=9, mtime=0)
        name = hashlib.sha256(data).hexdigest()[:12]
        with open(os.path.join(fresh, f"{name}.pf_route"), "wb") as f:
            f.write(data)
        routes.append([lines[0].split("\t", 1)[0], name])

    for word in sorted(masks, key=_code_units):
        line = f"{word}\t{masks[word]:x}"
        lines.append(line)
        size += len(line) + 1
        if size >= ROUTE_CHUNK_BYTES:
            flush()
            lines, size = [], 0
    if lines:
        flush()
    if routes:
        routes[0][0] = ""  # the first chunk also holds whatever sorts before its first word
    _put_in_place(fresh, os.path.join(index_dir, ROUTE_FOLDER))
    return routes


def _put_in_place(fresh: str, live: str) -> None:
    """The folder `fresh` swapped in as `live` (or moved there), the old content gone."""
    if os.path.isdir(live):
        swap_folders(fresh, live)
        shutil.rmtree(fresh, ignore_errors=True)
    else:
        os.rename(fresh, live)


def filter_names(index_dir: str, shards: list[str]) -> list[str]:
    """The filters of all shards, in the order the pages name them (the first shard's first)."""
    return _ordered_filters({shard: _filters(os.path.join(index_dir, shard)) for shard in shards}, shards)


def _filters(shard_dir: str) -> list[str]:
    return [name for name, _hash in _meta(shard_dir)[3]]


def _ordered_filters(filters: dict[str, list[str]], shards: list[str]) -> list[str]:
    names: list[str] = []
    for shard in shards:
        for name in filters[shard]:
            if name not in names:
                names.append(name)
    return names


class _Run:
    """One Pagefind process over one folder."""

    def __init__(self, executable, site: str, out: str, language: str, shard: int | None) -> None:
        self.site, self.out, self.shard = site, out, shard
        self.pages = 0
        self.peak = 0
        self.own_peak = 0  # bytes, the highest VmHWM sampled
        self.seconds = 0.0
        self.returncode: int | None = None
        self._exited = False
        self._collected = False
        self._started = time.perf_counter()
        # One index in the site's language: by default Pagefind splits pages by their
        # <html lang> and a search page loads only its own language's index, so a
        # claim in English on a Dari site would never be found.
        command = [
            str(executable),
            "--site",
            site,
            "--output-path",
            out,
            "--glob",
            RECORD_PAGES,
            "--force-language",
            language,
        ]
        # Output goes to files, not pipes, so Pagefind never blocks on a full pipe while nobody reads.
        self._out, self._err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                command, stdout=self._out, stderr=self._err, preexec_fn=functools.partial(die_with_parent, os.getpid())
            )
        except OSError as exc:
            self._close()
            raise SearchIndexFailed(f"the search index could not be built: {exc}") from None
        self._timer = threading.Timer(TIMEOUT, self.process.kill)
        self._timer.start()

    def exited(self, block: bool) -> bool:
        """Whether Pagefind has ended, noticed without collecting it (so it counts in no one's RUSAGE_CHILDREN yet)."""
        if not self._exited:
            flags = os.WEXITED | os.WNOWAIT | (0 if block else os.WNOHANG)
            info = os.waitid(os.P_PID, self.process.pid, flags)
            if info is not None and info.si_pid:
                self._exited = True
                self.seconds = time.perf_counter() - self._started
                self.returncode = info.si_status if info.si_code == os.CLD_EXITED else -info.si_status
        return self._exited

    def sample_peak(self) -> None:
        """Pagefind's own peak RSS so far, read from /proc while it runs.

        Its rusage cannot tell it: Linux carries the build's peak at the fork
        into the child's, so at 100,000 claims every shard read as the main
        process's 2.7 GB whatever it used itself.
        """
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        self.own_peak = max(self.own_peak, int(line.split()[1]) * 1024)
                        return
        except (OSError, ValueError):
            pass  # not Linux, or already gone

    def collect(self) -> None:
        """Reap Pagefind, reading its own peak RSS (os.wait4 rather than Popen.wait returns its rusage)."""
        if self._collected:
            return
        self._collected = True
        try:
            _, status, usage = os.wait4(self.process.pid, 0)
            self.process.returncode = os.waitstatus_to_exitcode(status)
            # rusage's figure, never below the build's own peak at the fork, where /proc was not read.
            self.peak = self.own_peak or usage.ru_maxrss * _RSS_UNIT
        except ChildProcessError:
            pass
        self._timer.cancel()
        self._close()

    def failure(self) -> str | None:
        """Why this run failed, or None, once it has exited."""
        timed_out = self._timer.finished.is_set()
        self._timer.cancel()
        self._out.seek(0)
        self._err.seek(0)
        stdout, stderr = (f.read().decode("utf-8", "replace") for f in (self._out, self._err))
        self._close()
        if timed_out:
            return f"the search index could not be built: Pagefind took over {TIMEOUT} s"
        if self.returncode != 0:
            detail = (stderr or stdout).strip().splitlines()[-3:]
            return f"the search index could not be built (Pagefind exited {self.returncode}): {' '.join(detail)}"
        self.pages = _page_count(self.out)
        return None

    def kill(self) -> None:
        if not self._collected and not self._exited:
            self.process.kill()

    def _close(self) -> None:
        self._out.close()
        self._err.close()


def _wait_any(running: list[_Run]) -> _Run:
    """The first of the running Pagefinds to end, their memory read meanwhile."""
    while True:
        for run in running:
            run.sample_peak()
            if run.exited(block=False):
                return run
        time.sleep(0.05)


def _link(source: str, target: str) -> None:
    """`target` made the same file as `source`: a hard link, or a copy where links are refused."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _keep_links(site_dir: str, folder: str, relpaths: list[str]) -> None:
    """`folder` made to hold a symbolic link to each of `relpaths` under `site_dir`, and nothing else.

    Links already there are kept: each names its page by its path, so it
    stays right however often the page is rewritten. A link is made in a
    hidden folder renamed into place, so a link folder is there whole or not
    at all, and a listing is all it takes to know which pages it holds.
    """
    os.makedirs(folder, exist_ok=True)
    held = set()
    for kind in _names(folder):
        for name in _names(os.path.join(folder, kind)):
            if name.startswith("."):  # half made when a run was stopped
                shutil.rmtree(os.path.join(folder, kind, name), ignore_errors=True)
            else:
                held.add(f"{kind}/{name}/index.html")
    wanted = set(relpaths)
    for relpath in held - wanted:
        shutil.rmtree(os.path.join(folder, os.path.dirname(relpath)), ignore_errors=True)
    # folder/kind/name/index.html -> ../../ + (folder to site_dir) + relpath
    up = os.path.join(os.pardir, os.pardir, os.path.relpath(site_dir, folder))
    for relpath in sorted(wanted - held):
        kind, name, filename = relpath.split("/")
        making = os.path.join(folder, kind, f".{name}")
        shutil.rmtree(making, ignore_errors=True)
        os.makedirs(making)
        os.symlink(os.path.join(up, relpath), os.path.join(making, filename))
        os.rename(making, os.path.join(folder, kind, name))


def _names(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def _children_peak() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * _RSS_UNIT


class SearchRefresh:
    """The live folder's index brought up to date: begun on creation, finished by wait().

    Given the output paths a rebuild `changed`, only the shards holding
    them are indexed again, each swapped in whole, while the others keep
    answering; otherwise (or when the shard count moved) the whole index is
    indexed afresh and swapped in whole. `shard_pages`: as SHARD_PAGES,
    the same in every call on one folder. The preview begins it as soon as
    an edit's record pages are written, so that Pagefind indexes their
    shards while the site-wide pages are made (seconds at 10,000 claims);
    nothing it reads is written meanwhile.
    """

    def __init__(
        self,
        out_dir: str,
        language: str,
        changed: Iterable[str] | None = None,
        shard_pages: int | None = None,
        workers: int = SHARD_WORKERS,
        swap_early: bool = False,
        keep_links: bool = False,
        swapped: Callable[[], None] | None = None,
    ) -> None:
        self.started = self.finished = time.perf_counter()
        self.live = os.path.join(out_dir, INDEX_FOLDER)
        # `swap_early`: swapped in as soon as Pagefind is done, on a thread of its own, not when wait()
        # is called: the preview's site-wide pages take longer than an edit's shard.
        self._swapper: threading.Thread | None = None
        self._cancelled = False
        self._result: int | BaseException = 0
        self._keep_links = keep_links  # Indexing's: the folder lives on, its shards' links are kept
        self._swapped = swapped  # called once the fresh index answers (the preview reloads /search/)
        self._begin(out_dir, language, changed, shard_pages, workers)
        if swap_early:
            self._swapper = threading.Thread(target=self._swap_early, name="search swap", daemon=True)
            self._swapper.start()

    def _begin(self, out_dir, language, changed, shard_pages, workers) -> None:
        self._language = language
        self._touched: set[int] = set()
        self._fresh: str | None = None
        self._indexing: Indexing | None = None
        if changed is not None and os.path.isdir(self.live):
            pages = record_pages(out_dir)
            count = shard_count(len(pages), shard_pages)
            if count > 1 and _live_shards(self.live) == [shard_name(shard) for shard in range(count)]:
                self._touched = {shard_of(relpath, count) for relpath in changed if is_record_page(relpath)}
                if self._touched:
                    self._indexing = Indexing(
                        out_dir,
                        language,
                        self.live,
                        shards=self._touched,
                        count=count,
                        workers=workers,
                        pages=pages,
                        keep_links=self._keep_links,
                    )
                return
        self._fresh = os.path.join(out_dir, f".{INDEX_FOLDER}-new")
        shutil.rmtree(self._fresh, ignore_errors=True)
        self._indexing = Indexing(
            out_dir, language, self._fresh, shard_pages=shard_pages, workers=workers, keep_links=self._keep_links
        )

    def wait(self) -> int:
        """Once indexed, the fresh shards (or the whole fresh index) swapped in; the pages the index holds."""
        if self._swapper is None:
            return self._finish()
        self._swapper.join()
        if isinstance(self._result, BaseException):
            raise self._result
        return self._result

    def _swap_early(self) -> None:
        try:
            self._result = self._finish()
        except BaseException as exc:  # noqa: BLE001 (raised by wait(), in the caller's thread)
            self._result = exc

    def _finish(self) -> int:
        count = self._swap()
        self.finished = time.perf_counter()
        if self._swapped is not None and not self._cancelled:
            self._swapped()
        return count

    def _swap(self) -> int:
        if self._fresh is None:
            if self._indexing is not None:
                self._indexing.wait()
            if self._cancelled:
                return 0
            # The preview's: the words the shards held before, so that the routing table is updated, not remade.
            before = (
                {shard_name(shard): self._words_before(shard) for shard in self._touched} if self._keep_links else None
            )
            for shard in sorted(self._touched):
                fresh = os.path.join(self.live, f".{shard_name(shard)}-new")
                swap_folders(fresh, os.path.join(self.live, shard_name(shard)))
                shutil.rmtree(fresh, ignore_errors=True)
            if self._touched:  # the routing table and the filters' names follow the shards' new words
                write_merging_script(self.live, _live_shards(self.live), self._language, before)
            return sum(_page_count(os.path.join(self.live, name)) for name in _live_shards(self.live))
        count = self._indexing.wait()
        if self._cancelled:
            return 0
        if os.path.isdir(self.live):
            swap_folders(self._fresh, self.live)
            shutil.rmtree(self._fresh, ignore_errors=True)
        else:
            os.rename(self._fresh, self.live)
        moved_index(self._fresh, self.live)
        return count

    def _words_before(self, shard: int) -> list[str]:
        try:
            return _words(os.path.join(self.live, shard_name(shard)))
        except OSError:  # no such shard yet: it held nothing
            return []

    def cancel(self) -> None:
        self._cancelled = True
        if self._indexing is not None:
            self._indexing.cancel()
        if self._swapper is not None:
            self._swapper.join()


# An element Pagefind is told to leave out, and the tags that open or close one of its name.
_IGNORED = re.compile(rb"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-pagefind-ignore\b[^>]*>")


@functools.cache
def _same_tag(tag: bytes) -> re.Pattern:
    return re.compile(rb"<(/?)" + re.escape(tag) + rb"[\s>/]", re.IGNORECASE)


def indexed_view(html: bytes) -> bytes:
    """The page less what Pagefind does not read of it: equal views, equal index entries.

    The `data-pagefind-ignore` elements go (the lists of claims on a claim's,
    person's or topic's page, which an edit of another claim changes),
    unless one holds another Pagefind attribute (a filter or meta is read
    even there), an image (a page's image is its first) or an id (an
    anchor). Our templates write well-formed HTML, so an element ends at
    the closing tag that balances it; one that does not is kept whole. Text
    search, not an HTML parser: a tenth of lxml's time (0.13 ms a claim page),
    which lets a build look at every searched page.
    """
    kept, at, cut = [], 0, 0
    while (start := _IGNORED.search(html, at)) is not None:
        tags, depth, scan = _same_tag(start.group(1)), 1, start.end()
        while depth and (found := tags.search(html, scan)) is not None:
            depth += -1 if found.group(1) else 1
            scan = found.end()
        end = html.find(b">", scan - 1) + 1 if depth == 0 else 0
        region = html[start.start() : end]
        if not end or region.count(b"data-pagefind-") > 1 or b"<img" in region or b" id=" in region:
            at = start.end()
            continue
        kept.append(html[cut : start.start()])
        at = cut = end
    kept.append(html[cut:])
    return b"".join(kept)


def indexed_digest(html: bytes) -> bytes:
    """A digest of what Pagefind reads of a page (indexed_view)."""
    return digest(indexed_view(html))


def is_record_page(relpath: str) -> bool:
    """Whether the output path is a page the index holds (RECORD_PAGES)."""
    parts = relpath.split("/")
    return len(parts) == 3 and parts[0] in RECORD_FOLDERS and parts[2] == "index.html"


def _live_shards(index_dir: str) -> list[str]:
    return sorted(name for name in os.listdir(index_dir) if name.startswith(SHARD_PREFIX))


def peak_memory() -> dict[str, int]:
    """Peak RSS in bytes of this process ("main"), of its largest forked worker and of Pagefind, as measured."""
    peaks = {"main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * _RSS_UNIT}
    workers = last_peaks.get("workers", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * _RSS_UNIT)
    if workers:
        peaks["workers"] = workers
    if "pagefind" in last_peaks:
        peaks["pagefind"] = last_peaks["pagefind"]
    return peaks


def _page_count(index_dir: str) -> int:
    try:
        with open(os.path.join(index_dir, ENTRY_FILE), encoding="utf-8") as f:
            entry = json.load(f)
        return sum(language["page_count"] for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SearchIndexFailed(f"the search index was written incompletely ({ENTRY_FILE}: {exc})") from None

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

import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading

from pagefind.service import get_executable

from .pages import searched_folders
from .parallel import die_with_parent
from .writer import swap_folders

INDEX_FOLDER = "pagefind"
RECORD_PAGES = "{" + ",".join(searched_folders()) + "}/*/index.html"  # the families' record pages; see Indexing
ENTRY_FILE = "pagefind-entry.json"
TIMEOUT = 3600  # seconds
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is in KiB on Linux, bytes on macOS

# Peak RSS in bytes, for `build -v`, from the last index_folder() call:
# "workers" the largest child before Pagefind started (the forked validation
# and render workers), "pagefind" Pagefind's own.
last_peaks: dict[str, int] = {}


class SearchIndexFailed(Exception):
    pass


def index_folder(site_dir: str, language: str, index_dir: str | None = None) -> int:
    """Index the record pages under `site_dir` into `index_dir` (default `site_dir/pagefind/`); the page count."""
    return Indexing(site_dir, language, index_dir).wait()


class Indexing:
    """Pagefind at work on a written folder, while the build does what the index does not need.

    Only record pages carry data-pagefind-body; naming them spares Pagefind
    from parsing every index page, feed and list for nothing. Pagefind keeps
    about 1.4 of 2 cores busy, so the build draws share images meanwhile.
    """

    def __init__(self, site_dir: str, language: str, index_dir: str | None = None) -> None:
        site_dir = os.path.abspath(site_dir)
        self.index_dir = os.path.abspath(index_dir or os.path.join(site_dir, INDEX_FOLDER))
        executable = get_executable()
        if executable is None:
            raise SearchIndexFailed("the search index could not be built: Pagefind's binary is missing; run `make build` to install it")
        # One index in the site's language: by default Pagefind splits pages by their
        # <html lang> and a search page loads only its own language's index, so a
        # claim in English on a Dari site would never be found.
        command = [str(executable), "--site", site_dir, "--output-path", self.index_dir, "--glob", RECORD_PAGES,
                   "--force-language", language]
        last_peaks.clear()
        # Output goes to files, not pipes, so Pagefind never blocks on a full pipe while nobody reads.
        self._out, self._err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(command, stdout=self._out, stderr=self._err,
                                             preexec_fn=functools.partial(die_with_parent, os.getpid()))
        except OSError as exc:
            self._close()
            raise SearchIndexFailed(f"the search index could not be built: {exc}") from None
        self._timer = threading.Timer(TIMEOUT, self._process.kill)
        self._timer.start()

    def wait(self) -> int:
        """The number of pages indexed, once Pagefind has written everything."""
        # Every worker the build forked has been waited for by now, and Pagefind not yet.
        last_peaks["workers"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * _RSS_UNIT
        try:
            # os.wait4 rather than Popen.wait: it returns Pagefind's own rusage.
            # Linux carries this process's peak so far into the child's, so the figure is never below it.
            _, status, usage = os.wait4(self._process.pid, 0)
            timed_out = self._timer.finished.is_set()
            self._process.returncode = returncode = os.waitstatus_to_exitcode(status)
            last_peaks["pagefind"] = usage.ru_maxrss * _RSS_UNIT
            self._out.seek(0)
            self._err.seek(0)
            stdout, stderr = (f.read().decode("utf-8", "replace") for f in (self._out, self._err))
        finally:
            self._close()
        if timed_out:
            raise SearchIndexFailed(f"the search index could not be built: Pagefind took over {TIMEOUT} s")
        if returncode != 0:
            detail = (stderr or stdout).strip().splitlines()[-3:]
            raise SearchIndexFailed(f"the search index could not be built (Pagefind exited {returncode}): {' '.join(detail)}")
        return _page_count(self.index_dir)

    def cancel(self) -> None:
        """Stop Pagefind: the build failed while it was indexing."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._close()

    def _close(self) -> None:
        if hasattr(self, "_timer"):
            self._timer.cancel()
        self._out.close()
        self._err.close()


def refresh_search_index(out_dir: str, language: str) -> int:
    """Index the live folder into a fresh index folder, then swap it in whole."""
    fresh = os.path.join(out_dir, f".{INDEX_FOLDER}-new")
    shutil.rmtree(fresh, ignore_errors=True)
    count = index_folder(out_dir, language, fresh)
    live = os.path.join(out_dir, INDEX_FOLDER)
    if os.path.isdir(live):
        swap_folders(fresh, live)
        shutil.rmtree(fresh, ignore_errors=True)
    else:
        os.rename(fresh, live)
    return count


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

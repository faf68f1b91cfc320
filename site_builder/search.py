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

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading

from pagefind.service import get_executable

INDEX_FOLDER = "pagefind"
RECORD_PAGES = "{claims,sources,people,topics}/*/index.html"
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
    """Index the record pages under `site_dir` into `index_dir` (default `site_dir/pagefind/`).

    Only record pages carry data-pagefind-body; naming them spares Pagefind
    from parsing every index page, feed and list for nothing. Returns the
    number of pages indexed.
    """
    site_dir = os.path.abspath(site_dir)
    index_dir = os.path.abspath(index_dir or os.path.join(site_dir, INDEX_FOLDER))
    executable = get_executable()
    if executable is None:
        raise SearchIndexFailed("the search index could not be built: Pagefind's binary is missing; run `make build` to install it")
    # One index in the site's language: by default Pagefind splits pages by their
    # <html lang> and a search page loads only its own language's index, so a
    # claim in English on a Dari site would never be found.
    command = [str(executable), "--site", site_dir, "--output-path", index_dir, "--glob", RECORD_PAGES,
               "--force-language", language]
    last_peaks.clear()
    last_peaks["workers"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * _RSS_UNIT
    try:
        returncode, stdout, stderr, last_peaks["pagefind"] = _run(command)
    except OSError as exc:
        raise SearchIndexFailed(f"the search index could not be built: {exc}") from None
    if returncode != 0:
        detail = (stderr or stdout).strip().splitlines()[-3:]
        raise SearchIndexFailed(f"the search index could not be built (Pagefind exited {returncode}): {' '.join(detail)}")
    return _page_count(index_dir)


def _run(command: list[str]) -> tuple[int, str, str, int]:
    """Exit code, stdout, stderr and peak RSS of `command`, killed after TIMEOUT seconds.

    os.wait4 rather than subprocess.run: it returns the child's own rusage.
    Linux carries this process's peak so far into the child's (exec keeps
    the larger), so the figure is never below that.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
        timer = threading.Timer(TIMEOUT, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
            timed_out = timer.finished.is_set()
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        if timed_out:
            raise SearchIndexFailed(f"the search index could not be built: Pagefind took over {TIMEOUT} s")
        out.seek(0)
        err.seek(0)
        output = [f.read().decode("utf-8", "replace") for f in (out, err)]
    return process.returncode, *output, usage.ru_maxrss * _RSS_UNIT


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

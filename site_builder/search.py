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
import subprocess

from pagefind.service import get_executable

INDEX_FOLDER = "pagefind"
RECORD_PAGES = "{claims,sources,people,topics}/*/index.html"
ENTRY_FILE = "pagefind-entry.json"


class SearchIndexFailed(Exception):
    pass


def index_folder(site_dir: str, index_dir: str | None = None) -> int:
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
    command = [str(executable), "--site", site_dir, "--output-path", index_dir, "--glob", RECORD_PAGES]
    try:
        result = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace", timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexFailed(f"the search index could not be built: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise SearchIndexFailed(f"the search index could not be built (Pagefind exited {result.returncode}): {' '.join(detail)}")
    return _page_count(index_dir)


def _page_count(index_dir: str) -> int:
    try:
        with open(os.path.join(index_dir, ENTRY_FILE), encoding="utf-8") as f:
            entry = json.load(f)
        return sum(language["page_count"] for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SearchIndexFailed(f"the search index was written incompletely ({ENTRY_FILE}: {exc})") from None

"""The search index: Pagefind run in-process over the staged output.

Pagefind's `add_html_file` costs about 0.1 s per call whatever the page (its
service loop sleeps before reading each response), while `add_directory`
indexes thousands of written pages in about a second; so the build indexes
the finished staging folder, before it is swapped in.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os

from pagefind.index import IndexConfig, PagefindIndex

INDEX_FOLDER = "pagefind"
RECORD_PAGES = "{claims,sources,people,topics}/*/index.html"


class SearchIndexFailed(Exception):
    pass


def index_folder(site_dir: str, index_dir: str | None = None) -> int:
    """Index every page under `site_dir` into `index_dir` (default `site_dir/pagefind/`).

    Returns the number of pages indexed.
    """
    site_dir = os.path.abspath(site_dir)
    index_dir = os.path.abspath(index_dir or os.path.join(site_dir, INDEX_FOLDER))
    try:
        return _run_coroutine(_index(site_dir, index_dir))
    except SearchIndexFailed:
        raise
    except Exception as exc:  # noqa: BLE001 (the indexer is a subprocess; any failure is one message)
        raise SearchIndexFailed(f"the search index could not be built: {type(exc).__name__}: {exc}") from None


async def _index(site_dir: str, index_dir: str) -> int:
    config = IndexConfig(output_path=index_dir)
    async with PagefindIndex(config) as index:
        # Only record pages carry data-pagefind-body; naming them spares
        # Pagefind from parsing every index page, feed and list for nothing.
        result = await index.add_directory(path=site_dir, glob=RECORD_PAGES)
        if result.get("type") == "Error" or "page_count" not in result:
            raise SearchIndexFailed(f"the search index could not be built: {result}")
        return result["page_count"]


def _run_coroutine(coroutine):
    """asyncio.run, also when the caller's thread already runs an event loop (a test, a server)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

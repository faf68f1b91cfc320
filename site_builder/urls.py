"""Where each record is published, under the site's base path."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .model import KINDS

# The site-wide pages the build writes, by their folder: `page:<name>` links to
# them as to the archive's own pages, and no page of the archive may take their names.
SITE_PAGES = {
    "claims": "the list of all fact-checks",
    "sources": "the list of sources",
    "people": "the list of people and organisations",
    "topics": "the list of topics",
    "verdicts": "the verdict scale",
    "corrections": "the list of corrections",
    "search": "the search page",
}
# Every folder the build writes at the top of the site.
BUILT_IN_FOLDERS = {
    **SITE_PAGES,
    "assets": "the stylesheets, scripts and logo",
    "pagefind": "the search index",
    "data": "the archive's dataset",
    "media": "the content's images, resized",
}


def base_path_of(base_url: str) -> str:
    """`https://example.org/archive/` → `/archive/`: links work under any prefix."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


class Urls:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.base_path = base_path_of(self.base_url)

    def page(self, path: str = "") -> str:
        """Site-relative `path` ('' for home, 'claims/' ...) as a URL path."""
        return self.base_path + path

    def record(self, kind: str, slug: str, anchor: str | None = None) -> str:
        url = f"{self.base_path}{KINDS[kind]}/{slug}/"
        return f"{url}#{anchor}" if anchor else url

    def quote(self, source: str, quote_id: str) -> str:
        return self.record("source", source, quote_anchor(quote_id))

    def output_path(self, url_path: str) -> str:
        """A URL path made by this class, as the file's path in the output folder."""
        return url_path[len(self.base_path) :]

    def absolute(self, url_path: str) -> str:
        """A URL path made by this class, as the full URL for feeds and metadata."""
        return self.base_url + url_path[len(self.base_path) :]


def quote_anchor(quote_id: str) -> str:
    return f"quote-{quote_id}"


def output_file(kind_dir: str, slug: str) -> str:
    return f"{kind_dir}/{slug}/index.html"


def archived_file_output(source_slug: str, text_path: str) -> str:
    """Where a source's archived file is published: beside its page, under the file's own name.

    An HTML page gets `.txt` after its name, so that browsers show its markup
    as text: run as a page of this site, its scripts would run on the
    archive's own address. The bytes, and so the digest, are the file's.
    """
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text_path.replace("\\", "/").rsplit("/", 1)[-1]).lstrip(".-") or "archived"
    if name.lower().endswith((".html", ".htm")):
        name += ".txt"
    return f"{KINDS['source']}/{source_slug}/{name}"

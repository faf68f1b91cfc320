"""Reading a built site: its pages, parsed, and whether every internal link leads somewhere.

Shared by the tests of the reader's site (test_site.py) and of its trust
guarantees (test_trust_*.py).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html


def html_pages(site: Path) -> dict[str, lxml.html.HtmlElement]:
    """Every HTML page of a built site, by its path below the site."""
    return {path.relative_to(site).as_posix(): _parsed(path) for path in sorted(site.rglob("*.html"))}


LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action", "iframe": "src"}


def broken_links(site: Path, base_url: str) -> list[str]:
    """Every internal URL in every page that does not lead to a file (and, with a #, to that id).

    Internal URLs must be absolute paths under the base path: a relative link
    would break on the 404 page, which the server shows at any address.
    Pages are read twice, their ids then their links, rather than all held
    parsed: the bench checks sites of 17,000 pages with it (bench/sitecheck.py).
    """
    base_path = urlsplit(base_url).path
    paths = sorted(site.rglob("*.html"))
    ids = {path.relative_to(site).as_posix(): set(_parsed(path).xpath("//@id")) for path in paths}
    index_built = (site / "pagefind").is_dir()
    problems = []
    for path in paths:
        relpath = path.relative_to(site).as_posix()
        doc = _parsed(path)
        for element in doc.iter(*LINK_ATTRIBUTES):
            url = element.get(LINK_ATTRIBUTES[element.tag])
            if url is None:
                continue
            where = f"{relpath}: <{element.tag}> {url}"
            if url.startswith(base_url):
                url = base_path + url[len(base_url) :]
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "mailto"):
                continue  # another site's page
            if parts.scheme or parts.netloc:
                problems.append(f"{where}: unexpected scheme")
                continue
            if not parts.path:
                target = relpath
            elif not parts.path.startswith(base_path):
                problems.append(f"{where}: does not start with the base path {base_path}")
                continue
            else:
                target = unquote(parts.path[len(base_path) :])
                if target == "" or target.endswith("/"):
                    target += "index.html"
            if target.startswith("pagefind/") and not index_built:
                continue  # written by the indexer; test_search_browser.py checks it
            if not (site / target).is_file():
                problems.append(f"{where}: no file {target}")
            elif parts.fragment and unquote(parts.fragment) not in ids.get(target, ()):
                problems.append(f"{where}: no element with id '{unquote(parts.fragment)}' in {target}")
        canonical = doc.xpath("//link[@rel='canonical']/@href")
        if len(canonical) != 1 or not canonical[0].startswith(base_url):
            problems.append(f"{relpath}: canonical {canonical} is not one URL under {base_url}")
    return problems


def _parsed(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(path.read_text(encoding="utf-8"))

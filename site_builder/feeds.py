"""What feed readers and crawlers read: the Atom feed, the sitemap, robots.txt.

Every date comes from the content, never from the clock, so two builds of
the same archive write the same bytes.
"""

from __future__ import annotations

import datetime as dt
import heapq
import html
from collections.abc import Iterable
from dataclasses import dataclass

from .i18n import Interface
from .library import Library
from .urls import Urls


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str  # absolute; also the entry's permanent id
    title: str  # the claim
    lang: str  # its language
    verdict: str  # the verdict's label
    summary: str  # the verdict in one or two sentences, then its corrections' notes
    content: str | None  # the analysis as sanitized HTML and its corrections; None in a record's feed
    published: str  # RFC 3339
    updated: str  # RFC 3339: when it was last changed or corrected, whichever is later
    categories: tuple[str, ...]  # its topics' titles
    authors: tuple[tuple[str, str], ...] = ()  # v2: (name, absolute URL) of the staff who wrote it
    contributors: tuple[tuple[str, str], ...] = ()  # v2: (name, absolute URL) of the staff who edited it


@dataclass(frozen=True, slots=True)
class AtomFeed:
    url: str  # the site's home page: the feed's id and its alternate link
    self_url: str  # the feed's own address
    title: str  # the site's title
    subtitle: str | None  # the site's description
    lang: str  # the site's language
    author_name: str  # the publisher's name
    author_url: str  # the publisher's web address
    updated: str  # the newest entry's, so an unchanged archive gives an unchanged feed
    entries: tuple[FeedEntry, ...]  # every fact-check, the most recently changed first


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str  # the page's absolute address
    lastmod: str | None  # ISO date it last changed, when known


@dataclass(frozen=True, slots=True)
class Sitemap:
    entries: tuple[SitemapEntry, ...]  # every page worth a search engine's visit


@dataclass(frozen=True, slots=True)
class Robots:
    sitemap_url: str  # the sitemap's absolute address


FEED_ENTRIES = 50  # in the site's feed
RECORD_FEED_ENTRIES = 20  # in each topic's, claimant's, staff member's and verdict's


def atom_feed(
    lib: Library,
    urls: Urls,
    ui: Interface,
    claims: Iterable[str] | None = None,
    title: str | None = None,
    self_path: str | None = None,
    alternate: str | None = None,
) -> AtomFeed:
    """The most recently published or changed fact-checks, newest first.

    v2: `claims` (slugs) narrows it to one topic's, claimant's, staff member's or
    verdict's, published at `self_path` and standing for the page `alternate`.
    """
    chosen = lib.claims.values() if claims is None else [lib.claims[slug] for slug in claims]
    # Readers poll feeds often; the newest changes are what they need, and an
    # archive of ten thousand claims would otherwise make a 50 MB feed. A
    # topic's, claimant's or staff member's feed is one of hundreds: shorter.
    limit = FEED_ENTRIES if claims is None else RECORD_FEED_ENTRIES
    # The site's feed carries each analysis whole; a record's feed carries the verdict and summary
    # and links to the page: the analysis made 80% of its bytes (4.5 of 5.5 KB an entry), and a
    # 10,000-claim archive has hundreds of such feeds, each repeating the claims of the others.
    full = claims is None

    def updated(claim) -> str:  # a correction is an update readers of the feed should see again
        return _timestamp(max([claim.updated or claim.reviewed, *(c.date for c in claim.corrections)]))

    def staff(refs):
        return tuple((lib.staff[r.slug].name, urls.absolute(urls.record("staff", r.slug))) for r in refs)

    # Newest change first, then by address: the entries are chosen before they are made.
    newest = heapq.nsmallest(
        limit,
        ((_descending(updated(c)), urls.absolute(urls.record("claim", c.slug)), c) for c in chosen),
        key=lambda e: e[:2],
    )
    entries = []
    for _, url, claim in newest:
        entries.append(
            FeedEntry(
                url=url,
                title=claim.claim,
                lang=claim.language or lib.site.language,
                verdict=lib.verdicts[claim.verdict.slug].label,
                summary=" ".join(
                    [
                        claim.summary,
                        *(
                            ui.gettext("Corrected %(date)s: %(note)s", date=ui.date(c.date), note=c.note)
                            for c in claim.corrections
                        ),
                    ]
                ),
                content=claim.analysis.html + _corrections_html(claim.corrections, ui) if full else None,
                published=_timestamp(claim.reviewed),
                updated=updated(claim),
                categories=tuple(lib.topics[t.slug].title for t in claim.topics),
                authors=staff(claim.authors),
                contributors=staff(claim.editors),
            )
        )
    site = lib.site
    return AtomFeed(
        url=alternate or urls.base_url,
        self_url=urls.absolute(self_path or urls.page("feed.xml")),
        title=title or site.title,
        subtitle=site.description,
        lang=site.language,
        author_name=site.publisher.name,
        author_url=site.publisher.url,
        updated=entries[0].updated if entries else _timestamp(dt.date(1970, 1, 1)),
        entries=tuple(entries),
    )


def sitemap(pages: Iterable) -> Sitemap:
    """The pages' canonical URLs, sorted; `pages` are PageMeta."""
    return Sitemap(tuple(sorted((SitemapEntry(meta.canonical, meta.modified) for meta in pages), key=lambda e: e.url)))


def _corrections_html(corrections, ui: Interface) -> str:
    if not corrections:
        return ""
    items = "".join(
        f'<li><time datetime="{c.date.isoformat()}">{html.escape(ui.date(c.date))}</time>: {html.escape(c.note)}</li>'
        for c in corrections
    )
    return f"\n<h2>{html.escape(ui.gettext('Corrections'))}</h2>\n<ul>{items}</ul>"


def _descending(timestamp: str) -> tuple[int, ...]:
    """A key that sorts ISO timestamps newest first."""
    return tuple(-ord(c) for c in timestamp)


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"

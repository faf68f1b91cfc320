"""What a page family declares: its record kind, template, contract, how its pages are built, and what they show.

One module per family (claim.py, source.py …) subclasses `Family` once;
`pages.FAMILIES` lists them, and everything that enumerates record pages
(plans, outputs, search, sitemap, navigation, indexes, feeds, rebuilds)
reads that list.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import model
from ..library import Library
from ..urls import output_file
from .views import Output, PageMeta, Views, page_count

Key = tuple[str, str]  # (record kind, slug)


class Family:
    kind: str  # the record kind, as model.KINDS names it: its folder in content/ and on the site
    template: str  # the built-in template its pages are rendered with
    contract: type  # what that template receives as `page`
    writes: str  # what it writes, in words, for docs/templates.md
    searched: bool = True  # its pages are in the search index
    nav: tuple[int, str] | None = None  # its index's place and label in the site's navigation
    listing: str | None = None  # the library's index of the claims each record's page lists ("claims_by_topic")
    paged: bool = False  # that list is cut into pages of CLAIMS_PER_PAGE
    # The record's page links an Atom feed of its claims, with this title (%(site)s, %(name)s: the site, the record).
    feed_title: str | None = None

    def in_nav(self, lib: Library) -> bool:
        """Whether the navigation links the family's index: staff's only once the archive names some."""
        return True

    @property
    def folder(self) -> str:
        return model.KINDS[self.kind]

    def records(self, lib: Library) -> dict:
        return lib.records_of(self.kind)

    def claims_listed(self, lib: Library, slug: str) -> tuple[str, ...]:
        """The claims a record's page lists, by slug."""
        return getattr(lib, self.listing).get(slug, ()) if self.listing else ()

    def outputs(self, lib: Library, slug: str) -> list[str]:
        """Every file a record's pages take: a long list of claims goes on pages of CLAIMS_PER_PAGE."""
        count = page_count(len(self.claims_listed(lib, slug))) if self.paged else 1
        return [output_file(self.folder, slug)] + [
            f"{self.folder}/{slug}/page/{n}/index.html" for n in range(2, count + 1)
        ]

    def meta(self, views: Views, record) -> PageMeta:
        """The record page's metadata, with a draft's or embargoed record's banner: sitemap, feeds and aliases use it too."""
        return views.held((self.kind, record.slug), self.describe(views, record))

    def describe(self, views: Views, record) -> PageMeta:
        """The record page's own title, description, address and language."""
        raise NotImplementedError

    def page(self, views: Views, record, number: int) -> Output:
        """Page `number` of the record's pages."""
        raise NotImplementedError

    def attachment_paths(self, lib: Library, slug: str) -> list[str]:
        """Where attachments() writes, reserved before anything is written."""
        return []

    def attachments(self, views: Views, slug: str) -> list[tuple[str, bytes]]:
        """Files made beside a record's page, (path, bytes): a claim's share image."""
        return []

    # Templates of the family's site-wide pages besides `template`: name -> (contract, what it writes).
    index_templates: dict[str, tuple[type, str]] = {}

    def site_wide(self, views: Views) -> list[Output]:
        """The family's pages that show many records, so any edit may change them: its index (claims/, sources/ …)."""
        return []

    def shows(self, lib: Library, key: Key) -> Iterable[str]:
        """The slugs of this family's pages that show something of record `key` (a rebuild renders them again).

        `key` may name a record `lib` does not hold: one removed by the edit.
        """
        raise NotImplementedError

"""The source family: each source's page, `sources/<slug>/`, with its quotes, its archived text and the copy itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_time
from markupsafe import Markup

from .. import model
from ..archived_text import marked_text
from ..i18n import N_
from ..library import Library
from ..urls import archived_file_output, quote_anchor
from .family import Family, Key
from .views import (
    SOURCE_KIND_LABELS,
    ClaimCard,
    DateView,
    Link,
    Output,
    PageMeta,
    Pagination,
    QuoteView,
    SourceCard,
    Views,
    list_pages,
)


@dataclass(frozen=True, slots=True)
class ArchivedFile:
    """The archived copy a source's quotes were checked against, published beside its page."""

    url: str  # the copy itself
    name: str  # its file name
    size: str  # its size, in words: "12.5 KB"
    sha256: str  # hex digest of its bytes: anyone can check the copy
    recorded: bool  # whether the source records the digest (`sha256`), so the build checked it
    archived: DateView | None  # when it was retrieved: the source's `archived`, or the date a WARC recorded
    original_url: str | None  # the address it was retrieved from


@dataclass(frozen=True, slots=True)
class SourcePage:
    meta: PageMeta  # the page's metadata
    source: SourceCard  # the source
    original_url: str | None  # the original's web address
    archive_url: str | None  # an archived copy's web address
    quotes: tuple[QuoteView, ...]  # its quotes, in the order written
    text: Markup | None  # the archived text, each quote inside <mark>
    claims: tuple[ClaimCard, ...]  # claims that cite it or appeared in it, newest review first (this page's share)
    pagination: Pagination | None = None  # where this page stands among the record's pages; None if it has one
    archived_file: ArchivedFile | None = None  # the archived copy itself; None without `text`
    others: bool = False  # `claims` leaves out those its quotes list as citing them: the list holds the others


class SourceFamily(Family):
    kind = "source"
    template = "source.html"
    contract = SourcePage
    writes = "each source's page, `sources/<slug>/`"
    nav = (20, N_("Sources"))
    listing = "claims_by_source"
    paged = True

    def describe(self, views: Views, source: model.Source) -> PageMeta:
        count = len(source.quotes)
        description = views.ui.ngettext(
            "%(kind)s with %(num)d archived quote.",
            "%(kind)s with %(num)d archived quotes.",
            count,
            kind=views.ui.gettext(SOURCE_KIND_LABELS[source.kind]),
        )
        return views.meta("source", source.title, description, f"sources/{source.slug}/", source.language)

    def page(self, views: Views, source: model.Source, number: int = 1) -> Output:
        shown, meta, pagination, output = views.share(
            self.meta(views, source),
            self.folder,
            source.slug,
            views.claim_cards(self.claims_listed(views.lib, source.slug)),
            number,
        )
        text = None
        if source.text is not None and number == 1:
            text = marked_text(source.text.text, {quote_anchor(q.id): q.spans for q in source.quotes})
        quotes = tuple(views.quote(source, q) for q in source.quotes) if number == 1 else ()
        # Each claim once: a claim its quote lists as citing it is not listed again below (1.4 KB a
        # page). A list of several pages stays whole, as its pages' count is the whole list's.
        cited = {card.url for quote in quotes for card in quote.cited_by}
        others = pagination is None and bool(cited)
        if others:
            shown = tuple(card for card in shown if card.url not in cited)
        context = SourcePage(
            meta=meta,
            source=views.source_card(source),
            original_url=model.original_url(source),
            archive_url=source.archive_url,
            quotes=quotes,
            text=text,
            claims=shown,
            pagination=pagination,
            archived_file=_archived_file(views, source),
            others=others,
        )
        return Output(output, self.template, context, source.pos)

    def site_wide(self, views: Views) -> list[Output]:
        ui, urls = views.ui, views.urls
        items = [
            (
                Link(urls.record("source", s.slug), s.title),
                ui.gettext(
                    "%(kind)s, %(publisher)s", kind=ui.gettext(SOURCE_KIND_LABELS[s.kind]), publisher=s.publisher
                )
                if s.publisher
                else ui.gettext(SOURCE_KIND_LABELS[s.kind]),
            )
            for s in views.lib.sources.values()
        ]
        return list_pages(
            views,
            self.folder,
            ui.gettext("Sources"),
            ui.gettext("The documents behind the fact-checks, with their original quotes."),
            items,
        )

    def shows(self, lib: Library, key: Key) -> set[str]:
        kind, slug = key
        if kind == "claim":  # the claims citing it or that appeared in it
            claim = lib.claims.get(slug)
            return claim.sources if claim else set()
        if kind == "source":
            return {slug}
        if kind == "person":  # the speaker of its quotes
            return {source for source, _ in lib.quotes_by_speaker.get(slug, ())}
        return set()


FAMILY = SourceFamily()


def archived_files(lib: Library) -> list[tuple[str, str]]:
    """(path in the output, path in the site) of every source's archived file, copied as it is."""
    return [(archived_file_output(s.slug, s.text.path), s.text.path) for s in lib.sources.values() if s.text]


def _archived_file(views: Views, source: model.Source) -> ArchivedFile | None:
    text = source.text
    if text is None:
        return None
    ui = views.ui
    kilobytes = text.size / 1000
    size = (
        ui.gettext("%(size)s KB", size=ui.number(round(kilobytes, 1)))
        if kilobytes < 1000
        else ui.gettext("%(size)s MB", size=ui.number(round(kilobytes / 1000, 1)))
    )
    return ArchivedFile(
        url=views.urls.page(archived_file_output(source.slug, text.path)),
        name=archived_file_output(source.slug, text.path).rsplit("/", 1)[-1],
        size=size,
        sha256=text.sha256,
        recorded=source.sha256 is not None,
        archived=_date_time(views, model.archived_at(source)),
        original_url=model.original_url(source),
    )


def _date_time(views: Views, value: dt.datetime | None) -> DateView | None:
    if value is None:
        return None
    value = value.astimezone(dt.UTC)
    time = format_time(value, "HH:mm", locale=views.ui.locale)
    return DateView(
        value.strftime("%Y-%m-%dT%H:%M:%SZ"),
        views.ui.gettext("%(date)s, %(time)s UTC", date=views.ui.date(value.date()), time=time),
    )

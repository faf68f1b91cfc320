"""What every page family shares: the small views templates receive, and `Views`, which makes them.

Templates never see YAML or the library: a misspelt name in a template is a
build error (StrictUndefined), and every value here is already computed:
URLs under the base path, dates as text, backlinks, tallies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from .. import charts, images, model
from ..archived_text import context_around
from ..errors import Position
from ..i18n import N_
from ..library import Library
from ..text import direction
from ..urls import Urls, output_file, quote_anchor

SOURCE_KIND_LABELS = {
    "news-article": N_("News article"),
    "statement": N_("Statement"),
    "interview": N_("Interview"),
    "speech": N_("Speech"),
    "social-post": N_("Social media post"),
    "video": N_("Video"),
    "report": N_("Report"),
    "document": N_("Document"),
    "other": N_("Other"),
}
CLAIMS_PER_PAGE = 50
ITEMS_PER_PAGE = 100  # entries of an index of sources, people, topics or staff on one page
PAGER_AROUND = 2  # pages a pager links on either side of the reader's, besides the first and the last
CITED_BY_SHOWN = 20  # claims a source page lists under each quote; all are in its paged list of claims
# Quote views a process keeps, the most recently shown: about 1.4 KB each (their context in the archived
# text, links, the source's card), so keeping every quote of 100,000 claims' sources grew each render
# worker by about 200 MB. 16,384 hold every quote of the 10,000-claim bench corpus; making one again
# costs about 0.1 ms.
QUOTE_VIEWS_KEPT = 16_384


@dataclass(frozen=True, slots=True)
class Link:
    """A link: where it leads and what it says."""

    url: str  # where it leads
    text: str  # the link's words


@dataclass(frozen=True, slots=True)
class DateView:
    """A date, written for machines and for people."""

    iso: str  # for <time datetime> and machines
    text: str  # for people

    @property
    def year(self) -> str:
        """The year alone, as search filters group claims."""
        return self.iso[:4]


@dataclass(frozen=True, slots=True)
class VerdictBadge:
    """A verdict as its badge shows it."""

    id: str  # the verdict's id, as claims write it
    label: str  # its name, as readers see it
    rating: int | None  # its place from 1 (worst) up; None for an unrated verdict
    scale_size: int  # how many rated verdicts the scale has
    description: str  # what it means
    url: str  # its entry on the verdict scale page
    tone: str  # colour family in the stylesheet: see verdict_tone

    place: str  # the badge's text equivalent of its colour: never colour alone

    @property
    def pips(self) -> tuple[bool, ...]:
        """One step per rated verdict, filled up to this one: the scale drawn small."""
        if self.rating is None:
            return ()
        return tuple(step <= self.rating for step in range(1, self.scale_size + 1))


@dataclass(frozen=True, slots=True)
class ClaimCard:
    """A claim as other pages list it."""

    slug: str  # the claim's slug
    url: str  # its page
    claim: str  # the claim, one sentence
    claimant: Link  # who made it
    date: DateView  # when it was made
    reviewed: DateView  # when the fact-check was published
    verdict: VerdictBadge  # the verdict
    summary: str  # the verdict in one or two sentences
    lang: str  # the claim's language (BCP 47)
    dir: str  # its direction: ltr or rtl


@dataclass(frozen=True, slots=True)
class SourceCard:
    """A source as other pages list it."""

    slug: str  # the source's slug
    url: str  # its page
    title: str  # its title
    kind: str  # human label
    publisher: str | None  # who published it
    published: DateView | None  # when


@dataclass(frozen=True, slots=True)
class QuoteInContext:
    """A quote's place in its source's archived text."""

    before: str  # the words just before the quote in the archived text
    after: str  # the words just after it
    url: str  # the quote marked inside the archived text


@dataclass(frozen=True, slots=True)
class QuoteView:
    """One of a source's original quotes, wherever a page shows it."""

    id: str  # the quote's id within its source
    url: str  # its place on the source page, /sources/<slug>/#quote-<id>
    anchor: str  # the element id on the source page
    text: str  # the exact words
    speaker: Link  # who said them
    date: DateView | None  # when
    context: str | None  # where and how it was said
    source: SourceCard  # the source it is from
    lang: str  # the source's language
    dir: str  # its direction: ltr or rtl
    in_context: QuoteInContext | None  # the words around it, when the source has an archived text
    cited_by: tuple[ClaimCard, ...]  # the claims that cite it, newest review first; at most CITED_BY_SHOWN
    cited_by_more: int = 0  # how many more cite it than cited_by holds
    page: str | None = None  # the PDF page it was found on, in words: "p. 12"
    heading: str | None = None  # the heading of the archived page it falls under


@dataclass(frozen=True, slots=True)
class CorrectionView:
    """One entry of a claim's corrections log."""

    date: DateView  # when the correction was made
    note: str  # what was corrected


@dataclass(frozen=True, slots=True)
class VerdictCount:
    """How many of some claims have one verdict."""

    verdict: VerdictBadge  # the verdict
    count: int  # how many claims have it
    percent: int  # of the claims counted, rounded


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where one page of a long list stands among the others."""

    number: int  # this page, from 1
    count: int  # how many pages the list has
    previous: Link | None  # the page before, if any
    next: Link | None  # the page after, if any
    pages: tuple[PageLink, ...]  # the first and last pages and those around this one, in order; others are gaps
    number_text: str = ""  # `number` in the site's digits
    count_text: str = ""  # `count` in the site's digits


@dataclass(frozen=True, slots=True)
class PageLink:
    """One entry of a pager: a page of the list, or a gap where pages are left out."""

    url: str | None  # the page; None for a gap
    text: str  # its number, in the site's digits; "…" for a gap
    current: bool = False  # the page the reader is on


@dataclass(frozen=True, slots=True)
class ClaimMap:
    """Claims and their links drawn as a graph; the page lists the same claims as text."""

    svg: Markup  # the graph as inline SVG, each node a link to its claim
    shown: int  # how many claims the graph draws
    total: int  # how many it would draw without the cap


@dataclass(frozen=True, slots=True)
class ShareImage:
    """The picture link previews show: og:image (X reads it too)."""

    url: str  # absolute URL of the PNG
    width: int  # pixels
    height: int  # pixels
    alt: str  # what it shows


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What base.html needs of every page: title, description, address, language."""

    kind: str  # claim, source, person, topic, home, claims, ...
    title: str  # the page's title, for <title>, the heading and link previews
    description: str  # one or two sentences, for search engines and link previews
    path: str  # URL path under the base path
    canonical: str  # absolute URL
    lang: str  # the page's language (a claim's page is in the claim's)
    dir: str  # its direction: ltr or rtl
    og_type: str = "website"  # Open Graph type: website, article or profile
    published: str | None = None  # ISO dates, for articles' metadata and the sitemap
    modified: str | None = None  # ISO date the page last changed, with published
    image: ShareImage | None = None  # the page's own link preview picture, if it has one
    banner: str | None = (
        None  # v2: "Draft: not published" or "Embargoed until …" on unpublished pages (build --drafts, serve)
    )
    noindex: bool = False  # v2: keep search engines away: the page is not published
    feed: Link | None = (
        None  # v2: the Atom feed of this page's claims (a topic's, claimant's, staff member's, verdict's)
    )

    @property
    def og_locale(self) -> str:
        """The language as Open Graph writes it: fa_AF for fa-AF, the language alone without a region."""
        return self.lang.replace("-", "_")


@dataclass(frozen=True, slots=True)
class SiteView:
    """The site as every template sees it, under the name `site`."""

    title: str  # the site's name
    description: str | None  # one or two sentences about the archive
    lang: str  # BCP 47 tag of the site's language
    dir: str  # its direction: ltr or rtl
    base_path: str  # the URL path the site lives under, ending in /
    base_url: str  # the absolute URL of the home page
    publisher: Link  # who publishes the fact-checks
    nav: tuple[
        Link, ...
    ]  # the header's navigation: the built-in indexes, then the archive's pages with `nav`, in order
    home_url: str  # the home page
    stylesheet_url: str  # the main stylesheet
    brand_stylesheet_url: (
        str | None
    )  # the accent colour's stylesheet, loaded after the main one; None without accent_color
    logo_url: str | None  # the logo shown in the header in place of the title; None without one
    footer: str | None  # site.yaml's footer text, plain
    social: tuple[Link, ...]  # site.yaml's social links, for the footer
    icon_url: str  # the favicon
    feed_url: str  # the Atom feed
    verdicts_url: str  # the verdict scale page
    search_url: str  # the search page
    claims_url: str  # the index of all fact-checks
    corrections_url: str  # the list of every correction
    dataset_url: str  # the whole archive as JSON
    tips_url: str | None = None  # v2: where readers suggest a claim to check (footer); None without tips_url


@dataclass(frozen=True, slots=True)
class ListPage:
    """An index of sources, people or topics."""

    meta: PageMeta  # the page's metadata
    heading: str  # the page's heading
    items: tuple[tuple[Link, str | None], ...]  # link and a line about it (this page's share)
    pagination: Pagination | None = None  # where this page stands in a long index; None if it has one page


@dataclass(frozen=True, slots=True)
class Output:
    """One file a template writes: where it goes, which template, the contract it gets as `page`."""

    path: str
    template: str
    context: object
    origin: Position | None = field(default=None, compare=False)
    # Files made beside the page when it is rendered, (path, bytes): costly ones such as images belong here, not in data_files.
    attachments: Callable[[], list[tuple[str, bytes]]] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Plan:
    """An output to build later, in whichever process renders it.

    Contexts are made where they are rendered, so no process holds every
    page's context at once: at ten thousand claims that is gigabytes.
    """

    path: str
    template: str
    origin: Position | None
    make: Callable[[], Output]
    output: Output | None = None  # already built: the site-wide pages, which are few

    @classmethod
    def ready(cls, output: Output) -> Plan:
        return cls(output.path, output.template, output.origin, lambda: output, output)


class Views:
    """The views every family's pages share, each made once per process: cards, quotes, dates, metadata, charts."""

    def __init__(self, library: Library, urls: Urls, image_cache: str | None = None) -> None:
        self.lib = library
        self.urls = urls
        self.image_cache = image_cache  # where images (resized, share images) are kept between builds; None: not kept
        self._quote_views: dict[tuple[str, str], QuoteView] = {}
        site = library.site
        self.site_lang = site.language
        self.ui = ui = library.ui
        self._dates: dict[dt.date, DateView] = {}
        rated = sum(1 for v in site.verdicts if v.rating is not None)
        unrated = [v.id for v in site.verdicts if v.rating is None]
        self.badges = {
            v.id: VerdictBadge(
                v.id,
                v.label,
                v.rating,
                rated,
                v.description,
                urls.page(f"verdicts/#verdict-{v.id}"),
                verdict_tone(v.rating, rated, unrated.index(v.id) if v.rating is None else 0),
                ui.gettext("unrated")
                if v.rating is None
                else ui.gettext(
                    "%(rating)s of %(size)s on the rating scale", rating=ui.number(v.rating), size=ui.number(rated)
                ),
            )
            for v in site.verdicts
        }
        self.cards = {slug: self.card(claim) for slug, claim in library.claims.items()}

    def date(self, value: dt.date | None) -> DateView | None:
        """Archives reuse few dates across many pages; spell each out once."""
        if value is None:
            return None
        view = self._dates.get(value)
        if view is None:
            view = self._dates[value] = DateView(value.isoformat(), self.ui.date(value))
        return view

    def person_link(self, slug: str) -> Link:
        return Link(self.urls.record("person", slug), self.lib.people[slug].name)

    def staff_links(self, refs) -> tuple[Link, ...]:
        return tuple(Link(self.urls.record("staff", r.slug), self.lib.staff[r.slug].name) for r in refs)

    def card(self, claim: model.Claim) -> ClaimCard:
        # What a card shows of other records (the claimant's name) decides which pages an edit
        # of them touches: see pages.dependent_pages.
        lang = claim.language or self.site_lang
        return ClaimCard(
            slug=claim.slug,
            url=self.urls.record("claim", claim.slug),
            claim=claim.claim,
            claimant=self.person_link(claim.claimant.slug),
            date=self.date(claim.date),
            reviewed=self.date(claim.reviewed),
            verdict=self.badges[claim.verdict.slug],
            summary=claim.summary,
            lang=lang,
            dir=direction(lang),
        )

    def source_card(self, source: model.Source) -> SourceCard:
        return SourceCard(
            slug=source.slug,
            url=self.urls.record("source", source.slug),
            title=source.title,
            kind=self.ui.gettext(SOURCE_KIND_LABELS[source.kind]),
            publisher=source.publisher,
            published=self.date(source.published),
        )

    def claim_cards(self, slugs) -> tuple[ClaimCard, ...]:
        """The claims' cards, newest review first."""
        return tuple(sorted((self.cards[s] for s in slugs), key=_newest_review_first))

    def quote(self, source: model.Source, quote: model.Quote) -> QuoteView:
        """A quote as every page shows it; the most recently shown are kept, since
        claim, source and person pages all show the same quotes."""
        key = (source.slug, quote.id)
        views = self._quote_views
        view = views.pop(key, None)
        if view is None:
            view = self._make_quote(source, quote)
            if len(views) >= QUOTE_VIEWS_KEPT:
                del views[next(iter(views))]  # the least recently shown: dicts keep insertion order
        views[key] = view
        return view

    def _make_quote(self, source: model.Source, quote: model.Quote) -> QuoteView:
        lang = source.language or self.site_lang
        cited_by = self.claim_cards(self.lib.claims_citing_quote.get((source.slug, quote.id), ()))
        in_context = None
        if source.text is not None and quote.spans:
            before, after = context_around(source.text.text, quote.spans)
            in_context = QuoteInContext(
                before, after, self.urls.record("source", source.slug, f"text-{quote_anchor(quote.id)}")
            )
        return QuoteView(
            id=quote.id,
            url=self.urls.quote(source.slug, quote.id),
            anchor=quote_anchor(quote.id),
            text=quote.text,
            speaker=self.person_link(quote.speaker.slug),
            date=self.date(quote.date),
            context=quote.context,
            source=self.source_card(source),
            lang=lang,
            dir=direction(lang),
            in_context=in_context,
            cited_by=cited_by[:CITED_BY_SHOWN],
            cited_by_more=max(0, len(cited_by) - CITED_BY_SHOWN),
            page=self._page_label(quote.page),
            heading=quote.heading,
        )

    def _page_label(self, page: str | None) -> str | None:
        if page is None:
            return None
        if "\u2013" in page:
            return self.ui.gettext("pp. %(pages)s", pages=page)
        return self.ui.gettext("p. %(page)s", page=page)

    def tally(self, cards: tuple[ClaimCard, ...], keep_zero: bool = False) -> tuple[VerdictCount, ...]:
        counts = Counter(card.verdict.id for card in cards)
        total = len(cards) or 1
        return tuple(
            VerdictCount(badge, counts[id_], round(100 * counts[id_] / total))
            for id_, badge in self.badges.items()
            if keep_zero or counts[id_]
        )

    def meta(
        self,
        kind: str,
        title: str,
        description: str,
        path: str,
        lang: str | None = None,
        og_type: str = "website",
        published: dt.date | None = None,
        modified: dt.date | None = None,
        image: ShareImage | None = None,
    ) -> PageMeta:
        lang = lang or self.site_lang
        url = self.urls.page(path)
        return PageMeta(
            kind,
            title,
            description,
            url,
            self.urls.absolute(url),
            lang,
            direction(lang),
            og_type,
            published and published.isoformat(),
            modified and modified.isoformat(),
            image,
        )

    def held(self, key: tuple[str, str], meta: PageMeta) -> PageMeta:
        """An unpublished record's page, shown by build --drafts and serve: a banner says so, and noindex."""
        held = self.lib.held.get(key)
        if held is None:
            return meta
        if held.until is None:
            banner = self.ui.gettext("Draft: not published")
        else:
            banner = self.ui.gettext(
                "Embargoed until %(time)s", time=f"{self.ui.date(held.until.date())}, {held.until:%H:%M} UTC"
            )
        return dataclasses.replace(meta, banner=banner, noindex=True)

    def with_feed(self, meta: PageMeta, claims, title: str) -> PageMeta:
        """A page that lists claims links the Atom feed of the same claims, written beside it (site.feed_pages)."""
        if not claims:
            return meta
        return dataclasses.replace(meta, feed=Link(meta.path + "feed.xml", title))

    def share(self, meta: PageMeta, folder: str, slug: str, cards: tuple[ClaimCard, ...], number: int):
        """Page `number` of a record's list of claims: its claims, metadata, Pagination (None: one page) and output path."""
        count = page_count(len(cards))
        if count == 1:
            return cards, meta, None, output_file(folder, slug)
        path = f"{folder}/{slug}/"
        pagination = self.pagination(path, number, count)
        if number > 1:
            title = self.page_title(meta.title, number, count)
            url = self.urls.page(f"{path}page/{number}/")
            meta = dataclasses.replace(meta, title=title, path=url, canonical=self.urls.absolute(url), image=None)
        output = output_file(folder, slug) if number == 1 else f"{path}page/{number}/index.html"
        return page_share(cards, number), meta, pagination, output

    def page_title(self, heading: str, number: int, count: int) -> str:
        """The title of page `number` of `count` of a list: its heading alone on the first."""
        if number == 1:
            return heading
        return self.ui.gettext(
            "%(heading)s, page %(number)s of %(count)s",
            heading=heading,
            number=self.ui.number(number),
            count=self.ui.number(count),
        )

    def pagination(self, path: str, number: int, count: int) -> Pagination:
        """Page `number` of `count` of the list at `path` ('claims/'); the others at <path>page/<n>/."""

        def link(n: int) -> Link:
            return Link(self.urls.page(path if n == 1 else f"{path}page/{n}/"), self.ui.number(n))

        # At 100,000 claims the index has 2,000 pages: every page linking every other would be 200 MB of links.
        shown = sorted({1, count, *range(max(1, number - PAGER_AROUND), min(count, number + PAGER_AROUND) + 1)})
        pages, last = [], 0
        for n in shown:
            if n == last + 2:  # a gap of one page: the page itself says more than "…"
                pages.append(PageLink(link(last + 1).url, link(last + 1).text))
            elif n > last + 2:
                pages.append(PageLink(None, "…"))
            pages.append(PageLink(link(n).url, link(n).text, n == number))
            last = n
        return Pagination(
            number,
            count,
            link(number - 1) if number > 1 else None,
            link(number + 1) if number < count else None,
            tuple(pages),
            self.ui.number(number),
            self.ui.number(count),
        )

    def figure(self, figure: model.Figure | None) -> Markup | None:
        # At the top of its page: loaded at once, not lazily.
        return Markup(images.picture_html(figure, self.urls, lazy=False)) if figure else None

    def claim_map(
        self, cards: list[ClaimCard] | tuple[ClaimCard, ...], title: str, total: int, centred: bool
    ) -> ClaimMap:
        """The claims as nodes; an edge wherever two are counterclaims or share a quote or source."""
        lib = self.lib
        sources = {card.slug: lib.claims[card.slug].sources for card in cards}
        edges = []
        for a, card in enumerate(cards):
            for b in range(a + 1, len(cards)):
                other = cards[b].slug
                if other in lib.counterclaims.get(card.slug, ()):
                    edges.append(charts.MapEdge(a, b, "counterclaim"))
                elif sources[card.slug] & sources[other]:
                    edges.append(charts.MapEdge(a, b, "shared"))
        if centred:
            edges = [e for e in edges if e.a == 0]
        nodes = [
            charts.MapNode(
                c.url, c.claim, c.verdict.label, c.verdict.tone, c.lang if c.lang != self.site_lang else None
            )
            for c in cards
        ]
        shown = len(cards) - (1 if centred else 0)
        ui = self.ui
        desc = (
            ui.ngettext(
                "%(num)d related claim around the claim; lines join counterclaims (dashed) and claims "
                "sharing a quote or source (solid). The list below names the same claims.",
                "%(num)d related claims around the claim; lines join counterclaims (dashed) and claims "
                "sharing a quote or source (solid). The list below names the same claims.",
                shown,
            )
            if centred
            else ui.ngettext(
                "%(num)d of %(total)d claim; lines join counterclaims (dashed) and claims sharing a quote or source (solid).",
                "%(num)d of %(total)d claims; lines join counterclaims (dashed) and claims sharing a quote or source (solid).",
                total,
                num=shown,
                total=total,
            )
        )
        if centred:
            # A claim's page lists its related claims right after the map, and on a phone that
            # list, with its verdict dots (site.css, .related-list), is the map: a narrow drawing
            # wrote every claim a third and a fourth time (aria-label, <title>), 9 of a page's 30 KB.
            return ClaimMap(charts.claim_map(nodes, edges, title, desc, centred, ui, named=False), shown, total)
        # Both layouts go out; the stylesheet shows the one that fits the screen.
        return ClaimMap(
            charts.claim_map(nodes, edges, title, desc, centred, ui)
            + charts.claim_map_narrow(nodes, edges, title, desc, centred, ui),
            shown,
            total,
        )

    def verdict_chart(self, claims: tuple[ClaimCard, ...], title: str) -> Markup | None:
        if not claims:
            return None
        return charts.verdict_bars(
            [charts.Bar(c.verdict.label, c.verdict.tone, c.count) for c in self.tally(claims)], title, self.ui
        )

    def timeline(self, claims: tuple[ClaimCard, ...], title: str) -> Markup | None:
        if not claims:
            return None
        points = [
            charts.TimelinePoint(self.lib.claims[c.slug].date, c.claim, c.verdict.label, c.verdict.tone) for c in claims
        ]
        return charts.timeline(points, title, self.ui) + charts.timeline(points, title, self.ui, narrow=True)


def list_pages(views: Views, folder: str, heading: str, description: str, items: list) -> list[Output]:
    """A family's index, `<folder>/`: a link and a line for each record, ITEMS_PER_PAGE to a page."""
    count = max(1, -(-len(items) // ITEMS_PER_PAGE))
    pages = []
    for number in range(1, count + 1):
        path = f"{folder}/" if number == 1 else f"{folder}/page/{number}/"
        title = views.page_title(heading, number, count)
        shown = tuple(items[(number - 1) * ITEMS_PER_PAGE : number * ITEMS_PER_PAGE])
        context = ListPage(
            views.meta(folder, title, description, path),
            heading,
            shown,
            views.pagination(f"{folder}/", number, count) if count > 1 else None,
        )
        pages.append(Output(f"{path}index.html", "list.html", context))
    return pages


def page_share(items: tuple, number: int) -> tuple:
    """Page `number`'s share of a list cut into pages of CLAIMS_PER_PAGE."""
    return items[(number - 1) * CLAIMS_PER_PAGE : number * CLAIMS_PER_PAGE]


def page_count(items: int) -> int:
    """How many pages a list of `items` claims takes, CLAIMS_PER_PAGE to a page."""
    return max(1, -(-items // CLAIMS_PER_PAGE))


def verdict_tone(rating: int | None, scale_size: int, unrated_index: int) -> str:
    """The colour family: from the place on the scale, so any site's own scale is coloured too.

    Five rated families from worst to best; unrated verdicts (which mean
    different things: unproven, disputed, opinion) take three neutral hues in turn.
    """
    if rating is None:
        return f"unrated-{1 + unrated_index % 3}"
    if scale_size < 2:
        return "scale-5"
    return f"scale-{1 + round(4 * (rating - 1) / (scale_size - 1))}"


def _newest_review_first(card: ClaimCard):
    return (-int(card.reviewed.iso.replace("-", "")), card.slug)

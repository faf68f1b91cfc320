"""One typed context per page: what each template may use, and nothing else.

Templates never see YAML or the library: a misspelt name in a template is a
build error (StrictUndefined), and every value here is already computed:
URLs under the base path, dates as text, backlinks, tallies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import heapq
import urllib.parse
from collections import Counter
from collections.abc import Iterable
from typing import Callable
from dataclasses import dataclass, field

from babel.dates import format_time
from markupsafe import Markup

from . import brand, charts, cms, images, model, share_image
from .archived_text import context_around, marked_text
from .dataset import DATASET_PATH, claims_dataset
from .errors import Position
from .feeds import AtomFeed, Robots, Sitemap, atom_feed, sitemap
from .library import Library
from .structured_data import claim_review
from .i18n import N_
from .text import direction
from .urls import Urls, archived_file_output, output_file, quote_anchor

SOURCE_KIND_LABELS = {
    "news-article": N_("News article"), "statement": N_("Statement"), "interview": N_("Interview"),
    "speech": N_("Speech"), "social-post": N_("Social media post"), "video": N_("Video"),
    "report": N_("Report"), "document": N_("Document"), "other": N_("Other"),
}
LATEST_ON_HOME = 10
MAP_NEIGHBOURS = 12  # related claims a claim's map draws
MAP_TOPIC_CLAIMS = 30  # claims a topic's map draws
CLAIMS_PER_PAGE = 50
CITED_BY_SHOWN = 20  # claims a source page lists under each quote; all are in its paged list of claims
# Site-wide pages the sitemap lists besides every record's page: not 404 or the search form.
SITEMAP_INDEXES = {"home", "claims", "verdicts", "sources", "people", "topics", "corrections", "staff"}
BRAND_STYLESHEET = "assets/brand.css"


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
class ClaimGroup:
    """Claims that share a verdict, a claimant or a topic, as the index links to them."""

    id: str  # element id of the group's entry
    title: str  # the group's name
    url: str  # the page listing the group's claims
    count: int  # how many claims it has


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where one page of a long list stands among the others."""

    number: int  # this page, from 1
    count: int  # how many pages the list has
    previous: Link | None  # the page before, if any
    next: Link | None  # the page after, if any
    pages: tuple[Link, ...]  # every page of the list, in order


@dataclass(frozen=True, slots=True)
class RelatedClaim:
    """A claim linked to another in the claim map, and how."""

    claim: ClaimCard  # the related claim
    relation: str  # how it relates, in words: counterclaim, shares a quote, shares a source


@dataclass(frozen=True, slots=True)
class ClaimMap:
    """Claims and their links drawn as a graph; the page lists the same claims as text."""

    svg: Markup  # the graph as inline SVG, each node a link to its claim
    shown: int  # how many claims the graph draws
    total: int  # how many it would draw without the cap


@dataclass(frozen=True, slots=True)
class ShareImage:
    """The picture link previews show: og:image and twitter:image."""

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
    banner: str | None = None  # v2: "Draft: not published" or "Embargoed until …" on unpublished pages (build --drafts, serve)
    noindex: bool = False  # v2: keep search engines away: the page is not published
    feed: Link | None = None  # v2: the Atom feed of this page's claims (a topic's, claimant's, staff member's, verdict's)

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
    nav: tuple[Link, ...]  # the header's navigation: the built-in indexes, then the archive's pages with `nav`, in order
    home_url: str  # the home page
    stylesheet_url: str  # the main stylesheet
    brand_stylesheet_url: str | None  # the accent colour's stylesheet, loaded after the main one; None without accent_color
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
class ClaimPage:
    meta: PageMeta  # the page's metadata
    claim: ClaimCard  # the claim, its verdict and summary
    analysis: Markup  # the fact-check's Markdown as sanitized HTML
    quotes: tuple[QuoteView, ...]  # the original words behind the claim
    appearances: tuple[SourceCard, ...]  # sources where the claim appeared
    counterclaims: tuple[ClaimCard, ...]  # claims that contradict it, named on either side
    topics: tuple[Link, ...]  # its topics
    updated: DateView | None  # when it was last changed
    corrections: tuple[CorrectionView, ...]  # its corrections log, in the order written
    structured_data: Markup  # JSON-LD, escaped so it cannot close its script element
    related: tuple[RelatedClaim, ...]  # counterclaims, then claims sharing a quote, then a source; at most MAP_NEIGHBOURS
    claim_map: ClaimMap  # the claim among its related claims, drawn
    history_url: str | None  # the claim file's change history in the archive's repository; None without `repository`
    original_rating: str | None  # an imported fact-check's rating in its original publisher's own words
    original_url: str | None  # where an imported fact-check was first published
    authors: tuple[Link, ...] = ()  # v2: the staff who researched and wrote it, for the byline
    editors: tuple[Link, ...] = ()  # v2: the staff who reviewed it
    report_error_url: str | None = None  # v2: site.yaml's report_error_url with this claim's address passed along
    corrections_policy_url: str | None = None  # v2: the archive's page corrections-policy, if it has one, shown with report_error_url
    image: Markup | None = None  # v2: the claim's image (a screenshot) as a <figure> of responsive versions


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


@dataclass(frozen=True, slots=True)
class PersonPage:
    meta: PageMeta  # the page's metadata
    name: str  # the display name
    kind: str  # person or organization
    description: str | None  # one line: who they are
    affiliation: Link | None  # the organisation they belong to
    url: str | None  # an official page
    same_as: tuple[str, ...]  # web addresses that identify them elsewhere
    members: tuple[Link, ...]  # people affiliated to this organisation
    claims: tuple[ClaimCard, ...]  # their claims, newest review first
    tally: tuple[VerdictCount, ...]  # their claims counted by verdict
    quotes: tuple[QuoteView, ...]  # their quotes in every source
    verdict_chart: Markup | None  # the tally as an SVG bar chart; None without claims
    timeline: Markup | None  # their claims on a time axis by the date made, as SVG; None without claims
    pagination: Pagination | None = None  # where this page stands among the record's pages; None if it has one


@dataclass(frozen=True, slots=True)
class StaffPage:
    """v2: one of the newsroom's own people and the fact-checks they wrote or edited."""

    meta: PageMeta  # the page's metadata
    name: str  # the display name
    role: str  # what they do: Fact-checker, Editor …
    bio: Markup | None  # who they are, Markdown as sanitized HTML
    same_as: tuple[str, ...]  # web addresses that identify them elsewhere
    claims: tuple[ClaimCard, ...]  # the fact-checks they wrote or edited, newest review first
    image: Markup | None = None  # their portrait as a <figure> of responsive versions


@dataclass(frozen=True, slots=True)
class TopicPage:
    meta: PageMeta  # the page's metadata
    title: str  # the topic's title
    description: str | None  # what it covers
    claims: tuple[ClaimCard, ...]  # its claims, newest review first
    tally: tuple[VerdictCount, ...]  # its claims counted by verdict
    verdict_chart: Markup | None  # the tally as an SVG bar chart; None without claims
    timeline: Markup | None  # its claims on a time axis by the date made, as SVG; None without claims
    claim_map: ClaimMap | None  # its claims and the links between them, drawn; None without claims
    pagination: Pagination | None = None  # where this page stands among the record's pages; None if it has one


@dataclass(frozen=True, slots=True)
class ClaimsIndexPage:
    meta: PageMeta  # the page's metadata
    heading: str  # what the list holds: all fact-checks, or those with one verdict
    total: int  # how many claims the whole list has, across its pages
    claims: tuple[ClaimCard, ...]  # this page's share of the list, newest review first
    pagination: Pagination  # where this page stands in the list
    by_verdict: tuple[ClaimGroup, ...]  # links to the claims of each verdict, in scale order (first page of the full index only)
    by_claimant: tuple[ClaimGroup, ...]  # links to each claimant's claims, by name (idem)
    by_topic: tuple[ClaimGroup, ...]  # links to each topic's claims, by title (idem)


@dataclass(frozen=True, slots=True)
class ListPage:
    """An index of sources, people or topics."""

    meta: PageMeta  # the page's metadata
    heading: str  # the page's heading
    items: tuple[tuple[Link, str | None], ...]  # link and a line about it


@dataclass(frozen=True, slots=True)
class VerdictsPage:
    meta: PageMeta  # the page's metadata
    verdicts: tuple[VerdictCount, ...]  # every verdict of the scale, in order, with its count


@dataclass(frozen=True, slots=True)
class HomePage:
    meta: PageMeta  # the page's metadata
    latest: tuple[ClaimCard, ...]  # the latest fact-checks, newest review first
    tally: tuple[VerdictCount, ...]  # all claims counted by verdict
    claim_count: int  # how many fact-checks
    source_count: int  # how many sources
    quote_count: int  # how many original quotes


@dataclass(frozen=True, slots=True)
class CorrectedClaim:
    """A corrected fact-check and its corrections."""

    claim: ClaimCard  # the corrected claim
    corrections: tuple[CorrectionView, ...]  # newest first


@dataclass(frozen=True, slots=True)
class CorrectionsPage:
    """Every fact-check that has been corrected since it was published."""

    meta: PageMeta  # the page's metadata
    claims: tuple[CorrectedClaim, ...]  # the most recently corrected first; empty when there are none


@dataclass(frozen=True, slots=True)
class TextPage:
    """A page of the archive's own, from content/pages/<slug>.md: about, methodology..."""

    meta: PageMeta  # meta.title is the page's title
    body: Markup  # the page's Markdown as sanitized HTML, internal links resolved
    image: Markup | None = None  # v2: the page's image as a <figure> of responsive versions


@dataclass(frozen=True, slots=True)
class AliasPage:
    """An old address of a claim (its `aliases`): a page that sends the reader on to the claim."""

    meta: PageMeta  # the claim's metadata: meta.canonical is where the reader is sent
    target: str  # the claim page's URL path


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    meta: PageMeta  # the page's metadata


@dataclass(frozen=True, slots=True)
class SearchPage:
    meta: PageMeta  # the page's metadata
    bundle_url: str  # Pagefind's folder, written by the indexing stage
    script_url: str  # our glue between the URL's ?q= and Pagefind's UI
    stylesheet_url: str  # the search page's own rules, after Pagefind's


# Each built-in template, the context it receives as `page`, and what it writes
# (docs/templates.md is generated from this).
TEMPLATES: dict[str, tuple[type, str]] = {
    "home.html": (HomePage, "the home page, `index.html`"),
    "claim.html": (ClaimPage, "each claim's page, `claims/<slug>/`"),
    "source.html": (SourcePage, "each source's page, `sources/<slug>/`"),
    "person.html": (PersonPage, "each person's or organisation's page, `people/<slug>/`"),
    "topic.html": (TopicPage, "each topic's page, `topics/<slug>/`"),
    "staff.html": (StaffPage, "each staff member's page, `staff/<slug>/`"),
    "page.html": (TextPage, "each of the archive's own pages, `<slug>/`, from `content/pages/<slug>.md`"),
    "claims.html": (ClaimsIndexPage, "the index of all fact-checks, `claims/`"),
    "list.html": (ListPage, "the indexes `sources/`, `people/`, `topics/` and (with staff) `staff/`"),
    "verdicts.html": (VerdictsPage, "the verdict scale, `verdicts/`"),
    "corrections.html": (CorrectionsPage, "the list of corrections, `corrections/`"),
    "search.html": (SearchPage, "the search page, `search/`"),
    "alias.html": (AliasPage, "each old address a claim lists in `aliases`, which redirects to the claim"),
    "404.html": (NotFoundPage, "the page for unknown addresses, `404.html`"),
    "feed.xml": (AtomFeed, "the Atom feed of fact-checks, `feed.xml`"),
    "sitemap.xml": (Sitemap, "the sitemap for search engines, `sitemap.xml`"),
    "robots.txt": (Robots, "`robots.txt`, which points crawlers at the sitemap"),
}
_TEMPLATE_OF = {contract: name for name, (contract, _) in TEMPLATES.items()}


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: where it goes, which template, what it gets."""

    output: str
    template: str
    context: object
    origin: Position | None = field(default=None, compare=False)
    # Files made beside the page when it is rendered, (path, bytes): costly ones such as images belong here, not in data_files.
    attachments: Callable[[], list[tuple[str, bytes]]] | None = field(default=None, compare=False)

    @classmethod
    def of(cls, output: str, context: object, origin: Position | None = None) -> "Page":
        """The page rendered from `context` by the template that takes its kind."""
        return cls(output, _TEMPLATE_OF[type(context)], context, origin)


_RECORD_PAGES = {"claim": ClaimPage, "source": SourcePage, "person": PersonPage, "topic": TopicPage, "staff": StaffPage}


@dataclass(frozen=True, slots=True)
class PagePlan:
    """A page to build later, in whichever process renders it.

    Contexts are made where they are rendered, so no process holds every
    page's context at once: at ten thousand claims that is gigabytes.
    """

    output: str
    template: str
    origin: Position | None
    make: Callable[[], Page]
    page: Page | None = None  # already built: the site-wide pages, which are few

    @classmethod
    def ready(cls, page: Page) -> "PagePlan":
        return cls(page.output, page.template, page.origin, lambda: page, page)


class PageBuilder:
    """Computes every page's context from the library, once."""

    def __init__(self, library: Library, urls: Urls, image_cache: str | None = None) -> None:
        self.lib = library
        self.urls = urls
        self.image_cache = image_cache  # v2: where resized images are kept between builds; None: not kept
        self._quote_views: dict[tuple[str, str], QuoteView] = {}
        site = library.site
        self.site_lang = site.language
        self.ui = ui = library.ui
        self._dates: dict[dt.date, DateView] = {}
        rated = sum(1 for v in site.verdicts if v.rating is not None)
        unrated = [v.id for v in site.verdicts if v.rating is None]
        self.badges = {
            v.id: VerdictBadge(v.id, v.label, v.rating, rated, v.description, urls.page(f"verdicts/#verdict-{v.id}"),
                               verdict_tone(v.rating, rated, unrated.index(v.id) if v.rating is None else 0),
                               ui.gettext("unrated") if v.rating is None else
                               ui.gettext("%(rating)s of %(size)s on the rating scale", rating=ui.number(v.rating), size=ui.number(rated)))
            for v in site.verdicts
        }
        self.site_view = SiteView(
            title=site.title,
            description=site.description,
            lang=site.language,
            dir=direction(site.language),
            base_path=urls.base_path,
            base_url=urls.base_url,
            publisher=Link(site.publisher.url, site.publisher.name),
            # The archive's own pages follow the built-in items, which stay where readers of any archive find them.
            nav=(
                Link(urls.page("claims/"), ui.gettext("Fact-checks")),
                Link(urls.page("sources/"), ui.gettext("Sources")),
                Link(urls.page("people/"), ui.gettext("People")),
                Link(urls.page("topics/"), ui.gettext("Topics")),
                Link(urls.page("verdicts/"), ui.gettext("Verdicts")),
                *((Link(urls.page("staff/"), ui.gettext("Our team")),) if library.staff else ()),
                *(Link(urls.page(f"{p.slug}/"), p.title)
                  for p in sorted((p for p in library.pages.values() if p.nav is not None), key=lambda p: (p.nav, p.slug))),
            ),
            home_url=urls.page(),
            stylesheet_url=urls.page("assets/site.css"),
            brand_stylesheet_url=urls.page(BRAND_STYLESHEET) if site.accent_color else None,
            logo_url=urls.page(logo_path(site.logo)) if site.logo else None,
            footer=site.footer,
            social=tuple(Link(link.url, link.name) for link in site.social),
            icon_url=urls.page("assets/favicon.svg"),
            feed_url=urls.page("feed.xml"),
            verdicts_url=urls.page("verdicts/"),
            search_url=urls.page("search/"),
            claims_url=urls.page("claims/"),
            corrections_url=urls.page("corrections/"),
            dataset_url=urls.page(DATASET_PATH),
            tips_url=site.tips_url,
        )
        self.cards = {slug: self._card(claim) for slug, claim in library.claims.items()}

    # -- small views ---------------------------------------------------------

    def _date(self, value: dt.date | None) -> DateView | None:
        """Archives reuse few dates across many pages; spell each out once."""
        if value is None:
            return None
        view = self._dates.get(value)
        if view is None:
            view = self._dates[value] = DateView(value.isoformat(), self.ui.date(value))
        return view

    def _person_link(self, slug: str) -> Link:
        return Link(self.urls.record("person", slug), self.lib.people[slug].name)

    def _card(self, claim: model.Claim) -> ClaimCard:
        lang = claim.language or self.site_lang
        return ClaimCard(
            slug=claim.slug,
            url=self.urls.record("claim", claim.slug),
            claim=claim.claim,
            claimant=self._person_link(claim.claimant.slug),
            date=self._date(claim.date),
            reviewed=self._date(claim.reviewed),
            verdict=self.badges[claim.verdict.slug],
            summary=claim.summary,
            lang=lang,
            dir=direction(lang),
        )

    def _source_card(self, source: model.Source) -> SourceCard:
        return SourceCard(
            slug=source.slug,
            url=self.urls.record("source", source.slug),
            title=source.title,
            kind=self.ui.gettext(SOURCE_KIND_LABELS[source.kind]),
            publisher=source.publisher,
            published=self._date(source.published),
        )

    def _cards(self, slugs) -> tuple[ClaimCard, ...]:
        return tuple(sorted((self.cards[s] for s in slugs), key=_newest_review_first))

    def _quote_view(self, source: model.Source, quote: model.Quote) -> QuoteView:
        """A quote as every page shows it; built once per process, since claim,
        source and person pages all show the same quotes."""
        key = (source.slug, quote.id)
        view = self._quote_views.get(key)
        if view is None:
            view = self._quote_views[key] = self._make_quote_view(source, quote)
        return view

    def _make_quote_view(self, source: model.Source, quote: model.Quote) -> QuoteView:
        lang = source.language or self.site_lang
        cited_by = self._cards(self.lib.claims_citing_quote.get((source.slug, quote.id), ()))
        in_context = None
        if source.text is not None and quote.spans:
            before, after = context_around(source.text.text, quote.spans)
            in_context = QuoteInContext(before, after, self.urls.record("source", source.slug, f"text-{quote_anchor(quote.id)}"))
        return QuoteView(
            id=quote.id,
            url=self.urls.quote(source.slug, quote.id),
            anchor=quote_anchor(quote.id),
            text=quote.text,
            speaker=self._person_link(quote.speaker.slug),
            date=self._date(quote.date),
            context=quote.context,
            source=self._source_card(source),
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

    def _archived_file(self, source: model.Source) -> ArchivedFile | None:
        text = source.text
        if text is None:
            return None
        kilobytes = text.size / 1000
        size = (self.ui.gettext("%(size)s KB", size=self.ui.number(round(kilobytes, 1))) if kilobytes < 1000
                else self.ui.gettext("%(size)s MB", size=self.ui.number(round(kilobytes / 1000, 1))))
        return ArchivedFile(
            url=self.urls.page(archived_file_output(source.slug, text.path)),
            name=archived_file_output(source.slug, text.path).rsplit("/", 1)[-1],
            size=size,
            sha256=text.sha256,
            recorded=source.sha256 is not None,
            archived=self._date_time(model.archived_at(source)),
            original_url=model.original_url(source),
        )

    def _date_time(self, value: dt.datetime | None) -> DateView | None:
        if value is None:
            return None
        value = value.astimezone(dt.timezone.utc)
        time = format_time(value, "HH:mm", locale=self.ui.locale)
        return DateView(value.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        self.ui.gettext("%(date)s, %(time)s UTC", date=self.ui.date(value.date()), time=time))

    def archived_files(self) -> list[tuple[str, str]]:
        """(path in the output, path in the site) of every source's archived file, copied as it is."""
        return [(archived_file_output(s.slug, s.text.path), s.text.path) for s in self.lib.sources.values() if s.text]

    def _tally(self, cards: tuple[ClaimCard, ...], keep_zero: bool = False) -> tuple[VerdictCount, ...]:
        counts = Counter(card.verdict.id for card in cards)
        total = len(cards) or 1
        return tuple(
            VerdictCount(badge, counts[id_], round(100 * counts[id_] / total))
            for id_, badge in self.badges.items()
            if keep_zero or counts[id_]
        )

    def _meta(self, kind: str, title: str, description: str, path: str, lang: str | None = None, og_type: str = "website",
              published: dt.date | None = None, modified: dt.date | None = None, image: ShareImage | None = None) -> PageMeta:
        lang = lang or self.site_lang
        url = self.urls.page(path)
        return PageMeta(kind, title, description, url, self.urls.absolute(url), lang, direction(lang), og_type,
                        published and published.isoformat(), modified and modified.isoformat(), image)

    # -- pages -----------------------------------------------------------------

    def pages(self) -> list[Page]:
        return [plan.make() for plan in self.plans()]

    def plans(self) -> list[PagePlan]:
        """Every page of the site; record pages are built only when rendered."""
        return (self.record_plans(self._record_keys())
                + [PagePlan.ready(page) for page in self.text_pages() + self.global_pages()])

    def record_plans(self, keys) -> list[PagePlan]:
        return [
            PagePlan(output, _TEMPLATE_OF[_RECORD_PAGES[kind]],
                     self._records(kind)[slug].pos, functools.partial(self.record_page, kind, slug, number))
            for kind, slug in keys
            for number, output in enumerate(record_outputs(self.lib, kind, slug), start=1)
        ]

    def record_page(self, kind: str, slug: str, number: int = 1) -> Page:
        """Page `number` of one record; kind is claim, source, person or topic."""
        record = self._records(kind)[slug]
        if kind == "claim":
            return self.claim_page(record)
        if kind == "staff":
            return self.staff_page(record)
        return {"source": self.source_page, "person": self.person_page, "topic": self.topic_page}[kind](record, number)

    def _record_share(self, kind: str, slug: str, cards: tuple[ClaimCard, ...], number: int):
        """This page's claims of a record's list, its metadata and Pagination (None: one page); output path."""
        meta = self.record_meta(kind, slug)
        count = _page_count(len(cards))
        if count == 1:
            return cards, meta, None, output_file(model.KINDS[kind], slug)
        path = f"{model.KINDS[kind]}/{slug}/"
        pagination = self._pagination(path, number, count)
        if number > 1:
            title = self.ui.gettext("%(heading)s, page %(number)s of %(count)s", heading=meta.title,
                                    number=self.ui.number(number), count=self.ui.number(count))
            url = self.urls.page(f"{path}page/{number}/")
            meta = dataclasses.replace(meta, title=title, path=url, canonical=self.urls.absolute(url), image=None)
        output = output_file(model.KINDS[kind], slug) if number == 1 else f"{path}page/{number}/index.html"
        return cards[(number - 1) * CLAIMS_PER_PAGE:number * CLAIMS_PER_PAGE], meta, pagination, output

    def _pagination(self, path: str, number: int, count: int) -> Pagination:
        """Page `number` of `count` of the list at `path` ('claims/'); the others at <path>page/<n>/."""
        paths = [path] + [f"{path}page/{n}/" for n in range(2, count + 1)]
        links = tuple(Link(self.urls.page(p), self.ui.number(n)) for n, p in enumerate(paths, start=1))
        return Pagination(number, count, links[number - 2] if number > 1 else None,
                          links[number] if number < count else None, links)

    def global_pages(self) -> list[Page]:
        """Pages that show the whole archive: any edit may change them."""
        pages = [self.home_page(), *self.claims_indexes(), self.verdicts_page(), self.corrections_page(),
                 self.not_found_page(), self.search_page()]
        pages += self.list_pages()
        # The sitemap takes the records' metadata, not their pages, so that a
        # rebuild after one edit need not build every record's page.
        metas = [self.record_meta(kind, slug) for kind, slug in self._record_keys()]
        metas += [self.text_page_meta(page) for page in self.lib.pages.values()]
        metas += [p.context.meta for p in pages if p.context.meta.kind in SITEMAP_INDEXES]
        return pages + self.feed_pages() + [
            Page.of("feed.xml", atom_feed(self.lib, self.urls, self.ui)),
            Page.of("sitemap.xml", sitemap(meta for meta in metas if not meta.noindex)),
            Page.of("robots.txt", Robots(self.urls.absolute(self.urls.page("sitemap.xml")))),
        ] + self.alias_pages()

    def alias_pages(self) -> list[Page]:
        """One redirect page per alias; last, so that a clash names the alias rather than the page it would hide."""
        return [Page.of(alias.output, AliasPage(self.record_meta("claim", claim.slug), self.urls.record("claim", claim.slug)), alias.pos)
                for claim in self.lib.claims.values() for alias in claim.aliases]

    def text_pages(self) -> list[Page]:
        """The archive's own pages: they show no record, so only a change to them or to the site changes them."""
        return [Page.of(f"{page.slug}/index.html", TextPage(self.text_page_meta(page), Markup(page.body.html), self._figure(page.image)), page.pos)
                for page in self.lib.pages.values()]

    def _figure(self, figure: model.Figure | None) -> Markup | None:
        # At the top of its page: loaded at once, not lazily.
        return Markup(images.picture_html(figure, self.urls, lazy=False)) if figure else None

    def figures(self) -> list[model.Figure]:
        """v2: every image the published site shows."""
        lib = self.lib
        texts = [c.analysis for c in lib.claims.values()] + [p.body for p in lib.pages.values()] + [s.bio for s in lib.staff.values() if s.bio]
        own = [r.image for r in (*lib.claims.values(), *lib.staff.values(), *lib.pages.values()) if r.image]
        return own + [f for text in texts for f in text.images]

    def text_page_meta(self, page: model.Page) -> PageMeta:
        return self._held(("page", page.slug), self._meta("page", page.title, page.description or self.ui.gettext("%(page)s: %(site)s.", page=page.title, site=self.lib.site.title), f"{page.slug}/"))

    def _held(self, key: tuple[str, str], meta: PageMeta) -> PageMeta:
        """An unpublished record's page, shown by build --drafts and serve: a banner says so, and noindex."""
        held = self.lib.held.get(key)
        if held is None:
            return meta
        if held.until is None:
            banner = self.ui.gettext("Draft: not published")
        else:
            banner = self.ui.gettext("Embargoed until %(time)s", time=f"{self.ui.date(held.until.date())}, {held.until:%H:%M} UTC")
        return dataclasses.replace(meta, banner=banner, noindex=True)

    def record_meta(self, kind: str, slug: str) -> PageMeta:
        return self._held((kind, slug), self._record_meta(kind, slug))

    def _record_meta(self, kind: str, slug: str) -> PageMeta:
        record = self._records(kind)[slug]
        if kind == "claim":
            card = self.cards[slug]
            image = ShareImage(self.urls.absolute(self.urls.page(share_image_path(slug))), share_image.WIDTH, share_image.HEIGHT,
                               f"{card.verdict.label}: {record.claim}")
            return self._meta("claim", record.claim, f"{card.verdict.label}: {record.summary}", f"claims/{slug}/", card.lang,
                              "article", record.reviewed, record.updated or record.reviewed, image)
        if kind == "source":
            count = len(record.quotes)
            description = self.ui.ngettext("%(kind)s with %(num)d archived quote.", "%(kind)s with %(num)d archived quotes.",
                                           count, kind=self.ui.gettext(SOURCE_KIND_LABELS[record.kind]))
            return self._meta("source", record.title, description, f"sources/{slug}/", record.language)
        if kind == "person":
            description = record.description or self.ui.gettext("Claims and quotes of %(name)s.", name=record.name)
            return self._with_feed(self._meta("person", record.name, description, f"people/{slug}/", og_type="profile"),
                                   self.lib.claims_by_claimant.get(slug), self.ui.gettext("%(site)s: claims by %(name)s", site=self.lib.site.title, name=record.name))
        if kind == "staff":
            description = self.ui.gettext("%(role)s at %(publisher)s: their fact-checks.", role=record.role, publisher=self.lib.site.publisher.name)
            return self._with_feed(self._meta("staff", record.name, description, f"staff/{slug}/", og_type="profile"),
                                   self.lib.claims_by_staff.get(slug), self.ui.gettext("%(site)s: fact-checks by %(name)s", site=self.lib.site.title, name=record.name))
        return self._with_feed(self._meta("topic", record.title, record.description or self.ui.gettext("Fact-checks about %(topic)s.", topic=record.title), f"topics/{slug}/"),
                               self.lib.claims_by_topic.get(slug), self.ui.gettext("%(site)s: fact-checks about %(topic)s", site=self.lib.site.title, topic=record.title))

    def _with_feed(self, meta: PageMeta, claims, title: str) -> PageMeta:
        """A page that lists claims links the Atom feed of the same claims, written beside it (feed_pages)."""
        if not claims:
            return meta
        return dataclasses.replace(meta, feed=Link(meta.path + "feed.xml", title))

    def feed_pages(self) -> list[Page]:
        """v2: an Atom feed per topic, claimant, staff member and verdict, beside its page."""
        groups = [(self.record_meta(kind, slug), claims) for kind, by in (("topic", self.lib.claims_by_topic),
                  ("person", self.lib.claims_by_claimant), ("staff", self.lib.claims_by_staff)) for slug, claims in by.items()]
        by_verdict: dict[str, list[str]] = {}
        for slug, claim in self.lib.claims.items():
            by_verdict.setdefault(claim.verdict.slug, []).append(slug)
        for verdict_id, claims in by_verdict.items():
            meta = self._meta("claims", self.badges[verdict_id].label, "", f"claims/verdict/{verdict_id}/")
            title = self.ui.gettext("%(site)s: fact-checks rated %(verdict)s", site=self.lib.site.title, verdict=self.badges[verdict_id].label)
            groups.append((self._with_feed(meta, claims, title), claims))
        return [Page.of(self.urls.output_path(meta.feed.url), atom_feed(self.lib, self.urls, self.ui, claims=claims, title=meta.feed.text,
                                                                        self_path=meta.feed.url, alternate=meta.canonical))
                for meta, claims in groups if meta.feed is not None and claims]

    def _records(self, kind: str) -> dict:
        return self.lib.records_of(kind)

    def _record_keys(self) -> list[tuple[str, str]]:
        return [(kind, slug) for kind in ("claim", "source", "person", "topic", "staff") for slug in self._records(kind)]

    def data_files(self) -> list[tuple[str, Callable[[], Iterable[bytes]]]]:
        """Outputs that are not rendered from a template: (path in the output, what makes its bytes, in pieces).

        In pieces, because the dataset of a large archive is larger than
        everything else the build holds in memory.
        """
        site = self.lib.site
        files = [(DATASET_PATH, functools.partial(claims_dataset, self.lib, self.urls))]
        if site.accent_color:
            dark = site.accent_color_dark or brand.dark_variant(site.accent_color)
            stylesheet = brand.brand_stylesheet(site.accent_color, dark)
            files.append((BRAND_STYLESHEET, lambda: [stylesheet]))
        if site.logo:
            files.append((logo_path(site.logo), lambda: [site.logo.data]))
        stylesheets = [self.urls.page("assets/site.css")] + ([self.urls.page(BRAND_STYLESHEET)] if site.accent_color else [])
        files += cms.admin_files(site, stylesheets)
        written = {}
        for figure in self.figures():  # v2: the same file used twice is written once
            for version in images.versions(figure.file):
                written.setdefault(version.path, (figure.file, version))
        files += [(path, functools.partial(_image_bytes, image, version, self.image_cache))
                  for path, (image, version) in sorted(written.items())]
        return files

    def claim_page(self, claim: model.Claim) -> Page:
        card = self.cards[claim.slug]
        related = self._related(claim)
        repository = self.lib.site.repository and self.lib.site.repository.rstrip("/")
        quotes = tuple(self._quote_view(*self.lib.quote(ref)) for ref in claim.quotes)
        context = ClaimPage(
            meta=self.record_meta("claim", claim.slug),
            claim=card,
            analysis=Markup(claim.analysis.html),
            quotes=quotes,
            appearances=tuple(self._source_card(self.lib.sources[r.slug]) for r in claim.appearances),
            counterclaims=self._cards(self.lib.counterclaims.get(claim.slug, ())),
            topics=tuple(Link(self.urls.record("topic", r.slug), self.lib.topics[r.slug].title) for r in claim.topics),
            updated=self._date(claim.updated),
            corrections=tuple(CorrectionView(self._date(c.date), c.note) for c in claim.corrections),
            structured_data=claim_review(claim, self.lib, self.urls),
            related=related,
            claim_map=self._claim_map([card, *(r.claim for r in related)], self.ui.gettext("Claims related to “%(claim)s”", claim=claim.claim),
                                      len(related), centred=True),
            history_url=f"{repository}/commits/main/content/claims/{claim.slug}.yaml" if repository else None,
            original_rating=claim.original_rating,
            original_url=claim.original_url,
            authors=self._staff_links(claim.authors),
            editors=self._staff_links(claim.editors),
            report_error_url=self._report_error_url(claim),
            image=self._figure(claim.image),
            corrections_policy_url=self.urls.page("corrections-policy/") if "corrections-policy" in self.lib.pages else None,
        )
        page = Page.of(output_file("claims", claim.slug), context, claim.pos)
        return dataclasses.replace(page, attachments=functools.partial(self.claim_attachments, claim.slug))

    def _report_error_url(self, claim: model.Claim) -> str | None:
        """The report address with the claim's in it, so the desk knows which fact-check a reader means."""
        base = self.lib.site.report_error_url
        if base is None:
            return None
        address = self.urls.absolute(self.urls.record("claim", claim.slug))
        joiner = "&" if "?" in base else "?"
        if base.startswith("mailto:"):
            subject = self.ui.gettext("Error in the fact-check %(url)s", url=address)
            return f"{base}{joiner}subject={urllib.parse.quote(subject, safe='')}"
        return f"{base}{joiner}url={urllib.parse.quote(address, safe='')}"

    def attachment_paths(self) -> list[str]:
        """Where claim_attachments writes, for every claim: reserved before anything is written."""
        return [share_image_path(slug) for slug in self.lib.claims]

    def claim_attachments(self, slug: str) -> list[tuple[str, bytes]]:
        """The files a claim's page links besides itself: its share image."""
        claim, card = self.lib.claims[slug], self.cards[slug]
        return [(share_image_path(slug), share_image.render_cached(
            share_image.cache_dir(self.image_cache), self.lib.site.title, claim.claim, card.verdict.label, card.verdict.tone, direction=card.dir, language=card.lang,
            site_direction=direction(self.site_lang), site_language=self.site_lang))]

    def source_page(self, source: model.Source, number: int = 1) -> Page:
        shown, meta, pagination, output = self._record_share(
            "source", source.slug, self._cards(self.lib.claims_by_source.get(source.slug, ())), number)
        text = None
        if source.text is not None and number == 1:
            text = marked_text(source.text.text, {quote_anchor(q.id): q.spans for q in source.quotes})
        context = SourcePage(
            meta=meta,
            source=self._source_card(source),
            original_url=model.original_url(source),
            archive_url=source.archive_url,
            quotes=tuple(self._quote_view(source, q) for q in source.quotes) if number == 1 else (),
            text=text,
            claims=shown,
            pagination=pagination,
            archived_file=self._archived_file(source),
        )
        return Page.of(output, context, source.pos)

    def person_page(self, person: model.Person, number: int = 1) -> Page:
        claims = self._cards(self.lib.claims_by_claimant.get(person.slug, ()))
        shown, meta, pagination, output = self._record_share("person", person.slug, claims, number)
        context = PersonPage(
            meta=meta,
            name=person.name,
            kind=person.kind,
            description=person.description,
            affiliation=self._person_link(person.affiliation.slug) if person.affiliation else None,
            url=person.url,
            same_as=person.same_as,
            members=tuple(self._person_link(s) for s in self.lib.members.get(person.slug, ())),
            # The tally counts every claim; the timeline draws the claims listed
            # below it, so that a page stays the same size however many there are.
            claims=shown,
            tally=self._tally(claims),
            verdict_chart=self._verdict_chart(claims, self.ui.gettext("Verdicts on %(name)s’s claims", name=person.name)),
            timeline=self._timeline(shown, self.ui.gettext("Claims by %(name)s by the date they were made", name=person.name)),
            quotes=tuple(self._quote_view(self.lib.sources[s], q) for s, qid in self.lib.quotes_by_speaker.get(person.slug, ())
                         for q in self.lib.sources[s].quotes if q.id == qid) if number == 1 else (),
            pagination=pagination,
        )
        return Page.of(output, context, person.pos)

    def staff_page(self, member: model.Staff) -> Page:
        context = StaffPage(
            meta=self.record_meta("staff", member.slug),
            name=member.name,
            role=member.role,
            bio=Markup(member.bio.html) if member.bio else None,
            same_as=member.same_as,
            claims=self._cards(self.lib.claims_by_staff.get(member.slug, ())),
            image=self._figure(member.image),
        )
        return Page.of(output_file("staff", member.slug), context, member.pos)

    def _staff_links(self, refs) -> tuple[Link, ...]:
        return tuple(Link(self.urls.record("staff", r.slug), self.lib.staff[r.slug].name) for r in refs)

    def topic_page(self, topic: model.Topic, number: int = 1) -> Page:
        claims = self._cards(self.lib.claims_by_topic.get(topic.slug, ()))
        shown, meta, pagination, output = self._record_share("topic", topic.slug, claims, number)
        context = TopicPage(
            meta=meta,
            title=topic.title,
            description=topic.description,
            claims=shown,
            tally=self._tally(claims),
            verdict_chart=self._verdict_chart(claims, self.ui.gettext("Verdicts on claims about %(topic)s", topic=topic.title)),
            timeline=self._timeline(shown, self.ui.gettext("Claims about %(topic)s by the date they were made", topic=topic.title)),
            claim_map=self._claim_map(claims[:MAP_TOPIC_CLAIMS], self.ui.gettext("Claims about %(topic)s and how they relate", topic=topic.title),
                                      len(claims), centred=False) if claims and number == 1 else None,
            pagination=pagination,
        )
        return Page.of(output, context, topic.pos)

    # -- charts ----------------------------------------------------------------

    def _related(self, claim: model.Claim) -> tuple[RelatedClaim, ...]:
        """Counterclaims, then claims citing one of its quotes, then claims using one of its sources; each by slug."""
        lib = self.lib
        # The library's groups are sorted by slug: merged lazily, each group stops
        # at the first MAP_NEIGHBOURS it needs, so a quote or source cited by
        # every claim costs each claim a dozen steps, not a pass over them all.
        groups = (
            (self.ui.gettext("counterclaim"), [sorted(lib.counterclaims.get(claim.slug, ()))]),
            (self.ui.gettext("shares a quote"), [lib.claims_citing_quote.get((ref.source, ref.quote), ()) for ref in claim.quotes]),
            (self.ui.gettext("shares a source"), [lib.claims_by_source.get(source, ()) for source in sorted(_sources_of(claim))]),
        )
        seen, related = {claim.slug}, []
        for relation, lists in groups:
            for slug in heapq.merge(*lists):
                if len(related) == MAP_NEIGHBOURS:
                    return tuple(related)
                if slug not in seen:
                    seen.add(slug)
                    related.append(RelatedClaim(self.cards[slug], relation))
        return tuple(related)

    def _claim_map(self, cards: list[ClaimCard] | tuple[ClaimCard, ...], title: str, total: int, centred: bool) -> ClaimMap:
        """The claims as nodes; an edge wherever two are counterclaims or share a quote or source."""
        lib = self.lib
        sources = {card.slug: _sources_of(lib.claims[card.slug]) for card in cards}
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
        nodes = [charts.MapNode(c.url, c.claim, c.verdict.label, c.verdict.tone, c.lang if c.lang != self.site_lang else None)
                 for c in cards]
        shown = len(cards) - (1 if centred else 0)
        ui = self.ui
        desc = (ui.ngettext("%(num)d related claim around the claim; lines join counterclaims (dashed) and claims "
                            "sharing a quote or source (solid). The list below names the same claims.",
                            "%(num)d related claims around the claim; lines join counterclaims (dashed) and claims "
                            "sharing a quote or source (solid). The list below names the same claims.", shown)
                if centred else
                ui.ngettext("%(num)d of %(total)d claim; lines join counterclaims (dashed) and claims sharing a quote or source (solid).",
                            "%(num)d of %(total)d claims; lines join counterclaims (dashed) and claims sharing a quote or source (solid).",
                            total, num=shown, total=total))
        # Both layouts go out; the stylesheet shows the one that fits the screen.
        return ClaimMap(charts.claim_map(nodes, edges, title, desc, centred, ui)
                        + charts.claim_map_narrow(nodes, edges, title, desc, centred, ui), shown, total)

    def _verdict_chart(self, claims: tuple[ClaimCard, ...], title: str) -> Markup | None:
        if not claims:
            return None
        return charts.verdict_bars([charts.Bar(c.verdict.label, c.verdict.tone, c.count) for c in self._tally(claims)], title, self.ui)

    def _timeline(self, claims: tuple[ClaimCard, ...], title: str) -> Markup | None:
        if not claims:
            return None
        points = [charts.TimelinePoint(self.lib.claims[c.slug].date, c.claim, c.verdict.label, c.verdict.tone) for c in claims]
        return charts.timeline(points, title, self.ui) + charts.timeline(points, title, self.ui, narrow=True)

    def home_page(self) -> Page:
        all_cards = self._cards(self.lib.claims)
        context = HomePage(
            meta=self._meta("home", self.lib.site.title, self.lib.site.description or self.ui.gettext("Fact-checks published by %(publisher)s.", publisher=self.lib.site.publisher.name), ""),
            latest=all_cards[:LATEST_ON_HOME],
            tally=self._tally(all_cards),
            claim_count=len(all_cards),
            source_count=len(self.lib.sources),
            quote_count=sum(len(s.quotes) for s in self.lib.sources.values()),
        )
        return Page.of("index.html", context)

    def claims_indexes(self) -> list[Page]:
        """The index of all claims and one per verdict, each cut into pages of CLAIMS_PER_PAGE."""
        all_cards = self._cards(self.lib.claims)
        by_verdict = {badge.id: tuple(c for c in all_cards if c.verdict.id == badge.id) for badge in self.badges.values()}
        groups = (
            tuple(ClaimGroup(f"verdict-{badge.id}", badge.label, self.urls.page(f"claims/verdict/{badge.id}/"), len(by_verdict[badge.id]))
                  for badge in self.badges.values() if by_verdict[badge.id]),
            tuple(ClaimGroup(f"claimant-{slug}", self.lib.people[slug].name, self.urls.record("person", slug), len(claims))
                  for slug, claims in sorted(self.lib.claims_by_claimant.items(), key=lambda kv: self.lib.people[kv[0]].name.casefold())),
            tuple(ClaimGroup(f"topic-{slug}", self.lib.topics[slug].title, self.urls.record("topic", slug), len(claims))
                  for slug, claims in sorted(self.lib.claims_by_topic.items(), key=lambda kv: self.lib.topics[kv[0]].title.casefold())),
        )
        ui = self.ui
        pages = self._claim_list_pages("claims/", ui.gettext("All fact-checks"),
                                       ui.ngettext("All %(num)d fact-check, newest first, by verdict, claimant and topic.",
                                                   "All %(num)d fact-checks, newest first, by verdict, claimant and topic.", len(all_cards)),
                                       all_cards, groups)
        for badge in self.badges.values():
            if by_verdict[badge.id]:
                verdict_pages = self._claim_list_pages(f"claims/verdict/{badge.id}/", ui.gettext("Fact-checks rated %(verdict)s", verdict=badge.label),
                                                       ui.gettext("Every claim rated %(verdict)s, newest first.", verdict=badge.label), by_verdict[badge.id])
                first = verdict_pages[0]
                meta = self._with_feed(first.context.meta, by_verdict[badge.id], ui.gettext(
                    "%(site)s: fact-checks rated %(verdict)s", site=self.lib.site.title, verdict=badge.label))
                verdict_pages[0] = dataclasses.replace(first, context=dataclasses.replace(first.context, meta=meta))
                pages += verdict_pages
        return pages

    def _claim_list_pages(self, path: str, heading: str, description: str, cards: tuple[ClaimCard, ...],
                          groups: tuple = ((), (), ())) -> list[Page]:
        count = _page_count(len(cards))
        paths = [path] + [f"{path}page/{n}/" for n in range(2, count + 1)]
        pages = []
        for number in range(1, count + 1):
            title = heading if number == 1 else self.ui.gettext("%(heading)s, page %(number)s of %(count)s", heading=heading,
                                                                number=self.ui.number(number), count=self.ui.number(count))
            pagination = self._pagination(path, number, count)
            context = ClaimsIndexPage(
                meta=self._meta("claims", title, description, paths[number - 1]),
                heading=heading,
                total=len(cards),
                claims=cards[(number - 1) * CLAIMS_PER_PAGE:number * CLAIMS_PER_PAGE],
                pagination=pagination,
                by_verdict=groups[0] if number == 1 else (),
                by_claimant=groups[1] if number == 1 else (),
                by_topic=groups[2] if number == 1 else (),
            )
            pages.append(Page.of(f"{paths[number - 1]}index.html", context))
        return pages

    def verdicts_page(self) -> Page:
        context = VerdictsPage(
            meta=self._meta("verdicts", self.ui.gettext("The verdict scale"),
                            self.ui.gettext("What each verdict means and how many claims have it."), "verdicts/"),
            verdicts=self._tally(self._cards(self.lib.claims), keep_zero=True),
        )
        return Page.of("verdicts/index.html", context)

    def list_pages(self) -> list[Page]:
        lib, urls, ui = self.lib, self.urls, self.ui
        lists = [
            ("sources", ui.gettext("Sources"), ui.gettext("The documents behind the fact-checks, with their original quotes."),
             [(Link(urls.record("source", s.slug), s.title),
               ui.gettext("%(kind)s, %(publisher)s", kind=ui.gettext(SOURCE_KIND_LABELS[s.kind]), publisher=s.publisher)
               if s.publisher else ui.gettext(SOURCE_KIND_LABELS[s.kind]))
              for s in lib.sources.values()]),
            ("people", ui.gettext("People and organisations"), ui.gettext("Everyone whose claims or quotes are in the archive."),
             [(Link(urls.record("person", p.slug), p.name), p.description) for p in sorted(lib.people.values(), key=lambda p: p.name.casefold())]),
            ("topics", ui.gettext("Topics"), ui.gettext("Fact-checks grouped by subject."),
             [(Link(urls.record("topic", t.slug), t.title), t.description) for t in sorted(lib.topics.values(), key=lambda t: t.title.casefold())]),
        ]
        if lib.staff:  # v2: IFCN asks for the key staff to be named
            lists.append(("staff", ui.gettext("Our team"), ui.gettext("The people who check and edit the fact-checks of %(publisher)s.", publisher=lib.site.publisher.name),
                          [(Link(urls.record("staff", s.slug), s.name), s.role) for s in sorted(lib.staff.values(), key=lambda s: s.name.casefold())]))
        return [
            Page.of(f"{folder}/index.html", ListPage(self._meta(folder, heading, description, f"{folder}/"), heading, tuple(items)))
            for folder, heading, description, items in lists
        ]

    def corrections_page(self) -> Page:
        corrected = []
        for slug, claim in self.lib.claims.items():
            if claim.corrections:
                newest_first = sorted(claim.corrections, key=lambda c: c.date, reverse=True)
                corrected.append(CorrectedClaim(self.cards[slug], tuple(CorrectionView(self._date(c.date), c.note) for c in newest_first)))
        corrected.sort(key=lambda entry: (-int(entry.corrections[0].date.iso.replace("-", "")), entry.claim.slug))
        context = CorrectionsPage(
            meta=self._meta("corrections", self.ui.gettext("Corrections"),
                            self.ui.gettext("Every fact-check corrected since it was published, the latest correction first."), "corrections/"),
            claims=tuple(corrected),
        )
        return Page.of("corrections/index.html", context)

    def not_found_page(self) -> Page:
        return Page.of("404.html", NotFoundPage(self._meta("not-found", self.ui.gettext("Page not found"),
                                                         self.ui.gettext("There is no page at this address."), "404.html")))

    def search_page(self) -> Page:
        context = SearchPage(
            meta=self._meta("search", self.ui.gettext("Search"), self.ui.gettext("Search the fact-checks, their sources and the people quoted."), "search/"),
            bundle_url=self.urls.page("pagefind/"),
            script_url=self.urls.page("assets/search.js"),
            stylesheet_url=self.urls.page("assets/search.css"),
        )
        return Page.of("search/index.html", context)


def _image_bytes(image: model.ContentImage, version, cache: str | None) -> list[bytes]:
    return [images.render(image, version, cache)]


def share_image_path(slug: str) -> str:
    return f"claims/{slug}/og.png"


def _page_count(items: int) -> int:
    return max(1, -(-items // CLAIMS_PER_PAGE))


def record_outputs(lib: Library, kind: str, slug: str) -> list[str]:
    """Every file a record's pages take: a topic, person or source with many claims lists them on pages of CLAIMS_PER_PAGE."""
    claims = {"source": lib.claims_by_source, "person": lib.claims_by_claimant, "topic": lib.claims_by_topic}.get(kind)
    count = _page_count(len(claims.get(slug, ()))) if claims is not None else 1
    folder = model.KINDS[kind]
    return [output_file(folder, slug)] + [f"{folder}/{slug}/page/{n}/index.html" for n in range(2, count + 1)]


def _sources_of(claim: model.Claim) -> set[str]:
    return {r.slug for r in claim.appearances} | {q.source for q in claim.quotes}


def logo_path(logo: model.Image) -> str:
    return f"assets/logo{logo.extension}"


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

"""The site-wide pages: home, verdicts, corrections, search, 404, the archive's own pages, feeds, sitemap, robots.txt.

They show the whole archive, so a rebuild makes them all again and renders
those whose context changed. The families' own site-wide pages (their
indexes) come from each family.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..feeds import AtomFeed, Robots, Sitemap, atom_feed, sitemap
from .family import Family
from .views import ClaimCard, CorrectionView, ListPage, Output, PageMeta, VerdictCount, Views

LATEST_ON_HOME = 10


@dataclass(frozen=True, slots=True)
class HomePage:
    meta: PageMeta  # the page's metadata
    latest: tuple[ClaimCard, ...]  # the latest fact-checks, newest review first
    tally: tuple[VerdictCount, ...]  # all claims counted by verdict
    claim_count: int  # how many fact-checks
    source_count: int  # how many sources
    quote_count: int  # how many original quotes


@dataclass(frozen=True, slots=True)
class VerdictsPage:
    meta: PageMeta  # the page's metadata
    verdicts: tuple[VerdictCount, ...]  # every verdict of the scale, in order, with its count


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
class NotFoundPage:
    meta: PageMeta  # the page's metadata


@dataclass(frozen=True, slots=True)
class SearchPage:
    meta: PageMeta  # the page's metadata
    bundle_url: str  # Pagefind's folder, written by the indexing stage
    script_url: str  # our glue between the URL's ?q= and Pagefind's UI
    stylesheet_url: str  # the search page's own rules, after Pagefind's


# Each site-wide template, the context it receives as `page`, and what it writes.
TEMPLATES: dict[str, tuple[type, str]] = {
    "home.html": (HomePage, "the home page, `index.html`"),
    "page.html": (TextPage, "each of the archive's own pages, `<slug>/`, from `content/pages/<slug>.md`"),
    "list.html": (
        ListPage,
        "the index of each family but the claims': `sources/`, `people/`, `topics/` and (with staff) `staff/`",
    ),
    "verdicts.html": (VerdictsPage, "the verdict scale, `verdicts/`"),
    "corrections.html": (CorrectionsPage, "the list of corrections, `corrections/`"),
    "search.html": (SearchPage, "the search page, `search/`"),
    "404.html": (NotFoundPage, "the page for unknown addresses, `404.html`"),
    "feed.xml": (AtomFeed, "the Atom feed of fact-checks, `feed.xml`"),
    "sitemap.xml": (Sitemap, "the sitemap for search engines, `sitemap.xml`"),
    "robots.txt": (Robots, "`robots.txt`, which points crawlers at the sitemap"),
}


def text_pages(views: Views) -> list[Output]:
    """The archive's own pages: they show no record, so only a change to them or to the site changes them."""
    return [
        Output(
            f"{page.slug}/index.html",
            "page.html",
            TextPage(text_page_meta(views, page), Markup(page.body.html), views.figure(page.image)),
            page.pos,
        )
        for page in views.lib.pages.values()
    ]


def text_page_meta(views: Views, page) -> PageMeta:
    meta = views.meta(
        "page",
        page.title,
        page.description or views.ui.gettext("%(page)s: %(site)s.", page=page.title, site=views.lib.site.title),
        f"{page.slug}/",
    )
    return views.held(("page", page.slug), meta)


def site_wide_pages(views: Views, families: tuple[Family, ...]) -> list[Output]:
    """Pages that show the whole archive: any edit may change them."""
    indexes = [home_page(views), verdicts_page(views), corrections_page(views)]
    indexes += [page for family in families for page in family.site_wide(views)]
    # The sitemap takes the records' metadata, not their pages, so that a
    # rebuild after one edit need not build every record's page.
    metas = [family.meta(views, record) for family in families for record in family.records(views.lib).values()]
    metas += [text_page_meta(views, page) for page in views.lib.pages.values()]
    metas += [page.context.meta for page in indexes]
    urls = views.urls
    return (
        indexes
        + [not_found_page(views), search_page(views)]
        + feed_pages(views, families)
        + [
            Output("feed.xml", "feed.xml", atom_feed(views.lib, urls, views.ui)),
            Output("sitemap.xml", "sitemap.xml", sitemap(meta for meta in metas if not meta.noindex)),
            Output("robots.txt", "robots.txt", Robots(urls.absolute(urls.page("sitemap.xml")))),
        ]
    )


def feed_pages(views: Views, families: tuple[Family, ...]) -> list[Output]:
    """v2: an Atom feed per topic, claimant, staff member and verdict, beside its page."""
    lib = views.lib
    groups = [
        (family.meta(views, family.records(lib)[slug]), claims)
        for family in families
        if family.listing
        for slug, claims in getattr(lib, family.listing).items()
    ]
    by_verdict: dict[str, list[str]] = {}
    for slug, claim in lib.claims.items():
        by_verdict.setdefault(claim.verdict.slug, []).append(slug)
    for verdict_id, claims in by_verdict.items():
        meta = views.meta("claims", views.badges[verdict_id].label, "", f"claims/verdict/{verdict_id}/")
        title = views.ui.gettext(
            "%(site)s: fact-checks rated %(verdict)s", site=lib.site.title, verdict=views.badges[verdict_id].label
        )
        groups.append((views.with_feed(meta, claims, title), claims))
    return [
        Output(
            views.urls.output_path(meta.feed.url),
            "feed.xml",
            atom_feed(
                lib,
                views.urls,
                views.ui,
                claims=claims,
                title=meta.feed.text,
                self_path=meta.feed.url,
                alternate=meta.canonical,
            ),
        )
        for meta, claims in groups
        if meta.feed is not None and claims
    ]


def home_page(views: Views) -> Output:
    lib, ui = views.lib, views.ui
    all_cards = views.claim_cards(lib.claims)
    context = HomePage(
        meta=views.meta(
            "home",
            lib.site.title,
            lib.site.description
            or ui.gettext("Fact-checks published by %(publisher)s.", publisher=lib.site.publisher.name),
            "",
        ),
        latest=all_cards[:LATEST_ON_HOME],
        tally=views.tally(all_cards),
        claim_count=len(all_cards),
        source_count=len(lib.sources),
        quote_count=sum(len(s.quotes) for s in lib.sources.values()),
    )
    return Output("index.html", "home.html", context)


def verdicts_page(views: Views) -> Output:
    context = VerdictsPage(
        meta=views.meta(
            "verdicts",
            views.ui.gettext("The verdict scale"),
            views.ui.gettext("What each verdict means and how many claims have it."),
            "verdicts/",
        ),
        verdicts=views.tally(views.claim_cards(views.lib.claims), keep_zero=True),
    )
    return Output("verdicts/index.html", "verdicts.html", context)


def corrections_page(views: Views) -> Output:
    corrected = []
    for slug, claim in views.lib.claims.items():
        if claim.corrections:
            newest_first = sorted(claim.corrections, key=lambda c: c.date, reverse=True)
            corrected.append(
                CorrectedClaim(
                    views.cards[slug], tuple(CorrectionView(views.date(c.date), c.note) for c in newest_first)
                )
            )
    corrected.sort(key=lambda entry: (-int(entry.corrections[0].date.iso.replace("-", "")), entry.claim.slug))
    context = CorrectionsPage(
        meta=views.meta(
            "corrections",
            views.ui.gettext("Corrections"),
            views.ui.gettext("Every fact-check corrected since it was published, the latest correction first."),
            "corrections/",
        ),
        claims=tuple(corrected),
    )
    return Output("corrections/index.html", "corrections.html", context)


def not_found_page(views: Views) -> Output:
    return Output(
        "404.html",
        "404.html",
        NotFoundPage(
            views.meta(
                "not-found",
                views.ui.gettext("Page not found"),
                views.ui.gettext("There is no page at this address."),
                "404.html",
            )
        ),
    )


def search_page(views: Views) -> Output:
    context = SearchPage(
        meta=views.meta(
            "search",
            views.ui.gettext("Search"),
            views.ui.gettext("Search the fact-checks, their sources and the people quoted."),
            "search/",
        ),
        bundle_url=views.urls.page("pagefind/"),
        script_url=views.urls.page("assets/search.js"),
        stylesheet_url=views.urls.page("assets/search.css"),
    )
    return Output("search/index.html", "search.html", context)

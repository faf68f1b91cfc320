"""The claim family: each fact-check's page, `claims/<slug>/`, its share image, and the index of all fact-checks."""

from __future__ import annotations

import dataclasses
import functools
import heapq
import urllib.parse
from dataclasses import dataclass

from markupsafe import Markup

from .. import model, share_image
from ..i18n import N_
from ..library import Library
from ..structured_data import claim_review
from ..text import direction
from ..urls import output_file
from .family import Family, Key
from .views import (
    ClaimCard,
    ClaimMap,
    CorrectionView,
    DateView,
    Link,
    Output,
    PageMeta,
    Pagination,
    QuoteView,
    ShareImage,
    SourceCard,
    Views,
    page_count,
    page_share,
)

MAP_NEIGHBOURS = 6  # related claims a claim's map draws and lists: the closest few (12 were 20 of a page's 38 KB)


@dataclass(frozen=True, slots=True)
class RelatedClaim:
    """A claim linked to another in the claim map, and how."""

    claim: ClaimCard  # the related claim
    relation: str  # how it relates, in words: counterclaim, shares a quote, shares a source
    edge: str = "shared"  # the map's kind of line to it, as its classes name it: counterclaim or shared


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
    related: tuple[
        RelatedClaim, ...
    ]  # counterclaims, then claims sharing a quote, then a source; at most MAP_NEIGHBOURS
    claim_map: ClaimMap  # the claim among its related claims, drawn
    history_url: str | None  # the claim file's change history in the archive's repository; None without `repository`
    original_rating: str | None  # an imported fact-check's rating in its original publisher's own words
    original_url: str | None  # where an imported fact-check was first published
    authors: tuple[Link, ...] = ()  # v2: the staff who researched and wrote it, for the byline
    editors: tuple[Link, ...] = ()  # v2: the staff who reviewed it
    report_error_url: str | None = None  # v2: site.yaml's report_error_url with this claim's address passed along
    corrections_policy_url: str | None = (
        None  # v2: the archive's page corrections-policy, if it has one, shown with report_error_url
    )
    image: Markup | None = None  # v2: the claim's image (a screenshot) as a <figure> of responsive versions


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Claims that share a verdict, a claimant or a topic, as the index links to them."""

    id: str  # element id of the group's entry
    title: str  # the group's name
    url: str  # the page listing the group's claims
    count: int  # how many claims it has


@dataclass(frozen=True, slots=True)
class ClaimsIndexPage:
    meta: PageMeta  # the page's metadata
    heading: str  # what the list holds: all fact-checks, or those with one verdict
    total: int  # how many claims the whole list has, across its pages
    claims: tuple[ClaimCard, ...]  # this page's share of the list, newest review first
    pagination: Pagination  # where this page stands in the list
    by_verdict: tuple[
        ClaimGroup, ...
    ]  # links to the claims of each verdict, in scale order (first page of the full index only)
    by_claimant: tuple[ClaimGroup, ...]  # links to each claimant's claims, by name (idem)
    by_topic: tuple[ClaimGroup, ...]  # links to each topic's claims, by title (idem)


@dataclass(frozen=True, slots=True)
class AliasPage:
    """An old address of a claim (its `aliases`): a page that sends the reader on to the claim."""

    meta: PageMeta  # the claim's metadata: meta.canonical is where the reader is sent
    target: str  # the claim page's URL path


class ClaimFamily(Family):
    kind = "claim"
    template = "claim.html"
    contract = ClaimPage
    writes = "each claim's page, `claims/<slug>/`"
    nav = (10, N_("Fact-checks"))
    index_templates = {
        "claims.html": (ClaimsIndexPage, "the index of all fact-checks, `claims/`"),
        "alias.html": (AliasPage, "each old address a claim lists in `aliases`, which redirects to the claim"),
    }

    def describe(self, views: Views, claim: model.Claim) -> PageMeta:
        card = views.cards[claim.slug]
        image = ShareImage(
            views.urls.absolute(views.urls.page(share_image_path(claim.slug))),
            share_image.WIDTH,
            share_image.HEIGHT,
            f"{card.verdict.label}: {claim.claim}",
        )
        return views.meta(
            "claim",
            claim.claim,
            f"{card.verdict.label}: {claim.summary}",
            f"claims/{claim.slug}/",
            card.lang,
            "article",
            claim.reviewed,
            claim.updated or claim.reviewed,
            image,
        )

    def page(self, views: Views, claim: model.Claim, number: int = 1) -> Output:
        lib, urls, ui = views.lib, views.urls, views.ui
        card = views.cards[claim.slug]
        related = self.related(views, claim)
        repository = lib.site.repository and lib.site.repository.rstrip("/")
        quotes = tuple(views.quote(*lib.quote(ref)) for ref in claim.quotes)
        context = ClaimPage(
            meta=self.meta(views, claim),
            claim=card,
            analysis=Markup(claim.analysis.html),
            quotes=quotes,
            appearances=tuple(views.source_card(lib.sources[r.slug]) for r in claim.appearances),
            counterclaims=views.claim_cards(lib.counterclaims.get(claim.slug, ())),
            topics=tuple(Link(urls.record("topic", r.slug), lib.topics[r.slug].title) for r in claim.topics),
            updated=views.date(claim.updated),
            corrections=tuple(CorrectionView(views.date(c.date), c.note) for c in claim.corrections),
            structured_data=claim_review(claim, lib, urls),
            related=related,
            claim_map=views.claim_map(
                [card, *(r.claim for r in related)],
                ui.gettext("Claims related to “%(claim)s”", claim=claim.claim),
                len(related),
                centred=True,
            ),
            history_url=f"{repository}/commits/main/content/claims/{claim.slug}.yaml" if repository else None,
            original_rating=claim.original_rating,
            original_url=claim.original_url,
            authors=views.staff_links(claim.authors),
            editors=views.staff_links(claim.editors),
            report_error_url=_report_error_url(views, claim),
            image=views.figure(claim.image),
            corrections_policy_url=urls.page("corrections-policy/") if "corrections-policy" in lib.pages else None,
        )
        return Output(
            output_file(self.folder, claim.slug),
            self.template,
            context,
            claim.pos,
            functools.partial(self.attachments, views, claim.slug),
        )

    def related(self, views: Views, claim: model.Claim) -> tuple[RelatedClaim, ...]:
        """Counterclaims, then claims citing one of its quotes, then claims using one of its sources; each by slug."""
        lib = views.lib
        # The library's groups are sorted by slug: merged lazily, each group stops
        # at the first MAP_NEIGHBOURS it needs, so a quote or source cited by
        # every claim costs each claim a dozen steps, not a pass over them all.
        groups = (
            (views.ui.gettext("counterclaim"), [sorted(lib.counterclaims.get(claim.slug, ()))], "counterclaim"),
            (
                views.ui.gettext("shares a quote"),
                [lib.claims_citing_quote.get((ref.source, ref.quote), ()) for ref in claim.quotes],
                "shared",
            ),
            (
                views.ui.gettext("shares a source"),
                [lib.claims_by_source.get(source, ()) for source in sorted(claim.sources)],
                "shared",
            ),
        )
        seen, related = {claim.slug}, []
        for relation, lists, edge in groups:
            for slug in heapq.merge(*lists):
                if len(related) == MAP_NEIGHBOURS:
                    return tuple(related)
                if slug not in seen:
                    seen.add(slug)
                    related.append(RelatedClaim(views.cards[slug], relation, edge))
        return tuple(related)

    def attachment_paths(self, lib: Library, slug: str) -> list[str]:
        return [share_image_path(slug)]

    def attachments(self, views: Views, slug: str) -> list[tuple[str, bytes]]:
        """The claim's share image, the picture link previews show."""
        claim, card, site_lang = views.lib.claims[slug], views.cards[slug], views.site_lang
        return [
            (
                share_image_path(slug),
                share_image.render_cached(
                    share_image.cache_dir(views.image_cache),
                    views.lib.site.title,
                    claim.claim,
                    card.verdict.label,
                    card.verdict.tone,
                    direction=card.dir,
                    language=card.lang,
                    site_direction=direction(site_lang),
                    site_language=site_lang,
                ),
            )
        ]

    def site_wide(self, views: Views) -> list[Output]:
        """The index of all claims and one per verdict, each cut into pages of CLAIMS_PER_PAGE."""
        lib, urls, ui = views.lib, views.urls, views.ui
        all_cards = views.claim_cards(lib.claims)
        by_verdict = {
            badge.id: tuple(c for c in all_cards if c.verdict.id == badge.id) for badge in views.badges.values()
        }
        groups = (
            tuple(
                ClaimGroup(
                    f"verdict-{badge.id}",
                    badge.label,
                    urls.page(f"claims/verdict/{badge.id}/"),
                    len(by_verdict[badge.id]),
                )
                for badge in views.badges.values()
                if by_verdict[badge.id]
            ),
            tuple(
                ClaimGroup(f"claimant-{slug}", lib.people[slug].name, urls.record("person", slug), len(claims))
                for slug, claims in sorted(
                    lib.claims_by_claimant.items(), key=lambda kv: lib.people[kv[0]].name.casefold()
                )
            ),
            tuple(
                ClaimGroup(f"topic-{slug}", lib.topics[slug].title, urls.record("topic", slug), len(claims))
                for slug, claims in sorted(
                    lib.claims_by_topic.items(), key=lambda kv: lib.topics[kv[0]].title.casefold()
                )
            ),
        )
        pages = _claim_list_pages(
            views,
            "claims/",
            ui.gettext("All fact-checks"),
            ui.ngettext(
                "All %(num)d fact-check, newest first, by verdict, claimant and topic.",
                "All %(num)d fact-checks, newest first, by verdict, claimant and topic.",
                len(all_cards),
            ),
            all_cards,
            groups,
        )
        for badge in views.badges.values():
            if by_verdict[badge.id]:
                verdict_pages = _claim_list_pages(
                    views,
                    f"claims/verdict/{badge.id}/",
                    ui.gettext("Fact-checks rated %(verdict)s", verdict=badge.label),
                    ui.gettext("Every claim rated %(verdict)s, newest first.", verdict=badge.label),
                    by_verdict[badge.id],
                )
                first = verdict_pages[0]
                meta = views.with_feed(
                    first.context.meta,
                    by_verdict[badge.id],
                    ui.gettext("%(site)s: fact-checks rated %(verdict)s", site=lib.site.title, verdict=badge.label),
                )
                verdict_pages[0] = dataclasses.replace(first, context=dataclasses.replace(first.context, meta=meta))
                pages += verdict_pages
        return pages

    def aliases(self, views: Views) -> list[Output]:
        """One redirect page per alias."""
        return [
            Output(
                alias.output,
                "alias.html",
                AliasPage(self.meta(views, claim), views.urls.record("claim", claim.slug)),
                alias.pos,
            )
            for claim in views.lib.claims.values()
            for alias in claim.aliases
        ]

    def shows(self, lib: Library, key: Key) -> set[str]:
        kind, slug = key
        if kind == "claim":  # itself, its counterclaims, and the claims whose map or related list may show it
            claim = lib.claims.get(slug)
            if claim is None:
                return {slug}
            shown = {slug, *lib.counterclaims.get(slug, ())}
            for ref in claim.quotes:
                shown.update(lib.claims_citing_quote.get((ref.source, ref.quote), ()))
            for source in claim.sources:
                shown.update(lib.claims_by_source.get(source, ()))
            return shown
        if kind == "source":
            return set(lib.claims_by_source.get(slug, ()))
        if kind == "person":  # the speaker of quotes it cites (its own claims: pages.dependent_pages)
            return {
                c
                for source, quote in lib.quotes_by_speaker.get(slug, ())
                for c in lib.claims_citing_quote.get((source, quote), ())
            }
        if kind == "topic":
            return set(lib.claims_by_topic.get(slug, ()))
        if kind == "staff":  # the byline
            return set(lib.claims_by_staff.get(slug, ()))
        return set()


FAMILY = ClaimFamily()


def share_image_path(slug: str) -> str:
    return f"claims/{slug}/og.png"


def _report_error_url(views: Views, claim: model.Claim) -> str | None:
    """The report address with the claim's in it, so the desk knows which fact-check a reader means."""
    base = views.lib.site.report_error_url
    if base is None:
        return None
    address = views.urls.absolute(views.urls.record("claim", claim.slug))
    joiner = "&" if "?" in base else "?"
    if base.startswith("mailto:"):
        subject = views.ui.gettext("Error in the fact-check %(url)s", url=address)
        return f"{base}{joiner}subject={urllib.parse.quote(subject, safe='')}"
    return f"{base}{joiner}url={urllib.parse.quote(address, safe='')}"


def _claim_list_pages(
    views: Views, path: str, heading: str, description: str, cards: tuple[ClaimCard, ...], groups: tuple = ((), (), ())
) -> list[Output]:
    count = page_count(len(cards))
    paths = [path] + [f"{path}page/{n}/" for n in range(2, count + 1)]
    pages = []
    for number in range(1, count + 1):
        title = views.page_title(heading, number, count)
        context = ClaimsIndexPage(
            meta=views.meta("claims", title, description, paths[number - 1]),
            heading=heading,
            total=len(cards),
            claims=page_share(cards, number),
            pagination=views.pagination(path, number, count),
            by_verdict=groups[0] if number == 1 else (),
            by_claimant=groups[1] if number == 1 else (),
            by_topic=groups[2] if number == 1 else (),
        )
        pages.append(Output(f"{paths[number - 1]}index.html", "claims.html", context))
    return pages

"""The person family: each person's or organisation's page, `people/<slug>/`: their claims and their quotes."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import model
from ..i18n import N_
from ..library import Library
from .family import Family, Key
from .views import ClaimCard, Link, Output, PageMeta, Pagination, QuoteView, VerdictCount, Views, list_pages


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


class PersonFamily(Family):
    kind = "person"
    template = "person.html"
    contract = PersonPage
    writes = "each person's or organisation's page, `people/<slug>/`"
    nav = (30, N_("People"))
    listing = "claims_by_claimant"
    paged = True

    def describe(self, views: Views, person: model.Person) -> PageMeta:
        ui = views.ui
        description = person.description or ui.gettext("Claims and quotes of %(name)s.", name=person.name)
        return views.with_feed(
            views.meta("person", person.name, description, f"people/{person.slug}/", og_type="profile"),
            self.claims_listed(views.lib, person.slug),
            ui.gettext("%(site)s: claims by %(name)s", site=views.lib.site.title, name=person.name),
        )

    def page(self, views: Views, person: model.Person, number: int = 1) -> Output:
        lib, ui = views.lib, views.ui
        claims = views.claim_cards(self.claims_listed(lib, person.slug))
        shown, meta, pagination, output = views.share(
            self.meta(views, person), self.folder, person.slug, claims, number
        )
        context = PersonPage(
            meta=meta,
            name=person.name,
            kind=person.kind,
            description=person.description,
            affiliation=views.person_link(person.affiliation.slug) if person.affiliation else None,
            url=person.url,
            same_as=person.same_as,
            members=tuple(views.person_link(s) for s in lib.members.get(person.slug, ())),
            # The tally counts every claim; the timeline draws the claims listed
            # below it, so that a page stays the same size however many there are.
            claims=shown,
            tally=views.tally(claims),
            verdict_chart=views.verdict_chart(claims, ui.gettext("Verdicts on %(name)s’s claims", name=person.name)),
            timeline=views.timeline(
                shown, ui.gettext("Claims by %(name)s by the date they were made", name=person.name)
            ),
            quotes=tuple(
                views.quote(lib.sources[s], q)
                for s, qid in lib.quotes_by_speaker.get(person.slug, ())
                for q in lib.sources[s].quotes
                if q.id == qid
            )
            if number == 1
            else (),
            pagination=pagination,
        )
        return Output(output, self.template, context, person.pos)

    def site_wide(self, views: Views) -> list[Output]:
        ui, urls = views.ui, views.urls
        items = [
            (Link(urls.record("person", p.slug), p.name), p.description)
            for p in sorted(views.lib.people.values(), key=lambda p: p.name.casefold())
        ]
        return list_pages(
            views,
            self.folder,
            ui.gettext("People and organisations"),
            ui.gettext("Everyone whose claims or quotes are in the archive."),
            items,
        )

    def shows(self, lib: Library, key: Key) -> set[str]:
        kind, slug = key
        if kind == "claim":  # its claimant, and who spoke the quotes it cites
            claim = lib.claims.get(slug)
            if claim is None:
                return set()
            shown = {claim.claimant.slug}
            for ref in claim.quotes:
                source = lib.sources.get(ref.source)
                shown |= {q.speaker.slug for q in source.quotes if q.id == ref.quote} if source else set()
            return shown
        if kind == "source":  # who spoke its quotes
            source = lib.sources.get(slug)
            return {q.speaker.slug for q in source.quotes} if source else set()
        if kind == "person":  # itself, its organisation, and an organisation's members
            person = lib.people.get(slug)
            shown = {slug, *lib.members.get(slug, ())}
            if person is not None and person.affiliation:
                shown.add(person.affiliation.slug)
            return shown
        return set()


FAMILY = PersonFamily()

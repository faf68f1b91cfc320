"""v2: the staff family: each of the newsroom's own people, `staff/<slug>/`, and the fact-checks they wrote or edited."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import model
from ..i18n import N_
from ..library import Library
from .family import Family, Key
from .views import ClaimCard, Link, Output, PageMeta, Views, list_pages


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


class StaffFamily(Family):
    kind = "staff"
    template = "staff.html"
    contract = StaffPage
    writes = "each staff member's page, `staff/<slug>/`"
    searched = False
    nav = (60, N_("Our team"))
    listing = "claims_by_staff"

    def in_nav(self, lib: Library) -> bool:
        return bool(lib.staff)

    def describe(self, views: Views, member: model.Staff) -> PageMeta:
        ui, site = views.ui, views.lib.site
        description = ui.gettext(
            "%(role)s at %(publisher)s: their fact-checks.", role=member.role, publisher=site.publisher.name
        )
        return views.with_feed(
            views.meta("staff", member.name, description, f"staff/{member.slug}/", og_type="profile"),
            self.claims_listed(views.lib, member.slug),
            ui.gettext("%(site)s: fact-checks by %(name)s", site=site.title, name=member.name),
        )

    def page(self, views: Views, member: model.Staff, number: int = 1) -> Output:
        context = StaffPage(
            meta=self.meta(views, member),
            name=member.name,
            role=member.role,
            bio=Markup(member.bio.html) if member.bio else None,
            same_as=member.same_as,
            claims=views.claim_cards(self.claims_listed(views.lib, member.slug)),
            image=views.figure(member.image),
        )
        return Output(f"{self.folder}/{member.slug}/index.html", self.template, context, member.pos)

    def site_wide(self, views: Views) -> list[Output]:
        lib, ui, urls = views.lib, views.ui, views.urls
        if not lib.staff:  # IFCN asks for the key staff to be named; an archive without staff has no such page
            return []
        items = [
            (Link(urls.record("staff", s.slug), s.name), s.role)
            for s in sorted(lib.staff.values(), key=lambda s: s.name.casefold())
        ]
        return list_pages(
            views,
            self.folder,
            ui.gettext("Our team"),
            ui.gettext(
                "The people who check and edit the fact-checks of %(publisher)s.", publisher=lib.site.publisher.name
            ),
            items,
        )

    def shows(self, lib: Library, key: Key) -> set[str]:
        kind, slug = key
        if kind == "claim":  # their pages list it
            claim = lib.claims.get(slug)
            return {r.slug for r in (*claim.authors, *claim.editors)} if claim else set()
        if kind == "staff":
            return {slug}
        return set()


FAMILY = StaffFamily()

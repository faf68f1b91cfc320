"""The topic family: each topic's page, `topics/<slug>/`: its claims, tallied, on a timeline and as a map."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import model
from ..i18n import N_
from ..library import Library
from .family import Family, Key
from .views import ClaimCard, ClaimMap, Link, Output, PageMeta, Pagination, VerdictCount, Views, list_pages

MAP_TOPIC_CLAIMS = 30  # claims a topic's map draws


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


class TopicFamily(Family):
    kind = "topic"
    template = "topic.html"
    contract = TopicPage
    writes = "each topic's page, `topics/<slug>/`"
    nav = (40, N_("Topics"))
    listing = "claims_by_topic"
    paged = True

    def describe(self, views: Views, topic: model.Topic) -> PageMeta:
        ui = views.ui
        return views.with_feed(
            views.meta(
                "topic",
                topic.title,
                topic.description or ui.gettext("Fact-checks about %(topic)s.", topic=topic.title),
                f"topics/{topic.slug}/",
            ),
            self.claims_listed(views.lib, topic.slug),
            ui.gettext("%(site)s: fact-checks about %(topic)s", site=views.lib.site.title, topic=topic.title),
        )

    def page(self, views: Views, topic: model.Topic, number: int = 1) -> Output:
        ui = views.ui
        claims = views.claim_cards(self.claims_listed(views.lib, topic.slug))
        shown, meta, pagination, output = views.share(self.meta(views, topic), self.folder, topic.slug, claims, number)
        context = TopicPage(
            meta=meta,
            title=topic.title,
            description=topic.description,
            claims=shown,
            tally=views.tally(claims),
            verdict_chart=views.verdict_chart(
                claims, ui.gettext("Verdicts on claims about %(topic)s", topic=topic.title)
            ),
            timeline=views.timeline(
                shown, ui.gettext("Claims about %(topic)s by the date they were made", topic=topic.title)
            ),
            claim_map=views.claim_map(
                claims[:MAP_TOPIC_CLAIMS],
                ui.gettext("Claims about %(topic)s and how they relate", topic=topic.title),
                len(claims),
                centred=False,
            )
            if claims and number == 1
            else None,
            pagination=pagination,
        )
        return Output(output, self.template, context, topic.pos)

    def site_wide(self, views: Views) -> list[Output]:
        ui, urls = views.ui, views.urls
        items = [
            (Link(urls.record("topic", t.slug), t.title), t.description)
            for t in sorted(views.lib.topics.values(), key=lambda t: t.title.casefold())
        ]
        return list_pages(
            views, self.folder, ui.gettext("Topics"), ui.gettext("Fact-checks grouped by subject."), items
        )

    def shows(self, lib: Library, key: Key) -> set[str]:
        kind, slug = key
        if kind == "claim":
            claim = lib.claims.get(slug)
            return {t.slug for t in claim.topics} if claim else set()
        if kind == "topic":
            return {slug}
        return set()


FAMILY = TopicFamily()

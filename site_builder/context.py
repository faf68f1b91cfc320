"""One typed context per page: what each template may use, and nothing else.

Templates never see YAML or the library: a misspelt name in a template is a
build error (StrictUndefined), and every value here is already computed:
URLs under the base path, dates as text, backlinks, tallies.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup

from . import model
from .archived_text import context_around, marked_text
from .errors import Position
from .library import Library
from .structured_data import claim_review
from .text import direction, human_date
from .urls import Urls, output_file, quote_anchor

SOURCE_KIND_LABELS = {
    "news-article": "News article", "statement": "Statement", "interview": "Interview",
    "speech": "Speech", "social-post": "Social media post", "video": "Video",
    "report": "Report", "document": "Document", "other": "Other",
}
LATEST_ON_HOME = 10


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True, slots=True)
class DateView:
    iso: str  # for <time datetime> and machines
    text: str  # for people

    @classmethod
    def of(cls, value: dt.date | None) -> "DateView | None":
        return None if value is None else cls(value.isoformat(), human_date(value))


@dataclass(frozen=True, slots=True)
class VerdictBadge:
    id: str
    label: str
    rating: int | None
    scale_size: int  # how many rated verdicts the scale has
    description: str
    url: str  # its entry on the verdict scale page

    @property
    def place(self) -> str:
        """The badge's text equivalent of its colour: never colour alone."""
        if self.rating is None:
            return "unrated"
        return f"{self.rating} of {self.scale_size} on the rating scale"


@dataclass(frozen=True, slots=True)
class ClaimCard:
    """A claim as other pages list it."""

    slug: str
    url: str
    claim: str
    claimant: Link
    date: DateView
    reviewed: DateView
    verdict: VerdictBadge
    summary: str
    lang: str
    dir: str


@dataclass(frozen=True, slots=True)
class SourceCard:
    slug: str
    url: str
    title: str
    kind: str  # human label
    publisher: str | None
    published: DateView | None


@dataclass(frozen=True, slots=True)
class QuoteInContext:
    before: str
    after: str
    url: str  # the quote marked inside the archived text


@dataclass(frozen=True, slots=True)
class QuoteView:
    id: str
    url: str  # its place on the source page, /sources/<slug>/#quote-<id>
    anchor: str  # the element id on the source page
    text: str
    speaker: Link
    date: DateView | None
    context: str | None
    source: SourceCard
    lang: str
    dir: str
    in_context: QuoteInContext | None
    cited_by: tuple[ClaimCard, ...]


@dataclass(frozen=True, slots=True)
class CorrectionView:
    date: DateView
    note: str


@dataclass(frozen=True, slots=True)
class VerdictCount:
    verdict: VerdictBadge
    count: int
    percent: int  # of the claims counted, rounded


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    id: str  # element id of the group's heading
    title: str
    url: str | None  # the page of what the group is about
    claims: tuple[ClaimCard, ...]


@dataclass(frozen=True, slots=True)
class PageMeta:
    kind: str  # claim, source, person, topic, home, claims, ...
    title: str
    description: str
    path: str  # URL path under the base path
    canonical: str  # absolute URL
    lang: str
    dir: str
    og_type: str = "website"


@dataclass(frozen=True, slots=True)
class SiteView:
    title: str
    description: str | None
    lang: str
    dir: str
    base_path: str
    base_url: str
    publisher: Link
    nav: tuple[Link, ...]
    home_url: str
    stylesheet_url: str
    feed_url: str
    verdicts_url: str


@dataclass(frozen=True, slots=True)
class ClaimPage:
    meta: PageMeta
    claim: ClaimCard
    analysis: Markup
    quotes: tuple[QuoteView, ...]
    appearances: tuple[SourceCard, ...]
    counterclaims: tuple[ClaimCard, ...]
    topics: tuple[Link, ...]
    updated: DateView | None
    corrections: tuple[CorrectionView, ...]
    structured_data: Markup  # JSON-LD, escaped so it cannot close its script element


@dataclass(frozen=True, slots=True)
class SourcePage:
    meta: PageMeta
    source: SourceCard
    original_url: str | None
    archive_url: str | None
    quotes: tuple[QuoteView, ...]
    text: Markup | None  # the archived text, each quote inside <mark>
    claims: tuple[ClaimCard, ...]


@dataclass(frozen=True, slots=True)
class PersonPage:
    meta: PageMeta
    name: str
    kind: str  # person or organization
    description: str | None
    affiliation: Link | None
    url: str | None
    same_as: tuple[str, ...]
    members: tuple[Link, ...]
    claims: tuple[ClaimCard, ...]
    tally: tuple[VerdictCount, ...]
    quotes: tuple[QuoteView, ...]


@dataclass(frozen=True, slots=True)
class TopicPage:
    meta: PageMeta
    title: str
    description: str | None
    claims: tuple[ClaimCard, ...]
    tally: tuple[VerdictCount, ...]


@dataclass(frozen=True, slots=True)
class ClaimsIndexPage:
    meta: PageMeta
    claims: tuple[ClaimCard, ...]  # newest review first
    by_verdict: tuple[ClaimGroup, ...]
    by_claimant: tuple[ClaimGroup, ...]
    by_topic: tuple[ClaimGroup, ...]


@dataclass(frozen=True, slots=True)
class ListPage:
    """An index of sources, people or topics."""

    meta: PageMeta
    heading: str
    items: tuple[tuple[Link, str | None], ...]  # link and a line about it


@dataclass(frozen=True, slots=True)
class VerdictsPage:
    meta: PageMeta
    verdicts: tuple[VerdictCount, ...]


@dataclass(frozen=True, slots=True)
class HomePage:
    meta: PageMeta
    latest: tuple[ClaimCard, ...]
    tally: tuple[VerdictCount, ...]
    claim_count: int
    source_count: int
    quote_count: int


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    meta: PageMeta


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: where it goes, which template, what it gets."""

    output: str
    template: str
    context: object
    origin: Position | None = field(default=None, compare=False)


class PageBuilder:
    """Computes every page's context from the library, once."""

    def __init__(self, library: Library, urls: Urls) -> None:
        self.lib = library
        self.urls = urls
        site = library.site
        self.site_lang = site.language
        rated = sum(1 for v in site.verdicts if v.rating is not None)
        self.badges = {
            v.id: VerdictBadge(v.id, v.label, v.rating, rated, v.description, urls.page(f"verdicts/#verdict-{v.id}"))
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
            nav=(
                Link(urls.page("claims/"), "Fact-checks"),
                Link(urls.page("sources/"), "Sources"),
                Link(urls.page("people/"), "People"),
                Link(urls.page("topics/"), "Topics"),
                Link(urls.page("verdicts/"), "Verdicts"),
            ),
            home_url=urls.page(),
            stylesheet_url=urls.page("assets/site.css"),
            feed_url=urls.page("feed.xml"),
            verdicts_url=urls.page("verdicts/"),
        )
        self.cards = {slug: self._card(claim) for slug, claim in library.claims.items()}

    # -- small views ---------------------------------------------------------

    def _person_link(self, slug: str) -> Link:
        return Link(self.urls.record("person", slug), self.lib.people[slug].name)

    def _card(self, claim: model.Claim) -> ClaimCard:
        lang = claim.language or self.site_lang
        return ClaimCard(
            slug=claim.slug,
            url=self.urls.record("claim", claim.slug),
            claim=claim.claim,
            claimant=self._person_link(claim.claimant.slug),
            date=DateView.of(claim.date),
            reviewed=DateView.of(claim.reviewed),
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
            kind=SOURCE_KIND_LABELS[source.kind],
            publisher=source.publisher,
            published=DateView.of(source.published),
        )

    def _cards(self, slugs) -> tuple[ClaimCard, ...]:
        return tuple(sorted((self.cards[s] for s in slugs), key=_newest_review_first))

    def _quote_view(self, source: model.Source, quote: model.Quote) -> QuoteView:
        lang = source.language or self.site_lang
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
            date=DateView.of(quote.date),
            context=quote.context,
            source=self._source_card(source),
            lang=lang,
            dir=direction(lang),
            in_context=in_context,
            cited_by=self._cards(self.lib.claims_citing_quote.get((source.slug, quote.id), ())),
        )

    def _tally(self, cards: tuple[ClaimCard, ...], keep_zero: bool = False) -> tuple[VerdictCount, ...]:
        counts = Counter(card.verdict.id for card in cards)
        total = len(cards) or 1
        return tuple(
            VerdictCount(badge, counts[id_], round(100 * counts[id_] / total))
            for id_, badge in self.badges.items()
            if keep_zero or counts[id_]
        )

    def _meta(self, kind: str, title: str, description: str, path: str, lang: str | None = None, og_type: str = "website") -> PageMeta:
        lang = lang or self.site_lang
        url = self.urls.page(path)
        return PageMeta(kind, title, description, url, self.urls.absolute(url), lang, direction(lang), og_type)

    # -- pages -----------------------------------------------------------------

    def pages(self) -> list[Page]:
        lib = self.lib
        pages = [self.claim_page(c) for c in lib.claims.values()]
        pages += [self.source_page(s) for s in lib.sources.values()]
        pages += [self.person_page(p) for p in lib.people.values()]
        pages += [self.topic_page(t) for t in lib.topics.values()]
        pages += [self.home_page(), self.claims_index(), self.verdicts_page(), self.not_found_page()]
        pages += self.list_pages()
        return pages

    def data_files(self) -> list[tuple[str, bytes]]:
        """Outputs that are not rendered from a template: (path in the output, bytes)."""
        return []

    def claim_page(self, claim: model.Claim) -> Page:
        card = self.cards[claim.slug]
        quotes = tuple(self._quote_view(*self.lib.quote(ref)) for ref in claim.quotes)
        context = ClaimPage(
            meta=self._meta("claim", claim.claim, f"{card.verdict.label}: {claim.summary}", f"claims/{claim.slug}/", card.lang, "article"),
            claim=card,
            analysis=Markup(claim.analysis.html),
            quotes=quotes,
            appearances=tuple(self._source_card(self.lib.sources[r.slug]) for r in claim.appearances),
            counterclaims=self._cards(self.lib.counterclaims.get(claim.slug, ())),
            topics=tuple(Link(self.urls.record("topic", r.slug), self.lib.topics[r.slug].title) for r in claim.topics),
            updated=DateView.of(claim.updated),
            corrections=tuple(CorrectionView(DateView.of(c.date), c.note) for c in claim.corrections),
            structured_data=claim_review(claim, self.lib, self.urls),
        )
        return Page(output_file("claims", claim.slug), "claim.html", context, claim.pos)

    def source_page(self, source: model.Source) -> Page:
        lang = source.language or self.site_lang
        card = self._source_card(source)
        text = None
        if source.text is not None:
            text = marked_text(source.text.text, {quote_anchor(q.id): q.spans for q in source.quotes})
        context = SourcePage(
            meta=self._meta("source", source.title, f"{card.kind} with {len(source.quotes)} archived quote(s).", f"sources/{source.slug}/", lang),
            source=card,
            original_url=source.url,
            archive_url=source.archive_url,
            quotes=tuple(self._quote_view(source, q) for q in source.quotes),
            text=text,
            claims=self._cards(self.lib.claims_by_source.get(source.slug, ())),
        )
        return Page(output_file("sources", source.slug), "source.html", context, source.pos)

    def person_page(self, person: model.Person) -> Page:
        claims = self._cards(self.lib.claims_by_claimant.get(person.slug, ()))
        context = PersonPage(
            meta=self._meta("person", person.name, person.description or f"Claims and quotes of {person.name}.", f"people/{person.slug}/", og_type="profile"),
            name=person.name,
            kind=person.kind,
            description=person.description,
            affiliation=self._person_link(person.affiliation.slug) if person.affiliation else None,
            url=person.url,
            same_as=person.same_as,
            members=tuple(self._person_link(s) for s in self.lib.members.get(person.slug, ())),
            claims=claims,
            tally=self._tally(claims),
            quotes=tuple(self._quote_view(self.lib.sources[s], q) for s, qid in self.lib.quotes_by_speaker.get(person.slug, ())
                         for q in self.lib.sources[s].quotes if q.id == qid),
        )
        return Page(output_file("people", person.slug), "person.html", context, person.pos)

    def topic_page(self, topic: model.Topic) -> Page:
        claims = self._cards(self.lib.claims_by_topic.get(topic.slug, ()))
        context = TopicPage(
            meta=self._meta("topic", topic.title, topic.description or f"Fact-checks about {topic.title}.", f"topics/{topic.slug}/"),
            title=topic.title,
            description=topic.description,
            claims=claims,
            tally=self._tally(claims),
        )
        return Page(output_file("topics", topic.slug), "topic.html", context, topic.pos)

    def home_page(self) -> Page:
        all_cards = self._cards(self.lib.claims)
        context = HomePage(
            meta=self._meta("home", self.lib.site.title, self.lib.site.description or f"Fact-checks published by {self.lib.site.publisher.name}.", ""),
            latest=all_cards[:LATEST_ON_HOME],
            tally=self._tally(all_cards),
            claim_count=len(all_cards),
            source_count=len(self.lib.sources),
            quote_count=sum(len(s.quotes) for s in self.lib.sources.values()),
        )
        return Page("index.html", "home.html", context)

    def claims_index(self) -> Page:
        all_cards = self._cards(self.lib.claims)
        by_verdict = tuple(
            ClaimGroup(f"verdict-{badge.id}", badge.label, badge.url, group)
            for badge in self.badges.values()
            if (group := tuple(c for c in all_cards if c.verdict.id == badge.id))
        )
        by_claimant = tuple(
            ClaimGroup(f"claimant-{slug}", self.lib.people[slug].name, self.urls.record("person", slug), self._cards(claims))
            for slug, claims in sorted(self.lib.claims_by_claimant.items(), key=lambda kv: self.lib.people[kv[0]].name.casefold())
        )
        by_topic = tuple(
            ClaimGroup(f"topic-{slug}", self.lib.topics[slug].title, self.urls.record("topic", slug), self._cards(claims))
            for slug, claims in sorted(self.lib.claims_by_topic.items(), key=lambda kv: self.lib.topics[kv[0]].title.casefold())
        )
        context = ClaimsIndexPage(
            meta=self._meta("claims", "All fact-checks", f"All {len(all_cards)} fact-checks, newest first, by verdict, claimant and topic.", "claims/"),
            claims=all_cards,
            by_verdict=by_verdict,
            by_claimant=by_claimant,
            by_topic=by_topic,
        )
        return Page("claims/index.html", "claims.html", context)

    def verdicts_page(self) -> Page:
        context = VerdictsPage(
            meta=self._meta("verdicts", "The verdict scale", "What each verdict means and how many claims have it.", "verdicts/"),
            verdicts=self._tally(self._cards(self.lib.claims), keep_zero=True),
        )
        return Page("verdicts/index.html", "verdicts.html", context)

    def list_pages(self) -> list[Page]:
        lib, urls = self.lib, self.urls
        lists = [
            ("sources", "Sources", "The documents behind the fact-checks, with their original quotes.",
             [(Link(urls.record("source", s.slug), s.title), SOURCE_KIND_LABELS[s.kind] + (f", {s.publisher}" if s.publisher else ""))
              for s in lib.sources.values()]),
            ("people", "People and organisations", "Everyone whose claims or quotes are in the archive.",
             [(Link(urls.record("person", p.slug), p.name), p.description) for p in sorted(lib.people.values(), key=lambda p: p.name.casefold())]),
            ("topics", "Topics", "Fact-checks grouped by subject.",
             [(Link(urls.record("topic", t.slug), t.title), t.description) for t in sorted(lib.topics.values(), key=lambda t: t.title.casefold())]),
        ]
        return [
            Page(f"{folder}/index.html", "list.html", ListPage(self._meta(folder, heading, description, f"{folder}/"), heading, tuple(items)))
            for folder, heading, description, items in lists
        ]

    def not_found_page(self) -> Page:
        return Page("404.html", "404.html", NotFoundPage(self._meta("not-found", "Page not found", "There is no page at this address.", "404.html")))


def _newest_review_first(card: ClaimCard):
    return (-int(card.reviewed.iso.replace("-", "")), card.slug)

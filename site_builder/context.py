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
from .dataset import DATASET_PATH, claims_dataset
from .errors import Position
from .feeds import Robots, atom_feed, sitemap
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
# Site-wide pages the sitemap lists besides every record's page: not 404 or the search form.
SITEMAP_INDEXES = {"home", "claims", "verdicts", "sources", "people", "topics"}


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

    @property
    def year(self) -> str:
        return self.iso[:4]


@dataclass(frozen=True, slots=True)
class VerdictBadge:
    id: str
    label: str
    rating: int | None
    scale_size: int  # how many rated verdicts the scale has
    description: str
    url: str  # its entry on the verdict scale page
    tone: str  # colour family in the stylesheet: see verdict_tone

    @property
    def place(self) -> str:
        """The badge's text equivalent of its colour: never colour alone."""
        if self.rating is None:
            return "unrated"
        return f"{self.rating} of {self.scale_size} on the rating scale"

    @property
    def pips(self) -> tuple[bool, ...]:
        """One step per rated verdict, filled up to this one: the scale drawn small."""
        if self.rating is None:
            return ()
        return tuple(step <= self.rating for step in range(1, self.scale_size + 1))


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
    published: str | None = None  # ISO dates, for articles' metadata and the sitemap
    modified: str | None = None


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
    icon_url: str
    feed_url: str
    verdicts_url: str
    search_url: str
    claims_url: str
    dataset_url: str


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
class SearchPage:
    meta: PageMeta
    bundle_url: str  # Pagefind's folder, written by the indexing stage
    script_url: str  # our glue between the URL's ?q= and Pagefind's UI


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
        unrated = [v.id for v in site.verdicts if v.rating is None]
        self.badges = {
            v.id: VerdictBadge(v.id, v.label, v.rating, rated, v.description, urls.page(f"verdicts/#verdict-{v.id}"),
                               verdict_tone(v.rating, rated, unrated.index(v.id) if v.rating is None else 0))
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
            icon_url=urls.page("assets/favicon.svg"),
            feed_url=urls.page("feed.xml"),
            verdicts_url=urls.page("verdicts/"),
            search_url=urls.page("search/"),
            claims_url=urls.page("claims/"),
            dataset_url=urls.page(DATASET_PATH),
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

    def _meta(self, kind: str, title: str, description: str, path: str, lang: str | None = None, og_type: str = "website",
              published: dt.date | None = None, modified: dt.date | None = None) -> PageMeta:
        lang = lang or self.site_lang
        url = self.urls.page(path)
        return PageMeta(kind, title, description, url, self.urls.absolute(url), lang, direction(lang), og_type,
                        published and published.isoformat(), modified and modified.isoformat())

    # -- pages -----------------------------------------------------------------

    def pages(self) -> list[Page]:
        return [self.record_page(kind, slug) for kind, slug in self._record_keys()] + self.global_pages()

    def record_page(self, kind: str, slug: str) -> Page:
        """The page of one record; kind is claim, source, person or topic."""
        record = self._records(kind)[slug]
        return {"claim": self.claim_page, "source": self.source_page,
                "person": self.person_page, "topic": self.topic_page}[kind](record)

    def global_pages(self) -> list[Page]:
        """Pages that show the whole archive: any edit may change them."""
        pages = [self.home_page(), self.claims_index(), self.verdicts_page(), self.not_found_page(), self.search_page()]
        pages += self.list_pages()
        # The sitemap takes the records' metadata, not their pages, so that a
        # rebuild after one edit need not build every record's page.
        metas = [self.record_meta(kind, slug) for kind, slug in self._record_keys()]
        metas += [p.context.meta for p in pages if p.context.meta.kind in SITEMAP_INDEXES]
        return pages + [
            Page("feed.xml", "feed.xml", atom_feed(self.lib, self.urls)),
            Page("sitemap.xml", "sitemap.xml", sitemap(metas)),
            Page("robots.txt", "robots.txt", Robots(self.urls.absolute(self.urls.page("sitemap.xml")))),
        ]

    def record_meta(self, kind: str, slug: str) -> PageMeta:
        record = self._records(kind)[slug]
        if kind == "claim":
            card = self.cards[slug]
            return self._meta("claim", record.claim, f"{card.verdict.label}: {record.summary}", f"claims/{slug}/", card.lang,
                              "article", record.reviewed, record.updated or record.reviewed)
        if kind == "source":
            count = len(record.quotes)
            description = f"{SOURCE_KIND_LABELS[record.kind]} with {count} archived quote{'' if count == 1 else 's'}."
            return self._meta("source", record.title, description, f"sources/{slug}/", record.language)
        if kind == "person":
            description = record.description or f"Claims and quotes of {record.name}."
            return self._meta("person", record.name, description, f"people/{slug}/", og_type="profile")
        return self._meta("topic", record.title, record.description or f"Fact-checks about {record.title}.", f"topics/{slug}/")

    def _records(self, kind: str) -> dict:
        return {"claim": self.lib.claims, "source": self.lib.sources, "person": self.lib.people, "topic": self.lib.topics}[kind]

    def _record_keys(self) -> list[tuple[str, str]]:
        return [(kind, slug) for kind in ("claim", "source", "person", "topic") for slug in self._records(kind)]

    def data_files(self) -> list[tuple[str, bytes]]:
        """Outputs that are not rendered from a template: (path in the output, bytes)."""
        return [(DATASET_PATH, claims_dataset(self.lib, self.urls))]

    def claim_page(self, claim: model.Claim) -> Page:
        card = self.cards[claim.slug]
        quotes = tuple(self._quote_view(*self.lib.quote(ref)) for ref in claim.quotes)
        context = ClaimPage(
            meta=self.record_meta("claim", claim.slug),
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
        text = None
        if source.text is not None:
            text = marked_text(source.text.text, {quote_anchor(q.id): q.spans for q in source.quotes})
        context = SourcePage(
            meta=self.record_meta("source", source.slug),
            source=self._source_card(source),
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
            meta=self.record_meta("person", person.slug),
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
            meta=self.record_meta("topic", topic.slug),
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

    def search_page(self) -> Page:
        context = SearchPage(
            meta=self._meta("search", "Search", "Search the fact-checks, their sources and the people quoted.", "search/"),
            bundle_url=self.urls.page("pagefind/"),
            script_url=self.urls.page("assets/search.js"),
        )
        return Page("search/index.html", "search.html", context)


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

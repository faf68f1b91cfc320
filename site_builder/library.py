"""All records in one place, every reference resolved, every backlink known.

Nothing renders until this exists, so a page can show what points at it
(counterclaims named on one side only, the claims citing a quote, a person's
record) without any template searching for it.
"""

from __future__ import annotations

from collections import defaultdict
import dataclasses
from dataclasses import dataclass, field

from . import model
from .errors import ErrorList, did_you_mean
from .i18n import Interface, interface
from .schema import DEFAULT_VERDICTS
from .urls import SITE_PAGES


@dataclass(frozen=True)
class Library:
    site: model.Site
    claims: dict[str, model.Claim]
    sources: dict[str, model.Source]
    people: dict[str, model.Person]
    topics: dict[str, model.Topic]
    verdicts: dict[str, model.Verdict]
    pages: dict[str, model.Page]  # the archive's own pages (about, methodology...)
    # Backlinks, each sorted by slug so output never depends on file order.
    counterclaims: dict[str, tuple[str, ...]]
    claims_citing_quote: dict[tuple[str, str], tuple[str, ...]]
    claims_by_claimant: dict[str, tuple[str, ...]]
    claims_by_topic: dict[str, tuple[str, ...]]
    claims_by_source: dict[str, tuple[str, ...]]
    quotes_by_speaker: dict[str, tuple[tuple[str, str], ...]]
    members: dict[str, tuple[str, ...]]
    ui: Interface  # the words, dates and direction of the site's language
    locale_dirs: tuple[str, ...] = ()  # the archive's own catalogues, to resolve again after publishing
    # v2: records shown although unpublished (build --drafts, serve): (kind, slug) -> publishing.Held
    held: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)  # v2: slug -> model.Staff, the newsroom's own people
    claims_by_staff: dict = field(default_factory=dict)  # v2: staff slug -> claims they wrote or edited

    def quote(self, ref: model.QuoteRef) -> tuple[model.Source, model.Quote]:
        source = self.sources[ref.source]
        return source, next(q for q in source.quotes if q.id == ref.quote)

    def records_of(self, kind: str) -> dict:
        """The records of one kind (claim, source, person, topic) by slug."""
        return {"claim": self.claims, "source": self.sources, "person": self.people, "topic": self.topics,
                "staff": self.staff}[kind]

    def record_count(self) -> int:
        return len(self.claims) + len(self.sources) + len(self.people) + len(self.staff) + sum(
            1 for t in self.topics.values() if t.pos is not None
        )


def _default_scale_in_site_language(site: model.Site, ui: Interface) -> model.Site:
    """The default scale's words are the generator's, so they follow the interface's language;
    a scale the site writes itself is shown as written."""
    return dataclasses.replace(site, verdicts=tuple(
        dataclasses.replace(v, label=ui.gettext(v.label), description=ui.gettext(v.description)) for v in site.verdicts))


def implicit_topic(slug: str) -> model.Topic:
    return model.Topic(slug, slug.replace("-", " ").capitalize(), None, None)


def build_library(
    site: model.Site | None,
    records: list[model.Record | model.Page],
    errors: ErrorList,
    unreadable: dict[str, set[str]] | None = None,
    locale_dirs: tuple[str, ...] = (),
) -> Library | None:
    """Resolve every reference; None if anything is wrong (the errors say what).

    References are checked even when other files failed, so one run reports
    everything: `unreadable` names the records whose files exist but did not
    validate, and references to them are not reported as missing. Without a
    valid site.yaml the verdict scale is unknown and verdicts go unchecked.
    """
    by_kind: dict[type, dict[str, model.Record]] = defaultdict(dict)
    for record in sorted(records, key=lambda r: r.slug):
        by_kind[type(record)][record.slug] = record
    claims = by_kind[model.Claim]
    sources = by_kind[model.Source]
    people = by_kind[model.Person]
    topics = dict(by_kind[model.Topic])
    pages = by_kind[model.Page]
    staff = by_kind[model.Staff]
    verdicts = {v.id: v for v in site.verdicts} if site else {}
    quote_ids = {(s.slug, q.id) for s in sources.values() for q in s.quotes}

    unreadable = dict(unreadable or {})
    if site is None:
        unreadable["verdict"] = _EVERYTHING
    check = _RefChecker(errors, {
        "claim": claims, "source": sources, "person": people, "verdict": verdicts, "staff": staff,
    }, unreadable)
    for claim in claims.values():
        check.ref(claim.claimant, "claimant")
        check.ref(claim.verdict, "verdict")
        for ref in claim.appearances:
            check.ref(ref, "appearance")
        for ref in claim.counterclaims:
            if ref.slug == claim.slug:
                errors.add(ref.pos, "a claim cannot be its own counterclaim: remove this line")
            else:
                check.ref(ref, "counterclaim")
        for ref in claim.quotes:
            check.quote(ref.source, ref.quote, ref.pos, quote_ids, f"quote '{ref}'")
        for ref in claim.topics:
            topics.setdefault(ref.slug, implicit_topic(ref.slug))
        for ref in claim.authors:
            check.ref(ref, "author")
        for ref in claim.editors:
            check.ref(ref, "editor")
    check.known["topic"] = topics
    # `page:` links reach the archive's pages and the site-wide ones the build writes.
    check.known["page"] = {**pages, **SITE_PAGES, **({"staff": "the list of staff"} if staff else {})}  # v2: /staff/ exists with staff
    for markdown in ([c.analysis for c in claims.values()] + [p.body for p in pages.values()]
                     + [s.bio for s in staff.values() if s.bio]):
        for link in markdown.links:
            check.link(link, quote_ids)
    for source in sources.values():
        for quote in source.quotes:
            check.ref(quote.speaker, "speaker")
    for person in people.values():
        if person.affiliation is None:
            continue
        if person.affiliation.slug == person.slug:
            errors.add(person.affiliation.pos, "a person or organisation cannot be its own affiliation")
        elif check.ref(person.affiliation, "affiliation") and people[person.affiliation.slug].kind != "organization":
            errors.add(person.affiliation.pos, f"affiliation '{person.affiliation.slug}' is a person; an affiliation must be an organisation (kind: organization in its file)")
    if errors or site is None:
        return None

    ui = interface(site.language, locale_dirs)
    if site.verdicts is DEFAULT_VERDICTS:
        site = _default_scale_in_site_language(site, ui)
        verdicts = {v.id: v for v in site.verdicts}
    return Library(
        site=site,
        claims=claims,
        sources=sources,
        people=people,
        topics=dict(sorted(topics.items())),
        verdicts=verdicts,
        pages=pages,
        counterclaims=_symmetric_counterclaims(claims),
        claims_citing_quote=_group(((q.source, q.quote), c.slug) for c in claims.values() for q in c.quotes),
        claims_by_claimant=_group((c.claimant.slug, c.slug) for c in claims.values()),
        claims_by_topic=_group((t.slug, c.slug) for c in claims.values() for t in c.topics),
        claims_by_source=_group(
            (source, c.slug) for c in claims.values()
            for source in {r.slug for r in c.appearances} | {q.source for q in c.quotes}
        ),
        quotes_by_speaker=_group((q.speaker.slug, (s.slug, q.id)) for s in sources.values() for q in s.quotes),
        members=_group((p.affiliation.slug, p.slug) for p in people.values() if p.affiliation),
        ui=ui,
        locale_dirs=locale_dirs,
        staff=staff,
        claims_by_staff=_group((r.slug, c.slug) for c in claims.values() for r in (*c.authors, *c.editors)),
    )


def _group(pairs) -> dict:
    grouped: dict = defaultdict(set)
    for key, value in pairs:
        grouped[key].add(value)
    return {key: tuple(sorted(values)) for key, values in sorted(grouped.items())}


def _symmetric_counterclaims(claims: dict[str, model.Claim]) -> dict[str, tuple[str, ...]]:
    """A counterclaim named on either side shows on both pages."""
    return _group(
        pair
        for claim in claims.values()
        for ref in claim.counterclaims
        for pair in ((claim.slug, ref.slug), (ref.slug, claim.slug))
    )


class _Everything:
    def __contains__(self, item) -> bool:
        return True


_EVERYTHING = _Everything()


class _RefChecker:
    def __init__(self, errors: ErrorList, known: dict[str, dict], unreadable: dict[str, set[str]]) -> None:
        self.errors, self.known, self.unreadable = errors, known, unreadable

    def exists_unread(self, kind: str, slug: str) -> bool:
        return slug in self.unreadable.get(kind, ())

    def ref(self, ref: model.Ref, role: str) -> bool:
        """True if the record is there to use; reports it if it does not exist at all."""
        known = self.known[ref.kind]
        if ref.slug in known:
            return True
        if self.exists_unread(ref.kind, ref.slug):
            return False
        where = "the verdict scale" if ref.kind == "verdict" else f"{model.KINDS[ref.kind]}/"
        self.errors.add(ref.pos, f"{role} '{ref.slug}' does not exist in {where}{did_you_mean(ref.slug, known)}")
        return False

    def quote(self, source: str, quote: str, pos, quote_ids: set, what: str) -> bool:
        if self.exists_unread("source", source):
            return False
        if source not in self.known["source"]:
            self.errors.add(pos, f"{what}: there is no source '{source}' in sources/{did_you_mean(source, self.known['source'])}")
            return False
        if (source, quote) not in quote_ids:
            ids = [q for s, q in quote_ids if s == source]
            self.errors.add(pos, f"{what}: source '{source}' has no quote with id '{quote}'{did_you_mean(quote, ids)}")
            return False
        return True

    def link(self, link: model.InternalLink, quote_ids: set) -> None:
        target = f"{link.kind}:{link.slug}" + (f"#{link.anchor}" if link.anchor else "")
        if link.kind == "source" and link.anchor:
            self.quote(link.slug, link.anchor, link.pos, quote_ids, f"link '{target}'")
            return
        known = self.known[link.kind]
        if link.slug not in known and not self.exists_unread(link.kind, link.slug):
            self.errors.add(link.pos, f"link '{target}' points at a {link.kind} that does not exist{did_you_mean(link.slug, known)}")

"""All records in one place, every reference resolved, every backlink known.

Nothing renders until this exists, so a page can show what points at it
(counterclaims named on one side only, the claims citing a quote, a person's
record) without any template searching for it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

from . import model
from .errors import ContentError, ErrorList, did_you_mean
from .i18n import Interface, interface
from .schema import DEFAULT_VERDICTS, slug_problem
from .suggest import closest, named
from .urls import SITE_PAGES


@dataclass(frozen=True)
class Library:
    site: model.Site
    records: dict[str, dict[str, model.Record]]  # kind (model.KINDS) -> slug -> record, each sorted by slug
    verdicts: dict[str, model.Verdict]
    pages: dict[str, model.OwnPage]  # the archive's own pages (about, methodology...)
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
    claims_by_staff: dict = field(default_factory=dict)  # v2: staff slug -> claims they wrote or edited

    @property
    def claims(self) -> dict[str, model.Claim]:
        return self.records["claim"]

    @property
    def sources(self) -> dict[str, model.Source]:
        return self.records["source"]

    @property
    def people(self) -> dict[str, model.Person]:
        return self.records["person"]

    @property
    def topics(self) -> dict[str, model.Topic]:
        return self.records["topic"]

    @property
    def staff(self) -> dict[str, model.Staff]:  # v2: the newsroom's own people
        return self.records["staff"]

    def quote(self, ref: model.QuoteRef) -> tuple[model.Source, model.Quote]:
        source = self.sources[ref.source]
        return source, next(q for q in source.quotes if q.id == ref.quote)

    def records_of(self, kind: str) -> dict:
        """The records of one kind by slug."""
        return self.records[kind]

    def record_count(self) -> int:
        """Records written in files: a topic that only claims name has no file."""
        return sum(1 for records in self.records.values() for record in records.values() if record.pos is not None)


def warnings(lib: Library) -> list[ContentError]:
    """What `check` points out without failing: content that builds but serves readers badly.

    Quotes no archived text can prove come first, then sources no reader can reach.
    """
    unprovable = [
        ContentError(
            source.quotes[0].pos,
            f"quotes cannot be verified: source '{slug}' has no archived text; archive "
            f"the source with `python build.py archive URL --source {slug}`, or name a copy of it in 'text'",
        )
        for slug, source in lib.sources.items()
        if source.text is None and source.quotes
    ]
    return unprovable + [
        ContentError(
            source.pos,
            f"source '{slug}' has no url, archive_url or text: readers cannot reach "
            "what it says; add the original's url, an archived copy's archive_url, or its text",
        )
        for slug, source in lib.sources.items()
        if not (source.url or source.archive_url or source.text)
    ]


def _default_scale_in_site_language(site: model.Site, ui: Interface) -> model.Site:
    """The default scale's words are the generator's, so they follow the interface's language;
    a scale the site writes itself is shown as written."""
    return dataclasses.replace(
        site,
        verdicts=tuple(
            dataclasses.replace(v, label=ui.gettext(v.label), description=ui.gettext(v.description))
            for v in site.verdicts
        ),
    )


def implicit_topic(slug: str) -> model.Topic:
    return model.Topic(slug, slug.replace("-", " ").capitalize(), None, None)


def build_library(
    site: model.Site | None,
    records: list[model.Record | model.OwnPage],
    errors: ErrorList,
    unreadable: dict[str, set[str]] | None = None,
    locale_dirs: tuple[str, ...] = (),
    unfinished: list[model.Unfinished] = (),
    verdict_scale: tuple | None = None,
) -> Library | None:
    """Resolve every reference; None if anything is wrong (the errors say what).

    References are checked even when other files failed, so one run reports
    everything: `unreadable` names the records whose files exist but did not
    validate, and references to them are not reported as missing; `unfinished`
    holds the references of those files, checked all the same. Without a valid
    site.yaml, `verdict_scale` is the scale it sets (None if even that is
    unreadable, and verdicts go unchecked).
    """
    by_kind: dict[str, dict[str, model.Record]] = {kind: {} for kind in model.KINDS}
    pages: dict[str, model.OwnPage] = {}
    for record in sorted(records, key=lambda r: r.slug):
        (pages if isinstance(record, model.OwnPage) else by_kind[model.KIND_OF[type(record)]])[record.slug] = record
    claims, sources, people, staff = by_kind["claim"], by_kind["source"], by_kind["person"], by_kind["staff"]
    topics = by_kind["topic"]
    verdicts = {v.id: v for v in (site.verdicts if site else verdict_scale or ())}
    quote_ids = {(s.slug, q.id) for s in sources.values() for q in s.quotes}

    unreadable = dict(unreadable or {})
    if site is None and verdict_scale is None:
        unreadable["verdict"] = _EVERYTHING
    check = _RefChecker(errors, {**by_kind, "verdict": verdicts}, unreadable)
    for claim in claims.values():
        check.ref(claim.claimant, "claimant")
        check.ref(claim.verdict, "verdict")
        for ref in claim.appearances:
            check.ref(ref, "appearance")
        first = claim.first_appearance
        if (
            first is not None
            and check.ref(first, "first appearance")
            and first.slug not in {r.slug for r in claim.appearances}
        ):
            errors.add(
                first.pos,
                f"first_appearance '{first.slug}' is not among this claim's appearances: "
                f"add it to appearances, or name one of them",
            )
        for ref in claim.counterclaims:
            if ref.slug == claim.slug:
                errors.add(ref.pos, "a claim cannot be its own counterclaim: remove this line")
            else:
                check.ref(ref, "counterclaim")
        for ref in claim.quotes:
            check.quote(ref.source, ref.quote, ref.pos, quote_ids, f"quote '{ref}'")
        for ref in claim.topics:
            if slug_problem(ref.slug):  # a topic needs no file, but its name is its address
                errors.add(ref.pos, missing_reference(ref, "topic", topics))
            else:
                topics.setdefault(ref.slug, implicit_topic(ref.slug))
        for ref in claim.authors:
            check.ref(ref, "author")
        for ref in claim.editors:
            check.ref(ref, "editor")
    for kind, records_of_kind in by_kind.items():
        if kind not in _CHECKED_BY_HAND:
            for record in records_of_kind.values():
                check.fields(record)
    # `page:` links reach the archive's pages and the site-wide ones the build writes.
    check.known["page"] = {
        **pages,
        **SITE_PAGES,
        **({"staff": "the list of staff"} if staff else {}),
    }  # v2: /staff/ exists with staff
    for markdown in (
        [c.analysis for c in claims.values()]
        + [p.body for p in pages.values()]
        + [s.bio for s in staff.values() if s.bio]
    ):
        for link in markdown.links:
            check.link(link, quote_ids)
    for source in sources.values():
        for quote in source.quotes:
            check.ref(quote.speaker, "speaker")
    for record in unfinished:
        check.unfinished(record, quote_ids)
    for person in people.values():
        if person.affiliation is None:
            continue
        if person.affiliation.slug == person.slug:
            errors.add(person.affiliation.pos, "a person or organisation cannot be its own affiliation")
        elif check.ref(person.affiliation, "affiliation") and people[person.affiliation.slug].kind != "organization":
            errors.add(
                person.affiliation.pos,
                f"affiliation '{person.affiliation.slug}' is a person; an affiliation must be an organisation (kind: organization in its file)",
            )
    if errors or site is None:
        return None

    ui = interface(site.language, locale_dirs)
    if site.verdicts is DEFAULT_VERDICTS:
        site = _default_scale_in_site_language(site, ui)
        verdicts = {v.id: v for v in site.verdicts}
    by_kind["topic"] = dict(sorted(topics.items()))
    return Library(
        site=site,
        records=by_kind,
        verdicts=verdicts,
        pages=pages,
        counterclaims=_symmetric_counterclaims(claims),
        claims_citing_quote=_group(((q.source, q.quote), c.slug) for c in claims.values() for q in c.quotes),
        claims_by_claimant=_group((c.claimant.slug, c.slug) for c in claims.values()),
        claims_by_topic=_group((t.slug, c.slug) for c in claims.values() for t in c.topics),
        claims_by_source=_group((source, c.slug) for c in claims.values() for source in c.sources),
        quotes_by_speaker=_group((q.speaker.slug, (s.slug, q.id)) for s in sources.values() for q in s.quotes),
        members=_group((p.affiliation.slug, p.slug) for p in people.values() if p.affiliation),
        ui=ui,
        locale_dirs=locale_dirs,
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


# What a reference is called in errors, by the key it is written under (list keys name one item).
_ROLES = {"appearances": "appearance", "counterclaims": "counterclaim", "topics": "topic"}


class _Everything:
    def __contains__(self, item) -> bool:
        return True


_EVERYTHING = _Everything()


# Kinds whose references build_library checks one by one, with their own rules
# (an implicit topic, a first appearance among the appearances); a new kind's are checked by fields().
_CHECKED_BY_HAND = {"claim", "source", "person", "topic", "staff"}


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
        self.errors.add(ref.pos, missing_reference(ref, role, known))
        return False

    def fields(self, record) -> None:
        """Every reference a record holds, a field at a time."""
        for item in dataclasses.fields(record):
            value = getattr(record, item.name)
            for ref in value if isinstance(value, tuple) else (value,):
                if isinstance(ref, model.Ref):  # an item of a list is named by its kind: "claim 'x' does not exist"
                    self.ref(ref, ref.kind if isinstance(value, tuple) else item.name)

    def unfinished(self, record: model.Unfinished, quote_ids: set) -> None:
        """A file with errors of its own: its references are checked all the same."""
        for key, ref in record.refs:
            if isinstance(ref, model.Ref):
                if ref.kind == "topic" and not slug_problem(ref.slug):
                    continue  # a topic without a file is made from its name
                if ref.kind in self.known:
                    self.ref(ref, _ROLES.get(key, key))
            elif isinstance(ref, model.QuoteRef):
                self.quote(ref.source, ref.quote, ref.pos, quote_ids, f"quote '{ref}'")
            elif isinstance(ref, model.InternalLink) and ref.kind in self.known:
                self.link(ref, quote_ids)

    def quote(self, source: str, quote: str, pos, quote_ids: set, what: str) -> bool:
        if self.exists_unread("source", source):
            return False
        if source not in self.known["source"]:
            self.errors.add(
                pos, f"{what}: there is no source '{source}' in sources/{suggestion(source, self.known['source'])}"
            )
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
            self.errors.add(
                link.pos, f"link '{target}' points at a {link.kind} that does not exist{suggestion(link.slug, known)}"
            )


# Few enough to list in full when nothing written is close to one of them.
LIST_AT_MOST = 12


def _label(record) -> str | None:
    """What editors see of a record, to match what they wrote against: a name, label or title."""
    for attribute in ("name", "label", "title", "claim"):
        value = getattr(record, attribute, None)
        if isinstance(value, str):
            return value
    return None


def suggestion(written: str, known: dict) -> str:
    """(did you mean 'jane-roe' (Jane Roe)?), or nothing when no record is close."""
    labels = {slug: _label(record) for slug, record in known.items()}
    guess = closest(written, labels)
    return f" (did you mean {named(guess, labels[guess])}?)" if guess is not None else ""


def missing_reference(ref: model.Ref, role: str, known: dict) -> str:
    """Why `ref` leads nowhere and what to write instead, matched against ids and names."""
    labels = {slug: _label(record) for slug, record in known.items()}
    folder = model.KINDS.get(ref.kind)
    what = (
        "a verdict id from the verdict scale"
        if ref.kind == "verdict"
        else (
            f"the file name of {'an' if ref.kind[0] in 'aeiou' else 'a'} {ref.kind} in {folder}/, without .yaml"
            if folder
            else f"the id of a {ref.kind}"
        )
    )
    where = "the verdict scale" if ref.kind == "verdict" else f"{folder}/" if folder else f"the {ref.kind}s"
    written = ref.slug
    if slug_problem(written):
        head = f"{role} '{written[:80]}' is not {what}"
    else:
        head = f"{role} '{written}' does not exist in {where}"
    guess = closest(written, labels)
    if guess is not None:
        return f"{head} (did you mean {named(guess, labels[guess])}?)"
    if not known:
        return f"{head}: there are none yet" + (
            f"; start one with `python build.py new {ref.kind} SLUG`" if folder else ""
        )
    new = (
        f", or start it with `python build.py new {ref.kind} {written}`" if folder and not slug_problem(written) else ""
    )
    if len(known) <= LIST_AT_MOST:
        return (
            f"{head}: write one of "
            + ", ".join(named(slug, labels[slug]) for slug in (known if ref.kind == "verdict" else sorted(known)))
            + new
        )
    return f"{head}: write {what} (see the files in content/{folder}/){new}" if folder else f"{head}: write {what}"

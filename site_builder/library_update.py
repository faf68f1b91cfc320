"""The library after claims were edited, derived from the last one instead of resolved again.

Resolving 10,000 claims (library.build_library, then publishing) takes 0.3 to
1 s, every reference of every record checked and every backlink sorted again:
most of the preview's reload after a save. When the edit only changed claims
that were and still are valid files, nothing else can have changed but what
those claims say: their own references are checked against the records
there are, and the backlinks that name them are patched. Whatever else
(a record added, removed or renamed, any other kind edited, any error, drafts
hidden from a published build) is resolved in full, as before.

The result equals what resolving everything gives (tests/test_incremental.py
compares the two over edits of every part of a claim).
"""

from __future__ import annotations

import dataclasses

from . import model
from .errors import ErrorList
from .library import Library, build_library, implicit_topic
from .publishing import Publishing, _check_needs, held_records

# The library's backlinks that claims make, as build_library groups them: each a function
# from a claim to the keys that list it. Sources, people and staff make none of these.
CLAIM_BACKLINKS = {
    "claims_citing_quote": lambda c: {(q.source, q.quote) for q in c.quotes},
    "claims_by_claimant": lambda c: {c.claimant.slug},
    "claims_by_topic": lambda c: {t.slug for t in c.topics},
    "claims_by_source": lambda c: set(c.sources),
    "claims_by_staff": lambda c: {r.slug for r in (*c.authors, *c.editors)},
}


def updated_library(previous: Library, edited: dict[str, model.Claim], site, publishing: Publishing) -> Library | None:
    """`previous` with the claims in `edited` (slug -> new claim, every slug already a claim of it) replaced.

    None if one of them has an error (the full resolve then reports it, with
    its suggestions) or if the build hides unpublished records (publishing
    then resolves what is left). `previous` must be the library of the same
    site with the claims as they were, published with `publishing.drafts`.
    """
    if not publishing.drafts and previous.held:
        return None
    if not _references_hold(previous, edited, site):
        return None
    old = {slug: previous.claims[slug] for slug in edited}
    claims = {**previous.claims, **edited}  # same slugs, so the same order
    backlinks = {name: _regroup(getattr(previous, name), old, edited, key) for name, key in CLAIM_BACKLINKS.items()}
    topics = dict(previous.topics)
    for claim in edited.values():
        for ref in claim.topics:
            topics.setdefault(ref.slug, implicit_topic(ref.slug))
    for claim in old.values():
        for ref in claim.topics:  # a topic no file defines lives as long as a claim names it
            topic = topics.get(ref.slug)
            if topic is not None and topic.pos is None and ref.slug not in backlinks["claims_by_topic"]:
                del topics[ref.slug]
    records = {**previous.records, "claim": claims, "topic": dict(sorted(topics.items()))}
    library = dataclasses.replace(
        previous,
        records=records,
        counterclaims=_counterclaims(previous.counterclaims, claims, edited, old),
        **backlinks,
        held={},
    )
    held = held_records(library, publishing.now)
    if held and not publishing.drafts:
        return None
    errors = ErrorList()
    # What publishing checks of a claim: that it names no draft it could not show.
    _check_needs(dataclasses.replace(library, records={**records, "claim": edited, "source": {}}), held, errors)
    if errors:
        return None
    return dataclasses.replace(library, held=held)


def _references_hold(previous: Library, edited: dict[str, model.Claim], site) -> bool:
    """Whether the edited claims' references all resolve, checked as build_library checks them.

    The claims are resolved with the sources they quote or appeared in and the
    archive's pages and staff; every other record is named as existing
    without being read, which build_library takes as there, unchecked.
    """
    sources = set()
    for claim in edited.values():
        sources |= claim.sources
        sources |= {link.slug for link in claim.analysis.links if link.kind == "source"}
        if claim.first_appearance is not None:
            sources.add(claim.first_appearance.slug)
    records: list = [*edited.values(), *previous.pages.values(), *previous.staff.values()]
    records += [previous.sources[slug] for slug in sorted(sources) if slug in previous.sources]
    present = {"claim": set(edited), "source": sources, "staff": set(previous.staff)}
    unread = {kind: set(of_kind) - present.get(kind, set()) for kind, of_kind in previous.records.items()}
    # Topics no file defines are made from claims' names: they are no record to be named as existing.
    unread["topic"] = {slug for slug, topic in previous.topics.items() if topic.pos is not None}
    errors = ErrorList()
    build_library(site, records, errors, unread, previous.locale_dirs)
    return not errors


def _regroup(grouped: dict, old: dict[str, model.Claim], new: dict[str, model.Claim], keys_of) -> dict:
    """A backlink index with the `old` claims' entries replaced by the `new` ones'."""
    changes: dict = {}
    for slug, claim in old.items():
        for key in keys_of(claim):
            changes.setdefault(key, set(grouped.get(key, ()))).discard(slug)
    for slug, claim in new.items():
        for key in keys_of(claim):
            changes.setdefault(key, set(grouped.get(key, ()))).add(slug)
    return _patched(grouped, changes)


def _counterclaims(grouped: dict, claims: dict, new: dict[str, model.Claim], old: dict[str, model.Claim]) -> dict:
    """Counterclaims named on either side, with the edited claims' as they are now."""

    def names(a: str, b: str) -> bool:
        return any(ref.slug == b for ref in claims[a].counterclaims)

    affected = set(new)
    for claim in (*old.values(), *new.values()):
        affected |= {ref.slug for ref in claim.counterclaims}
    changes = {}
    for key in affected:
        # Who can be paired with `key` now: whom it was paired with, whom it names, who of the edited names it.
        candidates = set(grouped.get(key, ())) | {ref.slug for ref in claims[key].counterclaims}
        candidates |= {slug for slug in new if names(slug, key)}
        changes[key] = {other for other in candidates if other != key and (names(key, other) or names(other, key))}
    return _patched(grouped, changes)


def _patched(grouped: dict, changes: dict) -> dict:
    """`grouped` with the keys in `changes` holding those slugs (none: the key goes), sorted as build_library sorts."""
    if all(set(grouped.get(key, ())) == slugs for key, slugs in changes.items()):
        return grouped
    result = dict(grouped)
    for key, slugs in changes.items():
        if slugs:
            result[key] = tuple(sorted(slugs))
        else:
            result.pop(key, None)
    return dict(sorted(result.items())) if changes.keys() - grouped.keys() else result

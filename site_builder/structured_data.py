"""ClaimReview JSON-LD, as Google's fact-check guidelines and other aggregators read it."""

from __future__ import annotations

import datetime as dt
import json

from markupsafe import Markup

from . import model
from .extract import MEDIA_TYPES
from .library import Library
from .urls import Urls, archived_file_output


def claim_review(claim: model.Claim, lib: Library, urls: Urls) -> Markup:
    verdict = lib.verdicts[claim.verdict.slug]
    rated = [v.rating for v in lib.site.verdicts if v.rating is not None]
    rating: dict = {"@type": "Rating", "alternateName": verdict.label}
    if verdict.rating is not None:
        rating |= {"ratingValue": verdict.rating, "bestRating": max(rated), "worstRating": min(rated)}
    item: dict = {
        "@type": "Claim",
        "author": _author(lib.people[claim.claimant.slug], lib, urls),
        "datePublished": claim.date.isoformat(),
    }
    # Where the claim was made, as aggregators follow it: the original or its
    # archived copy, never this archive's own page about the source. A source
    # with neither address is left out, and with none left so is `appearance`.
    source_slugs = dict.fromkeys([r.slug for r in claim.appearances] + [q.source for q in claim.quotes])
    reachable = [s for s in (lib.sources[slug] for slug in source_slugs) if model.original_url(s) or s.archive_url]
    if reachable:
        item["appearance"] = [_creative_work(s, urls) for s in reachable]
        first = _first_appearance(claim, reachable)
        if first is not None:
            item["firstAppearance"] = _creative_work(first, urls)
    language = claim.language or lib.site.language
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": urls.absolute(urls.record("claim", claim.slug)),
        "claimReviewed": claim.claim,
        "itemReviewed": item,
        "reviewRating": rating,
        "author": {"@type": "Organization", "name": lib.site.publisher.name, "url": lib.site.publisher.url},
        "datePublished": claim.reviewed.isoformat(),
        "inLanguage": language,
    }
    if claim.updated:
        data["dateModified"] = claim.updated.isoformat()
    if claim.authors:
        # v2: the people who checked it are its authors; the organisation stays its publisher.
        data["publisher"] = data["author"]
        data["author"] = [_staff(lib.staff[r.slug], lib, urls) for r in claim.authors]
    if claim.editors:
        data["editor"] = [_staff(lib.staff[r.slug], lib, urls) for r in claim.editors]
    return script_json(data)


def _archived_copy(source: model.Source, urls: Urls) -> dict:
    """The archived file the quotes were checked against, with what anyone needs to check the copy."""
    copy = {
        "@type": "MediaObject",
        "contentUrl": urls.absolute(urls.page(archived_file_output(source.slug, source.text.path))),
        "encodingFormat": MEDIA_TYPES[source.text.format],
        "sha256": source.text.sha256,
    }
    archived = model.archived_at(source)
    if archived:
        copy["dateCreated"] = archived.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return copy


def _creative_work(source: model.Source, urls: Urls) -> dict:
    """Where the claim appeared, as published (or as archived elsewhere), with the copy the quotes were proven against."""
    work = {"@type": "CreativeWork", "url": model.original_url(source) or source.archive_url, "name": source.title}
    if source.published:
        work["datePublished"] = source.published.isoformat()
    if source.text:
        work["archivedAt"] = _archived_copy(source, urls)
    return work


def _first_appearance(claim: model.Claim, reachable: list[model.Source]) -> model.Source | None:
    """The appearance the claim names as first, else the earliest dated one (the first listed of a day)."""
    if claim.first_appearance is not None:
        return next((s for s in reachable if s.slug == claim.first_appearance.slug), None)
    dated = [s for s in reachable if s.published]
    return min(dated, key=lambda s: s.published) if dated else None


def _staff(member: model.Staff, lib: Library, urls: Urls) -> dict:
    person = {
        "@type": "Person",
        "name": member.name,
        "jobTitle": member.role,
        "url": urls.absolute(urls.record("staff", member.slug)),
        "worksFor": {"@type": "Organization", "name": lib.site.publisher.name, "url": lib.site.publisher.url},
    }
    if member.same_as:
        person["sameAs"] = list(member.same_as)
    return person


def _author(person: model.Person, lib: Library, urls: Urls) -> dict:
    author = {
        "@type": "Organization" if person.kind == "organization" else "Person",
        "name": person.name,
        "url": person.url or urls.absolute(urls.record("person", person.slug)),
    }
    if person.same_as:
        author["sameAs"] = list(person.same_as)
    if person.affiliation and person.kind == "person":
        author["affiliation"] = {"@type": "Organization", "name": lib.people[person.affiliation.slug].name}
    return author


def script_json(data) -> Markup:
    """JSON safe inside <script>: no '<', '>' or '&' can end the element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)

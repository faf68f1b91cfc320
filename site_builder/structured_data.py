"""ClaimReview JSON-LD, as Google's fact-check guidelines and other aggregators read it."""

from __future__ import annotations

import json

from markupsafe import Markup

from . import model
from .library import Library
from .urls import Urls


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
    # Where the claim was made: the listed appearances, then the sources of its
    # quotes. No firstAppearance: the content does not say which came first.
    source_slugs = dict.fromkeys([r.slug for r in claim.appearances] + [q.source for q in claim.quotes])
    appearances = [
        {"@type": "CreativeWork", "url": s.url or urls.absolute(urls.record("source", s.slug)), "name": s.title}
        | ({"datePublished": s.published.isoformat()} if s.published else {})
        for s in (lib.sources[slug] for slug in source_slugs)
    ]
    if appearances:
        item["appearance"] = appearances
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


def _staff(member: model.Staff, lib: Library, urls: Urls) -> dict:
    person = {"@type": "Person", "name": member.name, "jobTitle": member.role,
              "url": urls.absolute(urls.record("staff", member.slug)),
              "worksFor": {"@type": "Organization", "name": lib.site.publisher.name, "url": lib.site.publisher.url}}
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

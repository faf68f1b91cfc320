"""The whole archive as one JSON file for reuse: data/claims.json.

Its shape is a public interface, documented in docs/dataset.md; change both
together and bump DATASET_VERSION when a field changes meaning or goes away.
Records are in slug order and keys in a fixed order, so the bytes depend on
the content alone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from . import model
from .library import Library
from .urls import Urls, archived_file_output

DATASET_PATH = "data/claims.json"
DATASET_FORMAT = "fact-check-archive"
# 2: the analysis is written once, as its Markdown (version 1 also had it as HTML, which made a
# third of a 10,000-claim dataset; the pages show it as HTML).
DATASET_VERSION = 2


def claims_dataset(lib: Library, urls: Urls) -> Iterator[bytes]:
    """The dataset's bytes, a record at a time: one record per line.

    Never the whole document in memory (at 10,000 claims the dict and the
    indenting encoder's pieces took 650 MB), and each record encoded by
    json's C encoder, which indenting would bypass (3x slower).
    """
    site = lib.site
    head = {
        "format": DATASET_FORMAT,
        "version": DATASET_VERSION,
        "site": {
            "title": site.title,
            "description": site.description,
            "url": urls.base_url,
            "language": site.language,
            "publisher": {"name": site.publisher.name, "url": site.publisher.url},
        },
        "verdicts": [
            {
                "id": v.id,
                "label": v.label,
                "rating": v.rating,
                "description": v.description,
                "url": urls.absolute(urls.page("verdicts/")) + f"#verdict-{v.id}",
            }
            for v in site.verdicts
        ],
    }
    lists = {
        "claims": (_claim(c, lib, urls) for c in lib.claims.values()),
        "sources": (_source(s, lib, urls) for s in lib.sources.values()),
        "people": (_person(p, lib, urls) for p in lib.people.values()),
        "topics": (
            {
                "slug": t.slug,
                "url": _url(urls, "topic", t.slug),
                "title": t.title,
                "description": t.description,
                "claims": list(lib.claims_by_topic.get(t.slug, ())),
            }
            for t in lib.topics.values()
        ),
    }
    yield (
        "{\n" + ",\n".join(f"{_json(key)}: {_json(value)}" for key, value in head.items() if key != "verdicts")
    ).encode("utf-8")
    for key, items in {"verdicts": head["verdicts"], **lists}.items():
        opening = f",\n{_json(key)}: ["
        first = True
        for item in items:
            yield ((opening + "\n" if first else ",\n") + _json(item)).encode("utf-8")
            first = False
        yield (opening + "]" if first else "\n]").encode("utf-8")
    yield b"\n}\n"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _claim(claim: model.Claim, lib: Library, urls: Urls) -> dict:
    verdict = lib.verdicts[claim.verdict.slug]
    return {
        "slug": claim.slug,
        "url": _url(urls, "claim", claim.slug),
        "claim": claim.claim,
        "claimant": claim.claimant.slug,
        "date": _date(claim.date),
        "verdict": {"id": verdict.id, "label": verdict.label, "rating": verdict.rating},
        "summary": claim.summary,
        "analysis": {"markdown": claim.analysis.source},
        "reviewed": _date(claim.reviewed),
        "updated": _date(claim.updated),
        "language": claim.language or lib.site.language,
        "quotes": [
            {"source": q.source, "id": q.quote, "url": urls.absolute(urls.quote(q.source, q.quote))}
            for q in claim.quotes
        ],
        "appearances": [r.slug for r in claim.appearances],
        "first_appearance": claim.first_appearance.slug if claim.first_appearance else None,
        "counterclaims": list(lib.counterclaims.get(claim.slug, ())),
        "topics": [r.slug for r in claim.topics],
        "corrections": [{"date": _date(c.date), "note": c.note} for c in claim.corrections],
    }


def _source(source: model.Source, lib: Library, urls: Urls) -> dict:
    return {
        "slug": source.slug,
        "url": _url(urls, "source", source.slug),
        "title": source.title,
        "kind": source.kind,
        "publisher": source.publisher,
        "original_url": model.original_url(source),
        "archive_url": source.archive_url,
        "published": _date(source.published),
        "language": source.language or lib.site.language,
        "text": source.text.text if source.text else None,
        "archived_file": _archived_file(source, urls),
        "quotes": [
            {
                "id": q.id,
                "url": urls.absolute(urls.quote(source.slug, q.id)),
                "speaker": q.speaker.slug,
                "text": q.text,
                "date": _date(q.date),
                "context": q.context,
                "positions": [[span.start, span.end] for span in q.spans],
                "page": q.page,
                "heading": q.heading,
                "cited_by": list(lib.claims_citing_quote.get((source.slug, q.id), ())),
            }
            for q in source.quotes
        ],
        "claims": list(lib.claims_by_source.get(source.slug, ())),
    }


def _archived_file(source: model.Source, urls: Urls) -> dict | None:
    if source.text is None:
        return None
    archived = model.archived_at(source)
    return {
        "url": urls.absolute(urls.page(archived_file_output(source.slug, source.text.path))),
        "sha256": source.text.sha256,
        "sha256_recorded": source.sha256 is not None,
        "size": source.text.size,
        "format": source.text.format,
        "media_type": source.text.media_type,
        "archived": archived.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if archived else None,
    }


def _person(person: model.Person, lib: Library, urls: Urls) -> dict:
    return {
        "slug": person.slug,
        "url": _url(urls, "person", person.slug),
        "name": person.name,
        "kind": person.kind,
        "description": person.description,
        "affiliation": person.affiliation.slug if person.affiliation else None,
        "members": list(lib.members.get(person.slug, ())),
        "official_url": person.url,
        "same_as": list(person.same_as),
        "claims": list(lib.claims_by_claimant.get(person.slug, ())),
    }


def _url(urls: Urls, kind: str, slug: str) -> str:
    return urls.absolute(urls.record(kind, slug))


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None

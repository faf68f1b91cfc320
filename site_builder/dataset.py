"""The whole archive as data for reuse: an index at data/claims.json and the records in parts.

Its shape is a public interface, documented in docs/dataset.md; change both
together and bump DATASET_VERSION when a field changes meaning or goes away.
Records are in slug order and keys in a fixed order, so the bytes depend on
the content alone.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator

from . import model
from .library import Library
from .urls import Urls, archived_file_output

DATASET_PATH = "data/claims.json"
DATASET_FORMAT = "fact-check-archive"
# 2: the analysis is written once, as its Markdown (version 1 also had it as HTML, which made a
# third of a 10,000-claim dataset; the pages show it as HTML).
# 3: the index at DATASET_PATH and the records in gzipped JSON Lines parts of PART_RECORDS: one
# file was 85 MB at 10,000 claims, and would be 850 MB at 100,000, over GitHub Pages' 100 MB a file.
DATASET_VERSION = 3
PART_RECORDS = 1000  # records a part holds: about 1.3 MB gzipped (4.4 MB of JSON) of the bench's claims
# zlib's level at 10,000 bench claims (85 MB of JSON): 2 gives 29.8 MB in 1.2 s of one core, 4 gives
# 27.6 MB in 1.5 s, 6 (gzip's own) 24.9 MB in 4.5 s; each rebuild writes every part again.
GZIP_LEVEL = 4
LISTS = ("claims", "sources", "people", "topics")


def part_path(name: str, number: int) -> str:
    """Where part `number` (from 1) of the list `name` is published."""
    return f"data/{name}-{number:04d}.jsonl.gz"


def is_part(path: str) -> bool:
    """Whether an output path is a part of the dataset, as `part_path` names them."""
    name, _, rest = path.removeprefix("data/").partition("-")
    return path.startswith("data/") and name in LISTS and rest.endswith(".jsonl.gz") and rest[:-9].isdigit()


def dataset_files(lib: Library, urls: Urls) -> list[tuple[str, Callable[[], Iterable[bytes]]]]:
    """The index and every part: (path in the output, what makes its bytes, in pieces).

    A part is encoded while it is written, a record at a time, and the index needs
    only the lists' lengths: never the whole dataset in memory.
    """
    records = _records(lib, urls)
    files: list[tuple[str, Callable[[], Iterable[bytes]]]] = [
        (DATASET_PATH, functools.partial(_index, lib, urls, {name: keys for name, (keys, _) in records.items()}))
    ]
    for name, (keys, encode) in records.items():
        for number, chunk in enumerate(_chunks(keys), 1):
            files.append((part_path(name, number), functools.partial(_part, chunk, encode)))
    return files


def _records(lib: Library, urls: Urls) -> dict[str, tuple[list[str], Callable[[str], dict]]]:
    """Each list's slugs in order, and how one of its records is made."""

    def topic(slug: str) -> dict:
        t = lib.topics[slug]
        return {
            "slug": t.slug,
            "url": _url(urls, "topic", t.slug),
            "title": t.title,
            "description": t.description,
            "claims": list(lib.claims_by_topic.get(t.slug, ())),
        }

    return {
        "claims": (list(lib.claims), lambda slug: _claim(lib.claims[slug], lib, urls)),
        "sources": (list(lib.sources), lambda slug: _source(lib.sources[slug], lib, urls)),
        "people": (list(lib.people), lambda slug: _person(lib.people[slug], lib, urls)),
        "topics": (list(lib.topics), topic),
    }


def _index(lib: Library, urls: Urls, slugs: dict[str, list[str]]) -> Iterator[bytes]:
    site = lib.site
    index = {
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
    for name in LISTS:
        keys = slugs[name]
        index[name] = {
            "count": len(keys),
            "parts": [
                {
                    "url": urls.absolute(urls.page(part_path(name, number))),
                    "records": len(chunk),
                    "first": chunk[0],
                    "last": chunk[-1],
                }
                for number, chunk in enumerate(_chunks(keys), 1)
            ],
        }
    yield (json.dumps(index, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _chunks(keys: list[str]) -> Iterator[list[str]]:
    iterator = iter(keys)
    while chunk := list(itertools.islice(iterator, PART_RECORDS)):
        yield chunk


def _part(slugs: list[str], encode: Callable[[str], dict]) -> Iterator[bytes]:
    """One record a line, gzipped as `gzip -n` would: no name and no time in the header, so an
    unchanged archive gives unchanged bytes (zlib's own gzip header names the system it ran on)."""
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc, size = 0, 0
    yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    for slug in slugs:
        line = (_json(encode(slug)) + "\n").encode("utf-8")
        crc, size = zlib.crc32(line, crc), size + len(line)
        yield deflate.compress(line)
    yield deflate.flush() + struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)


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

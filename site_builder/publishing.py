"""What is published: drafts and embargoes, decided once between resolving and planning.

The library is resolved from every record first, so references from drafts
are checked like any other. Then either the unpublished records are taken
out, together with every trace of them in what is published (counterclaims,
topics, appearances, links in Markdown), and the library is resolved again
from what is left; or, for `--drafts` and the preview, everything stays and
the unpublished records are named so that their pages carry a banner.

`now` is the one input of a build that does not come from the content: it
decides which embargoes have passed. Tests always pass it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from . import model
from .errors import BuildFailed, ErrorList
from .library import Library, build_library
from .urls import Urls

Key = tuple[str, str]  # (record kind, slug); kind is claim, source, person, topic or page


@dataclass(frozen=True, slots=True)
class Held:
    """Why a record is not published: a draft, or an embargo until an instant."""

    until: dt.datetime | None  # the embargo's end, in UTC; None for a draft


@dataclass(frozen=True)
class Publishing:
    now: dt.datetime  # aware; embargoes ending after it hold their claims back
    drafts: bool = False  # include unpublished records, marked (build --drafts, serve)


def held_records(library: Library, now: dt.datetime) -> dict[Key, Held]:
    """Every record that is not published at `now`, and why."""
    held: dict[Key, Held] = {}
    for kind, records in library.records.items():
        for slug, record in records.items():
            if getattr(record, "draft", False):  # staff have no drafts: they are named or not
                held[(kind, slug)] = Held(None)
            elif kind == "claim" and record.publish_at is not None and record.publish_at > now:
                held[(kind, slug)] = Held(record.publish_at)
    for slug, page in library.pages.items():
        if page.draft:
            held[("page", slug)] = Held(None)
    return held


def counts(held: dict[Key, Held]) -> tuple[int, int]:
    """How many drafts (of any kind) and how many embargoed claims."""
    embargoed = sum(1 for h in held.values() if h.until is not None)
    return len(held) - embargoed, embargoed


def publish(library: Library, publishing: Publishing, urls: Urls) -> Library:
    """The library readers see at `publishing.now`; raises nothing, reports into the library's errors.

    A published record that cannot be shown without an unpublished one (a
    claim whose claimant is a draft, a quote whose source is) is a content
    error, whether or not drafts are shown, so that a preview fails where the
    real build would. Optional links to unpublished records simply go.
    """
    held = held_records(library, publishing.now)
    errors = ErrorList()
    _check_needs(library, held, errors)
    if errors:
        raise BuildFailed(errors.sorted())
    if publishing.drafts or not held:
        return dataclasses.replace(library, held=held)
    hidden_urls = _hidden_urls(held, urls)
    records: list = []
    for kind, of_kind in library.records.items():
        for slug, record in of_kind.items():
            if (kind, slug) in held or (kind == "topic" and record.pos is None):
                continue  # a topic without a file comes back if a published claim names it
            records.append(_without_held(record, held, hidden_urls))
    records += [_without_held(p, held, hidden_urls) for s, p in library.pages.items() if ("page", s) not in held]
    errors = ErrorList()
    published = build_library(library.site, records, errors, locale_dirs=library.locale_dirs)
    if published is None:  # everything was checked above; a failure here is a bug of ours
        raise RuntimeError(f"publishing left references unresolved: {errors.sorted()[:3]}")
    # The site's verdict labels were translated once already.
    return dataclasses.replace(published, site=library.site, verdicts=library.verdicts)


def _check_needs(library: Library, held: dict[Key, Held], errors: ErrorList) -> None:
    def need(ref_kind: str, slug: str, pos, what: str, fix: str) -> None:
        if (ref_kind, slug) in held and held[(ref_kind, slug)].until is None:
            errors.add(
                pos,
                f"{what} '{slug}' is a draft (draft: true in {model.KINDS[ref_kind]}/{slug}.yaml), so this "
                f"published {fix} could not show it: publish it, or make this one a draft too",
            )

    for slug, claim in library.claims.items():
        if ("claim", slug) in held:
            continue
        need("person", claim.claimant.slug, claim.claimant.pos, "claimant", "claim")
        for ref in claim.quotes:
            need("source", ref.source, ref.pos, "the source of quote", "claim")
    for slug, source in library.sources.items():
        if ("source", slug) in held:
            continue
        for quote in source.quotes:
            need("person", quote.speaker.slug, quote.speaker.pos, "speaker", "source")


def _hidden_urls(held: dict[Key, Held], urls: Urls) -> re.Pattern | None:
    paths = [urls.page(f"{slug}/") if kind == "page" else urls.record(kind, slug) for kind, slug in held]
    if not paths:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(paths))
    # Markdown writes internal links as <a href="..."> with nothing nested in them.
    return re.compile(rf'<a\b[^>]*?\bhref="(?:{alternatives})(?:#[^"]*)?"[^>]*>(.*?)</a>', re.DOTALL)


def _markdown(markdown: model.Markdown, held: dict[Key, Held], hidden: re.Pattern | None) -> model.Markdown:
    links = tuple(link for link in markdown.links if (link.kind, link.slug) not in held)
    if len(links) == len(markdown.links):
        return markdown
    # The words stay, the link goes: the reader is not sent to a page that is not there,
    # and the dataset's Markdown does not name the record either.
    targets = "|".join(
        sorted({re.escape(f"{link.kind}:{link.slug}") for link in markdown.links if (link.kind, link.slug) in held})
    )
    source = re.sub(rf"\[([^\]]*)\]\(\s*<?(?:{targets})(?:#[^)\s>]*)?>?(?:\s+[^)]*)?\)", r"\1", markdown.source)
    source = re.sub(rf"(?m)^[ \t]*\[[^\]]+\]:[ \t]*<?(?:{targets})(?:#\S*)?>?.*$", "", source)
    return model.Markdown(source, hidden.sub(r"\1", markdown.html), links, markdown.images)


def _without_held(record, held: dict[Key, Held], hidden: re.Pattern | None):
    def keep(refs):
        return tuple(ref for ref in refs if (ref.kind, ref.slug) not in held)

    if isinstance(record, model.Claim):
        return dataclasses.replace(
            record,
            counterclaims=keep(record.counterclaims),
            topics=keep(record.topics),
            appearances=keep(record.appearances),
            analysis=_markdown(record.analysis, held, hidden),
        )
    if isinstance(record, model.Person) and record.affiliation and ("person", record.affiliation.slug) in held:
        return dataclasses.replace(record, affiliation=None)
    if isinstance(record, model.OwnPage):
        return dataclasses.replace(record, body=_markdown(record.body, held, hidden))
    if isinstance(record, model.Staff) and record.bio:
        return dataclasses.replace(record, bio=_markdown(record.bio, held, hidden))
    if isinstance(record, (model.Source, model.Person, model.Topic, model.Staff)):
        return record
    # A kind without rules of its own: its lists of references lose the unpublished records.
    lists = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    return dataclasses.replace(
        record,
        **{
            name: keep(value)
            for name, value in lists.items()
            if isinstance(value, tuple) and value and isinstance(value[0], model.Ref)
        },
    )

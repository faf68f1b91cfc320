"""Reader: ClaimReview JSON-LD in saved HTML pages, .json/.jsonld files and schema.org DataFeeds.

A ClaimReview may stand alone, in a list, in `@graph`, or in a DataFeed's
`dataFeedElement` (bare or inside a DataFeedItem's `item`); all are found by
one walk. From an HTML page that holds a single ClaimReview the page's own
words are taken too: its language, address, description and article body.
"""

from __future__ import annotations

import re
import urllib.parse

from ..errors import Position
from ..parallel import run_chunked
from .items import Appearance, Item, Problems, clean_block, clean_language, clean_line, clean_url, parse_date
from .jsonpos import JsonInputError, PositionedJson
from .sources import InputFile, input_paths, read_input

EXTENSIONS = (".html", ".htm", ".json", ".jsonld")
_SCRIPT = re.compile(r"<script\b[^>]*?type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>", re.I | re.S)
# Containers a ClaimReview is found in; any other key is not looked into.
_CONTAINERS = ("@graph", "dataFeedElement", "item", "mainEntity", "hasPart", "itemListElement", "review")
MAX_WALK_DEPTH = 20


class Found:
    """What one file gave: the ClaimReviews with their positions, and the null feed items it skipped."""

    def __init__(self) -> None:
        self.reviews: list[tuple[dict, Position]] = []
        self.empty = 0


def read(paths: list[str], problems: Problems) -> tuple[list[Item], int]:
    """Every ClaimReview in `paths` (files or folders) as an Item; also how many feed items were null.

    A saved site is thousands of pages, each parsed and converted: they are
    read across processes, and come back in the order of the files.
    """
    items, empty = [], 0
    for chunk_items, chunk_empty, errors in run_chunked(
        _read_chunk, input_paths(paths, EXTENSIONS, problems), lambda: None, stage="import"
    ):
        items += chunk_items
        empty += chunk_empty
        problems.errors.extend(errors)
    return items, empty


def _read_chunk(_state, paths: list[str]) -> tuple[list[Item], int, list]:
    problems = Problems()
    items, empty = [], 0
    for path in paths:
        source = read_input(path, problems)
        if source is None:
            continue
        found, page = _read_file(source, problems)
        empty += found.empty
        for review, pos in found.reviews:
            item = review_item(review, pos, problems)
            if page is not None:
                page.complete(item, single=len(found.reviews) == 1)
            items.append(item)
    return items, empty, list(problems.errors)


def _read_file(source: InputFile, problems: Problems):
    found = Found()
    if source.path.lower().endswith((".html", ".htm")):
        blocks = [(m.start(1), m.end(1)) for m in _SCRIPT.finditer(source.text)]
        positioned = PositionedJson(source.path, source.text)
        for start, end in blocks:
            try:
                value = positioned.load(start, end)
            except JsonInputError as exc:
                problems.add(
                    exc.pos,
                    f"{exc.message} in this page's JSON-LD script; fix the page or export it again (the page's other scripts are still read)",
                )
                continue
            _walk(value, positioned, found, 0)
        page = None
        if found.reviews:
            from bs4.exceptions import ParserRejectedMarkup

            from .html_page import HtmlPage  # BeautifulSoup only for pages that hold a fact-check

            try:
                page = HtmlPage(source)
            except ParserRejectedMarkup:  # html.parser gives up on some broken markup ('<![' unclosed)
                problems.add(
                    Position(source.path, 1, 1),
                    "this page's HTML is too broken to read its text: its "
                    "ClaimReview was imported without the article's text; save the page again",
                )
        return found, page
    positioned = PositionedJson(source.path, source.text)
    try:
        value = positioned.load()
    except JsonInputError as exc:
        problems.add(exc.pos, f"{exc.message}; fix the file or export it again")
        return found, None
    _walk(value, positioned, found, 0)
    if not found.reviews and not found.empty:
        problems.add(
            Position(source.path, 1, 1),
            'this file holds no ClaimReview (an object with "@type": "ClaimReview"); '
            "is it the right file, or an API response for `import factcheck-api`?",
        )
    return found, None


def _types(value: dict) -> set[str]:
    kind = value.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _walk(value, positioned: PositionedJson, found: Found, depth: int) -> None:
    if depth > MAX_WALK_DEPTH:
        return
    if isinstance(value, list):
        for element in value:
            _walk(element, positioned, found, depth + 1)
        return
    if not isinstance(value, dict):
        return
    if "ClaimReview" in _types(value):
        found.reviews.append((value, positioned.pos(value)))
        return
    for key in _CONTAINERS:
        inner = value.get(key)
        if key == "dataFeedElement" and isinstance(inner, list):
            for element in inner:
                if element is None or (isinstance(element, dict) and element.get("item", "") is None):
                    found.empty += 1  # Data Commons' feeds hold nulls where a review was withdrawn
                else:
                    _walk(element, positioned, found, depth + 1)
        elif inner is not None:
            _walk(inner, positioned, found, depth + 1)


def _first(value):
    """A JSON-LD value that may be one thing or a list of them: the first thing."""
    if isinstance(value, list):
        return next((v for v in value if v is not None), None)
    return value


def _all(value) -> list:
    if value is None:
        return []
    return [v for v in value if v is not None] if isinstance(value, list) else [value]


def _name(value) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        return clean_line(value.get("name") or value.get("alternateName") or value.get("headline"))
    return clean_line(value) if isinstance(value, str) else None


def review_item(review: dict, pos: Position, problems: Problems) -> Item:
    item = Item(pos)
    reviewed = _first(review.get("itemReviewed"))
    reviewed = reviewed if isinstance(reviewed, dict) else {}
    item.claim = clean_line(review.get("claimReviewed"))
    if item.claim is None:
        item.claim = clean_line(reviewed.get("name") or reviewed.get("text"))
        if item.claim:
            item.filled.append("claim text from the item reviewed")
    author = _first(reviewed.get("author"))
    if isinstance(author, dict):
        item.claimant = clean_line(author.get("name"))
        kinds = _types(author)
        item.claimant_kind = (
            "organization"
            if kinds
            & {
                "Organization",
                "NewsMediaOrganization",
                "GovernmentOrganization",
                "PoliticalParty",
                "Corporation",
                "NGO",
            }
            else ("person" if "Person" in kinds else None)
        )
        item.claimant_url = clean_url(_first(author.get("url")))
        item.claimant_same_as = tuple(u for u in (clean_url(v) for v in _all(author.get("sameAs"))) if u)
    elif isinstance(author, str):
        item.claimant = clean_line(author)
    rating = _first(review.get("reviewRating"))
    if isinstance(rating, dict):
        item.rating = clean_block(rating.get("alternateName") or rating.get("name"))
    elif isinstance(rating, str):
        item.rating = clean_block(rating)
    item.reviewed = parse_date(review.get("datePublished"))
    item.updated = parse_date(review.get("dateModified"))
    item.date = parse_date(reviewed.get("datePublished"))
    item.url = clean_url(_first(review.get("url")))
    item.title = clean_line(review.get("name") or review.get("headline"))
    item.publisher = _name(review.get("author")) or _name(review.get("publisher"))
    item.summary = clean_block(review.get("description"))
    body = clean_block(review.get("reviewBody") or review.get("articleBody"))
    item.analysis = _escape_plain(body) if body else None
    language = review.get("inLanguage")
    if isinstance(language, dict):
        language = language.get("alternateName") or language.get("name")
    item.language = clean_language(_first(language))
    for key in ("firstAppearance", "appearance"):
        for appearance in _all(reviewed.get(key)):
            if isinstance(appearance, str):
                appearance = {"url": appearance}
            if not isinstance(appearance, dict):
                continue
            url = clean_url(_first(appearance.get("url")))
            if url and all(a.url != url for a in item.appearances):
                item.appearances.append(
                    Appearance(
                        url,
                        clean_line(appearance.get("name") or appearance.get("headline")),
                        parse_date(appearance.get("datePublished")),
                        _name(appearance.get("author")) or _name(appearance.get("publisher")),
                    )
                )
    return item


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")


def _escape_plain(text: str) -> str:
    """Plain text (a JSON-LD reviewBody) as Markdown that shows it as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    try:
        return clean_url(urllib.parse.urljoin(base or "", url.strip()))
    except ValueError:
        return None

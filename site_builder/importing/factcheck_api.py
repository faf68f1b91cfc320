"""Reader: responses of Google's Fact Check Tools API `claims:search`, saved as JSON.

A response is `{"claims": [...]}` (a file may also hold a list of responses,
one per page of results) or a bare list of claims. Each claim has `text`,
`claimant`, `claimDate` and `claimReview[]`; each review in that list is one
fact-check, so one item.
"""

from __future__ import annotations

from .items import Item, Problems, clean_block, clean_language, clean_line, clean_url, parse_date
from .jsonpos import JsonInputError, PositionedJson
from .sources import input_files

EXTENSIONS = (".json",)


def read(paths: list[str], problems: Problems) -> tuple[list[Item], int]:
    items = []
    for source in input_files(paths, EXTENSIONS, problems):
        positioned = PositionedJson(source.path, source.text)
        try:
            value = positioned.load()
        except JsonInputError as exc:
            problems.add(exc.pos, f"{exc.message}; fix the file or save the API response again")
            continue
        claims = _claims(value)
        if claims is None:
            problems.add(
                positioned.pos(value),
                'this is not a Fact Check Tools API response: expected {"claims": [...]} '
                "or a list of claims; for ClaimReview JSON-LD use `import claimreview`",
            )
            continue
        for claim in claims:
            items += _claim_items(claim, positioned, problems)
    return items, 0


def _claims(value) -> list | None:
    if isinstance(value, dict):
        claims = value.get("claims", [] if "nextPageToken" in value or not value else None)
        return claims if isinstance(claims, list) else None
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "claims" in v for v in value):  # several pages of results
            return [c for v in value if isinstance(v.get("claims"), list) for c in v["claims"]]
        return value
    return None


def _claim_items(claim, positioned: PositionedJson, problems: Problems) -> list[Item]:
    if not isinstance(claim, dict):
        if claim is not None:
            problems.add(positioned.pos(claim), "this claim is not an object: skipped")
        return []
    pos = positioned.pos(claim)
    reviews = claim.get("claimReview")
    reviews = [r for r in reviews if isinstance(r, dict)] if isinstance(reviews, list) else []
    if not reviews:
        problems.add(pos, "this claim has no claimReview, so no fact-check to import: skipped")
        return []
    items = []
    for review in reviews:
        publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
        items.append(
            Item(
                positioned.pos(review, pos),
                claim=clean_line(claim.get("text")),
                claimant=clean_line(claim.get("claimant")),
                date=parse_date(claim.get("claimDate")),
                rating=clean_block(review.get("textualRating")),
                reviewed=parse_date(review.get("reviewDate")),
                url=clean_url(review.get("url")),
                title=clean_line(review.get("title")),
                publisher=clean_line(publisher.get("name")) or clean_line(publisher.get("site")),
                language=clean_language(review.get("languageCode")),
            )
        )
    return items

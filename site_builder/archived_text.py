"""A source's archived text as HTML, with each quote marked where it stands."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .model import Span

CONTEXT_WORDS = 12
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def marked_text(text: str, spans_by_anchor: dict[str, tuple[Span, ...]]) -> Markup:
    """Paragraphs of the text; each quote's parts in <mark>, the first with an id.

    A mark never crosses a paragraph: it is closed and reopened around the
    break, so the HTML stays well nested whatever the quote spans.
    """
    opens: dict[int, list[str]] = {}
    closes: dict[int, int] = {}
    for anchor, spans in sorted(spans_by_anchor.items()):
        for index, span in enumerate(spans):
            tag = f'<mark id="text-{anchor}">' if index == 0 else "<mark>"
            opens.setdefault(span.start, []).append(tag)
            closes[span.end] = closes.get(span.end, 0) + 1
    paragraphs = []
    depth = 0
    for paragraph in _paragraph_spans(text):
        out = ["<mark>" * depth]
        cursor = paragraph.start
        offsets = {o for o in opens if paragraph.start <= o < paragraph.end}
        offsets |= {o for o in closes if paragraph.start < o <= paragraph.end}
        for offset in sorted(offsets):
            out.append(escape(text[cursor:offset]))
            closing = min(closes.get(offset, 0), depth)
            out.append("</mark>" * closing)
            depth -= closing
            for tag in opens.get(offset, ()):
                out.append(tag)
                depth += 1
            cursor = offset
        out.append(escape(text[cursor : paragraph.end]))
        out.append("</mark>" * depth)
        paragraphs.append("<p>" + "".join(map(str, out)) + "</p>")
    return Markup("\n".join(paragraphs))


def _paragraph_spans(text: str) -> list[Span]:
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            spans.append(Span(start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append(Span(start, len(text.rstrip())))
    return spans


def context_around(text: str, spans: tuple[Span, ...]) -> tuple[str, str]:
    """A few words before and after a quote, cut at paragraph breaks.

    Each side keeps the space (or its absence) next to the quote, so `“` stays
    on the word it opens, and gets `…` only where words were left out.
    """
    before = _PARAGRAPH_BREAK.split(text[: spans[0].start])[-1]
    after = _PARAGRAPH_BREAK.split(text[spans[-1].end :])[0]
    kept_before, cut_before = _first_words(_WORD_OR_SPACE.findall(before)[::-1])
    kept_after, cut_after = _first_words(_WORD_OR_SPACE.findall(after))
    return (
        ("…" if cut_before else "") + _squash("".join(kept_before[::-1])).lstrip(),
        _squash("".join(kept_after)).rstrip() + ("…" if cut_after else ""),
    )


_WORD_OR_SPACE = re.compile(r"\s+|\S+")


def _first_words(tokens: list[str]) -> tuple[list[str], bool]:
    """The tokens up to CONTEXT_WORDS words, and whether any word was left out."""
    words = 0
    for index, token in enumerate(tokens):
        if not token.isspace():
            if words == CONTEXT_WORDS:
                return tokens[:index], True
            words += 1
    return tokens, False


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)

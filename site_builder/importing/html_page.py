"""A saved fact-check page's own words: language, address, description, and its article body as Markdown."""

from __future__ import annotations

import re
import urllib.parse
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from markdownify import MarkdownConverter

from .items import Item, clean_block, clean_language, clean_line, clean_url
from .sources import InputFile

# Where CMSes put the article's text, most specific first (WordPress, schema.org microdata, this tool's own pages).
BODY_SELECTORS = (
    "[itemprop=articleBody]",
    "[itemprop=reviewBody]",
    ".entry-content",
    ".post-content",
    ".article-body",
    ".article-content",
    "section.analysis > div",
    "article",
    "main",
)
# Never part of the text: scripts, navigation, forms, embeds, and images (which would point at the old site).
DROPPED = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "form",
    "iframe",
    "object",
    "embed",
    "svg",
    "img",
    "picture",
    "video",
    "audio",
    "button",
    "input",
    "select",
    "textarea",
    "header",
    "footer",
)


class _Converter(MarkdownConverter):
    def __init__(self, base: str | None, **options) -> None:
        super().__init__(**options)
        self.base = base

    def convert_a(self, el, text, *args, **kwargs):
        href = el.get("href")
        target = None
        if href:
            try:
                target = urllib.parse.urljoin(self.base or "", href.strip())
            except ValueError:
                target = None
        if target and target.startswith("mailto:"):
            el["href"] = target
        elif target and clean_url(target):
            el["href"] = clean_url(target)
        else:  # a relative link without a base, javascript:, an anchor: keep the words only
            return text
        el.attrs.pop("title", None)
        return super().convert_a(el, text, *args, **kwargs)


class HtmlPage:
    def __init__(self, source: InputFile) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            self.soup = BeautifulSoup(source.text, "html.parser")
        html = self.soup.find("html")
        self.lang = clean_language(html.get("lang")) if html is not None and isinstance(html.get("lang"), str) else None
        self.canonical = self._link("canonical") or self._meta("og:url")
        title = self.soup.find("title")
        self.title = self._meta("og:title") or (clean_line(title.get_text()) if title else None)
        self.description = self._meta("description") or self._meta("og:description")

    def _meta(self, name: str) -> str | None:
        tag = self.soup.find("meta", attrs={"property": name}) or self.soup.find("meta", attrs={"name": name})
        content = tag.get("content") if tag is not None else None
        return clean_line(content) if isinstance(content, str) else None

    def _link(self, rel: str) -> str | None:
        for tag in self.soup.find_all("link", href=True):
            rels = tag.get("rel") or []
            if rel in (rels if isinstance(rels, list) else [rels]):
                return clean_url(tag["href"])
        return None

    def complete(self, item: Item, single: bool) -> None:
        """Fill what the JSON-LD left out from the page; the page's text only when it holds this one fact-check."""
        item.language = item.language or self.lang
        item.url = item.url or self.canonical
        item.title = item.title or self.title
        if not single:
            return
        if item.summary is None and self.description:
            summary = self.description
            if item.rating and summary.lower().startswith(item.rating.lower() + ":"):
                summary = summary[len(item.rating) + 1 :].strip()  # "False: ..." as this tool's own pages write it
            item.summary = summary or None
        body = self.article_markdown(item.url)
        if body:
            item.analysis = body

    def article_markdown(self, base: str | None) -> str | None:
        element = None
        for selector in BODY_SELECTORS:
            element = self.soup.select_one(selector)
            if element is not None and element.get_text(strip=True):
                break
            element = None
        if element is None:
            return None
        for tag in element.find_all(DROPPED):
            tag.decompose()
        markdown = _Converter(base, heading_style="ATX", bullets="-", escape_misc=False).convert_soup(element)
        text = clean_block(re.sub(r"[ \t]+\n", "\n", markdown))
        return text  # the planner falls back to a link when it is too long for an analysis

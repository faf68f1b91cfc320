"""Markdown for analyses: internal links resolved to URLs, raw HTML made safe.

One converter per process, reset between documents: building a
`markdown.Markdown` costs far more than converting a short analysis.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from dataclasses import dataclass

import markdown as md_lib
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify as toc_slugify
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from .cache import ResultCache, code_version
from .model import SLUG_RE
from .urls import Urls, quote_anchor

# Records' links, and `page:` for the archive's own pages and the site-wide ones (page:verdicts).
LINK_SCHEMES = {"claim", "source", "person", "topic", "page"}

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class", "role"},
    "li": {"id"},
    "sup": {"id"},
    "div": {"class"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "td": {"style"},
    "th": {"style"},
    "abbr": {"title"},
    "ol": {"start"},
    "img": {
        "src",
        "alt",
        "title",
    },  # v2: only the placeholders run() leaves, replaced by <picture>s in schema.convert_markdown
}
# What the footnotes extension writes; any other class could dress an analysis
# up as the layout (a verdict badge, a notice), so it is dropped.
_ALLOWED_CLASSES = {"footnote", "footnote-ref", "footnote-backref"}
# Ids Markdown itself makes: headings (prefixed, see below) and footnotes. The
# layout's ids (main, site-search-q, verdict-…, quote-…) use none of these
# prefixes, so an id written in raw HTML must take one too.
_OWN_ID = re.compile(r"^(?:section-|fn:|fnref\d*:)\S*$")
# The tables extension's column alignment is the only style kept, value and all.
_TEXT_ALIGN = re.compile(r"^\s*text-align\s*:\s*(left|right|center|justify|start|end)\s*;?\s*$", re.IGNORECASE)
_CELL_ALIGN = re.compile(
    r'<(td|th)((?: [a-z-]+="[^"]*")*?) style="text-align: ?(left|right|center|justify|start|end);?"'
)
_ALLOWED_TAGS = _ALLOWED_TAGS | {"img"}  # v2: images, see IMAGE_PLACEHOLDER
# v2: where run() leaves an image it accepted: the n-th image of the text.
IMAGE_PLACEHOLDER = re.compile(r'<img\b[^>]*?\bsrc="#fact-check-image-(\d+)"[^>]*>|<img\b[^>]*>')


@dataclass(frozen=True, slots=True)
class LinkProblem:
    target: str  # as written, so the error can be placed in the file
    message: str


@dataclass(frozen=True, slots=True)
class FoundImage:
    """v2: ![alt](path "title") in Markdown: a file of the site, read and checked by the validator."""

    path: str
    alt: str
    title: str | None


@dataclass(frozen=True, slots=True)
class FoundLink:
    kind: str
    slug: str
    anchor: str | None
    target: str


def _heading_id(value: str, separator: str) -> str:
    return "section-" + toc_slugify(value, separator)


class MarkdownConverter:
    """`baselevel`: the HTML heading a `#` heading becomes; the page's own headings sit above it."""

    def __init__(self, urls: Urls, baselevel: int = 2, site_root: str | None = None) -> None:
        self._links = _InternalLinks(urls)
        self._baselevel = baselevel
        # With a site root, conversions are kept in its .cache/markdown/ (see cache.py).
        self._cache = ResultCache(site_root, "markdown", _code_version()) if site_root else None
        self._md = md_lib.Markdown(
            extensions=[
                "tables",
                "footnotes",
                "sane_lists",
                "toc",
                self._links,
            ],
            # Heading ids get a prefix so that a heading called "Main" or
            # "Search" cannot take an id the page layout already uses.
            extension_configs={"toc": {"baselevel": baselevel, "permalink": False, "slugify": _heading_id}},
            output_format="html",
        )

    def convert(self, text: str) -> tuple[str, list[FoundLink], list[LinkProblem]]:
        if self._cache is None:
            return self._convert(text)
        key = self._cache.key(str(self._baselevel), self.urls.base_path, text)
        cached = _decoded(self._cache.get(key))
        if cached is not None:
            html, found, problems, self._links.images = cached
            return html, found, problems
        html, found, problems = self._convert(text)
        self._cache.put(
            key,
            {
                "html": html,
                "found": [[link.kind, link.slug, link.anchor, link.target] for link in found],
                "problems": [[problem.target, problem.message] for problem in problems],
                "images": [[image.path, image.alt, image.title] for image in self._links.images],
            },
        )
        return html, found, problems

    def _convert(self, text: str) -> tuple[str, list[FoundLink], list[LinkProblem]]:
        self._md.reset()
        self._links.found, self._links.problems, self._links.made, self._links.images = [], [], set(), []
        raw = self._md.convert(text)
        html = nh3.clean(
            raw,
            tags=_ALLOWED_TAGS,
            attributes=_ALLOWED_ATTRIBUTES,
            attribute_filter=self._links.attribute,
            url_schemes={"http", "https", "mailto", *LINK_SCHEMES},  # archive links: rewritten by the filter
            filter_style_properties={"text-align"},
            link_rel=None,
            strip_comments=True,
        )
        # The pages' Content-Security-Policy (style-src 'self') refuses style attributes:
        # a column's alignment goes out as a class the stylesheet aligns.
        html = _CELL_ALIGN.sub(r'<\1\2 class="align-\3"', html)
        return html, self._links.found, self._links.problems

    @property
    def images(self) -> list[FoundImage]:
        """The last converted text's images, in order: placeholder n is images[n]."""
        return self._links.images

    @property
    def urls(self) -> Urls:
        return self._links.urls


@functools.cache
def _code_version() -> str:
    # The HTML depends on this module, on how urls.py spells addresses (with model.py's KINDS)
    # and on the two libraries.
    return code_version(("markdown.py", "urls.py", "model.py"), ("markdown", "nh3"))


def _decoded(entry) -> tuple[str, list[FoundLink], list[LinkProblem], list[FoundImage]] | None:
    """A cache entry back as convert()'s results; None if it is not one (then the text is converted again)."""
    if entry is None:
        return None
    try:
        html = entry["html"]
        found = [FoundLink(*link) for link in entry["found"]]
        problems = [LinkProblem(*problem) for problem in entry["problems"]]
        images = [FoundImage(*image) for image in entry["images"]]
    except (KeyError, TypeError):
        return None
    strings = [
        html,
        *(x for link in found for x in (link.kind, link.slug, link.target)),
        *(x for p in problems for x in (p.target, p.message)),
        *(x for i in images for x in (i.path, i.alt)),
    ]
    if not all(isinstance(x, str) for x in strings):
        return None
    return html, found, problems, images


class _InternalLinks(Extension, Treeprocessor):
    """Rewrites `claim:slug` links and rejects URLs a reader's browser must not follow."""

    def __init__(self, urls: Urls) -> None:
        Extension.__init__(self)
        self.urls = urls
        self.found: list[FoundLink] = []
        self.problems: list[LinkProblem] = []
        self.made: set[str] = set()  # hrefs this converter wrote, so the sanitiser passes them
        self.images: list[FoundImage] = []

    def extendMarkdown(self, md) -> None:  # noqa: N802 (the library's name)
        Treeprocessor.__init__(self, md)
        # After inline parsing (priority 20) so the links exist; before toc.
        md.treeprocessors.register(self, "fact_check_links", 6)

    def run(self, root) -> None:
        for element in root.iter("img"):
            src, alt = element.get("src", ""), (element.get("alt") or "").strip()
            if not alt:
                self.problems.append(
                    LinkProblem(
                        src,
                        f"the image '{src}' has no alt text: write what it shows for readers "
                        f"who cannot see it, like ![Screenshot of the post](…)",
                    )
                )
            elif ":" in src or src.startswith(("/", "\\", "#")) or not src:
                self.problems.append(
                    LinkProblem(
                        src,
                        f"the image '{src}' is not a file of the site: save the picture in the "
                        "site's folder (for example media/) and write its path, like ![…](media/post.png)",
                    )
                )
            else:
                element.set("src", f"#fact-check-image-{len(self.images)}")
                self.images.append(FoundImage(src, alt, element.get("title")))
                continue
            element.set("src", "#")  # reported; removed from the HTML
        for element in root.iter("a"):
            href = element.get("href", "")
            if AMP_SUBSTITUTE in href:
                # An autolink to an e-mail address (<tips@example.org>, <mailto:…>):
                # Python-Markdown hides it from harvesters as character references.
                href = html_lib.unescape(href.replace(AMP_SUBSTITUTE, "&"))
                element.set("href", href)
            new_href = self._rewrite(href)
            if new_href is not None:
                element.set("href", new_href)
                self.made.add(new_href)
            elif href not in self.made and self._refused(href):
                del element.attrib["href"]  # reported once, here, not again by the sanitiser

    def attribute(self, tag: str, name: str, value: str) -> str | None:
        """nh3's filter: raw HTML's hrefs and ids follow the rules Markdown's own follow."""
        if name == "href" and tag == "a":
            if value in self.made:
                return value
            new_href = self._rewrite(value)
            return None if self._refused(value) else (new_href or value)
        if name == "id" and not _OWN_ID.fullmatch(value):
            self.problems.append(
                LinkProblem(
                    f'id="{value}"',
                    (
                        f"id '{value}' could take an id the page layout uses: "
                        f"start it with 'section-' (id=\"section-{value}\"); headings get such an id by themselves"
                    ),
                )
            )
            return None
        if name == "class":
            kept = [c for c in value.split() if c in _ALLOWED_CLASSES]
            return " ".join(kept) or None
        if name == "style":
            align = _TEXT_ALIGN.fullmatch(value)
            return f"text-align: {align[1].lower()}" if align else None
        return value

    def _refused(self, href: str) -> bool:
        return any(problem.target == href for problem in self.problems)

    def _rewrite(self, href: str) -> str | None:
        if href.startswith("#") or href.startswith(("http://", "https://", "mailto:")):
            return None
        if href.startswith(("//", "\\\\", "/\\", "\\/")):
            self.problems.append(
                LinkProblem(
                    href,
                    (
                        f"link target '{href}' has no scheme, so it would lead wherever the page is read: "
                        f"write the full address, like https:{href.replace(chr(92), '/')}"
                    ),
                )
            )
            return None
        scheme, colon, rest = href.partition(":")
        if not colon or scheme not in LINK_SCHEMES:
            self.problems.append(
                LinkProblem(
                    href,
                    (
                        f"link target '{href}' is neither a web address (http:// or https://) "
                        "nor an archive link (claim:, source:, person:, topic:, page: followed by a slug)"
                    ),
                )
            )
            return None
        slug, hash_, anchor = rest.partition("#")
        if not SLUG_RE.fullmatch(slug) or (hash_ and (scheme != "source" or not SLUG_RE.fullmatch(anchor))):
            self.problems.append(
                LinkProblem(
                    href,
                    (
                        f"link target '{href}' is malformed: write {scheme}:<slug>"
                        + (" or source:<slug>#<quote-id>" if scheme == "source" else "")
                    ),
                )
            )
            return None
        self.found.append(FoundLink(scheme, slug, anchor or None, href))
        if scheme == "page":
            return self.urls.page(f"{slug}/")
        if scheme == "source" and anchor:
            return self.urls.record("source", slug, quote_anchor(anchor))
        return self.urls.record(scheme, slug)

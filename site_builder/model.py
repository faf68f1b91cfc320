"""The archive's records: frozen, typed, with the position they came from.

References between records are `Ref`s (a slug and where it was written) until
the library resolves them; nothing here knows about YAML or HTML.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
import zlib
from dataclasses import dataclass, field

from .errors import Position

# A record's slug, its file name and address: lowercase letters and digits, words joined by single hyphens.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _interning(*names: str):
    """A reference's names held once however often they are written.

    A slug is named by every record that links to it, and each was its own
    string: 2 of the 12 MB that 1,000 claims' records held. The records come
    back from the validating processes pickled, so unpickling interns too.
    """

    def decorate(cls):  # before @dataclass, which calls __post_init__ only if the class has one
        def __post_init__(self):
            for name in names:
                value = getattr(self, name)
                if value is not None:
                    object.__setattr__(self, name, sys.intern(value))

        def __reduce__(self):
            return (type(self), tuple(getattr(self, f.name) for f in dataclasses.fields(self)))

        cls.__post_init__ = __post_init__
        cls.__reduce__ = __reduce__
        return cls

    return decorate


@dataclass(frozen=True, slots=True)
@_interning("kind", "slug")
class Ref:
    kind: str  # "claim", "source", "person", "topic", "verdict"
    slug: str
    pos: Position


@dataclass(frozen=True, slots=True)
@_interning("source", "quote")
class QuoteRef:
    source: str
    quote: str
    pos: Position

    def __str__(self) -> str:
        return f"{self.source}#{self.quote}"


@dataclass(frozen=True, slots=True)
class Unfinished:
    """A file that did not validate: its references, still checked against the other records."""

    kind: str
    slug: str
    refs: tuple  # (key, Ref | QuoteRef | InternalLink), in the order written


@dataclass(frozen=True, slots=True)
@_interning("kind", "slug", "anchor")
class InternalLink:
    """A `claim:slug`-style link inside Markdown, checked once all records are known."""

    kind: str
    slug: str
    anchor: str | None
    pos: Position


@dataclass(frozen=True, slots=True)
class ContentImage:
    """v2: a PNG, JPEG or WebP file of the archive, read whole and measured."""

    path: str  # as written, relative to the site root
    format: str  # PNG, JPEG or WEBP, as Pillow names it
    width: int
    height: int
    digest: str  # sha256 of the bytes: the versions' names and cache keys
    data: bytes


@dataclass(frozen=True, slots=True)
class Figure:
    """v2: an image as content places it: `image: {file, alt, caption, credit}` or ![alt](file) in Markdown."""

    file: ContentImage  # named as content writes it: `file:`
    alt: str
    caption: str | None
    credit: str | None
    pos: Position


# Long texts are held deflated: at 100,000 claims the analyses (Markdown and
# HTML) and the archived texts were half of the build's memory, and each is
# read a few times at most. Short ones stay as they are.
_PACK_FROM = 512  # characters


def _pack(text: str) -> str | bytes:
    return zlib.compress(text.encode("utf-8"), 1) if len(text) >= _PACK_FROM else text


def _unpack(packed: str | bytes) -> str:
    return packed if isinstance(packed, str) else zlib.decompress(packed).decode("utf-8")


@dataclass(frozen=True, slots=True, init=False)
class Markdown:
    packed_source: str | bytes = field(repr=False)
    packed_html: str | bytes = field(repr=False)
    links: tuple[InternalLink, ...]
    images: tuple[Figure, ...]  # v2: its ![alt](file) images, already in `html` as <picture>s

    def __init__(self, source: str, html: str, links: tuple[InternalLink, ...], images: tuple[Figure, ...] = ()):
        object.__setattr__(self, "packed_source", _pack(source))
        object.__setattr__(self, "packed_html", _pack(html))
        object.__setattr__(self, "links", links)
        object.__setattr__(self, "images", images)

    @property
    def source(self) -> str:
        return _unpack(self.packed_source)

    @property
    def html(self) -> str:  # sanitized; internal links already point at their URLs
        return _unpack(self.packed_html)


@dataclass(frozen=True, slots=True)
class Verdict:
    id: str
    label: str
    rating: int | None
    description: str
    pos: Position


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    url: str
    pos: Position


@dataclass(frozen=True, slots=True)
class SocialLink:
    name: str
    url: str
    pos: Position


@dataclass(frozen=True, slots=True)
class Image:
    """An image file of the archive, read whole: a change to it is a change to the site."""

    path: str  # as written in site.yaml, relative to the site root
    extension: str  # lowercase, with the dot: .svg, .png ...
    data: bytes


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    base_url: str
    language: str
    description: str | None
    publisher: Publisher
    verdicts: tuple[Verdict, ...]
    logo: Image | None
    accent_color: str | None  # #rrggbb, lowercase; checked for contrast in the light theme
    accent_color_dark: str | None  # the same for the dark theme
    footer: str | None
    social: tuple[SocialLink, ...]
    repository: str | None  # where the archive's files and their history are published (GitHub)
    pos: Position
    cms: Cms | None = None  # the editors' interface at /admin/; None builds none
    report_error_url: str | None = None  # v2: http(s) or mailto: where readers report an error
    tips_url: str | None = None  # v2: http(s) or mailto: where readers suggest a claim to check


@dataclass(frozen=True, slots=True)
class Cms:
    backend: str  # github, gitlab or git-gateway
    repo: str  # owner/name
    branch: str
    workflow: str  # editorial (drafts as pull requests) or direct
    auth_url: str | None
    local_port: int | None
    pos: Position


@dataclass(frozen=True, slots=True)
class Correction:
    date: dt.date
    note: str
    pos: Position


@dataclass(frozen=True, slots=True)
class Claim:
    slug: str
    claim: str
    claimant: Ref
    date: dt.date
    verdict: Ref
    summary: str
    analysis: Markdown
    reviewed: dt.date
    updated: dt.date | None
    quotes: tuple[QuoteRef, ...]
    appearances: tuple[Ref, ...]
    counterclaims: tuple[Ref, ...]
    topics: tuple[Ref, ...]
    language: str | None
    corrections: tuple[Correction, ...]
    original_rating: str | None
    original_url: str | None
    aliases: tuple[Alias, ...]
    pos: Position
    first_appearance: Ref | None = None
    draft: bool = False  # v2: left out of the published site
    publish_at: dt.datetime | None = None  # v2: the embargo, aware (UTC); before it the claim is a draft
    authors: tuple[Ref, ...] = ()  # v2: staff who researched and wrote it
    editors: tuple[Ref, ...] = ()  # v2: staff who reviewed it
    image: Figure | None = None  # v2: typically a screenshot of the claim as it appeared

    @property
    def sources(self) -> set[str]:
        """The slugs of the sources it appeared in or quotes."""
        return {r.slug for r in self.appearances} | {q.source for q in self.quotes}


@dataclass(frozen=True, slots=True)
class Alias:
    """An old path on the site that redirects to a claim (an imported fact-check's old address)."""

    path: str  # as written, e.g. /2021/09/old-slug/
    output: str  # the file written for it, relative to the output folder
    pos: Position

    @property
    def id(self) -> str:  # what makes two aliases the same, for duplicate checks
        return self.path


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    speaker: Ref
    text: str
    date: dt.date | None
    context: str | None
    pos: Position
    # Where the quote's parts stand in the source's archived text, if it has one.
    spans: tuple[Span, ...] = ()
    page: str | None = None  # the PDF page (or pages, "3–4") it was found on
    heading: str | None = None  # the HTML heading it falls under


@dataclass(frozen=True, slots=True)
class Section:
    """Where a PDF page or an HTML heading begins in an archived text."""

    start: int
    page: str | None = None  # the page's label, as the PDF numbers it
    heading: str | None = None  # the heading's text


@dataclass(frozen=True, slots=True, init=False)
class ArchivedText:
    path: str  # as written in the source file, relative to the site root
    packed_text: str | bytes = field(repr=False)
    sha256: str  # hex digest of the archived file's bytes
    format: str  # txt, html, pdf or warc: how the text was taken from the file
    media_type: str  # what the text came from (a WARC's page or PDF)
    size: int  # the archived file's bytes
    sections: tuple[Section, ...]  # where its pages or headings start
    target_url: str | None  # the URL a WARC recorded
    captured: str | None  # when a WARC says it was recorded

    def __init__(
        self,
        path: str,
        text: str,
        sha256: str = "",
        format: str = "txt",
        media_type: str = "text/plain",
        size: int = 0,
        sections: tuple[Section, ...] = (),
        target_url: str | None = None,
        captured: str | None = None,
    ):
        for name, value in (
            ("path", path),
            ("packed_text", _pack(text)),
            ("sha256", sha256),
            ("format", format),
            ("media_type", media_type),
            ("size", size),
            ("sections", sections),
            ("target_url", target_url),
            ("captured", captured),
        ):
            object.__setattr__(self, name, value)

    @property
    def text(self) -> str:  # NFC-normalised, LF line ends
        return _unpack(self.packed_text)


@dataclass(frozen=True, slots=True)
class Source:
    slug: str
    title: str
    kind: str
    publisher: str | None
    url: str | None
    archive_url: str | None
    published: dt.date | None
    language: str | None
    text: ArchivedText | None
    quotes: tuple[Quote, ...]
    pos: Position
    sha256: str | None = None  # the archived file's digest as recorded: the build checks it
    archived: dt.datetime | None = None  # when the copy was retrieved
    draft: bool = False  # v2: left out of the published site


def original_url(source: Source) -> str | None:
    """Where the source was published: its `url`, or the address its WARC recorded."""
    return source.url or (source.text.target_url if source.text else None)


def archived_at(source: Source) -> dt.datetime | None:
    """When the archived copy was retrieved: the source's `archived`, or the WARC's own record of it."""
    if source.archived is not None or source.text is None or not source.text.captured:
        return source.archived
    try:
        return dt.datetime.fromisoformat(source.text.captured)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Person:
    slug: str
    name: str
    kind: str
    description: str | None
    affiliation: Ref | None
    url: str | None
    same_as: tuple[str, ...]
    pos: Position
    draft: bool = False  # v2: left out of the published site


@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    title: str
    description: str | None
    pos: Position | None  # None: named by a claim, no file of its own
    draft: bool = False  # v2: left out of the published site


@dataclass(frozen=True, slots=True)
class OwnPage:
    """A page of the archive's own, such as about or methodology: content/pages/<slug>.md."""

    slug: str
    title: str
    description: str | None
    nav: int | None  # its place in the site's navigation; None: not in it
    body: Markdown
    pos: Position
    image: Figure | None = None  # v2: shown under its title
    draft: bool = False  # v2: left out of the published site


@dataclass(frozen=True, slots=True)
class Staff:
    """v2: one of the newsroom's own people: content/staff/<slug>.yaml."""

    slug: str
    name: str
    role: str
    bio: Markdown | None
    same_as: tuple[str, ...]
    image: Figure | None
    pos: Position


Record = Claim | Source | Person | Topic | Staff

# Every kind of record, by the name references and errors use: its folder (in
# content/, and on the site) and its type. Everything below the page families
# that lists kinds reads it.
RECORD_KINDS: dict[str, tuple[str, type]] = {
    "claim": ("claims", Claim),
    "source": ("sources", Source),
    "person": ("people", Person),
    "topic": ("topics", Topic),
    "staff": ("staff", Staff),  # v2: the newsroom's own people
}
KINDS = {kind: folder for kind, (folder, _) in RECORD_KINDS.items()}
KIND_OF = {record_type: kind for kind, (_, record_type) in RECORD_KINDS.items()}


def _pickled_by_names(cls: type) -> None:
    """Pickle a slotted dataclass's fields by a tuple of their names made once.

    The dataclass default calls fields() for every object, pickled and
    unpickled: with records coming back from the validating processes and
    the record cache by the thousand, that was half the main process's
    unpickling (0.18 of 0.32 s at 1,000 claims, profiled).
    """
    names = tuple(f.name for f in dataclasses.fields(cls))

    def __getstate__(self):
        return [getattr(self, name) for name in names]

    def __setstate__(self, state):
        for name, value in zip(names, state):
            object.__setattr__(self, name, value)

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__


for _cls in list(globals().values()):
    # The interned references pickle through their constructor already (_interning).
    if isinstance(_cls, type) and dataclasses.is_dataclass(_cls) and "__slots__" in vars(_cls):
        if "__reduce__" not in vars(_cls):
            _pickled_by_names(_cls)
del _cls

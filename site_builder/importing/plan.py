"""Items → the content files they become: claims, and the people, sources and topics those need.

Nothing is invented. A required field the item lacks is taken from another
field of the same item (a claim date from the review date), and every such
case is counted for the report; an item that still lacks one is skipped with
its position and reason. Duplicates are collapsed, slugs are derived from the
claim text and never change once written (the state file remembers them).
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

from slugify import slugify

from ..errors import Position
from ..i18n import N_, interface
from ..schema import CLAIM, MAX_LINK_BRACKETS, PERSON, SLUG_MAX, SLUG_RE, SOURCE, TOPIC, alias_output
from ..urls import BUILT_IN_FOLDERS, base_path_of
from . import yaml_out
from .existing import Existing
from .items import Appearance, Item, Problems
from .scripts import agrees, language_script, script_name, script_of
from .verdicts import Scale, fold, match

# The content format's limits, read off the one schema so that what is written always passes `check`.
MAX_CLAIM = CLAIM.by_key["claim"].type.max_chars
MAX_SUMMARY = CLAIM.by_key["summary"].type.max_chars
MAX_RATING = CLAIM.by_key["original_rating"].type.max_chars
MAX_ANALYSIS = CLAIM.by_key["analysis"].type.max_chars
MAX_BRACKETS = MAX_LINK_BRACKETS
MAX_NAME = PERSON.by_key["name"].type.max_chars
MAX_TITLE = SOURCE.by_key["title"].type.max_chars
MAX_PUBLISHER = SOURCE.by_key["publisher"].type.max_chars
MAX_TOPIC = TOPIC.by_key["title"].type.max_chars
# A rating longer than this is a paragraph: it is the publisher's summary too.
PARAGRAPH_RATING = 80
SOCIAL_HOSTS = (
    "twitter.com",
    "x.com",
    "facebook.com",
    "fb.com",
    "instagram.com",
    "tiktok.com",
    "t.me",
    "telegram.me",
    "threads.net",
    "bsky.app",
    "reddit.com",
    "linkedin.com",
    "vk.com",
    "weibo.com",
)
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "dailymotion.com", "rumble.com")
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid)$")


@dataclass
class Planned:
    """One content file the import would write."""

    relpath: str  # under content/, e.g. claims/x.yaml
    text: str
    kind: str  # claim, person, source, topic
    keys: tuple[str, ...] = ()  # for claims: the match keys (url:..., text:...)
    origin: Position | None = None


@dataclass
class Plan:
    files: list[Planned] = field(default_factory=list)
    read: int = 0
    duplicates: int = 0
    empty: int = 0
    skipped: int = 0
    filled: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    unmatched: Counter = field(default_factory=Counter)  # folded rating → count
    ratings: Counter = field(default_factory=Counter)  # every distinct rating as first written → count
    examples: dict[str, str] = field(default_factory=dict)  # rating → an example claim


def match_keys(url: str | None, claim: str, claimant: str) -> tuple[str, ...]:
    """How a claim is recognised in a later export: its original URL, else its text and claimant."""
    keys = []
    if url:
        keys.append("url:" + normal_url(url))
    keys.append("text:" + fold(claim) + "|" + fold(claimant))
    return tuple(keys)


def normal_url(url: str) -> str:
    """The same page however an export writes its address: scheme, host case, trailing slash, trackers."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING.match(p.split("=", 1)[0]))
    path = parts.path.rstrip("/") or "/"
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{path}" + (f"?{query}" if query else "")


def make_slug(text: str, taken, fallback: str) -> str:
    """A readable slug from any script (transliterated), unique among `taken`, at most 80 characters."""
    base = slugify(text, max_length=SLUG_MAX, word_boundary=True, save_order=True) or ""
    if not SLUG_RE.fullmatch(base):
        base = fallback
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return slug


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending at a word with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def _host(url: str | None) -> str:
    try:
        return (urllib.parse.urlsplit(url).hostname or "").removeprefix("www.") if url else ""
    except ValueError:
        return ""


def _merge(first: Item, later: Item) -> None:
    """The same fact-check listed twice: what the first copy lacks, the second may have."""
    for spec in dataclasses.fields(Item):
        if spec.name in ("pos", "filled"):
            continue
        if getattr(first, spec.name) in (None, (), []) and getattr(later, spec.name) not in (None, (), []):
            setattr(first, spec.name, getattr(later, spec.name))


class Planner:
    def __init__(self, site, scale: Scale, verdict_map: dict[str, str], existing: Existing, problems: Problems) -> None:
        self.site, self.scale, self.verdict_map = site, scale, verdict_map
        self.existing, self.problems = existing, problems
        self.plan = Plan()
        self.site_script = language_script(site.language)
        self.ui = interface(site.language)
        self.base_host, self.base_path = _host(site.base_url), base_path_of(site.base_url)
        self.claim_slugs = set(existing.claim_files) | set(existing.by_key.values())
        self.used: set[str] = set()  # claim slugs planned in this run
        self.person_slugs = set(existing.people_files)
        self.source_slugs = set(existing.source_files)
        self.topic_slugs = set(existing.topic_files)
        self.people: dict[str, str] = dict(existing.people_by_name)  # folded name → slug
        self.sources: dict[str, str] = dict(existing.sources_by_url)  # normal url → slug
        self.topics: dict[str, str] = dict(existing.topics_by_title)  # folded title → slug

    # -- the items ------------------------------------------------------------

    def run(self, items: list[Item], empty: int) -> Plan:
        plan = self.plan
        plan.read, plan.empty = len(items) + empty, empty
        # Collapsed first, so that a partial copy of a fact-check is completed by its twin rather than reported.
        kept = [item for item in self._collapse(items) if self._complete(item)]
        for item in kept:
            if item.rating is None:
                continue
            plan.ratings[item.rating] += 1
            plan.examples.setdefault(item.rating, item.claim)
            if match(item.rating, self.scale, self.verdict_map) is None:
                plan.unmatched[item.rating] += 1
        if plan.unmatched:
            return plan
        for item in kept:
            self._claim(item)
        return plan

    def _skip(self, item: Item, reason: str) -> bool:
        self.problems.add(item.pos, f"{reason}; this item was skipped")
        self.plan.skipped += 1
        return False

    def _complete(self, item: Item) -> bool:
        """Whether the item can become a claim; fills required fields from the item's other fields."""
        if not item.claim:
            return self._skip(item, "this fact-check has no claim text (claimReviewed, text or the claim column)")
        if len(item.claim) > MAX_CLAIM:
            return self._skip(
                item,
                f"the claim text is {len(item.claim):,} characters long, more than a claim's {MAX_CLAIM}: "
                "it is probably an article, not a claim",
            )
        if not item.rating:
            return self._skip(
                item,
                "this fact-check has no textual rating (reviewRating's alternateName, textualRating or the verdict column)",
            )
        if not item.claimant:
            return self._skip(
                item,
                "this fact-check does not say who made the claim (itemReviewed's author, claimant or the "
                "claimant column), and every claim needs a claimant: add it to the export, or write this claim by hand",
            )
        if item.reviewed is None and item.updated is not None:
            item.reviewed = item.updated
            item.filled.append("review dates from the date modified")
        if item.date is None:
            dated = [a.published for a in item.appearances if a.published]
            if dated:
                item.date = min(dated)
                item.filled.append("claim dates from the appearance's date")
            elif item.reviewed is not None:
                item.date = item.reviewed
                item.filled.append("claim dates from the review date")
        if item.reviewed is None and item.date is not None:
            item.reviewed = item.date
            item.filled.append("review dates from the claim date")
        if item.date is None:
            return self._skip(
                item, "this fact-check has no date at all (neither when the claim was made nor when it was reviewed)"
            )
        return True

    def _collapse(self, items: list[Item]) -> list[Item]:
        kept, by_key = [], {}
        for item in items:
            if item.url:
                key = "url:" + normal_url(item.url)
            elif item.claim and item.claimant:
                key = match_keys(None, item.claim, item.claimant)[0]
            else:  # nothing to recognise it by; _complete reports what it lacks
                kept.append(item)
                continue
            if key in by_key:
                _merge(by_key[key], item)
                self.plan.duplicates += 1
                continue
            by_key[key] = item
            kept.append(item)
        return kept

    # -- one claim ------------------------------------------------------------

    def _claim(self, item: Item) -> None:
        plan = self.plan
        verdict = match(item.rating, self.scale, self.verdict_map)
        keys = match_keys(item.url, item.claim, item.claimant)
        slug = self.existing.slug_for(keys)
        if slug is None or slug in self.used:
            slug = self._own_slug(item) or make_slug(item.claim, self.claim_slugs, "claim")
        self.claim_slugs.add(slug)
        self.used.add(slug)
        claimant = self._person(item)
        appearances = [self._source(a, item) for a in item.appearances]
        appearances = list(dict.fromkeys(appearances))
        topics = list(dict.fromkeys(self._topic(t) for t in item.topics))
        original_rating = None
        if fold(item.rating) not in (fold(verdict), fold(self.scale.labels[verdict])) and all(
            fold(item.rating) != fold(label) for label in self.scale.other_labels.get(verdict, ())
        ):
            original_rating = _cut(item.rating, MAX_RATING)
        summary = item.summary
        if summary is None:
            if len(item.rating) > PARAGRAPH_RATING:
                summary = item.rating
                item.filled.append("summaries from the rating")
            else:
                summary = self._rated(item.rating, item.publisher)
                item.filled.append("summaries stating the rating")
        if len(summary) > MAX_SUMMARY:
            summary = _cut(summary, MAX_SUMMARY)
            item.filled.append(f"summaries shortened to {MAX_SUMMARY:,} characters")
        analysis = item.analysis
        if analysis is not None and (len(analysis) > MAX_ANALYSIS or analysis.count("[") > MAX_BRACKETS):
            analysis = None  # longer than a claim's analysis may be: the link to the original stands in for it
            plan.filled["article texts too long for an analysis, replaced by a link"] += 1
        if analysis is None:
            analysis = self._statement(item)
            item.filled.append("analyses linking the original" if item.url else "analyses stating the rating")
        for filled in item.filled:
            plan.filled[filled] += 1
        fields = [
            ("claim", item.claim),
            ("claimant", claimant),
            ("date", item.date.isoformat()),
            ("verdict", verdict),
            ("summary", ("block", summary)),
            ("analysis", ("block", analysis)),
            ("reviewed", item.reviewed.isoformat()),
            ("updated", item.updated.isoformat() if item.updated and item.updated > item.reviewed else None),
            ("appearances", appearances),
            ("topics", topics),
            ("language", self._language(item)),
            ("original_rating", ("block", original_rating) if original_rating else None),
            ("original_url", item.url),
            ("aliases", self._aliases(item, slug)),
        ]
        plan.files.append(Planned(f"claims/{slug}.yaml", yaml_out.record(fields), "claim", keys, item.pos))

    def _own_slug(self, item: Item) -> str | None:
        """A fact-check that already lived at /claims/<slug>/ of this archive's address keeps that slug."""
        if not item.url or _host(item.url) != self.base_host:
            return None
        path = urllib.parse.urlsplit(item.url).path
        prefix = self.base_path + "claims/"
        slug = path[len(prefix) :].rstrip("/") if path.startswith(prefix) else ""
        return slug if SLUG_RE.fullmatch(slug) and len(slug) <= SLUG_MAX and slug not in self.claim_slugs else None

    def _rated(self, rating: str, publisher: str | None) -> str:
        """'Rated “False” by X.', in the site's language: the archive's words around the publisher's."""
        if publisher:
            return self.ui.gettext(N_("Rated “%(rating)s” by %(publisher)s."), rating=rating, publisher=publisher)
        return self.ui.gettext(N_("Rated “%(rating)s”."), rating=rating)

    def _statement(self, item: Item) -> str:
        """The short statement an analysis is when the export holds no article text: what it says, and a link."""
        rated = self._rated(_markdown_text(_cut(item.rating, 300)), item.publisher and _markdown_text(item.publisher))
        if item.url:
            link = f"[{_markdown_text(item.title or item.url)}](<{item.url}>)"
            return rated + " " + self.ui.gettext(N_("Read the original fact-check: %(link)s."), link=link)
        return rated + " " + self.ui.gettext(N_("The imported file held no text of the original fact-check."))

    def _language(self, item: Item) -> str | None:
        text_script = script_of(item.claim + " " + (item.summary or ""))
        declared = item.language
        if declared and not agrees(language_script(declared), text_script):
            self.plan.notes.append(
                f"{item.pos.shown()}: note: the export labels this claim '{declared}', but its text is in "
                f"{script_name(text_script)} script: not marked '{declared}'"
            )
            self.plan.filled["languages contradicting the text's script, not applied"] += 1
            declared = None
        if declared:
            same = (
                declared.lower() == self.site.language.lower()
                or declared.split("-")[0].lower() == self.site.language.split("-")[0].lower()
            )
            return None if same else declared
        if text_script and self.site_script and not agrees(self.site_script, text_script):
            # The page must not claim the site's language for it; the script is known, the language is not.
            self.plan.filled["claims marked by their script only (und-…), their language unknown"] += 1
            return f"und-{text_script}"
        return None

    def _aliases(self, item: Item, slug: str) -> list[str]:
        """The fact-check's old path, when it lived on this archive's own address: old links keep working."""
        if not item.url or _host(item.url) != self.base_host:
            return []
        parts = urllib.parse.urlsplit(item.url)
        if not parts.path.startswith(self.base_path):
            return []
        if parts.query:
            self.plan.notes.append(
                f"{item.pos.shown()}: note: its old address {parts.path}?{parts.query} is not kept as an "
                "alias: a static site cannot answer an address with a ?query"
            )
            return []
        path = "/" + parts.path[len(self.base_path) :]
        if path in ("/", f"/claims/{slug}/", f"/claims/{slug}"):
            return []  # the claim's own address: nothing to redirect
        output, problem = alias_output(path)
        first = output.split("/")[0]
        if (
            problem
            or (output == f"{first}/index.html" and first in self.existing.page_slugs)
            or first in BUILT_IN_FOLDERS
            and (
                first not in ("claims", "sources", "people", "topics")
                or output.count("/") < 2
                or output.split("/")[1] in self._taken(first)
            )
        ):
            self.plan.notes.append(
                f"{item.pos.shown()}: note: its old address {path} is not kept as an alias: "
                + (f"it {problem}" if problem else "the build writes a page there")
            )
            return []
        return [path]

    def _taken(self, folder: str) -> set[str]:
        return {
            "claims": self.claim_slugs,
            "sources": self.source_slugs,
            "people": self.person_slugs,
            "topics": self.topic_slugs,
        }[folder]

    # -- what a claim needs ---------------------------------------------------

    def _person(self, item: Item) -> str:
        name = _cut(item.claimant, MAX_NAME)
        key = fold(name)
        if key in self.people:
            return self.people[key]
        slug = make_slug(name, self.person_slugs, "person")
        self.person_slugs.add(slug)
        self.people[key] = slug
        url = item.claimant_url
        if url and _host(url) in (self.base_host, _host(item.url)):
            url = None  # the old archive's page about them, not theirs
        fields = [
            ("name", name),
            ("kind", item.claimant_kind if item.claimant_kind == "organization" else None),
            ("url", url),
            ("same_as", list(dict.fromkeys(item.claimant_same_as))),
        ]
        self.plan.files.append(Planned(f"people/{slug}.yaml", yaml_out.record(fields), "person", origin=item.pos))
        return slug

    def _source(self, appearance: Appearance, item: Item) -> str:
        key = normal_url(appearance.url)
        if key in self.sources:
            return self.sources[key]
        title = appearance.title
        if not title:
            title = appearance.url.split("://", 1)[-1].rstrip("/")
            self.plan.filled["source titles from their address"] += 1
        title = _cut(title, MAX_TITLE)
        slug = make_slug(title, self.source_slugs, "source")
        self.source_slugs.add(slug)
        self.sources[key] = slug
        host = _host(appearance.url)
        kind = "social-post" if host.endswith(SOCIAL_HOSTS) else "video" if host.endswith(VIDEO_HOSTS) else "other"
        fields = [
            ("title", title),
            ("kind", kind),
            ("publisher", appearance.publisher and _cut(appearance.publisher, MAX_PUBLISHER)),
            ("url", appearance.url),
            ("published", appearance.published and appearance.published.isoformat()),
        ]
        self.plan.files.append(Planned(f"sources/{slug}.yaml", yaml_out.record(fields), "source", origin=item.pos))
        return slug

    def _topic(self, name: str) -> str:
        title = _cut(name, MAX_TOPIC)
        key = fold(title)
        if key in self.topics:
            return self.topics[key]
        slug = make_slug(title, set(), "topic")
        if slug in self.topic_slugs:  # a topic file of that name exists, or a topic used by slug alone
            self.topics[key] = slug
            return slug
        self.topic_slugs.add(slug)
        self.topics[key] = slug
        self.plan.files.append(Planned(f"topics/{slug}.yaml", yaml_out.record([("title", title)]), "topic"))
        return slug


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|])")


def _markdown_text(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)

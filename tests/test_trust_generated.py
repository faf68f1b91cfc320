"""Generated archives: every valid one builds and keeps its promises; every broken one says where.

Hypothesis draws small archives (people and organisations, sources whose
quotes are drawn from their archived texts, claims with random quotes,
appearances, counterclaims, topics and corrections, and random Unicode in
every text field). A valid one must build, and its output must hold: a page
per claim showing its words, counterclaims on both pages whichever side
names them, every link and quote anchor resolving, JSON-LD and data/claims.json
giving the claims back, nothing executable. One random mutation (a required
key dropped, a reference broken, a date corrupted, an unknown key added)
must make the build exit 1 with that mistake at its `file:line:col`, and no
traceback.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import pytest
import yaml
from built_site import broken_links, html_pages
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sites import Site
from test_site import build_site
from tools import read_dataset
from trust import ERROR_LINE, assert_positioned_errors_only, json_ld, site_files, site_problems, visible_text, yaml_str

from bench.corpus import generate_corpus
from site_builder.pages.views import CITED_BY_SHOWN, CLAIMS_PER_PAGE
from site_builder.pipeline import BuildOptions, BuiltSite

BASE_URL = "https://generated.example.org/"
VERDICTS = ("true", "mostly-true", "half-true", "mostly-false", "false", "unproven", "disputed", "opinion")
SOURCE_KINDS = (
    "news-article",
    "statement",
    "interview",
    "speech",
    "social-post",
    "video",
    "report",
    "document",
    "other",
)
PROPERTIES = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# Any character an editor can type into a text field. Left out: surrogates
# and control characters, which YAML refuses typed (and which, written as
# escapes, test_trust_hostile.py covers), and the noncharacters U+FFFE/U+FFFF
# and U+FDD0-U+FDEF, reported there too.
_TYPED = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff" + "".join(map(chr, range(0xFDD0, 0xFDF0)))
)
TEXT = st.text(_TYPED, min_size=1, max_size=40).map(str.strip).filter(bool)
# Words of archived texts and quotes: no white space (it separates them) and
# no omission marks (which split a quote into parts).
WORD = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
        blacklist_characters="….\ufffe\uffff\x85\xa0" + "".join(map(chr, range(0xFDD0, 0xFDF0))),
    ),
    min_size=1,
    max_size=8,
).filter(lambda w: w.split() == [w])
# Words for Markdown: letters and digits only, so that random text never makes a link or a heading.
PLAIN_WORD = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd")), min_size=1, max_size=10)
SLUG = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)
DATE = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))


# -- writing YAML and knowing where each value stands ---------------------------------


@dataclass
class YamlWriter:
    """Emits a record as YAML, line by line, remembering where each key and value is written."""

    lines: list[str] = field(default_factory=list)
    # (key path) -> (line, column of the value); paths like ("quotes", 0, "speaker") or ("topics", 1)
    places: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, int] = field(default_factory=dict)  # path of a key -> its line

    def scalar(self, value) -> str:
        return value.isoformat() if isinstance(value, dt.date) else yaml_str(value)

    def mapping(self, record: dict, indent: int = 0, path: tuple = (), first_prefix: str = "") -> None:
        for n, (key, value) in enumerate(record.items()):
            prefix = first_prefix if n == 0 and first_prefix else " " * indent
            line = len(self.lines) + 1
            self.keys[(*path, key)] = line
            if isinstance(value, list):
                self.lines.append(f"{prefix}{key}:")
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        self.mapping(item, indent + 4, (*path, key, i), first_prefix=" " * (indent + 2) + "- ")
                    else:
                        self.places[(*path, key, i)] = (len(self.lines) + 1, indent + 5)
                        self.lines.append(f"{' ' * (indent + 2)}- {self.scalar(item)}")
            else:
                self.places[(*path, key)] = (line, len(prefix) + len(key) + 3)
                self.lines.append(f"{prefix}{key}: {self.scalar(value)}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def emitted(record: dict) -> YamlWriter:
    writer = YamlWriter()
    writer.mapping(record)
    return writer


# -- drawing archives ------------------------------------------------------------------


@dataclass
class Archive:
    site: dict
    people: dict[str, dict]
    sources: dict[str, dict]
    texts: dict[str, str]  # source slug -> archived text
    topics: dict[str, dict]
    claims: dict[str, dict]

    def records(self) -> dict[str, dict]:
        """Every record file's record, by its path below the site's folder (site.yaml apart)."""
        files = {}
        for folder, records in (
            ("people", self.people),
            ("sources", self.sources),
            ("topics", self.topics),
            ("claims", self.claims),
        ):
            files.update({f"content/{folder}/{slug}.yaml": record for slug, record in records.items()})
        return files

    def write(self, root: Path, records: dict[str, dict] | None = None) -> dict[str, YamlWriter]:
        """The archive (or `records` in place of its own) as files; where each file's values stand."""
        site = Site(root)
        site.write(
            "content/site.yaml",
            (
                f"title: {yaml_str(self.site['title'])}\nbase_url: {BASE_URL}\n"
                f"description: {yaml_str(self.site['description'])}\n"
                f"publisher:\n  name: {yaml_str(self.site['publisher'])}\n  url: https://publisher.example.net/\n"
            ),
        )
        writers = {path: emitted(record) for path, record in (records or self.records()).items()}
        for path, writer in writers.items():
            site.write(path, writer.text())
        for slug, text in self.texts.items():
            site.write(f"texts/{slug}.txt", text)
        return writers


def subset(draw, items, max_size=3) -> list:
    items = sorted(items)
    return draw(st.lists(st.sampled_from(items), max_size=max_size, unique=True)) if items else []


@st.composite
def archives(draw) -> Archive:
    site = {"title": draw(TEXT), "description": draw(TEXT), "publisher": draw(TEXT)}

    people: dict[str, dict] = {}
    for slug in draw(st.lists(SLUG, min_size=1, max_size=4, unique=True)):
        person = {"name": draw(TEXT), "kind": draw(st.sampled_from(["person", "organization"]))}
        if draw(st.booleans()):
            person["description"] = draw(TEXT)
        people[slug] = person
    organisations = [slug for slug, p in people.items() if p["kind"] == "organization"]
    for slug, person in people.items():
        choices = [o for o in organisations if o != slug]
        if person["kind"] == "person" and choices and draw(st.booleans()):
            person["affiliation"] = draw(st.sampled_from(choices))

    sources, texts, quote_refs = {}, {}, []
    for n, slug in enumerate(draw(st.lists(SLUG, min_size=1, max_size=3, unique=True))):
        words = draw(st.lists(WORD, min_size=3, max_size=40))
        breaks = draw(
            st.lists(st.sampled_from([" ", " ", " ", "\n", "\n\n"]), min_size=len(words) - 1, max_size=len(words) - 1)
        )
        texts[slug] = "".join(w + b for w, b in zip(words, breaks + [""])) + "\n"
        source = {"title": draw(TEXT), "kind": draw(st.sampled_from(SOURCE_KINDS)), "text": f"texts/{slug}.txt"}
        quotes = []
        for quote_id in draw(st.lists(SLUG, min_size=1 if n == 0 else 0, max_size=3, unique=True)):
            start = draw(st.integers(0, len(words) - 1))
            end = draw(st.integers(start + 1, min(len(words), start + 8)))
            quotes.append(
                {"id": quote_id, "speaker": draw(st.sampled_from(sorted(people))), "text": " ".join(words[start:end])}
            )
            quote_refs.append(f"{slug}#{quote_id}")
        if quotes:
            source["quotes"] = quotes
        sources[slug] = source

    topics = {slug: {"title": draw(TEXT)} for slug in draw(st.lists(SLUG, max_size=3, unique=True))}
    implicit_topics = draw(st.lists(SLUG, max_size=2, unique=True))

    claims = {}
    claim_slugs = draw(st.lists(SLUG, min_size=2, max_size=5, unique=True))
    for slug in claim_slugs:
        links = [f"[{draw(PLAIN_WORD)}](person:{draw(st.sampled_from(sorted(people)))})"]
        links += [f"[{draw(PLAIN_WORD)}](claim:{c})" for c in subset(draw, claim_slugs, 1)]
        links += [f"[{draw(PLAIN_WORD)}](source:{q})" for q in subset(draw, quote_refs, 1)]
        analysis = " ".join(draw(st.lists(PLAIN_WORD, min_size=1, max_size=12)) + links)
        claim = {
            "claim": draw(TEXT),
            "claimant": draw(st.sampled_from(sorted(people))),
            "date": draw(DATE),
            "verdict": draw(st.sampled_from(VERDICTS)),
            "summary": draw(TEXT),
            "analysis": analysis,
            "reviewed": draw(DATE),
        }
        for key, items in (
            ("quotes", quote_refs),
            ("appearances", sources),
            ("counterclaims", [c for c in claim_slugs if c != slug]),
            ("topics", [*topics, *implicit_topics]),
        ):
            chosen = subset(draw, items)
            if chosen:
                claim[key] = chosen
        corrections = [{"date": draw(DATE), "note": draw(TEXT)} for _ in range(draw(st.integers(0, 2)))]
        if corrections:
            claim["corrections"] = corrections
        claims[slug] = claim
    return Archive(site, people, sources, texts, topics, claims)


# -- valid archives -----------------------------------------------------------------


def bucket(count: int) -> str:
    return "none" if count == 0 else "1-2" if count < 3 else "3 or more"


def counterclaim_pairs(archive: Archive) -> set[frozenset]:
    return {
        frozenset((slug, other)) for slug, claim in archive.claims.items() for other in claim.get("counterclaims", [])
    }


@PROPERTIES
@given(archive=archives())
def test_a_generated_valid_archive_builds_and_keeps_its_promises(archive):
    cited = sum(len(c.get("quotes", [])) for c in archive.claims.values())
    pairs = counterclaim_pairs(archive)
    event(f"quotes cited: {bucket(cited)}, counterclaim pairs: {bucket(len(pairs))}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        archive.write(root)
        site = build_site(root / "content", root / "public")
        pages = html_pages(site)
        assert site_problems(site) == []
        assert broken_links(site, BASE_URL) == []  # every quote link lands on an element with its id

        for slug, claim in archive.claims.items():
            page = pages[f"claims/{slug}/index.html"]
            assert page.xpath("string(//h1)") == claim["claim"]
            assert claim["summary"] in visible_text(page)
            [review] = json_ld(page)
            assert review["claimReviewed"] == claim["claim"]
            assert review["itemReviewed"]["author"]["name"] == archive.people[claim["claimant"]]["name"]
            for ref in claim.get("quotes", []):
                source, quote_id = ref.split("#")
                assert f"/sources/{source}/#quote-{quote_id}" in page.xpath("//a/@href")

        for pair in pairs:
            one, two = sorted(pair)
            for this, that in ((one, two), (two, one)):
                shown = pages[f"claims/{this}/index.html"].xpath(
                    "//section[h2[normalize-space()='Counterclaims']]//ul[@class='cards']/li/*[1]/a/@href"
                )
                assert f"/claims/{that}/" in shown, (this, that)

        dataset = read_dataset(site)
        assert dataset_claims(dataset) == expected_claims(archive, pairs)


def expected_claims(archive: Archive, pairs: set[frozenset]) -> dict[str, dict]:
    return {
        slug: {
            "claim": claim["claim"],
            "claimant": claim["claimant"],
            "date": claim["date"].isoformat(),
            "verdict": claim["verdict"],
            "summary": claim["summary"],
            "reviewed": claim["reviewed"].isoformat(),
            "quotes": sorted(claim.get("quotes", [])),
            "appearances": sorted(claim.get("appearances", [])),
            "topics": sorted(claim.get("topics", [])),
            "counterclaims": sorted(next(iter(pair - {slug})) for pair in pairs if slug in pair),
            "corrections": [(c["date"].isoformat(), c["note"]) for c in claim.get("corrections", [])],
        }
        for slug, claim in archive.claims.items()
    }


def dataset_claims(dataset: dict) -> dict[str, dict]:
    return {
        c["slug"]: {
            "claim": c["claim"],
            "claimant": c["claimant"],
            "date": c["date"],
            "verdict": c["verdict"]["id"],
            "summary": c["summary"],
            "reviewed": c["reviewed"],
            "quotes": sorted(f"{q['source']}#{q['id']}" for q in c["quotes"]),
            "appearances": sorted(c["appearances"]),
            "topics": sorted(c["topics"]),
            "counterclaims": sorted(c["counterclaims"]),
            "corrections": [(x["date"], x["note"]) for x in c["corrections"]],
        }
        for c in dataset["claims"]
    }


# -- broken archives -----------------------------------------------------------------

REQUIRED = {
    "claims": ["claim", "claimant", "date", "verdict", "summary", "analysis", "reviewed"],
    "sources": ["title", "kind"],
    "people": ["name"],
    "topics": ["title"],
}
BAD_DATES = ["2021-02-30", "2021-13-01", "2021-00-10", "21-01-01", "2021-1-1", "yesterday", "2021/01/01", "2023-02-29"]


@dataclass
class Mutation:
    path: str  # the file changed
    place: tuple[int, int] | None  # (line, column) the error must name; None: the file's line 1, column 1
    what: str


@st.composite
def mutations(draw, archive: Archive):
    """One mistake in a copy of the archive's records: (records, Mutation)."""
    records = copy.deepcopy(archive.records())
    kind = draw(st.sampled_from(["drop", "reference", "date", "unknown key"]))
    path = draw(st.sampled_from(sorted(records)))
    folder = path.split("/")[1]
    record = records[path]
    if kind == "drop":
        key = draw(st.sampled_from(REQUIRED[folder]))
        del record[key]
        return records, Mutation(path, None, f"dropped {key}")
    if kind == "unknown key":
        key = draw(st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True).filter(lambda k: k not in KNOWN_KEYS[folder]))
        record[key] = "x"
        return records, Mutation(path, ("key", key), f"added {key}")
    claims = [p for p in records if p.startswith("content/claims/")]
    if kind == "date":
        path = draw(st.sampled_from(claims))
        key = draw(st.sampled_from(["date", "reviewed"]))
        records[path][key] = draw(st.sampled_from(BAD_DATES))
        return records, Mutation(path, ("value", key), f"{key} corrupted")
    path = draw(st.sampled_from(claims))
    record = records[path]
    choices = [("claimant",), ("verdict",)] + [
        (key, i) for key in ("quotes", "appearances", "counterclaims") for i in range(len(record.get(key, [])))
    ]
    target = draw(st.sampled_from(choices))
    broken = {
        "claimant": "nobody-at-all",
        "verdict": "pants-on-fire",
        "quotes": "no-such-source#no-quote",
        "appearances": "no-such-source",
        "counterclaims": "no-such-claim",
    }[target[0]]
    if len(target) == 1:
        record[target[0]] = broken
    else:
        record[target[0]][target[1]] = broken
    return records, Mutation(path, ("value", *target), f"{'/'.join(map(str, target))} broken")


KNOWN_KEYS = {
    "claims": {
        "claim",
        "claimant",
        "date",
        "verdict",
        "summary",
        "analysis",
        "reviewed",
        "updated",
        "quotes",
        "appearances",
        "counterclaims",
        "topics",
        "language",
        "corrections",
    },
    "sources": {"title", "kind", "publisher", "url", "archive_url", "published", "language", "text", "quotes"},
    "people": {"name", "kind", "description", "affiliation", "url", "same_as"},
    "topics": {"title", "description"},
}


@PROPERTIES
@given(data=st.data())
def test_a_generated_archive_with_one_mistake_fails_at_its_place(data):
    archive = data.draw(archives())
    records, mutation = data.draw(mutations(archive))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        writers = archive.write(root, records)
        result = Site(root).run("build")
        assert result.code == 1, (mutation, result.out, result.err)
        assert result.out == []
        assert_positioned_errors_only(result.err)
        writer = writers[mutation.path]
        if mutation.place is None:
            line, column = 1, 1
        elif mutation.place[0] == "key":
            line, column = writer.keys[(mutation.place[1],)], 1
        else:
            line, column = writer.places[mutation.place[1:]]
        places = {(m["path"], int(m["line"]), int(m["column"])) for m in map(ERROR_LINE.match, result.errors)}
        assert (mutation.path, line, column) in places, (mutation, result.err)
        for path, error_line, _ in places:
            assert (root / path).is_file(), path
            assert error_line <= (root / path).read_text(encoding="utf-8").count("\n") + 1, (path, error_line)
        assert not (root / "public").exists()


# -- one topic, one person, one quote shared by every claim ------------------------

CROWDED_CLAIMS = 230  # five pages of CLAIMS_PER_PAGE (50): enough to page, small enough to build in seconds


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """The bench's crowded corpus: every claim cites one quote, by its speaker, about one topic."""
    root = tmp_path_factory.mktemp("crowded")
    generate_corpus(CROWDED_CLAIMS, seed=11, folder=root, shape="crowded")
    site = build_site(root / "content", root / "public")
    return root, site


def _record_pages(site: Path, folder: str, slug: str) -> list[Path]:
    """The first page of a record, then each page its pager leads to, by following "next" links."""
    pages, page = [], site / folder / slug / "index.html"
    while page is not None:
        pages.append(page)
        doc = lxml.html.parse(str(page)).getroot()
        following = doc.xpath("//main//nav[@class='pager']//a[@rel='next']/@href")
        page = site / following[0].removeprefix("/") / "index.html" if following else None
    return pages


def test_a_topic_person_or_source_with_many_claims_lists_them_on_pages(crowded):
    root, site = crowded
    claims = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "content/claims").glob("*.yaml")}
    first = next(iter(claims.values()))
    topic, person, source = first["topics"][0], first["claimant"], first["quotes"][0].split("#")[0]
    assert all(topic in c["topics"] and c["claimant"] == person and source in c["appearances"] for c in claims.values())
    for folder, slug in (("topics", topic), ("people", person), ("sources", source)):
        pages = _record_pages(site, folder, slug)
        assert len(pages) == -(-CROWDED_CLAIMS // CLAIMS_PER_PAGE), (folder, len(pages))
        listed = []
        for number, page in enumerate(pages, start=1):
            doc = lxml.html.parse(str(page)).getroot()
            # Topic and person pages list cards; a source page, a compact list of the claims citing it
            # (the one the pager follows: each quote also lists its newest citing claims).
            cards = doc.xpath(
                "//main//ul[@class='cards']/li/*[1]/a/@href"
                " | //main//nav[@class='pager']/preceding-sibling::ul[@class='claim-list'][1]/li/a[1]/@href"
            )
            assert 0 < len(cards) <= CLAIMS_PER_PAGE, (page, len(cards))
            listed += cards
            # The pager names every page and marks this one; only the first is indexed for search.
            pager = doc.xpath("//main//nav[@class='pager']")[0]
            assert pager.xpath(".//a[@aria-current='page']/text()") == [str(number)]
            assert len(pager.xpath(".//a[not(@rel)]")) == len(pages)
            assert bool(doc.xpath("//*[@data-pagefind-body]")) == (number == 1), page
            assert page.stat().st_size < 300_000, (page, page.stat().st_size)
        # Every claim once, newest review first across the pages.
        assert sorted(listed) == sorted(f"/claims/{slug}/" for slug in claims)
        reviewed = [claims[href.split("/")[2]]["reviewed"] for href in listed]
        assert reviewed == sorted(reviewed, reverse=True)
        titles = [lxml.html.parse(str(p)).getroot().findtext(".//title") for p in pages]
        assert len(set(titles)) == len(titles)
    # The shared quote lists the newest claims that cite it, and says how many more.
    doc = lxml.html.parse(str(site / "sources" / source / "index.html")).getroot()
    cited = doc.xpath("//main//div[@class='cited-by']")[0]
    assert len(cited.xpath(".//li")) == CITED_BY_SHOWN
    assert f"And {CROWDED_CLAIMS - CITED_BY_SHOWN} more" in cited.text_content()
    # (The corpus's publisher page, about/, is not part of the archive.)
    assert [b for b in broken_links(site, "https://bench.example.org/") if "no file about/index.html" not in b] == []


def test_a_record_whose_list_shrinks_loses_its_last_pages_in_a_rebuild(crowded, tmp_path):
    root, _ = crowded
    shutil.copytree(root / "content", tmp_path / "content")
    shutil.copytree(root / "texts", tmp_path / "texts")
    project = BuiltSite(
        BuildOptions(content_dir=str(tmp_path / "content"), out_dir=str(tmp_path / "public"), search=False)
    )
    project.build()
    claims = sorted((tmp_path / "content/claims").glob("*.yaml"))
    topic = yaml.safe_load(claims[0].read_text(encoding="utf-8"))["topics"][0]
    pages = tmp_path / "public/topics" / topic / "page"
    assert sorted(p.name for p in pages.iterdir()) == ["2", "3", "4", "5"]

    def leave_topic(paths):
        for path in paths:
            claim = yaml.safe_load(path.read_text(encoding="utf-8"))
            claim["topics"] = [t for t in claim["topics"] if t != topic] or ["elsewhere"]
            path.write_text(yaml.safe_dump(claim, allow_unicode=True, sort_keys=False), encoding="utf-8")

    (tmp_path / "content/topics/elsewhere.yaml").write_text("title: Elsewhere\n", encoding="utf-8")
    leave_topic(claims[:100])  # 130 left of 230: three pages, not five
    project.rebuild()
    assert sorted(p.name for p in pages.iterdir()) == ["2", "3"]
    leave_topic(claims[100:181])  # 49 left: one page, no pager
    project.rebuild()
    assert not pages.exists()
    fresh = tmp_path / "fresh"
    build_site(tmp_path / "content", fresh)
    assert site_files(tmp_path / "public") == site_files(fresh)

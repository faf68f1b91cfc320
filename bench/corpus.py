"""A synthetic fact-check archive of any size, in the real content format.

Seeded and deterministic, so two runs time the same bytes and a difference
between them is the code's. The shapes follow the real archive: N/2 sources
with three quotes each, found in archived texts; N/20 made-up people; 50
topics; claims that cite quotes and counterclaims, and analyses of about 400
words of Markdown with headings, lists, tables and internal links. The text is
random words drawn with Zipf's law, so search indexes grow as real ones do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from random import Random

import yaml

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_SEED = 20210905
TOPIC_COUNT = 50
QUOTES_PER_SOURCE = 3
MIN_CLAIMS = 20  # fewer leaves no one to be a claimant (N/20 people)

_COMMON = """
the of and to in a is that for it as was with be by on not he this are or his from at which
but have an they you were her she there been one all we their has would more when will if no
out so said what up its about than into them can only other new some could time these two may
first then do any like my now over such our man me even most made after also did many before
must through back years where much your way well down should because each just those people
how too state good very make world still own see men work long get here between both life being
under never day same another know while last might us great old year off come since against go
came right used take three government report minister council army police court trade market
price tax budget health hospital school water power fuel grain wheat oil gas border election
vote voters party leader president spokesman official figures data survey census percent rate
growth jobs wages rent housing crime attack troops ceasefire talks deal aid refugees camp
district province city village region valley coast river bridge road railway airport port
didn't won't it's we're they've isn't doesn't can't
""".split()
_VERDICTS = (
    ("false", 25),
    ("mostly-false", 15),
    ("half-true", 12),
    ("mostly-true", 10),
    ("true", 8),
    ("unproven", 15),
    ("disputed", 8),
    ("opinion", 7),
)
_SOURCE_KINDS = (
    ("news-article", 40),
    ("statement", 12),
    ("interview", 10),
    ("speech", 8),
    ("social-post", 12),
    ("video", 6),
    ("report", 8),
    ("document", 3),
    ("other", 1),
)
_TOPIC_NOUNS = ("elections", "trade", "security", "health", "housing", "energy", "migration", "budget")
_ORG_KINDS = ("Institute", "Party", "Council", "Union", "Network", "Agency", "Front", "Movement")
# Syllables chosen so names read as invented, not as anyone's real name.
_SYLLABLES = (
    "ka",
    "vor",
    "quel",
    "zan",
    "dri",
    "tho",
    "mir",
    "ost",
    "ul",
    "brae",
    "syn",
    "ek",
    "lor",
    "vash",
    "tir",
    "oma",
    "qua",
    "zel",
    "fen",
    "grim",
    "ys",
    "dal",
    "rho",
    "nix",
)


# The shapes an archive can take: "mixed" follows the real archive; "crowded"
# piles every claim onto one quote, its speaker and one topic, the worst case
# for pages that list what a record shares with the others.
SHAPES = ("mixed", "crowded")


def corpus_dir(claims: int, shape: str = "mixed") -> Path:
    return BENCH_DIR / "corpus" / (f"N{claims}" if shape == "mixed" else f"N{claims}-{shape}")


def ensure_corpus(
    claims: int, seed: int = DEFAULT_SEED, folder: Path | None = None, shape: str = "mixed"
) -> tuple[Path, float | None]:
    """The corpus folder and the seconds spent generating it (None: reused).

    The stamp holds a hash of this file, so a changed generator never
    benchmarks a stale corpus.
    """
    folder = folder or corpus_dir(claims, shape)
    stamp_path = folder / "corpus.json"
    stamp = {"claims": claims, "seed": seed, "generator": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}
    if shape != "mixed":
        stamp["shape"] = shape
    if stamp_path.is_file() and json.loads(stamp_path.read_text()) == stamp:
        return folder, None
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    generate_corpus(claims, seed, folder, shape)
    seconds = time.perf_counter() - started
    stamp_path.write_text(json.dumps(stamp, indent=2) + "\n")  # last, so a killed run regenerates
    return folder, seconds


def generate_corpus(claims: int, seed: int, folder: Path, shape: str = "mixed") -> None:
    """Write content/ and texts/ for an archive of `claims` claims into `folder`."""
    if claims < MIN_CLAIMS:
        raise ValueError(f"a corpus needs at least {MIN_CLAIMS} claims, not {claims}")
    if shape not in SHAPES:
        raise ValueError(f"no corpus shape {shape!r}: one of {', '.join(SHAPES)}")
    archive = _Archive(claims, Random(seed))
    if shape == "crowded":
        archive.crowd()
    archive.write(Path(folder))


class _Archive:
    def __init__(self, claims: int, rng: Random) -> None:
        self.rng = rng
        # Zipf's law: the word of rank r is drawn with weight 1/r, common words first.
        self.words = _COMMON + sorted({self._pseudo_word() for _ in range(4000)})
        self.cum_weights = list(accumulate(1 / rank for rank in range(1, len(self.words) + 1)))
        self.people = self._people(claims // 20)
        self.people_by_slug = {p["slug"]: p for p in self.people}
        self.topics = self._topics(TOPIC_COUNT)
        self.sources = self._sources(claims // 2)
        self.claims = self._claims(claims)

    # Text

    def _pseudo_word(self) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 4)))

    def _name_part(self) -> str:
        return self._pseudo_word().capitalize()

    def sentence(self, low: int = 8, high: int = 22) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cum_weights, k=self.rng.randint(low, high))
        if len(words) > 10 and self.rng.random() < 0.3:
            words[len(words) // 2] += ","
        return " ".join(words).capitalize() + "."

    def sentences(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def date(self, start: dt.date, max_days: int) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(1, max_days))

    def unique_slug(self, text: str, taken: set[str]) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        return slug

    # Records, as plain dicts in the order they are written

    def _people(self, count: int) -> list[dict]:
        taken: set[str] = set()
        people = []
        for _ in range(count):
            if self.rng.random() < 0.15:
                name = f"{self._name_part()} {self.rng.choice(_ORG_KINDS)}"
                person = {
                    "name": name,
                    "kind": "organization",
                    "description": f"An organisation active in {self._name_part()} {self.rng.choice(('province', 'district', 'valley'))}.",
                }
            else:
                name = f"{self._name_part()} {self._name_part()}"
                person = {"name": name, "kind": "person", "description": self.sentence(6, 12)}
            person["slug"] = self.unique_slug(name, taken)
            if self.rng.random() < 0.3:
                person["url"] = f"https://people.example.org/{person['slug']}/"
            if self.rng.random() < 0.2:
                person["same_as"] = [f"https://directory.example.net/id/{self.rng.randrange(10**6, 10**7)}"]
            people.append(person)
        organizations = [p["slug"] for p in people if p["kind"] == "organization"]
        for person in people:
            if organizations and person["kind"] == "person" and self.rng.random() < 0.4:
                person["affiliation"] = self.rng.choice(organizations)
        return people

    def _topics(self, count: int) -> list[dict]:
        taken: set[str] = set()
        topics = []
        for _ in range(count):
            title = f"{self._name_part()} {self.rng.choice(_TOPIC_NOUNS)}"
            topics.append(
                {"slug": self.unique_slug(title, taken), "title": title, "description": self.sentence(10, 20)}
            )
        return topics

    def _sources(self, count: int) -> list[dict]:
        taken: set[str] = set()
        sources = []
        for _ in range(count):
            title = self.sentence(6, 14).rstrip(".")
            slug = self.unique_slug(title, taken)
            published = self.date(dt.date(2019, 1, 1), 5 * 365)
            quotes, paragraphs = self._quotes_in_text(published)
            source = {"slug": slug, "title": title, "kind": _weighted(self.rng, _SOURCE_KINDS)}
            if self.rng.random() < 0.8:
                source["publisher"] = (
                    f"The {self._name_part()} {self.rng.choice(('Courier', 'Herald', 'Observer', 'Post'))}"
                )
                source["url"] = f"https://news.example.org/{published.year}/{slug}"
            if self.rng.random() < 0.5:
                source["archive_url"] = f"https://archive.example.org/{published.isoformat()}/{slug}"
            source.update(
                published=published,
                text=f"texts/{slug}.txt",
                quotes=quotes,
                archived_text="\n\n".join(paragraphs) + "\n",
            )
            sources.append(source)
        return sources

    def _quotes_in_text(self, published: dt.date) -> tuple[list[dict], list[str]]:
        """Three quotes and the article they are found in, typographic marks and all."""
        paragraphs = [self.sentences(3, 7) for _ in range(self.rng.randint(6, 14))]
        taken: set[str] = set()
        quotes = []
        for index in self.rng.sample(range(len(paragraphs)), QUOTES_PER_SOURCE):
            speaker = self.rng.choice(self.people)
            said = self.sentences(1, 3)
            text = said
            if self.rng.random() < 0.15:  # an omission: the quote skips words the text has
                cut = said.find(" ", len(said) // 2)
                said = f"{said[:cut]} {self.sentence(4, 8).lower()}{said[cut:]}"
                text = f"{text[:cut]} …{text[cut:]}"
            quote = {
                "id": self.unique_slug(f"{speaker['slug'].split('-')[-1]} {self.sentence(2, 3)}", taken),
                "speaker": speaker["slug"],
                "text": text,
            }
            if self.rng.random() < 0.7:
                quote["date"] = published
            if self.rng.random() < 0.6:
                quote["context"] = self.sentence(10, 25)
            quotes.append(quote)
            quoted = f"“{said}” said {speaker['name']}.".replace("'", "’")
            paragraphs[index] = f"{paragraphs[index]} {quoted}"
        return quotes, paragraphs

    def _claims(self, count: int) -> list[dict]:
        taken: set[str] = set()
        slugs = [self.unique_slug(self.sentence(5, 10), taken) for _ in range(count)]
        cited = [(s, q) for s in self.sources for q in s["quotes"]]
        claims = []
        for slug in slugs:
            picked = [self.rng.choice(cited) for _ in range(self.rng.randint(1, 2))]
            picked = list({(s["slug"], q["id"]): (s, q) for s, q in picked}.values())
            quote = picked[0][1]
            said = quote.get("date") or self.date(dt.date(2019, 1, 1), 5 * 365)
            reviewed = self.date(said, 60)
            appearances = list(dict.fromkeys(s["slug"] for s, _ in picked))
            if self.rng.random() < 0.3:
                appearances = list(dict.fromkeys(appearances + [self.rng.choice(self.sources)["slug"]]))
            others = self.rng.sample(slugs, 4)
            counterclaims = [s for s in others if s != slug][: self.rng.randint(1, 3)]
            claim = {
                "slug": slug,
                "claim": self.sentence(8, 20),
                "claimant": quote["speaker"],
                "date": said,
                "verdict": _weighted(self.rng, _VERDICTS),
                "summary": self.sentences(1, 2),
                "analysis": self.analysis(picked, counterclaims, appearances),
                "reviewed": reviewed,
            }
            if self.rng.random() < 0.2:
                claim["updated"] = self.date(reviewed, 200)
            claim.update(
                quotes=[f"{s['slug']}#{q['id']}" for s, q in picked],
                appearances=appearances,
                counterclaims=counterclaims,
                topics=[t["slug"] for t in self.rng.sample(self.topics, self.rng.randint(1, 3))],
            )
            if self.rng.random() < 0.05:
                claim["corrections"] = [{"date": self.date(reviewed, 100), "note": self.sentence(10, 20)}]
            claims.append(claim)
        return claims

    def analysis(self, picked: list, counterclaims: list[str], appearances: list[str]) -> str:
        """About 400 words of Markdown linking to the claim's people, quotes, sources and claims."""
        claimant = self.people_by_slug[picked[0][1]["speaker"]]
        links = [f"[{claimant['name']}](person:{claimant['slug']})"]
        links += [f"[{' '.join(q['text'].split()[:3])}](source:{s['slug']}#{q['id']})" for s, q in picked]
        links += [f"[a contradicting claim](claim:{slug})" for slug in counterclaims]
        links += [f"[the report](source:{slug})" for slug in appearances]
        paragraphs = [self.sentences(4, 6).split(" ") for _ in range(4)]
        for link in links:
            words = self.rng.choice(paragraphs)
            words.insert(self.rng.randrange(1, len(words)), link)
        footnote = self.rng.random() < 0.3
        if footnote:
            paragraphs[3].append("[^1]")
        items = ["- " + "\n  ".join(_wrap(self.sentence(8, 18), 74)) for _ in range(self.rng.randint(3, 5))]
        year = self.rng.randint(2010, 2018)
        rows = [
            f"| {year + i} | {self.rng.uniform(1, 99):.1f} | {self.rng.uniform(1, 99):.1f} |"
            for i in range(self.rng.randint(3, 5))
        ]
        blocks = [
            f"## What {claimant['name']} said",
            _paragraph(paragraphs[0]),
            _paragraph(paragraphs[1]),
            "## What the record shows",
            _paragraph(paragraphs[2]),
            "\n".join(items),
            "\n".join(["| Year | Claimed | Recorded |", "| --- | ---: | ---: |", *rows]),
            "## Why this verdict",
            _paragraph(paragraphs[3]),
        ]
        if footnote:
            blocks.append(f"[^1]: {self.sentence(8, 16)}")
        return "\n\n".join(blocks)

    def crowd(self) -> None:
        """Every claim cites the first quote, is made by its speaker and is about the first topic."""
        source, quote = self.sources[0], self.sources[0]["quotes"][0]
        for claim in self.claims:
            claim["claimant"] = quote["speaker"]
            claim["quotes"] = [f"{source['slug']}#{quote['id']}"]
            claim["appearances"] = list(dict.fromkeys([source["slug"], *claim["appearances"]]))
            claim["topics"] = list(dict.fromkeys([self.topics[0]["slug"], *claim["topics"]]))

    # Files

    def write(self, folder: Path) -> None:
        content = folder / "content"
        site = {
            "title": f"Synthetic Fact-Check Archive ({len(self.claims)} claims)",
            "base_url": "https://bench.example.org/",
            "language": "en",
            "description": "A generated archive for timing the site builder; every name in it is made up.",
            "publisher": {"name": "Benchmark Fact-Check Desk", "url": "https://bench.example.org/about/"},
        }
        _write_file(content / "site.yaml", _yaml(site))
        for folder_name, records in (
            ("people", self.people),
            ("topics", self.topics),
            ("sources", self.sources),
            ("claims", self.claims),
        ):
            for record in records:
                _write_file(content / folder_name / f"{record['slug']}.yaml", _yaml(record))
        for source in self.sources:
            _write_file(folder / source["text"], source["archived_text"])


def _weighted(rng: Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap; textwrap does the same, several times slower."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def _paragraph(words: list[str]) -> str:
    return "\n".join(_wrap(" ".join(words), 76))


# Plain when YAML cannot misread it as structure; double-quoted (JSON is valid YAML) otherwise.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.'()/-]*")
# Prose that editors wrap as folded blocks, as the real archive does.
_FOLDED_KEYS = {"summary", "text", "context", "note", "description", "claim", "title"}
_INTERNAL_KEYS = {"slug", "archived_text"}


def _scalar(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if _PLAIN.fullmatch(value) and not value.endswith(" ") else json.dumps(value, ensure_ascii=False)


def _yaml(record: dict) -> str:
    return "\n".join(_yaml_lines(record, 0)) + "\n"


def _yaml_lines(record: dict, indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    for key, value in record.items():
        if key in _INTERNAL_KEYS:
            continue
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.extend(_yaml_lines(value, indent + 2))
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict):
                    first, *rest = _yaml_lines(item, indent + 4)
                    lines.append(f"{pad}  - {first.lstrip()}")
                    lines.extend(rest)
                else:
                    lines.append(f"{pad}  - {_scalar(item)}")
        elif key == "analysis":
            lines.append(f"{pad}{key}: |")
            lines.extend(f"{pad}  {line}" if line else "" for line in value.rstrip("\n").split("\n"))
        elif key in _FOLDED_KEYS and isinstance(value, str) and len(value) > 72 - indent:
            lines.append(f"{pad}{key}: >-")
            lines.extend(f"{pad}  {line}" for line in _wrap(value, 76 - indent))
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}")
    return lines


def edit_record(path: Path, change: Callable[[dict], None]) -> None:
    """Apply `change` to a generated record file and write it back.

    The corpus was written by this module's emitter, so the round trip keeps
    every line but those `change` touches.
    """
    with open(path, encoding="utf-8") as f:
        record = yaml.load(f, Loader=yaml.CBaseLoader)  # every scalar text, as the format reads it
    change(record)
    _write_file(path, _yaml(record))


def _write_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)

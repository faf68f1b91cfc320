"""What the archive already holds, and what the last import wrote (the state file).

The state file, `import-state.json` beside `content/`, records for every
file an import wrote the SHA-256 of the bytes it wrote and, for claims, the
keys that recognise the fact-check in a later export (its original URL, its
claim text and claimant). A file whose bytes no longer match was changed by an
editor since: the import leaves it alone unless told `--force`. Commit the
state file with the content, so the next import (by anyone) knows it too.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

from ..errors import ErrorList, Position
from ..files import site_root
from ..yamlsrc import Mapping, Scalar, parse_yaml, read_source_text
from .verdicts import fold

STATE_FILE = "import-state.json"
STATE_VERSION = 1


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def state_path(content_dir: str) -> str:
    return os.path.join(site_root(content_dir), STATE_FILE)


@dataclass
class Existing:
    content_dir: str
    claim_files: set[str] = field(default_factory=set)
    people_files: set[str] = field(default_factory=set)
    source_files: set[str] = field(default_factory=set)
    topic_files: set[str] = field(default_factory=set)
    page_slugs: set[str] = field(default_factory=set)  # the archive's own pages, content/pages/<slug>.md
    people_by_name: dict[str, str] = field(default_factory=dict)
    sources_by_url: dict[str, str] = field(default_factory=dict)
    topics_by_title: dict[str, str] = field(default_factory=dict)
    written: dict[str, dict] = field(default_factory=dict)  # relpath → {"sha256", "keys"?} from the state file
    by_key: dict[str, str] = field(default_factory=dict)  # match key → claim slug, the state's first
    scanned_keys: dict[str, str] = field(default_factory=dict)  # match key → claim slug, from the claim files
    state_broken: bool = False  # the state file exists but cannot be read: nothing may be written

    def slug_for(self, keys) -> str | None:
        for table in (self.by_key, self.scanned_keys):
            for key in keys:
                if key in table:
                    return table[key]
        return None

    def current(self, relpath: str) -> bytes | None:
        """The file's bytes now; only files listed when the import started can exist (no open per new file)."""
        folder, _, name = relpath.partition("/")
        listed = {
            "claims": self.claim_files,
            "people": self.people_files,
            "sources": self.source_files,
            "topics": self.topic_files,
        }.get(folder)
        if listed is not None and name.removesuffix(".yaml") not in listed:
            return None
        try:
            with open(os.path.join(self.content_dir, relpath), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None


def _slugs(folder: str) -> list[str]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n[:-5] for n in names if n.endswith(".yaml") and not n.startswith("."))


def _top(path: str) -> dict[str, str]:
    """A content file's top-level text values; {} for a file the strict reader refuses (check reports it)."""
    errors = ErrorList()
    text = read_source_text(path, errors)
    root = parse_yaml(path, text, errors) if text is not None else None
    if not isinstance(root, Mapping):
        return {}
    return {key: value.value.strip() for key, (_, value) in root.entries.items() if isinstance(value, Scalar)}


def read_existing(content_dir: str, problems) -> Existing:
    from .plan import match_keys, normal_url  # one definition of a match key

    existing = Existing(content_dir)
    join = os.path.join
    existing.people_files = set(_slugs(join(content_dir, "people")))
    names: dict[str, str] = {}
    for slug in sorted(existing.people_files):
        name = _top(join(content_dir, "people", f"{slug}.yaml")).get("name")
        if name:
            names[slug] = name
            existing.people_by_name.setdefault(fold(name), slug)
    existing.source_files = set(_slugs(join(content_dir, "sources")))
    for slug in sorted(existing.source_files):
        url = _top(join(content_dir, "sources", f"{slug}.yaml")).get("url")
        if url:
            existing.sources_by_url.setdefault(normal_url(url), slug)
    existing.topic_files = set(_slugs(join(content_dir, "topics")))
    for slug in sorted(existing.topic_files):
        title = _top(join(content_dir, "topics", f"{slug}.yaml")).get("title")
        existing.topics_by_title.setdefault(fold(title or slug), slug)
    existing.claim_files = set(_slugs(join(content_dir, "claims")))
    try:
        existing.page_slugs = {n[:-3] for n in os.listdir(join(content_dir, "pages")) if n.endswith(".md")}
    except OSError:
        pass
    for slug in sorted(existing.claim_files):
        values = _top(join(content_dir, "claims", f"{slug}.yaml"))
        if values.get("claim") and values.get("claimant"):
            claimant = names.get(values["claimant"], values["claimant"])
            for key in match_keys(values.get("original_url"), values["claim"], claimant):
                existing.scanned_keys.setdefault(key, slug)
    _read_state(existing, problems)
    return existing


def _read_state(existing: Existing, problems) -> None:
    path = state_path(existing.content_dir)
    try:
        with open(path, encoding="utf-8") as f:
            state = json.load(f)
        files = state["files"]
        if state.get("version") != STATE_VERSION or not isinstance(files, dict):
            raise ValueError
    except FileNotFoundError:
        return
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        existing.state_broken = True
        problems.add(
            Position(path, 1, 1),
            "the import's state file cannot be read: restore it from the repository's history, "
            "or delete it (then every imported file counts as an editor's and is kept)",
        )
        return
    for relpath, entry in sorted(files.items()):
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            continue
        existing.written[relpath] = entry
        if relpath.startswith("claims/") and relpath.endswith(".yaml"):
            for key in entry.get("keys") or ():
                if isinstance(key, str):
                    existing.by_key.setdefault(key, relpath[len("claims/") : -len(".yaml")])


def state_text(entries: dict[str, dict]) -> str:
    return (
        json.dumps(
            {"version": STATE_VERSION, "files": dict(sorted(entries.items()))},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )

"""Textual ratings matched to the site's scale, never guessed; the verdict map an editor fills in."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..errors import ErrorList
from ..yamlsrc import Mapping, Scalar, read_yaml_file
from .yaml_out import yaml_string

_NOT_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """'Mostly  False!' and 'mostly-false' and 'Mostly fálse' fold alike: no case, accents, punctuation."""
    if text.isascii():
        return _NOT_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare).strip()


@dataclass
class Scale:
    ids: set[str]
    by_fold: dict[str, str]  # folded id or label → verdict id
    labels: dict[str, str]  # verdict id → label
    other_labels: dict[str, tuple[str, ...]]  # verdict id → its label in the site's language, where that differs


def scale_of(verdicts, translate=lambda label: label) -> Scale:
    """The scale to match against: ids, labels as written and labels as the site's interface shows them."""
    by_fold: dict[str, str] = {}
    for verdict in verdicts:
        by_fold.setdefault(fold(verdict.id), verdict.id)
    for verdict in verdicts:  # ids win over labels when one's label is another's id
        by_fold.setdefault(fold(verdict.label), verdict.id)
    others = {v.id: tuple({translate(v.label)} - {v.label}) for v in verdicts}
    for verdict_id, labels in others.items():
        for label in labels:
            by_fold.setdefault(fold(label), verdict_id)
    return Scale({v.id for v in verdicts}, by_fold, {v.id: v.label for v in verdicts}, others)


def read_verdict_map(path: str, scale: Scale, errors: ErrorList) -> dict[str, str]:
    """The editor's map: folded rating → verdict id; empty values mean 'match it yourself'."""
    yaml_file = read_yaml_file(path, errors)
    if yaml_file is None:
        return {}
    root = yaml_file.root
    if root is None:
        return {}
    if not isinstance(root, Mapping):
        errors.add(root.pos, "the verdict map should be a mapping: each rating, a colon, and a verdict id")
        return {}
    mapping: dict[str, str] = {}
    for rating, (_key_node, value) in root.entries.items():
        if not isinstance(value, Scalar):
            errors.add(value.pos, f"the verdict for '{rating[:60]}' should be one verdict id, not a list or mapping")
            continue
        verdict = value.value.strip()
        if not verdict:
            continue
        if verdict not in scale.ids:
            errors.add(
                value.pos,
                f"'{verdict[:60]}' is not a verdict of this site's scale; write one of: {', '.join(sorted(scale.ids))}",
            )
            continue
        mapping[fold(rating)] = verdict
    return mapping


def match(rating: str, scale: Scale, mapping: dict[str, str]) -> str | None:
    folded = fold(rating)
    return mapping.get(folded) or scale.by_fold.get(folded)


def verdict_map_text(counts: Counter, examples: dict[str, str], scale: Scale, mapping: dict[str, str]) -> str:
    """The YAML an editor fills in: every distinct rating, most frequent first, with its count and an example."""
    lines = [
        "# The import's verdict map: write after each rating the id of the verdict it means on this site,",
        f"# one of: {', '.join(sorted(scale.ids))}.",
        "# Leave a value empty to let the import match the rating itself (it matches ids and labels only).",
        "# Then run the import again with --verdict-map and this file.",
        "",
    ]
    for rating, count in sorted(counts.items(), key=lambda kv: (-kv[1], fold(kv[0]), kv[0])):
        example = examples[rating]
        example = example if len(example) <= 100 else example[:99] + "…"
        lines.append(f"# {count} claim{'s' if count != 1 else ''}, e.g. {yaml_string(example)[1:-1]}")
        automatic = scale.by_fold.get(fold(rating))
        if automatic and fold(rating) not in mapping:
            lines.append(f"# matches `{automatic}` by itself")
        value = mapping.get(fold(rating), "")
        key = yaml_string(rating)
        lines.append(f"{key}: {value}".rstrip() if len(key) < 1_000 else f"? {key}\n: {value}".rstrip())
    return "\n".join(lines) + "\n"


def unmatched_report(counts: Counter) -> list[str]:
    return [
        f"  {count:>6} × {rating if len(rating) <= 100 else rating[:99] + '…'}"
        for rating, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]

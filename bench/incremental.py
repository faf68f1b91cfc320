"""Incremental rebuilds after one edit: a claim's summary, then a source's quote.

Drives site_builder.pipeline's BuiltSite: build(), then rebuild(paths)
returning a report with `pages` re-rendered and files `written` (changed
bytes), and its stages: `index` is the search index's refresh. Runs on a copy of the corpus so that the cached one stays as generated.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import yaml

from .corpus import edit_record


def measure_incremental(corpus: Path, work: Path) -> dict | None:
    """Seconds, pages re-rendered and files written per rebuild; None without the API."""
    from site_builder.pipeline import BuildOptions, BuiltSite

    for part in ("content", "texts"):
        shutil.copytree(corpus / part, work / part)
    # The cold and warm builds' cache, as an editor's machine keeps it between sessions (entries are
    # keyed by their inputs, so the edits below add entries and change none).
    (corpus / ".cache").mkdir(exist_ok=True)
    (work / ".cache").symlink_to(corpus / ".cache", target_is_directory=True)
    content = work / "content"
    project = BuiltSite(BuildOptions(content_dir=str(content), out_dir=str(work / "public")))
    started = time.perf_counter()
    project.build()
    results = {"full_build": {"seconds": time.perf_counter() - started}}

    claims = sorted((content / "claims").iterdir())
    claim = claims[len(claims) // 2]
    edit_record(claim, lambda record: record.update(summary=record["summary"] + " Edited."))
    results["claim_summary"] = _rebuild(project, claim)

    # A quote the edited claim cites, so at least one claim page depends on it.
    with open(claim, encoding="utf-8") as f:
        source_slug, _, quote_id = yaml.load(f, Loader=yaml.CBaseLoader)["quotes"][0].partition("#")
    source = content / "sources" / f"{source_slug}.yaml"
    edit_record(source, lambda record: _drop_last_word(record, quote_id))
    results["source_quote"] = _rebuild(project, source)
    return results


def _drop_last_word(source: dict, quote_id: str) -> None:
    """Shorter, the quote is still found in the archived text: the edit stays valid."""
    quote = next(q for q in source["quotes"] if q["id"] == quote_id)
    quote["text"] = quote["text"].rsplit(" ", 1)[0]


def _rebuild(project, path: Path) -> dict:
    started = time.perf_counter()
    report = project.rebuild([str(path)])
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "pages": report.pages,
        "written": report.written,
        "stages": {name: round(value, 3) for name, value in report.stages.items()},
    }

"""`build.py import`: an existing archive moved in from ClaimReview, Google's Fact Check Tools or a spreadsheet.

Stages, in order: read the input (one reader per format, each turning its
files into Items and reporting what it cannot read with file:line:col), read
what the archive already holds and what the last import wrote, plan the files
(verdicts matched, duplicates collapsed, slugs made), then write them, or with
--dry-run say what would be written. The build's own stages are not involved:
what the import writes is content like any editor's, and passes `check`.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import dataclass, field

from ..errors import ErrorList, display_path
from ..i18n import interface
from ..validate import read_site
from ..writer import OutputError
from . import claimreview, csv_reader, factcheck_api
from .existing import digest, read_existing, state_path, state_text
from .items import Problems
from .plan import Planner
from .verdicts import fold, read_verdict_map, scale_of, unmatched_report, verdict_map_text

FORMATS = ("claimreview", "factcheck-api", "csv")
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class ImportUsageError(Exception):
    """Arguments that cannot work (a missing input, a bad --columns): exit 2."""


@dataclass
class ImportOptions:
    format: str
    paths: list[str]
    content_dir: str = "content"
    verdict_map: str | None = None
    write_verdict_map: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    force: bool = False


@dataclass
class Outcome:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed by an editor since the last import


def read_items(options: ImportOptions, problems: Problems):
    if options.format == "claimreview":
        return claimreview.read(options.paths, problems)
    if options.format == "factcheck-api":
        return factcheck_api.read(options.paths, problems)
    return csv_reader.read(options.paths, problems, options.columns)


def run(options: ImportOptions, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    for path in options.paths:
        if not os.path.exists(path):
            raise ImportUsageError(f"'{path}' does not exist: name the exported file or folder to import")
    if options.verdict_map and not os.path.isfile(options.verdict_map):
        raise ImportUsageError(
            f"the verdict map '{options.verdict_map}' does not exist: write it first with --write-verdict-map"
        )
    site_errors = ErrorList()
    site = read_site(options.content_dir, site_errors)
    if site is None:
        _print_errors(site_errors, err)
        print(
            "import: site.yaml has errors; fix them first (the import matches ratings to its verdict scale)", file=err
        )
        return EXIT_PROBLEMS
    scale = scale_of(site.verdicts, interface(site.language).gettext)
    map_errors = ErrorList()
    verdict_map = read_verdict_map(options.verdict_map, scale, map_errors) if options.verdict_map else {}
    if map_errors:
        _print_errors(map_errors, err)
        print("import: the verdict map has errors; nothing was written", file=err)
        return EXIT_PROBLEMS
    problems = Problems()
    items, empty = read_items(options, problems)
    existing = read_existing(options.content_dir, problems)
    plan = Planner(site, scale, verdict_map, existing, problems).run(items, empty)
    _print_errors(problems.errors, err)
    for note in plan.notes:
        print(note, file=err)

    if options.write_verdict_map:
        folded: Counter = Counter()
        first: dict[str, str] = {}
        for rating, count in plan.ratings.items():
            folded[first.setdefault(fold(rating), rating)] += count
        text = verdict_map_text(folded, plan.examples, scale, verdict_map)
        if not options.dry_run:
            _write_file(options.write_verdict_map, text.encode("utf-8"))
        unmatched = sum(1 for r in folded if scale.by_fold.get(fold(r)) is None and fold(r) not in verdict_map)
        print(
            f"{'would write' if options.dry_run else 'wrote'} {display_path(options.write_verdict_map)}: {len(folded)} distinct "
            f"rating{'s' if len(folded) != 1 else ''}, {unmatched} without a verdict; write a verdict id after each, then run "
            f"the import again with --verdict-map {display_path(options.write_verdict_map)}. No content was written.",
            file=out,
        )
        return EXIT_PROBLEMS if unmatched else EXIT_OK

    if existing.state_broken:
        print("import: nothing was written, so that the record of what the last import wrote is not lost", file=err)
        return EXIT_PROBLEMS

    if plan.unmatched:
        print(
            f"import: {len(plan.unmatched)} rating{'s' if len(plan.unmatched) != 1 else ''} match no verdict of the site's "
            f"scale ({', '.join(sorted(scale.ids))}) by id or label, so nothing was written:",
            file=err,
        )
        for line in unmatched_report(plan.unmatched):
            print(line, file=err)
        print(
            "Write a verdict map (--write-verdict-map FILE), fill in a verdict id for each rating, and run the import "
            "again with --verdict-map FILE.",
            file=err,
        )
        print(_summary(plan, Outcome(), options), file=out)
        return EXIT_PROBLEMS

    outcome = Outcome()
    to_write: list[tuple[str, bytes]] = []
    for planned in plan.files:
        data = planned.text.encode("utf-8")
        current = existing.current(planned.relpath)
        recorded = existing.written.get(planned.relpath)
        if current == data:
            outcome.unchanged.append(planned.relpath)
        elif current is None and recorded is None:
            outcome.new.append(planned.relpath)
            to_write.append((planned.relpath, data))
        elif not options.force and (recorded is None or current is None or digest(current) != recorded["sha256"]):
            outcome.kept.append(planned.relpath)  # an editor's change (or deletion) since the last import
        else:
            outcome.updated.append(planned.relpath)
            to_write.append((planned.relpath, data))
    entries = dict(existing.written)
    for planned in plan.files:
        if planned.relpath in outcome.kept:
            continue
        entry = {"sha256": digest(planned.text.encode("utf-8"))}
        if planned.keys:
            entry["keys"] = list(planned.keys)
        entries[planned.relpath] = entry

    if options.dry_run:
        for relpath, _ in to_write:
            status = "new" if relpath in outcome.new else "update"
            print(f"would write {display_path(os.path.join(options.content_dir, relpath))} ({status})", file=out)
    else:
        for relpath, data in to_write:
            _write_file(os.path.join(options.content_dir, relpath), data)
        if to_write or entries != existing.written:
            _write_file(state_path(options.content_dir), state_text(entries).encode("utf-8"))
    if outcome.kept:
        print(
            f"import: {len(outcome.kept)} file{'s' if len(outcome.kept) != 1 else ''} changed by an editor since the last "
            "import, kept as they are (--force overwrites them):",
            file=err,
        )
        for relpath in outcome.kept:
            print(f"  {display_path(os.path.join(options.content_dir, relpath))}", file=err)
    print(_summary(plan, outcome, options), file=out)
    return EXIT_PROBLEMS if problems.errors else EXIT_OK


def _summary(plan, outcome: Outcome, options: ImportOptions) -> str:
    def count(kind: str, names: list[str]) -> int:
        return sum(1 for n in names if n.startswith(kind + "/"))

    claims = lambda names: count("claims", names)  # noqa: E731
    verb = "would write" if options.dry_run else "wrote"
    filled = (
        ", ".join(f"{n} {what}" for what, n in sorted(plan.filled.items(), key=lambda kv: (-kv[1], kv[0]))) or "nothing"
    )
    return (
        f"import: {plan.read} items read ({plan.duplicates} duplicates, {plan.empty} empty, {plan.skipped} skipped); "
        f"claims: {verb} {claims(outcome.new)} new and {claims(outcome.updated)} updated, {claims(outcome.unchanged)} unchanged, "
        f"{claims(outcome.kept)} kept as an editor changed them; new: {count('people', outcome.new)} people, "
        f"{count('sources', outcome.new)} sources, {count('topics', outcome.new)} topics; filled in: {filled}; "
        f"{len(plan.unmatched)} unmatched ratings"
    )


def _print_errors(errors: ErrorList, err) -> None:
    for error in errors.sorted():
        print(error, file=err)


def _write_file(path: str, data: bytes) -> None:
    """Written aside and renamed: an interrupted import never leaves half a file."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        try:
            f = open(temporary, "wb")
        except FileNotFoundError:  # the folder is made on the first write into it, not checked on every one
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            f = open(temporary, "wb")
        with f:
            f.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        try:
            os.remove(temporary)
        except OSError:
            pass
        raise OutputError(f"cannot write {display_path(path)}: {exc.strerror}") from None

"""Reader: a spreadsheet export, one claim a row.

UTF-8 with or without a byte-order mark, separated by commas, semicolons
(what spreadsheets write where the comma is the decimal mark) or tabs, found
from the header row. Column names default to the content format's keys;
`--columns claim=Statement,claimant=Speaker` maps others.
"""

from __future__ import annotations

import csv
import io

from ..errors import Position
from .items import Item, Problems, clean_block, clean_language, clean_line, clean_url, parse_date
from .sources import input_files

EXTENSIONS = (".csv", ".tsv", ".txt")
KEYS = (
    "claim",
    "claimant",
    "date",
    "verdict",
    "summary",
    "analysis",
    "reviewed",
    "updated",
    "topics",
    "url",
    "language",
)
MAX_FIELD_CHARS = 1_000_000


class ColumnsError(ValueError):
    """A --columns value that cannot be used: a usage error."""


def parse_columns(text: str | None) -> dict[str, str]:
    """`claim=Statement,claimant=Speaker` → {"claim": "Statement", ...}."""
    mapping: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, equals, column = part.partition("=")
        key, column = key.strip(), column.strip()
        if not equals or not column:
            raise ColumnsError(f"'{part.strip()}' in --columns is not KEY=Column, like claim=Statement")
        if key not in KEYS:
            raise ColumnsError(f"'{key}' in --columns is not a key the import fills; the keys are: {', '.join(KEYS)}")
        if key in mapping:
            raise ColumnsError(f"'{key}' is given twice in --columns")
        mapping[key] = column
    return mapping


def _delimiter(header: str) -> str:
    counts = {d: 0 for d in ",;\t"}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _field_column(line: str, delimiter: str, index: int) -> int:
    """The column (from 1) where field `index` starts on a physical line of the file."""
    field, quoted = 0, False
    for at, char in enumerate(line):
        if field == index:
            return at + 1
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            field += 1
    return 1


def read(paths: list[str], problems: Problems, columns: dict[str, str] | None = None) -> tuple[list[Item], int]:
    items = []
    previous_limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        for source in input_files(paths, EXTENSIONS, problems):
            items += _read_file(source.path, source.text, problems, columns or {})
    finally:
        csv.field_size_limit(previous_limit)
    return items, 0


def _read_file(path: str, text: str, problems: Problems, columns: dict[str, str]) -> list[Item]:
    lines = text.split("\n")
    delimiter = _delimiter(lines[0] if lines else "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.add(Position(path, reader.line_num or 1, 1), f"the header row cannot be read as CSV: {exc}")
        return []
    if not header or not any(h.strip() for h in header):
        problems.add(
            Position(path, 1, 1),
            "this file has no header row: the first row must name the columns (claim, claimant, date, verdict, ...)",
        )
        return []
    names = {h.strip().casefold(): i for i, h in reversed(list(enumerate(header)))}
    index: dict[str, int] = {}
    for key in KEYS:
        wanted = columns.get(key, key)
        if wanted.casefold() in names:
            index[key] = names[wanted.casefold()]
        elif key in columns:
            problems.add(
                Position(path, 1, 1),
                f"--columns maps {key} to '{wanted}', but the header has no such column; "
                f"its columns are: {', '.join(h.strip() for h in header)}",
            )
            return []
    if "claim" not in index:
        problems.add(
            Position(path, 1, 1),
            "the header has no 'claim' column: name it claim or map it, like --columns claim=Statement",
        )
        return []
    items = []
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add(
                Position(path, reader.line_num, 1),
                f"this row cannot be read as CSV ({exc}): check its quotes; the rows after it were not read",
            )
            break
        pos = Position(path, start, 1)
        row_lines = lines[start - 1 : reader.line_num]
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.add(
                Position(path, pos.line, _field_column(row_lines[0] if row_lines else "", delimiter, len(header))),
                f"this row has {len(row)} fields but the header names {len(header)}: "
                "a separator inside a field needs quotes; row skipped",
            )
            continue
        item = _row_item(row, index, pos, row_lines[0] if row_lines else "", delimiter, problems)
        if item is not None:
            items.append(item)
    return items


def _row_item(row, index, pos: Position, line: str, delimiter: str, problems: Problems) -> Item | None:
    def cell(key: str) -> str | None:
        i = index.get(key)
        return row[i] if i is not None and i < len(row) and row[i].strip() else None

    def where(key: str) -> Position:
        return Position(pos.path, pos.line, _field_column(line, delimiter, index[key]))

    item = Item(
        pos,
        claim=clean_line(cell("claim")),
        claimant=clean_line(cell("claimant")),
        rating=clean_block(cell("verdict")),
        summary=clean_block(cell("summary")),
        analysis=clean_block(cell("analysis")),
    )
    for key in ("date", "reviewed", "updated"):
        value = cell(key)
        if value is None:
            continue
        date = parse_date(value)
        if date is None:
            problems.add(
                where(key),
                f"'{value.strip()[:40]}' in column {key} is not a date: write dates as YYYY-MM-DD; row skipped",
            )
            return None
        setattr(item, key, date)
    if cell("url") is not None:
        item.url = clean_url(cell("url"))
        if item.url is None:
            problems.add(
                where("url"), f"'{cell('url').strip()[:80]}' in column url is not an http(s) address; row skipped"
            )
            return None
    if cell("language") is not None:
        item.language = clean_language(cell("language"))
        if item.language is None:
            problems.add(
                where("language"),
                f"'{cell('language').strip()[:20]}' in column language is not a language tag such as en or ar; row skipped",
            )
            return None
    if cell("topics") is not None:
        item.topics = tuple(dict.fromkeys(t for t in (clean_line(p) for p in cell("topics").split(";")) if t))
    return item

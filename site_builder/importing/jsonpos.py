"""JSON whose objects remember where they start, so an item can be reported at its line.

The standard decoder gives no positions; its pure-Python scanner calls a
replaceable `parse_object` with the offset of each `{`, which is all we need.
Strings are still decoded by the C helper, so this stays fast enough for
exports of tens of thousands of items.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner

from ..errors import Position
from .items import line_starts_of, position_at


class JsonObject(dict):
    """A JSON object with the offset of its opening brace."""

    __slots__ = ("offset",)


class JsonInputError(Exception):
    def __init__(self, pos: Position, message: str) -> None:
        super().__init__(message)
        self.pos, self.message = pos, message


class PositionedJson:
    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text
        self._starts: list[int] | None = None

    def pos(self, value, fallback: Position | None = None) -> Position:
        if isinstance(value, JsonObject):
            if self._starts is None:
                self._starts = line_starts_of(self.text)
            return position_at(self.path, self.text, value.offset, self._starts)
        return fallback or Position(self.path, 1, 1)

    def load(self, base_offset: int = 0, end: int | None = None):
        """The decoded value of text[base_offset:end]; JsonInputError at the first mistake, positioned in the file."""
        decoder = json.JSONDecoder(object_pairs_hook=JsonObject)

        def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
            start = s_and_end[1] - 1
            value, end = json.decoder.JSONObject(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo)
            if isinstance(value, JsonObject):
                value.offset = base_offset + start
            return value, end

        decoder.parse_object = parse_object
        decoder.scan_once = json.scanner.py_make_scanner(decoder)
        text = self.text[base_offset:end] if base_offset or end is not None else self.text
        try:
            return decoder.decode(text)
        except json.JSONDecodeError as exc:
            at = position_at(self.path, self.text, base_offset + exc.pos)
            raise JsonInputError(at, f"this is not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise JsonInputError(Position(self.path, 1, 1), "this JSON nests too deeply to read") from None

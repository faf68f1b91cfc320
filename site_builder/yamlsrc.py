"""Reading YAML so that it cannot lie: positions kept, every scalar text.

PyYAML's loaders turn `no` into False, `012` into 10 and silently keep the
last of two duplicate keys. We read libyaml's event stream instead and build
our own small tree, so the validator decides what a scalar means and every
node still knows its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .errors import ErrorList, Position
from .files import UnreadableFile, read_bytes
from .yaml_messages import explain

try:
    _Parser = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same events
    _Parser = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024
_ODD_CHARACTER = re.compile("[\x00\x85\u2028\u2029]")
MAX_DEPTH = 32
_TRAILING_COMMENT = re.compile(r"[ \t]+#")


@dataclass(slots=True)
class Scalar:
    value: str
    pos: Position
    plain: bool  # unquoted (libyaml says style "", pure-Python PyYAML None): empty means "nothing written"
    end: Position
    # Where a ` #` comment starts on the line a plain value ends on: YAML drops
    # what follows, so `claim: ... #Hashtag` loses the hashtag without a word.
    comment: Position | None = None

    @property
    def is_empty(self) -> bool:
        return self.plain and self.value == ""


@dataclass(slots=True)
class Mapping:
    entries: dict[str, tuple[Scalar, Node]]
    pos: Position


@dataclass(slots=True)
class Sequence:
    items: list[Node]
    pos: Position


Node = Scalar | Mapping | Sequence


@dataclass(slots=True)
class YamlFile:
    path: str
    text: str
    root: Node | None


def node_kind(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping (key: value pairs)"
    if isinstance(node, Sequence):
        return "a list"
    return "a single value"


def decode_text(path: str, data: bytes, errors: ErrorList, what: str = "file") -> str | None:
    """UTF-8 (with or without BOM) or a positioned error; CRLF becomes LF."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        errors.add(
            Position(path, line, column),
            f"this {what} is not valid UTF-8 (byte 0x{data[exc.start]:02x}): save it as UTF-8 in your editor",
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source_text(path: str, errors: ErrorList, data: bytes | None = None) -> str | None:
    """A content file's text: readable, not too large, UTF-8; None with the error reported.

    `data`: its bytes, read already (by the record cache, which keys on them).
    """
    try:
        if data is None:
            data = read_bytes(path, MAX_FILE_BYTES)
    except UnreadableFile as exc:
        if str(exc).startswith("is larger than"):
            errors.add(
                Position(path, 1, 1),
                f"this file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB: "
                "split it or move long text into a source's archived text file",
            )
        else:
            errors.add(Position(path, 1, 1), f"cannot read this file: it {exc}")
        return None
    return decode_text(path, data, errors)


def read_yaml_file(path: str, errors: ErrorList, data: bytes | None = None) -> YamlFile | None:
    text = read_source_text(path, errors, data)
    if text is None:
        return None
    before = len(errors)
    root = parse_yaml(path, text, errors)
    if len(errors) > before:
        return None
    if isinstance(root, Scalar) and root.is_empty:  # a file holding only `---` or comments
        root = None
    return YamlFile(path, text, root)


def parse_yaml(path: str, text: str, errors: ErrorList) -> Node | None:
    """Build a positioned tree from libyaml's events; None if nothing usable."""
    odd = _ODD_CHARACTER.search(text)
    if odd:
        offset = odd.start()
        line = text.count("\n", 0, offset) + 1
        if odd[0] == "\x00":
            message = "this file contains a NUL byte: it is probably not a text file; remove the character or save the file as UTF-8 text"
        else:
            # libyaml counts these as line breaks and editors do not, so every
            # position after one would be off: they are pasted by accident.
            message = f"this file contains the unusual line break U+{ord(odd[0]):04X} (often pasted from a word processor): remove it"
        errors.add(Position(path, line, offset - text.rfind("\n", 0, offset)), message)
        return None
    builder = _TreeBuilder(path, errors)
    builder.lines = text.split("\n")
    try:
        for event in yaml.parse(text, Loader=_Parser):
            if not builder.feed(event):
                return None
    except yaml.MarkedYAMLError as exc:
        found = explain(exc.problem, exc.context, exc.problem_mark, exc.context_mark, text)
        errors.add(Position(path, found.line, found.column), found.message)
        return None
    except yaml.reader.ReaderError as exc:
        offset = min(exc.position, len(text))
        line = text.count("\n", 0, offset) + 1
        errors.add(
            Position(path, line, offset - text.rfind("\n", 0, offset)),
            f"this file contains the control character U+{exc.character:04X}, which YAML does not allow: delete it",
        )
        return None
    except yaml.YAMLError as exc:
        errors.add(Position(path, 1, 1), f"this is not valid YAML: {str(exc).splitlines()[0]}")
        return None
    return builder.root


def _pos(path: str, mark) -> Position:
    return Position(path, mark.line + 1, mark.column + 1)


class _TreeBuilder:
    """Turns the event stream into nodes, refusing what the format forbids."""

    def __init__(self, path: str, errors: ErrorList) -> None:
        self.path = path
        self.errors = errors
        self.root: Node | None = None
        self.stack: list[Mapping | Sequence] = []
        self.pending_key: list[Scalar | None] = []
        self.documents = 0
        self.lines: list[str] = []

    def comment_after(self, mark) -> Position | None:
        rest = self.lines[mark.line][mark.column :] if mark.line < len(self.lines) else ""
        found = _TRAILING_COMMENT.match(rest)
        return Position(self.path, mark.line + 1, mark.column + found.end()) if found else None

    def fail(self, mark, message: str) -> bool:
        self.errors.add(_pos(self.path, mark), message)
        return False

    def feed(self, event) -> bool:
        """Take one event; False stops reading (the error is already recorded)."""
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                return self.fail(
                    event.start_mark, "a content file holds one YAML document: remove the '---' and what follows it"
                )
            return True
        if isinstance(event, yaml.AliasEvent):
            return self.fail(
                event.start_mark, f"aliases (*{event.anchor}) are not supported: write the value out in full"
            )
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if event.anchor is not None:
                return self.fail(
                    event.start_mark, f"anchors (&{event.anchor}) are not supported: write the value out in full"
                )
            if event.tag is not None:  # libyaml sets a tag only when one is written
                return self.fail(
                    event.start_mark,
                    f"tags ({event.tag}) are not supported: remove the '!' tag, every value is read as text",
                )
        if isinstance(event, yaml.ScalarEvent):
            plain = event.style in (None, "")
            return self.add(
                Scalar(
                    event.value,
                    _pos(self.path, event.start_mark),
                    plain,
                    _pos(self.path, event.end_mark),
                    self.comment_after(event.end_mark) if plain else None,
                )
            )
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(self.stack) >= MAX_DEPTH:
                return self.fail(
                    event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels: the content format never needs this"
                )
            pos = _pos(self.path, event.start_mark)
            node = Mapping({}, pos) if isinstance(event, yaml.MappingStartEvent) else Sequence([], pos)
            if not self.add(node):
                return False
            self.stack.append(node)
            self.pending_key.append(None)
            return True
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
            self.pending_key.pop()
        return True

    def add(self, node: Node) -> bool:
        if not self.stack:
            self.root = node
            return True
        parent = self.stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return True
        key = self.pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                return self.fail_at(node.pos, "a key must be a plain name, not a list or mapping")
            self.pending_key[-1] = node
            return True
        self.pending_key[-1] = None
        if key.value in parent.entries:
            first = parent.entries[key.value][0].pos
            return (
                self.fail_at(key.pos, f"duplicate key '{key.value}' (first set on line {first.line}): keep only one")
                or True
            )
        parent.entries[key.value] = (key, node)
        return True

    def fail_at(self, pos: Position, message: str) -> bool:
        self.errors.add(pos, message)
        return False


class ScalarLocator:
    """Finds where words inside one scalar were written, for errors inside Markdown.

    libyaml gives only the scalar's start and end; searching the raw lines
    between them finds the spot, since a link target survives block scalars
    unchanged. Successive searches for the same words move forward, so the
    same broken link written twice is reported twice, each at its place.
    """

    def __init__(self, file: YamlFile, scalar: Scalar) -> None:
        self.file, self.scalar = file, scalar
        self.lines = file.text.split("\n")
        self._after: dict[str, tuple[int, int]] = {}

    def find(self, needle: str) -> Position:
        for candidate in (f"]({needle}", f"]: {needle}", needle):
            found = self._search(candidate, self._after.get(needle, (self.scalar.pos.line, self.scalar.pos.column - 1)))
            if found is not None:
                line, column = found
                offset = len(candidate) - len(needle)
                self._after[needle] = (line, column + len(candidate))
                return Position(self.file.path, line, column + offset + 1)
        return self.scalar.pos

    def _search(self, needle: str, start: tuple[int, int]) -> tuple[int, int] | None:
        first_line, first_column = start
        for number in range(first_line, min(self.scalar.end.line, len(self.lines)) + 1):
            column = self.lines[number - 1].find(needle, first_column if number == first_line else 0)
            if column >= 0:
                return number, column
        return None

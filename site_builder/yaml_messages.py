"""libyaml's complaints in words an editor can act on, at the line they must change.

libyaml reports where its reading stopped, which is often a line or two after
the mistake ("could not find expected ':'" lands on the line after the key
that lacks its colon) and in parser terms ("mapping values", "token"). Each
problem string libyaml can produce from a text is mapped here to what went
wrong, where to type and what to type; tests/test_yaml_messages.py breaks a
file once for every one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A key as editors write them, at the start of a line or after a list's '- '.
_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):(\s|$)")
_KEY_NO_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):(\S.*)$")
_KEY_NO_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)(\s+)(\S.*)$")
_BLOCK_HEADER = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):\s+[|>][-+0-9]*\s*(#.*)?$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


@dataclass(frozen=True)
class Explained:
    line: int  # 1-based
    column: int  # 1-based
    message: str


def explain(problem: str | None, context: str | None, problem_mark, context_mark, text: str) -> Explained:
    """Where to look and what to do, for one libyaml error in `text`."""
    lines = text.split("\n")
    at = _Mark.of(problem_mark, lines) if problem_mark is not None else _Mark(0, 0)
    start = _Mark.of(context_mark, lines) if context_mark is not None else at
    handler = _HANDLERS.get(problem or "")
    if handler is None:
        # Not a string libyaml 0.2.5 produces from text: say what it said, plainly framed.
        return at.explained(
            f"this is not valid YAML ({problem or context or 'unreadable'}): "
            "compare this line's indentation and quotes with the lines around it"
        )
    return handler(_Error(lines, at, start, context or ""))


@dataclass(frozen=True)
class _Mark:
    line: int  # 0-based, as libyaml counts
    column: int

    @classmethod
    def of(cls, mark, lines: list[str]) -> _Mark:
        # End-of-file errors sit on the line after the last one: point at the end instead.
        line, column = mark.line, mark.column
        if line >= len(lines) or (line == len(lines) - 1 and lines[line] == "" and line > 0):
            line = max(0, len(lines) - 1)
            while line > 0 and not lines[line].strip():
                line -= 1
            column = len(lines[line]) if lines else 0
        return cls(line, column)

    def explained(self, message: str) -> Explained:
        return Explained(self.line + 1, self.column + 1, message)


@dataclass(frozen=True)
class _Error:
    lines: list[str]
    at: _Mark  # where libyaml stopped
    start: _Mark  # where the thing it was reading began
    context: str

    def line(self, mark: _Mark) -> str:
        return self.lines[mark.line] if mark.line < len(self.lines) else ""

    def char(self, mark: _Mark) -> str:
        line = self.line(mark)
        return line[mark.column] if mark.column < len(line) else ""

    def previous_content_line(self, before: int) -> int | None:
        for number in range(before - 1, -1, -1):
            stripped = self.lines[number].strip()
            if stripped and not stripped.startswith("#"):
                return number
        return None


def _quoted_example(key: str, value: str) -> str:
    value = value.strip()
    if '"' in value and "'" not in value:
        return f"{key}: '{value}'"
    return f'{key}: "' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shorten(value: str, limit: int = 60) -> str:
    value = value.strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _tab(error: _Error) -> Explained:
    line = error.line(error.at)
    column = line.find("\t") if "\t" in line else error.at.column
    return _Mark(error.at.line, column).explained(
        "this line is indented with a tab, and YAML allows only spaces for indentation: "
        "delete the tab and type spaces, lined up with the line above it"
    )


def _cannot_start(error: _Error) -> Explained:
    char = error.char(error.at)
    if char == "\t":
        return _tab(error)
    line = error.line(error.at)
    key = _KEY_LINE.match(line)
    if char in "@`%" and key and error.at.column >= key.end():
        value = line[key.end() :].strip()
        return _Mark(error.at.line, error.at.column).explained(
            f"in YAML a value cannot start with '{char}': put the whole value in quotes, "
            f"like {_quoted_example(key[2], _shorten(value))}"
        )
    return error.at.explained(
        f"YAML cannot read the character '{char}' here: if it is part of a text, put the whole text in quotes"
    )


def _missing_colon(error: _Error) -> Explained:
    # libyaml stops after the key it was reading; that key started at `start`.
    line = error.line(error.start)
    above = error.previous_content_line(error.start.line)
    header = _BLOCK_HEADER.match(error.lines[above]) if above is not None else None
    if header and _indent(line) <= len(header[1]):
        return _Mark(error.start.line, 0).explained(
            f"the text of '{header[2]}' (the '|' on line {above + 1}) must be indented under it: "
            f"put two spaces before each of its lines"
        )
    no_space = _KEY_NO_SPACE.match(line)
    if no_space:
        colon = len(no_space[1]) + len(no_space[2])
        return _Mark(error.start.line, colon + 1).explained(
            f"'{no_space[2]}:' needs a space after the colon: write {no_space[2]}: {_shorten(no_space[3])}"
        )
    no_colon = _KEY_NO_COLON.match(line)
    if no_colon:
        end = len(no_colon[1]) + len(no_colon[2])
        return _Mark(error.start.line, end).explained(
            f"'{no_colon[2]}' has no colon after it: write {no_colon[2]}: {_shorten(no_colon[4])}"
        )
    return error.start.explained(
        "this line has no ':' after its key: write the key, a colon and a space, then the value (key: value); "
        "if the line continues the text above, indent it"
    )


def _value_with_colon(error: _Error) -> Explained:
    line = error.line(error.at)
    key = _KEY_LINE.match(line)
    if key and key.end() - 1 - len(key[3]) != error.at.column:
        # A second ': ' on the line of a key: the value itself contains ': '.
        value = line[key.end() :]
        return _Mark(error.at.line, key.end() - 1 + len(value) - len(value.lstrip()) + 1).explained(
            f"this text contains ': ' (at column {error.at.column + 1}), which YAML reads as the start of "
            f"another key: put the whole text in quotes, like {_quoted_example(key[2], _shorten(value))}"
        )
    previous = error.previous_content_line(error.at.line)
    above = error.lines[previous] if previous is not None else ""
    no_space = _KEY_NO_SPACE.match(above)
    if no_space:
        return _Mark(previous, len(no_space[1]) + len(no_space[2]) + 1).explained(
            f"'{no_space[2]}:' needs a space after the colon: write {no_space[2]}: {_shorten(no_space[3])}"
        )
    no_colon = _KEY_NO_COLON.match(above)
    if key and no_colon and ":" not in above and _indent(above) >= len(key[1]):
        # `title Statement` above `kind: statement`: the two lines read as one key, 'title Statement kind'.
        end = len(no_colon[1]) + len(no_colon[2])
        return _Mark(previous, end).explained(
            f"'{no_colon[2]}' has no colon after it: write {no_colon[2]}: {_shorten(no_colon[4])}"
        )
    if key:
        # A key line indented deeper than the key above it reads as more of that key's value.
        indent = len(key[1])
        return _Mark(error.at.line, indent).explained(
            f"'{_shorten(key[2], 40)}' is indented more than the key above it, so YAML reads it as part of the value above: "
            "start it at the same column as the other keys of its level"
        )
    return error.at.explained(
        "this text contains ': ', which YAML reads as the start of another key: put the whole text in quotes"
    )


def _list_item_here(error: _Error) -> Explained:
    line = error.line(error.at)
    key = _KEY_LINE.match(line)
    if key and error.at.column > len(key[1]):
        value = line[key.end() :]
        return error.at.explained(
            f"a list cannot start on the same line as its key: put '{key[2]}:' alone on its line and each item "
            f"below it, indented, like '  - {_shorten(value.lstrip()[1:].strip(), 30)}'"
        )
    return error.at.explained(
        "a list item ('- ') cannot go here: indent it under the key it belongs to, like the other items"
    )


def _flow_not_closed(closing: str, opening: str, what: str):
    def handler(error: _Error) -> Explained:
        return error.start.explained(
            f"a value starting with '{opening}' is read as a {what} and this one is not closed with '{closing}': "
            f"if it is text, put the whole value in quotes"
        )

    return handler


def _unclosed_quote(error: _Error) -> Explained:
    quote = error.char(error.start) or '"'
    return error.start.explained(f"the quote {quote} opened here is never closed: put a {quote} at the end of the text")


def _document_marker_in_quote(error: _Error) -> Explained:
    quote = error.char(error.start) or '"'
    return error.start.explained(
        f"the quote {quote} opened here runs on to a '---' line further down: put a {quote} at the end of the text"
    )


def _at_backslash(error: _Error) -> _Mark:
    """libyaml points into the escape or after it; the editor looks for its backslash."""
    backslash = error.line(error.at).rfind("\\", 0, error.at.column + 1)
    return _Mark(error.at.line, backslash) if backslash >= 0 else error.at


def _bad_escape(error: _Error) -> Explained:
    return _at_backslash(error).explained(
        "inside double quotes a backslash starts an escape such as \\n, and this one is not known: "
        "write \\\\ for a backslash, or use single quotes around the text"
    )


def _bad_unicode_escape(error: _Error) -> Explained:
    return _at_backslash(error).explained(
        "this \\x, \\u or \\U escape inside double quotes is not a character's code: "
        "type the character itself, or write \\\\ for a backslash"
    )


def _text_after_closing_quote(error: _Error) -> Explained:
    line = error.line(error.at)
    before = line[: error.at.column].rstrip()
    key = _KEY_LINE.match(line)
    value = line[key.end() :].lstrip() if key else ""
    if key and before.endswith(("'", '"')) and value[:1] in ("'", '"'):
        if value[0] == "'":
            fix = "to write ' inside single quotes, type it twice (''), or put the text in double quotes instead"
        else:
            fix = 'to write " inside double quotes, put a backslash before it (\\"), or put the text in single quotes instead'
        return error.at.explained(f"the text in quotes ends at column {len(before)}, but more text follows it: {fix}")
    if key and value[:1] in ("[", "{"):
        return error.at.explained(
            f"a value starting with '{value[0]}' is read as a {'list' if value[0] == '[' else 'mapping'}, "
            f"and text follows it: put the whole value in quotes, like {_quoted_example(key[2], _shorten(value))}"
        )
    indent = len(line) - len(line.lstrip())
    if line.lstrip().startswith("- "):
        return _Mark(error.at.line, indent).explained(
            "this list item is not lined up with the items above it: start every '- ' of a list at the same column"
        )
    return _Mark(error.at.line, indent).explained(
        "this line is not lined up with the keys above it: keys of the same level start at the same column, "
        "and a text that goes on over several lines is indented under its key"
    )


def _not_a_list_item(error: _Error) -> Explained:
    line = error.line(error.at)
    return _Mark(error.at.line, len(line) - len(line.lstrip())).explained(
        "this line does not line up with the list above it: start each item with '- ' at the same column as "
        "the others, and indent an item's keys by two more spaces than its '- '"
    )


def _missing_value_in_list(error: _Error) -> Explained:
    return error.at.explained(
        "a value is missing here (two commas, or a comma before the end): remove the extra comma, "
        "or put the whole value in quotes if it is text"
    )


def _block_header(error: _Error) -> Explained:
    line = error.line(error.start)
    indicator = error.char(error.start)
    if error.context == "while scanning a block scalar":
        return error.start.explained(
            f"after '{indicator}' the text starts on the next line, indented: move "
            f"'{_shorten(line[error.start.column + 1 :])}' to the line below and indent it by two spaces, "
            f"or put the whole value in quotes"
        )
    return _directive(error)


def _indentation_zero(error: _Error) -> Explained:
    return error.at.explained(
        "a '|' or '>' followed by 0 is not allowed: write '|' or '>' alone and indent the text below it"
    )


def _directive(error: _Error) -> Explained:
    return _Mark(error.at.line, 0).explained(
        "a line starting with '%' is a YAML directive, which content files do not use: "
        "if it is text, indent it under its key or put the text in quotes"
    )


def _tag(error: _Error) -> Explained:
    if "directive" in error.context:
        return _directive(error)
    return error.start.explained(
        "a value starting with '!' is read as a YAML tag, which content files do not use: put the whole value in quotes"
    )


def _anchor(error: _Error) -> Explained:
    char = error.char(error.start) or "&"
    return error.start.explained(
        f"a value starting with '{char}' is read as a YAML {'anchor' if char == '&' else 'alias'}, "
        "which content files do not use: put the whole value in quotes"
    )


def _after_document_end(error: _Error) -> Explained:
    return _Mark(error.at.line, 0).explained(
        "a content file ends at a line '...': remove that line, or what follows it"
    )


def _complex_key(error: _Error) -> Explained:
    return error.at.explained(
        "a '?' followed by a space starts a YAML complex key, which content files do not use: "
        "put the whole value in quotes"
    )


_HANDLERS = {
    "found a tab character that violates indentation": _tab,
    "found a tab character where an indentation space is expected": _tab,
    "found character that cannot start any token": _cannot_start,
    "could not find expected ':'": _missing_colon,
    "mapping values are not allowed in this context": _value_with_colon,
    "block sequence entries are not allowed in this context": _list_item_here,
    "mapping keys are not allowed in this context": _complex_key,
    "found unexpected end of stream": _unclosed_quote,
    "found unexpected document indicator": _document_marker_in_quote,
    "found unknown escape character": _bad_escape,
    "did not find expected hexdecimal number": _bad_unicode_escape,
    "found invalid Unicode character escape code": _bad_unicode_escape,
    "did not find expected key": _text_after_closing_quote,
    "did not find expected '-' indicator": _not_a_list_item,
    "did not find expected node content": _missing_value_in_list,
    "did not find expected ',' or ']'": _flow_not_closed("]", "[", "list"),
    "did not find expected ',' or '}'": _flow_not_closed("}", "{", "mapping"),
    "did not find expected comment or line break": _block_header,
    "found an indentation indicator equal to 0": _indentation_zero,
    "did not find expected <document start>": _after_document_end,
    "did not find expected alphabetic or numeric character": _anchor,
    # Directives: a line starting with '%'.
    "could not find expected directive name": _directive,
    "found unexpected non-alphabetical character": _directive,
    "found unknown directive name": _directive,
    "did not find expected version number": _directive,
    "did not find expected digit or '.' character": _directive,
    "found extremely long version number": _directive,
    "did not find expected whitespace": _directive,
    "did not find expected whitespace or line break": _tag,
    "found duplicate %YAML directive": _directive,
    "found duplicate %TAG directive": _directive,
    "found incompatible YAML document": _directive,
    "did not find expected '!'": _directive,
    # Tags: a value starting with '!'.
    "did not find the expected '>'": _tag,
    "did not find expected tag URI": _tag,
    "did not find URI escaped octet": _tag,
    "found an incorrect leading UTF-8 octet": _tag,
    "found an incorrect trailing UTF-8 octet": _tag,
    "found undefined tag handle": _tag,
}

"""Content files written as the strict reader reads them: every value text, quoted unless it cannot be misread."""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*|\d{4}-\d{2}-\d{2})$")
# Outside YAML's printable set, or read by libyaml as a line break: written as escapes.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_BLOCK_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar: JSON's string syntax is YAML's, once the non-printables are escaped."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def scalar(text: str) -> str:
    """A slug or date as written (the strict reader reads `false` as the text false); anything else quoted."""
    return text if _PLAIN.fullmatch(text) else yaml_string(text)


def block(key: str, text: str, indent: str = "") -> str:
    """A multi-line text as a literal block, which reads as the editor will see it; one-liners quoted."""
    if "\n" not in text or _BLOCK_UNSAFE.search(text):
        return f"{indent}{key}: {yaml_string(text)}\n"
    pad = indent + "  "
    indicator = "|2-" if text[:1] == " " else "|-"
    body = "".join(f"{pad}{line}\n" if line else "\n" for line in text.split("\n"))
    return f"{indent}{key}: {indicator}\n{body}"


def record(fields: list[tuple[str, object]]) -> str:
    """One content file from (key, value) pairs in order; values are str, ('block', str) or lists of str."""
    out = []
    for key, value in fields:
        if value is None or value == () or value == []:
            continue
        if isinstance(value, tuple) and len(value) == 2 and value[0] == "block":
            out.append(block(key, value[1]))
        elif isinstance(value, (list, tuple)):
            out.append(f"{key}:\n" + "".join(f"  - {scalar(v)}\n" for v in value))
        else:
            out.append(f"{key}: {scalar(str(value))}\n")
    return "".join(out)

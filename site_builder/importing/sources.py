"""The import's input files: folders walked in a fixed order, each file read whole as UTF-8 or reported."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..errors import Position
from ..files import UnreadableFile, read_bytes
from .items import Problems

MAX_INPUT_BYTES = 512 * 1024 * 1024  # a whole feed of a large archive; bounds memory
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


@dataclass(frozen=True)
class InputFile:
    path: str
    text: str


def input_files(paths: list[str], extensions: tuple[str, ...], problems: Problems):
    """Each readable file of `paths` with one of `extensions` (a folder is searched, sorted); the rest reported."""
    for path in input_paths(paths, extensions, problems):
        source = read_input(path, problems)
        if source is not None:
            yield source


def input_paths(paths: list[str], extensions: tuple[str, ...], problems: Problems) -> list[str]:
    """The files to read: those named, and in each folder named the files with one of `extensions`, sorted."""
    found = []
    for path in paths:
        if not os.path.isdir(path):
            found.append(path)
            continue
        inside = []
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            inside += [
                os.path.join(folder, f)
                for f in sorted(files)
                if f.lower().endswith(extensions) and not f.startswith(".")
            ]
        if not inside:
            problems.add(Position(path, 1, 1), f"this folder holds no {', '.join(extensions)} file to import")
        found += inside
    return found


def read_input(path: str, problems: Problems) -> InputFile | None:
    try:
        data = read_bytes(
            path, MAX_INPUT_BYTES
        )  # the build's one rule: regular files only, bounded, a FIFO never hangs
    except UnreadableFile as exc:
        problems.add(Position(path, 1, 1), f"this file {exc}: export the data to a regular file")
        return None
    text = decode(path, data, problems)
    return None if text is None else InputFile(path, text)


def decode(path: str, data: bytes, problems: Problems) -> str | None:
    """UTF-8 with or without BOM (or a page's declared charset); line ends made LF."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = _CHARSET.search(data[:4096]) if path.lower().endswith((".html", ".htm")) else None
        text = None
        if declared:
            try:
                text = data.decode(declared[1].decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                text = None
        if text is None:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            problems.add(
                Position(path, line, column),
                f"this file is not valid UTF-8 (byte 0x{data[exc.start]:02x}): export it again as UTF-8",
            )
            return None
    if "\x00" in text:
        at = text.index("\x00")
        problems.add(
            Position(path, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)),
            "this file contains a NUL byte: it is not a text export",
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")

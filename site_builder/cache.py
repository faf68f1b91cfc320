"""Results of the validation stage's pure work, kept beside content/ by a hash of their inputs.

Converting an analysis from Markdown and proving a source's quotes against
its archived text are pure functions of their inputs and of the code that
does them, and were most of the validation stage's time (at 10,000 claims:
Markdown 68 %, quotes 10 %). An entry's name is the SHA-256 of every input
and of the code's version (the source of the modules that compute it and
the versions of the libraries they call), so a changed input or a changed
converter simply misses and computes again: the output's bytes never
depend on what the cache holds.

The cache lives in `<site root>/.cache/<kind>/`, outside the output, and is
safe to delete at any time. An entry that is missing, unreadable, truncated
or altered (each holds the digest of its own value) is computed again; one
that cannot be written is simply not kept. Parallel validators may write the
same entry: each writes a temporary file and renames it into place. Entries
no longer used are not removed: deleting the folder now and then does it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# `check` promises to write nothing: it reads the cache but keeps no new entries (see reading_only).
keep_new_entries = True


@contextlib.contextmanager
def reading_only():
    """Within it, caches are read but not written (validation's forked workers inherit it)."""
    global keep_new_entries
    before, keep_new_entries = keep_new_entries, False
    try:
        yield
    finally:
        keep_new_entries = before


def code_version(modules: tuple[str, ...], packages: tuple[str, ...]) -> str:
    """A digest of the named modules' source (files beside this one) and of the packages' versions."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.encode() + b"\0" + (_HERE / module).read_bytes() + b"\0")
    for package in packages:
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    return digest.hexdigest()


class ResultCache:
    """JSON values by a key made of strings, in `<site root>/.cache/<kind>/`.

    An entry is one line, its key and the SHA-256 of the value's bytes, then
    the value as JSON: checking it costs a hash of bytes read anyway.
    """

    def __init__(self, site_root: str, kind: str, version: str) -> None:
        self.folder = os.path.join(site_root, ".cache", kind)
        self.version = version
        self._made: set[str] = set()  # subfolders this process has created

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self.version.encode())
        for part in parts:
            # Each part's length first, so that ("ab", "c") and ("a", "bc") differ.
            encoded = part.encode("utf-8", "surrogatepass")
            digest.update(b"\0%d\0" % len(encoded) + encoded)
        return digest.hexdigest()

    def get(self, key: str):
        """The value stored under `key`, or None if there is none that can be trusted."""
        try:
            with open(self._path(key), "rb") as f:
                data = f.read()
            header, _, payload = data.partition(b"\n")
            if header != f"{key} {hashlib.sha256(payload).hexdigest()}".encode():
                return None
            return json.loads(payload)
        except (OSError, ValueError):
            return None

    def put(self, key: str, value) -> None:
        if not keep_new_entries:
            return
        payload = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        path = self._path(key)
        folder = os.path.dirname(path)
        # Unique to this process and entry: parallel validators may write the same entry.
        temporary = os.path.join(folder, f".tmp-{os.getpid()}-{key}")
        try:
            if folder not in self._made:
                os.makedirs(folder, exist_ok=True)
                self._made.add(folder)
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                os.write(handle, f"{key} {hashlib.sha256(payload).hexdigest()}\n".encode() + payload)
            finally:
                os.close(handle)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def _path(self, key: str) -> str:
        # 256 subfolders, so that 100,000 entries never crowd one directory.
        return os.path.join(self.folder, key[:2], f"{key[2:]}.entry")

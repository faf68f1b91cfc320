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
same entry: each writes a temporary file and renames it into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def code_version(modules: tuple[str, ...], packages: tuple[str, ...]) -> str:
    """A digest of the named modules' source (files beside this one) and of the packages' versions."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.encode() + b"\0" + (_HERE / module).read_bytes() + b"\0")
    for package in packages:
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    return digest.hexdigest()


def _value_digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


class ResultCache:
    """JSON values by a key made of strings, in `<site root>/.cache/<kind>/`."""

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
            with open(self._path(key), encoding="utf-8") as f:
                entry = json.load(f)
            if entry["key"] != key or entry["digest"] != _value_digest(entry["value"]):
                return None
            return entry["value"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, value) -> None:
        entry = {"key": key, "digest": _value_digest(value), "value": value}
        path = self._path(key)
        folder = os.path.dirname(path)
        try:
            if folder not in self._made:
                os.makedirs(folder, exist_ok=True)
                self._made.add(folder)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as f:
                    json.dump(entry, f, ensure_ascii=False)
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass

    def _path(self, key: str) -> str:
        # 256 subfolders, so that 100,000 entries never crowd one directory.
        return os.path.join(self.folder, key[:2], f"{key[2:]}.json")

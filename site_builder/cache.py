"""Results of the build's pure work, kept beside content/ by a hash of their inputs.

Converting an analysis from Markdown and proving a source's quotes against
its archived text are pure functions of their inputs and of the code that
does them, and were most of the validation stage's time (at 10,000 claims:
Markdown 68 %, quotes 10 %); so is a search shard's index of its pages,
most of a warm build's time (search.py). An entry's name is the SHA-256 of every input
and of the code's version (the source of the modules that compute it and
the versions of the libraries they call), so a changed input or a changed
converter simply misses and computes again: the output's bytes never
depend on what the cache holds.

The cache lives in `<site root>/.cache/<kind>/`, outside the output, and is
safe to delete at any time. An entry that is missing, unreadable, truncated
or altered (each holds the digest of its own value) is computed again; one
that cannot be written is simply not kept. Parallel validators may write the
same entry: each writes a temporary file and renames it into place.

What a full build used is kept, and the rest goes (`prune`): every read or
written entry is noted (`note`; a forked worker sends its notes back with
its results), and after a full build that succeeded and read the whole
content itself, each kind's entries it did not note are removed. Without
that an archive that grows for years, and every code version that changes
a key, would grow the folder without bound. Only names the cache writes
are removed (a file of someone else's stays), only while no other build,
preview or check holds `.cache/.lock` (each holds it shared while it runs,
the pruner takes it alone or skips pruning this time), and never by
`check`, which writes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import time
import weakref
from importlib import metadata
from pathlib import Path

try:
    import fcntl
except ImportError:  # no flock (Windows): no lock is taken, so nothing is ever pruned
    fcntl = None

_HERE = Path(__file__).resolve().parent
# `check` promises to write nothing: it reads the cache but keeps no new entries (see reading_only).
keep_new_entries = True
# The entries this process read or wrote since the last take_used(), by kind: {kind: {name in its folder}}.
_used: dict[str, set[str]] = {}
# Open capture() lists: what one file's validation used, kept with its record (record_cache.py).
_captures: list[list[tuple[str, str]]] = []


def _forget_used() -> None:
    # A forked worker reports only what it used itself, not its parent's notes over again.
    global _used
    _used = {}
    _captures.clear()


os.register_at_fork(after_in_child=_forget_used)


def note(kind: str, name: str) -> None:
    """Entry `name` (its path inside .cache/<kind>/) was read or written: a prune after this build keeps it."""
    _used.setdefault(kind, set()).add(name)
    for captured in _captures:
        captured.append((kind, name))


def take_used() -> dict[str, set[str]]:
    """What was noted since the last call, which starts afresh."""
    global _used
    used, _used = _used, {}
    return used


def add_used(used: dict[str, set[str]]) -> None:
    """Notes sent back by a worker process."""
    for kind, names in used.items():
        _used.setdefault(kind, set()).update(names)


@contextlib.contextmanager
def capture():
    """The (kind, name) of every entry noted within the block, in a list."""
    captured: list[tuple[str, str]] = []
    _captures.append(captured)
    try:
        yield captured
    finally:
        _captures.remove(captured)


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
        self.kind = kind
        self.version = version
        self._made: set[str] = set()  # subfolders this process has created

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self.version.encode())
        for part in parts:
            # Each part's length first, so that ("ab", "c") and ("a", "bc") differ.
            encoded = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
            digest.update(b"\0%d\0" % len(encoded) + encoded)
        return digest.hexdigest()

    def get(self, key: str):
        """The value stored under `key`, or None if there is none that can be trusted."""
        payload = self.get_bytes(key)
        if payload is None:
            return None
        try:
            return json.loads(payload)
        except ValueError:
            return None

    def put(self, key: str, value) -> None:
        if keep_new_entries:
            self.put_bytes(
                key, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
            )

    def get_bytes(self, key: str) -> bytes | None:
        """The bytes stored under `key` if their digest is still theirs; None otherwise."""
        try:
            with open(self._path(key), "rb") as f:
                data = f.read()
        except OSError:
            return None
        header, _, payload = data.partition(b"\n")
        if header != f"{key} {hashlib.sha256(payload).hexdigest()}".encode():
            return None
        note(self.kind, self._name(key))
        return payload

    def put_bytes(self, key: str, payload: bytes) -> None:
        if not keep_new_entries:
            return
        note(self.kind, self._name(key))
        path = self._path(key)
        folder = os.path.dirname(path)
        # Unique to this process and entry: parallel validators may write the same entry.
        temporary = os.path.join(folder, f".tmp-{os.getpid()}-{key}")
        try:
            if folder not in self._made:
                os.makedirs(folder, exist_ok=True)
                self._made.add(folder)
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            # A file object, not os.write: one os.write may write less than a large entry.
            with os.fdopen(handle, "wb") as f:
                f.write(f"{key} {hashlib.sha256(payload).hexdigest()}\n".encode())
                f.write(payload)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def _path(self, key: str) -> str:
        # 256 subfolders, so that 100,000 entries never crowd one directory.
        return os.path.join(self.folder, key[:2], f"{key[2:]}.entry")

    @staticmethod
    def _name(key: str) -> str:
        return f"{key[:2]}/{key[2:]}.entry"  # as prune finds it below the kind's folder


class FolderCache(ResultCache):
    """Whole folders by a key, each one entry: its files' paths and sizes as a JSON line, then their bytes.

    One entry a folder, not a file an entry, so that a folder is kept whole
    or not at all and the entry's digest covers every file in it. The
    files are kept as they are (Pagefind's are compressed already).
    """

    def store(self, key: str, folder: str) -> None:
        if not keep_new_entries:
            return
        files, chunks = [], []
        try:
            for root, dirs, names in os.walk(folder):
                dirs.sort()
                for name in sorted(names):
                    path = os.path.join(root, name)
                    with open(path, "rb") as f:
                        data = f.read()
                    files.append([os.path.relpath(path, folder).replace(os.sep, "/"), len(data)])
                    chunks.append(data)
        except OSError:
            return
        self.put_bytes(key, json.dumps(files, ensure_ascii=False).encode("utf-8") + b"\n" + b"".join(chunks))

    def restore(self, key: str, target: str) -> bool:
        """The folder kept under `key` written out as `target` (which must not exist); False if none can be trusted."""
        payload = self.get_bytes(key)
        if payload is None:
            return False
        made: set[str] = set()
        try:
            header, _, body = payload.partition(b"\n")
            files = json.loads(header)
            view, offset = memoryview(body), 0
            for relpath, size in files:
                parts = relpath.split("/")
                if not relpath or relpath.startswith("/") or ".." in parts or offset + size > len(body):
                    raise ValueError(relpath)
                path = os.path.join(target, *parts)
                folder = os.path.dirname(path)
                if folder not in made:
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
                with open(path, "wb") as f:
                    f.write(view[offset : offset + size])
                offset += size
            if offset != len(body):
                raise ValueError("bytes left over")
            return True
        except (ValueError, TypeError, OSError):
            shutil.rmtree(target, ignore_errors=True)
            return False


# What each kind's entries and its writers' temporary files are called, below .cache/<kind>/:
# prune removes these and nothing else (a file someone else put there stays).
_RESULT_ENTRY = r"[0-9a-f]{2}/[0-9a-f]{62}\.entry"
ENTRY_NAMES = {
    "markdown": _RESULT_ENTRY,
    "quotes": _RESULT_ENTRY,
    "records": _RESULT_ENTRY,
    "search": _RESULT_ENTRY,  # search.shard_cache
    "extracted": r"[0-9a-f]{64}\.(?:txt|html|pdf|warc)\.json",  # extract.ExtractionCache
    "images": r"[0-9a-f]{64}",  # images.render
    "share-images": r"[0-9a-f]{64}\.png",  # share_image.render_cached
}
TEMPORARY_NAMES = {
    "markdown": r"[0-9a-f]{2}/\.tmp-\d+-[0-9a-f]{64}",
    "quotes": r"[0-9a-f]{2}/\.tmp-\d+-[0-9a-f]{64}",
    "records": r"[0-9a-f]{2}/\.tmp-\d+-[0-9a-f]{64}",
    "search": r"[0-9a-f]{2}/\.tmp-\d+-[0-9a-f]{64}",
    "extracted": r"\.tmp-[A-Za-z0-9_]+",  # tempfile.mkstemp's
    "images": r"\.part-[A-Za-z0-9_]+",  # images._store's
    "share-images": r"\.part-[A-Za-z0-9_]+",
}
# A temporary file is a write in progress, or one a killed build left: only the latter go.
TEMPORARY_AGE = 3600  # seconds
LOCK_NAME = ".lock"


def _lock_path(site_root: str) -> str:
    return os.path.join(site_root, ".cache", LOCK_NAME)


class _Held:
    """This process's shared hold on one cache's lock file, counted: flock is per open file, not per caller."""

    def __init__(self, fd: int) -> None:
        self.fd, self.count = fd, 0


_held: dict[str, _Held] = {}


class CacheLock:
    """A shared hold on `<site root>/.cache/.lock` for as long as the object lives or until release().

    Every build, preview and check holds one while it uses the cache, so
    that a prune, which needs it alone, never removes what another is using.
    `check` opens the lock only if it exists: it creates nothing. Where
    locking is impossible (no lock file, a file system without flock) the
    hold is simply not taken, and prune then does nothing.
    """

    def __init__(self, site_root: str) -> None:
        self.path = os.path.realpath(_lock_path(site_root))
        self.held = _hold(self.path)
        self._finalizer = weakref.finalize(self, _release, self.path) if self.held else None

    def release(self) -> None:
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self) -> CacheLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _hold(path: str) -> bool:
    held = _held.get(path)
    if held is None:
        if fcntl is None:
            return False
        try:
            if keep_new_entries:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            else:
                fd = os.open(path, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            os.close(fd)
            return False
        held = _held[path] = _Held(fd)
    held.count += 1
    return True


def _release(path: str) -> None:
    held = _held[path]
    held.count -= 1
    if held.count == 0:
        del _held[path]
        os.close(held.fd)  # the lock goes with the last descriptor (a forked worker's copy may outlive this)


def prune(site_root: str, used: dict[str, set[str]]) -> dict[str, int] | None:
    """Remove each kind's entries not in `used`; how many went by kind, or None if pruning had to wait.

    The caller holds a CacheLock and ran a full build that read the whole
    content. Pruning needs the lock alone: if another process holds it,
    nothing is removed this time (the next full build prunes instead).
    """
    if not keep_new_entries:
        return None
    held = _held.get(os.path.realpath(_lock_path(site_root)))
    if held is None:
        return None
    try:
        fcntl.flock(held.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        # flock dropped the shared hold in trying: take it back (a prune elsewhere may finish first).
        fcntl.flock(held.fd, fcntl.LOCK_SH)
        return None
    try:
        removed = {}
        for kind in ENTRY_NAMES:
            removed[kind] = _prune_kind(os.path.join(site_root, ".cache", kind), kind, used.get(kind, set()))
        return removed
    finally:
        fcntl.flock(held.fd, fcntl.LOCK_SH)


def _prune_kind(folder: str, kind: str, kept: set[str]) -> int:
    entry = re.compile(ENTRY_NAMES[kind])
    temporary = re.compile(TEMPORARY_NAMES[kind])
    stale = time.time() - TEMPORARY_AGE
    removed = 0
    for name, path in _files(folder):
        try:
            if entry.fullmatch(name):
                if name in kept:
                    continue
            elif not (temporary.fullmatch(name) and os.lstat(path).st_mtime < stale):
                continue
            os.unlink(path)
            removed += 1
        except OSError:
            pass
    return removed


def _files(folder: str):
    """(name below `folder` with '/', path) of the files in it and in its subfolders one level down."""
    try:
        top = list(os.scandir(folder))
    except OSError:
        return
    for item in top:
        try:
            if item.is_file(follow_symlinks=False):
                yield item.name, item.path
            elif item.is_dir(follow_symlinks=False):
                with os.scandir(item.path) as inner:
                    for sub in list(inner):
                        if sub.is_file(follow_symlinks=False):
                            yield f"{item.name}/{sub.name}", sub.path
        except OSError:
            continue

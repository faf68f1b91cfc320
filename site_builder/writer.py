"""Output written whole or not at all.

A build writes into a fresh folder beside the output and swaps it in with
one rename, so a failed or killed build leaves the previous site as it was,
and a server never sees half of a new one. A lock keeps two builds apart.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import glob
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator

from . import files

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
MAX_STATIC_BYTES = 256 * 1024 * 1024  # a static file larger than this is a mistake (a disk image, a device)


# Written into every output folder: only a folder holding it is replaced without --force.
MARKER = ".fact-check-build"
MARKER_TEXT = (
    b"This folder was written by build.py (a fact-check archive's site builder).\n"
    b"Each build replaces it whole; without this file, build.py refuses to replace it.\n"
)


class OutputError(Exception):
    """The output folder could not be written: disk, permissions, another build."""


class OutputRefused(Exception):
    """The output folder named is one the build must not replace: a usage error, nothing was written."""


def refuse_unsafe_output(out_dir: str, site_root: str, content_dir: str) -> None:
    """OutputRefused unless `out_dir` is a folder of its own, away from everything the archive is made of.

    A build replaces its output whole, so `--out ""`, `.`, `..` or `content`
    would replace the archive itself. Refused: the empty name; the site's
    folder, the working directory or any folder holding one of them; content/,
    templates/, static/ and locales/, any folder holding one and any folder
    inside one (as MkDocs refuses a site_dir inside docs_dir and the reverse).
    """
    if not out_dir.strip():
        raise OutputRefused("--out is empty (an unset variable?): name the output folder, such as --out public")
    site_root = os.path.abspath(site_root)
    sources = {"the content folder": os.path.abspath(content_dir)}
    for name in ("templates", "static", "locales"):
        sources[f"the archive's {name}/ folder"] = os.path.join(site_root, name)
    holders = {"the site's folder": site_root, "the working directory": os.getcwd(), **sources}
    out_paths = {os.path.abspath(out_dir), os.path.realpath(out_dir)}
    for what, folder in holders.items():
        for folder_path in {folder, os.path.realpath(folder)}:
            for out in out_paths:
                if files.inside(folder_path, out):
                    relation = "is" if folder_path == out else "holds"
                    raise OutputRefused(
                        f"--out '{out_dir}' ({out}) {relation} {what} ({folder_path}), which a build "
                        "would replace with the site: choose a folder of its own, such as --out public"
                    )
                if what in sources.keys() and files.inside(out, folder_path):
                    raise OutputRefused(
                        f"--out '{out_dir}' ({out}) lies inside {what} ({folder_path}): "
                        "choose a folder outside it, such as --out public"
                    )


class OutputLock:
    """One writer at a time per output folder, with a message that says so."""

    def __init__(self, out_dir: str) -> None:
        # Through a link: `public -> /srv/www` locks, stages and swaps beside /srv/www.
        self.out_dir = os.path.realpath(out_dir)
        parent, name = os.path.split(self.out_dir)
        self.path = os.path.join(parent, f".{name}.lock")
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot create {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            self._fd = None
            raise OutputError(
                f"another build is writing {os.path.relpath(self.out_dir)} right now; "
                "wait for it to finish and run this one again"
            ) from None
        return self

    def __exit__(self, *exc_info) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class _Reservations:
    """Every output path, reserved before anything is written: two outputs on one path stop the build."""

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}

    def claim(self, relpath: str, owner: str) -> str | None:
        """Reserve an output path; returns the earlier owner if it was taken."""
        earlier = self._owners.get(relpath)
        if earlier is None:
            self._owners[relpath] = owner
        return earlier


class StagedOutput(_Reservations):
    """A build's output: written into a staging folder, swapped in whole.

    When `out_dir` is a symbolic link (`public -> /srv/www`, a common deploy
    set-up) the build goes through it: staging, lock and swap happen beside
    the link's target, which is replaced, and the link stays as it was.
    A non-empty folder without the MARKER file was not written by a build:
    it is replaced only with `force`.
    """

    def __init__(self, out_dir: str, force: bool = False) -> None:
        self.named = out_dir
        self.out_dir = os.path.realpath(out_dir)
        self.force = force
        parent, name = os.path.split(self.out_dir)
        self.parent = parent
        self.staging = os.path.join(parent, f".{name}.staging-{os.getpid()}")
        self._stale_pattern = os.path.join(parent, f".{name}.staging-*")
        self._lock = OutputLock(out_dir)
        super().__init__()

    parallel = True  # worker processes may write into the staging folder at once
    full = True

    def __enter__(self) -> StagedOutput:
        self._refuse_foreign_folder()
        self._lock.__enter__()
        try:
            # Holding the lock, any staging folder left here is from a build that died
            # (its children die with it, so nothing writes into it any more).
            for stale in glob.glob(self._stale_pattern):
                shutil.rmtree(stale, ignore_errors=True)
            self._guard(os.makedirs, self.staging)
            self._guard(_write_file, os.path.join(self.staging, MARKER), MARKER_TEXT)
        except OutputError:
            self.__exit__(None, None, None)
            raise
        return self

    def _refuse_foreign_folder(self) -> None:
        if self.force or not os.path.isdir(self.out_dir) or os.path.isfile(os.path.join(self.out_dir, MARKER)):
            return
        try:
            empty = not os.listdir(self.out_dir)
        except OSError as exc:
            raise OutputError(f"cannot read {self.named}: {exc.strerror}") from None
        if not empty:
            where = self.named if self.out_dir == os.path.abspath(self.named) else f"{self.named} ({self.out_dir})"
            raise OutputRefused(
                f"{where} holds files that no build wrote (it has no {MARKER} file), and a build replaces the "
                f"folder whole: choose another --out, or pass --force to replace {where} and everything in it"
            )

    def __exit__(self, *exc_info) -> None:
        if os.path.exists(self.staging):
            shutil.rmtree(self.staging, ignore_errors=True)
        self._lock.__exit__(*exc_info)

    def write(self, relpath: str, data: bytes | Iterable[bytes]) -> bytes:
        """Write one file of the site; the digest of its bytes."""
        path = os.path.join(self.staging, relpath)
        if isinstance(data, bytes):
            self._guard(_write_file, path, data)
            return digest(data)
        pieces, finished = hashing(data)
        self._guard(_write_file, path, pieces)
        return finished()

    def copy_tree(self, source_dir: str, relpath: str = "") -> None:
        target = os.path.join(self.staging, relpath)
        self._guard(shutil.copytree, source_dir, target, dirs_exist_ok=True)

    def copy_file(self, source: str, relpath: str) -> None:
        target = os.path.join(self.staging, relpath)
        self._guard(os.makedirs, os.path.dirname(target), exist_ok=True)
        try:
            self._guard(files.copy_file, source, target, MAX_STATIC_BYTES)
        except files.UnreadableFile as exc:
            raise OutputError(
                f"cannot copy {os.path.relpath(source)}: it {exc}; {os.path.relpath(self.out_dir)} was left as it was"
            ) from None

    def commit(self) -> None:
        """Swap the finished folder in with one rename; the old one is removed after."""
        if not os.path.exists(self.out_dir):
            self._guard(os.rename, self.staging, self.out_dir)
            return
        if not os.path.isdir(self.out_dir):
            raise OutputError(f"{os.path.relpath(self.out_dir)} exists and is not a folder: move it away")
        self._guard(swap_folders, self.staging, self.out_dir)
        shutil.rmtree(self.staging, ignore_errors=True)

    def _guard(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except OSError as exc:
            reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
            raise OutputError(
                f"cannot write the site ({reason}: {exc.filename or self.staging}); "
                f"{os.path.relpath(self.out_dir)} was left as it was"
            ) from None


class LiveOutput(_Reservations):
    """A rebuild's output: files replaced one by one in the live folder, only where their bytes changed.

    Readers (the preview's) see each file old or new, never half. `digests`
    holds the digest of every file the last build wrote, and is kept up to date.
    """

    parallel = False  # `written` and `digests` are this process's
    full = False

    def __init__(self, out_dir: str, digests: dict[str, bytes]) -> None:
        super().__init__()
        self.out_dir = out_dir
        self.digests = digests
        self.written: list[str] = []  # paths whose bytes changed, or that went
        self._lock = OutputLock(out_dir)

    def __enter__(self) -> LiveOutput:
        self._lock.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._lock.__exit__(*exc_info)

    def write(self, relpath: str, data: bytes | Iterable[bytes]) -> bytes:
        if isinstance(data, bytes):
            new = digest(data)
            if self.digests.get(relpath) != new:
                self._guard(replace_file, self.out_dir, relpath, data)
                self._changed(relpath, new)
            return new
        # Written aside and hashed in one pass; kept only if the bytes changed.
        pieces, finished = hashing(data)
        if self._guard(
            replace_file, self.out_dir, relpath, pieces, keep_old_if=lambda: finished() == self.digests.get(relpath)
        ):
            self._changed(relpath, finished())
        return finished()

    def copy_file(self, source: str, relpath: str) -> None:
        try:
            data = files.read_bytes(source, MAX_STATIC_BYTES)
        except files.UnreadableFile as exc:
            raise OutputError(f"cannot copy {os.path.relpath(source)}: it {exc}") from None
        self.write(relpath, data)

    def remove(self, relpath: str) -> None:
        """Remove a file no longer built, and the folders it leaves empty up to the first still in use."""
        path = os.path.join(self.out_dir, relpath)
        self.digests.pop(relpath, None)
        if not os.path.exists(path):
            return
        self._guard(os.remove, path)
        self.written.append(relpath)
        folder = os.path.dirname(path)
        while os.path.normpath(folder) != os.path.normpath(self.out_dir):
            try:
                os.rmdir(folder)
            except OSError:
                break
            folder = os.path.dirname(folder)

    def commit(self) -> None:
        """Nothing to swap: every file went in as it was written."""

    def _changed(self, relpath: str, new: bytes) -> None:
        self.digests[relpath] = new
        self.written.append(relpath)

    def _guard(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except OSError as exc:
            reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
            raise OutputError(f"cannot update the site ({reason}: {exc.filename or self.out_dir})") from None


def digest(data: bytes) -> bytes:
    """What tells two versions of a file apart, kept for every file a build writes."""
    return hashlib.blake2b(data, digest_size=16).digest()


def hashing(pieces: Iterable[bytes]) -> tuple[Iterator[bytes], Callable[[], bytes]]:
    """The same pieces, and their digest as `digest` gives it (call it once they have all gone through)."""
    hasher = hashlib.blake2b(digest_size=16)

    def hashed():
        for piece in pieces:
            hasher.update(piece)
            yield piece

    return hashed(), hasher.digest


def swap_folders(new: str, current: str) -> None:
    """`new` takes `current`'s place in one step; the old content ends up at `new`."""
    if _exchange(new, current):
        return
    old = new + ".old"
    os.rename(current, old)
    os.rename(new, current)
    os.rename(old, new)


def replace_file(
    out_dir: str, relpath: str, data: bytes | Iterable[bytes], keep_old_if: Callable[[], bool] | None = None
) -> bool:
    """Write one file in a live output folder: readers see the old or the new, never half.

    `keep_old_if`, asked once the new bytes are written aside, may keep the
    old file (when the new bytes turn out the same); whether it was replaced.
    """
    path = os.path.join(out_dir, relpath)
    temporary = f"{path}.{os.getpid()}.tmp"
    _write_file(temporary, data)
    if keep_old_if is not None and keep_old_if():
        os.remove(temporary)
        return False
    os.replace(temporary, path)
    return True


def _write_file(path: str, data: bytes | Iterable[bytes]) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        if isinstance(data, bytes):
            f.write(data)
        else:
            f.writelines(data)


def _exchange(a: str, b: str) -> bool:
    """Atomically swap two paths (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OutputError(f"cannot swap in the new site: {os.strerror(err)}")

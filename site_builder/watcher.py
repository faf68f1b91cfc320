"""The preview's file watcher: which files were added, changed or removed under some folders.

On Linux the kernel says so (inotify, through ctypes: no dependency), within
milliseconds of a save and without looking at the other files; elsewhere, or
where inotify cannot be had (its watches used up, a system without it), the
folders are scanned over and over and compared by modification time and size.
A scan of 10,000 claims and their archived texts takes about 0.1 s, so the
polling watcher spaces its scans out to keep them under a fifth of a core,
and notices a save up to a second late; inotify notices it at once.

Both skip hidden files and folders, as the content reader does: editors'
swap files are hidden. Both report the paths themselves, so that a file
saved twice within one clock tick (same size, same modification time) is
still read again (pipeline.read_content's `touched`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import select
import struct
import sys
import threading
import time

POLL_SECONDS = 0.25  # how often the folders are scanned while nothing changes
POLL_SHARE = 0.2  # at most this share of one CPU goes to scanning (a large archive scans slower)
SETTLE_SECONDS = 0.1  # a save often touches several files: wait until they are all written
SETTLE_POLL_SECONDS = 0.05
# The kernel reports each write as it happens: this long without an event ends a save.
INOTIFY_SETTLE_SECONDS = 0.05
INOTIFY_IDLE_SECONDS = 0.25  # how often a waiting watcher looks at `stop` and at folders not there yet

# <sys/inotify.h>
_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF = 0x400, 0x800
_IN_Q_OVERFLOW, _IN_IGNORED, _IN_ISDIR = 0x4000, 0x8000, 0x40000000
_MASK = (
    _IN_MODIFY
    | _IN_ATTRIB
    | _IN_CLOSE_WRITE
    | _IN_MOVED_FROM
    | _IN_MOVED_TO
    | _IN_CREATE
    | _IN_DELETE
    | _IN_DELETE_SELF
    | _IN_MOVE_SELF
)
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name, NUL-padded


def Watcher(folders, poll: bool = False):  # noqa: N802 (it stands for the class a caller gets)
    """A watcher of `folders`: the kernel's where it can be had, otherwise (or with `poll`) a polling one."""
    if not poll:
        try:
            return InotifyWatcher(folders)
        except NoInotify:
            pass
    return PollingWatcher(folders)


class NoInotify(Exception):
    """inotify is missing, or refused a watch (no more watches allowed): the watcher polls instead."""


class PollingWatcher:
    """Notices changes by scanning: the same behaviour on every file system (network drives, bind mounts)."""

    kind = "polling"

    def __init__(self, folders) -> None:
        self.folders: set[str] = set()
        self.files: dict[str, tuple[int, int]] = {}
        self.watch_also(folders)

    def watch_also(self, folders) -> None:
        """Add folders; what they hold now is the baseline, not a change."""
        for folder in sorted(set(folders) - self.folders):
            self.folders.add(folder)
            _scan(folder, self.files)

    def changes(self) -> set[str]:
        """Paths added, changed or removed since the last call."""
        current: dict[str, tuple[int, int]] = {}
        try:
            for folder in sorted(self.folders):
                _scan(folder, current)
        except _OutOfFiles:
            # Files that could not be opened are not files removed: look again at the next poll.
            return set()
        changed = {path for path in current.keys() | self.files.keys() if current.get(path) != self.files.get(path)}
        self.files = current
        return changed

    def wait_for_changes(self, stop: threading.Event) -> set[str]:
        """Block until files changed and then stayed as they are for SETTLE_SECONDS.

        Returns the changed paths, or an empty set once `stop` is set.
        """
        changed: set[str] = set()
        last_change = 0.0
        while not stop.is_set():
            started = time.monotonic()
            fresh = self.changes()
            now = time.monotonic()
            if fresh:
                changed |= fresh
                last_change = now
            elif changed and now - last_change >= SETTLE_SECONDS:
                return changed
            scan = now - started
            stop.wait(max(SETTLE_POLL_SECONDS if changed else POLL_SECONDS, scan / POLL_SHARE - scan))
        return set()

    def close(self) -> None:
        pass


class InotifyWatcher:
    """Notices changes as the kernel reports them: one watch a folder, new folders watched as they appear.

    Folders not there yet (an archive's own templates/) are looked for every
    INOTIFY_IDLE_SECONDS; once one appears, everything in it is a change. If
    the kernel's queue overflows, the folders are scanned and compared as the
    polling watcher does, so nothing is missed.
    """

    kind = "inotify"

    def __init__(self, folders) -> None:
        self._libc = _libc()
        self.fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise NoInotify(os.strerror(ctypes.get_errno()))
        self.folders: set[str] = set()
        self.files: dict[str, tuple[int, int]] = {}
        self._paths: dict[int, str] = {}  # watch descriptor -> folder
        self._missing: set[str] = set()  # watched folders that are not there (yet)
        try:
            self.watch_also(folders)
        except BaseException:
            self.close()
            raise

    def watch_also(self, folders) -> None:
        """Add folders; what they hold now is the baseline, not a change."""
        for folder in sorted(set(folders) - self.folders):
            self.folders.add(folder)
            if os.path.isdir(folder):
                self._watch_tree(folder)
            else:
                self._missing.add(folder)

    def changes(self) -> set[str]:
        """Paths added, changed or removed since the last call (events already queued; never blocks)."""
        changed: set[str] = set()
        overflow = False
        for wd, mask, name in self._events():
            if mask & _IN_Q_OVERFLOW:
                overflow = True
                continue
            folder = self._paths.get(wd)
            if folder is None:
                continue
            if mask & _IN_IGNORED:  # the folder went, and its watch with it
                del self._paths[wd]
                continue
            if not name:
                if mask & (_IN_DELETE_SELF | _IN_MOVE_SELF) and folder in self.folders:
                    changed |= self._forget(folder)
                    self._missing.add(folder)
                continue
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            if mask & _IN_ISDIR:
                if mask & (_IN_DELETE | _IN_MOVED_FROM):
                    changed |= self._forget(path)
                if mask & (_IN_CREATE | _IN_MOVED_TO):
                    changed |= self._watch_tree(path)
                continue
            changed.add(path)
            signature = _signature(path)
            if signature is None:
                self.files.pop(path, None)
            else:
                self.files[path] = signature
        for folder in sorted(self._missing):
            if os.path.isdir(folder):
                self._missing.discard(folder)
                changed |= self._watch_tree(folder)
        if overflow:
            changed |= self._rescan()
        return changed

    def wait_for_changes(self, stop: threading.Event) -> set[str]:
        """Block until files changed and no event came for INOTIFY_SETTLE_SECONDS; empty once `stop` is set."""
        changed: set[str] = set()
        while not stop.is_set():
            wait = INOTIFY_SETTLE_SECONDS if changed else INOTIFY_IDLE_SECONDS
            try:
                ready, _, _ = select.select([self.fd], [], [], wait)
            except InterruptedError:
                continue
            fresh = self.changes()
            if fresh:
                changed |= fresh
            elif changed and not ready:
                return changed
        return set()

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def _events(self):
        data = b""
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            data += chunk
        offset = 0
        while offset + _EVENT.size <= len(data):
            wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
            offset += _EVENT.size
            name = os.fsdecode(data[offset : offset + length].rstrip(b"\0"))
            offset += length
            yield wd, mask, name

    def _watch_tree(self, folder: str) -> set[str]:
        """Watch `folder` and every folder below it; the files it holds (each a change, if it is new)."""
        # Watched before it is listed: a file written in between is listed, or reported, or both.
        wd = self._libc.inotify_add_watch(self.fd, os.fsencode(folder), _MASK)
        if wd < 0:
            error = ctypes.get_errno()
            if error in (errno.ENOENT, errno.ENOTDIR):  # gone again already
                return set()
            raise NoInotify(f"cannot watch {folder}: {os.strerror(error)}")
        self._paths[wd] = folder
        found: set[str] = set()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return found
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    found |= self._watch_tree(entry.path)
                else:
                    stat = entry.stat()
                    self.files[entry.path] = (stat.st_mtime_ns, stat.st_size)
                    found.add(entry.path)
            except OSError:
                continue
        return found

    def _forget(self, folder: str) -> set[str]:
        """The files known under a folder that went (removed or moved away): each a change."""
        below = folder + os.sep
        gone = {path for path in self.files if path.startswith(below)}
        for path in gone:
            del self.files[path]
        for wd, path in list(self._paths.items()):
            if path == folder or path.startswith(below):
                del self._paths[wd]
                self._libc.inotify_rm_watch(self.fd, wd)  # moved away, it would still report
        return gone

    def _rescan(self) -> set[str]:
        """After lost events: every folder watched again and compared with what was known."""
        before = self.files
        self.files = {}
        for folder in sorted(self.folders):
            if os.path.isdir(folder):
                self._watch_tree(folder)
        return {path for path in before.keys() | self.files.keys() if before.get(path) != self.files.get(path)}


def _libc():
    if not sys.platform.startswith("linux"):
        raise NoInotify("inotify is Linux's")
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.inotify_init1.argtypes = [ctypes.c_int]
        libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        libc.inotify_rm_watch.argtypes = [ctypes.c_int, ctypes.c_int]
    except (OSError, AttributeError) as exc:
        raise NoInotify(str(exc)) from None
    return libc


def _signature(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


class _OutOfFiles(Exception):
    """The process may open no more files for now (EMFILE, ENFILE)."""


def _scan(folder: str, into: dict[str, tuple[int, int]]) -> None:
    try:
        entries = os.scandir(folder)
    except OSError as exc:  # not there (yet), or removed while scanning
        if exc.errno in (errno.EMFILE, errno.ENFILE):
            raise _OutOfFiles() from exc
        return
    with entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    _scan(entry.path, into)
                else:
                    stat = entry.stat()
                    into[entry.path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue

"""Reading and copying the archive's files: regular files only, inside the site, of bounded size.

Every file the build reads or copies from an archive (content, static,
templates, locales, archived texts, logos) comes through here, so one rule
decides what may be read. A named pipe never ends a read and a character
device never ends a copy (/dev/zero filled 9 GB of staging), so a file is
opened without blocking and judged by what the open descriptor is, not by
a check before the open that a swapped file could get past.
"""

from __future__ import annotations

import os
import stat

CHUNK = 1024 * 1024
# Folders of static/ whose dot names the web expects (RFC 8615: security.txt, ACME).
PUBLISHED_DOT_FOLDERS = {".well-known"}


class UnreadableFile(Exception):
    """A file that must not be read: not a regular file, too large, or unreadable; the reason in words."""


def kind_of(mode: int) -> str:
    """What a stat mode is, in an editor's words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a regular file" if stat.S_ISREG(mode) else "not a file"


def path_problem(written: str) -> str | None:
    """Why a path written in the content may not name an archive's file; None if it may.

    NUL cannot be in a file name (the system refuses it); a component
    starting with '.' is how secrets are kept (.git/config, .env, .venv).
    """
    if "\x00" in written:
        return "contains a NUL character, which no file name can hold: retype the path"
    hidden = hidden_part(written)
    if hidden is not None:
        return (
            f"goes through '{hidden}', whose name starts with '.': such files and folders are kept "
            "private (.git, .env) and are never published; move the file to a folder without a leading '.'"
        )
    return None


def hidden_part(relpath: str, allowed: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The first component of `relpath` whose name starts with '.' (not '.' or '..' themselves), if any."""
    for part in relpath.replace("\\", "/").split("/"):
        if part.startswith(".") and part not in (".", "..") and part not in allowed:
            return part
    return None


def inside(path: str, folder: str) -> bool:
    """Whether the real path `path` is `folder` or below it (both already resolved)."""
    return os.path.commonpath([path, folder]) == folder


def _open(path: str) -> tuple[int, os.stat_result]:
    """A descriptor on a regular file; UnreadableFile for anything else."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would wait for ever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UnreadableFile("does not exist") from None
    except OSError as exc:
        # A socket cannot be opened at all (ENXIO): say what it is, not only that it failed.
        raise UnreadableFile(regular_file_problem(path) or f"cannot be read ({exc.strerror})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise UnreadableFile(f"is {kind_of(info.st_mode)}, not a regular file")
    return fd, info


def read_bytes(path: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; UnreadableFile (with why) otherwise."""
    fd, info = _open(path)
    with os.fdopen(fd, "rb") as f:
        if info.st_size > max_bytes:
            raise UnreadableFile(f"is larger than {_size(max_bytes)}")
        data = f.read(max_bytes + 1)  # the size may have grown since fstat
    if len(data) > max_bytes:
        raise UnreadableFile(f"is larger than {_size(max_bytes)}")
    return data


def copy_file(source: str, target: str, max_bytes: int) -> None:
    """Copy a regular file of at most `max_bytes` to `target`; UnreadableFile otherwise.

    OSError from writing `target` passes through: that is the output's problem.
    """
    fd, info = _open(source)
    with os.fdopen(fd, "rb") as f:
        if info.st_size > max_bytes:
            raise UnreadableFile(f"is larger than {_size(max_bytes)}")
        copied = 0
        with open(target, "wb") as out:
            while chunk := f.read(CHUNK):
                copied += len(chunk)
                if copied > max_bytes:
                    raise UnreadableFile(f"is larger than {_size(max_bytes)}")
                out.write(chunk)


def regular_file_problem(path: str) -> str | None:
    """Why `path` (links followed) is not a regular file to read, or None: for listings, before any open."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "does not exist"
    except (OSError, ValueError) as exc:
        return f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    return None if stat.S_ISREG(mode) else f"is {kind_of(mode)}, not a regular file"


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


# The folder holding this tool: its templates, and the generated files `build.py generate` writes.
TOOL_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def site_root(content_dir: str) -> str:
    """The folder that holds content/: paths written in content, templates/, static/ and .cache/ are below it."""
    return os.path.dirname(os.path.abspath(content_dir))

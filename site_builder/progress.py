"""Progress of a long build, shown on a terminal and nowhere else.

On a terminal one line on stderr is rewritten in place (`render 1200/4800`)
so an editor can see a large build is moving. In CI, in a pipe or in a log
file nothing is written: logs keep only the summary the command prints.

The pipeline calls `progress.stage("render", done, total)` as work advances
and `progress.clear()` before printing anything else.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

REDRAW_SECONDS = 0.1  # a faster redraw only costs time; the eye cannot follow it


class Progress:
    def __init__(self, stream: TextIO | None = None, environ=None, clock=time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        environ = os.environ if environ is None else environ
        self.enabled = _is_terminal(self.stream) and not environ.get("CI")
        self.clock = clock
        self._shown = 0  # width of the line on screen, to blank it out
        self._last_draw = float("-inf")

    def stage(self, name: str, done: int, total: int) -> None:
        """Report `done` of `total` items of stage `name`; redrawn at most every REDRAW_SECONDS."""
        if not self.enabled:
            return
        now = self.clock()
        if done < total and now - self._last_draw < REDRAW_SECONDS:
            return
        self._last_draw = now
        self._draw(f"{name} {done}/{total}")

    def clear(self) -> None:
        """Remove the progress line so the next output starts on a clean line."""
        if self.enabled and self._shown:
            self._draw("")

    def _draw(self, text: str) -> None:
        padding = " " * max(0, self._shown - len(text))
        self.stream.write(f"\r{text}{padding}\r{text}" if padding else f"\r{text}")
        self.stream.flush()
        self._shown = len(text)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


_default: Progress | None = None


def _reporter() -> Progress:
    """The reporter on the current stderr (tests and servers may swap it)."""
    global _default
    if _default is None or _default.stream is not sys.stderr:
        _default = Progress()
    return _default


def stage(name: str, done: int, total: int) -> None:
    """`Progress.stage` on the current stderr."""
    _reporter().stage(name, done, total)


def clear() -> None:
    _reporter().clear()

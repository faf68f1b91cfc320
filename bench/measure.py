"""Running one command and measuring it: wall time, peak memory, stage timings."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# The stage lines of `build.py build -v` and of bench.floor: "  read         0.001 s".
_STAGE_LINE = re.compile(r"^ +(\S+) +(\d+\.\d+) s$", re.MULTILINE)


@dataclass
class Run:
    seconds: float  # wall clock, from start to exit, interpreter start-up included
    max_rss: int  # bytes: the peak of the process or of any child it waited for
    stages: dict[str, float]
    stdout: str


class CommandFailed(Exception):
    def __init__(self, command: list[str], returncode: int, output: str) -> None:
        super().__init__(f"{' '.join(command)} exited with {returncode}")
        self.output = output


def run_measured(command: list[str], cwd: Path) -> Run:
    # Output goes to files, not pipes, so the child never blocks on a full pipe
    # while we sit in wait4.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        # wait4 gives this child's own rusage; RUSAGE_CHILDREN would give the
        # largest of every child this process has had, earlier runs included.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise CommandFailed(command, process.returncode, stdout + stderr)
    stages = {name: float(value) for name, value in _STAGE_LINE.findall(stdout)}
    return Run(seconds, usage.ru_maxrss * 1024, stages, stdout)  # Linux counts ru_maxrss in KiB


def folder_bytes(folder: Path) -> int | None:
    """Total size of the files below `folder`; None if it does not exist."""
    if not folder.is_dir():
        return None
    total = 0
    for root, _, files in os.walk(folder):
        total += sum(os.lstat(os.path.join(root, name)).st_size for name in files)
    return total

"""Running one command and measuring it: wall time, peak memory, stage timings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The stage lines of `build.py build -v` and of bench.floor: "  read         0.001 s".
_STAGE_LINE = re.compile(r"^ +(\S+) +(\d+\.\d+) s$", re.MULTILINE)
# The peak memory lines `build.py build -v` writes to stderr: "  memory.main   123.4 MiB".
_MEMORY_LINE = re.compile(r"^ +memory\.(\S+) +(\d+\.\d+) MiB$", re.MULTILINE)

# Linux carries a process's peak RSS into every child it starts (exec keeps
# the larger of the two), so a command started from this process, grown by
# generating a corpus or by the in-process incremental builds, would report
# at least our own peak. This launcher starts it instead, from a fresh
# interpreter of about 10 MiB, and reports the command's rusage and time.
_LAUNCHER = """\
import os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss} {seconds}")
"""


@dataclass
class Run:
    seconds: float  # wall clock, from start to exit, interpreter start-up included
    max_rss: int  # bytes: the peak of the process or of any child it waited for
    stages: dict[str, float]
    memory: dict[str, int]  # bytes, as the command reported them (`build.py build -v` only)
    stdout: str


class CommandFailed(Exception):
    def __init__(
        self, command: list[str], returncode: int, output: str, max_rss: int | None = None, seconds: float | None = None
    ) -> None:
        # A negative code is the signal that ended it (-9: SIGKILL, as the kernel's OOM killer sends).
        super().__init__(f"{' '.join(command)} exited with {returncode}")
        self.output, self.returncode, self.max_rss, self.seconds = output, returncode, max_rss, seconds


def run_measured(command: list[str], cwd: Path) -> Run:
    # Output goes to files, not pipes, so the child never blocks on a full pipe.
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", prefix="bench-rusage-") as measured,
    ):
        launcher = subprocess.run(
            [sys.executable, "-S", "-c", _LAUNCHER, measured.name, *command], cwd=cwd, stdout=out, stderr=err
        )
        report = measured.read().split()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if not report:  # the launcher itself failed: the command could not be started
        raise CommandFailed(command, launcher.returncode, stdout + stderr)
    returncode, max_rss_kib, seconds = int(report[0]), int(report[1]), float(report[2])
    if returncode != 0:
        raise CommandFailed(command, returncode, stdout + stderr, max_rss_kib * 1024, seconds)
    stages = {name: float(value) for name, value in _STAGE_LINE.findall(stdout)}
    memory = {name: round(float(mib) * 2**20) for name, mib in _MEMORY_LINE.findall(stderr)}
    return Run(seconds, max_rss_kib * 1024, stages, memory, stdout)  # Linux counts ru_maxrss in KiB


def folder_bytes(folder: Path) -> int | None:
    """Total size of the files below `folder`; None if it does not exist."""
    return folder_stats(folder)[0]


def folder_stats(folder: Path) -> tuple[int | None, int | None]:
    """Total size and number of the files below `folder`; (None, None) if it does not exist."""
    if not folder.is_dir():
        return None, None
    total = count = 0
    for root, _, files in os.walk(folder):
        total += sum(os.lstat(os.path.join(root, name)).st_size for name in files)
        count += len(files)
    return total, count

"""Crashes and concurrency: a build killed at any moment, or racing another, costs no published page.

The output folder always holds one complete build, the one before or the
new one, never a mix, and a server keeps serving it throughout; the next
build clears what a killed one left and succeeds; two builds at once do not
interleave; a disk or permission failure is one clear message, exit 3, and
the old site untouched.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import fcntl
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sites import minimal_site, tree_snapshot
from tools import serving
from trust import BUILD_PY, REPO_ROOT, kill_group, run_build, site_differences, site_files

from bench.corpus import generate_corpus

# The fewest claims that make over 400 files and pages (230 + 115 + 11 + 50
# files), so that validation and rendering fork workers, as for real archives.
CLAIMS = 230
SEED = 20210905
KILLS = 15


def start_build(content: Path, out: Path, keep_output: bool = True) -> subprocess.Popen:
    """A build in a process group of its own, so the test can end all it started.

    Without `keep_output`, its output goes nowhere: what a killed build forked
    would otherwise hold the pipes open, and reading them would wait for it.
    """
    where = subprocess.PIPE if keep_output else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, str(BUILD_PY), "build", "--content", str(content), "--out", str(out)],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=where,
        stderr=where,
        text=True,
        start_new_session=True,
    )


def staging_folders(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(f".{out.name}.staging-*"))


def lock_is_free(out: Path) -> bool:
    with open(out.parent / f".{out.name}.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        fcntl.flock(lock, fcntl.LOCK_UN)
        return True


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> dict[str, Path]:
    """Two versions of a generated archive: b has some claims' dates changed, so every build shows which it is."""
    root = tmp_path_factory.mktemp("crash")
    generate_corpus(CLAIMS, SEED, root / "a")
    shutil.copytree(root / "a", root / "b")
    for path in sorted((root / "b/content/claims").glob("*.yaml"))[:5]:
        path.write_text(re.sub(r"(?m)^date: \d{4}-\d{2}-\d{2}$", "date: 2020-02-29", path.read_text()))
    return {"a": root / "a/content", "b": root / "b/content"}


@pytest.fixture(scope="module")
def snapshots(archives, tmp_path_factory) -> dict[str, tuple[dict, float]]:
    """Each version built once, and how long a whole build took."""
    found = {}
    for name, content in archives.items():
        out = tmp_path_factory.mktemp(f"reference-{name}") / "public"
        run = run_build(REPO_ROOT, "build", "--content", str(content), "--out", str(out), timeout=120)
        assert run.code == 0, run.shown()
        found[name] = (site_files(out), run.seconds)
    assert site_differences(found["a"][0], found["b"][0]), "the two versions must build differently"
    return found


class Poller:
    """Requests a few pages over and over from a server of the output; keeps every failure."""

    def __init__(self, base: str, paths: list[str]) -> None:
        self.urls = [base + path for path in paths]
        self.failures: list[str] = []
        self.requests = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for url in self.urls:
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        response.read()
                except (urllib.error.URLError, OSError) as exc:
                    self.failures.append(f"{url}: {exc}")
                self.requests += 1
            time.sleep(0.05)

    def __enter__(self) -> Poller:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def test_a_build_killed_at_any_moment_leaves_one_complete_site_served(archives, snapshots, tmp_path):
    out = tmp_path / "public"
    for relpath, data in snapshots["a"][0].items():  # the first good build, as built for the snapshot
        (out / relpath).parent.mkdir(parents=True, exist_ok=True)
        (out / relpath).write_bytes(data)
    full_build = max(seconds for _, seconds in snapshots.values())
    rng = random.Random(SEED)
    current, lock_held = "a", []
    pages = [
        "",
        "claims/",
        "feed.xml",
        next(p for p in snapshots["a"][0] if p.startswith("claims/") and p.count("/") == 2).removesuffix("index.html"),
    ]
    with serving(out) as base, Poller(base, pages) as poller:
        for kill in range(KILLS):
            target = "b" if current == "a" else "a"
            delay = rng.uniform(0, full_build)
            build = start_build(archives[target], out, keep_output=False)
            try:
                time.sleep(delay)
                os.kill(build.pid, signal.SIGKILL)  # the build only, as the OOM killer or `kill -9 PID` would
                build.wait()
                now = site_files(out)
                differences = {name: site_differences(now, snapshots[name][0]) for name in ("a", "b")}
                closest = min(differences, key=lambda name: len(differences[name]))
                assert not differences[closest], (
                    f"kill {kill} after {delay:.2f} s (building {target}) left a site that is neither build; "
                    f"it differs from build {closest} in:\n" + "\n".join(differences[closest][:20])
                )
                current = closest
                # What the killed build forked may finish its piece; it must not keep the output locked.
                deadline = time.monotonic() + 3
                while not lock_is_free(out) and time.monotonic() < deadline:
                    time.sleep(0.05)
                if not lock_is_free(out):
                    lock_held.append(f"kill {kill} after {delay:.2f} s")
            finally:
                kill_group(build.pid)
        (out.parent / f".{out.name}.staging-999999").mkdir()  # and one from a build long gone
        final = run_build(REPO_ROOT, "build", "--content", str(archives["a"]), "--out", str(out), timeout=120)
    assert lock_held == [], "the output stayed locked after its build was killed: " + ", ".join(lock_held)
    assert final.code == 0, final.shown()
    assert site_differences(out, snapshots["a"][0]) == []
    assert staging_folders(out) == []
    assert poller.requests > 50 and poller.failures == [], poller.failures[:5]


def test_two_builds_started_at_once_do_not_interleave(archives, snapshots, tmp_path):
    out = tmp_path / "public"
    builds = [start_build(archives["a"], out) for _ in range(2)]
    results = []
    for build in builds:
        _, stderr = build.communicate(timeout=120)
        results.append((build.returncode, stderr))
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 3]), results
    for code, stderr in results:
        assert "Traceback" not in stderr
        if code == 3:
            assert "another build is writing" in stderr, stderr
    assert site_differences(out, snapshots["a"][0]) == []
    assert staging_folders(out) == []


def test_a_build_started_while_another_writes_gets_the_lock_message_and_exit_3(archives, snapshots, tmp_path):
    out = tmp_path / "public"
    small = tmp_path / "small"
    minimal_site(small)
    first = start_build(archives["a"], out)
    try:
        deadline = time.monotonic() + 60
        while not staging_folders(out):  # the first build holds the lock while it writes
            assert first.poll() is None and time.monotonic() < deadline, "the first build never started writing"
            time.sleep(0.005)
        second = run_build(REPO_ROOT, "build", "--content", str(small / "content"), "--out", str(out), timeout=60)
        _, stderr = first.communicate(timeout=120)
    finally:
        kill_group(first.pid)
    assert first.returncode == 0, stderr
    assert second.code == 3, second.shown()
    assert second.err == [
        f"build.py: error: another build is writing {os.path.relpath(out, REPO_ROOT)} right now; "
        "wait for it to finish and run this one again"
    ]
    assert site_differences(out, snapshots["a"][0]) == []


# -- the disk or the system refusing a write ---------------------------------------


@contextlib.contextmanager
def disk_full_after(files: int):
    """Every write into a staging folder after the first `files` fails as a full disk does."""
    real_open = builtins.open
    written = 0

    def open_(file, mode="r", *args, **kwargs):
        nonlocal written
        if ".staging-" in str(file) and any(m in mode for m in "wax"):
            written += 1
            if written > files:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
        return real_open(file, mode, *args, **kwargs)

    builtins.open = open_
    try:
        yield
    finally:
        builtins.open = real_open


@pytest.mark.parametrize("files", [0, 3, 12])
def test_a_full_disk_is_one_message_exit_3_and_the_old_site_kept(tmp_path, files):
    site = minimal_site(tmp_path)
    assert site.run("build").code == 0
    before = tree_snapshot(tmp_path / "public")
    with disk_full_after(files):
        result = site.run("build")
    assert result.code == 3, result.err
    assert len(result.err) == 1 and result.err[0].startswith(
        "build.py: error: cannot write the site (the disk is full"
    ), result.err
    assert result.err[0].endswith("public was left as it was")
    assert tree_snapshot(tmp_path / "public") == before
    assert staging_folders(tmp_path / "public") == []


@contextlib.contextmanager
def unchangeable(path: Path):
    """The system refuses to rename or change `path`, even to root (an immutable folder)."""
    if os.geteuid() != 0:
        path.parent.chmod(0o555)
        try:
            yield
        finally:
            path.parent.chmod(0o755)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("this file system cannot make a folder immutable (chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_permission_error_at_the_swap_is_one_message_exit_3_and_the_old_site_kept(tmp_path):
    site = minimal_site(tmp_path)
    assert site.run("build").code == 0
    before = tree_snapshot(tmp_path / "public")
    with unchangeable(tmp_path / "public"):
        result = run_build(tmp_path, "build", timeout=60)
    assert result.code == 3, result.shown()
    assert len(result.err) == 1 and result.err[0].startswith("build.py: error: "), result.err
    assert "Traceback" not in "\n".join(result.err)
    assert tree_snapshot(tmp_path / "public") == before
    assert staging_folders(tmp_path / "public") == []


def test_an_output_folder_inside_a_file_is_one_message_exit_3(tmp_path):
    site = minimal_site(tmp_path, {"notes.txt": "not a folder\n"})
    result = site.run("build", "--out", "notes.txt/public")
    assert result.code == 3
    assert len(result.err) == 1 and result.err[0].startswith("build.py: error: cannot create"), result.err
    assert (tmp_path / "notes.txt").read_text() == "not a folder\n"

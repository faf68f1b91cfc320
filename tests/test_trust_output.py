"""The output folder: a build replaces only what a build wrote, and leaves nothing of itself behind.

`--out` that names the archive, a folder holding it or a folder inside it
is refused before anything is read (exit 2, both paths named); a non-empty
folder no build wrote is replaced only with --force; `public` as a link to
a deploy folder is built through; children die with a SIGKILLed build and
the next build clears its staging folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sites import minimal_site, tree_snapshot
from trust import REPO_ROOT, kill_group, run_build

from site_builder.writer import MARKER


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    """A minimal site built once: its output shows what a build writes."""
    root = tmp_path_factory.mktemp("built") / "site"
    assert minimal_site(root).run("build").code == 0
    return root / "public"


# -- --out that would replace the archive ----------------------------------------

# --out, and what the message must name besides it.
UNSAFE_OUTS = {
    "": None,
    ".": "the site's folder",
    "..": "the site's folder",
    "content": "the content folder",
    "content/claims": "the content folder",
    "templates": "templates/",
    "static/files": "static/",
    "locales": "locales/",
}


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize("out", UNSAFE_OUTS)
def test_an_output_folder_that_would_replace_the_archive_is_refused_with_exit_2(tmp_path, command, out):
    root = tmp_path / "site"
    site = minimal_site(
        root, {"templates/base.html": None, "static/files/a.txt": "a\n", "locales/README": "translations\n"}
    )
    (root / "templates").mkdir(exist_ok=True)
    before = tree_snapshot(tmp_path)
    result = site.run(command, "--out", out, *(["--port", "0"] if command == "serve" else []))
    assert result.code == 2, result.err
    assert len(result.err) == 1 and result.err[0].startswith("build.py: error: --out "), result.err
    if UNSAFE_OUTS[out]:
        assert (
            UNSAFE_OUTS[out] in result.err[0] and f"--out '{out}' ({os.path.abspath(root / out)})" in result.err[0]
        ), result.err
    assert tree_snapshot(tmp_path) == before


def test_an_output_folder_holding_the_working_directory_is_refused(tmp_path):
    root = tmp_path / "site"
    minimal_site(root)
    (tmp_path / "elsewhere/deeper").mkdir(parents=True)
    result = run_build(tmp_path / "elsewhere/deeper", "build", "--content", str(root / "content"), "--out", "..")
    assert result.code == 2, result.shown()
    assert "the working directory" in result.err[0] and str(tmp_path / "elsewhere/deeper") in result.err[0]
    assert (tmp_path / "elsewhere/deeper").is_dir()


def test_an_output_folder_beside_the_content_builds(tmp_path):
    """What the README and docs tell an editor to run, on a fresh clone (no public/ yet)."""
    site = minimal_site(tmp_path / "site")
    assert site.run("build").code == 0
    assert site.run("build", "--out", "preview").code == 0
    assert (tmp_path / "site/public/index.html").is_file() and (tmp_path / "site/preview/index.html").is_file()


# -- folders no build wrote ------------------------------------------------------


def test_a_build_marks_its_output_and_replaces_a_marked_folder(built_once):
    assert (built_once / MARKER).is_file()
    site = minimal_site(built_once.parent)
    (built_once / "left-over.html").write_text("from an earlier build\n")
    assert site.run("build").code == 0
    assert not (built_once / "left-over.html").exists() and (built_once / MARKER).is_file()


def test_a_folder_no_build_wrote_is_replaced_only_with_force(tmp_path):
    site = minimal_site(tmp_path)
    (tmp_path / "public").mkdir()
    (tmp_path / "public/thesis.docx").write_bytes(b"a year of work")
    result = site.run("build")
    assert result.code == 2, result.err
    assert "public" in result.err[0] and "--force" in result.err[0] and MARKER in result.err[0], result.err
    assert (tmp_path / "public/thesis.docx").read_bytes() == b"a year of work"
    assert list(tmp_path.glob(".public.*")) in ([], [tmp_path / ".public.lock"])
    forced = site.run("build", "--force")
    assert forced.code == 0, forced.err
    assert not (tmp_path / "public/thesis.docx").exists() and (tmp_path / "public" / MARKER).is_file()


def test_an_empty_folder_is_built_into(tmp_path):
    site = minimal_site(tmp_path)
    (tmp_path / "public").mkdir()
    assert site.run("build").code == 0
    assert (tmp_path / "public/index.html").is_file()


def test_the_preview_refuses_a_folder_no_build_wrote(tmp_path):
    site = minimal_site(tmp_path)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts/notes.txt").write_text("mine\n")
    result = site.run("serve", "--out", "drafts", "--port", "0")
    assert result.code == 2 and "--force" in result.err[-1], result.err
    assert (tmp_path / "drafts/notes.txt").read_text() == "mine\n"


# -- public as a link to the deploy folder -----------------------------------------


@pytest.mark.parametrize("target_exists", [True, False])
def test_an_output_folder_that_is_a_link_is_built_through(tmp_path, target_exists):
    site = minimal_site(tmp_path / "site")
    www = tmp_path / "srv/www"
    if target_exists:
        assert site.run("build", "--out", str(www)).code == 0  # deployed from an earlier build
        (www / "stale.html").write_text("gone after the next build\n")
    else:
        www.parent.mkdir(parents=True)
    (tmp_path / "site/public").symlink_to(www)
    for _ in range(2):
        result = site.run("build")
        assert result.code == 0, result.err
        assert (tmp_path / "site/public").is_symlink() and os.readlink(tmp_path / "site/public") == str(www)
        assert (www / "index.html").is_file() and (www / MARKER).is_file() and not (www / "stale.html").exists()
        leftovers = [
            p.name
            for p in [*(tmp_path / "site").iterdir(), *www.parent.iterdir()]
            if ".staging-" in p.name or p.name.endswith(".old")
        ]
        assert leftovers == []
        assert sorted(p.name for p in www.parent.iterdir()) == [".www.lock", "www"]


# -- children of a killed build ---------------------------------------------------


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent to read its status."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [pid for pid in pids if _alive(pid)]


# The parent prints its children's pids and kills itself with SIGKILL, as the OOM killer would.
PAGEFIND_ORPHAN = r"""
import os, signal, sys, time
from site_builder import search
search.get_executable = lambda: sys.argv[1]  # a Pagefind that takes its time
indexing = search.Indexing(sys.argv[2], "en")
while not indexing._runs:  # started by the indexing's own thread
    time.sleep(0.01)
print(indexing._runs[0].process.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""

WORKER_ORPHANS = r"""
import os, signal, time
from site_builder.parallel import run_chunked

def work(_, chunk):
    print(os.getpid(), flush=True)
    if chunk[0] == 0:
        time.sleep(0.5)
        os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(60)
    return []

list(run_chunked(work, list(range(800)), lambda: None, workers=2))
"""


@pytest.mark.parametrize("child", ["pagefind", "workers"])
def test_children_die_with_a_build_killed_alone(tmp_path, child):
    slow = tmp_path / "slow-pagefind"
    slow.write_text("#!/bin/sh\nexec sleep 60\n")
    slow.chmod(0o755)
    argv = (
        [sys.executable, "-c", PAGEFIND_ORPHAN, str(slow), str(tmp_path)]
        if child == "pagefind"
        else [sys.executable, "-c", WORKER_ORPHANS]
    )
    parent = subprocess.Popen(
        argv,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = parent.communicate(timeout=30)
        assert parent.returncode == -signal.SIGKILL
        children = [int(line) for line in out.split()]
        assert children, "the build started no child"
        assert _gone_within(children, 10) == [], "children outlived the build that started them"
    finally:
        kill_group(parent.pid)


def test_the_next_build_removes_a_killed_builds_staging_folder(tmp_path):
    site = minimal_site(tmp_path)
    stale = tmp_path / ".public.staging-4000000"
    (stale / "pagefind").mkdir(parents=True)
    (stale / "pagefind/half.pf_index").write_bytes(b"\0" * 10)
    assert site.run("build").code == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".public")) == [".public.lock"]


@pytest.mark.parametrize("target", [".", "content", "static"])
def test_an_output_link_to_the_archive_is_refused(tmp_path, target):
    root = tmp_path / "site"
    site = minimal_site(root, {"static/files/a.txt": "a\n"})
    (root / "public").symlink_to(root / target)
    before = tree_snapshot(root / "content")
    result = site.run("build")
    assert result.code == 2 and result.err[0].startswith("build.py: error: --out 'public' "), result.err
    assert str((root / target).resolve()) in result.err[0]
    assert tree_snapshot(root / "content") == before and (root / "public").is_symlink()

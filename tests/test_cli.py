"""The command line: commands, output lines and exit codes are the interface."""

from __future__ import annotations

import fcntl
import re

import pytest
from sites import CLAIM, CLAIM_PATH, PLACEHOLDER_WARNING, SOURCE, SOURCE_PATH, Site, minimal_site, tree_snapshot

from site_builder import cli, search

SUMMARY = re.compile(r"^built \d+ pages from 4 records into public in \d+\.\d\d s$")
BROKEN_CLAIM = CLAIM.replace("claimant: jane-roe", "claimant: jane-doe")


def test_no_command_means_build(tmp_path):
    default = minimal_site(tmp_path / "a").run()
    explicit = minimal_site(tmp_path / "b").run("build")
    assert (default.code, explicit.code) == (0, 0)
    assert SUMMARY.match(default.out[0]) and SUMMARY.match(explicit.out[0])
    # Pagefind's filter index lists filters in hash-map order (Pagefind issue #638), so
    # the search index differs between any two builds; the pages must not.
    pages = [tree_snapshot(tmp_path / name / "public") for name in "ab"]
    for snapshot in pages:
        assert "claims/bridge-finished-early/index.html" in snapshot
        for path in [p for p in snapshot if p.startswith("pagefind")]:
            del snapshot[path]
    assert pages[0] == pages[1]


def test_an_option_without_a_command_goes_to_build(tmp_path):
    result = minimal_site(tmp_path).run("--out", "site-out")
    assert result.code == 0, result.err
    assert (tmp_path / "site-out" / "index.html").is_file()
    assert not (tmp_path / "public").exists()


def test_a_build_prints_one_summary_line_and_nothing_else(tmp_path):
    result = minimal_site(tmp_path).run("build")
    assert result.code == 0
    assert len(result.out) == 1
    assert SUMMARY.match(result.out[0]), result.out
    assert result.err == [PLACEHOLDER_WARNING]


def test_verbose_also_prints_the_time_of_each_stage(tmp_path):
    result = minimal_site(tmp_path).run("build", "--verbose")
    assert result.code == 0
    assert SUMMARY.match(result.out[0])
    stages = result.out[1:]
    assert stages, "no stage times printed"
    for line in stages:
        assert re.match(r"^  [a-z]+ +\d+\.\d{3} s$", line), line
    names = {line.split()[0] for line in stages}
    assert {"validate", "render", "write"} <= names


def test_check_writes_nothing(tmp_path):
    site = minimal_site(tmp_path)
    before = tree_snapshot(tmp_path)
    result = site.run("check")
    assert result.code == 0
    assert result.out == ["checked 4 records in content: no errors"]
    assert result.err == [PLACEHOLDER_WARNING]
    assert tree_snapshot(tmp_path) == before


def test_content_errors_exit_1_on_stderr_only(tmp_path):
    result = minimal_site(tmp_path, {CLAIM_PATH: BROKEN_CLAIM}).run("build")
    assert result.code == 1
    assert result.out == []
    assert result.err == [
        f"{CLAIM_PATH}:2:11: error: claimant 'jane-doe' does not exist in people/ (did you mean 'jane-roe' (Jane Roe)?)",
        "1 error; public was left as it was",
    ]


def test_paths_in_errors_are_relative_to_the_current_folder(tmp_path):
    minimal_site(tmp_path / "archive", {CLAIM_PATH: BROKEN_CLAIM})
    result = Site(tmp_path).run("check", "--content", "archive/content")
    assert result.code == 1
    assert result.errors[0].startswith(f"archive/{CLAIM_PATH}:2:11: error: ")


def test_content_and_out_options(tmp_path):
    minimal_site(tmp_path / "archive")
    result = Site(tmp_path).run("build", "--content", "archive/content", "--out", "www")
    assert result.code == 0, result.err
    assert (tmp_path / "www" / "claims" / "bridge-finished-early" / "index.html").is_file()


def test_base_url_option_overrides_site_yaml(tmp_path):
    result = minimal_site(tmp_path).run("build", "--base-url", "https://preview.example.net/pr-7/")
    assert result.code == 0, result.err
    home = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert "https://preview.example.net/pr-7/" in home
    assert "https://factcheck.example.org/" not in home.replace("https://factcheck.example.org/about/", "")


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["build", "--help"], ["check", "--help"]])
def test_help_exits_0(tmp_path, argv):
    result = Site(tmp_path).run(*argv)
    assert result.code == 0
    assert result.out[0].startswith("usage: build.py")
    assert result.err == []


def test_version_exits_0(tmp_path):
    result = Site(tmp_path).run("--version")
    assert result.code == 0
    assert re.match(r"^build\.py \S+$", result.out[0])


@pytest.mark.parametrize(
    "argv, complaint",
    [
        (["deploy"], "invalid choice: 'deploy'"),
        (["--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["build", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["check", "--out", "www"], "unrecognized arguments: --out www"),
        (["build", "--out"], "argument --out: expected one argument"),
    ],
)
def test_a_usage_error_exits_2_with_the_usage(tmp_path, argv, complaint):
    result = minimal_site(tmp_path).run(*argv)
    assert result.code == 2
    assert result.out == []
    assert result.err[0].startswith("usage: build.py")
    assert complaint in result.err[-1]
    assert not (tmp_path / "public").exists()


@pytest.mark.parametrize("argv", [[], ["check"], ["build", "--content", "nowhere"]])
def test_a_missing_content_folder_exits_2(tmp_path, argv):
    result = Site(tmp_path).run(*argv)
    assert result.code == 2
    assert result.out == []
    folder = argv[-1] if "--content" in argv else "content"
    assert result.err == [
        f"build.py: error: the content folder '{folder}' does not exist "
        "(run from the archive's root or pass --content DIR)"
    ]


def test_an_output_path_that_is_a_file_exits_3_and_keeps_the_file(tmp_path):
    site = minimal_site(tmp_path, {"public": "not a folder\n"})
    result = site.run("build")
    assert result.code == 3
    assert result.err[0].startswith("build.py: error: ")
    assert "exists and is not a folder" in result.err[0]
    assert (tmp_path / "public").read_text() == "not a folder\n"


def test_a_second_build_while_one_runs_exits_3(tmp_path):
    site = minimal_site(tmp_path)
    assert site.run("build").code == 0
    before = tree_snapshot(tmp_path / "public")
    with open(tmp_path / ".public.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = site.run("build")
    assert result.code == 3
    assert "another build is writing public right now" in result.err[0]
    assert tree_snapshot(tmp_path / "public") == before


@pytest.mark.parametrize("sharded", [False, True])
def test_a_failed_search_index_exits_3_and_keeps_the_previous_site(tmp_path, monkeypatch, sharded):
    site = minimal_site(tmp_path)
    assert site.run("build").code == 0
    before = tree_snapshot(tmp_path / "public")
    # Pagefind runs while the share images are drawn; its failure must still stop the swap.
    # Sharded, the second shard's Pagefind fails, after the first has written its index.
    failing = tmp_path / "pagefind-that-fails"
    fail = f'case "$2" in *shard-0001) ;; *) exec {search.get_executable()} "$@";; esac\n' if sharded else ""
    failing.write_text(f"#!/bin/sh\n{fail}echo 'Error: simulated indexer failure' >&2\nexit 7\n")
    failing.chmod(0o755)
    if sharded:
        monkeypatch.setattr(search, "SHARD_PAGES", 1)
    monkeypatch.setattr(search, "get_executable", lambda: failing)
    site.write(
        "content/claims/bridge-finished-early.yaml",
        (tmp_path / "content/claims/bridge-finished-early.yaml").read_text().replace("two months early", "early"),
    )
    result = site.run("build")
    assert result.code == 3
    assert result.err == [
        "build.py: error: the search index could not be built (Pagefind exited 7): Error: simulated indexer failure"
    ]
    assert tree_snapshot(tmp_path / "public") == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".public") and p.is_dir()]


def test_a_bug_exits_4_without_a_traceback(tmp_path, monkeypatch):
    def broken_build(options):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(cli, "build", broken_build)
    result = minimal_site(tmp_path).run("build")
    assert result.code == 4
    assert result.err[0] == "build.py: internal error: RuntimeError: simulated bug"
    assert not any("Traceback" in line for line in result.err)


def test_build_py_as_a_process_builds_by_default(tmp_path):
    result = minimal_site(tmp_path).run_subprocess()
    assert result.code == 0, result.err
    assert len(result.out) == 1 and SUMMARY.match(result.out[0])
    assert result.err == [PLACEHOLDER_WARNING]
    assert (tmp_path / "public" / "index.html").is_file()


def test_build_py_as_a_process_reports_a_broken_site_without_a_traceback(tmp_path):
    result = minimal_site(
        tmp_path,
        {
            CLAIM_PATH: BROKEN_CLAIM,
            SOURCE_PATH: SOURCE.replace("kind: statement", "kind: [statement]"),
            "content/people/john-doe.yaml": b"name: J\xf6rg\n",
        },
    ).run_subprocess("build")
    assert result.code == 1
    assert result.out == []
    assert not any("Traceback" in line for line in result.err)
    assert len(result.errors) >= 2
    assert all(re.match(r"^content/\S+:\d+:\d+: error: ", line) for line in result.err[:-1]), result.err
    assert result.err[-1].endswith("; public was left as it was")

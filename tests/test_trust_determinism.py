"""Determinism: the same content gives the same bytes, whatever the machine around it.

Two builds are compared file by file, byte for byte, except Pagefind's index
files known to differ between runs (Pagefind issue #638), whose names and
page count must still agree. The build must not depend on the order the file
system lists files in, on the locale (a bare C locale without UTF-8 too) or
on the time zone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_site import DEFAULT_CONTENT, build_site
from trust import REPO_ROOT, run_build, site_differences, site_files, yaml_str

from bench.corpus import generate_corpus

# Text whose order, case and normal form differ between locales and libraries.
UNICODE_FILES = {
    "people/zahra-ahmadi.yaml": f"name: {yaml_str('زهرا احمدی (Zahra Ahmadi)')}\ndescription: {yaml_str('Ünïcödé 😀, ﬁne, ǅ, İstanbul')}\n",
    "people/emile-zola.yaml": f"name: {yaml_str('E' + chr(0x301) + 'mile Zola')}\n",
    "people/aaron-aa.yaml": "name: Aaron Aa\n",
    "people/oerjan-oe.yaml": f"name: {yaml_str('Ørjan Øe')}\n",
    "topics/zz-unicode.yaml": f"title: {yaml_str('Ωmega, ätsch, Ätsch, zebra, Zebra')}\n",
    "claims/unicode-claim.yaml": f"""\
claim: {yaml_str("Ärzte sagen: «Ça va» — 100 % sûr, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.")}
claimant: zahra-ahmadi
date: 2021-09-05
verdict: "false"
summary: {yaml_str("Nein. La réponse est non; ﺍﻟﺠﻮﺍﺏ ﻻ.")}
analysis: {yaml_str("Ç, ç, ß, ẞ, ǆ and [Émile](person:emile-zola), [Ørjan](person:oerjan-oe), [Aaron](person:aaron-aa).")}
reviewed: 2021-09-06
language: de
topics:
  - zz-unicode
  - aa-implicit-topic
""",
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """The default archive with records whose names sort and fold differently in different locales."""
    root = tmp_path_factory.mktemp("determinism")
    shutil.copytree(DEFAULT_CONTENT, root / "content")
    shutil.copytree(REPO_ROOT / "seeds", root / "seeds")  # its sources' archived texts
    for relpath, text in UNICODE_FILES.items():
        (root / "content" / relpath).write_text(text, encoding="utf-8")
    return root / "content"


def available_locales() -> set[str]:
    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return set()
    return {name.lower().replace("-", "") for name in listed}


def environments() -> dict[str, dict[str, str]]:
    """The baseline and the environments to compare with it; each locale only if the machine has it."""
    envs = {
        "bare C locale, Kabul": {
            "LC_ALL": "C",
            "LANG": "C",
            "PYTHONUTF8": "0",
            "PYTHONCOERCECLOCALE": "0",
            "TZ": "Asia/Kabul",
        },
        "C.UTF-8, Los Angeles": {"LC_ALL": "C.UTF-8", "TZ": "America/Los_Angeles"},
    }
    have = available_locales()
    for name in ("en_US.UTF-8", "de_DE.UTF-8", "tr_TR.UTF-8", "fa_IR.UTF-8"):
        if name.lower().replace("-", "") in have:
            envs[f"{name}, Los Angeles"] = {"LC_ALL": name, "TZ": "America/Los_Angeles"}
    return envs


BASELINE = {"LC_ALL": "C.UTF-8", "TZ": "UTC", "PYTHONUTF8": "1"}


@pytest.fixture(scope="module")
def baseline(archive, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("baseline") / "public"
    run = run_build(REPO_ROOT, "build", "--content", str(archive), "--out", str(out), env=BASELINE)
    assert run.code == 0, run.shown()
    return out


def test_a_second_build_gives_the_same_bytes(archive, baseline, tmp_path):
    run = run_build(REPO_ROOT, "build", "--content", str(archive), "--out", str(tmp_path / "public"), env=BASELINE)
    assert run.code == 0, run.shown()
    assert site_differences(tmp_path / "public", baseline) == []
    assert len(site_files(baseline)) > 60


@pytest.mark.parametrize("name", environments())
def test_the_locale_and_time_zone_change_nothing(archive, baseline, tmp_path, name):
    env = environments()[name]
    run = run_build(REPO_ROOT, "build", "--content", str(archive), "--out", str(tmp_path / "public"), env=env)
    assert run.code == 0, run.shown()
    assert site_differences(tmp_path / "public", baseline) == []


def test_errors_read_the_same_in_a_bare_c_locale(archive, tmp_path):
    """Error messages quote non-ASCII content; an ASCII terminal must still get them, without a traceback."""
    shutil.copytree(archive.parent, tmp_path / "site")
    broken = tmp_path / "site/content"
    claim = broken / "claims/unicode-claim.yaml"
    claim.write_text(
        claim.read_text(encoding="utf-8").replace("claimant: zahra-ahmadi", "claimant: zahra-ahmadí"), encoding="utf-8"
    )
    runs = [
        run_build(REPO_ROOT, "check", "--content", str(broken), env=env)
        for env in (BASELINE, environments()["bare C locale, Kabul"])
    ]
    assert [run.code for run in runs] == [1, 1], [run.shown() for run in runs]
    assert not any("Traceback" in line for run in runs for line in run.err)
    assert len(runs[0].errors) == len(runs[1].errors) == 1
    assert runs[1].errors[0].split(": error: ")[0] == runs[0].errors[0].split(": error: ")[0]


class _ReversedScandir:
    """os.scandir's entries in reverse order, usable as scandir is (iterator and context manager)."""

    def __init__(self, entries) -> None:
        self._entries = list(reversed(entries))

    def __iter__(self):
        return iter(self._entries)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated archive with every kind of record and cross-reference."""
    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(100, seed=5, folder=folder)
    return folder / "content"


@pytest.mark.parametrize("which", ["corpus", "archive"])
def test_the_order_the_file_system_lists_files_in_changes_nothing(request, tmp_path, monkeypatch, which):
    content = request.getfixturevalue(which)
    in_order = build_site(content, tmp_path / "in-order")
    real_listdir, real_scandir = os.listdir, os.scandir

    def reversed_scandir(path="."):
        with real_scandir(path) as entries:
            return _ReversedScandir(list(entries))

    monkeypatch.setattr(os, "listdir", lambda path=".": list(reversed(real_listdir(path))))
    monkeypatch.setattr(os, "scandir", reversed_scandir)
    assert os.listdir(content) == list(reversed(real_listdir(content)))
    reversed_order = build_site(content, tmp_path / "reversed")
    monkeypatch.undo()
    assert site_differences(reversed_order, in_order) == []

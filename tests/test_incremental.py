"""An incremental rebuild must leave exactly what a full build would.

Each edit below is applied to a copy of the default archive; after
`BuiltSite.rebuild()` the output folder is compared file by file with a fresh
full build of the edited content.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from site_builder.errors import BuildFailed
from site_builder.pipeline import BuildOptions, BuiltSite, build

ROOT = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def archive(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_same_as_full_build(archive: Path, project: BuiltSite) -> None:
    fresh = archive / "fresh"
    build(BuildOptions(content_dir=str(archive / "content"), out_dir=str(fresh), search=False))
    incremental, full = tree(archive / "public"), tree(fresh)
    assert sorted(incremental) == sorted(full)
    differing = [name for name in full if incremental[name] != full[name]]
    assert differing == []


CLAIM = "content/claims/paryan-completely-cleared-of-taliban.yaml"
OTHER_CLAIM = "content/claims/heavy-casualties-on-both-sides-in-panjshir.yaml"

EDITS = {
    "claim summary": [(CLAIM, "summary:", "summary: Edited.")],
    "claim verdict": [(CLAIM, "verdict: unproven", "verdict: false")],
    "claim review date": [(CLAIM, "reviewed: 2026-11-20", "reviewed: 2026-11-25")],
    "new counterclaim": [
        (OTHER_CLAIM, "reviewed:", "counterclaims:\n  - paryan-completely-cleared-of-taliban\nreviewed:")
    ],
    "new topic on a claim": [(CLAIM, "topics:\n", "topics:\n  - a-new-topic\n")],
    "quote context": [
        (
            "content/sources/massoud-ready-to-talk-to-taliban.yaml",
            "The article quotes the resistance spokesman",
            "The report quotes the resistance spokesman",
        )
    ],
    "person name": [("content/people/fahim-dashti.yaml", "name: Fahim Dashti", "name: Fahim Dashti (spokesman)")],
    "topic title": [("content/topics/panjshir.yaml", "title:", "title: Edited")],
    "claim alias": [(CLAIM, "reviewed:", 'aliases:\n  - "/2021/09/paryan/"\nreviewed:')],
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_rebuild_after_edit_equals_full_build(archive, name):
    project = BuiltSite(
        BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False)
    )
    everything = project.build().pages
    for path, old, new in EDITS[name]:
        edit(archive / path, old, new)
    report = project.rebuild(touched={str(archive / p) for p, _, _ in EDITS[name]})
    assert report.pages < everything  # not everything was re-rendered
    assert report.written >= 1
    assert_same_as_full_build(archive, project)


def test_rebuild_after_adding_and_removing_a_claim(archive):
    project = BuiltSite(
        BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False)
    )
    project.build()
    new_claim = archive / "content/claims/copy-of-a-claim.yaml"
    shutil.copy(archive / OTHER_CLAIM, new_claim)
    project.rebuild()
    assert (archive / "public/claims/copy-of-a-claim/index.html").exists()
    assert_same_as_full_build(archive, project)
    os.remove(new_claim)
    project.rebuild()
    assert not (archive / "public/claims/copy-of-a-claim").exists()
    shutil.rmtree(archive / "fresh")
    assert_same_as_full_build(archive, project)


def test_rebuild_reports_errors_then_recovers(archive):
    project = BuiltSite(
        BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False)
    )
    project.build()
    before = tree(archive / "public")
    edit(archive / CLAIM, "verdict: unproven", "verdict: unprovn")
    with pytest.raises(BuildFailed) as failed:
        project.rebuild(touched={str(archive / CLAIM)})
    assert [e.pos.line for e in failed.value.errors] and "did you mean 'unproven'" in failed.value.errors[0].message
    assert tree(archive / "public") == before
    edit(archive / CLAIM, "verdict: unprovn", "verdict: unproven")
    project.rebuild(touched={str(archive / CLAIM)})
    assert tree(archive / "public") == before


def test_site_wide_pages_follow_a_shorter_index(archive, monkeypatch):
    import site_builder.pages.views

    monkeypatch.setattr(site_builder.pages.views, "CLAIMS_PER_PAGE", 2)
    project = BuiltSite(
        BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False)
    )
    project.build()
    assert (archive / "public/claims/page/5/index.html").exists()  # nine claims, two a page
    os.remove(archive / "content/claims/taliban-negotiated-with-us-for-two-years.yaml")  # cited by no other file
    report = project.rebuild()
    assert not (archive / "public/claims/page/5").exists()
    assert report.pages < project.build().pages  # unchanged index pages were not rendered again
    shutil.rmtree(archive / "fresh", ignore_errors=True)
    assert_same_as_full_build(archive, project)


def test_a_shorter_list_leaves_no_dataset_part_behind(archive, monkeypatch):
    from site_builder import dataset

    monkeypatch.setattr(dataset, "PART_RECORDS", 2)
    project = BuiltSite(
        BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False)
    )
    project.build()
    assert (archive / "public/data/claims-0005.jsonl.gz").exists()  # nine claims, two a part
    os.remove(archive / "content/claims/taliban-negotiated-with-us-for-two-years.yaml")  # cited by no other file
    project.rebuild()
    assert not (archive / "public/data/claims-0005.jsonl.gz").exists()
    assert_same_as_full_build(archive, project)


def test_a_new_claim_on_a_static_files_path_is_refused_as_a_full_build_refuses_it(archive):
    """A rebuild must not overwrite a static file that a full build would refuse to overwrite."""
    static_page = archive / "static/claims/copy-of-a-claim/index.html"
    static_page.parent.mkdir(parents=True)
    static_page.write_text("<!doctype html><title>kept</title>", encoding="utf-8")
    project = BuiltSite(
        BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False)
    )
    project.build()
    before = tree(archive / "public")
    shutil.copy(archive / CLAIM, archive / "content/claims/copy-of-a-claim.yaml")
    with pytest.raises(BuildFailed) as rebuilt:
        project.rebuild()
    with pytest.raises(BuildFailed) as full:
        build(BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "fresh"), search=False))
    assert [str(e) for e in rebuilt.value.errors] == [str(e) for e in full.value.errors]
    assert "this static file would overwrite claims/copy-of-a-claim/index.html" in rebuilt.value.errors[0].message
    assert tree(archive / "public") == before


def test_a_removed_sources_archived_copy_goes_with_it(archive):
    project = BuiltSite(
        BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False)
    )
    project.build()
    original = next(
        p for p in sorted((archive / "content/sources").glob("*.yaml")) if "\ntext:" in p.read_text("utf-8")
    )
    copy = archive / "content/sources/a-copy-of-a-source.yaml"
    shutil.copy(original, copy)
    project.rebuild()
    copies = [p for p in (archive / "public/sources/a-copy-of-a-source").iterdir() if p.name != "index.html"]
    assert copies, "the copy's archived file was not published"
    os.remove(copy)
    project.rebuild()
    assert not (archive / "public/sources/a-copy-of-a-source").exists()
    assert_same_as_full_build(archive, project)

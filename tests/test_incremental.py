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


@pytest.mark.parametrize("complete", [False, True], ids=["looked-at", "told"])
@pytest.mark.parametrize("name", sorted(EDITS))
def test_rebuild_after_edit_equals_full_build(archive, name, complete):
    """`complete`: told exactly which files changed, as the preview's watcher tells, the rebuild looks at no other."""
    project = BuiltSite(
        BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False)
    )
    everything = project.build().pages
    for path, old, new in EDITS[name]:
        edit(archive / path, old, new)
    report = project.rebuild(touched={str(archive / p) for p, _, _ in EDITS[name]}, complete=complete)
    assert report.pages < everything  # not everything was re-rendered
    assert report.written >= 1
    assert_same_as_full_build(archive, project)


@pytest.mark.parametrize("told", [False, True], ids=["found-by-signatures", "told-by-the-watcher"])
def test_rebuild_after_adding_and_removing_a_claim(archive, told):
    """Told (the watcher's report), a new and a removed claim still list the folder again."""
    project = BuiltSite(
        BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False)
    )
    project.build()
    new_claim = archive / "content/claims/copy-of-a-claim.yaml"
    how = {"touched": {str(new_claim)}, "complete": True} if told else {}
    shutil.copy(archive / OTHER_CLAIM, new_claim)
    project.rebuild(**how)
    assert (archive / "public/claims/copy-of-a-claim/index.html").exists()
    assert_same_as_full_build(archive, project)
    os.remove(new_claim)
    project.rebuild(**how)
    assert not (archive / "public/claims/copy-of-a-claim").exists()
    shutil.rmtree(archive / "fresh")
    assert_same_as_full_build(archive, project)


def test_a_rebuild_told_what_changed_reads_only_that(archive):
    """The preview's watcher reports every change: a file it did not report is not read again."""
    project = BuiltSite(
        BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False)
    )
    project.build()
    edit(archive / CLAIM, "summary: >-", "summary: >-\n  Reported.")
    edit(archive / OTHER_CLAIM, "summary: >-", "summary: >-\n  Not reported.")
    project.rebuild(touched={str(archive / CLAIM)}, complete=True)
    assert b"Reported." in (archive / "public/claims/paryan-completely-cleared-of-taliban/index.html").read_bytes()
    other = archive / "public/claims/heavy-casualties-on-both-sides-in-panjshir/index.html"
    assert b"Not reported." not in other.read_bytes()
    project.rebuild()  # not told: everything is looked at
    assert b"Not reported." in other.read_bytes()


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


# -- the library after claims were edited (site_builder/library_update.py) -----

COUNTERED = "content/claims/nrfa-denies-taliban-captured-all-panjshir-districts.yaml"
LIBRARY_EDITS = {
    "summary": [(CLAIM, "summary: >-", "summary: >-\n  Edited.")],
    "verdict": [(CLAIM, "verdict: unproven", "verdict: false")],
    "claimant": [(CLAIM, "claimant: fahim-dashti", "claimant: ahmad-massoud")],
    "counterclaim added": [
        (OTHER_CLAIM, "reviewed:", "counterclaims:\n  - paryan-completely-cleared-of-taliban\nreviewed:")
    ],
    "counterclaim removed": [(COUNTERED, "counterclaims:\n  - taliban-captured-all-panjshir-districts\n", "")],
    "counterclaim named on both sides, then on one": [
        (
            CLAIM,
            "counterclaims:\n  - taliban-captured-all-panjshir-districts\n",
            "counterclaims:\n"
            "  - taliban-captured-all-panjshir-districts\n  - heavy-casualties-on-both-sides-in-panjshir\n",
        ),
        (OTHER_CLAIM, "reviewed:", "counterclaims:\n  - paryan-completely-cleared-of-taliban\nreviewed:"),
    ],
    "a topic no file defines, added": [(CLAIM, "topics:\n", "topics:\n  - a-new-topic\n")],
    "a topic file's topic dropped": [(CLAIM, "  - panjshir\n  - battlefield-claims\n", "  - battlefield-claims\n")],
    "quote and appearance dropped": [
        (CLAIM, "quotes:\n  - massoud-ready-to-talk-to-taliban#dashti-paryan-cleared\n", ""),
        (CLAIM, "appearances:\n  - massoud-ready-to-talk-to-taliban\n", ""),
    ],
    "a draft (shown by the preview)": [(CLAIM, "reviewed:", "draft: true\nreviewed:")],
    "a topic no file defines, dropped": [(CLAIM, "  - a-new-topic\n", "")],
}
# Made before the first build: what the edit above undoes.
LIBRARY_SETUP = {"a topic no file defines, dropped": [(CLAIM, "topics:\n", "topics:\n  - a-new-topic\n")]}


def _content_and_library(archive: Path, drafts: bool):
    from site_builder.pipeline import read_content, resolve

    options = BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), drafts=drafts)
    content = read_content(options)
    return options, content, resolve(content, options)


def _fields(library) -> dict:
    import dataclasses

    return {f.name: getattr(library, f.name) for f in dataclasses.fields(library) if f.name != "ui"}


@pytest.mark.parametrize("drafts", [False, True], ids=["build", "preview"])
@pytest.mark.parametrize("name", sorted(LIBRARY_EDITS))
def test_the_library_after_claims_are_edited_equals_resolving_everything(archive, name, drafts):
    from site_builder.library_update import updated_library
    from site_builder.pipeline import read_content

    for path, old, new in LIBRARY_SETUP.get(name, ()):
        edit(archive / path, old, new)
    options, before, library = _content_and_library(archive, drafts)
    for path, old, new in LIBRARY_EDITS[name]:
        edit(archive / path, old, new)
    touched = {str(archive / path) for path, _, _ in LIBRARY_EDITS[name]}
    after = read_content(options, previous=before, touched=frozenset(touched))
    edited = {r.record.slug: r.record for path, r in after.files.items() if r is not before.files[path]}
    assert len(edited) == len({path for path, _, _ in LIBRARY_EDITS[name]})
    updated = updated_library(library, edited, after.site, options.publishing())
    _, _, resolved = _content_and_library(archive, drafts)
    if name.startswith("a draft") and not drafts:
        assert updated is None  # a published build leaves the draft out: resolved in full
        return
    assert updated is not None
    assert _fields(updated) == _fields(resolved)
    assert list(updated.topics) == list(resolved.topics) and list(updated.counterclaims) == list(resolved.counterclaims)


BROKEN_EDITS = {
    "counterclaim that does not exist": (CLAIM, "counterclaims:\n", "counterclaims:\n  - no-such-claim\n"),
    "quote id that does not exist": (CLAIM, "#dashti-paryan-cleared", "#no-such-quote"),
    "first appearance not among the appearances": (
        CLAIM,
        "reviewed:",
        "first_appearance: taliban-captured-all\nreviewed:",
    ),
    "claimant that does not exist": (CLAIM, "claimant: fahim-dashti", "claimant: nobody-at-all"),
    "link to a page that does not exist": (CLAIM, "## What the report says", "## What the [report](page:nowhere) says"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_EDITS))
def test_an_edited_claim_with_a_broken_reference_is_left_to_the_full_resolve(archive, name):
    """Its errors come from resolving everything, with their suggestions; the update only declines."""
    from site_builder.library_update import updated_library
    from site_builder.pipeline import read_content, resolve

    options, before, library = _content_and_library(archive, True)
    path, old, new = BROKEN_EDITS[name]
    edit(archive / path, old, new)
    after = read_content(options, previous=before, touched=frozenset({str(archive / path)}))
    edited = {r.record.slug: r.record for p, r in after.files.items() if r is not before.files[p] and r.record}
    assert edited
    assert updated_library(library, edited, after.site, options.publishing()) is None
    with pytest.raises(BuildFailed):
        resolve(after, options)


def test_a_claim_naming_a_draft_claimant_is_refused_by_the_update_as_publishing_refuses_it(archive):
    from site_builder.library_update import updated_library
    from site_builder.pipeline import read_content, resolve

    (archive / "content/people/a-made-up-draft.yaml").write_text("name: A Made-up Draft\ndraft: true\n", "utf-8")
    options, before, library = _content_and_library(archive, True)
    edit(archive / CLAIM, "claimant: fahim-dashti", "claimant: a-made-up-draft")
    after = read_content(options, previous=before, touched=frozenset({str(archive / CLAIM)}))
    claim = after.files[str(archive / CLAIM)].record
    assert updated_library(library, {claim.slug: claim}, after.site, options.publishing()) is None
    with pytest.raises(BuildFailed) as failed:
        resolve(after, options)
    assert "is a draft" in failed.value.errors[0].message


@pytest.mark.parametrize(
    "name", ["counterclaim removed", "a topic file's topic dropped", "a draft (shown by the preview)"]
)
def test_preview_rebuild_after_claim_edit_equals_full_build(archive, name):
    """As the preview rebuilds (drafts shown), through the library update; compared with `build --drafts`."""
    options = BuildOptions(
        content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False, drafts=True
    )
    project = BuiltSite(options)
    project.build()
    for path, old, new in LIBRARY_EDITS[name]:
        edit(archive / path, old, new)
    project.rebuild(touched={str(archive / p) for p, _, _ in LIBRARY_EDITS[name]})
    fresh = archive / "fresh"
    build(BuildOptions(content_dir=str(archive / "content"), out_dir=str(fresh), search=False, drafts=True))
    incremental, full = tree(archive / "public"), tree(fresh)
    assert sorted(incremental) == sorted(full)
    assert [name for name in full if incremental[name] != full[name]] == []


def test_the_index_digest_sees_what_pagefind_reads_and_not_the_words_it_ignores():
    from site_builder.search import indexed_digest

    def page(body: str, ignored: str) -> bytes:
        return (
            f"<html><head><title>t</title></head><body><article data-pagefind-body><p>{body}</p>"
            f"<section data-pagefind-ignore><h2>Related</h2><ul><li>{ignored}</li></ul></section>"
            "</article></body></html>"
        ).encode()

    same = indexed_digest(page("Claim text.", "Another claim's summary."))
    assert indexed_digest(page("Claim text.", "Another claim's new summary.")) == same
    assert indexed_digest(page("Claim text, edited.", "Another claim's summary.")) != same
    # A filter inside an ignored part still counts for Pagefind (unless ignored "all"): kept.
    filtered = '<a data-pagefind-filter="topic">Budget</a>'
    assert indexed_digest(page("Claim text.", filtered)) != indexed_digest(
        page("Claim text.", filtered.replace("Budget", "Trade"))
    )
    assert indexed_digest(page("Claim text.", '<img src="a.png" alt="x">')) != indexed_digest(
        page("Claim text.", '<img src="b.png" alt="x">')
    )

"""Resource bombs: whatever a content file holds, the build answers fast in bounded memory.

Each bomb is built by `build.py` as a process of its own, so that its time
and its peak memory (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss of a
process whose only child is the build) are the build's alone. A bomb must be
refused with an error at its place, or built, in under 5 seconds and 500 MB;
never a hang, a crash (exit 4) or a traceback.
"""

from __future__ import annotations

import sys

import pytest
from sites import ARCHIVED_TEXT, CLAIM, CLAIM_PATH, SOURCE, SOURCE_PATH, TEXT_PATH, minimal_site, replaced
from trust import REPO_ROOT, Run, assert_positioned_errors_only, run_build, run_measured

SECONDS = 5
MEGABYTES = 500
TIMEOUT = 8  # past the limit, so that a slow build is measured rather than cut short at once


def billion_laughs() -> str:
    lines = ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    return "\n".join(lines) + "\n" + CLAIM


ANALYSIS = "  [Jane Roe](person:jane-roe) said so in a\n"


def analysis(markdown: str) -> str:
    return replaced(CLAIM, ANALYSIS, f"  {markdown}\n\n{ANALYSIS}")


def quote_of(words: int) -> str:
    return " ".join(f"word{n % 97}" for n in range(words))


# name -> (files to change, where the error must be, words its message must hold)
REFUSED = {
    "billion laughs": ({CLAIM_PATH: billion_laughs()}, f"{CLAIM_PATH}:1:7", "anchors"),
    "50 MB content file": (
        {CLAIM_PATH: 'claim: "' + "a" * (50 * 1024 * 1024) + '"\n'},
        f"{CLAIM_PATH}:1:1",
        "larger than",
    ),
    "50 MB on one line of a page": (
        {"content/pages/about.md": "---\ntitle: About\n---\n" + "a" * (50 * 1024 * 1024)},
        "content/pages/about.md:1:1",
        "larger than",
    ),
    "10,000-level nested flow list": (
        {CLAIM_PATH: replaced(CLAIM, "topics:\n  - bridges\n", "topics: " + "[" * 10_000 + "]" * 10_000 + "\n")},
        f"{CLAIM_PATH}:12:",
        "nesting",
    ),
    "10,000-level nested block list": (
        {CLAIM_PATH: replaced(CLAIM, "topics:\n  - bridges\n", "topics:\n  " + "- " * 10_000 + "bridges\n")},
        f"{CLAIM_PATH}:13:",
        "nesting",
    ),
    "10,000-level nested mapping": (
        {
            CLAIM_PATH: replaced(
                CLAIM, "topics:\n  - bridges\n", "topics: " + "{a: " * 10_000 + "b" + "}" * 10_000 + "\n"
            )
        },
        f"{CLAIM_PATH}:12:",
        "nesting",
    ),
    "a quote of a million characters": (
        {
            SOURCE_PATH: replaced(
                SOURCE, "text: The new bridge was finished in March, two months early.", f"text: {quote_of(160_000)}"
            ),
            TEXT_PATH: ARCHIVED_TEXT + quote_of(160_000) + "\n",
        },
        f"{SOURCE_PATH}:8:11",
        "characters long",
    ),
    "an archived text of 50 MB": (
        {TEXT_PATH: ARCHIVED_TEXT + "word " * (10 * 1024 * 1024)},
        f"{SOURCE_PATH}:4:7",
        "larger than",
    ),
}


def assert_fast_and_small(run: Run) -> None:
    assert run.code is not None, f"still running after {TIMEOUT} s"
    assert not any("Traceback" in line for line in run.err), run.shown()
    assert run.code != 4, run.shown()
    assert run.seconds < SECONDS, run.shown()
    assert run.peak_mb < MEGABYTES, run.shown()


@pytest.mark.parametrize("bomb", REFUSED)
def test_a_bomb_is_refused_fast_at_its_place(tmp_path, bomb):
    changes, where, words = REFUSED[bomb]
    minimal_site(tmp_path, changes)
    run = run_build(tmp_path, "build", timeout=TIMEOUT)
    assert_fast_and_small(run)
    assert run.code == 1, run.shown()
    assert_positioned_errors_only(run.err)
    assert len(run.errors) == 1, run.shown()
    assert run.errors[0].startswith(where) and words in run.errors[0], run.shown()
    assert not (tmp_path / "public").exists()


# Markdown that costs a parser far more than its length, each within the
# 200,000 characters an analysis may hold. Each group is one build (one claim
# a bomb), to keep the suite's time bounded while a bomb still hangs.
MARKDOWN_BOMBS = {
    "inline": {
        "100,000 opening brackets": "[" * 100_000,
        "20,000 unfinished links": "[x](" * 20_000,
        "20,000 unfinished images": "![" * 20_000,
        "20,000 footnote openers": "[^" * 20_000,
        "50,000 emphasis marks": "*a" * 50_000,
    },
    "block": {
        "a list nested 1,000 deep": "- " * 1_000 + "x",
        "a numbered list nested 1,000 deep": "1. " * 1_000 + "x",
        "a quote nested 3,000 deep": "> " * 3_000 + "x",
    },
}


@pytest.mark.parametrize("group", MARKDOWN_BOMBS)
def test_markdown_that_is_costly_to_parse_is_built_or_refused_fast(tmp_path, group):
    bombs = MARKDOWN_BOMBS[group]
    changes = {f"content/claims/bomb-{n}.yaml": analysis(markdown) for n, markdown in enumerate(bombs.values())}
    minimal_site(tmp_path, changes)
    run = run_build(tmp_path, "build", timeout=TIMEOUT)
    assert_fast_and_small(run)
    assert run.code in (0, 1), run.shown()
    if run.code == 1:
        assert_positioned_errors_only(run.err)
        assert all(line.startswith("content/claims/bomb-") for line in run.errors), run.shown()


def test_quotes_missing_from_a_large_archived_text_are_reported_fast(tmp_path):
    """Each quote not found is looked for again word by word, to say where it differs."""
    words = [f"w{(n * 7919) % 100_003}" for n in range(1_000_000)]
    quotes = "".join(
        f"  - id: q{n}\n    speaker: jane-roe\n    text: {' '.join(words[n * 5 : n * 5 + 6])} zz\n"
        for n in range(2_000)
    )
    minimal_site(
        tmp_path,
        {
            TEXT_PATH: " ".join(words) + "\n",
            SOURCE_PATH: SOURCE.split("quotes:\n")[0] + "quotes:\n" + quotes,
            CLAIM_PATH: replaced(
                replaced(CLAIM, "quotes:\n  - ministry-statement#bridge-finished\n", ""),
                "[statement](source:ministry-statement#bridge-finished)",
                "[statement](source:ministry-statement)",
            ),
        },
    )
    run = run_build(tmp_path, "build", timeout=TIMEOUT)
    assert_fast_and_small(run)
    assert run.code == 1, run.shown()
    assert_positioned_errors_only(run.err)
    assert all(line.startswith(SOURCE_PATH) for line in run.errors), run.shown()


BUILD_WITHOUT_SEARCH = (
    "import sys; sys.path.insert(0, {repo!r});"
    "from site_builder.pipeline import BuildOptions, build;"
    "build(BuildOptions(content_dir='content', out_dir='public', search=False))"
)


def test_an_archived_text_at_the_size_limit_builds_in_bounded_time_and_memory(tmp_path):
    """The largest text the format allows, in the smallest words: a page is worth a second, not a gigabyte.

    Measured without the search index, whose indexer (Pagefind, a program of
    its own) takes what it takes for a page of megabytes.
    """
    from site_builder.validate import MAX_TEXT_BYTES

    minimal_site(tmp_path, {TEXT_PATH: ARCHIVED_TEXT + "a " * (MAX_TEXT_BYTES // 2 - 50_000)})
    assert MAX_TEXT_BYTES * 0.9 < (tmp_path / TEXT_PATH).stat().st_size < MAX_TEXT_BYTES
    run = run_measured(
        tmp_path, [sys.executable, "-c", BUILD_WITHOUT_SEARCH.format(repo=str(REPO_ROOT))], timeout=TIMEOUT
    )
    assert run.code == 0, run.shown()
    assert run.seconds < SECONDS and run.peak_mb < MEGABYTES, run.shown()
    assert (tmp_path / "public/sources/ministry-statement/index.html").stat().st_size > MAX_TEXT_BYTES * 0.9


def test_a_refused_bomb_leaves_the_previous_site_as_it_was(tmp_path):
    site = minimal_site(tmp_path)
    assert site.run("build").code == 0
    before = {p: p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file()}
    changes, _, _ = REFUSED["billion laughs"]
    for relpath, text in changes.items():
        site.write(relpath, text)
    assert run_build(tmp_path, "build", timeout=TIMEOUT).code == 1
    assert {p: p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file()} == before

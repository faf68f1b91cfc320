"""Issue 20's cases, each as the journalist met it: the place to type and the words that say what to type.

The twenty commonest mistakes per kind of file are in tests/test_mistakes.py
and every libyaml problem in tests/test_yaml_messages.py; here are the cases
the issue names, and the commands around them (build.py's Python, the
placeholder base_url, `new source --text`, the scaffold's dates).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from sites import (
    CLAIM,
    CLAIM_PATH,
    REPO_ROOT,
    SITE_PATH,
    SITE_YAML,
    SOURCE,
    SOURCE_PATH,
    minimal_site,
    replaced,
    single_error,
    tree_snapshot,
)

MARISOL = "content/people/marisol-quenby.yaml"
OLGA = "content/people/olga-petrova.yaml"
PEOPLE = {MARISOL: "name: Marisol Quenby\n", OLGA: "name: Ольга Петрова\n"}
REAL_BASE_URL = "https://checks.larkspurvale.news/"


# ---------------------------------------------------------------- ' #' loses the rest of the line


def test_a_hashtag_after_the_text_is_an_error_at_the_hash(tmp_path):
    text = replaced(
        CLAIM,
        "claim: The new bridge was finished two months early.",
        "claim: The mayor says the budget doubled #LarkspurVale",
    )
    where, message = single_error(tmp_path, {CLAIM_PATH: text})
    assert where == f"{CLAIM_PATH}:1:42"
    assert message == (
        "the text of 'claim' stops here because ' #' starts a comment in YAML: put the whole text in "
        "quotes if '#…' belongs to it, or remove the comment"
    )


def test_the_hashtag_in_quotes_is_published_whole(tmp_path):
    text = replaced(
        CLAIM,
        "claim: The new bridge was finished two months early.",
        'claim: "The mayor says the budget doubled #LarkspurVale"',
    )
    result = minimal_site(tmp_path, {CLAIM_PATH: text}).run("build")
    assert result.code == 0, result.err
    page = (tmp_path / "public" / "claims" / "bridge-finished-early" / "index.html").read_text(encoding="utf-8")
    assert "The mayor says the budget doubled #LarkspurVale" in page


def test_comments_on_their_own_lines_and_after_ids_stay_allowed(tmp_path):
    text = "# Checked by the desk.\n" + replaced(CLAIM, "verdict: mostly-true", "verdict: mostly-true  # see analysis")
    assert minimal_site(tmp_path, {CLAIM_PATH: text}).run("check").code == 0


def test_a_value_that_is_all_hashtag_is_empty_and_says_why(tmp_path):
    text = replaced(CLAIM, "claim: The new bridge was finished two months early.", "claim: #LarkspurVale budget")
    where, message = single_error(tmp_path, {CLAIM_PATH: text})
    assert where == f"{CLAIM_PATH}:1:7"
    assert message == (
        "'claim' is empty: YAML reads what follows ' #' as a comment, so write the value in quotes, "
        'like claim: "#LarkspurVale budget"'
    )


# ---------------------------------------------------------------- a name where a file name or id was wanted


@pytest.mark.parametrize(
    "written, expected",
    [
        (
            "Mostly false",
            "verdict 'Mostly false' is not a verdict id from the verdict scale "
            "(did you mean 'mostly-false' (Mostly false)?)",
        ),
        ("False", "verdict 'False' is not a verdict id from the verdict scale (did you mean 'false' (False)?)"),
        (
            "mostly flase",
            "verdict 'mostly flase' is not a verdict id from the verdict scale "
            "(did you mean 'mostly-false' (Mostly false)?)",
        ),
        (
            "Not a factual claim",
            "verdict 'Not a factual claim' is not a verdict id from the verdict scale "
            "(did you mean 'opinion' (Not a factual claim)?)",
        ),
        (
            "misleading",
            "verdict 'misleading' does not exist in the verdict scale: write one of 'true' (True), "
            "'mostly-true' (Mostly true), 'half-true' (Half true), 'mostly-false' (Mostly false), "
            "'false' (False), 'unproven' (Unproven), 'disputed' (Disputed), 'opinion' (Not a factual claim)",
        ),
    ],
)
def test_a_verdict_written_as_readers_see_it(tmp_path, written, expected):
    where, message = single_error(
        tmp_path, {CLAIM_PATH: replaced(CLAIM, "verdict: mostly-true", f"verdict: {written}")}
    )
    assert (where, message) == (f"{CLAIM_PATH}:4:10", expected)


@pytest.mark.parametrize(
    "written, meant",
    [
        ("Marisol Quenby", "'marisol-quenby' (Marisol Quenby)"),  # the name in the person's file
        ("marisol  QUENBY", "'marisol-quenby' (Marisol Quenby)"),  # case and spaces
        ("Marisól Quenby", "'marisol-quenby' (Marisol Quenby)"),  # accents
        ("Marisol Quenbey", "'marisol-quenby' (Marisol Quenby)"),  # one letter off
        ("Ольга Петрова", "'olga-petrova' (Ольга Петрова)"),  # the name as its file writes it, in Cyrillic
        ("Olga Petrova", "'olga-petrova' (Ольга Петрова)"),  # the same name in Latin letters
    ],
)
def test_a_claimant_written_as_a_name(tmp_path, written, meant):
    changes = {**PEOPLE, CLAIM_PATH: replaced(CLAIM, "claimant: jane-roe", f"claimant: {written}")}
    where, message = single_error(tmp_path, changes)
    assert (where, message) == (
        f"{CLAIM_PATH}:2:11",
        f"claimant '{written}' is not the file name of a person in people/, without .yaml (did you mean {meant}?)",
    )


def test_a_claimant_like_nobody_lists_the_people_or_says_how_to_start_one(tmp_path):
    changes = {**PEOPLE, CLAIM_PATH: replaced(CLAIM, "claimant: jane-roe", "claimant: sam-nobody")}
    where, message = single_error(tmp_path, changes)
    assert (where, message) == (
        f"{CLAIM_PATH}:2:11",
        "claimant 'sam-nobody' does not exist in people/: write one of "
        "'jane-roe' (Jane Roe), 'marisol-quenby' (Marisol Quenby), 'olga-petrova' (Ольга Петрова), "
        "or start it with `python build.py new person sam-nobody`",
    )


def test_with_many_people_the_message_says_where_to_look(tmp_path):
    many = {f"content/people/person-{n}.yaml": f"name: Person {n}\n" for n in range(13)}
    changes = {**many, CLAIM_PATH: replaced(CLAIM, "claimant: jane-roe", "claimant: Sam Nobody")}
    where, message = single_error(tmp_path, changes)
    assert message == (
        "claimant 'Sam Nobody' is not the file name of a person in people/, without .yaml: write the "
        "file name of a person in people/, without .yaml (see the files in content/people/)"
    )


def test_a_key_added_to_the_schema_gets_suggestions_too():
    # Suggestions work off the declarations: any Reference field, whatever its kind.
    from site_builder import library, model
    from site_builder.errors import Position

    people = {
        "marisol-quenby": model.Person(
            "marisol-quenby", "Marisol Quenby", "person", None, None, None, (), Position("p", 1, 1)
        )
    }
    ref = model.Ref("person", "Marisol Quenby", Position("x", 1, 1))
    assert library.missing_reference(ref, "reviewer", people) == (
        "reviewer 'Marisol Quenby' is not the file name of a person in people/, without .yaml "
        "(did you mean 'marisol-quenby' (Marisol Quenby)?)"
    )


def test_a_language_written_by_its_name_gets_its_tag(tmp_path):
    where, message = single_error(tmp_path, {SITE_PATH: SITE_YAML + "language: Dari\n"})
    assert (where, message) == (
        f"{SITE_PATH}:6:11",
        "'language' should be a BCP 47 language tag such as en, fa-AF, "
        "ps or ar, not 'Dari' (did you mean 'fa-AF' (Dari)?)",
    )


# ---------------------------------------------------------------- every mistake in one run


def test_a_bad_date_and_a_misspelt_claimant_are_reported_together(tmp_path):
    text = replaced(
        replaced(CLAIM, "date: 2021-09-05", "date: 5 September 2021"), "claimant: jane-roe", "claimant: jane-roa"
    )
    result = minimal_site(tmp_path, {CLAIM_PATH: text}).run("check")
    assert result.errors == [
        f"{CLAIM_PATH}:2:11: error: claimant 'jane-roa' does not exist in people/ (did you mean 'jane-roe' (Jane Roe)?)",
        f"{CLAIM_PATH}:3:7: error: 'date' should be a date written YYYY-MM-DD, like 2021-09-05, not '5 September 2021'",
    ]


def test_a_broken_file_still_has_its_quote_references_links_and_topics_checked(tmp_path):
    text = replaced(
        replaced(
            replaced(
                replaced(CLAIM, "reviewed: 2021-09-20", "reviewed: soon"),
                "#bridge-finished\ntopics",
                "#bridge-finshed\ntopics",
            ),
            "(person:jane-roe)",
            "(person:jane-ro)",
        ),
        "  - bridges",
        "  - Bridges",
    )
    result = minimal_site(tmp_path, {CLAIM_PATH: text}).run("check")
    assert result.places == [f"{CLAIM_PATH}:7:14", f"{CLAIM_PATH}:9:11", f"{CLAIM_PATH}:11:5", f"{CLAIM_PATH}:13:5"]
    assert "link 'person:jane-ro' points at a person that does not exist" in result.errors[0]
    assert "has no quote with id 'bridge-finshed' (did you mean 'bridge-finished'?)" in result.errors[2]
    assert "topic 'Bridges' is not the file name of a topic in topics/" in result.errors[3]


def test_a_source_with_a_bad_kind_still_has_its_quotes_checked_against_its_text(tmp_path):
    text = replaced(
        replaced(SOURCE, "kind: statement", "kind: press release"), "finished in March", "completed in March"
    )
    result = minimal_site(tmp_path, {SOURCE_PATH: text}).run("check")
    assert result.places == [f"{SOURCE_PATH}:2:7", f"{SOURCE_PATH}:8:11"]
    assert "is not in the archived text archive/ministry-statement.txt" in result.errors[1]


def test_a_broken_site_yaml_still_has_the_claims_verdicts_checked(tmp_path):
    result = minimal_site(
        tmp_path,
        {
            SITE_PATH: SITE_YAML + "language: English\n",
            CLAIM_PATH: replaced(CLAIM, "verdict: mostly-true", "verdict: mostly-ture"),
        },
    ).run("check")
    assert result.places == [f"{CLAIM_PATH}:4:10", f"{SITE_PATH}:6:11"]
    assert "(did you mean 'mostly-true' (Mostly true)?)" in result.errors[0]


def test_a_misspelt_required_key_is_one_error_at_the_key(tmp_path):
    text = replaced(CLAIM, "summary:", "sumary:")
    where, message = single_error(tmp_path, {CLAIM_PATH: text})
    assert (where, message) == (
        f"{CLAIM_PATH}:5:1",
        "unknown key 'sumary' (did you mean 'summary'?), and 'summary' "
        "is required in claim: the verdict in one or two plain sentences",
    )


def test_an_empty_required_key_says_it_is_required_and_what_it_holds(tmp_path):
    text = replaced(CLAIM, "summary: The bridge opened in March, six weeks before the planned date.", "summary:")
    where, message = single_error(tmp_path, {CLAIM_PATH: text})
    assert (where, message) == (
        f"{CLAIM_PATH}:5:9",
        "'summary' is empty, and it is required in claim: the verdict "
        "in one or two plain sentences; write it after 'summary: '",
    )
    assert "optional" not in message


# ---------------------------------------------------------------- build.py with another Python


def _run(python_args: list[str], cwd) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(python_args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_build_py_with_a_python_lacking_the_packages_uses_the_projects_venv(tmp_path):
    minimal_site(tmp_path)
    # -S: this Python sees none of the packages installed for it, as the system's Python would.
    done = _run([sys.executable, "-S", str(REPO_ROOT / "build.py"), "check"], tmp_path)
    assert (done.returncode, done.stdout) == (0, "checked 4 records in content: no errors\n"), done.stderr
    assert "Traceback" not in done.stderr


def test_build_py_without_a_venv_says_in_one_line_to_run_make_build(tmp_path):
    tool = tmp_path / "tool"
    shutil.copytree(REPO_ROOT / "site_builder", tool / "site_builder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "build.py", tool / "build.py")
    minimal_site(tmp_path / "site")
    done = _run([sys.executable, "-S", str(tool / "build.py"), "check"], tmp_path / "site")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("build.py: error: this Python lacks the package '")
    assert "run `make build` first" in done.stderr


# ---------------------------------------------------------------- a placeholder base_url

PLACEHOLDER = (
    "base_url 'https://factcheck.example.org/' is a placeholder (example.org is reserved for examples): "
    "the site's links, feeds, sitemap and search-engine data would all point there; write the address "
    "where the site is published"
)


@pytest.mark.parametrize(
    "url, host",
    [
        ("https://example.org/", "example.org"),
        ("https://www.example.com/archive/", "example.com"),
        ("http://localhost:8000/", "localhost"),
        ("https://factcheck.test/", "test"),
    ],
)
def test_placeholder_hosts(url, host):
    from site_builder.validate import placeholder_host

    assert placeholder_host(url) == host
    assert placeholder_host(REAL_BASE_URL) is None
    assert placeholder_host("https://examples.org/") is None


def test_a_placeholder_base_url_warns_on_build(tmp_path):
    result = minimal_site(tmp_path).run("build")
    assert result.code == 0
    assert result.err == [f"{SITE_PATH}:2:11: warning: {PLACEHOLDER}"]


def test_a_real_base_url_builds_without_a_word(tmp_path):
    site = replaced(SITE_YAML, "base_url: https://factcheck.example.org/", f"base_url: {REAL_BASE_URL}")
    result = minimal_site(tmp_path, {SITE_PATH: site}).run("build", "--publish")
    assert (result.code, result.err) == (0, [])


def test_publish_refuses_a_placeholder_and_keeps_the_old_site(tmp_path):
    site = minimal_site(tmp_path)
    assert site.run("build").code == 0
    before = tree_snapshot(tmp_path / "public")
    result = site.run("build", "--publish")
    assert result.code == 1
    assert result.err == [f"{SITE_PATH}:2:11: error: {PLACEHOLDER}", "1 error; public was left as it was"]
    assert tree_snapshot(tmp_path / "public") == before


def test_publish_with_the_real_address_given_on_the_command_line_builds(tmp_path):
    result = minimal_site(tmp_path).run("build", "--publish", "--base-url", REAL_BASE_URL)
    assert (result.code, result.err) == (0, [])


def test_publish_in_github_format_annotates_site_yaml_with_the_content_errors(tmp_path):
    result = minimal_site(tmp_path, {CLAIM_PATH: replaced(CLAIM, "verdict: mostly-true", "verdict: mostly")}).run(
        "check", "--format", "github", "--publish"
    )
    assert result.code == 1
    assert [line.split("::")[1] for line in result.out] == [
        f"error file={CLAIM_PATH},line=4,col=10",
        f"error file={SITE_PATH},line=2,col=11",
    ]


# ---------------------------------------------------------------- new files


def test_new_source_with_text_starts_the_text_file_and_names_it(tmp_path):
    site = minimal_site(tmp_path)
    result = site.run("new", "source", "harbour-report", "--text")
    assert result.code == 0, result.err
    assert result.out == [
        "content/sources/harbour-report.yaml",
        "seeds/harbour-report.txt: paste the source's full text into this file, as published; "
        "its quotes are checked against it",
    ]
    assert (tmp_path / "seeds" / "harbour-report.txt").read_bytes() == b""
    written = (tmp_path / "content" / "sources" / "harbour-report.yaml").read_text(encoding="utf-8")
    assert "\ntext: seeds/harbour-report.txt\n" in written
    line = written.split("\n").index("text: seeds/harbour-report.txt") + 1
    check = site.run("check")
    assert (
        f"content/sources/harbour-report.yaml:{line}:7: error: the archived text 'seeds/harbour-report.txt' is empty: "
        "paste the source's full text into it, as published, and save it"
    ) in check.errors


def test_new_source_with_text_keeps_a_text_already_there(tmp_path):
    site = minimal_site(tmp_path, {"seeds/harbour-report.txt": "The harbour report.\n"})
    assert site.run("new", "source", "harbour-report", "--text").code == 0
    assert (tmp_path / "seeds" / "harbour-report.txt").read_text(encoding="utf-8") == "The harbour report.\n"


def test_new_claim_says_to_change_its_dates(tmp_path):
    site = minimal_site(tmp_path)
    site.run("new", "claim", "tunnel-claim")
    text = (tmp_path / "content" / "claims" / "tunnel-claim.yaml").read_text(encoding="utf-8")
    before_reviewed = text.split("\nreviewed: ")[0].rsplit("\n\n", 1)[1]
    assert (
        "# Filled in with the day this file was started: change it to the day the\n#   fact-check is published."
        in before_reviewed
    )
    assert "# Filled in with today's date: change it to the day the claim was made." in text.split("\ndate: ")[0]

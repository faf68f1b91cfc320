"""Every rule of the content format, broken once: file, line, column and message.

Each test changes one thing in the minimal site (tests/sites.py) and expects
exactly one error (`single_error`), so a rule that also set off a cascade of
unrelated errors would fail too. Line numbers refer to the texts in sites.py,
or to the text written out in the test.
"""

from __future__ import annotations

import os
import textwrap
import unicodedata

import pytest
from sites import (
    ARCHIVED_TEXT,
    CLAIM,
    CLAIM_PATH,
    PERSON,
    PERSON_PATH,
    PLACEHOLDER_WARNING,
    SITE_PATH,
    SITE_YAML,
    SOURCE,
    SOURCE_PATH,
    TEXT_PATH,
    TOPIC,
    TOPIC_PATH,
    minimal_site,
    replaced,
    single_error,
    tree_snapshot,
)


def builds(tmp_path, changes: dict) -> None:
    result = minimal_site(tmp_path, changes).run("build")
    assert result.code == 0, "\n".join(result.err)
    assert result.err == [PLACEHOLDER_WARNING]


CUSTOM_SCALE = (
    SITE_YAML
    + """\
verdicts:
  - id: correct
    label: Correct
    rating: 2
    description: The claim is right.
  - id: wrong
    label: Wrong
    rating: 1
    description: The claim is wrong.
"""
)  # verdict mappings start at 7:5 and 11:5; the ratings are on lines 9 and 13

CLAIM_WITH_CORRECTION = (
    CLAIM
    + """\
corrections:
  - date: 2021-10-01
    note: The opening month was March, not April.
"""
)  # the correction's mapping starts at 15:5


def without_key(text: str, key: str) -> str:
    """`text` without the top-level `key` line and the indented lines under it."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    return "".join(lines[:start] + lines[end:])


# ---------------------------------------------------------------- required keys


@pytest.mark.parametrize(
    "path, text, record, key",
    [
        (SITE_PATH, SITE_YAML, "site.yaml", "title"),
        (SITE_PATH, SITE_YAML, "site.yaml", "base_url"),
        (SITE_PATH, SITE_YAML, "site.yaml", "publisher"),
        (CLAIM_PATH, CLAIM, "claim", "claim"),
        (CLAIM_PATH, CLAIM, "claim", "claimant"),
        (CLAIM_PATH, CLAIM, "claim", "date"),
        (CLAIM_PATH, CLAIM, "claim", "verdict"),
        (CLAIM_PATH, CLAIM, "claim", "summary"),
        (CLAIM_PATH, CLAIM, "claim", "analysis"),
        (CLAIM_PATH, CLAIM, "claim", "reviewed"),
        (SOURCE_PATH, SOURCE, "source", "title"),
        (SOURCE_PATH, SOURCE, "source", "kind"),
        (PERSON_PATH, PERSON, "person", "name"),
        (TOPIC_PATH, TOPIC + "description: Bridges built or promised.\n", "topic", "title"),
    ],
)
def test_a_missing_required_key_is_reported_at_the_start_of_the_file(tmp_path, path, text, record, key):
    where, message = single_error(tmp_path, {path: without_key(text, key)})
    assert where == f"{path}:1:1"
    assert f"{record} is missing the required key '{key}'" in message


@pytest.mark.parametrize(
    "quote, key",
    [
        ("  - speaker: jane-roe\n    text: The new bridge was finished in March, two months early.\n", "id"),
        ("  - id: bridge-finished\n    text: The new bridge was finished in March, two months early.\n", "speaker"),
        ("  - id: bridge-finished\n    speaker: jane-roe\n", "text"),
    ],
)
def test_a_quote_missing_a_required_key(tmp_path, quote, key):
    source = SOURCE.split("  - id:")[0] + quote
    where, message = single_error(tmp_path, {SOURCE_PATH: source})
    assert where == f"{SOURCE_PATH}:6:5"
    assert f"quote is missing the required key '{key}'" in message


@pytest.mark.parametrize(
    "removed, key",
    [
        ("  name: Example Fact-Checkers\n", "name"),
        ("  url: https://factcheck.example.org/about/\n", "url"),
    ],
)
def test_the_publisher_missing_a_required_key(tmp_path, removed, key):
    where, message = single_error(tmp_path, {SITE_PATH: replaced(SITE_YAML, removed, "")})
    assert where == f"{SITE_PATH}:4:3"
    assert f"publisher is missing the required key '{key}'" in message


@pytest.mark.parametrize(
    "removed, key",
    [
        ("    label: Wrong\n", "label"),
        ("    description: The claim is wrong.\n", "description"),
    ],
)
def test_a_verdict_missing_a_required_key(tmp_path, removed, key):
    where, message = single_error(tmp_path, {SITE_PATH: replaced(CUSTOM_SCALE, removed, "")})
    assert where == f"{SITE_PATH}:11:5"
    assert f"verdict is missing the required key '{key}'" in message


def test_a_verdict_missing_its_id(tmp_path):
    site = replaced(CUSTOM_SCALE, "  - id: wrong\n    label: Wrong\n", "  - label: Wrong\n")
    where, message = single_error(tmp_path, {SITE_PATH: site, CLAIM_PATH: replaced(CLAIM, "mostly-true", "correct")})
    assert where == f"{SITE_PATH}:11:5"
    assert "verdict is missing the required key 'id'" in message


@pytest.mark.parametrize(
    "correction, key",
    [
        ("  - note: The opening month was March, not April.\n", "date"),
        ("  - date: 2021-10-01\n", "note"),
    ],
)
def test_a_correction_missing_a_required_key(tmp_path, correction, key):
    where, message = single_error(tmp_path, {CLAIM_PATH: CLAIM + "corrections:\n" + correction})
    assert where == f"{CLAIM_PATH}:15:5"
    assert f"correction is missing the required key '{key}'" in message


# ---------------------------------------------------------------- unknown keys


@pytest.mark.parametrize(
    "path, text, record, where, suggestion",
    [
        (SITE_PATH, SITE_YAML + "descripton: Fact-checks of roads.\n", "site.yaml", "6:1", "description"),
        (SITE_PATH, SITE_YAML + "  nam: Example\n", "publisher", "6:3", "name"),
        (CLAIM_PATH, CLAIM + "updatd: 2021-10-01\n", "claim", "14:1", "updated"),
        (SOURCE_PATH, replaced(SOURCE, "publisher:", "publsher:"), "source", "3:1", "publisher"),
        (SOURCE_PATH, SOURCE + "    contxt: At a press conference.\n", "quote", "9:5", "context"),
        (PERSON_PATH, PERSON + "affilation: example-ministry\n", "person", "3:1", "affiliation"),
        (TOPIC_PATH, TOPIC + "descripion: Bridges built or promised.\n", "topic", "2:1", "description"),
        (SITE_PATH, replaced(CUSTOM_SCALE, "    rating: 1\n", "    rateing: 1\n"), "verdict", "13:5", "rating"),
        (CLAIM_PATH, CLAIM_WITH_CORRECTION + "    notes: Fixed.\n", "correction", "17:5", "note"),
    ],
)
def test_an_unknown_key_suggests_the_closest_allowed_one(tmp_path, path, text, record, where, suggestion):
    changes = {path: text}
    if record == "verdict":  # the custom scale has no mostly-true
        changes[CLAIM_PATH] = replaced(CLAIM, "mostly-true", "correct")
    found_where, message = single_error(tmp_path, changes)
    assert found_where == f"{path}:{where}"
    assert f"in {record} (did you mean '{suggestion}'?)" in message
    assert "allowed keys are:" in message


# ---------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    "name, problem",
    [
        ("Bridges", "use only lowercase letters"),
        ("new_bridges", "use only lowercase letters"),
        ("-bridges", "use only lowercase letters"),
        ("bridges-", "use only lowercase letters"),
        ("new--bridges", "use only lowercase letters"),
        ("b" * 81, "it is 81 characters long; the limit is 80"),
    ],
)
def test_a_file_name_that_is_not_a_slug(tmp_path, name, problem):
    path = f"content/topics/{name}.yaml"
    where, message = single_error(tmp_path, {path: TOPIC})
    assert where == f"{path}:1:1"
    assert f"the file name '{name}' cannot be an id ({problem}" in message


def test_a_file_name_of_80_characters_is_a_slug(tmp_path):
    name = "b" * 80
    builds(tmp_path, {f"content/topics/{name}.yaml": TOPIC})
    assert (tmp_path / "public" / "topics" / name / "index.html").is_file()


# An id that is not one gets the id it was probably meant to be.
@pytest.mark.parametrize(
    "value, fixed",
    [
        ("Bridge-Finished", "bridge-finished"),
        ("bridge_finished", "bridge-finished"),
        ("-bridge", "bridge"),
        ("bridge--finished", "bridge-finished"),
    ],
)
def test_an_id_that_is_not_one(tmp_path, value, fixed):
    found_where, message = single_error(
        tmp_path, {SOURCE_PATH: replaced(SOURCE, "id: bridge-finished", f"id: {value}")}
    )
    assert found_where == f"{SOURCE_PATH}:6:9"
    assert message == (
        f"'id' value '{value}' cannot be an id (use only lowercase letters a-z, digits and single "
        f"hyphens, not at the start or end): write '{fixed}'"
    )


# A reference written as a name, or not quite as the file name, is matched
# against file names and names: never the bare word "slug".
@pytest.mark.parametrize(
    "path, text, where, expected",
    [
        (
            SOURCE_PATH,
            replaced(SOURCE, "speaker: jane-roe", "speaker: Jane-Roe"),
            "7:14",
            "speaker 'Jane-Roe' is not the file name of a person in people/, without .yaml (did you mean 'jane-roe' (Jane Roe)?)",
        ),
        (
            CLAIM_PATH,
            replaced(CLAIM, "claimant: jane-roe", "claimant: jane_roe"),
            "2:11",
            "claimant 'jane_roe' is not the file name of a person in people/, without .yaml (did you mean 'jane-roe' (Jane Roe)?)",
        ),
        (
            CLAIM_PATH,
            replaced(CLAIM, "  - bridges", "  - Bridges"),
            "13:5",
            "topic 'Bridges' is not the file name of a topic in topics/, without .yaml (did you mean 'bridges' (Bridges)?)",
        ),
        (
            CLAIM_PATH,
            CLAIM + "counterclaims:\n  - bridge-finished-late-\n",
            "15:5",
            "counterclaim 'bridge-finished-late-' is not the file name of a claim in claims/, without .yaml "
            "(did you mean 'bridge-finished-early' (The new bridge was finished two months early.)?)",
        ),
        (
            CLAIM_PATH,
            CLAIM + "appearances:\n  - ministry statement\n",
            "15:5",
            "appearance 'ministry statement' is not the file name of a source in sources/, without .yaml "
            "(did you mean 'ministry-statement' (Statement on the new bridge)?)",
        ),
        (
            PERSON_PATH,
            PERSON + "affiliation: Example-Ministry\n",
            "3:14",
            "affiliation 'Example-Ministry' is not the file name of a person in people/, without .yaml: write one of 'jane-roe' (Jane Roe)",
        ),
    ],
)
def test_a_reference_that_is_not_a_file_name(tmp_path, path, text, where, expected):
    found_where, message = single_error(tmp_path, {path: text})
    assert found_where == f"{path}:{where}"
    assert message == expected


def test_a_quote_id_of_81_characters(tmp_path):
    source = replaced(SOURCE, "id: bridge-finished", "id: " + "q" * 81)
    where, message = single_error(tmp_path, {SOURCE_PATH: source})
    assert where == f"{SOURCE_PATH}:6:9"
    assert "it is 81 characters long; the limit is 80" in message


def test_a_custom_verdict_id_that_is_not_a_slug(tmp_path):
    site = replaced(CUSTOM_SCALE, "id: correct", "id: Correct_Claim")
    where, message = single_error(tmp_path, {SITE_PATH: site})
    assert where == f"{SITE_PATH}:7:9"
    assert (
        "'id' value 'Correct_Claim' cannot be an id (use only lowercase letters a-z, digits and single hyphens, "
        "not at the start or end): write 'correct-claim'" == message
    )


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "path, text, where, key, value",
    [
        (CLAIM_PATH, replaced(CLAIM, "date: 2021-09-05", "date: 2021-9-5"), "3:7", "date", "2021-9-5"),
        (CLAIM_PATH, replaced(CLAIM, "date: 2021-09-05", "date: 05/09/2021"), "3:7", "date", "05/09/2021"),
        (CLAIM_PATH, replaced(CLAIM, "date: 2021-09-05", "date: 2021-09-05T10:00"), "3:7", "date", "2021-09-05T10:00"),
        (
            CLAIM_PATH,
            replaced(CLAIM, "reviewed: 2021-09-20", "reviewed: 20 September 2021"),
            "9:11",
            "reviewed",
            "20 September 2021",
        ),
        (CLAIM_PATH, CLAIM + "updated: 2021-10\n", "14:10", "updated", "2021-10"),
        (
            CLAIM_PATH,
            replaced(CLAIM_WITH_CORRECTION, "date: 2021-10-01", "date: 1 Oct 2021"),
            "15:11",
            "date",
            "1 Oct 2021",
        ),
        (SOURCE_PATH, SOURCE + "    date: March 2021\n", "9:11", "date", "March 2021"),
        (SOURCE_PATH, replaced(SOURCE, "text: archive", "published: 2021\ntext: archive"), "4:12", "published", "2021"),
    ],
)
def test_a_date_not_written_yyyy_mm_dd(tmp_path, path, text, where, key, value):
    found_where, message = single_error(tmp_path, {path: text})
    assert found_where == f"{path}:{where}"
    assert f"'{key}' should be a date written YYYY-MM-DD, like 2021-09-05, not '{value}'" in message


@pytest.mark.parametrize("date", ["2021-02-30", "2021-13-01", "2023-02-29", "2021-00-10"])
def test_an_impossible_date(tmp_path, date):
    where, message = single_error(tmp_path, {CLAIM_PATH: replaced(CLAIM, "date: 2021-09-05", f"date: {date}")})
    assert where == f"{CLAIM_PATH}:3:7"
    assert f"'date' is not a real date: '{date}'" in message


def test_a_leap_day_is_a_real_date(tmp_path):
    builds(tmp_path, {CLAIM_PATH: replaced(CLAIM, "date: 2021-09-05", "date: 2020-02-29")})


# ---------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    "path, text, where, key, value",
    [
        (PERSON_PATH, PERSON + "url: javascript:alert(1)\n", "3:6", "url", "javascript:alert(1)"),
        (
            PERSON_PATH,
            PERSON + "url: JAVASCRIPT://example.org/%0aalert(1)\n",
            "3:6",
            "url",
            "JAVASCRIPT://example.org/%0aalert(1)",
        ),
        (
            PERSON_PATH,
            PERSON + "same_as:\n  - www.wikidata.org/wiki/Q42\n",
            "4:5",
            "same_as",
            "www.wikidata.org/wiki/Q42",
        ),
        (
            SOURCE_PATH,
            SOURCE + "url: ftp://example.org/statement.txt\n",
            "9:6",
            "url",
            "ftp://example.org/statement.txt",
        ),
        (SOURCE_PATH, SOURCE + "archive_url: /web/2021/statement\n", "9:14", "archive_url", "/web/2021/statement"),
        (SOURCE_PATH, SOURCE + "url: https://\n", "9:6", "url", "https://"),
        (
            SOURCE_PATH,
            SOURCE + "url: https://example.org/a statement\n",
            "9:6",
            "url",
            "https://example.org/a statement",
        ),
        (
            SITE_PATH,
            replaced(SITE_YAML, "url: https://factcheck.example.org/about/", "url: factcheck.example.org"),
            "5:8",
            "url",
            "factcheck.example.org",
        ),
        (
            SITE_PATH,
            replaced(SITE_YAML, "base_url: https://", "base_url: ftp://"),
            "2:11",
            "base_url",
            "ftp://factcheck.example.org/",
        ),
    ],
)
def test_a_url_that_is_not_http(tmp_path, path, text, where, key, value):
    found_where, message = single_error(tmp_path, {path: text})
    assert found_where == f"{path}:{where}"
    assert f"'{key}' should be a full web address starting with http:// or https://, not '{value}'" in message


def test_base_url_must_end_with_a_slash(tmp_path):
    site = replaced(SITE_YAML, "base_url: https://factcheck.example.org/", "base_url: https://example.org/archive")
    where, message = single_error(tmp_path, {SITE_PATH: site})
    assert where == f"{SITE_PATH}:2:11"
    assert "base_url should end with '/': write https://example.org/archive/" in message


# ---------------------------------------------------------------- languages


@pytest.mark.parametrize(
    "path, text, where, value",
    [
        (SITE_PATH, SITE_YAML + "language: English\n", "6:11", "English"),
        (CLAIM_PATH, CLAIM + "language: en_US\n", "14:11", "en_US"),
        (SOURCE_PATH, SOURCE + "language: e\n", "9:11", "e"),
        (SOURCE_PATH, SOURCE + "language: fa-AF-\n", "9:11", "fa-AF-"),
    ],
)
def test_a_language_that_is_not_a_bcp47_tag(tmp_path, path, text, where, value):
    found_where, message = single_error(tmp_path, {path: text})
    assert found_where == f"{path}:{where}"
    assert f"'language' should be a BCP 47 language tag such as en, fa-AF, ps or ar, not '{value}'" in message


def test_language_tags_with_script_and_region_are_accepted(tmp_path):
    builds(
        tmp_path,
        {
            SITE_PATH: SITE_YAML + "language: fa-AF\n",
            CLAIM_PATH: CLAIM + "language: zh-Hant-TW\n",
            SOURCE_PATH: SOURCE + "language: es-419\n",
        },
    )


# ---------------------------------------------------------------- choices


def test_a_source_kind_not_in_the_list(tmp_path):
    where, message = single_error(tmp_path, {SOURCE_PATH: replaced(SOURCE, "kind: statement", "kind: article")})
    assert where == f"{SOURCE_PATH}:2:7"
    assert (
        "'kind' must be one of news-article, statement, interview, speech, social-post, video, report, document, other, not 'article'"
        in message
    )
    assert "(did you mean 'news-article'?)" in message


def test_a_person_kind_not_in_the_list(tmp_path):
    where, message = single_error(tmp_path, {PERSON_PATH: PERSON + "kind: organisation\n"})
    assert where == f"{PERSON_PATH}:3:7"
    assert "'kind' must be one of person, organization, not 'organisation' (did you mean 'organization'?)" in message


# ---------------------------------------------------------------- verdicts


def test_a_verdict_not_in_the_default_scale(tmp_path):
    where, message = single_error(
        tmp_path, {CLAIM_PATH: replaced(CLAIM, "verdict: mostly-true", "verdict: mostly-ture")}
    )
    assert where == f"{CLAIM_PATH}:4:10"
    assert (
        "verdict 'mostly-ture' does not exist in the verdict scale (did you mean 'mostly-true' (Mostly true)?)"
        in message
    )


def test_every_verdict_of_the_default_scale_is_accepted(tmp_path):
    site = minimal_site(tmp_path)
    for verdict in ("true", "mostly-true", "half-true", "mostly-false", "false", "unproven", "disputed", "opinion"):
        site.write(CLAIM_PATH, replaced(CLAIM, "verdict: mostly-true", f"verdict: {verdict}"))
        result = site.run("check")
        assert result.code == 0, (verdict, result.err)


def test_a_custom_scale_replaces_the_default_one(tmp_path):
    where, message = single_error(tmp_path, {SITE_PATH: CUSTOM_SCALE})
    assert where == f"{CLAIM_PATH}:4:10"
    assert "verdict 'mostly-true' does not exist in the verdict scale" in message


def test_a_verdict_not_in_a_custom_scale_suggests_the_closest(tmp_path):
    where, message = single_error(
        tmp_path,
        {
            SITE_PATH: CUSTOM_SCALE,
            CLAIM_PATH: replaced(CLAIM, "verdict: mostly-true", "verdict: corect"),
        },
    )
    assert where == f"{CLAIM_PATH}:4:10"
    assert "verdict 'corect' does not exist in the verdict scale (did you mean 'correct' (Correct)?)" in message


def test_a_custom_scale_with_an_unrated_verdict_builds(tmp_path):
    site = CUSTOM_SCALE + "  - id: too-early\n    label: Too early to say\n    description: Wait and see.\n"
    builds(tmp_path, {SITE_PATH: site, CLAIM_PATH: replaced(CLAIM, "verdict: mostly-true", "verdict: too-early")})


def test_a_rating_beyond_the_number_of_rated_verdicts(tmp_path):
    site = replaced(CUSTOM_SCALE, "    rating: 1\n", "    rating: 3\n")
    where, message = single_error(tmp_path, {SITE_PATH: site, CLAIM_PATH: replaced(CLAIM, "mostly-true", "correct")})
    assert where == f"{SITE_PATH}:11:5"
    assert (
        "verdict 'wrong' has rating 3, but with 2 rated verdicts the ratings run from 1 (worst) to 2 (best)" in message
    )


@pytest.mark.parametrize("rating", ["0", "-1", "two", "1.5", "21"])
def test_a_rating_that_is_not_a_whole_number_in_range(tmp_path, rating):
    site = replaced(CUSTOM_SCALE, "    rating: 1\n", f"    rating: {rating}\n")
    where, message = single_error(tmp_path, {SITE_PATH: site, CLAIM_PATH: replaced(CLAIM, "mostly-true", "correct")})
    assert where == f"{SITE_PATH}:13:13"
    assert f"'rating' should be a whole number from 1 to 20, not '{rating}'" in message


def test_two_verdicts_with_the_same_rating(tmp_path):
    site = replaced(CUSTOM_SCALE, "    rating: 2\n", "    rating: 1\n")
    where, message = single_error(tmp_path, {SITE_PATH: site, CLAIM_PATH: replaced(CLAIM, "mostly-true", "correct")})
    assert where == f"{SITE_PATH}:11:5"
    assert "verdicts 'correct' and 'wrong' both have rating 1" in message


def test_two_verdicts_with_the_same_id(tmp_path):
    site = replaced(CUSTOM_SCALE, "id: wrong", "id: correct")
    where, message = single_error(tmp_path, {SITE_PATH: site, CLAIM_PATH: replaced(CLAIM, "mostly-true", "correct")})
    assert where == f"{SITE_PATH}:11:5"
    assert "'correct' is listed twice in 'verdicts' (first on line 7)" in message


def test_an_empty_verdict_scale(tmp_path):
    where, message = single_error(tmp_path, {SITE_PATH: SITE_YAML + "verdicts: []\n"})
    assert where == f"{SITE_PATH}:6:11"
    assert "'verdicts' needs at least 1 item" in message


# ---------------------------------------------------------------- quote references


def test_a_malformed_quote_reference(tmp_path):
    claim = replaced(CLAIM, "  - ministry-statement#bridge-finished", "  - ministry-statement/bridge-finished")
    where, message = single_error(tmp_path, {CLAIM_PATH: claim})
    assert where == f"{CLAIM_PATH}:11:5"
    assert message == (
        "'ministry-statement/bridge-finished' is not a quote reference: write the source's file name "
        "without .yaml, a #, and the quote's id, like ministry-statement#bridge-finished"
    )


def test_a_quote_reference_to_an_unknown_source(tmp_path):
    claim = replaced(CLAIM, "  - ministry-statement#bridge-finished", "  - ministry-statment#bridge-finished")
    where, message = single_error(tmp_path, {CLAIM_PATH: claim})
    assert where == f"{CLAIM_PATH}:11:5"
    assert (
        "there is no source 'ministry-statment' in sources/ (did you mean 'ministry-statement' (Statement on the new bridge)?)"
        in message
    )


def test_a_quote_reference_to_an_unknown_quote_id(tmp_path):
    claim = replaced(CLAIM, "  - ministry-statement#bridge-finished", "  - ministry-statement#bridge-finshed")
    where, message = single_error(tmp_path, {CLAIM_PATH: claim})
    assert where == f"{CLAIM_PATH}:11:5"
    assert (
        "source 'ministry-statement' has no quote with id 'bridge-finshed' (did you mean 'bridge-finished'?)" in message
    )


# ---------------------------------------------------------------- references between records


@pytest.mark.parametrize(
    "path, text, where, expected",
    [
        (
            CLAIM_PATH,
            replaced(CLAIM, "claimant: jane-roe", "claimant: jane-doe"),
            "2:11",
            "claimant 'jane-doe' does not exist in people/ (did you mean 'jane-roe' (Jane Roe)?)",
        ),
        (
            SOURCE_PATH,
            replaced(SOURCE, "speaker: jane-roe", "speaker: jane-doe"),
            "7:14",
            "speaker 'jane-doe' does not exist in people/ (did you mean 'jane-roe' (Jane Roe)?)",
        ),
        (
            CLAIM_PATH,
            CLAIM + "appearances:\n  - ministry-statment\n",
            "15:5",
            "appearance 'ministry-statment' does not exist in sources/ (did you mean 'ministry-statement' (Statement on the new bridge)?)",
        ),
        (
            CLAIM_PATH,
            CLAIM + "counterclaims:\n  - bridge-finished-late\n",
            "15:5",
            "counterclaim 'bridge-finished-late' does not exist in claims/ "
            "(did you mean 'bridge-finished-early' (The new bridge was finished two months early.)?)",
        ),
        (
            PERSON_PATH,
            PERSON + "affiliation: example-ministri\n",
            "3:14",
            "affiliation 'example-ministri' does not exist in people/",
        ),
    ],
)
def test_a_reference_to_a_missing_record(tmp_path, path, text, where, expected):
    found_where, message = single_error(tmp_path, {path: text})
    assert found_where == f"{path}:{where}"
    assert expected in message


def test_a_claim_cannot_be_its_own_counterclaim(tmp_path):
    where, message = single_error(tmp_path, {CLAIM_PATH: CLAIM + "counterclaims:\n  - bridge-finished-early\n"})
    assert where == f"{CLAIM_PATH}:15:5"
    assert "a claim cannot be its own counterclaim" in message


def test_an_affiliation_must_be_an_organisation(tmp_path):
    where, message = single_error(
        tmp_path,
        {
            "content/people/john-doe.yaml": "name: John Doe\naffiliation: jane-roe\n",
        },
    )
    assert where == "content/people/john-doe.yaml:2:14"
    assert "affiliation 'jane-roe' is a person; an affiliation must be an organisation" in message


def test_an_affiliation_to_an_organisation_builds(tmp_path):
    builds(
        tmp_path,
        {
            "content/people/example-ministry.yaml": "name: Example Ministry\nkind: organization\n",
            PERSON_PATH: PERSON + "affiliation: example-ministry\n",
        },
    )


def test_an_affiliation_to_oneself(tmp_path):
    where, message = single_error(
        tmp_path,
        {
            "content/people/example-ministry.yaml": "name: Example Ministry\nkind: organization\naffiliation: example-ministry\n",
        },
    )
    assert where == "content/people/example-ministry.yaml:3:14"
    assert "cannot be its own affiliation" in message


def test_a_topic_without_a_file_gets_a_page_titled_from_its_slug(tmp_path):
    builds(tmp_path, {TOPIC_PATH: None, CLAIM_PATH: replaced(CLAIM, "  - bridges", "  - new-bridges")})
    page = (tmp_path / "public" / "topics" / "new-bridges" / "index.html").read_text(encoding="utf-8")
    assert "New bridges" in page


# ---------------------------------------------------------------- duplicates in lists


@pytest.mark.parametrize(
    "path, text, where, expected",
    [
        (CLAIM_PATH, CLAIM + "  - bridges\n", "14:5", "'bridges' is listed twice in 'topics' (first on line 13)"),
        (
            CLAIM_PATH,
            replaced(CLAIM, "topics:", "  - ministry-statement#bridge-finished\ntopics:"),
            "12:5",
            "'ministry-statement#bridge-finished' is listed twice in 'quotes' (first on line 11)",
        ),
        (
            CLAIM_PATH,
            CLAIM + "appearances:\n  - ministry-statement\n  - ministry-statement\n",
            "16:5",
            "'ministry-statement' is listed twice in 'appearances' (first on line 15)",
        ),
        (
            PERSON_PATH,
            PERSON + "same_as:\n  - https://example.org/jane\n  - https://example.org/jane\n",
            "5:5",
            "'https://example.org/jane' is listed twice in 'same_as' (first on line 4)",
        ),
    ],
)
def test_an_item_listed_twice(tmp_path, path, text, where, expected):
    found_where, message = single_error(tmp_path, {path: text})
    assert found_where == f"{path}:{where}"
    assert expected in message


def test_two_quotes_with_the_same_id_in_one_source(tmp_path):
    source = SOURCE + ("  - id: bridge-finished\n    speaker: jane-roe\n    text: It cost less than planned.\n")
    where, message = single_error(tmp_path, {SOURCE_PATH: source})
    assert where == f"{SOURCE_PATH}:9:5"
    assert "'bridge-finished' is listed twice in 'quotes' (first on line 6)" in message


# ---------------------------------------------------------------- quotes in archived texts


def test_a_quote_not_in_the_archived_text(tmp_path):
    source = replaced(SOURCE, "finished in March", "finished in April")
    where, message = single_error(tmp_path, {SOURCE_PATH: source})
    assert where == f"{SOURCE_PATH}:8:11"
    assert "quote 'bridge-finished' is not in the archived text archive/ministry-statement.txt" in message
    assert "it matches up to '…bridge was finished in' and then differs at 'April,'" in message


def quote_source(quote_text: str) -> str:
    """The minimal source with its one quote's text written as a folded block."""
    return SOURCE.split("    text:")[0] + "    text: >-\n" + textwrap.indent(quote_text, "      ") + "\n"


@pytest.mark.parametrize(
    "archived, quote",
    [
        pytest.param(ARCHIVED_TEXT, "The new   bridge was\n finished in March,\ttwo months early.", id="white space"),
        pytest.param(
            "She said: “The bridge—finished in March—wasn’t late.”",
            '"The bridge-finished in March-wasn\'t late."',
            id="typographic text, straight quote",
        ),
        pytest.param(
            'She said: "The bridge - finished in March - wasn\'t late."',
            "“The bridge – finished in March — wasn’t late.”",
            id="straight text, typographic quote",
        ),
        pytest.param(ARCHIVED_TEXT, "The new bridge … two months early.", id="ellipsis character"),
        pytest.param(ARCHIVED_TEXT, "The new bridge... two months early...less than planned", id="three dots"),
        pytest.param(
            unicodedata.normalize("NFD", "Jane Roe opened the Café Métropole bridge."),
            unicodedata.normalize("NFC", "the Café Métropole bridge"),
            id="NFD text, NFC quote",
        ),
        pytest.param(
            unicodedata.normalize("NFC", "Jane Roe opened the Café Métropole bridge."),
            unicodedata.normalize("NFD", "the Café Métropole bridge"),
            id="NFC text, NFD quote",
        ),
    ],
)
def test_a_quote_found_despite_keyboard_differences(tmp_path, archived, quote):
    builds(tmp_path, {TEXT_PATH: archived, SOURCE_PATH: quote_source(quote)})


def test_omitted_parts_out_of_order_are_not_found(tmp_path):
    where, message = single_error(tmp_path, {SOURCE_PATH: quote_source("two months early … The new bridge")})
    assert where == f"{SOURCE_PATH}:8:11"
    assert "quote 'bridge-finished' is not in the archived text" in message


def test_a_miss_after_an_omission_names_the_word_that_differs(tmp_path):
    # Both parts' first words are in the text; only 'late' is not.
    where, message = single_error(tmp_path, {SOURCE_PATH: quote_source("The new bridge … two months late")})
    assert where == f"{SOURCE_PATH}:8:11"
    assert "differs at 'late'" in message


# ---------------------------------------------------------------- archived text files


def test_an_archived_text_that_does_not_exist(tmp_path):
    where, message = single_error(tmp_path, {TEXT_PATH: None})
    assert where == f"{SOURCE_PATH}:4:7"
    assert "the archived text 'archive/ministry-statement.txt' does not exist" in message


def test_an_archived_text_given_as_an_absolute_path(tmp_path):
    absolute = str(tmp_path / TEXT_PATH)
    where, message = single_error(tmp_path, {SOURCE_PATH: replaced(SOURCE, "archive/ministry-statement.txt", absolute)})
    assert where == f"{SOURCE_PATH}:4:7"
    assert f"'{absolute}' is an absolute path: write the path relative to the folder that holds content/" in message


def test_an_archived_text_outside_the_site_by_dot_dot(tmp_path):
    (tmp_path / "outside.txt").write_text(ARCHIVED_TEXT, encoding="utf-8")
    source = replaced(SOURCE, "archive/ministry-statement.txt", "archive/../../outside.txt")
    where, message = single_error(tmp_path / "site", {SOURCE_PATH: source})
    assert where == f"{SOURCE_PATH}:4:7"
    assert "'archive/../../outside.txt' points outside the site's folder" in message


def test_an_archived_text_outside_the_site_by_symlink(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(ARCHIVED_TEXT, encoding="utf-8")
    site = minimal_site(tmp_path / "site", {TEXT_PATH: None})
    (tmp_path / "site" / TEXT_PATH).parent.mkdir()
    os.symlink(outside, tmp_path / "site" / TEXT_PATH)
    result = site.run("build")
    assert result.code == 1
    assert len(result.errors) == 1, result.err
    assert result.errors[0].startswith(
        f"{SOURCE_PATH}:4:7: error: 'archive/ministry-statement.txt' points outside the site's folder"
    )


def test_an_archived_text_that_is_not_utf8(tmp_path):
    where, message = single_error(tmp_path, {TEXT_PATH: ARCHIVED_TEXT.encode("utf-8") + b"Caf\xe9 opened.\n"})
    assert where == f"{SOURCE_PATH}:4:7"
    assert "the archived text 'archive/ministry-statement.txt' is not valid UTF-8" in message


def test_an_archived_text_that_is_a_folder(tmp_path):
    site = minimal_site(tmp_path, {TEXT_PATH: None})
    (tmp_path / TEXT_PATH).mkdir(parents=True)
    result = site.run("build")
    assert result.code == 1
    assert len(result.errors) == 1, result.err
    assert result.errors[0].startswith(f"{SOURCE_PATH}:4:7: error: ")


# ---------------------------------------------------------------- links inside Markdown


def claim_with_analysis(analysis: str) -> str:
    """The minimal claim with `analysis` last: 'analysis: |' is line 11, the block starts on line 12."""
    return without_key(CLAIM, "analysis") + "analysis: |\n" + textwrap.indent(analysis, "  ")


@pytest.mark.parametrize(
    "target, expected",
    [
        (
            "claim:bridge-finished-late",
            "link 'claim:bridge-finished-late' points at a claim that does not exist (did you mean 'bridge-finished-early' (The new bridge was finished two months early.)?)",
        ),
        (
            "source:ministry-statment",
            "link 'source:ministry-statment' points at a source that does not exist (did you mean 'ministry-statement' (Statement on the new bridge)?)",
        ),
        (
            "source:ministry-statement#bridge-opened",
            "link 'source:ministry-statement#bridge-opened': source 'ministry-statement' has no quote with id 'bridge-opened'",
        ),
        (
            "source:ministry-statment#bridge-finished",
            "link 'source:ministry-statment#bridge-finished': there is no source 'ministry-statment' in sources/",
        ),
        (
            "person:jane-doe",
            "link 'person:jane-doe' points at a person that does not exist (did you mean 'jane-roe' (Jane Roe)?)",
        ),
        (
            "topic:bridge",
            "link 'topic:bridge' points at a topic that does not exist (did you mean 'bridges' (Bridges)?)",
        ),
    ],
)
def test_a_markdown_link_to_a_missing_record_is_placed_at_the_link(tmp_path, target, expected):
    analysis = f"The minister spoke.\n\nRead [her words]({target}) again.\n"
    where, message = single_error(tmp_path, {CLAIM_PATH: claim_with_analysis(analysis)})
    assert where == f"{CLAIM_PATH}:14:20"  # line 3 of the block; '(' is column 19
    assert expected in message


def test_markdown_links_to_existing_records_build(tmp_path):
    analysis = (
        "[Claim](claim:bridge-finished-early), [source](source:ministry-statement),\n"
        "[quote](source:ministry-statement#bridge-finished), [person](person:jane-roe),\n"
        "[topic](topic:bridges) and [the web](https://example.org/).\n"
    )
    builds(tmp_path, {CLAIM_PATH: claim_with_analysis(analysis)})


def test_a_markdown_link_to_a_topic_named_only_by_a_claim_builds(tmp_path):
    builds(tmp_path, {TOPIC_PATH: None, CLAIM_PATH: claim_with_analysis("See [bridges](topic:bridges).\n")})


def test_two_broken_links_are_each_placed_at_their_own_line(tmp_path):
    analysis = "First [one](claim:missing-one).\n\nThen [two](person:missing-two).\n"
    result = minimal_site(tmp_path, {CLAIM_PATH: claim_with_analysis(analysis)}).run("build")
    assert result.code == 1
    assert result.places == [f"{CLAIM_PATH}:12:15", f"{CLAIM_PATH}:14:14"]


def test_the_same_broken_link_twice_is_reported_at_both_places(tmp_path):
    analysis = "First [one](claim:missing-one).\n\nThen [again](claim:missing-one).\n"
    result = minimal_site(tmp_path, {CLAIM_PATH: claim_with_analysis(analysis)}).run("build")
    assert result.code == 1
    assert result.places == [f"{CLAIM_PATH}:12:15", f"{CLAIM_PATH}:14:16"]


def test_a_broken_link_after_the_same_words_in_plain_text_is_placed_at_the_link(tmp_path):
    analysis = "Editors write claim:missing-one as a link.\n\nLike [this](claim:missing-one).\n"
    where, _ = single_error(tmp_path, {CLAIM_PATH: claim_with_analysis(analysis)})
    assert where == f"{CLAIM_PATH}:14:15"


def test_a_broken_link_in_a_one_line_analysis(tmp_path):
    claim = without_key(CLAIM, "analysis") + "analysis: See [it](claim:nope) for more.\n"
    where, message = single_error(tmp_path, {CLAIM_PATH: claim})
    assert where == f"{CLAIM_PATH}:11:20"
    assert "link 'claim:nope' points at a claim that does not exist" in message


def test_a_reference_style_link_is_placed_at_its_definition(tmp_path):
    analysis = "Read [her words][1].\n\n[1]: person:jane-doe\n"
    where, message = single_error(tmp_path, {CLAIM_PATH: claim_with_analysis(analysis)})
    assert where == f"{CLAIM_PATH}:14:8"
    assert "link 'person:jane-doe' points at a person that does not exist" in message


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,hello",
        "vbscript:msgbox",
        "/claims/other/",
        "file:///etc/passwd",
    ],
)
def test_a_markdown_link_that_is_neither_web_nor_archive(tmp_path, target):
    analysis = f"The minister spoke.\n\nRead [her words]({target}) again.\n"
    where, message = single_error(tmp_path, {CLAIM_PATH: claim_with_analysis(analysis)})
    assert where == f"{CLAIM_PATH}:14:20"
    assert f"link target '{target}' is neither a web address" in message


@pytest.mark.parametrize("target", ["claim:Bridge", "claim:", "person:jane-roe#bio", "topic:bridges/"])
def test_a_malformed_archive_link(tmp_path, target):
    analysis = f"The minister spoke.\n\nRead [her words]({target}) again.\n"
    where, message = single_error(tmp_path, {CLAIM_PATH: claim_with_analysis(analysis)})
    assert where == f"{CLAIM_PATH}:14:20"
    assert f"link target '{target}' is malformed" in message


def test_an_image_from_the_web_in_markdown(tmp_path):
    # Images are files of the site (issue 17): a reader's browser must not fetch one from elsewhere.
    analysis = "The minister spoke.\n\nSee ![the bridge](https://example.org/bridge.png) here.\n"
    where, message = single_error(tmp_path, {CLAIM_PATH: claim_with_analysis(analysis)})
    assert where == f"{CLAIM_PATH}:14:21"
    assert "the image 'https://example.org/bridge.png' is not a file of the site" in message


# ---------------------------------------------------------------- files and folders


def test_an_unknown_folder_in_content(tmp_path):
    where, message = single_error(tmp_path, {"content/claim/bridge-finished-late.yaml": CLAIM})
    assert where == "content/claim:1:1"
    assert "unexpected folder 'claim' in the content folder (did you mean 'claims'?)" in message


def test_an_unknown_file_in_content(tmp_path):
    where, message = single_error(tmp_path, {"content/settings.yaml": SITE_YAML})
    assert where == "content/settings.yaml:1:1"
    assert "unexpected file 'settings.yaml' in the content folder" in message


def test_a_yml_file(tmp_path):
    where, message = single_error(tmp_path, {"content/topics/roads.yml": TOPIC})
    assert where == "content/topics/roads.yml:1:1"
    assert "only .yaml files belong in topics/: rename it to end in .yaml" in message


def test_a_file_that_is_not_yaml_in_claims(tmp_path):
    where, message = single_error(tmp_path, {"content/claims/notes.txt": "Ideas for claims.\n"})
    assert where == "content/claims/notes.txt:1:1"
    assert "only .yaml files belong in claims/" in message


def test_a_folder_inside_claims(tmp_path):
    where, message = single_error(tmp_path, {"content/claims/2021/bridge-finished-late.yaml": CLAIM})
    assert where == "content/claims/2021:1:1"
    assert "only .yaml files belong in claims/" in message


def test_site_yaml_missing(tmp_path):
    where, message = single_error(tmp_path, {SITE_PATH: None})
    assert where == f"{SITE_PATH}:1:1"
    assert "site.yaml is missing" in message


@pytest.mark.parametrize("empty", ["", "\n\n", "# nothing yet\n", "---\n"])
def test_an_empty_site_yaml(tmp_path, empty):
    where, message = single_error(tmp_path, {SITE_PATH: empty})
    assert where == f"{SITE_PATH}:1:1"
    assert "site.yaml is empty" in message


@pytest.mark.parametrize("path", [CLAIM_PATH, SOURCE_PATH, PERSON_PATH, TOPIC_PATH])
def test_an_empty_record_file(tmp_path, path):
    where, message = single_error(tmp_path, {path: ""})
    assert where == f"{path}:1:1"
    assert "this file is empty" in message


# ---------------------------------------------------------------- shapes


@pytest.mark.parametrize(
    "path, text, where, expected",
    [
        (
            CLAIM_PATH,
            replaced(
                CLAIM,
                "claim: The new bridge was finished two months early.",
                "claim:\n  - The new bridge\n  - was finished early.",
            ),
            "2:3",
            "'claim' should be text, not a list",
        ),
        (
            PERSON_PATH,
            replaced(PERSON, "name: Jane Roe", "name: {first: Jane, last: Roe}"),
            "1:7",
            "'name' should be text, not a mapping (key: value pairs)",
        ),
        (
            CLAIM_PATH,
            replaced(CLAIM, "topics:\n  - bridges", "topics: bridges"),
            "12:9",
            "'topics' should be a list: put each item on its own line starting with '- '",
        ),
        (
            CLAIM_PATH,
            replaced(CLAIM, "date: 2021-09-05", "date: [2021-09-05]"),
            "3:7",
            "'date' should be a date written YYYY-MM-DD, not a list",
        ),
        (
            SITE_PATH,
            replaced(
                SITE_YAML,
                "publisher:\n  name: Example Fact-Checkers\n  url: https://factcheck.example.org/about/",
                "publisher: Example Fact-Checkers",
            ),
            "3:12",
            "'publisher' should be a mapping of keys (name, url), not a single value",
        ),
        (
            SOURCE_PATH,
            replaced(
                SOURCE,
                "  - id: bridge-finished\n    speaker: jane-roe\n    text: The new bridge was finished in March, two months early.",
                "  - bridge-finished",
            ),
            "6:5",
            "'quotes' should be a mapping of keys (id, speaker, text, date, context), not a single value",
        ),
        (
            PERSON_PATH,
            "- Jane Roe\n- Minister of roads\n",
            "1:1",
            "this file should be a mapping of keys (name, kind, description, affiliation, url, same_as, draft), not a list",
        ),
        (
            TOPIC_PATH,
            "Bridges\n",
            "1:1",
            "this file should be a mapping of keys (title, description, draft), not a single value",
        ),
    ],
)
def test_a_value_of_the_wrong_shape(tmp_path, path, text, where, expected):
    found_where, message = single_error(tmp_path, {path: text})
    assert found_where == f"{path}:{where}"
    assert expected in message


@pytest.mark.parametrize("value", ["", '""', "'   '"])
def test_an_empty_required_value(tmp_path, value):
    where, message = single_error(
        tmp_path, {PERSON_PATH: replaced(PERSON, "name: Jane Roe", f"name: {value}".rstrip())}
    )
    assert where.startswith(f"{PERSON_PATH}:1:")
    assert "'name' is empty" in message


def test_a_one_line_field_written_over_two_paragraphs(tmp_path):
    where, message = single_error(tmp_path, {TOPIC_PATH: "title: |\n  Bridges\n\n  and roads\n"})
    assert where == f"{TOPIC_PATH}:1:8"
    assert "'title' should be one line of text" in message


# ---------------------------------------------------------------- many errors at once


def test_errors_in_many_files_are_reported_together_sorted_and_the_old_site_is_kept(tmp_path):
    site = minimal_site(tmp_path)
    assert site.run("build").code == 0
    before = tree_snapshot(tmp_path / "public")
    assert "claims/bridge-finished-early/index.html" in before

    site.write(
        CLAIM_PATH,
        replaced(
            replaced(
                replaced(CLAIM, "date: 2021-09-05", "date: 2021-9-5"), "verdict: mostly-true", "verdict: mostly true"
            ),
            "reviewed: 2021-09-20",
            "reviewed: soon",
        )
        + "updated: 2021-13-01\n",
    )
    site.write(PERSON_PATH, PERSON + "url: javascript:alert(1)\n")
    site.write(SITE_PATH, SITE_YAML + "language: English\n")
    site.write(SOURCE_PATH, replaced(SOURCE, "kind: statement", "kind: article"))
    site.write(TOPIC_PATH, "title: ''\n")
    site.write("content/topics/Roads.yaml", TOPIC)
    result = site.run("build")

    assert result.code == 1
    assert result.out == []
    assert result.places == [
        f"{CLAIM_PATH}:3:7",
        f"{CLAIM_PATH}:4:10",
        f"{CLAIM_PATH}:9:11",
        f"{CLAIM_PATH}:14:10",  # after line 9: lines sort as numbers
        f"{PERSON_PATH}:3:6",
        f"{SITE_PATH}:6:11",
        f"{SOURCE_PATH}:2:7",
        "content/topics/Roads.yaml:1:1",
        f"{TOPIC_PATH}:1:8",
    ]
    assert result.err == result.errors + ["9 errors; public was left as it was"]
    assert tree_snapshot(tmp_path / "public") == before
    assert not list(tmp_path.glob(".public.staging*")), "a staging folder was left behind"


def test_missing_references_are_reported_alongside_errors_in_other_files(tmp_path):
    # The person file is broken; the claim file is well formed but names a verdict
    # that does not exist. Both mistakes should show in the same run.
    result = minimal_site(
        tmp_path,
        {
            PERSON_PATH: PERSON + "kind: persn\n",
            CLAIM_PATH: replaced(CLAIM, "verdict: mostly-true", "verdict: mostly-ture"),
        },
    ).run("build")
    assert result.code == 1
    assert result.places == [f"{CLAIM_PATH}:4:10", f"{PERSON_PATH}:3:7"]


def test_check_reports_the_same_errors_as_build_and_writes_nothing(tmp_path):
    site = minimal_site(tmp_path, {SOURCE_PATH: replaced(SOURCE, "kind: statement", "kind: article")})
    checked = site.run("check")
    assert checked.code == 1
    assert not (tmp_path / "public").exists()
    built = site.run("build")
    assert checked.errors == built.errors
    assert checked.err[-1] == "1 error"

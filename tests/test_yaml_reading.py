"""Reading YAML so that it cannot lie: positions kept, every scalar text, traps refused."""

from __future__ import annotations

import contextlib
import time

import pytest
from sites import (
    ARCHIVED_TEXT,
    CLAIM,
    CLAIM_PATH,
    PERSON,
    PERSON_PATH,
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
)

from site_builder.errors import ErrorList, Position
from site_builder.pipeline import BuildOptions, load_library
from site_builder.yamlsrc import parse_yaml


def library_of(site):
    with contextlib.chdir(site.root):
        return load_library(BuildOptions())


# ---------------------------------------------------------------- positions


def test_nested_nodes_keep_their_line_and_column():
    text = (
        "title: Statement\n"
        "quotes:\n"
        "  - id: bridge-finished\n"
        "    speaker: jane-roe\n"
        "publisher: {name: Example Ministry, url: 'https://example.org/'}\n"
    )
    errors = ErrorList()
    root = parse_yaml("s.yaml", text, errors)
    assert not errors
    quotes = root.entries["quotes"][1]
    quote = quotes.items[0]
    assert quotes.pos == Position("s.yaml", 3, 3)
    assert quote.pos == Position("s.yaml", 3, 5)
    speaker_key, speaker = quote.entries["speaker"]
    assert (speaker_key.pos, speaker.pos, speaker.value) == (
        Position("s.yaml", 4, 5),
        Position("s.yaml", 4, 14),
        "jane-roe",
    )
    url = root.entries["publisher"][1].entries["url"][1]
    assert (url.pos, url.value) == (Position("s.yaml", 5, 42), "https://example.org/")


def test_an_error_deep_in_a_file_points_at_the_nested_value(tmp_path):
    where, message = single_error(tmp_path, {SOURCE_PATH: replaced(SOURCE, "speaker: jane-roe", "speaker: jane-doe")})
    assert where == f"{SOURCE_PATH}:7:14"
    assert "speaker 'jane-doe' does not exist" in message


# ---------------------------------------------------------------- duplicate keys


def test_a_duplicate_key_is_reported_at_the_second_with_the_first_line(tmp_path):
    where, message = single_error(tmp_path, {CLAIM_PATH: CLAIM + "date: 2021-09-06\n"})
    assert where == f"{CLAIM_PATH}:14:1"
    assert "duplicate key 'date' (first set on line 3)" in message


def test_a_duplicate_key_inside_a_quote(tmp_path):
    where, message = single_error(tmp_path, {SOURCE_PATH: SOURCE + "    speaker: john-doe\n"})
    assert where == f"{SOURCE_PATH}:9:5"
    assert "duplicate key 'speaker' (first set on line 7)" in message


def test_keys_that_differ_only_in_case_are_not_duplicates_but_unknown(tmp_path):
    where, message = single_error(tmp_path, {PERSON_PATH: PERSON + "Name: Jane\n"})
    assert where == f"{PERSON_PATH}:3:1"
    assert "unknown key 'Name' in person (did you mean 'name'?)" in message


# ---------------------------------------------------------------- every scalar is text


def test_verdict_false_is_the_verdict_false(tmp_path):
    site = minimal_site(tmp_path, {CLAIM_PATH: replaced(CLAIM, "verdict: mostly-true", "verdict: false")})
    assert site.run("build").code == 0
    assert library_of(site).claims["bridge-finished-early"].verdict.slug == "false"


@pytest.mark.parametrize(
    "written, read",
    [
        ("No", "No"),
        ("no", "no"),
        ("off", "off"),
        ("on", "on"),
        ("yes", "yes"),
        ("Y", "Y"),
        ("true", "true"),
        ("null", "null"),
        ("~", "~"),
        ("012", "012"),
        ("0x1F", "0x1F"),
        ("1e3", "1e3"),
        (".inf", ".inf"),
        (".NaN", ".NaN"),
        ("12:30", "12:30"),
        ("2021-09-05", "2021-09-05"),
        ("1_000", "1_000"),
        ("'quoted'", "quoted"),
    ],
)
def test_a_plain_value_is_read_as_the_text_written(tmp_path, written, read):
    site = minimal_site(tmp_path, {PERSON_PATH: f"name: {written}\ndescription: {written}\n"})
    person = library_of(site).people["jane-roe"]
    assert (person.name, person.description) == (read, read)


def test_a_quote_id_with_a_leading_zero_stays_as_written(tmp_path):
    site = minimal_site(
        tmp_path,
        {
            SOURCE_PATH: replaced(SOURCE, "id: bridge-finished", "id: 012"),
            CLAIM_PATH: replaced(
                replaced(CLAIM, "  - ministry-statement#bridge-finished", "  - ministry-statement#012"),
                "(source:ministry-statement#bridge-finished)",
                "(source:ministry-statement#012)",
            ),
        },
    )
    assert site.run("build").code == 0
    library = library_of(site)
    assert [q.id for q in library.sources["ministry-statement"].quotes] == ["012"]
    assert [str(q) for q in library.claims["bridge-finished-early"].quotes] == ["ministry-statement#012"]


def test_a_quoted_date_is_still_a_date(tmp_path):
    site = minimal_site(tmp_path, {CLAIM_PATH: replaced(CLAIM, "date: 2021-09-05", "date: '2021-09-05'")})
    assert str(library_of(site).claims["bridge-finished-early"].date) == "2021-09-05"


# ---------------------------------------------------------------- YAML features refused


def test_an_anchor_is_refused(tmp_path):
    where, message = single_error(tmp_path, {PERSON_PATH: "name: &n Jane Roe\ndescription: Minister.\n"})
    assert where == f"{PERSON_PATH}:1:7"
    assert "anchors (&n) are not supported: write the value out in full" in message


def test_an_alias_is_refused(tmp_path):
    where, message = single_error(tmp_path, {PERSON_PATH: "name: Jane Roe\ndescription: *n\n"})
    assert where == f"{PERSON_PATH}:2:14"
    assert "aliases (*n) are not supported: write the value out in full" in message


def test_a_merge_key_is_an_unknown_key(tmp_path):
    where, message = single_error(tmp_path, {PERSON_PATH: "<<: {description: Minister.}\nname: Jane Roe\n"})
    assert where == f"{PERSON_PATH}:1:1"
    assert "unknown key '<<' in person" in message


def test_a_billion_laughs_fails_fast(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    site = minimal_site(tmp_path, {PERSON_PATH: "\n".join(lines) + "\nname: Jane Roe\n"})
    started = time.perf_counter()
    result = site.run("build")
    assert time.perf_counter() - started < 2
    assert result.code == 1
    assert result.errors == [f"{PERSON_PATH}:1:5: error: anchors (&a0) are not supported: write the value out in full"]


@pytest.mark.parametrize("value", ["!!python/object:os.system echo", "!!str 012", "!custom Jane", "!!binary aGVsbG8="])
def test_a_tag_is_refused(tmp_path, value):
    where, message = single_error(tmp_path, {PERSON_PATH: f"name: {value}\n"})
    assert where == f"{PERSON_PATH}:1:7"
    assert "tags (" in message
    assert "are not supported" in message


def test_a_tag_on_a_mapping_is_refused(tmp_path):
    site_yaml = replaced(SITE_YAML, "publisher:\n", "publisher: !!python/object/new:dict\n")
    where, message = single_error(tmp_path, {SITE_PATH: site_yaml})
    assert where == f"{SITE_PATH}:3:12"
    assert "tags (tag:yaml.org,2002:python/object/new:dict) are not supported" in message


def test_two_documents_in_one_file(tmp_path):
    where, message = single_error(tmp_path, {PERSON_PATH: "name: Jane Roe\n---\nname: John Doe\n"})
    assert where == f"{PERSON_PATH}:2:1"
    assert "a content file holds one YAML document" in message


def test_one_document_with_start_and_end_markers_builds(tmp_path):
    assert minimal_site(tmp_path, {PERSON_PATH: "---\n" + PERSON + "...\n"}).run("build").code == 0


def test_a_key_that_is_a_list(tmp_path):
    where, message = single_error(tmp_path, {TOPIC_PATH: TOPIC + "? [a, b]\n: c\n"})
    assert where == f"{TOPIC_PATH}:2:3"
    assert "a key must be a plain name, not a list or mapping" in message


# ---------------------------------------------------------------- broken files


# Each at the line and column the editor must change (tests/test_yaml_messages.py has every case).
@pytest.mark.parametrize(
    "text, where, advice",
    [
        ('name: "Jane Roe\n', "1:7", 'the quote " opened here is never closed'),
        ("name: Jane Roe\n  description: Minister.\n", "2:3", "'description' is indented more than the key above it"),
        ("name: [Jane Roe\n", "1:7", "a value starting with '[' is read as a list and this one is not closed with ']'"),
        ("name: Jane Roe\n\tdescription: Minister.\n", "2:1", "this line is indented with a tab"),
    ],
)
def test_invalid_yaml_is_one_positioned_error(tmp_path, text, where, advice):
    found_where, message = single_error(tmp_path, {PERSON_PATH: text})
    assert found_where == f"{PERSON_PATH}:{where}"
    assert message.startswith(advice)


def test_a_control_character_is_one_positioned_error(tmp_path):
    result = minimal_site(tmp_path, {PERSON_PATH: "name: Jane Roe\ndescription: Minister\x07 of roads.\n"}).run("build")
    assert result.code == 1
    assert len(result.err) == 2, result.err  # one error line and the summary
    assert result.err[0].startswith(f"{PERSON_PATH}:2:22: error: ")


@pytest.mark.parametrize(
    "path, text, where",
    [
        (TOPIC_PATH, 'title: Bridges\n"bridge\\nname": x\n', "2:1"),
        (SOURCE_PATH, SOURCE.replace("kind: statement", 'kind: "state\\nment"'), "2:7"),
    ],
)
def test_an_error_quoting_a_line_break_stays_on_one_line(tmp_path, path, text, where):
    result = minimal_site(tmp_path, {path: text}).run("build")
    assert result.code == 1
    assert len(result.err) == 2, result.err  # one error line and the summary
    assert result.err[0].startswith(f"{path}:{where}: error: ")


def test_a_file_that_is_not_utf8(tmp_path):
    where, message = single_error(tmp_path, {PERSON_PATH: b"name: Jane Roe\ndescription: Caf\xe9 owner\n"})
    assert where == f"{PERSON_PATH}:2:17"
    assert "this file is not valid UTF-8 (byte 0xe9): save it as UTF-8" in message


def test_a_utf16_file(tmp_path):
    where, message = single_error(tmp_path, {PERSON_PATH: PERSON.encode("utf-16")})
    assert where == f"{PERSON_PATH}:1:1"
    assert "not valid UTF-8" in message


def test_a_nul_byte(tmp_path):
    where, message = single_error(tmp_path, {PERSON_PATH: "name: Jane Roe\ndescription: Min\x00ister\n"})
    assert where == f"{PERSON_PATH}:2:17"
    assert "this file contains a NUL byte" in message


def test_bom_and_crlf_line_ends_are_accepted_everywhere(tmp_path):
    def windows(text: str) -> bytes:
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")

    result = minimal_site(
        tmp_path,
        {
            SITE_PATH: windows(SITE_YAML),
            PERSON_PATH: windows(PERSON),
            SOURCE_PATH: windows(SOURCE),
            TEXT_PATH: windows(ARCHIVED_TEXT),
            CLAIM_PATH: windows(CLAIM),
            TOPIC_PATH: windows(TOPIC),
        },
    ).run("build")
    assert result.code == 0, result.err
    page = (tmp_path / "public" / "people" / "jane-roe" / "index.html").read_text(encoding="utf-8")
    assert "\ufeff" not in page
    assert "\r" not in page


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_line_numbers_count_windows_and_old_mac_line_ends(tmp_path, line_end):
    claim = replaced(CLAIM, "reviewed: 2021-09-20", "reviewed: 2021-02-30").replace("\n", line_end)
    where, message = single_error(tmp_path, {CLAIM_PATH: b"\xef\xbb\xbf" + claim.encode("utf-8")})
    assert where == f"{CLAIM_PATH}:9:11"
    assert "not a real date" in message


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_fails_fast(tmp_path, opening, closing):
    site = minimal_site(tmp_path, {PERSON_PATH: "name: " + opening * 10_000 + closing * 10_000 + "\n"})
    started = time.perf_counter()
    result = site.run("build")
    assert time.perf_counter() - started < 2
    assert result.code == 1
    assert len(result.errors) == 1, result.err
    assert result.errors[0].startswith(f"{PERSON_PATH}:1:")
    assert "nesting is deeper than 32 levels" in result.errors[0]


def test_a_50_mb_file_fails_fast(tmp_path):
    site = minimal_site(tmp_path)
    with open(tmp_path / PERSON_PATH, "w", encoding="utf-8") as f:
        f.write("name: Jane Roe\ndescription: ")
        for _ in range(50):
            f.write("x" * 1024 * 1024)
    started = time.perf_counter()
    result = site.run("build")
    assert time.perf_counter() - started < 2
    assert result.errors == [
        f"{PERSON_PATH}:1:1: error: this file is larger than 2 MiB: "
        "split it or move long text into a source's archived text file"
    ]


def test_a_50_mb_archived_text_fails_fast(tmp_path):
    site = minimal_site(tmp_path)
    with open(tmp_path / TEXT_PATH, "a", encoding="utf-8") as f:
        for _ in range(50):
            f.write("lorem ipsum " * 87_382)
    started = time.perf_counter()
    result = site.run("build")
    assert time.perf_counter() - started < 2
    assert len(result.errors) == 1, result.err
    assert result.errors[0].startswith(
        f"{SOURCE_PATH}:4:7: error: the archived text 'archive/ministry-statement.txt' is larger than 2 MiB"
    )

"""Whatever an editor saves, the build answers with positioned errors, never a crash.

Each kind of content file gets arbitrary bytes, arbitrary YAML documents and
valid records with one key changed to something arbitrary. The build must
exit 0 (no error output) or 1 (only `file:line:col: error:` lines and the
summary), and must never print a traceback or exit with 3 or 4.
"""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sites import (
    CLAIM_PATH,
    MINIMAL_FILES,
    PERSON_PATH,
    SITE_PATH,
    SOURCE_PATH,
    TOPIC_PATH,
    minimal_site,
)

from site_builder.schema import CLAIM, PERSON, SITE, SOURCE, TOPIC

KINDS = {
    "site.yaml": (SITE_PATH, SITE),
    "claim": (CLAIM_PATH, CLAIM),
    "source": (SOURCE_PATH, SOURCE),
    "person": (PERSON_PATH, PERSON),
    "topic": (TOPIC_PATH, TOPIC),
}
ERROR_LINE = re.compile(r"^(?P<path>\S[^:]*):(?P<line>\d+):(?P<column>\d+): error: \S")
SUMMARY_LINE = re.compile(r"^\d+ errors?(; public was left as it was)?$")

FUZZ = settings(
    max_examples=50,  # per kind and strategy: 150 files of each kind
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "no",
            "~",
            "null",
            "2021-02-30",
            "2021-09-05",
            "jane-roe",
            "bridges",
            "ministry-statement#bridge-finished",
            "https://example.org/",
            "javascript:alert(1)",
            "[x](claim:nowhere)",
            "![x](y.png)",
            "…",
            "...",
            "../../etc/passwd",
            "archive/ministry-statement.txt",
            "mostly-true",
            "organization",
            "statement",
        ]
    ),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def documents(record):
    """Arbitrary documents, mostly mappings whose keys are the record's own."""
    keys = st.sampled_from(list(record.by_key)) | st.text(max_size=12)
    return st.one_of(values, st.dictionaries(keys, values, max_size=8))


def mutated(valid_text: str, record):
    """The valid file with one key set to an arbitrary value, or removed."""
    valid = yaml.safe_load(valid_text)
    keys = st.sampled_from(sorted(set(valid) | set(record.by_key)))

    @st.composite
    def mutation(draw):
        document = dict(valid)
        key = draw(keys)
        if draw(st.booleans()) and key in document:
            del document[key]
        else:
            document[key] = draw(values)
        return document

    return mutation()


def dumped(document) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")


def spliced(valid: bytes):
    """The valid file's bytes with arbitrary bytes put in at one place."""
    return st.tuples(st.integers(0, len(valid)), st.binary(max_size=20)).map(
        lambda cut: valid[: cut[0]] + cut[1] + valid[cut[0] :]
    )


def assert_answered_cleanly(site, path: str, data: bytes) -> None:
    site.write(path, data)
    result = site.run("build")
    assert not any("Traceback" in line for line in result.err + result.out), result.err
    assert result.code in (0, 1), result.err
    if result.code == 0:
        # Only the warning that base_url is on an example domain, wherever the fuzzed site.yaml put it.
        assert len(result.err) <= 1 and all(": warning: base_url '" in line for line in result.err), result.err
        assert len(result.out) == 1
        return
    assert result.out == []
    assert result.errors, result.err
    assert SUMMARY_LINE.match(result.err[-1]), result.err
    lines_in_file = data.count(b"\n") + data.count(b"\r") + 1
    for line in result.err[:-1]:
        match = ERROR_LINE.match(line)
        assert match, f"not a positioned error: {line!r}"
        assert int(match["line"]) >= 1 and int(match["column"]) >= 1, line
        if match["path"] == path:
            assert int(match["line"]) <= lines_in_file, line


@pytest.fixture
def site(tmp_path):
    """One site per test; each example overwrites the one file it fuzzes."""
    return minimal_site(tmp_path)


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.data())
def test_arbitrary_bytes(site, kind, data):
    path, _ = KINDS[kind]
    valid = MINIMAL_FILES[path].encode("utf-8")
    assert_answered_cleanly(site, path, data.draw(st.binary(max_size=300) | spliced(valid)))


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.data())
def test_arbitrary_yaml_documents(site, kind, data):
    path, record = KINDS[kind]
    assert_answered_cleanly(site, path, dumped(data.draw(documents(record))))


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(data=st.data())
def test_valid_records_with_one_key_changed(site, kind, data):
    path, record = KINDS[kind]
    assert_answered_cleanly(site, path, dumped(data.draw(mutated(MINIMAL_FILES[path], record))))

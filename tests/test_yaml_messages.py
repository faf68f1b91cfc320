"""Every problem libyaml can find in a text, as the editor reads it: the line and column to change, and what to type.

Each case writes one broken person file into the minimal site, runs `check`,
and expects exactly one error there. The case also proves which libyaml
problem string it sets off, and the table must name every string that
site_builder/yaml_messages.py translates, so none goes untested.
"""

from __future__ import annotations

import pytest
import yaml
from sites import PERSON_PATH, single_error

from site_builder import yaml_messages

# problem string: (the file's text, where the error must point, the start of the message)
CASES = {
    "found a tab character that violates indentation": (
        "name: Jane Roe\n\tdescription: Minister.\n",
        "2:1",
        "this line is indented with a tab, and YAML allows only spaces for indentation: delete the tab and type spaces",
    ),
    "found a tab character where an indentation space is expected": (
        "name: Jane Roe\ndescription: |\n\tMinister.\n",
        "3:1",
        "this line is indented with a tab",
    ),
    "found character that cannot start any token": (
        "name: Jane Roe\ndescription: @janeroe on every network\n",
        "2:14",
        "in YAML a value cannot start with '@': put the whole value in quotes, "
        'like description: "@janeroe on every network"',
    ),
    "could not find expected ':'": (
        "name: Jane Roe\ndescription Minister of roads\n# a comment line\nkind: person\n",
        "2:12",
        "'description' has no colon after it: write description: Minister of roads",
    ),
    "mapping values are not allowed in this context": (
        "name: Jane Roe\ndescription: Minister of roads: and bridges\n",
        "2:14",
        "this text contains ': ' (at column 31), which YAML reads as the start of another key: put the whole "
        'text in quotes, like description: "Minister of roads: and bridges"',
    ),
    "block sequence entries are not allowed in this context": (
        "name: Jane Roe\nsame_as: - https://www.example.org/jane\n",
        "2:10",
        "a list cannot start on the same line as its key: put 'same_as:' alone on its line and each item below it",
    ),
    "mapping keys are not allowed in this context": (
        "name: ? Jane Roe\n",
        "1:7",
        "a '?' followed by a space starts a YAML complex key",
    ),
    "found unexpected end of stream": (
        'name: "Jane Roe\ndescription: Minister.\n',
        "1:7",
        'the quote " opened here is never closed: put a " at the end of the text',
    ),
    "found unexpected document indicator": (
        "name: 'Jane Roe\n---\n'\n",
        "1:7",
        "the quote ' opened here runs on to a '---' line further down",
    ),
    "found unknown escape character": (
        'name: Jane Roe\ndescription: "Roads \\q bridges"\n',
        "2:21",
        "inside double quotes a backslash starts an escape such as \\n, and this one is not known: "
        "write \\\\ for a backslash, or use single quotes",
    ),
    "did not find expected hexdecimal number": (
        'name: "Jane \\xZZ Roe"\n',
        "1:13",
        "this \\x, \\u or \\U escape inside double quotes is not a character's code",
    ),
    "found invalid Unicode character escape code": (
        'name: "Jane \\uD800 Roe"\n',
        "1:13",
        "this \\x, \\u or \\U escape inside double quotes is not a character's code",
    ),
    "did not find expected key": (
        "name: 'Jane Roe's office'\n",
        "1:17",
        "the text in quotes ends at column 16, but more text follows it: to write ' inside single quotes, "
        "type it twice (''), or put the text in double quotes instead",
    ),
    "did not find expected '-' indicator": (
        "- name: Jane Roe\nkind: person\n",
        "2:1",
        "this line does not line up with the list above it: start each item with '- ' at the same column",
    ),
    "did not find expected node content": (
        "name: Jane Roe\nsame_as: [https://www.example.org/a, , https://www.example.org/b]\n",
        "2:38",
        "a value is missing here (two commas, or a comma before the end): remove the extra comma",
    ),
    "did not find expected ',' or ']'": (
        "name: [Jane Roe\n",
        "1:7",
        "a value starting with '[' is read as a list and this one is not closed with ']': if it is text, "
        "put the whole value in quotes",
    ),
    "did not find expected ',' or '}'": (
        "name: {Jane Roe\n",
        "1:7",
        "a value starting with '{' is read as a mapping and this one is not closed with '}'",
    ),
    "did not find expected comment or line break": (
        "name: Jane Roe\ndescription: | Minister of roads\n",
        "2:14",
        "after '|' the text starts on the next line, indented: move 'Minister of roads' to the line below",
    ),
    "found an indentation indicator equal to 0": (
        "name: Jane Roe\ndescription: |0\n  Minister.\n",
        "2:15",
        "a '|' or '>' followed by 0 is not allowed",
    ),
    "did not find expected <document start>": (
        "name: Jane Roe\n...\ndescription: Minister.\n",
        "3:1",
        "a content file ends at a line '...'",
    ),
    "did not find expected alphabetic or numeric character": (
        "name: & Jane Roe\n",
        "1:7",
        "a value starting with '&' is read as a YAML anchor",
    ),
    "could not find expected directive name": (
        "%\n---\nname: Jane Roe\n",
        "1:1",
        "a line starting with '%' is a YAML directive, which content files do not use",
    ),
    "found unexpected non-alphabetical character": (
        "%YA@ x\n---\nname: Jane Roe\n",
        "1:1",
        "a line starting with '%' is a YAML directive",
    ),
    "found unknown directive name": (
        "name: Jane Roe\n%of the vote\n",
        "2:1",
        "a line starting with '%' is a YAML directive",
    ),
    "did not find expected version number": (
        "%YAML x\n---\nname: Jane Roe\n",
        "1:1",
        "a line starting with '%' is a YAML directive",
    ),
    "did not find expected digit or '.' character": (
        "%YAML 1x\n---\nname: Jane Roe\n",
        "1:1",
        "a line starting with '%' is a YAML directive",
    ),
    "found extremely long version number": (
        "%YAML 1111111111.1\n---\nname: Jane Roe\n",
        "1:1",
        "a line starting with '%' is a YAML directive",
    ),
    "did not find expected whitespace": (
        "%TAG !a!x y\n---\nname: Jane Roe\n",
        "1:1",
        "a line starting with '%' is a YAML directive",
    ),
    "found duplicate %YAML directive": (
        "%YAML 1.1\n%YAML 1.1\n---\nname: Jane Roe\n",
        "2:1",
        "a line starting with '%' is a YAML directive",
    ),
    "found duplicate %TAG directive": (
        "%TAG !a! x\n%TAG !a! y\n---\nname: Jane Roe\n",
        "2:1",
        "a line starting with '%' is a YAML directive",
    ),
    "found incompatible YAML document": (
        "%YAML 2.0\n---\nname: Jane Roe\n",
        "1:1",
        "a line starting with '%' is a YAML directive",
    ),
    "did not find expected '!'": (
        "%TAG !a x\n---\nname: Jane Roe\n",
        "1:1",
        "a line starting with '%' is a YAML directive",
    ),
    "did not find the expected '>'": (
        "name: !<Jane Roe\n",
        "1:7",
        "a value starting with '!' is read as a YAML tag, which content files do not use: "
        "put the whole value in quotes",
    ),
    "did not find expected tag URI": ("name: !<> Jane Roe\n", "1:7", "a value starting with '!' is read as a YAML tag"),
    "did not find URI escaped octet": (
        "name: !<%zz> Jane Roe\n",
        "1:7",
        "a value starting with '!' is read as a YAML tag",
    ),
    "found an incorrect leading UTF-8 octet": (
        "name: !<%ff> Jane Roe\n",
        "1:7",
        "a value starting with '!' is read as a YAML tag",
    ),
    "found an incorrect trailing UTF-8 octet": (
        "name: !<%c3%41> Jane Roe\n",
        "1:7",
        "a value starting with '!' is read as a YAML tag",
    ),
    "found undefined tag handle": (
        "name: !jane!roe Jane Roe\n",
        "1:7",
        "a value starting with '!' is read as a YAML tag",
    ),
}

# libyaml 0.2.5 has this string, but only after a tag, where it never gets that far.
UNREACHABLE = {"did not find expected whitespace or line break"}


def libyaml_problem(text: str) -> str | None:
    try:
        list(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.MarkedYAMLError as exc:
        return exc.problem
    return None


def test_every_translated_problem_string_has_a_case():
    assert set(CASES) | UNREACHABLE == set(yaml_messages._HANDLERS)


@pytest.mark.parametrize("problem", sorted(CASES))
def test_a_libyaml_problem_in_plain_words(tmp_path, problem):
    text, where, advice = CASES[problem]
    assert libyaml_problem(text) == problem
    found_where, message = single_error(tmp_path, {PERSON_PATH: text})
    assert (found_where, message[: len(advice)]) == (f"{PERSON_PATH}:{where}", advice)
    for jargon in ("token", "mapping values", "scalar", "simple key"):
        assert jargon not in message


@pytest.mark.parametrize(
    "text, where, advice",
    [
        # The three: a tab, a key without its colon (not two lines below, on a comment), ': ' in a value.
        (
            "claim: The budget doubled.\nverdict mostly-false\n# the verdict scale is in site.yaml\nsummary: x\n",
            "2:8",
            "'verdict' has no colon after it: write verdict: mostly-false",
        ),
        ("name: Jane Roe\ndescription:Minister of roads\n", "2:13", "'description:' needs a space after the colon"),
        (
            "name: Jane Roe\n  description: Minister.\n",
            "2:3",
            "'description' is indented more than the key above it, so YAML reads it as part of the value above",
        ),
        (
            'name: Jane Roe\ndescription: "Minister" of roads\n',
            "2:25",
            'the text in quotes ends at column 23, but more text follows it: to write " inside double quotes',
        ),
        (
            "name: Jane Roe\ndescription: [Acting] Minister of roads\n",
            "2:23",
            "a value starting with '[' is read as a list, and text follows it: put the whole value in quotes, "
            'like description: "[Acting] Minister of roads"',
        ),
        ("name: Jane Roe\ndescription: `Minister`\n", "2:14", "in YAML a value cannot start with '`'"),
    ],
)
def test_common_slips_point_at_the_line_to_change(tmp_path, text, where, advice):
    found_where, message = single_error(tmp_path, {PERSON_PATH: text})
    assert (found_where, message[: len(advice)]) == (f"{PERSON_PATH}:{where}", advice)

"""The editor's path from a new file to a published page.

`new` writes files that `check` accepts once their empty keys are filled;
`check --format github|json` writes what Actions and programs read; the
JSON Schemas and docs/format.md are the committed output of schema.py and
reject what the validator rejects; the workflows are well formed and call
commands that exist; progress shows on terminals only.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import io
import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml
from sites import (
    CLAIM,
    CLAIM_PATH,
    MINIMAL_FILES,
    PERSON,
    PERSON_PATH,
    REPO_ROOT,
    SITE_PATH,
    SITE_YAML,
    SOURCE,
    SOURCE_PATH,
    TOPIC,
    TOPIC_PATH,
    minimal_site,
)

from site_builder import cli, progress
from site_builder.error_formats import format_errors
from site_builder.errors import BuildFailed, ContentError, Position
from site_builder.jsonschema_export import CONTENT_KINDS, schema_path
from site_builder.reference import FORMAT_MD
from site_builder.scaffold import KINDS
from site_builder.schema import FOLDERS

TODAY = dt.date.today().isoformat()

# What an editor writes into each key that `new` leaves empty.
FILLED = {
    "claim": "The harbour tunnel was paid for by a toll.",
    "verdict": "mostly-true",
    "summary": "A toll paid for most of it; a state grant paid the rest.",
    "analysis": "|\n  The [statement](source:ministry-statement) says so.\n",
    "title": "An example title",
    "kind": "statement",
    "name": "Alex Example",
    "role": "Fact-checker",
}


# --- new -------------------------------------------------------------------

# A top-level key with no value, or an empty `|` block, and no list below it.
EMPTY_KEY = re.compile(r"^(\w+):(?: \|)?$(?!\n  )", flags=re.M)


def empty_keys(text: str) -> list[str]:
    return EMPTY_KEY.findall(text)


def fill_empty_keys(text: str) -> str:
    return EMPTY_KEY.sub(lambda m: f"{m.group(1)}: {FILLED[m.group(1)]}".rstrip("\n"), text)


def load_as_validator_reads(text: str):
    """Every scalar as text, as the validator sees it."""
    return yaml.load(text, Loader=yaml.BaseLoader)


@functools.cache
def committed_schema(kind: str) -> dict:
    return json.loads((REPO_ROOT / schema_path(kind)).read_text(encoding="utf-8"))


def schema_errors(kind: str, document) -> list[str]:
    """What the committed schema, the one IDEs use, finds wrong with `document`."""
    validator = jsonschema.Draft202012Validator(
        committed_schema(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [error.message for error in validator.iter_errors(document)]


NEW_ARGS = {
    "claim": ["claim", "harbour-tunnel-toll", "--claimant", "jane-roe", "--source", "ministry-statement"],
    "source": ["source", "harbour-tunnel-report"],
    "person": ["person", "alex-example"],
    "topic": ["topic", "tunnels"],
    "staff": ["staff", "alex-checker"],
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_file_is_reported_until_filled_and_then_passes_check(tmp_path, kind):
    site = minimal_site(tmp_path)
    result = site.run("new", *NEW_ARGS[kind])
    folder = KINDS[kind][0]
    relpath = f"content/{folder}/{NEW_ARGS[kind][1]}.yaml"
    assert (result.code, result.out) == (0, [relpath]), result.err
    path = tmp_path / relpath
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"

    required = [spec.key for spec in KINDS[kind][1].fields if spec.required]
    waiting = empty_keys(text)
    assert waiting and set(waiting) <= set(required)
    check = site.run("check")
    assert check.code == 1
    assert [line.split(": error: ")[1].split("'")[1] for line in check.errors] == waiting
    assert all(line.startswith(relpath + ":") and "is empty" in line for line in check.errors)

    path.write_text(fill_empty_keys(text), encoding="utf-8")
    check = site.run("check")
    assert check.code == 0, "\n".join(check.err)
    assert schema_errors(kind, load_as_validator_reads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_file_explains_every_key_from_the_schema(tmp_path, kind):
    site = minimal_site(tmp_path)
    site.run("new", *NEW_ARGS[kind])
    text = (tmp_path / "content" / KINDS[kind][0] / f"{NEW_ARGS[kind][1]}.yaml").read_text(encoding="utf-8")
    comments = " ".join(line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#"))
    for spec in KINDS[kind][1].fields:
        assert re.search(rf"^(# )?{spec.key}:", text, flags=re.M), f"key {spec.key} missing"
        assert spec.doc[1:] in comments, f"the meaning of {spec.key} is missing"


def test_new_claim_fills_claimant_source_and_todays_dates(tmp_path):
    site = minimal_site(tmp_path)
    site.run("new", *NEW_ARGS["claim"])
    text = (tmp_path / "content" / "claims" / "harbour-tunnel-toll.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "claimant: jane-roe" in lines
    assert f"date: {TODAY}" in lines and f"reviewed: {TODAY}" in lines
    assert "appearances:\n  - ministry-statement\n" in text
    assert "# quotes:\n#   - ministry-statement#quote-id\n" in text
    assert "verdict:" in lines  # left for the editor, who is shown the scale:
    assert "mostly-true" in text.split("\nverdict:")[0].rsplit("\n\n", 1)[1]


def test_new_claim_offers_the_sites_own_verdict_scale(tmp_path):
    scale = SITE_YAML + (
        "verdicts:\n"
        "  - id: correct\n    label: Correct\n    rating: 2\n    description: Right.\n"
        "  - id: wrong\n    label: Wrong\n    rating: 1\n    description: Not right.\n"
    )
    site = minimal_site(tmp_path, {SITE_PATH: scale, CLAIM_PATH: None})
    site.run("new", "claim", "tunnel-claim")
    text = (tmp_path / "content" / "claims" / "tunnel-claim.yaml").read_text(encoding="utf-8")
    assert "# Required: one of correct, wrong.\nverdict:\n" in text


def test_new_claim_notes_a_claimant_without_a_file(tmp_path):
    result = minimal_site(tmp_path).run("new", "claim", "tunnel-claim", "--claimant", "sam-nobody")
    assert result.code == 0
    assert result.err == [
        "note: people/sam-nobody.yaml does not exist yet; `python build.py new person sam-nobody` starts it"
    ]


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["topic", "Harbour Tunnels"],
            "'Harbour Tunnels' cannot be a file name: use only lowercase letters a-z, digits "
            "and single hyphens, not at the start or end; write harbour-tunnels",
        ),
        (["topic", "tunnels-"], "'tunnels-' cannot be a file name: use only lowercase letters"),
        (["topic", "t" * 81], "cannot be a file name: it is 81 characters long; the limit is 80"),
        (
            ["claim", "tunnel-claim", "--claimant", "Jane Roe"],
            "--claimant 'Jane Roe' cannot be a file name: use only "
            "lowercase letters a-z, digits and single hyphens, not at the start or end; write jane-roe",
        ),
        (
            ["claim", "tunnel-claim", "--source", "ministry_statement"],
            "--source 'ministry_statement' cannot be a file name",
        ),
    ],
)
def test_new_refuses_an_invalid_slug(tmp_path, argv, message):
    site = minimal_site(tmp_path)
    before = sorted(p for p in tmp_path.rglob("*"))
    result = site.run("new", *argv)
    assert result.code == 2
    assert result.out == []
    assert len(result.err) == 1 and result.err[0].startswith("build.py: error: ") and message in result.err[0]
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_new_refuses_an_existing_file(tmp_path):
    site = minimal_site(tmp_path)
    result = site.run("new", "topic", "bridges")
    assert result.code == 2
    assert result.err == [f"build.py: error: {TOPIC_PATH} already exists: edit it, or choose another slug"]
    assert (tmp_path / TOPIC_PATH).read_text(encoding="utf-8") == TOPIC


def test_new_refuses_an_unknown_kind(tmp_path):
    result = minimal_site(tmp_path).run("new", "article", "tunnels")
    assert result.code == 2
    assert "invalid choice: 'article'" in result.err[-1]


# --- check --format ------------------------------------------------------------

# Made-up names only. Messages carry `,` `:` `%` and a line break, which
# Actions' workflow commands must receive escaped.
BROKEN_CLAIM = CLAIM.replace("verdict: mostly-true", "verdikt: mostly-true") + 'updated: "2021-09-05\\n100%"\n'
BROKEN_FILES = {CLAIM_PATH: BROKEN_CLAIM, "content/topics/tunnels,2021:east.yaml": TOPIC}


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def text_errors(site) -> list[tuple[str, int, int, str]]:
    """The plain-text report, as (file, line, column, message) tuples."""
    result = site.run("check")
    assert result.code == 1
    found = []
    for line in result.err:
        match = re.match(r"^(.+?):(\d+):(\d+): error: (.*)$", line)
        if match:
            # The text format keeps one error per line by writing control characters as \xNN.
            message = re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m[1], 16)), match[4])
            found.append((match[1], int(match[2]), int(match[3]), message))
    return found


def test_check_github_format_annotates_each_error_line(tmp_path):
    site = minimal_site(tmp_path, BROKEN_FILES)
    expected = text_errors(site)
    assert len(expected) == 3  # the misspelt verdict key (once, not also as missing), the date, the file name
    result = site.run("check", "--format", "github")
    assert result.code == 1
    annotations = []
    for line in result.out:
        match = re.fullmatch(r"::error file=([^,:]+),line=(\d+),col=(\d+)::([^\r\n]*)", line)
        assert match, line
        annotations.append((unescape_property(match[1]), int(match[2]), int(match[3]), unescape_data(match[4])))
    assert annotations == expected
    assert "file=content/topics/tunnels%2C2021%3Aeast.yaml," in "\n".join(result.out)
    assert "%0A100%25'" in "\n".join(result.out)
    assert result.err == ["3 errors"]


def test_check_json_format_lists_every_error(tmp_path):
    site = minimal_site(tmp_path, BROKEN_FILES)
    expected = text_errors(site)
    result = site.run("check", "--format", "json")
    assert result.code == 1
    report = json.loads("\n".join(result.out))
    assert [set(entry) for entry in report] == [{"file", "line", "column", "message"}] * len(expected)
    assert [(e["file"], e["line"], e["column"], e["message"]) for e in report] == expected
    assert result.err == ["3 errors"]


def test_check_json_format_of_a_clean_site_is_an_empty_list(tmp_path):
    result = minimal_site(tmp_path).run("check", "--format", "json")
    assert result.code == 0
    assert json.loads("\n".join(result.out)) == []
    assert result.err == ["checked 4 records in content: no errors"]


def test_github_format_escapes_carriage_returns_and_percent_signs():
    error = ContentError(Position("content/a,b:c.yaml", 3, 7), "50% done\r\nnext: line, more")
    assert format_errors([error], "github") == (
        "::error file=content/a%2Cb%3Ac.yaml,line=3,col=7::50%25 done%0D%0Anext: line, more\n"
    )


def test_check_rejects_an_unknown_format(tmp_path):
    result = minimal_site(tmp_path).run("check", "--format", "xml")
    assert result.code == 2
    assert "invalid choice: 'xml'" in result.err[-1]


# --- generated files: schemas/ and docs/format.md ----------------------------------


def test_committed_generated_files_are_up_to_date():
    for relpath, text in cli.generated_files().items():
        path = REPO_ROOT / relpath
        assert path.is_file(), f"{relpath} is missing: run `python build.py generate`"
        assert path.read_text(encoding="utf-8") == text, f"{relpath} is stale: run `python build.py generate`"


def test_generate_check_finds_a_stale_file_and_generate_rewrites_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "TOOL_ROOT", str(tmp_path))
    assert cli.main(["generate", "--check"]) == 1
    assert cli.main(["generate"]) == 0
    assert cli.main(["generate", "--check"]) == 0
    stale = tmp_path / schema_path("claim")
    stale.write_text("{}\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["generate", "--check"]) == 1
    assert "out of date: schemas/claim.schema.json;" in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == "{}\n"
    assert cli.main(["generate"]) == 0
    assert stale.read_text(encoding="utf-8") == cli.generated_files()[schema_path("claim")]


def test_schemas_are_valid_draft_2020_12():
    for kind in CONTENT_KINDS:
        schema = committed_schema(kind)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_format_reference_has_a_row_for_every_key():
    reference = (REPO_ROOT / FORMAT_MD).read_text(encoding="utf-8")
    for record in CONTENT_KINDS.values():
        for spec in record.fields:
            assert f"| `{spec.key}` | {'yes' if spec.required else 'no'} |" in reference


def kind_of(relpath: str) -> str:
    parts = Path(relpath).parts
    return "site" if parts[-1] == "site.yaml" else FOLDERS[parts[-2]][0]


def test_schemas_accept_every_valid_content_file(tmp_path):
    assert cli.main(["check", "--content", str(REPO_ROOT / "content")]) == 0
    files = {
        str(p.relative_to(REPO_ROOT)): p.read_text(encoding="utf-8")
        for p in sorted((REPO_ROOT / "content").rglob("*.yaml"))
    }
    files.update({relpath: text for relpath, text in MINIMAL_FILES.items() if relpath.endswith(".yaml")})
    assert len(files) > 20
    for relpath, text in files.items():
        assert schema_errors(kind_of(relpath), load_as_validator_reads(text)) == [], relpath


def test_schema_accepts_what_an_ide_reads_as_booleans_and_numbers():
    """YAML 1.2 reads `verdict: false` as a boolean; it names the verdict "false"."""
    claim = load_as_validator_reads(CLAIM) | {"verdict": False, "claim": 1984}
    assert schema_errors("claim", claim) == []
    assert schema_errors("claim", claim | {"date": 2021}) != []


def swap(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is not in the fixture"
    return text.replace(old, new, 1)


# (file, its broken text, what the validator says): each mistake both must reject.
SCHEMA_MISTAKES = {
    "missing required key": (
        CLAIM_PATH,
        swap(CLAIM, "verdict: mostly-true\n", ""),
        "missing the required key 'verdict'",
    ),
    "unknown key": (CLAIM_PATH, CLAIM + "verdikt: false\n", "unknown key 'verdikt'"),
    "date format": (
        CLAIM_PATH,
        swap(CLAIM, "date: 2021-09-05", "date: 05/09/2021"),
        "should be a date written YYYY-MM-DD",
    ),
    "impossible date": (CLAIM_PATH, swap(CLAIM, "date: 2021-09-05", "date: 2021-02-30"), "is not a real date"),
    "bad slug": (
        CLAIM_PATH,
        swap(CLAIM, "claimant: jane-roe", "claimant: Jane Roe"),
        "(did you mean 'jane-roe' (Jane Roe)?)",
    ),
    "list given as text": (CLAIM_PATH, swap(CLAIM, "topics:\n  - bridges", "topics: bridges"), "should be a list"),
    "text given as list": (
        CLAIM_PATH,
        swap(CLAIM, "claim: The new", "claim:\n  - The new"),
        "should be text, not a list",
    ),
    "empty text": (
        CLAIM_PATH,
        swap(CLAIM, "summary: The bridge opened in March, six weeks before the planned date.", 'summary: ""'),
        "'summary' is empty",
    ),
    "two lines where one": (
        CLAIM_PATH,
        swap(CLAIM, "claim: The new bridge", "claim: |\n  The new\n  bridge"),
        "should be one line of text",
    ),
    "too long": (CLAIM_PATH, swap(CLAIM, "claim: The new", "claim: " + "very " * 100 + "new"), "the limit is 500"),
    "bad quote reference": (
        CLAIM_PATH,
        swap(CLAIM, "  - ministry-statement#bridge-finished\n", "  - ministry-statement/bridge-finished\n"),
        "is not a quote reference",
    ),
    "listed twice": (CLAIM_PATH, swap(CLAIM, "  - bridges\n", "  - bridges\n  - bridges\n"), "is listed twice"),
    "bad language": (CLAIM_PATH, CLAIM + "language: English\n", "BCP 47"),
    "incomplete correction": (
        CLAIM_PATH,
        CLAIM + "corrections:\n  - date: 2021-10-01\n",
        "correction is missing the required key 'note'",
    ),
    "bad enum": (SOURCE_PATH, swap(SOURCE, "kind: statement", "kind: newspaper"), "must be one of"),
    "bad url": (SOURCE_PATH, SOURCE + "url: www.example.org/statement\n", "full web address"),
    "unknown key in a quote": (
        SOURCE_PATH,
        swap(SOURCE, "    speaker: jane-roe", "    speeker: jane-roe"),
        "unknown key 'speeker' (did you mean 'speaker'?), and 'speaker' is required in quote",
    ),
    "bad person kind": (PERSON_PATH, PERSON + "kind: company\n", "must be one of person, organization"),
    "same_as not a list": (PERSON_PATH, PERSON + "same_as: https://www.example.org/jane\n", "should be a list"),
    "unknown topic key": (TOPIC_PATH, TOPIC + "name: Bridges\n", "unknown key 'name'"),
    "site without publisher": (SITE_PATH, SITE_YAML.split("publisher:")[0], "missing the required key 'publisher'"),
    "site url without scheme": (SITE_PATH, swap(SITE_YAML, "base_url: https://", "base_url: "), "full web address"),
    "rating not a number": (
        SITE_PATH,
        SITE_YAML + "verdicts:\n  - id: right\n    label: Right\n    rating: high\n"
        "    description: The claim is right.\n",
        "should be a whole number",
    ),
    "file not a mapping": (TOPIC_PATH, "- Bridges\n", "should be a mapping of keys"),
}


@pytest.mark.parametrize("case", list(SCHEMA_MISTAKES))
def test_schema_and_validator_reject_the_same_mistake(tmp_path, case):
    relpath, text, complaint = SCHEMA_MISTAKES[case]
    result = minimal_site(tmp_path, {relpath: text}).run("check")
    assert result.code == 1
    assert any(line.startswith(relpath + ":") and complaint in line for line in result.errors), result.err
    assert schema_errors(kind_of(relpath), load_as_validator_reads(text)) != [], f"the schema accepts: {case}"


def test_scaffolds_point_at_the_committed_schemas():
    for kind, (folder, _) in KINDS.items():
        assert (REPO_ROOT / "content" / folder / f"../../schemas/{kind}.schema.json").resolve().is_file()


# --- editor settings and workflows -----------------------------------------------


def test_vscode_maps_every_content_file_to_its_schema():
    settings = json.loads((REPO_ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for kind in CONTENT_KINDS:
        example = "content/site.yaml" if kind == "site" else f"content/{KINDS[kind][0]}/example.yaml"
        matching = [schema for schema, glob in mapping.items() if fnmatch.fnmatch("/repo/" + example, glob)]
        assert matching == [f"./{schema_path(kind)}"], kind
        assert (REPO_ROOT / schema_path(kind)).is_file()
    extensions = json.loads((REPO_ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def workflow(name: str) -> dict:
    document = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as true
    return document


def steps(job: dict) -> list[dict]:
    return job["steps"]


def build_py_commands(document: dict) -> list[list[str]]:
    return [
        shlex.split(step["run"])[2:]
        for job in document["jobs"].values()
        for step in steps(job)
        if step.get("run", "").startswith("python build.py")
    ]


def assert_pinned_to_major_versions(document: dict) -> None:
    for job in document["jobs"].values():
        for step in steps(job):
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]


def assert_sets_up_python(job: dict) -> None:
    setup = next(step for step in steps(job) if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"
    assert any(step.get("run") == "pip install -r requirements.txt" for step in steps(job))
    assert steps(job)[0]["uses"].startswith("actions/checkout@")


def test_check_workflow_checks_pull_requests_with_annotations():
    document = workflow("check.yml")
    assert "pull_request" in document["on"]
    (job,) = document["jobs"].values()
    assert_sets_up_python(job)
    assert ["check", "--format", "github"] in build_py_commands(document)
    assert_pinned_to_major_versions(document)


def test_deploy_workflow_publishes_main_to_pages():
    document = workflow("deploy.yml")
    assert document["on"]["push"]["branches"] == ["main"]
    assert document["permissions"]["pages"] == "write" and document["permissions"]["id-token"] == "write"
    assert document["concurrency"]["group"]
    build, deploy = document["jobs"]["build"], document["jobs"]["deploy"]
    assert_sets_up_python(build)
    uses = [step.get("uses", "").split("@")[0] for step in steps(build)]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    upload = next(step for step in steps(build) if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "public"
    # What is deployed is checked and built with --publish: a placeholder base_url stops it.
    assert ["check", "--format", "github", "--publish"] in build_py_commands(document)
    assert ["build", "--publish"] in build_py_commands(document)
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in steps(deploy)] == ["actions/deploy-pages"]
    assert_pinned_to_major_versions(document)


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_workflows_call_commands_that_exist(name):
    commands = build_py_commands(workflow(name))
    assert commands
    for argv in commands:
        cli.parser().parse_args(argv)  # exits on an unknown command or option


# --- progress ----------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_rewrites_one_line_on_a_terminal():
    screen, clock = Terminal(), Clock()
    reporter = progress.Progress(screen, environ={}, clock=clock)
    reporter.stage("validate", 10, 100)
    clock.now += 1
    reporter.stage("render", 5, 1200)
    clock.now += 0.01
    reporter.stage("render", 6, 1200)  # too soon after the last: not drawn
    reporter.stage("render", 1200, 1200)  # the last one always is
    reporter.clear()
    assert screen.getvalue() == (
        "\rvalidate 10/100\rrender 5/1200  \rrender 5/1200\rrender 1200/1200\r                \r"
    )


@pytest.mark.parametrize(
    "stream, environ",
    [
        (Terminal(), {"CI": "true"}),
        (io.StringIO(), {}),
    ],
)
def test_progress_is_silent_in_ci_and_in_pipes(stream, environ):
    reporter = progress.Progress(stream, environ=environ)
    reporter.stage("render", 1, 2)
    reporter.clear()
    assert stream.getvalue() == ""


def test_the_command_line_clears_the_progress_line_before_reporting(tmp_path, monkeypatch):
    screen = Terminal()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress, "_reporter", lambda: reporter)
    reporter = progress.Progress(screen)

    def load_with_progress(options):
        progress.stage("validate", 3, 4)
        raise BuildFailed([ContentError(Position("content/site.yaml", 1, 1), "made-up error")])

    monkeypatch.setattr(cli, "load_library", load_with_progress)
    assert minimal_site(tmp_path).run("check").code == 1
    assert screen.getvalue() == "\rvalidate 3/4\r            \r"

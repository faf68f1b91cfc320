"""The twenty mistakes an editor is most likely to make in each kind of file, and what `check` says.

Each mistake is made once in the minimal site (tests/sites.py) and `check`
must answer with exactly the errors listed: file, line and column where the
editor must type, and the words that say what to type. docs/editing.md shows
the same list; `python tests/test_mistakes.py` rewrites it there after a
message changes, and a test fails until it is rewritten.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if __name__ == "__main__":  # run as a script, to rewrite the guide: the repository's modules too
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sites import (  # noqa: E402
    CLAIM,
    CLAIM_PATH,
    PERSON,
    PERSON_PATH,
    SITE_PATH,
    SITE_YAML,
    SOURCE,
    SOURCE_PATH,
    TEXT_PATH,
    TOPIC_PATH,
    minimal_site,
)
from sites import (
    replaced as r,
)

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "editing.md"
START = "<!-- The mistakes below are written by tests/test_mistakes.py: edit them there. -->"
END = "<!-- End of the mistakes written by tests/test_mistakes.py. -->"
TITLES = {
    "site.yaml": "site.yaml",
    "claim": "Claims",
    "source": "Sources",
    "person": "People",
    "topic": "Topics",
    "page": "Pages",
}

# kind: [(the mistake, what the editor wrote as the guide shows it, the files it changes)]
PAGE_PATH = "content/pages/about.md"
PAGE = "---\ntitle: About\n---\nWe check what public figures say.\n"
ORG_PATH = "content/people/example-ministry.yaml"
ORG = "name: Example Ministry\nkind: organization\n"
SCALE = SITE_YAML + (
    "verdicts:\n  - id: correct\n    label: Correct\n    rating: 2\n    description: The claim is right.\n"
    "  - id: wrong\n    label: Wrong\n    rating: 1\n    description: The claim is wrong.\n"
)


def site(old, new, base=SITE_YAML):
    return {SITE_PATH: r(base, old, new)}


def claim(old, new):
    return {CLAIM_PATH: r(CLAIM, old, new)}


def source(old, new):
    return {SOURCE_PATH: r(SOURCE, old, new)}


def person(old, new, base=PERSON):
    return {PERSON_PATH: r(base, old, new)}


def topic(text):
    return {TOPIC_PATH: text}


def page(text, path=PAGE_PATH):
    return {path: text}


INPUTS = {
    "site.yaml": [
        (
            "base_url without its final /",
            "base_url: https://factcheck.example.org",
            site("base_url: https://factcheck.example.org/", "base_url: https://factcheck.example.org"),
        ),
        ("base_url without https://", "base_url: factcheck.example.org/", site("base_url: https://", "base_url: ")),
        ("a misspelt required key", "titel: Example Fact-Check Archive", site("title:", "titel:")),
        (
            "publisher written as one line",
            "publisher: Example Fact-Checkers",
            {SITE_PATH: SITE_YAML.split("publisher:")[0] + "publisher: Example Fact-Checkers\n"},
        ),
        (
            "publisher's keys not indented",
            "publisher:\\nname: ...",
            site("  name: Example Fact-Checkers\n  url:", "name: Example Fact-Checkers\nurl:"),
        ),
        ("a tab before a key", "\\tname: Example Fact-Checkers", site("  name: Example", "\tname: Example")),
        ("a colour without quotes", "accent_color: #0a55c2", {SITE_PATH: SITE_YAML + "accent_color: #0a55c2\n"}),
        ("a colour too light to read", 'accent_color: "#ffdd00"', {SITE_PATH: SITE_YAML + 'accent_color: "#ffdd00"\n'}),
        ("a language written as its name", "language: English", {SITE_PATH: SITE_YAML + "language: English\n"}),
        ("a language written as its name, another", "language: Dari", {SITE_PATH: SITE_YAML + "language: Dari\n"}),
        (
            "a verdict without its description",
            "  - id: wrong (no description)",
            site("    description: The claim is wrong.\n", "", SCALE),
        ),
        (
            "two verdicts with one rating",
            "rating: 2 twice",
            {**site("    rating: 1\n", "    rating: 2\n", SCALE), **claim("verdict: mostly-true", "verdict: correct")},
        ),
        ("a verdict id written as a label", "id: Mostly Correct", site("id: correct", "id: Mostly Correct", SCALE)),
        (
            "verdicts without '- '",
            "verdicts:\\n  id: correct",
            {SITE_PATH: SITE_YAML + "verdicts:\n  id: correct\n  label: Correct\n  description: The claim is right.\n"},
        ),
        ("a logo that is not there", "logo: images/logo.png", {SITE_PATH: SITE_YAML + "logo: images/logo.png\n"}),
        (
            "a social link without its address",
            "social: - name: Mastodon",
            {SITE_PATH: SITE_YAML + "social:\n  - name: Mastodon\n"},
        ),
        (
            "a misspelt optional key",
            "descripton: ...",
            {SITE_PATH: SITE_YAML + "descripton: Fact-checks of public claims.\n"},
        ),
        (
            "a repository without https://",
            "repository: github.com/example/archive",
            {SITE_PATH: SITE_YAML + "repository: github.com/example/archive\n"},
        ),
        (
            "': ' inside a value",
            "description: Fact-checks: politics and budgets",
            {SITE_PATH: SITE_YAML + "description: Fact-checks: politics and budgets\n"},
        ),
        ("a key written twice", "title: ... (twice)", {SITE_PATH: SITE_YAML + "title: Another Title\n"}),
    ],
    "claim": [
        (
            "a hashtag after the claim",
            "claim: The new bridge was finished two months early #BridgeWatch",
            claim("two months early.", "two months early #BridgeWatch"),
        ),
        (
            "a verdict written as its label",
            "verdict: Mostly true",
            claim("verdict: mostly-true", "verdict: Mostly true"),
        ),
        ("a verdict with a capital letter", "verdict: False", claim("verdict: mostly-true", "verdict: False")),
        ("a verdict not on the scale", "verdict: misleading", claim("verdict: mostly-true", "verdict: misleading")),
        ("a claimant written as a name", "claimant: Jane Roe", claim("claimant: jane-roe", "claimant: Jane Roe")),
        ("a claimant without a file", "claimant: john-doe", claim("claimant: jane-roe", "claimant: john-doe")),
        ("a date written day/month/year", "date: 05/09/2021", claim("date: 2021-09-05", "date: 05/09/2021")),
        ("a date that does not exist", "date: 2021-02-30", claim("date: 2021-09-05", "date: 2021-02-30")),
        ("a key without its colon", "verdict mostly-true", claim("verdict: mostly-true", "verdict mostly-true")),
        ("a misspelt required key", "sumary: ...", claim("summary:", "sumary:")),
        (
            "a required key left empty",
            "summary:",
            claim("summary: The bridge opened in March, six weeks before the planned date.", "summary:"),
        ),
        (
            "': ' inside the claim",
            "claim: Minister: the bridge was finished early",
            claim(
                "claim: The new bridge was finished two months early.", "claim: Minister: the bridge was finished early"
            ),
        ),
        (
            "the analysis not indented",
            "analysis: |\\n[Jane Roe](person:jane-roe) ...",
            claim(
                "  [Jane Roe](person:jane-roe) said so in a\n  [statement]",
                "[Jane Roe](person:jane-roe) said so in a\n  [statement]",
            ),
        ),
        ("topics on one line", "topics: bridges", claim("topics:\n  - bridges", "topics: bridges")),
        (
            "a quote reference with / for #",
            "- ministry-statement/bridge-finished",
            claim("  - ministry-statement#bridge-finished", "  - ministry-statement/bridge-finished"),
        ),
        (
            "a quote id misspelt",
            "- ministry-statement#bridge-finshed",
            claim("  - ministry-statement#bridge-finished", "  - ministry-statement#bridge-finshed"),
        ),
        ("a link to a misspelt person", "[Jane Roe](person:jane-ro)", claim("(person:jane-roe)", "(person:jane-ro)")),
        ("a tab before a list item", "\\t- bridges", claim("  - bridges", "\t- bridges")),
        (
            "an apostrophe inside single quotes",
            "claim: 'Roe's bridge was finished early'",
            claim("claim: The new bridge was finished two months early.", "claim: 'Roe's bridge was finished early'"),
        ),
        (
            "text after the closing quote",
            'claim: "Finished early," said the minister',
            claim("claim: The new bridge was finished two months early.", 'claim: "Finished early," said the minister'),
        ),
    ],
    "source": [
        ("a kind not in the list", "kind: press release", source("kind: statement", "kind: press release")),
        ("a kind written with a space", "kind: news article", source("kind: statement", "kind: news article")),
        (
            "a quote not word for word",
            "text: The new bridge was completed in March ...",
            source("was finished in March", "was completed in March"),
        ),
        (
            "the text file's path misspelt",
            "text: archive/ministry-statment.txt",
            source("text: archive/ministry-statement.txt", "text: archive/ministry-statment.txt"),
        ),
        (
            "the text file's full path",
            "text: /home/jane/statement.txt",
            source("text: archive/ministry-statement.txt", "text: /home/jane/statement.txt"),
        ),
        ("a quote without its speaker", "(no speaker:)", source("    speaker: jane-roe\n", "")),
        ("a speaker written as a name", "speaker: Jane Roe", source("speaker: jane-roe", "speaker: Jane Roe")),
        (
            "a quote id with spaces",
            "id: bridge finished",
            {
                SOURCE_PATH: r(SOURCE, "id: bridge-finished", "id: bridge finished"),
                CLAIM_PATH: r(
                    r(CLAIM, "quotes:\n  - ministry-statement#bridge-finished\n", ""),
                    "(source:ministry-statement#bridge-finished)",
                    "(source:ministry-statement)",
                ),
            },
        ),
        ("a quote's key indented too little", "   text: ...", source("    text: The new", "   text: The new")),
        (
            "a quote without '- '",
            "quotes:\\n    id: bridge-finished",
            source("  - id: bridge-finished", "    id: bridge-finished"),
        ),
        (
            "a url without https://",
            "url: www.example.org/statement",
            {SOURCE_PATH: SOURCE + "url: www.example.org/statement\n"},
        ),
        (
            "a date written in words",
            "published: 5 September 2021",
            {SOURCE_PATH: SOURCE + "published: 5 September 2021\n"},
        ),
        (
            "one quote id twice",
            "- id: bridge-finished (twice)",
            {
                SOURCE_PATH: SOURCE
                + "  - id: bridge-finished\n    speaker: jane-roe\n    text: It cost less than planned.\n"
            },
        ),
        ("a key without its colon", "title Statement on the new bridge", source("title: Statement", "title Statement")),
        (
            "': ' inside a quote",
            "text: Minister: the bridge ...",
            source(
                "text: The new bridge was finished in March, two months early.",
                "text: Minister: the bridge was finished",
            ),
        ),
        ("a language written as its name", "language: English", {SOURCE_PATH: SOURCE + "language: English\n"}),
        (
            "a misspelt optional key",
            "archived_url: https://...",
            {
                SOURCE_PATH: SOURCE
                + "archived_url: https://web.archive.org/web/2021/https://www.example.org/statement\n"
            },
        ),
        (
            "the text's path is a folder",
            "text: archive",
            source("text: archive/ministry-statement.txt", "text: archive"),
        ),
        ("a required key left empty", "kind:", source("kind: statement", "kind:")),
        ("an empty text file", "(archive/ministry-statement.txt empty)", {TEXT_PATH: ""}),
    ],
    "person": [
        ("a misspelt required key", "nmae: Jane Roe", person("name:", "nmae:")),
        ("organisation spelt the British way", "kind: organisation", {PERSON_PATH: PERSON + "kind: organisation\n"}),
        (
            "an affiliation that is a person",
            "affiliation: jane-roe (in another person)",
            {"content/people/john-doe.yaml": "name: John Doe\naffiliation: jane-roe\n"},
        ),
        (
            "an affiliation written as a name",
            "affiliation: Example Ministry",
            {PERSON_PATH: PERSON + "affiliation: Example Ministry\n", ORG_PATH: ORG},
        ),
        (
            "an affiliation to oneself",
            "affiliation: jane-roe (in jane-roe.yaml)",
            {PERSON_PATH: PERSON + "affiliation: jane-roe\n"},
        ),
        (
            "same_as on one line",
            "same_as: https://www.wikidata.org/wiki/Q1",
            {PERSON_PATH: PERSON + "same_as: https://www.wikidata.org/wiki/Q1\n"},
        ),
        (
            "same_as with a list item on the key's line",
            "same_as: - https://...",
            {PERSON_PATH: PERSON + "same_as: - https://www.wikidata.org/wiki/Q1\n"},
        ),
        (
            "a same_as item without https://",
            "  - www.wikidata.org/wiki/Q1",
            {PERSON_PATH: PERSON + "same_as:\n  - www.wikidata.org/wiki/Q1\n"},
        ),
        (
            "a url without https://",
            "url: www.example.org/jane-roe",
            {PERSON_PATH: PERSON + "url: www.example.org/jane-roe\n"},
        ),
        (
            "': ' inside the description",
            "description: Minister: roads",
            person("description: Minister of roads", "description: Minister: roads"),
        ),
        (
            "a ' #' inside the description",
            "description: Minister of roads #2 in the cabinet",
            person(
                "description: Minister of roads in an imaginary country.",
                "description: Minister of roads #2 in the cabinet",
            ),
        ),
        ("a tab before a key", "\\tdescription: ...", person("description:", "\tdescription:")),
        ("the name left empty", "name:", person("name: Jane Roe", "name:")),
        (
            "a description too long",
            "description: (600 characters)",
            person(
                "description: Minister of roads in an imaginary country.", "description: " + "Minister of roads. " * 32
            ),
        ),
        ("a quote not closed", 'name: "Jane Roe', person("name: Jane Roe", 'name: "Jane Roe')),
        ("a key written twice", "name: ... (twice)", {PERSON_PATH: PERSON + "name: Jane Q. Roe\n"}),
        ("an optional key left empty", "kind:", {PERSON_PATH: PERSON + "kind:\n"}),
        (
            "a file name with capitals and _",
            "people/John_Doe.yaml",
            {"content/people/John_Doe.yaml": "name: John Doe\n"},
        ),
        ("a file ending in .yml", "people/john-doe.yml", {"content/people/john-doe.yml": "name: John Doe\n"}),
        ("an apostrophe inside single quotes", "name: 'Jane O'Roe'", person("name: Jane Roe", "name: 'Jane O'Roe'")),
    ],
    "topic": [
        ("name instead of title", "name: Bridges", topic("name: Bridges\n")),
        ("the title left empty", "title:", topic("title:\n")),
        ("a title over two lines", "title: |\\n  Bridges\\n  and roads", topic("title: |\n  Bridges\n  and roads\n")),
        ("a ' #' inside the title", "title: Bridges #infrastructure", topic("title: Bridges #infrastructure\n")),
        (
            "a misspelt optional key",
            "descriptoin: ...",
            topic("title: Bridges\ndescriptoin: Bridges built or promised.\n"),
        ),
        (
            "a file name with a space",
            "topics/new bridges.yaml",
            {"content/topics/new bridges.yaml": "title: New bridges\n"},
        ),
        (
            "a claim's topic written as its title",
            "topics:\\n  - Bridges (in a claim)",
            claim("  - bridges", "  - Bridges"),
        ),
        ("a topic listed twice in a claim", "  - bridges (twice)", claim("  - bridges", "  - bridges\n  - bridges")),
        ("an empty topic file", "(nothing)", topic("")),
        ("a topic file that is a list", "- Bridges", topic("- Bridges\n")),
        ("a tab before the key", "\\ttitle: Bridges", topic("title: Bridges\n\tdescription: Bridges built.\n")),
        ("': ' inside the title", "title: Bridges: old and new", topic("title: Bridges: old and new\n")),
        ("a quote not closed", "title: 'Bridges", topic("title: 'Bridges\n")),
        (
            "text after '|' on its line",
            "description: | Bridges built",
            topic("title: Bridges\ndescription: | Bridges built or promised.\n"),
        ),
        ("a key written twice", "title: ... (twice)", topic("title: Bridges\ntitle: Roads\n")),
        ("a title too long", "title: (250 characters)", topic("title: " + "Bridges " * 32 + "\n")),
        ("the folder named topic", "content/topic/bridges.yaml", {"content/topic/roads.yaml": "title: Roads\n"}),
        ("a file that is not .yaml", "topics/notes.txt", {"content/topics/notes.txt": "ideas\n"}),
        ("a link to a misspelt topic", "[bridges](topic:bridge)", claim("(person:jane-roe)", "(topic:bridge)")),
        ("a title starting with [", "title: [Draft] Bridges", topic("title: [Draft] Bridges\n")),
    ],
    "page": [
        ("no front matter", "We check what ...", page("We check what public figures say.\n")),
        (
            "the front matter not closed",
            "---\\ntitle: About",
            page("---\ntitle: About\nWe check what public figures say.\n"),
        ),
        ("a misspelt title", "titel: About", page("---\ntitel: About\n---\nWe check.\n")),
        ("nav written as a word", "nav: first", page("---\ntitle: About\nnav: first\n---\nWe check.\n")),
        ("nav zero", "nav: 0", page("---\ntitle: About\nnav: 0\n---\nWe check.\n")),
        (
            "a misspelt optional key",
            "descripton: ...",
            page("---\ntitle: About\ndescripton: Who we are.\n---\nWe check.\n"),
        ),
        ("a page named like a built-in one", "pages/claims.md", page(PAGE, "content/pages/claims.md")),
        ("a file ending in .markdown", "pages/team.markdown", page(PAGE, "content/pages/team.markdown")),
        ("no text below the front matter", "---\\ntitle: About\\n---", page("---\ntitle: About\n---\n")),
        (
            "a link to a misspelt page",
            "[how we work](page:metodology)",
            {
                PAGE_PATH: "---\ntitle: About\n---\nSee [how we work](page:metodology).\n",
                "content/pages/methodology.md": "---\ntitle: Methodology\n---\nHow.\n",
            },
        ),
        (
            "a link to a misspelt claim",
            "[the bridge](claim:bridge-finished)",
            page("---\ntitle: About\n---\nSee [the bridge](claim:bridge-finished).\n"),
        ),
        (
            "': ' inside the title",
            "title: About us: who we are",
            page("---\ntitle: About us: who we are\n---\nWe check.\n"),
        ),
        ("a tab in the front matter", "\\tnav: 1", page("---\ntitle: About\n\tnav: 1\n---\nWe check.\n")),
        ("a ' #' inside the title", "title: About #us", page("---\ntitle: About #us\n---\nWe check.\n")),
        (
            "a description too long",
            "description: (600 characters)",
            page("---\ntitle: About\ndescription: " + "Who we are. " * 50 + "\n---\nWe check.\n"),
        ),
        ("a file name with a capital", "pages/About.md", page(PAGE, "content/pages/About.md")),
        ("an empty front matter", "---\\n---", page("---\n---\nWe check.\n")),
        ("the title left empty", "title:", page("---\ntitle:\n---\nWe check.\n")),
        ("a key written twice", "title: ... (twice)", page("---\ntitle: About\ntitle: Us\n---\nWe check.\n")),
        (
            "a link to a quote that is not there",
            "[said](source:ministry-statement#bridge-open)",
            page("---\ntitle: About\n---\nShe [said](source:ministry-statement#bridge-open) so.\n"),
        ),
    ],
}

# (kind, mistake): the errors `check` reports, in order, as (file:line:column, message)
EXPECTED = {
    ("site.yaml", "base_url without its final /"): [
        ("content/site.yaml:2:11", "base_url should end with '/': write https://factcheck.example.org/"),
    ],
    ("site.yaml", "base_url without https://"): [
        (
            "content/site.yaml:2:11",
            "'base_url' should be a full web address starting with http:// or https://, not 'factcheck.example.org/'",
        ),
    ],
    ("site.yaml", "a misspelt required key"): [
        (
            "content/site.yaml:1:1",
            "unknown key 'titel' (did you mean 'title'?), and 'title' is required in site.yaml: the site's name",
        ),
    ],
    ("site.yaml", "publisher written as one line"): [
        ("content/site.yaml:3:12", "'publisher' should be a mapping of keys (name, url), not a single value"),
    ],
    ("site.yaml", "publisher's keys not indented"): [
        (
            "content/site.yaml:4:1",
            "'name' is a key of 'publisher' (line 3): indent it by two spaces more than 'publisher:'",
        ),
        (
            "content/site.yaml:5:1",
            "'url' is a key of 'publisher' (line 3): indent it by two spaces more than 'publisher:'",
        ),
    ],
    ("site.yaml", "a tab before a key"): [
        (
            "content/site.yaml:4:1",
            "this line is indented with a tab, and YAML allows only spaces for indentation: delete the tab and type spaces, lined up with the line above it",
        ),
    ],
    ("site.yaml", "a colour without quotes"): [
        (
            "content/site.yaml:6:14",
            "'accent_color' is empty: YAML reads what follows ' #' as a comment, so write the colour in quotes, like accent_color: \"#0a55c2\"",
        ),
    ],
    ("site.yaml", "a colour too light to read"): [
        (
            "content/site.yaml:6:15",
            "accent_color #ffdd00 has a contrast ratio of 1.22:1 with the light theme's header and footer background #f4f4f1; links need at least 4.5:1 (WCAG AA): choose a darker colour",
        ),
    ],
    ("site.yaml", "a language written as its name"): [
        (
            "content/site.yaml:6:11",
            "'language' should be a BCP 47 language tag such as en, fa-AF, ps or ar, not 'English' (did you mean 'en' (English)?)",
        ),
    ],
    ("site.yaml", "a language written as its name, another"): [
        (
            "content/site.yaml:6:11",
            "'language' should be a BCP 47 language tag such as en, fa-AF, ps or ar, not 'Dari' (did you mean 'fa-AF' (Dari)?)",
        ),
    ],
    ("site.yaml", "a verdict without its description"): [
        (
            "content/site.yaml:11:5",
            "verdict is missing the required key 'description': what the verdict means, shown on the verdict scale page",
        ),
    ],
    ("site.yaml", "two verdicts with one rating"): [
        (
            "content/site.yaml:11:5",
            "verdicts 'correct' and 'wrong' both have rating 2: each rated verdict needs its own",
        ),
    ],
    ("site.yaml", "a verdict id written as a label"): [
        (
            "content/site.yaml:7:9",
            "'id' value 'Mostly Correct' cannot be an id (use only lowercase letters a-z, digits and single hyphens, not at the start or end): write 'mostly-correct'",
        ),
    ],
    ("site.yaml", "verdicts without '- '"): [
        ("content/site.yaml:7:3", "'verdicts' should be a list: put each item on its own line starting with '- '"),
    ],
    ("site.yaml", "a logo that is not there"): [
        (
            "content/site.yaml:6:7",
            "the logo 'images/logo.png' does not exist: check the path, relative to the folder that holds content/",
        ),
    ],
    ("site.yaml", "a social link without its address"): [
        (
            "content/site.yaml:7:5",
            "social link is missing the required key 'url': the address of the archive's account or page there",
        ),
    ],
    ("site.yaml", "a misspelt optional key"): [
        (
            "content/site.yaml:6:1",
            "unknown key 'descripton' in site.yaml (did you mean 'description'?); allowed keys are: title, base_url, language, description, publisher, verdicts, logo, accent_color, accent_color_dark, footer, social, repository, cms, report_error_url, tips_url",
        ),
    ],
    ("site.yaml", "a repository without https://"): [
        (
            "content/site.yaml:6:13",
            "'repository' should be a full web address starting with http:// or https://, not 'github.com/example/archive'",
        ),
    ],
    ("site.yaml", "': ' inside a value"): [
        (
            "content/site.yaml:6:14",
            "this text contains ': ' (at column 25), which YAML reads as the start of another key: put the whole text in quotes, like description: \"Fact-checks: politics and budgets\"",
        ),
    ],
    ("site.yaml", "a key written twice"): [
        ("content/site.yaml:6:1", "duplicate key 'title' (first set on line 1): keep only one"),
    ],
    ("claim", "a hashtag after the claim"): [
        (
            "content/claims/bridge-finished-early.yaml:1:53",
            "the text of 'claim' stops here because ' #' starts a comment in YAML: put the whole text in quotes if '#…' belongs to it, or remove the comment",
        ),
    ],
    ("claim", "a verdict written as its label"): [
        (
            "content/claims/bridge-finished-early.yaml:4:10",
            "verdict 'Mostly true' is not a verdict id from the verdict scale (did you mean 'mostly-true' (Mostly true)?)",
        ),
    ],
    ("claim", "a verdict with a capital letter"): [
        (
            "content/claims/bridge-finished-early.yaml:4:10",
            "verdict 'False' is not a verdict id from the verdict scale (did you mean 'false' (False)?)",
        ),
    ],
    ("claim", "a verdict not on the scale"): [
        (
            "content/claims/bridge-finished-early.yaml:4:10",
            "verdict 'misleading' does not exist in the verdict scale: write one of 'true' (True), 'mostly-true' (Mostly true), 'half-true' (Half true), 'mostly-false' (Mostly false), 'false' (False), 'unproven' (Unproven), 'disputed' (Disputed), 'opinion' (Not a factual claim)",
        ),
    ],
    ("claim", "a claimant written as a name"): [
        (
            "content/claims/bridge-finished-early.yaml:2:11",
            "claimant 'Jane Roe' is not the file name of a person in people/, without .yaml (did you mean 'jane-roe' (Jane Roe)?)",
        ),
    ],
    ("claim", "a claimant without a file"): [
        (
            "content/claims/bridge-finished-early.yaml:2:11",
            "claimant 'john-doe' does not exist in people/: write one of 'jane-roe' (Jane Roe), or start it with `python build.py new person john-doe`",
        ),
    ],
    ("claim", "a date written day/month/year"): [
        (
            "content/claims/bridge-finished-early.yaml:3:7",
            "'date' should be a date written YYYY-MM-DD, like 2021-09-05, not '05/09/2021'",
        ),
    ],
    ("claim", "a date that does not exist"): [
        (
            "content/claims/bridge-finished-early.yaml:3:7",
            "'date' is not a real date: '2021-02-30' (check the month and day)",
        ),
    ],
    ("claim", "a key without its colon"): [
        (
            "content/claims/bridge-finished-early.yaml:4:8",
            "'verdict' has no colon after it: write verdict: mostly-true",
        ),
    ],
    ("claim", "a misspelt required key"): [
        (
            "content/claims/bridge-finished-early.yaml:5:1",
            "unknown key 'sumary' (did you mean 'summary'?), and 'summary' is required in claim: the verdict in one or two plain sentences",
        ),
    ],
    ("claim", "a required key left empty"): [
        (
            "content/claims/bridge-finished-early.yaml:5:9",
            "'summary' is empty, and it is required in claim: the verdict in one or two plain sentences; write it after 'summary: '",
        ),
    ],
    ("claim", "': ' inside the claim"): [
        (
            "content/claims/bridge-finished-early.yaml:1:8",
            "this text contains ': ' (at column 16), which YAML reads as the start of another key: put the whole text in quotes, like claim: \"Minister: the bridge was finished early\"",
        ),
    ],
    ("claim", "the analysis not indented"): [
        (
            "content/claims/bridge-finished-early.yaml:7:1",
            "the text of 'analysis' (the '|' on line 6) must be indented under it: put two spaces before each of its lines",
        ),
    ],
    ("claim", "topics on one line"): [
        (
            "content/claims/bridge-finished-early.yaml:12:9",
            "'topics' should be a list: put each item on its own line starting with '- '",
        ),
    ],
    ("claim", "a quote reference with / for #"): [
        (
            "content/claims/bridge-finished-early.yaml:11:5",
            "'ministry-statement/bridge-finished' is not a quote reference: write the source's file name without .yaml, a #, and the quote's id, like ministry-statement#bridge-finished",
        ),
    ],
    ("claim", "a quote id misspelt"): [
        (
            "content/claims/bridge-finished-early.yaml:11:5",
            "quote 'ministry-statement#bridge-finshed': source 'ministry-statement' has no quote with id 'bridge-finshed' (did you mean 'bridge-finished'?)",
        ),
    ],
    ("claim", "a link to a misspelt person"): [
        (
            "content/claims/bridge-finished-early.yaml:7:14",
            "link 'person:jane-ro' points at a person that does not exist (did you mean 'jane-roe' (Jane Roe)?)",
        ),
    ],
    ("claim", "a tab before a list item"): [
        (
            "content/claims/bridge-finished-early.yaml:13:1",
            "this line is indented with a tab, and YAML allows only spaces for indentation: delete the tab and type spaces, lined up with the line above it",
        ),
    ],
    ("claim", "an apostrophe inside single quotes"): [
        (
            "content/claims/bridge-finished-early.yaml:1:13",
            "the text in quotes ends at column 12, but more text follows it: to write ' inside single quotes, type it twice (''), or put the text in double quotes instead",
        ),
    ],
    ("claim", "text after the closing quote"): [
        (
            "content/claims/bridge-finished-early.yaml:1:26",
            'the text in quotes ends at column 24, but more text follows it: to write " inside double quotes, put a backslash before it (\\"), or put the text in single quotes instead',
        ),
    ],
    ("source", "a kind not in the list"): [
        (
            "content/sources/ministry-statement.yaml:2:7",
            "'kind' must be one of news-article, statement, interview, speech, social-post, video, report, document, other, not 'press release'",
        ),
    ],
    ("source", "a kind written with a space"): [
        (
            "content/sources/ministry-statement.yaml:2:7",
            "'kind' must be one of news-article, statement, interview, speech, social-post, video, report, document, other, not 'news article' (did you mean 'news-article'?)",
        ),
    ],
    ("source", "a quote not word for word"): [
        (
            "content/sources/ministry-statement.yaml:8:11",
            "quote 'bridge-finished' is not in the archived text archive/ministry-statement.txt: it matches up to '…The new bridge was' and then differs at 'completed'. Copy the words exactly as the source has them; mark left-out words with …",
        ),
    ],
    ("source", "the text file's path misspelt"): [
        (
            "content/sources/ministry-statement.yaml:4:7",
            "the archived text 'archive/ministry-statment.txt' does not exist: check the path, relative to the folder that holds content/",
        ),
    ],
    ("source", "the text file's full path"): [
        (
            "content/sources/ministry-statement.yaml:4:7",
            "'/home/jane/statement.txt' is an absolute path: write the path relative to the folder that holds content/, like seeds/article.txt",
        ),
    ],
    ("source", "a quote without its speaker"): [
        (
            "content/sources/ministry-statement.yaml:6:5",
            "quote is missing the required key 'speaker': who said it: the file name of a person in people/, without .yaml",
        ),
    ],
    ("source", "a speaker written as a name"): [
        (
            "content/sources/ministry-statement.yaml:7:14",
            "speaker 'Jane Roe' is not the file name of a person in people/, without .yaml (did you mean 'jane-roe' (Jane Roe)?)",
        ),
    ],
    ("source", "a quote id with spaces"): [
        (
            "content/sources/ministry-statement.yaml:6:9",
            "'id' value 'bridge finished' cannot be an id (use only lowercase letters a-z, digits and single hyphens, not at the start or end): write 'bridge-finished'",
        ),
    ],
    ("source", "a quote's key indented too little"): [
        (
            "content/sources/ministry-statement.yaml:8:4",
            "this line does not line up with the list above it: start each item with '- ' at the same column as the others, and indent an item's keys by two more spaces than its '- '",
        ),
    ],
    ("source", "a quote without '- '"): [
        (
            "content/sources/ministry-statement.yaml:6:5",
            "'quotes' should be a list: put each item on its own line starting with '- '",
        ),
    ],
    ("source", "a url without https://"): [
        (
            "content/sources/ministry-statement.yaml:9:6",
            "'url' should be a full web address starting with http:// or https://, not 'www.example.org/statement'",
        ),
    ],
    ("source", "a date written in words"): [
        (
            "content/sources/ministry-statement.yaml:9:12",
            "'published' should be a date written YYYY-MM-DD, like 2021-09-05, not '5 September 2021'",
        ),
    ],
    ("source", "one quote id twice"): [
        (
            "content/sources/ministry-statement.yaml:9:5",
            "'bridge-finished' is listed twice in 'quotes' (first on line 6): remove one",
        ),
    ],
    ("source", "a key without its colon"): [
        (
            "content/sources/ministry-statement.yaml:1:6",
            "'title' has no colon after it: write title: Statement on the new bridge",
        ),
    ],
    ("source", "': ' inside a quote"): [
        (
            "content/sources/ministry-statement.yaml:8:11",
            "this text contains ': ' (at column 19), which YAML reads as the start of another key: put the whole text in quotes, like text: \"Minister: the bridge was finished\"",
        ),
    ],
    ("source", "a language written as its name"): [
        (
            "content/sources/ministry-statement.yaml:9:11",
            "'language' should be a BCP 47 language tag such as en, fa-AF, ps or ar, not 'English' (did you mean 'en' (English)?)",
        ),
    ],
    ("source", "a misspelt optional key"): [
        (
            "content/sources/ministry-statement.yaml:9:1",
            "unknown key 'archived_url' in source (did you mean 'archive_url'?); allowed keys are: title, kind, publisher, url, archive_url, published, language, text, sha256, archived, quotes, draft",
        ),
    ],
    ("source", "the text's path is a folder"): [
        (
            "content/sources/ministry-statement.yaml:4:7",
            "'archive' is a folder: give the path of the archived text inside it",
        ),
    ],
    ("source", "a required key left empty"): [
        (
            "content/sources/ministry-statement.yaml:2:6",
            "'kind' is empty, and it is required in source: what kind of source it is; write one of news-article, statement, interview, speech, social-post, video, report, document, other after 'kind: '",
        ),
    ],
    ("source", "an empty text file"): [
        (
            "content/sources/ministry-statement.yaml:4:7",
            "the archived text 'archive/ministry-statement.txt' is empty: paste the source's full text into it, as published, and save it",
        ),
    ],
    ("person", "a misspelt required key"): [
        (
            "content/people/jane-roe.yaml:1:1",
            "unknown key 'nmae' (did you mean 'name'?), and 'name' is required in person: the display name",
        ),
    ],
    ("person", "organisation spelt the British way"): [
        (
            "content/people/jane-roe.yaml:3:7",
            "'kind' must be one of person, organization, not 'organisation' (did you mean 'organization'?)",
        ),
    ],
    ("person", "an affiliation that is a person"): [
        (
            "content/people/john-doe.yaml:2:14",
            "affiliation 'jane-roe' is a person; an affiliation must be an organisation (kind: organization in its file)",
        ),
    ],
    ("person", "an affiliation written as a name"): [
        (
            "content/people/jane-roe.yaml:3:14",
            "affiliation 'Example Ministry' is not the file name of a person in people/, without .yaml (did you mean 'example-ministry' (Example Ministry)?)",
        ),
    ],
    ("person", "an affiliation to oneself"): [
        ("content/people/jane-roe.yaml:3:14", "a person or organisation cannot be its own affiliation"),
    ],
    ("person", "same_as on one line"): [
        (
            "content/people/jane-roe.yaml:3:10",
            "'same_as' should be a list: put each item on its own line starting with '- '",
        ),
    ],
    ("person", "same_as with a list item on the key's line"): [
        (
            "content/people/jane-roe.yaml:3:10",
            "a list cannot start on the same line as its key: put 'same_as:' alone on its line and each item below it, indented, like '  - https://www.wikidata.org/wiki…'",
        ),
    ],
    ("person", "a same_as item without https://"): [
        (
            "content/people/jane-roe.yaml:4:5",
            "'same_as' should be a full web address starting with http:// or https://, not 'www.wikidata.org/wiki/Q1'",
        ),
    ],
    ("person", "a url without https://"): [
        (
            "content/people/jane-roe.yaml:3:6",
            "'url' should be a full web address starting with http:// or https://, not 'www.example.org/jane-roe'",
        ),
    ],
    ("person", "': ' inside the description"): [
        (
            "content/people/jane-roe.yaml:2:14",
            "this text contains ': ' (at column 22), which YAML reads as the start of another key: put the whole text in quotes, like description: \"Minister: roads in an imaginary country.\"",
        ),
    ],
    ("person", "a ' #' inside the description"): [
        (
            "content/people/jane-roe.yaml:2:32",
            "the text of 'description' stops here because ' #' starts a comment in YAML: put the whole text in quotes if '#…' belongs to it, or remove the comment",
        ),
    ],
    ("person", "a tab before a key"): [
        (
            "content/people/jane-roe.yaml:2:1",
            "this line is indented with a tab, and YAML allows only spaces for indentation: delete the tab and type spaces, lined up with the line above it",
        ),
    ],
    ("person", "the name left empty"): [
        (
            "content/people/jane-roe.yaml:1:6",
            "'name' is empty, and it is required in person: the display name; write it after 'name: '",
        ),
    ],
    ("person", "a description too long"): [
        ("content/people/jane-roe.yaml:2:14", "'description' is 607 characters long; the limit is 500"),
    ],
    ("person", "a quote not closed"): [
        ("content/people/jane-roe.yaml:1:7", 'the quote " opened here is never closed: put a " at the end of the text'),
    ],
    ("person", "a key written twice"): [
        ("content/people/jane-roe.yaml:3:1", "duplicate key 'name' (first set on line 1): keep only one"),
    ],
    ("person", "an optional key left empty"): [
        (
            "content/people/jane-roe.yaml:3:6",
            "'kind' is empty: write one of person, organization after 'kind: ', or remove the line (it is optional)",
        ),
    ],
    ("person", "a file name with capitals and _"): [
        (
            "content/people/John_Doe.yaml:1:1",
            "the file name 'John_Doe' cannot be an id (use only lowercase letters a-z, digits and single hyphens, not at the start or end): rename the file to john-doe.yaml; a file's name is its record's permanent id and web address",
        ),
    ],
    ("person", "a file ending in .yml"): [
        ("content/people/john-doe.yml:1:1", "only .yaml files belong in people/: rename it to end in .yaml"),
    ],
    ("person", "an apostrophe inside single quotes"): [
        (
            "content/people/jane-roe.yaml:1:15",
            "the text in quotes ends at column 14, but more text follows it: to write ' inside single quotes, type it twice (''), or put the text in double quotes instead",
        ),
    ],
    ("topic", "name instead of title"): [
        (
            "content/topics/bridges.yaml:1:1",
            "unknown key 'name' (did you mean 'title'?), and 'title' is required in topic: the topic's title",
        ),
    ],
    ("topic", "the title left empty"): [
        (
            "content/topics/bridges.yaml:1:7",
            "'title' is empty, and it is required in topic: the topic's title; write it after 'title: '",
        ),
    ],
    ("topic", "a title over two lines"): [
        ("content/topics/bridges.yaml:1:8", "'title' should be one line of text: join the lines"),
    ],
    ("topic", "a ' #' inside the title"): [
        (
            "content/topics/bridges.yaml:1:16",
            "the text of 'title' stops here because ' #' starts a comment in YAML: put the whole text in quotes if '#…' belongs to it, or remove the comment",
        ),
    ],
    ("topic", "a misspelt optional key"): [
        (
            "content/topics/bridges.yaml:2:1",
            "unknown key 'descriptoin' in topic (did you mean 'description'?); allowed keys are: title, description, draft",
        ),
    ],
    ("topic", "a file name with a space"): [
        (
            "content/topics/new bridges.yaml:1:1",
            "the file name 'new bridges' cannot be an id (use only lowercase letters a-z, digits and single hyphens, not at the start or end): rename the file to new-bridges.yaml; a file's name is its record's permanent id and web address",
        ),
    ],
    ("topic", "a claim's topic written as its title"): [
        (
            "content/claims/bridge-finished-early.yaml:13:5",
            "topic 'Bridges' is not the file name of a topic in topics/, without .yaml (did you mean 'bridges' (Bridges)?)",
        ),
    ],
    ("topic", "a topic listed twice in a claim"): [
        (
            "content/claims/bridge-finished-early.yaml:14:5",
            "'bridges' is listed twice in 'topics' (first on line 13): remove one",
        ),
    ],
    ("topic", "an empty topic file"): [
        ("content/topics/bridges.yaml:1:1", "this file is empty: see docs/editing.md for what it should hold"),
    ],
    ("topic", "a topic file that is a list"): [
        (
            "content/topics/bridges.yaml:1:1",
            "this file should be a mapping of keys (title, description, draft), not a list",
        ),
    ],
    ("topic", "a tab before the key"): [
        (
            "content/topics/bridges.yaml:2:1",
            "this line is indented with a tab, and YAML allows only spaces for indentation: delete the tab and type spaces, lined up with the line above it",
        ),
    ],
    ("topic", "': ' inside the title"): [
        (
            "content/topics/bridges.yaml:1:8",
            "this text contains ': ' (at column 15), which YAML reads as the start of another key: put the whole text in quotes, like title: \"Bridges: old and new\"",
        ),
    ],
    ("topic", "a quote not closed"): [
        ("content/topics/bridges.yaml:1:8", "the quote ' opened here is never closed: put a ' at the end of the text"),
    ],
    ("topic", "text after '|' on its line"): [
        (
            "content/topics/bridges.yaml:2:14",
            "after '|' the text starts on the next line, indented: move 'Bridges built or promised.' to the line below and indent it by two spaces, or put the whole value in quotes",
        ),
    ],
    ("topic", "a key written twice"): [
        ("content/topics/bridges.yaml:2:1", "duplicate key 'title' (first set on line 1): keep only one"),
    ],
    ("topic", "a title too long"): [
        ("content/topics/bridges.yaml:1:8", "'title' is 255 characters long; the limit is 200"),
    ],
    ("topic", "the folder named topic"): [
        (
            "content/topic:1:1",
            "unexpected folder 'topic' in the content folder (did you mean 'topics'?): content/ holds site.yaml and the folders claims, sources, people, topics, staff, pages",
        ),
    ],
    ("topic", "a file that is not .yaml"): [
        ("content/topics/notes.txt:1:1", "only .yaml files belong in topics/: move it out of the content folder"),
    ],
    ("topic", "a link to a misspelt topic"): [
        (
            "content/claims/bridge-finished-early.yaml:7:14",
            "link 'topic:bridge' points at a topic that does not exist (did you mean 'bridges' (Bridges)?)",
        ),
    ],
    ("topic", "a title starting with ["): [
        (
            "content/topics/bridges.yaml:1:16",
            "a value starting with '[' is read as a list, and text follows it: put the whole value in quotes, like title: \"[Draft] Bridges\"",
        ),
    ],
    ("page", "no front matter"): [
        (
            "content/pages/about.md:1:1",
            "a page starts with its front matter: a line '---', the page's keys (at least title: ...), and another line '---', then the text",
        ),
    ],
    ("page", "the front matter not closed"): [
        (
            "content/pages/about.md:1:1",
            "the front matter opened here is not closed: add a line '---' after its last key",
        ),
    ],
    ("page", "a misspelt title"): [
        (
            "content/pages/about.md:2:1",
            "unknown key 'titel' (did you mean 'title'?), and 'title' is required in page: the page's title: its heading, and its name in the navigation",
        ),
    ],
    ("page", "nav written as a word"): [
        ("content/pages/about.md:3:6", "'nav' should be a whole number from 1 to 99, not 'first'"),
    ],
    ("page", "nav zero"): [
        ("content/pages/about.md:3:6", "'nav' should be a whole number from 1 to 99, not '0'"),
    ],
    ("page", "a misspelt optional key"): [
        (
            "content/pages/about.md:3:1",
            "unknown key 'descripton' in page (did you mean 'description'?); allowed keys are: title, description, nav, image, draft",
        ),
    ],
    ("page", "a page named like a built-in one"): [
        (
            "content/pages/claims.md:1:1",
            "the page 'claims' would be published at /claims/, which is the list of all fact-checks that the site builds itself: rename the file",
        ),
    ],
    ("page", "a file ending in .markdown"): [
        ("content/pages/team.markdown:1:1", "only .md files belong in pages/: rename it to end in .md"),
    ],
    ("page", "no text below the front matter"): [
        ("content/pages/about.md:3:1", "the page has no text: write it below this line"),
    ],
    ("page", "a link to a misspelt page"): [
        (
            "content/pages/about.md:4:19",
            "link 'page:metodology' points at a page that does not exist (did you mean 'methodology' (Methodology)?)",
        ),
    ],
    ("page", "a link to a misspelt claim"): [
        (
            "content/pages/about.md:4:18",
            "link 'claim:bridge-finished' points at a claim that does not exist (did you mean 'bridge-finished-early' (The new bridge was finished two months early.)?)",
        ),
    ],
    ("page", "': ' inside the title"): [
        (
            "content/pages/about.md:2:8",
            "this text contains ': ' (at column 16), which YAML reads as the start of another key: put the whole text in quotes, like title: \"About us: who we are\"",
        ),
    ],
    ("page", "a tab in the front matter"): [
        (
            "content/pages/about.md:3:1",
            "this line is indented with a tab, and YAML allows only spaces for indentation: delete the tab and type spaces, lined up with the line above it",
        ),
    ],
    ("page", "a ' #' inside the title"): [
        (
            "content/pages/about.md:2:14",
            "the text of 'title' stops here because ' #' starts a comment in YAML: put the whole text in quotes if '#…' belongs to it, or remove the comment",
        ),
    ],
    ("page", "a description too long"): [
        ("content/pages/about.md:3:14", "'description' is 599 characters long; the limit is 500"),
    ],
    ("page", "a file name with a capital"): [
        (
            "content/pages/About.md:1:1",
            "the file name 'About' cannot be an id (use only lowercase letters a-z, digits and single hyphens, not at the start or end): rename the file to about.md; a file's name is its record's permanent id and web address",
        ),
    ],
    ("page", "an empty front matter"): [
        ("content/pages/about.md:1:1", "the front matter is empty: it needs at least title: ..."),
    ],
    ("page", "the title left empty"): [
        (
            "content/pages/about.md:2:7",
            "'title' is empty, and it is required in page: the page's title: its heading, and its name in the navigation; write it after 'title: '",
        ),
    ],
    ("page", "a key written twice"): [
        ("content/pages/about.md:3:1", "duplicate key 'title' (first set on line 2): keep only one"),
    ],
    ("page", "a link to a quote that is not there"): [
        (
            "content/pages/about.md:4:12",
            "link 'source:ministry-statement#bridge-open': source 'ministry-statement' has no quote with id 'bridge-open' (did you mean 'bridge-finished'?)",
        ),
    ],
}

CASES = [(kind, what) for kind, rows in INPUTS.items() for what, _, _ in rows]


def test_twenty_mistakes_for_each_kind_of_file_each_with_its_expected_errors():
    assert {kind: len(rows) for kind, rows in INPUTS.items()} == {kind: 20 for kind in TITLES}
    assert set(EXPECTED) == set(CASES)


@pytest.mark.parametrize("kind, what", CASES, ids=[f"{kind}: {what}" for kind, what in CASES])
def test_a_common_mistake_gets_its_place_and_advice(tmp_path, kind, what):
    changes = next(changes for name, _, changes in INPUTS[kind] if name == what)
    result = minimal_site(tmp_path, changes).run("check")
    assert result.code == 1
    assert [tuple(line.split(": error: ", 1)) for line in result.errors] == EXPECTED[kind, what]
    for message in (message for _, message in EXPECTED[kind, what]):
        assert not re.search(r"\bslug\b|\bscalar\b|\btoken\b|mapping values", message), message


def _code(text: str) -> str:
    text = text.replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def guide_section() -> str:
    lines = [START, ""]
    for kind, rows in INPUTS.items():
        lines += [f"#### {TITLES[kind]}", "", "| Mistake | Written | `check` says |", "| --- | --- | --- |"]
        for what, wrote, _ in rows:
            said = "<br>".join(f"{_code(where)}: {_code(message)}" for where, message in EXPECTED[kind, what])
            lines.append(f"| {what} | {_code(wrote)} | {said} |")
        lines.append("")
    return "\n".join(lines + [END])


def _guide_with_section(text: str) -> str:
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    return before + guide_section() + after


def test_the_guide_lists_every_mistake_with_its_message():
    text = GUIDE.read_text(encoding="utf-8")
    assert START in text and END in text, f"docs/editing.md lacks the markers {START!r} ... {END!r}"
    assert _guide_with_section(text) == text, "docs/editing.md is out of date: run `python tests/test_mistakes.py`"


if __name__ == "__main__":
    GUIDE.write_text(_guide_with_section(GUIDE.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)

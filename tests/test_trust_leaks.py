"""Leaks: nothing private in the site's folder reaches the published site, whatever content or templates say.

Paths through a name starting with '.' (.git, .env, .venv) are refused for
texts and logos and left out of static/; templates/ and locales/ are held
to the site's folder like content/ and static/; templates render in Jinja's
sandbox; an archive's translations are text, escaped like any other.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import lxml.html
import pytest
from built_site import html_pages
from sites import ARCHIVED_TEXT, SITE_PATH, SITE_YAML, SOURCE, SOURCE_PATH, minimal_site, replaced, single_error
from trust import executable_problems, visible_text

TOKEN = "ghp_SECRETTOKEN1234567890"
GIT_CONFIG = f'[remote "origin"]\n\turl = https://x-access-token:{TOKEN}@github.example/archive.git\n'


def published(root: Path) -> str:
    """Every byte of the built site, as text, to search for what must not be there."""
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in (root / "public").rglob("*") if p.is_file())


# -- names starting with '.' --------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [".git/config", "archive/.env", ".venv/notes.txt", ".github/../.github/x.txt", "archive/./.hidden/statement.txt"],
)
def test_an_archived_text_behind_a_dot_name_is_refused_at_its_path(tmp_path, written):
    hidden = Path(written.replace("/./", "/"))
    where, message = single_error(
        tmp_path,
        {
            str(hidden): ARCHIVED_TEXT + GIT_CONFIG,
            SOURCE_PATH: replaced(SOURCE, "text: archive/ministry-statement.txt", f"text: {written}"),
        },
    )
    assert where == f"{SOURCE_PATH}:4:7" and "starts with '.'" in message, message


def test_an_archived_text_linked_into_a_dot_folder_is_refused(tmp_path):
    """A link inside the site that leads into .git/ is judged where it leads."""
    site = minimal_site(
        tmp_path,
        {
            ".git/config": ARCHIVED_TEXT + GIT_CONFIG,
            "archive/ministry-statement.txt": None,
            "archive/README": "the archived texts\n",
        },
    )
    (tmp_path / "archive/ministry-statement.txt").symlink_to(tmp_path / ".git/config")
    result = site.run("build")
    assert result.code == 1 and result.places == [f"{SOURCE_PATH}:4:7"], result.err
    assert "starts with '.'" in result.errors[0]


def test_a_logo_behind_a_dot_name_is_refused(tmp_path):
    where, message = single_error(
        tmp_path,
        {
            ".github/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
            SITE_PATH: SITE_YAML + "logo: .github/logo.svg\n",
        },
    )
    assert where == f"{SITE_PATH}:6:7" and "starts with '.'" in message, message


def test_static_files_behind_dot_names_are_not_published_but_well_known_is(tmp_path):
    site = minimal_site(
        tmp_path,
        {
            "static/.env": f"TOKEN={TOKEN}\n",
            "static/.git/config": GIT_CONFIG,
            "static/files/.htpasswd": f"admin:{TOKEN}\n",
            "static/files/report.txt": "a report\n",
            "static/.well-known/security.txt": "Contact: mailto:security@factcheck.example.org\n",
            ".git/config": GIT_CONFIG,
        },
    )
    (tmp_path / "static/files/config-link").symlink_to(tmp_path / ".git/config")
    result = site.run("build")
    assert result.code == 1 and result.places == ["static/files/config-link:1:1"], result.err
    (tmp_path / "static/files/config-link").unlink()
    assert site.run("build").code == 0
    out = tmp_path / "public"
    assert (out / "files/report.txt").is_file() and (out / ".well-known/security.txt").is_file()
    assert not (out / ".env").exists() and not (out / ".git").exists() and not (out / "files/.htpasswd").exists()
    assert TOKEN not in published(tmp_path)


# -- templates/ and locales/ held to the site's folder ----------------------------------


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "passwd").write_text(f"root:x:0:0:{TOKEN}:/root:/bin/sh\n")
    (folder / "robots.txt").write_text(f"User-agent: *\n# {TOKEN}\n")
    return folder


def test_a_template_linked_outside_the_site_is_refused(tmp_path, outside):
    root = tmp_path / "site"
    site = minimal_site(root)
    (root / "templates").mkdir()
    (root / "templates/robots.txt").symlink_to(outside / "passwd")
    result = site.run("build")
    assert result.code == 1 and result.places == ["templates/robots.txt:1:1"], result.err
    assert not (root / "public").exists()


def test_a_templates_folder_linked_outside_the_site_is_refused(tmp_path, outside):
    root = tmp_path / "site"
    site = minimal_site(root)
    (root / "templates").symlink_to(outside)
    result = site.run("build")
    assert result.code == 1 and result.places == ["templates:1:1"], result.err
    assert not (root / "public").exists()


def test_a_catalogue_linked_outside_the_site_is_refused(tmp_path, outside):
    root = tmp_path / "site"
    (outside / "messages.po").write_text(f'msgid "Search"\nmsgstr "{TOKEN}"\n')
    site = minimal_site(root, {SITE_PATH: SITE_YAML + "language: fr\n"})
    (root / "locales/fr/LC_MESSAGES").mkdir(parents=True)
    (root / "locales/fr/LC_MESSAGES/messages.po").symlink_to(outside / "messages.po")
    result = site.run("build")
    assert result.code == 1 and result.places == ["locales/fr/LC_MESSAGES/messages.po:1:1"], result.err
    assert TOKEN not in "\n".join(result.err)


# -- the sandbox -------------------------------------------------------------------------

# Each would run a command, read Python's internals or a file if templates ran unsandboxed.
ESCAPES = {
    "cycler globals": "{{ cycler.__init__.__globals__.os.popen('touch PWNED; id').read() }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "class walk": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "context dataclass": "{{ page.__class__.__init__.__globals__ }}",
    "private attribute": "{{ self._TemplateReference__context }}",
    "format string": "{{ '{0.__class__.__init__.__globals__}'.format(cycler) }}",
    "attr filter": "{{ cycler|attr('__init__')|attr('__globals__') }}",
    "include a file": "{% include '/etc/passwd' %}",
    "include outside": "{% include '../../outside/passwd' %}",
}


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_template_cannot_reach_python_or_files(tmp_path, outside, escape):
    root = tmp_path / "site"
    template = '{% extends "base.html" %}{% block main %}\n<p>' + ESCAPES[escape] + "</p>\n{% endblock %}\n"
    site = minimal_site(root, {"templates/404.html": template})
    result = site.run("build")
    assert result.code == 1, f"{escape} rendered:\n" + "\n".join(result.err)
    assert result.places == ["templates/404.html:2:1"], result.err
    assert not (root / "PWNED").exists() and not (root / "public").exists()


def test_a_sandboxed_template_still_renders_what_templates_do(tmp_path):
    """Loops, filters, macros, namespaces and methods of plain values stay open to an archive's templates."""
    template = (
        '{% extends "base.html" %}{% block main %}{% set ns = namespace(n=0) %}'
        '{% for word in "a b c".split() %}{% set ns.n = ns.n + 1 %}{{ word|upper }}{% endfor %}'
        '<p id="probe">{{ ns.n }} {{ "%s-%d"|format("x", 2) }} {{ [3, 1, 2]|sort|join(",") }} '
        '{{ 2 ** 10 }} {{ "ab" * 3 }} {{ site.title|length }}</p>{% endblock %}\n'
    )
    site = minimal_site(tmp_path, {"templates/404.html": template})
    assert site.run("build").code == 0
    doc = lxml.html.parse(str(tmp_path / "public/404.html")).getroot()
    assert doc.get_element_by_id("probe").text_content() == "3 x-2 1,2,3 1024 ababab 26"


# -- translations ------------------------------------------------------------------------

REDIRECT = '"><meta http-equiv="refresh" content="0;url=https://evil.example/">'
PO_REDIRECT = REDIRECT.replace('"', '\\"')  # as a .po string writes it
CATALOGUE = f"""\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Search"
msgstr "{PO_REDIRECT}"

msgid "Fact-checks"
msgstr "<b>{PO_REDIRECT}</b>"

#, python-format
msgid "Fact-checks published by %(publisher)s."
msgstr "{PO_REDIRECT} %(publisher)s"

#, python-format
msgid "%(num)d fact-check"
msgid_plural "%(num)d fact-checks"
msgstr[0] "%(num)d <script>alert(1)</script>"
msgstr[1] "%(num)d <script>alert(1)</script>"
"""


def test_an_archives_translations_are_text_placeholders_and_all(tmp_path):
    site = minimal_site(
        tmp_path, {SITE_PATH: SITE_YAML + "language: fr\n", "locales/fr/LC_MESSAGES/messages.po": CATALOGUE}
    )
    result = site.run("build")
    assert result.code == 0, result.err
    pages = html_pages(tmp_path / "public")
    problems = [p for relpath, doc in pages.items() for p in executable_problems(doc, relpath)]
    assert problems == []
    home = pages["index.html"]
    text = visible_text(home)
    # Translated, and shown as the words they are.
    assert REDIRECT in text and "1 <script>alert(1)</script>" in text
    footer_links = [a.get("href") for a in home.iter("a") if a.text == "Example Fact-Checkers"]
    assert footer_links, "the publisher's link, a value put into the translation, is kept as a link"


@pytest.mark.parametrize("archive", ["content", "examples/dari/content"])
def test_the_built_in_templates_render_byte_for_byte_as_without_the_sandbox(tmp_path, monkeypatch, archive):
    """The sandbox changes what templates may reach, not one byte of what the shipped ones write."""
    from sites import Site
    from trust import REPO_ROOT, site_differences

    from site_builder import render

    repo = Site(REPO_ROOT)
    content = str(REPO_ROOT / archive)
    assert repo.run("build", "--content", content, "--out", str(tmp_path / "sandboxed")).code == 0

    class Unsandboxed(jinja2.Environment):
        pass

    monkeypatch.setattr(render, "SiteSandbox", Unsandboxed)
    assert repo.run("build", "--content", content, "--out", str(tmp_path / "plain")).code == 0
    assert site_differences(tmp_path / "sandboxed", tmp_path / "plain") == []

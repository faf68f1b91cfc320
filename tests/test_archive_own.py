"""An archive of its own: its pages, its branding, its templates and static files.

The archive below is the minimal one of sites.py (an imaginary minister and
her bridge) with pages in content/pages/, a logo, an accent colour, one
overridden template and static files, all written inline. Errors are checked
for their file, line and column; the look is checked with axe-core in a real
browser, in both colour schemes.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import jsonschema
import lxml.html
import pytest
import yaml
from sites import CLAIM, CLAIM_PATH, SITE_PATH, SITE_YAML, minimal_site, replaced, single_error
from test_incremental import assert_same_as_full_build, edit
from test_site import DEFAULT_CONTENT, REPO_ROOT, broken_links, build_site, html_pages
from tools import axe_violations, vnu_errors

from site_builder import brand, feeds
from site_builder import pages as site_pages
from site_builder.jsonschema_export import content_schema
from site_builder.pipeline import BuildOptions, BuiltSite
from site_builder.reference import FORMAT_MD
from site_builder.render import BUILTIN_TEMPLATES
from site_builder.schema import PAGE
from site_builder.template_docs import TEMPLATES_MD, described_classes
from site_builder.urls import BUILT_IN_FOLDERS, SITE_PAGES

ACCENT = "#8a1538"
LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 32" width="120" height="32">
<rect width="120" height="32" fill="#8a1538"/><text x="8" y="22" fill="#fff" font-size="16">Roe Watch</text></svg>
"""
BRANDED_SITE_YAML = (
    SITE_YAML
    + f"""\
logo: images/logo.svg
accent_color: "{ACCENT}"
footer: Text and data under an imaginary open licence.
social:
  - name: Example Social
    url: https://social.example.org/@checks
"""
)  # accent_color is on line 7, its value at column 15

METHODS = """\
---
title: How we check
description: The verdicts, and how quotes are checked.
nav: 1
---
Every verdict is on the [verdict scale](page:verdicts).

## Quotes

The [minister's words](source:ministry-statement#bridge-finished) are checked
against the [statement](source:ministry-statement) itself, as in
[this fact-check](claim:bridge-finished-early) about
[Jane Roe](person:jane-roe) and [bridges](topic:bridges). Who we are: [about](page:about).
"""
ABOUT = """\
---
title: About us
nav: 2
---
An imaginary team checks an imaginary minister. See [how we check](page:how-we-check)
and the [corrections](page:corrections).
"""
FUNDING = """\
---
title: Funding
---
This page is not in the navigation.
"""
OWN_TOPIC_TEMPLATE = (
    (Path(BUILTIN_TEMPLATES) / "topic.html")
    .read_text(encoding="utf-8")
    .replace("{% block main %}\n", '{% block main %}\n<p class="own-template">Our own topic page.</p>\n', 1)
)

OWN_FILES = {
    SITE_PATH: BRANDED_SITE_YAML,
    "content/pages/how-we-check.md": METHODS,
    "content/pages/about.md": ABOUT,
    "content/pages/funding.md": FUNDING,
    "images/logo.svg": LOGO,
    "templates/topic.html": OWN_TOPIC_TEMPLATE,
    "static/.well-known/security.txt": "Contact: https://checks.example.org/contact\n",
    "static/assets/favicon.svg": LOGO,
}
BUILT_IN_NAV = ["Fact-checks", "Sources", "People", "Topics", "Verdicts"]


def own_site(root: Path, changes: dict | None = None):
    return minimal_site(root, {**OWN_FILES, **(changes or {})})


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("own")
    result = own_site(root).run("build")
    assert result.code == 0, "\n".join(result.err)
    return root / "public"


# -- it builds, with every part in place ----------------------------------------


def test_an_archive_with_pages_logo_accent_override_and_static_files_builds(built):
    pages = html_pages(built)
    for slug in ("how-we-check", "about", "funding"):
        assert f"{slug}/index.html" in pages
    assert pages["how-we-check/index.html"].xpath("//h1/text()") == ["How we check"]
    assert pages["how-we-check/index.html"].xpath("//main//h2/text()") == [
        "Quotes"
    ]  # `##` is a section under the title
    header_logo = pages["index.html"].xpath("//header//a[@class='site-title site-logo']/img")[0]
    assert header_logo.get("alt") == "Example Fact-Check Archive"
    assert (built / header_logo.get("src").lstrip("/")).read_text(encoding="utf-8") == LOGO
    assert (built / "assets/brand.css").read_text(encoding="utf-8").startswith("/* Generated")
    assert f"--accent: {ACCENT};" in (built / "assets/brand.css").read_text(encoding="utf-8")
    assert pages["topics/bridges/index.html"].xpath("//p[@class='own-template']/text()") == ["Our own topic page."]
    assert not pages["claims/bridge-finished-early/index.html"].xpath("//p[@class='own-template']")
    assert (built / ".well-known/security.txt").is_file()
    assert (built / "assets/favicon.svg").read_text(encoding="utf-8") == LOGO  # a static file replaces an asset
    assert (built / "assets/site.css").is_file()
    footer = pages["index.html"].xpath("//footer")[0]
    assert "Text and data under an imaginary open licence." in footer.text_content()
    assert footer.xpath(".//a[@href='https://social.example.org/@checks']/text()") == ["Example Social"]


def test_the_nu_checker_finds_no_errors_in_any_page(built):
    assert vnu_errors(built) == []


def test_every_page_links_the_brand_stylesheet_after_the_main_one_and_no_inline_style(built):
    for relpath, doc in html_pages(built).items():
        sheets = doc.xpath("//link[@rel='stylesheet']/@href")
        assert sheets[sheets.index("/assets/site.css") + 1] == "/assets/brand.css", relpath
        assert not doc.xpath("//*[@style] | //style"), relpath


def test_pages_appear_in_the_navigation_in_order_on_every_page(built):
    pages = html_pages(built)
    assert len(pages) > 15
    for relpath, doc in pages.items():
        nav = doc.xpath("//header//nav//a")
        assert [a.text_content() for a in nav] == BUILT_IN_NAV + ["How we check", "About us"], relpath
        assert [a.get("href") for a in nav][-2:] == ["/how-we-check/", "/about/"], relpath
    about = pages["about/index.html"].xpath("//header//nav//a[@aria-current='page']/text()")
    assert about == ["About us"]


def test_internal_links_in_pages_resolve(built):
    assert broken_links(built, "https://factcheck.example.org/") == []
    links = html_pages(built)["how-we-check/index.html"].xpath("//main//a/@href")
    assert links == [
        "/verdicts/",
        "/sources/ministry-statement/#quote-bridge-finished",
        "/sources/ministry-statement/",
        "/claims/bridge-finished-early/",
        "/people/jane-roe/",
        "/topics/bridges/",
        "/about/",
    ]


def test_internal_links_in_pages_resolve_under_a_base_path(tmp_path):
    result = own_site(tmp_path).run("build", "--base-url", "https://example.org/archive/")
    assert result.code == 0, result.err
    assert broken_links(tmp_path / "public", "https://example.org/archive/") == []
    about = html_pages(tmp_path / "public")["about/index.html"]
    assert about.xpath("//main//a/@href") == ["/archive/how-we-check/", "/archive/corrections/"]
    assert about.xpath("//header//img/@src") == ["/archive/assets/logo.svg"]


def test_pages_are_in_the_sitemap_but_not_in_the_search_index(built):
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    for path in ("how-we-check/", "about/", "funding/", "corrections/"):
        assert f"<loc>https://factcheck.example.org/{path}</loc>" in sitemap
    assert not html_pages(built)["about/index.html"].xpath("//*[@data-pagefind-body]")


# -- pages' errors, placed in the .md file ------------------------------------------


def test_a_broken_link_in_a_page_is_placed_at_its_line_and_column(tmp_path):
    text = "---\ntitle: About\n---\nWe check claims.\n\nSee [the claim](claim:no-such-claim) here.\n"
    where, message = single_error(tmp_path, {"content/pages/about.md": text})
    assert where == "content/pages/about.md:6:17"
    assert message == "link 'claim:no-such-claim' points at a claim that does not exist"


def test_a_link_to_a_page_that_does_not_exist_suggests_the_closest(tmp_path):
    text = "---\ntitle: About\n---\nSee [how](page:metodology).\n"
    changes = {"content/pages/about.md": text, "content/pages/methodology.md": FUNDING}
    where, message = single_error(tmp_path, changes)
    assert where == "content/pages/about.md:4:11"
    assert (
        message == "link 'page:metodology' points at a page that does not exist (did you mean 'methodology' (Funding)?)"
    )


def test_a_claim_can_link_to_a_page(tmp_path):
    claim = replaced(CLAIM, "reviewed:", "  See our [methods](page:about).\nreviewed:")
    result = minimal_site(
        tmp_path, {CLAIM_PATH: claim, "content/pages/about.md": ABOUT.replace("page:how-we-check", "page:verdicts")}
    ).run("build")
    assert result.code == 0, result.err
    assert html_pages(tmp_path / "public")["claims/bridge-finished-early/index.html"].xpath(
        "//a[.='methods']/@href"
    ) == ["/about/"]


@pytest.mark.parametrize(
    "text, where, expected",
    [
        (
            "---\ntitle: About\nnav: first\n---\nText.\n",
            "3:6",
            "'nav' should be a whole number from 1 to 99, not 'first'",
        ),
        (
            "---\ntitle: About\nnavv: 1\n---\nText.\n",
            "3:1",
            "unknown key 'navv' in page (did you mean 'nav'?); allowed keys are: title, description, nav",
        ),
        ("---\nnav: 1\n---\nText.\n", "2:1", "page is missing the required key 'title'"),
        (
            "---\ntitle: About\ntitle: Again\n---\nText.\n",
            "3:1",
            "duplicate key 'title' (first set on line 2): keep only one",
        ),
        (
            "---\ntitle: [About\n---\nText.\n",
            "2:8",
            "a value starting with '[' is read as a list and this one is not closed",
        ),
        ("title: About\n\nText.\n", "1:1", "a page starts with its front matter: a line '---'"),
        ("---\ntitle: About\nText.\n", "1:1", "the front matter opened here is not closed"),
        ("---\n---\nText.\n", "1:1", "the front matter is empty"),
        ("---\ntitle: About\n---\n\n", "3:1", "the page has no text"),
        (
            "---\ntitle: About\n---\nAn ![image](https://example.org/a.png).\n",
            "4:13",
            "the image 'https://example.org/a.png' is not a file of the site",
        ),
    ],
)
def test_a_front_matter_or_text_error_is_placed_in_the_md_file(tmp_path, text, where, expected):
    found, message = single_error(tmp_path, {"content/pages/about.md": text})
    assert found == f"content/pages/about.md:{where}"
    assert message.startswith(expected), message


@pytest.mark.parametrize("name", sorted(BUILT_IN_FOLDERS))
def test_a_page_that_takes_a_built_in_address_is_an_error_naming_both(tmp_path, name):
    where, message = single_error(tmp_path, {f"content/pages/{name}.md": FUNDING})
    assert where == f"content/pages/{name}.md:1:1"
    assert message.startswith(f"the page '{name}' would be published at /{name}/, which is {BUILT_IN_FOLDERS[name]}")


@pytest.mark.parametrize(
    "name, hint", [("notes.txt", "move it out of the content folder"), ("about.markdown", "rename it to end in .md")]
)
def test_only_md_files_belong_in_pages(tmp_path, name, hint):
    where, message = single_error(tmp_path, {f"content/pages/{name}": "Text.\n"})
    assert where == f"content/pages/{name}:1:1"
    assert message == f"only .md files belong in pages/: {hint}"


@pytest.mark.parametrize("folder", ["templates", "static"])
def test_templates_or_static_inside_content_is_an_error(tmp_path, folder):
    where, message = single_error(tmp_path, {f"content/{folder}/topic.html": "x\n"})
    assert (where, message) == (
        f"content/{folder}:1:1",
        f"'{folder}' belongs beside the content folder, not inside it: move it up one level, next to content/",
    )


# -- branding errors ----------------------------------------------------------------


def test_a_low_contrast_accent_colour_is_an_error_naming_the_ratio_and_theme(tmp_path):
    where, message = single_error(tmp_path, {**OWN_FILES, SITE_PATH: BRANDED_SITE_YAML.replace(ACCENT, "#777777")})
    assert where == f"{SITE_PATH}:7:15"
    assert message == (
        "accent_color #777777 has a contrast ratio of 4.06:1 with the light theme's header and footer "
        "background #f4f4f1; links need at least 4.5:1 (WCAG AA): choose a darker colour"
    )


def test_a_low_contrast_dark_accent_colour_names_the_dark_theme(tmp_path):
    site_yaml = BRANDED_SITE_YAML + 'accent_color_dark: "#0a55c2"\n'
    where, message = single_error(tmp_path, {**OWN_FILES, SITE_PATH: site_yaml})
    assert where == f"{SITE_PATH}:12:20"
    assert message.startswith(
        "accent_color_dark #0a55c2 has a contrast ratio of 2.05:1 with the dark theme's "
        "highlighted quote background #332c0c; links need at least 4.5:1 (WCAG AA): choose a lighter colour"
    )


@pytest.mark.parametrize(
    "value, where, expected",
    [
        (
            "#8a1538",
            "7:14",
            "'accent_color' is empty: YAML reads what follows ' #' as a comment, so write the colour in quotes",
        ),
        ('"8a1538"', "7:15", "'accent_color' should be a colour written #rrggbb"),
        ('"#8a15"', "7:15", "'accent_color' should be a colour written #rrggbb"),
    ],
)
def test_an_accent_colour_not_written_rrggbb(tmp_path, value, where, expected):
    where_found, message = single_error(
        tmp_path, {**OWN_FILES, SITE_PATH: BRANDED_SITE_YAML.replace(f'"{ACCENT}"', value)}
    )
    assert (where_found, message[: len(expected)]) == (f"{SITE_PATH}:{where}", expected)


def test_a_dark_accent_without_a_light_one(tmp_path):
    where, message = single_error(tmp_path, {SITE_PATH: SITE_YAML + 'accent_color_dark: "#ffb454"\n'})
    assert (where, message) == (
        f"{SITE_PATH}:6:20",
        "accent_color_dark is the dark theme's version of accent_color: set accent_color too",
    )


@pytest.mark.parametrize(
    "path, content, expected",
    [
        ("images/logo.svg", None, "the logo 'images/logo.svg' does not exist: check the path"),
        ("images/logo.png", "not a picture", "the logo 'images/logo.png' is not a PNG image"),
        ("images/logo.svg", "just text", "the logo 'images/logo.svg' is not a SVG image"),
        (
            "images/logo.bmp",
            "BM",
            "the logo 'images/logo.bmp' should be an image file ending in .gif, .jpeg, .jpg, .png, .svg, .webp",
        ),
    ],
)
def test_a_logo_that_is_not_an_image_in_the_archive(tmp_path, path, content, expected):
    site_yaml = BRANDED_SITE_YAML.replace("images/logo.svg", path)
    where, message = single_error(tmp_path, {**OWN_FILES, SITE_PATH: site_yaml, "images/logo.svg": None, path: content})
    assert where == f"{SITE_PATH}:6:7"
    assert message.startswith(expected), message


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


@pytest.mark.parametrize(
    "svg, expected",
    [
        (SVG.format("<script>alert(1)</script>"), "contains <script>: a logo must be a plain picture"),
        (SVG.replace("<svg ", '<svg onload="alert(1)" ').format(""), "contains an event handler (onload)"),
        (
            SVG.format('<a xlink:href="javascript:alert(1)"><rect width="9" height="9"/></a>'),
            "links to 'javascript:alert(1)'",
        ),
        (
            SVG.format('<image href="https://tracker.example.org/pixel.png"/>'),
            "links to 'https://tracker.example.org/pixel.png'",
        ),
        ('<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG.format("&a;"), "declares XML entities"),
        (SVG.format("<rect>"), "is not well-formed SVG"),
    ],
)
def test_an_svg_logo_that_could_run_or_load_something_is_refused(tmp_path, svg, expected):
    where, message = single_error(tmp_path, {**OWN_FILES, "images/logo.svg": svg})
    assert where == f"{SITE_PATH}:6:7"
    assert message.startswith(f"the logo 'images/logo.svg' {expected}"), message


def test_an_svg_logo_may_use_its_own_fragments(tmp_path):
    svg = SVG.format('<defs><rect id="r" width="9" height="9"/></defs><use href="#r"/><use xlink:href="#r"/>')
    result = own_site(tmp_path, {"images/logo.svg": svg}).run("build")
    assert result.code == 0, result.err


def test_a_logo_outside_the_site_by_symlink(tmp_path):
    (tmp_path / "outside.svg").write_text(LOGO, encoding="utf-8")
    site = own_site(tmp_path / "site", {"images/logo.svg": None})
    (tmp_path / "site/images").mkdir()
    os.symlink(tmp_path / "outside.svg", tmp_path / "site/images/logo.svg")
    result = site.run("build")
    assert result.errors == [
        f"{SITE_PATH}:6:7: error: 'images/logo.svg' points outside the site's folder; "
        "logos must live inside it (for example in images/)"
    ]


def test_the_themes_backgrounds_are_those_of_the_stylesheet():
    css = (Path(BUILTIN_TEMPLATES) / "assets/site.css").read_text(encoding="utf-8")
    light, dark = css.split("@media (prefers-color-scheme: dark)")[:2]
    for theme, block in (("light", light), ("dark", dark)):
        declared = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6});", block))
        assert list(brand.THEMES[theme].values()) == [declared["bg"], declared["surface"], declared["target"]]


@pytest.mark.parametrize("accent", ["#8a1538", "#1a7f37", "#777700", "#0a0a0a", "#4b0082"])
def test_the_dark_variant_of_an_accepted_accent_reads_well_on_the_dark_theme(accent):
    dark = brand.dark_variant(accent)
    assert brand.weakest_contrast(dark, "dark")[0] >= brand.DARK_VARIANT_TARGET


# -- template overrides and static files ------------------------------------------


def test_an_override_using_a_name_its_context_lacks_fails_at_its_file_and_line(tmp_path):
    broken = OWN_TOPIC_TEMPLATE.replace(
        '<p class="own-template">', '<p class="own-template">{{ page.no_such_name }}', 1
    )
    line = broken.split("\n").index(next(line for line in broken.split("\n") if "no_such_name" in line)) + 1
    result = own_site(tmp_path, {"templates/topic.html": broken}).run("build")
    assert result.code == 1
    assert result.errors == [
        f"templates/topic.html:{line}:1: error: template failed while rendering topics/bridges/index.html: "
        "'site_builder.pages.topic.TopicPage object' has no attribute 'no_such_name'"
    ]
    assert not (tmp_path / "public").exists()


def test_an_override_with_a_syntax_error_is_placed_in_the_override(tmp_path):
    result = own_site(
        tmp_path, {"templates/topic.html": "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n"}
    ).run("build")
    assert result.errors[0].startswith("templates/topic.html:3:1: error: template syntax error:")


def test_a_static_file_that_would_overwrite_a_generated_page_is_an_error_naming_both(tmp_path):
    result = own_site(tmp_path, {"static/claims/index.html": "<p>Mine</p>\n", "static/assets/brand.css": "a {}\n"}).run(
        "build"
    )
    assert result.code == 1
    assert result.errors == [
        "static/assets/brand.css:1:1: error: this static file would overwrite assets/brand.css, "
        "which the build writes from site.yaml: rename or remove the static file",
        "static/claims/index.html:1:1: error: this static file would overwrite claims/index.html, "
        "which the build writes from claims.html: rename or remove the static file",
    ]


def test_a_static_file_in_the_place_of_a_share_image_is_an_error(tmp_path):
    result = own_site(tmp_path, {"static/claims/bridge-finished-early/og.png": "not a picture\n"}).run("build")
    assert result.code == 1
    assert result.errors == [
        "static/claims/bridge-finished-early/og.png:1:1: error: this static file would overwrite "
        "claims/bridge-finished-early/og.png, which the build writes from its claim, as the claim's share image: "
        "rename or remove the static file",
    ]


def test_a_static_file_linked_from_outside_the_site_is_refused(tmp_path):
    (tmp_path / "secret.txt").write_text("not for publication\n", encoding="utf-8")
    site = own_site(tmp_path / "site")
    os.symlink(tmp_path / "secret.txt", tmp_path / "site/static/notes.txt")
    result = site.run("build")
    assert result.errors == [
        "static/notes.txt:1:1: error: this file is a link to something outside the site's folder: "
        "replace it with the file itself"
    ]


def test_the_default_archive_uses_the_built_in_templates_without_overriding_them():
    options = BuildOptions(content_dir=str(DEFAULT_CONTENT))
    assert options.template_dirs() == [BUILTIN_TEMPLATES]


# -- the corrections list -------------------------------------------------------------


def corrected_claim(reviewed: str, corrections: list[tuple[str, str]]) -> str:
    log = "".join(f"  - date: {date}\n    note: {note}\n" for date, note in corrections)
    return replaced(CLAIM, "reviewed: 2021-09-20", f"reviewed: {reviewed}") + "corrections:\n" + log


def test_the_corrections_list_shows_every_corrected_claim_latest_correction_first(tmp_path):
    claims = {
        "content/claims/bridge-finished-early.yaml": corrected_claim(
            "2021-09-20", [("2021-10-01", "First fix."), ("2021-12-01", "Second fix.")]
        ),
        "content/claims/bridge-copy.yaml": corrected_claim("2021-09-21", [("2021-11-01", "Another fix.")]),
        "content/claims/bridge-untouched.yaml": CLAIM,
    }
    result = minimal_site(tmp_path, claims).run("build")
    assert result.code == 0, result.err
    doc = html_pages(tmp_path / "public")["corrections/index.html"]
    assert doc.xpath("//main//h2/a/@href") == ["/claims/bridge-finished-early/", "/claims/bridge-copy/"]
    notes = [li.text_content() for li in doc.xpath("//main//li")]
    assert notes == ["1 December 2021: Second fix.", "1 October 2021: First fix.", "1 November 2021: Another fix."]
    assert doc.xpath("//footer//a[.='Corrections']/@href") == ["/corrections/"]


def test_the_corrections_list_says_when_there_are_none(built):
    assert (
        "There are no corrections yet" in html_pages(built)["corrections/index.html"].xpath("//main")[0].text_content()
    )


# -- the default archive's own pages ----------------------------------------------------


def test_the_default_archive_has_about_methodology_and_corrections_policy(tmp_path):
    site = build_site(DEFAULT_CONTENT, tmp_path / "public")
    pages = html_pages(site)
    nav = [a.text_content() for a in pages["index.html"].xpath("//header//nav//a")]
    assert nav == BUILT_IN_NAV + ["About", "Methodology"]
    about = pages["about/index.html"].xpath("//main")[0].text_content()
    assert "Open Fact-Check Archive" in about and "demonstration" in about
    methodology = pages["methodology/index.html"]
    assert "/verdicts/" in methodology.xpath("//main//a/@href")
    assert "the build fails" in methodology.xpath("//main")[0].text_content()
    assert "/corrections/" in pages["corrections-policy/index.html"].xpath("//main//a/@href")
    assert broken_links(site, "https://factcheck.example.org/") == []


def test_built_in_folders_name_every_folder_a_build_writes(tmp_path):
    site = build_site(DEFAULT_CONTENT, tmp_path / "public", search=True)
    pages = {p.stem for p in (DEFAULT_CONTENT / "pages").glob("*.md")}
    written = {p.name for p in site.iterdir() if p.is_dir()} - pages
    # media/ holds content images (issue 17); the default archive has none.
    assert written == set(BUILT_IN_FOLDERS) - {"media"}
    assert set(SITE_PAGES) <= {p.parent.name for p in site.glob("*/index.html")}


# -- the format and the templates documented ------------------------------------------


def test_the_page_schema_accepts_every_default_page_and_is_in_the_reference():
    schema = content_schema("page")
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in sorted((DEFAULT_CONTENT / "pages").glob("*.md")):
        front_matter = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(front_matter)) == [], path
    reference = (REPO_ROOT / FORMAT_MD).read_text(encoding="utf-8")
    for spec in PAGE.fields:
        assert f"| `{spec.key}` | {'yes' if spec.required else 'no'} |" in reference


def test_every_template_is_documented_with_its_context():
    built_in = {p.name for p in Path(BUILTIN_TEMPLATES).iterdir() if p.is_file()} - {"base.html", "macros.html"}
    assert built_in == set(site_pages.TEMPLATES)
    reference = (REPO_ROOT / TEMPLATES_MD).read_text(encoding="utf-8")
    for name, (contract, _) in site_pages.TEMPLATES.items():
        assert f"| `{name}` |" in reference and f"### {contract.__name__}\n" in reference


def test_every_field_a_template_can_reach_has_a_meaning():
    reference = (REPO_ROOT / TEMPLATES_MD).read_text(encoding="utf-8")
    known = described_classes(*site_pages.MODULES, feeds)
    documented = re.findall(r"^### (\w+)$", reference, re.M)
    for name in documented:
        for member in known[name].members:
            assert member.meaning, f"{name}.{member.name} has no meaning in site_builder/pages/"
            assert f"| `{member.name}` |" in reference


def test_each_page_gets_the_context_its_template_is_documented_with(tmp_path):
    from site_builder.pages import SitePages
    from site_builder.pipeline import load_library
    from site_builder.urls import Urls

    # The default archive has no old addresses: a copy with one gets an alias page too.
    shutil.copytree(DEFAULT_CONTENT, tmp_path / "content")
    shutil.copytree(REPO_ROOT / "seeds", tmp_path / "seeds")
    claim = next((tmp_path / "content" / "claims").glob("*.yaml"))
    claim.write_text(claim.read_text(encoding="utf-8") + 'aliases:\n  - "/2021/09/an-old-address/"\n', encoding="utf-8")
    library = load_library(BuildOptions(content_dir=str(tmp_path / "content")))
    pages = [plan.make() for plan in SitePages(library, Urls(library.site.base_url)).plans()]
    for page in pages:
        assert isinstance(page.context, site_pages.TEMPLATES[page.template][0]), page.path
    # The default archive names no staff (it invents no people): staff.html is proven on test_newsroom's site.
    assert {page.template for page in pages} == set(site_pages.TEMPLATES) - {"staff.html"}


def test_pages_are_the_same_when_a_process_keeps_few_quote_views(monkeypatch):
    """Quote views are kept for the most recently shown only: one made again is the same."""
    import site_builder.pages.views
    from site_builder.pages import SitePages
    from site_builder.pipeline import load_library
    from site_builder.urls import Urls

    library = load_library(BuildOptions(content_dir=str(DEFAULT_CONTENT)))

    def contexts():
        pages = SitePages(library, Urls(library.site.base_url))
        made = {plan.path: plan.make().context for plan in pages.plans()}
        return made, len(pages.views._quote_views)

    everything, kept = contexts()
    assert kept > 2
    monkeypatch.setattr(site_builder.pages.views, "QUOTE_VIEWS_KEPT", 2)
    few, kept = contexts()
    assert kept == 2
    assert few == everything


# -- incremental rebuilds -------------------------------------------------------------


@pytest.fixture
def archive(tmp_path):
    shutil.copytree(REPO_ROOT / "content", tmp_path / "content")
    shutil.copytree(REPO_ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def project(archive: Path) -> BuiltSite:
    return BuiltSite(BuildOptions(content_dir=str(archive / "content"), out_dir=str(archive / "public"), search=False))


PAGE_EDITS = {
    "page text": [("content/pages/methodology.md", "## Choosing claims", "## How claims are chosen")],
    "page title in the nav": [("content/pages/about.md", "title: About", "title: Who we are")],
    "page nav order": [("content/pages/about.md", "nav: 1", "nav: 3")],
    "page out of the nav": [("content/pages/methodology.md", "nav: 2\n", "")],
}


@pytest.mark.parametrize("name", sorted(PAGE_EDITS))
def test_rebuild_after_a_page_edit_equals_full_build(archive, name):
    preview = project(archive)
    preview.build()
    for path, old, new in PAGE_EDITS[name]:
        edit(archive / path, old, new)
    preview.rebuild(touched={str(archive / p) for p, _, _ in PAGE_EDITS[name]})
    assert_same_as_full_build(archive, preview)


def test_rebuild_after_adding_and_removing_a_page(archive):
    preview = project(archive)
    preview.build()
    new_page = archive / "content/pages/funding.md"
    new_page.write_text("---\ntitle: Funding\nnav: 5\n---\nNo funding: a demonstration.\n", encoding="utf-8")
    preview.rebuild()
    doc = lxml.html.parse(str(archive / "public/claims/index.html")).getroot()
    assert doc.xpath("//header//nav//a/text()")[-1] == "Funding"
    assert_same_as_full_build(archive, preview)
    new_page.unlink()
    preview.rebuild()
    assert not (archive / "public/funding").exists()
    shutil.rmtree(archive / "fresh")
    assert_same_as_full_build(archive, preview)


def test_a_claim_edit_with_pages_and_an_accent_colour_rebuilds_only_what_it_shows(archive):
    edit(archive / "content/site.yaml", "language: en\n", f'language: en\naccent_color: "{ACCENT}"\n')
    preview = project(archive)
    everything = preview.build().pages
    claim = "content/claims/paryan-completely-cleared-of-taliban.yaml"
    edit(archive / claim, "summary:", "summary: Edited.")
    report = preview.rebuild(touched={str(archive / claim)})
    assert report.pages < everything
    assert_same_as_full_build(archive, preview)


def test_rebuild_after_an_override_template_or_static_file_appears(archive):
    preview = project(archive)
    preview.build()
    (archive / "templates").mkdir()
    (archive / "templates/page.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}<h1>{{ page.meta.title }}</h1><div class='mine'>{{ page.body }}</div>{% endblock %}\n",
        encoding="utf-8",
    )
    (archive / "static").mkdir()
    (archive / "static/humans.txt").write_text("An imaginary team.\n", encoding="utf-8")
    preview.rebuild()
    assert "<div class='mine'>" in (archive / "public/about/index.html").read_text(encoding="utf-8")
    assert (archive / "public/humans.txt").is_file()
    assert_same_as_full_build(archive, preview)


# -- in a browser: the accent colour, in both themes ---------------------------------

SCHEMES = ("light", "dark")
PAGE_KINDS = {
    "claim": "claims/bridge-finished-early/",
    "source": "sources/ministry-statement/",
    "person": "people/jane-roe/",
    "topic (overridden)": "topics/bridges/",
    "home": "",
    "claims index": "claims/",
    "verdicts": "verdicts/",
    "list": "people/",
    "corrections": "corrections/",
    "page": "how-we-check/",
    "404": "404.html",
}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_axe_finds_no_violations_with_the_accent_colour(chromium_browser, serve_dir, built, kind, scheme):
    context_ = chromium_browser.new_context(viewport={"width": 360, "height": 800}, color_scheme=scheme)
    page = context_.new_page()
    try:
        page.goto(serve_dir(built) + PAGE_KINDS[kind])
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context_.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_accent_colour_drives_links_focus_and_the_button(chromium_browser, serve_dir, built, scheme):
    expected = ACCENT if scheme == "light" else brand.dark_variant(ACCENT)
    rgb = "rgb({}, {}, {})".format(*(int(expected[i : i + 2], 16) for i in (1, 3, 5)))
    context_ = chromium_browser.new_context(color_scheme=scheme)
    page = context_.new_page()
    try:
        page.goto(serve_dir(built) + "how-we-check/")
        assert page.evaluate("getComputedStyle(document.querySelector('main a')).color") == rgb
        assert page.evaluate("getComputedStyle(document.querySelector('.site-search button')).backgroundColor") == rgb
        page.focus("main a")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineColor") == rgb
    finally:
        context_.close()

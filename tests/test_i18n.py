"""The interface in another language: catalogues, dates, right to left, and a
claim whose language is not the site's (the Dari example archive in examples/dari/).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from sites import (
    ARCHIVED_TEXT,
    CLAIM,
    MINIMAL_FILES,
    PERSON,
    REPO_ROOT,
    SITE_PATH,
    SITE_YAML,
    SOURCE,
    minimal_site,
    replaced,
)
from test_site import build_site, write_site
from tools import read_dataset

from site_builder import i18n

DARI_CONTENT = REPO_ROOT / "examples" / "dari" / "content"
LOCALES = REPO_ROOT / "site_builder" / "locales"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Names that stay in Latin letters in any language.
LATIN_NAMES = {"Atom", "JSON"}


def extracted_messages() -> set[str]:
    """Every message the templates and the code ask for, found the way `make messages` finds them."""
    method_map = [("site_builder/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(REPO_ROOT), method_map, options, keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def dari_catalogue():
    with open(LOCALES / "fa_AF" / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def test_every_interface_message_is_in_the_template_catalogue():
    with open(LOCALES / "messages.pot", "rb") as pot:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    missing = extracted_messages() - template
    assert not missing, f"run `make messages`: {sorted(missing)}"


def test_the_dari_catalogue_translates_every_message_with_the_same_placeholders():
    catalogue = dari_catalogue()
    wanted = extracted_messages()
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if ids[0] not in wanted:
            continue
        wanted.discard(ids[0])
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(ids[0])):
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    assert not problems and not wanted, problems + [f"not in the catalogue: {m!r}" for m in sorted(wanted)]


def test_interfaces_pick_catalogue_dates_and_direction():
    dari = i18n.interface("fa-AF")
    assert dari.dir == "rtl"
    assert dari.gettext("Search") != "Search"
    assert "سپتمبر" in dari.date(__import__("datetime").date(2021, 9, 5))
    # Persian without a region takes the Dari words but its own CLDR dates.
    persian = i18n.interface("fa")
    assert persian.gettext("Search") == dari.gettext("Search")
    assert "سپتامبر" in persian.date(__import__("datetime").date(2021, 9, 5))
    # No catalogue: English words, dates still in the language.
    german = i18n.interface("de")
    assert german.dir == "ltr"
    assert german.gettext("Search") == "Search"
    assert german.date(__import__("datetime").date(2021, 9, 5)) == "5. September 2021"
    # Bare English is international English: day before month.
    assert i18n.interface("en").date(__import__("datetime").date(2021, 9, 5)) == "5 September 2021"
    assert i18n.shipped_languages() == ["en", "fa-AF"]


@pytest.fixture(scope="module")
def dari_site(tmp_path_factory) -> Path:
    return build_site(DARI_CONTENT, tmp_path_factory.mktemp("dari") / "public")


def parse(site: Path, relpath: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / relpath).read_bytes())


def latin_words(element: lxml.html.HtmlElement) -> set[str]:
    """Words in Latin letters in the text of `element`, skipping parts marked as English."""
    words = set()
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        if _language(node).startswith(("en", "zxx")):  # zxx: no language, such as a digest's hex digits
            continue
        for text in (node.text, *(child.tail for child in node)):
            words |= set(re.findall(r"[A-Za-z]{2,}", text or ""))
    return words - LATIN_NAMES


def _language(node) -> str:
    while node is not None:
        if node.get("lang"):
            return node.get("lang")
        node = node.getparent()
    return ""


def test_every_dari_page_is_right_to_left_with_no_english_left_in_it(dari_site):
    pages = sorted(p.relative_to(dari_site).as_posix() for p in dari_site.rglob("*.html"))
    assert len(pages) > 15
    # Chart titles that quote the English claim in a Dari sentence (an SVG
    # <title> cannot mark part of its text) are the one place its words may show.
    english_claim_words = set(re.findall(r"[A-Za-z]{2,}", "All the new roads will be finished by the end of the year."))
    english = {}
    for relpath in pages:
        document = parse(dari_site, relpath)
        if relpath != "claims/new-roads-by-year-end/index.html":
            assert (document.get("lang"), document.get("dir")) == ("fa-AF", "rtl"), relpath
        body = document.find("body")
        # URLs written out as text (a source's address) are not words to translate.
        for url in body.xpath('.//a[@class="url"]'):
            url.text = ""
        words = latin_words(body) - english_claim_words
        if words:
            english[relpath] = sorted(words)
    assert english == {}


def test_a_claim_in_english_keeps_its_language_in_a_dari_site(dari_site):
    document = parse(dari_site, "claims/new-roads-by-year-end/index.html")
    # The page is the claim's; the site's chrome around it stays Dari.
    assert (document.get("lang"), document.get("dir")) == ("en", "ltr")
    for chrome in ("header", "footer"):
        element = document.find(f".//{chrome}")
        assert (element.get("lang"), element.get("dir")) == ("fa-AF", "rtl")
    article = document.find(".//article")
    assert (article.get("lang"), article.get("dir")) == ("fa-AF", "rtl")
    heading = article.find(".//h1")
    assert (heading.get("lang"), heading.get("dir")) == ("en", "ltr")
    assert article.get("data-pagefind-meta") == "lang:en"
    data = json.loads(document.xpath("//script[@type='application/ld+json']")[0].text)
    assert (
        data["itemReviewed"]["inLanguage"] == "en"
        if "inLanguage" in data["itemReviewed"]
        else data["inLanguage"] == "en"
    )
    dari_data = json.loads(
        parse(dari_site, "claims/bridge-finished-early/index.html")
        .xpath("//script[@type='application/ld+json']")[0]
        .text
    )
    assert json.dumps(dari_data).count('"inLanguage": "fa-AF"') >= 1
    # On lists, the English claim is marked where it appears among Dari ones.
    home = parse(dari_site, "index.html")
    link = home.xpath("//a[@href='/claims/new-roads-by-year-end/']")[0]
    assert (link.get("lang"), link.get("dir")) == ("en", "ltr")


def test_dari_pages_use_the_catalogue_words_dates_and_default_scale(dari_site):
    dari = i18n.interface("fa-AF")
    document = parse(dari_site, "claims/bridge-finished-early/index.html")
    text = document.text_content()
    assert dari.gettext("Our verdict") in text
    assert dari.gettext("Mostly true") in text and dari.gettext("Mostly true") != "Mostly true"
    assert dari.date(__import__("datetime").date(2021, 9, 12)) in text
    nav = [a.text_content() for a in document.xpath("//nav[contains(@class, 'site-nav')]//a")]
    assert nav[:5] == [dari.gettext(w) for w in ("Fact-checks", "Sources", "People", "Topics", "Verdicts")]
    assert nav[5] == "دربارهٔ این آرشیف"  # the archive's own page, as its front matter names it
    # The feed and the dataset carry the default scale in the site's language too.
    feed = (dari_site / "feed.xml").read_text(encoding="utf-8")
    assert dari.gettext("Mostly true") in feed and "Mostly true" not in feed
    dataset = read_dataset(dari_site)
    assert {v["label"] for v in dataset["verdicts"]} >= {dari.gettext("False"), dari.gettext("Unproven")}


def test_charts_on_a_dari_site_run_right_to_left(dari_site):
    document = parse(dari_site, "topics/bridges-and-roads/index.html")
    svgs = document.xpath("//*[local-name()='svg']")
    assert len(svgs) == 4  # the timeline and the claim map, each in its wide and its narrow layout
    assert all(svg.get("direction") == "rtl" for svg in svgs)


def test_a_site_without_a_catalogue_for_its_language_falls_back_to_english_words(tmp_path):
    content = write_site(
        tmp_path,
        {
            "content/site.yaml": SITE_YAML + "language: de\n",
            "content/people/jane-roe.yaml": PERSON,
            "content/sources/ministry-statement.yaml": SOURCE,
            "archive/ministry-statement.txt": ARCHIVED_TEXT,
            "content/claims/bridge-finished-early.yaml": CLAIM,
        },
    )
    site = build_site(content, tmp_path / "public")
    document = parse(site, "claims/bridge-finished-early/index.html")
    assert document.get("lang") == "de"
    text = document.text_content()
    assert "Our verdict" in text and "5. September 2021" in text


def test_a_site_that_writes_its_own_scale_keeps_its_words(tmp_path):
    scale = """\
verdicts:
  - id: mostly-true
    label: Meistens wahr
    rating: 1
    description: Fast richtig.
"""
    content = write_site(
        tmp_path,
        {
            "content/site.yaml": replaced(SITE_YAML, "publisher:", "language: fa-AF\npublisher:") + scale,
            "content/people/jane-roe.yaml": PERSON,
            "content/sources/ministry-statement.yaml": SOURCE,
            "archive/ministry-statement.txt": ARCHIVED_TEXT,
            "content/claims/bridge-finished-early.yaml": CLAIM,
        },
    )
    site = build_site(content, tmp_path / "public")
    assert "Meistens wahr" in parse(site, "claims/bridge-finished-early/index.html").text_content()


PASHTO_PO = """\
msgid ""
msgstr ""
"Language: ps\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Our verdict"
msgstr "زموږ پرېکړه"

msgid "Claimed by %(claimant)s on %(date)s"
msgstr "%(claimant)s په %(date)s ادعا کړې"
"""


def pashto_site(tmp_path, po: str):
    files = {**MINIMAL_FILES, SITE_PATH: SITE_YAML + "language: ps\n", "locales/ps/LC_MESSAGES/messages.po": po}
    return minimal_site(tmp_path, files)


def test_an_archive_adds_its_own_language_in_locales(tmp_path):
    site = pashto_site(tmp_path, PASHTO_PO)
    result = site.run("build")
    assert result.code == 0, result.err
    document = parse(tmp_path / "public", "claims/bridge-finished-early/index.html")
    assert (document.get("lang"), document.get("dir")) == ("ps", "rtl")
    text = document.text_content()
    assert "زموږ پرېکړه" in text and "ادعا کړې" in text
    # What the archive's catalogue lacks stays English.
    assert "Fact-check published" in text


@pytest.mark.parametrize(
    "old, new, marked_line, message",
    [
        (
            '"%(claimant)s په %(date)s ادعا کړې"',
            '"%(name)s په %(date)s ادعا کړې"',
            'msgid "Claimed by %(claimant)s on %(date)s"',
            "the translation of 'Claimed by %(claimant)s on %(date)s' uses %(name)s, which the message does not have: "
            "use only %(claimant)s, %(date)s",
        ),
        (
            'msgstr "زموږ پرېکړه"',
            'msgstr "زموږ پرېکړه"\nour verdict, in Pashto',
            "our verdict, in Pashto",
            "this catalogue cannot be read (Unknown or misformatted keyword): fix the line, "
            "or open and save the file in a PO editor such as Poedit",
        ),
    ],
    ids=["a value its message lacks", "an unreadable line"],
)
def test_a_broken_catalogue_is_an_error_at_its_line(tmp_path, old, new, marked_line, message):
    broken = PASHTO_PO.replace(old, new)
    result = pashto_site(tmp_path, broken).run("build")
    assert result.code == 1
    line = broken.splitlines().index(marked_line) + 1
    assert result.errors == [f"locales/ps/LC_MESSAGES/messages.po:{line}:1: error: {message}"]
    assert not (tmp_path / "public").exists()

"""The default archive in a real browser (Debian's chromium): axe-core on every
kind of page in light and dark, on a phone and a desktop; the Nu HTML checker
on every page; the page chrome (skip link, focus, print) working as intended.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_site import DEFAULT_CONTENT, build_site
from tools import axe_violations, vnu_errors

SCHEMES = ("light", "dark")
WIDTHS = (360, 1280)
PAGE_KINDS = ("claim", "source", "person", "topic", "home", "claims index", "verdicts",
              "sources list", "people list", "topics list", "404", "search")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(DEFAULT_CONTENT, tmp_path_factory.mktemp("browser") / "public", search=True)


def first_record(site: Path, folder: str) -> str:
    """The URL path (below the site) of the first record in `folder`, whatever the archive holds."""
    return f"{folder}/{sorted(p.parent.name for p in (site / folder).glob('*/index.html'))[0]}/"


def path_of(site: Path, kind: str) -> str:
    records = {"claim": "claims", "source": "sources", "person": "people", "topic": "topics"}
    if kind in records:
        return first_record(site, records[kind])
    return {
        "home": "", "claims index": "claims/", "verdicts": "verdicts/", "sources list": "sources/",
        "people list": "people/", "topics list": "topics/", "404": "404.html", "search": "search/?q=Taliban",
    }[kind]


def open_page(chromium_browser, url: str, scheme: str, width: int, **context_options):
    context = chromium_browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme, **context_options)
    page = context.new_page()
    page.goto(url)
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_violations(chromium_browser, serve_dir, site, kind, scheme, width):
    context, page = open_page(chromium_browser, serve_dir(site) + path_of(site, kind), scheme, width)
    try:
        if kind == "search":
            page.wait_for_selector(".pagefind-ui__result")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        assert axe_violations(page) == []
        # Reads on a phone: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_nu_checker_finds_no_errors_in_any_page(site):
    assert len(list(site.rglob("*.html"))) > 20
    assert vnu_errors(site) == []


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_pages_load_without_errors_or_policy_violations(chromium_browser, serve_dir, site, kind):
    context = chromium_browser.new_context()
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and not response.url.endswith("404.html")
            and problems.append(f"{response.status} {response.url}"))
    try:
        page.goto(serve_dir(site) + path_of(site, kind))
        if kind == "search":
            page.wait_for_selector(".pagefind-ui__result")
        page.wait_for_load_state("networkidle")
        assert problems == []
    finally:
        context.close()


def test_skip_link_is_first_and_visible_when_focused(chromium_browser, serve_dir, site):
    context, page = open_page(chromium_browser, serve_dir(site) + first_record(site, "claims"), "light", 360)
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
            return [e.className, r.top >= 0 && r.bottom <= innerHeight, s.outlineStyle, s.outlineWidth]; }""")
        assert focused[0] == "skip-link" and focused[1] is True
        assert focused[2] != "none" and focused[3] != "0px"  # visible focus
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        context.close()


def test_print_hides_the_site_chrome(chromium_browser, serve_dir, site):
    context, page = open_page(chromium_browser, serve_dir(site) + first_record(site, "claims"), "dark", 1280)
    try:
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        assert page.locator("h1").is_visible()
    finally:
        context.close()


def test_verdict_badge_is_words_with_colour_as_extra(chromium_browser, serve_dir, site):
    context, page = open_page(chromium_browser, serve_dir(site) + "verdicts/", "light", 1280)
    try:
        badges = page.evaluate("""() => [...document.querySelectorAll('.verdict')].map(b => [
            b.querySelector('.verdict-label').innerText, b.querySelector('.verdict-place').innerText,
            getComputedStyle(b).backgroundColor])""")
        assert len(badges) >= 3
        assert all(label and place for label, place, _ in badges)
        assert len({colour for _, _, colour in badges}) >= 3  # colour tells verdicts apart at a glance
    finally:
        context.close()

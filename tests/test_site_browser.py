"""The default archive in a real browser (Debian's chromium): axe-core on every
kind of page in light and dark, on a phone and a desktop; the Nu HTML checker
on every page; the page chrome (skip link, focus, print) working as intended.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from test_site import DEFAULT_CONTENT, build_site
from tools import axe_violations, read_dataset, vnu_errors

SCHEMES = ("light", "dark")
WIDTHS = (360, 1280)
PAGE_KINDS = (
    "claim",
    "source",
    "person",
    "topic",
    "home",
    "claims index",
    "verdicts",
    "sources list",
    "people list",
    "topics list",
    "404",
    "search",
)


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
        "home": "",
        "claims index": "claims/",
        "verdicts": "verdicts/",
        "sources list": "sources/",
        "people list": "people/",
        "topics list": "topics/",
        "404": "404.html",
        "search": "search/?q=Taliban",
    }[kind]


def open_page(chromium_browser, url: str, scheme: str, width: int, **context_options):
    context = chromium_browser.new_context(
        viewport={"width": width, "height": 800}, color_scheme=scheme, **context_options
    )
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
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("404.html")
            and problems.append(f"{response.status} {response.url}")
        ),
    )
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
            b.firstElementChild.innerText, (b.querySelector('.pips + *') || {}).innerText,
            getComputedStyle(b).backgroundColor, !!b.closest('section').querySelector('.unrated-note')])""")
        assert len(badges) >= 3
        # A rated verdict says its place; an unrated one says only its name, its entry says why.
        assert all(label and (bool(place) != unrated) for label, place, _, unrated in badges)
        assert any(unrated for *_, unrated in badges) and not any(
            "unrated" in (place or "") for _, place, _, _ in badges
        )
        assert len({colour for _, _, colour, _ in badges}) >= 3  # colour tells verdicts apart at a glance
    finally:
        context.close()


def test_verdict_pips_draw_the_place_on_the_scale(chromium_browser, serve_dir, site):
    # One empty element a badge, drawn by the stylesheet from its classes (issue 19: an element a
    # step was 6% of the HTML): a ring per rated verdict, as many filled as the place, whole.
    context, page = open_page(chromium_browser, serve_dir(site) + "verdicts/", "light", 1280, device_scale_factor=2)
    try:
        pips = page.locator(".verdict .pips")
        assert pips.count() >= 3
        for n in range(pips.count()):
            element = pips.nth(n)
            place = element.locator("xpath=following-sibling::*[1]").inner_text()
            on, of = (int(x) for x in re.findall(r"\d+", place)[:2])
            assert element.get_attribute("class").split() == ["pips", f"on{on}", f"of{of}"]
            assert element.evaluate("e => e.childElementCount + e.textContent.length") == 0
            box = element.bounding_box()
            with Image.open(io.BytesIO(element.screenshot())) as shot:
                picture = shot.convert("RGB")
            # Sample each ring's centre: the text's colour where it is filled, the badge's where not.
            step, middle = picture.width / of, picture.height // 2
            centres = [picture.getpixel((int(step * k + picture.height / 2), middle)) for k in range(of)]
            ink = sorted(set(centres), key=sum)[0]
            assert [sum(abs(a - b) for a, b in zip(c, ink)) < 60 for c in centres] == [True] * on + [False] * (
                of - on
            ), (
                place,
                centres,
            )
            assert box["width"] == pytest.approx(of * (box["height"] + 2) - 2, abs=1)
    finally:
        context.close()


# Every piece of text in every chart shown: its rendered size (font size times the
# SVG's scale on screen), whether it ends cut ("…"), and whether it leaves the chart.
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].filter(svg => svg.getClientRects().length).flatMap(svg => {
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].map(t => {
        const r = t.getBoundingClientRect(), scale = t.getScreenCTM().a;
        return {chart: svg.getAttribute('class'), text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
                inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1};
    });
})"""


@pytest.mark.parametrize("kind", ("person", "topic"))
def test_chart_text_is_readable_and_whole_on_a_phone(chromium_browser, serve_dir, site, kind):
    context, page = open_page(chromium_browser, serve_dir(site) + path_of(site, kind), "light", 360)
    try:
        texts = page.evaluate(CHART_TEXT)
        assert texts, "no chart shown"
        assert [t for t in texts if t["px"] < 12] == []
        assert [t for t in texts if t["text"].endswith("…") or not t["inside"]] == []
    finally:
        context.close()


# Each related claim's entry: its link, where it stands, its dot's colours, and its words.
RELATED = """() => [...document.querySelectorAll('.related-list > li')].map(li => {
    const dot = getComputedStyle(li, '::before'), r = li.getBoundingClientRect(), a = li.querySelector('a');
    return {href: a.getAttribute('href'), text: li.innerText, shown: r.width > 0 && r.height > 0,
            dot: [dot.content, dot.width, dot.borderTopColor, dot.backgroundColor, dot.display]};
})"""


def test_on_a_phone_the_related_list_is_the_claim_map(chromium_browser, serve_dir, site):
    # Issue 19: one drawing, for wide screens; on a phone the list is the map, a dot in each
    # claim's verdict colour beside the claim written whole and how it relates, in words.
    context, page = open_page(chromium_browser, serve_dir(site) + first_record(site, "claims"), "light", 360)
    try:
        assert page.locator(".claim-map-section svg").count() == 1
        assert not page.locator(".claim-map-section svg").is_visible()
        assert not page.locator(".claim-map-figure").is_visible()  # its caption speaks of circles
        items = page.evaluate(RELATED)
        assert len(items) >= 2 and all(item["shown"] for item in items)
        for item in items:
            content, width, edge, fill, display = item["dot"]
            assert content == '""' and display != "none" and float(width[:-2]) >= 8, item
            assert edge != fill and edge not in ("rgba(0, 0, 0, 0)", "rgb(0, 0, 0)"), item
            assert item["text"].rstrip().endswith(("(counterclaim)", "(shares a quote)", "(shares a source)")), item
            assert "…" not in item["text"]
        # The dots tell the verdicts apart as the badges beside them do.
        tones = page.evaluate("() => [...document.querySelectorAll('.related-list > li')].map(li => li.className)")
        assert len({item["dot"][2] for item in items}) == len({c.split()[0] for c in tones}) >= 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_on_a_desktop_the_claim_map_draws_the_list_and_the_keyboard_takes_the_list(chromium_browser, serve_dir, site):
    context, page = open_page(chromium_browser, serve_dir(site) + first_record(site, "claims"), "light", 1280)
    try:
        svg = page.locator(".claim-map-section svg")
        assert svg.is_visible() and svg.bounding_box()["width"] >= 600
        items = page.evaluate(RELATED)
        # Each list entry's dot has its node's colour in the drawing.
        nodes = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.claim-map a')].map(a =>
            [a.getAttribute('href'), getComputedStyle(a.querySelector('circle')).stroke]))""")
        assert items and all(nodes[item["href"]] == item["dot"][2] for item in items)
        # Tab goes through the list's links, never into the hidden drawing's.
        page.evaluate(
            "() => { const h = document.querySelector('.claim-map-section h2'); h.tabIndex = -1; h.focus(); }"
        )
        focused = []
        for _ in range(3 * len(items)):
            page.keyboard.press("Tab")
            focused.append(
                page.evaluate(
                    "() => [!!document.activeElement.closest('svg'), document.activeElement.getAttribute('href')]"
                )
            )
        assert not any(in_svg for in_svg, _ in focused)
        assert {item["href"] for item in items} <= {href for _, href in focused}
        page.locator(".claim-map a").nth(1).click()  # a mouse still follows a node
        page.wait_for_load_state()
        assert page.url.endswith(items[0]["href"])
    finally:
        context.close()


def test_each_quote_shows_once_on_its_claim_page(chromium_browser, serve_dir, site):
    data = read_dataset(site)
    quotes = {(s["slug"], q["id"]): q["text"] for s in data["sources"] for q in s["quotes"]}
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    checked = 0
    try:
        for claim in data["claims"]:
            if not claim["quotes"]:
                continue
            page.goto(serve_dir(site) + f"claims/{claim['slug']}/")
            # Every visible quotation of the page's own (the editor's analysis may quote the words too:
            # that is writing, not the page repeating itself).
            shown = page.evaluate("""() => [...document.querySelectorAll('main blockquote, main q, main mark')]
                .filter(e => !e.closest('.analysis') && e.getClientRects().length).map(e => e.innerText.split(/\\s+/).join(' '))""")
            for ref in claim["quotes"]:
                words = " ".join(quotes[(ref["source"], ref["id"])].split())
                assert sum(words in text for text in shown) == 1, (claim["slug"], ref, shown)
                checked += 1
            # ... with its context one click away, marked in the archived text.
            for href in page.locator(".quote .in-context a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            ):
                assert "#text-quote-" in href
    finally:
        context.close()
    assert checked >= 1


def test_on_a_phone_the_navigation_folds_behind_one_control(chromium_browser, serve_dir, site):
    context, page = open_page(chromium_browser, serve_dir(site) + first_record(site, "claims"), "light", 360)
    try:
        assert page.locator(".site-header").bounding_box()["height"] <= 130
        links = page.locator(".site-menu nav a")
        assert links.count() >= 5 and not links.first.is_visible()
        page.locator(".site-menu summary").click()
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_on_a_desktop_a_record_uses_the_width(chromium_browser, serve_dir, site):
    context, page = open_page(chromium_browser, serve_dir(site) + first_record(site, "claims"), "light", 1280)
    try:
        # The navigation is never folded on a desktop: no menu control, every link on show.
        assert not page.locator(".site-menu summary").is_visible()
        links = page.locator(".site-nav a")
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        analysis = page.locator(".analysis").bounding_box()
        verdict = page.locator(".verdict-panel").bounding_box()
        facts = page.locator(".facts").bounding_box()
        # The verdict and the facts stand beside the analysis, not above it.
        assert verdict["x"] >= analysis["x"] + analysis["width"] and facts["x"] == verdict["x"]
        assert verdict["y"] < analysis["y"] + analysis["height"]
        assert page.locator("main").bounding_box()["width"] >= 1000
    finally:
        context.close()


@pytest.mark.parametrize("kind", ("source", "person", "claims index"))
def test_small_badges_are_targets_a_finger_can_hit(chromium_browser, serve_dir, site, kind):
    context, page = open_page(chromium_browser, serve_dir(site) + path_of(site, kind), "light", 360)
    try:
        heights = page.locator("a.verdict").evaluate_all("links => links.map(a => a.getBoundingClientRect().height)")
        assert heights and min(heights) >= 24  # WCAG 2.5.8, target size (minimum)
    finally:
        context.close()

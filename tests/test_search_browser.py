"""Search in a real browser: the Pagefind index the build writes, driven through
the search page as a reader would, under the pages' Content-Security-Policy.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect
from test_site import DEFAULT_CONTENT, build_site
from tools import axe_violations, read_dataset

from bench.corpus import generate_corpus
from site_builder import pipeline, search
from site_builder.pipeline import BuildOptions, BuiltSite

RESULT = ".pagefind-ui__result"
RESULT_LINK = ".pagefind-ui__result-link"
INPUT = ".pagefind-ui__search-input"
MESSAGE = ".pagefind-ui__message"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(DEFAULT_CONTENT, tmp_path_factory.mktemp("search") / "public", search=True)


def quotes_cited_once(site: Path) -> list[tuple[str, str]]:
    """(quote text, the one claim citing it) from the built dataset."""
    data = read_dataset(site)
    return [(q["text"], q["cited_by"][0]) for s in data["sources"] for q in s["quotes"] if len(q["cited_by"]) == 1]


def result_count(page) -> int:
    text = page.locator(MESSAGE).inner_text()
    match = re.match(r"(\d+) results?", text)
    return int(match.group(1)) if match else 0


# Waiting goes through locators: page.wait_for_function evaluates a string,
# which the pages' Content-Security-Policy forbids (no 'unsafe-eval').
def search_for(page, text: str) -> None:
    page.fill(INPUT, text)
    expect(page.locator(MESSAGE)).to_contain_text(text)
    page.wait_for_selector(RESULT)


def test_the_build_writes_the_index(site):
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (site / "pagefind" / name).is_file(), name
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    records = sum(
        1 for folder in ("claims", "sources", "people", "topics") for _ in (site / folder).glob("*/index.html")
    )
    assert entry["languages"]["en"]["page_count"] == records  # records only, not indexes or chrome


def test_typing_a_quote_phrase_finds_its_claim_first(serve_dir, browse, site):
    # From the middle of the longest quote: its opening words may be a name,
    # which rightly finds that person's page first.
    text, claim = max(quotes_cited_once(site), key=lambda quote: len(quote[0].split()))
    words = text.split()
    phrase = " ".join(words[len(words) // 2 :][:6])
    base = serve_dir(site)
    page = browse(base + "search/")
    search_for(page, phrase)
    assert page.locator(RESULT_LINK).first.get_attribute("href") == f"/claims/{claim}/"
    # The query is in the address, so the search can be shared and Back returns to it.
    expect(page).to_have_url(re.compile(r"\?q="))
    assert parse_qs(urlsplit(page.url).query) == {"q": [phrase]}
    page.press(INPUT, "Enter")  # Pagefind's form has a javascript: action; the policy must not trip on it
    assert page.problems == []


def test_every_quote_finds_a_claim_citing_it_first(serve_dir, browse, site):
    page = browse(serve_dir(site) + "search/")
    data = read_dataset(site)
    for source in data["sources"]:
        for quote in source["quotes"]:
            if not quote["cited_by"]:
                continue
            phrase = " ".join(quote["text"].split()[:8])
            first = page.evaluate(
                """async (phrase) => {
                const pagefind = await import('/pagefind/pagefind.js');
                const found = await pagefind.search(phrase);
                return (await found.results[0].data()).url; }""",
                phrase,
            )
            assert first in {f"/claims/{c}/" for c in quote["cited_by"]}, (phrase, first)


def test_a_shared_search_url_opens_with_its_results(serve_dir, browse, site):
    page = browse(serve_dir(site) + "search/?q=Panjshir")
    page.wait_for_selector(RESULT)
    assert page.input_value(INPUT) == "Panjshir"
    assert result_count(page) > 0


def test_the_header_search_box_leads_to_results(serve_dir, browse, site):
    base = serve_dir(site)
    page = browse(base + "claims/")
    page.fill("#site-search-q", "Paryan")
    page.press("#site-search-q", "Enter")
    page.wait_for_selector(RESULT)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["Paryan"]}


def test_a_verdict_filter_narrows_results_to_that_verdict(serve_dir, browse, site):
    page = browse(serve_dir(site) + "search/?q=Taliban")
    page.wait_for_selector(RESULT)
    everything = result_count(page)
    page.locator("summary.pagefind-ui__filter-name", has_text="Verdict").click()
    verdicts = page.locator("input[name='verdict']")
    labels = [verdicts.nth(i).get_attribute("value") for i in range(verdicts.count())]
    assert len(labels) >= 2
    chosen = labels[0]
    page.check(f"input[name='verdict'][value='{chosen}']")
    expect(page.locator(MESSAGE)).not_to_have_text(re.compile(f"^{everything} "))
    narrowed = result_count(page)
    assert 0 < narrowed < everything
    # Each result shows its verdict as the badge every other page shows, not as a "Verdict: …" tag.
    badges = page.locator(f"{RESULT} .result-verdict .verdict")
    assert badges.count() == narrowed
    assert all(text.strip() == chosen for text in badges.all_inner_texts())
    assert page.locator(".pagefind-ui__result-tag[data-pagefind-ui-meta='verdict']").count() == 0
    colours = badges.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert "rgba(0, 0, 0, 0)" not in colours  # styled as a badge, not stripped by Pagefind's reset


def test_opening_a_result_and_coming_back(serve_dir, browse, site):
    page = browse(serve_dir(site) + "search/")
    search_for(page, "Paryan")
    first = page.locator(RESULT_LINK).first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert "/claims/" in page.url
    assert page.locator("h1").inner_text() == title
    page.go_back()
    page.wait_for_selector(RESULT)
    assert page.input_value(INPUT) == "Paryan"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_search_page_with_results_and_filters_passes_axe(serve_dir, browse, site, scheme, width):
    page = browse(serve_dir(site) + "search/?q=Taliban", width=width, scheme=scheme)
    page.wait_for_selector(RESULT)
    if width < 640:
        page.locator(".filters-toggle").click()  # folded on a phone
    page.locator("summary.pagefind-ui__filter-name", has_text="Verdict").click()
    page.wait_for_load_state("networkidle")  # results and filters still loading would change what axe sees
    assert axe_violations(page) == []
    assert page.problems == []


class HeldFilter:
    """A route handler that holds the request for filter `name`'s chunk until release(), and lets every other one through."""

    def __init__(self, site: Path, name: str) -> None:
        self.chunk = dict(search._meta(str(site / "pagefind"))[3])[name]
        self.held = []

    def __call__(self, route) -> None:
        if route.request.url.endswith(f"/filter/{self.chunk}.pf_filter") and self.held is not None:
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        held, self.held = self.held, None
        for route in held:
            route.continue_()


@pytest.mark.parametrize("typed", [False, True], ids=["from-address", "typed"])
def test_a_filter_loaded_after_the_first_search_still_shows(serve_dir, browse, site, typed):
    # Pagefind counts a search's filters over the filter chunks loaded when it runs, and its UI
    # keeps the first counts that are not empty as the panel: a first search that ran while the
    # verdicts' chunk was still on its way left "Verdict" out of the panel for good (a 30 s
    # timeout in the axe test above, in one full run of the suite in session 18 and one in 19).
    verdicts = HeldFilter(site, "verdict")
    page = browse(serve_dir(site) + ("search/" if typed else "search/?q=Taliban"), route=("**/*.pf_filter", verdicts))
    if typed:
        search_for(page, "Taliban")  # shown while the verdicts' chunk is held
    else:
        for _ in range(200):  # a search from the address waits for the filters: until the chunk is asked for
            if verdicts.held:
                break
            page.wait_for_timeout(50)  # the page's requests reach the route handler meanwhile
        assert page.locator(RESULT).count() == 0
    assert verdicts.held, "the verdicts' filter chunk was never asked for"
    verdicts.release()
    page.wait_for_selector(RESULT)
    page.locator("summary.pagefind-ui__filter-name", has_text="Verdict").click(timeout=10_000)
    boxes = page.locator(".pagefind-ui__filter-block", has_text="Verdict").locator(".pagefind-ui__filter-checkbox")
    expect(boxes).not_to_have_count(0)
    assert page.problems == []


# Summed by the Layout Instability API over the whole load, as Lighthouse's CLS counts it.
LAYOUT_SHIFT = """window.__layoutShift = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) { if (!e.hadRecentInput) window.__layoutShift += e.value; } })
  .observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 800)])
def test_the_search_page_does_not_shift_while_it_loads_a_query(serve_dir, browse, site, width, height):
    page = browse(serve_dir(site) + "search/?q=Taliban", width=width, height=height, init_script=LAYOUT_SHIFT)
    page.wait_for_selector(RESULT_LINK)
    page.wait_for_selector(".pagefind-ui__filter-block", state="attached")
    page.wait_for_load_state("networkidle")
    page.locator(".site-footer").scroll_into_view_if_needed()  # a shift still pending would land by now
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("window.__layoutShift") <= 0.05
    assert page.problems == []


def test_on_a_phone_the_first_result_is_on_the_first_screen_and_the_filters_fold(serve_dir, browse, site):
    page = browse(serve_dir(site) + "search/?q=Taliban", width=360, height=740)
    page.wait_for_selector(RESULT_LINK)
    page.wait_for_selector(".pagefind-ui__filter-block", state="attached")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator(RESULT).first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    title = page.locator(RESULT_LINK).first.bounding_box()
    assert title["y"] + title["height"] <= 740  # the first result's title shows without scrolling
    toggle = page.locator(".filters-toggle")
    assert not page.locator(".pagefind-ui__filter-panel").is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert page.locator(".pagefind-ui__filter-panel").is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    assert not page.locator(".pagefind-ui__filter-panel").is_visible()


def test_on_a_desktop_the_filters_stand_beside_the_results(serve_dir, browse, site):
    page = browse(serve_dir(site) + "search/?q=Taliban", width=1280)
    page.wait_for_selector(".pagefind-ui__filter-block")
    assert not page.locator(".filters-toggle").is_visible()
    panel, result = page.locator(".pagefind-ui__filter-panel").bounding_box(), page.locator(RESULT).first.bounding_box()
    assert panel["x"] + panel["width"] <= result["x"]


def test_a_short_list_of_results_is_shown_whole(serve_dir, browse, site):
    page = browse(serve_dir(site) + "search/?q=Paryan")
    page.wait_for_selector(RESULT_LINK)
    page.wait_for_load_state("networkidle")
    count = result_count(page)
    assert 5 < count <= 10  # more than Pagefind's default page of five
    assert page.locator(RESULT).count() == count
    assert page.locator(".pagefind-ui__button", has_text="Load more").count() == 0


def test_the_search_page_is_kept_out_of_search_engines(site):
    html = (site / "search/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in html


def test_without_javascript_the_page_says_so_and_links_the_index(chromium_browser, serve_dir, site):
    context = chromium_browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(serve_dir(site) + "search/?q=Taliban")
        notice = page.locator("main .notice")
        assert notice.is_visible() and "JavaScript" in notice.inner_text()
        assert notice.locator("a").get_attribute("href") == "/claims/"
    finally:
        context.close()


def test_under_a_base_path_results_lead_to_working_pages(serve_dir, browse, tmp_path):
    site = build_site(DEFAULT_CONTENT, tmp_path / "public", base_url="https://example.org/archive/", search=True)
    page = browse(serve_dir(site, "/archive/") + "search/?q=Paryan")
    page.wait_for_selector(RESULT)
    hrefs = page.locator(RESULT_LINK).evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(href.startswith("/archive/") for href in hrefs)
    title = page.locator(RESULT_LINK).first.inner_text()
    with page.expect_navigation() as navigation:
        page.locator(RESULT_LINK).first.click()
    assert navigation.value.status == 200
    assert page.locator("h1").inner_text() == title
    assert page.problems == []


# A sharded index: the bench's generator writes a made-up archive of a few
# dozen claims, indexed in shards of at most SHARDED_PAGES pages, as a large
# archive is in shards of search.SHARD_PAGES.
SHARDED_CLAIMS = 40
SHARDED_PAGES = 12


@pytest.fixture(scope="module")
def sharded(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sharded")
    generate_corpus(SHARDED_CLAIMS, seed=19, folder=root)
    before = search.SHARD_PAGES
    search.SHARD_PAGES = SHARDED_PAGES
    try:
        build_site(root / "content", root / "public", search=True)
    finally:
        search.SHARD_PAGES = before
    return root / "public"


def shard_entries(site: Path) -> dict[str, dict]:
    """Shard folder -> its pagefind-entry.json, for the shards pagefind/pagefind.js merges."""
    script = (site / "pagefind" / "pagefind.js").read_text(encoding="utf-8")
    names = json.loads(re.search(r"^const SHARDS = (.*);$", script, re.MULTILINE).group(1))
    assert names == sorted(path.name for path in (site / "pagefind").glob("shard-*"))
    return {
        name: json.loads((site / "pagefind" / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        for name in names
    }


def shard_count(site: Path) -> int:
    return len(shard_entries(site))


def claim_texts(site: Path) -> dict[str, str]:
    """Claim slug -> its summary and analysis, from the built dataset."""
    data = read_dataset(site)
    return {claim["slug"]: f"{claim['summary']} {claim['analysis']['markdown']}" for claim in data["claims"]}


def test_a_large_index_is_written_in_shards_each_holding_its_pages(sharded):
    entries = shard_entries(sharded)
    pages = search.record_pages(str(sharded))
    count = shard_count(sharded)
    assert len(entries) == count >= 4
    # The fewest shards of SHARDED_PAGES pages each on average.
    assert SHARDED_PAGES * (count - 1) < len(pages) <= SHARDED_PAGES * count
    assert list(entries) == [f"shard-{i:04d}" for i in range(len(entries))]
    counts = {name: entry["languages"]["en"]["page_count"] for name, entry in entries.items()}
    assert sum(counts.values()) == len(pages)
    for shard, held in enumerate(counts.values()):
        assert held == sum(1 for page in pages if search.shard_of(page, count) == shard)
    # Only the search page's own files beside the shards, not a stray index of all pages.
    assert not (sharded / "pagefind" / "pagefind-entry.json").exists()


def test_a_page_keeps_its_shard_as_the_archive_grows_or_moves_to_the_new_one():
    pages = [f"claims/claim-{i}/index.html" for i in range(4000)]
    for count in (1, 2, 5, 16):
        moved = 0
        for page in pages:
            now, grown = search.shard_of(page, count), search.shard_of(page, count + 1)
            assert grown in (now, count)
            moved += grown != now
        assert abs(moved - len(pages) / (count + 1)) < 0.1 * len(pages) / (count + 1) + 30  # a fair share
    sizes = [sum(1 for page in pages if search.shard_of(page, 8) == shard) for shard in range(8)]
    assert max(sizes) < 1.15 * len(pages) / 8
    assert search.shard_count(search.SHARD_PAGES) == 1
    assert search.shard_count(search.SHARD_PAGES + 1) == 2


def test_the_previews_small_shards_stop_multiplying_past_a_search_pages_reach():
    assert search.shard_count(10_000, search.PREVIEW_SHARD_PAGES) == 40
    assert search.shard_count(155_050, search.PREVIEW_SHARD_PAGES) == search.MOST_SMALL_SHARDS
    # An archive larger than the build's shards times that many keeps the build's shard size.
    pages = search.SHARD_PAGES * (search.MOST_SMALL_SHARDS + 1)
    assert search.shard_count(pages, search.PREVIEW_SHARD_PAGES) == search.shard_count(pages)


def first_result(page, phrase: str) -> str:
    search_for(page, phrase)
    return page.locator(RESULT_LINK).first.get_attribute("href")


def distinctive_phrases(site: Path) -> dict[str, str]:
    """Claim slug -> three words of its text around a word no other record page holds (nor begins with)."""
    return {slug: " ".join(words[max(i - 1, 0) : i + 2]) for slug, (words, i) in distinctive_words(site).items()}


def distinctive_words(site: Path) -> dict[str, tuple[list[str], int]]:
    """Claim slug -> the words of its text and the place of one no other record page holds (nor begins with)."""
    words_of = {
        page: set(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", (site / page).read_text(encoding="utf-8")).lower()))
        for page in search.record_pages(str(site))
    }
    phrases: dict[str, tuple[list[str], int]] = {}
    for slug, text in sorted(claim_texts(site).items()):
        own = f"claims/{slug}/index.html"
        words = re.findall(r"[A-Za-z]+", re.sub(r"\]\([^)]*\)", "]", text))  # Markdown links without their targets
        for i, word in enumerate(words):
            bare = word.lower()
            # Pagefind matches every word of a query as a prefix too.
            if bare in words_of[own] and not any(
                other.startswith(bare) for page in words_of if page != own for other in words_of[page]
            ):
                phrases[slug] = (words, i)
                break
    return phrases


def test_a_phrase_finds_its_claim_first_whichever_shard_holds_it(serve_dir, browse, sharded):
    count = shard_count(sharded)
    by_shard: dict[int, tuple[str, str]] = {}
    for slug, phrase in distinctive_phrases(sharded).items():
        by_shard.setdefault(search.shard_of(f"claims/{slug}/index.html", count), (slug, phrase))
    assert len(by_shard) >= 4
    page = browse(serve_dir(sharded) + "search/")
    for slug, phrase in by_shard.values():
        # The other words are common: each shard without the rare word has pages with them, which
        # Pagefind's merge alone would list (a shard drops a word it does not hold from the query).
        assert first_result(page, phrase) == f"/claims/{slug}/", phrase
        assert result_count(page) == 1, phrase
    assert page.problems == []


def test_a_verdict_filter_counts_and_finds_claims_of_every_shard(serve_dir, browse, sharded):
    data = read_dataset(sharded)
    count = shard_count(sharded)
    verdicts = {}
    for claim in data["claims"]:
        verdicts.setdefault(claim["verdict"]["label"], []).append(claim["slug"])
    chosen, slugs = max(verdicts.items(), key=lambda item: len(item[1]))
    shards = {search.shard_of(f"claims/{slug}/index.html", count) for slug in slugs}
    assert len(shards) >= 2  # else this test would not cross shards
    # Every claim page says what was "claimed": the panel counts every claim of each verdict, summed over the shards.
    page = browse(serve_dir(sharded) + "search/?q=claimed")
    fetched = requested(page)
    page.wait_for_selector(RESULT)
    page.wait_for_load_state("networkidle")
    # Filters cost every shard's filter index: none is loaded until the reader opens a group of them.
    assert not [url for url in fetched if url.endswith(".pf_filter")]
    page.locator("summary.pagefind-ui__filter-name", has_text="Verdict").click()
    option = page.locator(".pagefind-ui__filter-value", has=page.locator(f"input[value='{chosen}']"))
    expect(option.locator(".pagefind-ui__filter-label")).to_have_text(f"{chosen} ({len(slugs)})")
    page.check(f"input[name='verdict'][value='{chosen}']")
    expect(page.locator(MESSAGE)).to_have_text(re.compile(f"^{len(slugs)} results?"))
    while page.locator(".pagefind-ui__button", has_text="Load more").count():
        page.locator(".pagefind-ui__button", has_text="Load more").click()
        page.wait_for_load_state("networkidle")
    expect(page.locator(RESULT)).to_have_count(len(slugs))
    expect(page.locator(f"{RESULT}:not(:has({RESULT_LINK}))")).to_have_count(0)  # every result loaded
    # Each result's first link is to its page, the others to the page's sections.
    found = page.locator(RESULT).evaluate_all(
        f"items => items.map(item => item.querySelector('{RESULT_LINK}').getAttribute('href'))"
    )
    assert sorted(found) == sorted(f"/claims/{slug}/" for slug in slugs)
    # Counted over the whole archive: every shard's filters loaded.
    assert {url.split("/pagefind/")[1].split("/")[0] for url in fetched if url.endswith(".pf_filter")} == set(
        shard_entries(sharded)
    )
    assert page.problems == []


def requested(page) -> list[str]:
    """The addresses `page` requests from now on, as a list that grows."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def routes(site: Path) -> dict[str, int]:
    """Word -> mask of the shards holding it, from the routing table pagefind/pagefind.js names."""
    script = (site / "pagefind" / "pagefind.js").read_text(encoding="utf-8")
    chunks = json.loads(re.search(r"^const ROUTES = (.*);$", script, re.MULTILINE).group(1))
    table: dict[str, int] = {}
    firsts = []
    for first, name in chunks:
        with gzip.open(site / "pagefind" / "route" / f"{name}.pf_route", "rt", encoding="utf-8") as f:
            lines = [line.split("\t") for line in f.read().split("\n")]
        firsts.append(lines[0][0])
        assert first in ("", lines[0][0])
        table.update((word, int(mask, 16)) for word, mask in lines)
    assert firsts == sorted(firsts) and chunks[0][0] == ""
    return table


def test_the_routing_table_names_the_shards_holding_each_word(sharded):
    table = routes(sharded)
    names = list(shard_entries(sharded))
    words = {name: set(search._words(str(sharded / "pagefind" / name))) for name in names}
    assert set(table) == set().union(*words.values())
    for word, mask in table.items():
        assert mask == sum(1 << i for i, name in enumerate(names) if word in words[name]), word
    # The words are Pagefind's own: its stems, as a query matches them ("claimed" is indexed as "claim").
    assert "claim" in table and "claimed" not in table


def test_a_language_whose_stemmer_strips_prefixes_is_not_routed(sharded, tmp_path):
    # Arabic's stemmer takes prefixes off too: a query word's start would name the wrong shards.
    index = tmp_path / "pagefind"
    shutil.copytree(sharded / "pagefind", index)
    search.write_merging_script(str(index), list(shard_entries(sharded)), "ar-SA")
    assert re.search(r"^const ROUTES = \[\];$", (index / "pagefind.js").read_text(encoding="utf-8"), re.MULTILINE)
    assert not (index / "route").exists()
    search.write_merging_script(str(index), list(shard_entries(sharded)), "fa-AF")
    assert routes(tmp_path) == routes(sharded)


def test_a_rare_word_loads_only_the_shards_that_may_hold_it(serve_dir, browse, sharded):
    table = routes(sharded)
    names = list(shard_entries(sharded))
    count = len(names)

    def may_hold(word: str) -> set[str]:
        # As search_shards.js routes: the shards holding a word that starts with the word's first half.
        prefix = word.lower()[: -(-len(word) // 2)]
        mask = 0
        for indexed, shards in table.items():
            if indexed.startswith(prefix):
                mask |= shards
        return {name for i, name in enumerate(names) if mask >> i & 1}

    candidates = sorted(
        (len(may_hold(words[i])), slug, words[i])
        for slug, (words, i) in distinctive_words(sharded).items()
        if search.shard_of(f"claims/{slug}/index.html", count)
    )
    held, slug, word = candidates[0]
    assert held < count - 1  # else this would show nothing
    page = browse(serve_dir(sharded) + "search/")
    fetched = requested(page)
    assert first_result(page, word) == f"/claims/{slug}/"
    assert result_count(page) == 1
    page.wait_for_load_state("networkidle")
    loaded = {url.split("/pagefind/")[1].split("/")[0] for url in fetched if url.endswith(".pf_meta")}
    # The primary index, always, and the shards the routing table allows: the claim's among them.
    assert search.shard_name(search.shard_of(f"claims/{slug}/index.html", count)) in loaded
    assert loaded <= may_hold(word) | {names[0]}
    assert not [url for url in fetched if url.endswith(".pf_filter")]
    # Its filters, once asked for, from those shards alone: the others hold no page it finds.
    page.locator("summary.pagefind-ui__filter-name", has_text="Verdict").click()
    verdicts = page.locator(".pagefind-ui__filter-block", has=page.locator("summary", has_text="Verdict"))
    expect(verdicts.locator(".pagefind-ui__filter-label", has_text="(1)")).to_have_count(1)  # the claim's verdict
    page.wait_for_load_state("networkidle")
    filtered = {url.split("/pagefind/")[1].split("/")[0] for url in fetched if url.endswith(".pf_filter")}
    assert filtered == loaded
    assert {url.split("/pagefind/")[1].split("/")[0] for url in fetched if url.endswith(".pf_meta")} == loaded
    assert page.problems == []


def test_a_shared_search_url_opens_with_results_from_the_shards(serve_dir, browse, sharded):
    slug, phrase = sorted(distinctive_phrases(sharded).items())[0]
    page = browse(serve_dir(sharded) + "search/?" + urlencode({"q": phrase}))
    page.wait_for_selector(RESULT)
    assert page.input_value(INPUT) == phrase
    assert page.locator(RESULT_LINK).first.get_attribute("href") == f"/claims/{slug}/"
    assert page.problems == []


@pytest.mark.parametrize("live", [False, True], ids=["build", "preview"])
def test_an_edited_claim_is_found_after_only_its_shards_are_indexed_again(
    serve_dir, browse, tmp_path, monkeypatch, live
):
    """`live`: as the preview, whose rebuild indexes the shards while it writes the site-wide pages."""
    monkeypatch.setattr(search, "SHARD_PAGES", SHARDED_PAGES)
    generate_corpus(SHARDED_CLAIMS, seed=19, folder=tmp_path)
    options = BuildOptions(content_dir=str(tmp_path / "content"), out_dir=str(tmp_path / "public"), search=not live)
    project = BuiltSite(options, live_search=live)
    with ThreadPoolExecutor(max_workers=1) as pool:  # see build_site: not in Playwright's thread
        built = pool.submit(project.build).result()
        if live:  # as the preview indexes its first build, once it is served
            pool.submit(project.refresh_search, built).result()
        site = tmp_path / "public"
        count = shard_count(site)
        before = {
            name: (site / "pagefind" / name / "pagefind-entry.json").stat().st_ino for name in shard_entries(site)
        }
        claim = sorted((tmp_path / "content/claims").glob("*.yaml"))[0]
        claim.write_text(
            claim.read_text(encoding="utf-8").replace("summary: >-\n", "summary: >-\n  Zorblatquux gravel. "),
            encoding="utf-8",
        )
        # Record pages showing the new word on disk when the refresh was begun.
        begun: list[list[str]] = []

        class Recorded(search.SearchRefresh):
            def __init__(self, out_dir, *args, **kwargs):
                begun.append([p for p in search.record_pages(out_dir) if b"Zorblatquux" in (site / p).read_bytes()])
                super().__init__(out_dir, *args, **kwargs)

        monkeypatch.setattr(pipeline, "SearchRefresh", Recorded)
        report = pool.submit(project.rebuild, {str(claim)}, None, live).result()
    assert "index" in report.stages
    page_of_claim = f"claims/{claim.stem}/index.html"
    assert page_of_claim in report.changed
    touched = {
        search.shard_name(search.shard_of(path, count)) for path in report.changed if search.is_record_page(path)
    }
    assert search.shard_name(search.shard_of(page_of_claim, count)) in touched
    assert len(touched) < len(before)  # else this would show nothing
    if live:
        # Begun once, as soon as the claim's own page was written, before the pages listing it.
        assert begun == [[f"claims/{claim.stem}/index.html"]]
        assert len([p for p in search.record_pages(str(site)) if b"Zorblatquux" in (site / p).read_bytes()]) > 1
        # The other pages that changed (its claimant's, topics', related claims') changed where the index
        # does not look: only the claim's own shard is indexed again.
        assert len(touched) > 1
        touched = {search.shard_name(search.shard_of(page_of_claim, count))}
    after = {name: (site / "pagefind" / name / "pagefind-entry.json").stat().st_ino for name in shard_entries(site)}
    assert {name for name in before if before[name] != after[name]} == touched
    assert report.indexed == len(search.record_pages(str(site)))
    assert not list((site / "pagefind").glob(".*"))  # nothing left of the shards indexed aside
    # The routing table was written again from the shards' new words.
    assert routes(site)["zorblatquux"] == 1 << search.shard_of(page_of_claim, count)
    page = browse(serve_dir(site) + "search/")
    assert first_result(page, "zorblatquux") == f"/claims/{claim.stem}/"
    assert page.problems == []
    if not live:
        return
    # The preview keeps each shard's folder of links for the next edit: symbolic links, which
    # follow a page replaced by a rename (a hard link would keep the old page).
    shard = search.shard_of(page_of_claim, count)
    link = site / ".pagefind-work" / search.shard_name(shard) / page_of_claim
    assert link.is_symlink() and link.resolve() == (site / page_of_claim).resolve()
    kept = link.lstat().st_ino
    claim.write_text(
        claim.read_text(encoding="utf-8").replace("Zorblatquux gravel. ", "Quimbleflax gravel. "),
        encoding="utf-8",
    )
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(project.rebuild, {str(claim)}, None, live).result()
    assert link.lstat().st_ino == kept
    # The routing table updated from the shard's words before and after, as if made from every shard.
    table = routes(site)
    assert table["quimbleflax"] == 1 << shard and "zorblatquux" not in table
    shards = [search.shard_name(number) for number in range(count)]
    assert table == search._masks(str(site / "pagefind"), shards, None, None)
    assert search._merged[str(site / "pagefind")].masks is not None  # kept for the next edit, not read again
    assert first_result(browse(serve_dir(site) + "search/"), "quimbleflax") == f"/claims/{claim.stem}/"


def test_a_sharded_search_page_with_results_passes_axe_and_says_so_without_javascript(
    chromium_browser, serve_dir, browse, sharded
):
    base = serve_dir(sharded)
    page = browse(base + "search/?q=claimed")
    page.wait_for_selector(RESULT)
    page.locator("summary.pagefind-ui__filter-name", has_text="Verdict").click()
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    # No "pagefind-shard" group: the filter that tells the shards apart is the merging script's own.
    groups = page.locator("summary.pagefind-ui__filter-name").all_inner_texts()
    assert "Verdict" in groups and not any("shard" in group.lower() for group in groups)
    assert page.problems == []
    context = chromium_browser.new_context(java_script_enabled=False)
    try:
        quiet = context.new_page()
        quiet.goto(base + "search/?q=claimed")
        assert "JavaScript" in quiet.locator("main .notice").inner_text()
    finally:
        context.close()


def test_a_sharded_generated_site_keeps_its_links_and_markup_and_its_claim_pages_pass_axe(
    chromium_browser, serve_dir, browse, sharded
):
    # The site checks of the default archive, on the generated archive whose index is in shards.
    from built_site import broken_links
    from tools import vnu_errors

    assert shard_count(sharded) > 1
    # The corpus names its publisher's about page under the site's own address, which it does not write.
    publisher = "https://bench.example.org/about/"
    assert [p for p in broken_links(sharded, "https://bench.example.org/") if f"> {publisher}:" not in p] == []
    pages = sorted(sharded.glob("**/index.html"))
    assert len(pages) > 100
    assert vnu_errors(pages) == []
    base = serve_dir(sharded)
    for path in ("claims/", sorted(p.parent.name for p in (sharded / "claims").glob("*/index.html"))[0], "people/"):
        url = base + (path if path.endswith("/") else f"claims/{path}/")
        page = browse(url)
        assert page.problems == [], url  # before axe, whose own inline styles the pages' CSP refuses
        assert axe_violations(page) == [], url


def excerpt_words(page) -> list[int]:
    """The words of each result's excerpt, as Pagefind cut them."""
    return [len(text.split()) for text in page.locator(".pagefind-ui__result-excerpt").all_inner_texts()]


def test_a_sharded_index_keeps_the_search_pages_options_and_its_own(serve_dir, browse, site, sharded):
    # The search page asks for 12-word excerpts (it shows sub-results). The sharded index's
    # pagefind.js passed that and the first shard's filter to Pagefind in two calls before it
    # started, of which Pagefind keeps only the last, and Pagefind gives options to its first
    # index only, not to those merged: every shard's excerpts came out at its default, 30 words.
    lengths = {}
    for name, folder, query in (("one index", site, "Taliban"), ("shards", sharded, "claimed")):
        page = browse(serve_dir(folder) + f"search/?q={query}")
        page.wait_for_selector(".pagefind-ui__result-excerpt")
        lengths[name] = max(excerpt_words(page))
        assert page.problems == []
    assert lengths["shards"] <= 14 and lengths["one index"] <= 14, lengths

"""What a reader's browser sees, measured in Debian's chromium (as the test suite drives it).

`query_bytes`: the built site served over HTTP from this machine, one query
typed on /search/; the bytes the page transferred to load (Pagefind's script
and entry file included) and those the query caused (index chunks, filters,
the results' fragments), each the sum of the responses' headers and bodies.

`preview_edit`: `build.py serve` on a copy of the corpus, a claim's page open;
claims' summaries saved one after another, each with a word no page has:
the seconds from the save to the page showing it (the live reload), then to
a search finding it (the search index refreshed), medians of the edits.
`python -m bench.browser --claims N` runs this alone and writes its JSON.

How the search is asked (`--search`):
- "fresh": as a reader who opens /search/ after the save and types the
  word, again and again until it finds the claim: each attempt a new browser
  context (nothing cached), /search/ loaded, the word typed. The figure is
  when the attempt that found it showed the result, so it is up to one
  attempt late (each attempt's load and query are kept: `search_attempts`).
- "tab": as an editor with /search/?q=WORD open in a tab before the save:
  the preview reloads that page once the index has the edit, and it asks
  its query again by itself; the figure is when the claim shows as its
  first result. Nothing is polled, so it is as fine as the browser's events.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from .corpus import edit_record

CHROMIUM = "/usr/bin/chromium"
# As tests/tools.py starts it: no sandbox (root), nothing from the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INPUT = ".pagefind-ui__search-input"
RESULT = ".pagefind-ui__result"
RESULT_LINK = ".pagefind-ui__result-link"
MESSAGE = ".pagefind-ui__message"
ANSWERED = re.compile(r"\bresults? for\b")  # Pagefind UI's "No results for", "1 result for", "N results for"
SETTLED_SECONDS = 1.0  # no request in flight for this long: the query's requests are all done
TIMEOUT_MS = 120_000


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 (the library's name)
        pass


@contextlib.contextmanager
def _serving(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# What a response is, by its address: Pagefind's files by their extension, the rest by its own.
_KINDS = (
    ("pagefind-entry.json", "entry"),
    (".pf_meta", "pf_meta"),
    (".pf_filter", "filter"),
    (".pf_index", "index"),
    (".pf_fragment", "fragment"),
    (".pagefind", "wasm"),
    (".js", "script"),
    (".css", "style"),
    (".json", "data"),
)


def request_kind(url: str) -> str:
    """The kind of file a request fetched (entry, pf_meta, filter, index, fragment, wasm, script...)."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    return next((kind for ending, kind in _KINDS if path.endswith(ending)), "other")


class _Traffic:
    """Bytes of every finished response on a page, by kind, and whether any request is still in flight."""

    def __init__(self, page) -> None:
        self.bytes, self.requests, self.pending, self.last_change = 0, 0, 0, time.monotonic()
        self.kinds: dict[str, dict] = {}
        page.on("request", self._started)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)

    def _started(self, request) -> None:
        self.pending += 1
        self.last_change = time.monotonic()

    def _finished(self, request) -> None:
        sizes = request.sizes()
        size = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        self.bytes += size
        self.requests += 1
        kind = self.kinds.setdefault(request_kind(request.url), {"bytes": 0, "requests": 0})
        kind["bytes"] += size
        kind["requests"] += 1
        self._failed(request)

    def _failed(self, request) -> None:
        self.pending -= 1
        self.last_change = time.monotonic()

    def settle(self, page) -> None:
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)  # lets Playwright deliver the events
            if self.pending <= 0 and time.monotonic() - self.last_change >= SETTLED_SECONDS:
                return
        raise TimeoutError("the page's requests did not finish")

    def take(self) -> dict:
        taken = {"bytes": self.bytes, "requests": self.requests, "kinds": dict(sorted(self.kinds.items()))}
        self.bytes = self.requests = 0
        self.kinds = {}
        return taken


@contextlib.contextmanager
def _browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def query_bytes(site: Path, query: str) -> dict:
    """Bytes /search/ transfers to load, then for `query` typed into it, and the results shown."""
    with _serving(site) as base, _browser() as browser:
        context = browser.new_context()  # a fresh cache: the reader's first query
        page = context.new_page()
        traffic = _Traffic(page)
        page.goto(base + "search/", wait_until="load")
        traffic.settle(page)
        loaded = traffic.take()
        page.fill(INPUT, query)
        page.wait_for_selector(RESULT, timeout=TIMEOUT_MS)
        traffic.settle(page)
        queried = traffic.take()
        shown = page.locator(RESULT).count()
        context.close()
    return {"query": query, "page_load": loaded, "query_transfer": queried, "results_shown": shown}


def preview_edit(corpus: Path, work: Path, timeout: float = 900, edits: int = 5, search: str = "fresh") -> dict:
    """Seconds from a claim's save to its page reloaded in the preview, and to search finding the new word.

    `edits` claims are edited one after the other, each once the last one's
    rebuild and index are done; the figures are their medians, each edit's
    kept. `search`: "fresh" or "tab", as the module's docstring says.
    """
    for part in ("content", "texts"):
        shutil.copytree(corpus / part, work / part)
    # The cold and warm builds' cache, as an editor's machine keeps it between sessions (entries are
    # keyed by their inputs, so the edits below add entries and change none).
    (corpus / ".cache").mkdir(exist_ok=True)
    (work / ".cache").symlink_to(corpus / ".cache", target_is_directory=True)
    content = work / "content"
    command = [
        sys.executable,
        "build.py",
        "serve",
        "--content",
        str(content),
        "--out",
        str(work / "preview"),
        "--port",
        "0",
    ]
    started = time.perf_counter()
    server = subprocess.Popen(
        command, cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    ready = threading.Event()
    threading.Thread(target=_read_lines, args=(server, lines, ready), daemon=True).start()
    reloads: list[float] = []
    searches: list[float | None] = []
    attempts: list[list[dict]] = []
    try:
        if not ready.wait(timeout) or server.poll() is not None:
            raise RuntimeError("the preview did not start:\n" + "".join(lines[-20:]))
        first = time.perf_counter() - started
        base = next(line.split()[1] for line in lines if line.startswith("serving "))
        claims = sorted((content / "claims").iterdir())
        with _browser() as browser:
            for edit in range(edits):
                claim = claims[len(claims) * (edit + 1) // (edits + 1)]
                word = f"zyxwbenchedit{'abcdefghij'[edit % 10]}"  # no generated word has these letters together
                page = browser.new_page()
                page.goto(f"{base}claims/{claim.stem}/", wait_until="load")
                tab = _open_search(browser, base, word) if search == "tab" else None
                rebuilt = sum(line.startswith("rebuilt") for line in lines)
                saved = time.perf_counter()
                edit_record(claim, lambda record, word=word: record.update(summary=record["summary"] + f" {word}."))
                page.get_by_text(word).first.wait_for(timeout=timeout * 1000)
                reloads.append(time.perf_counter() - saved)
                if tab is None:
                    tried: list[dict] = []
                    found = _search_until_found(browser, base, word, claim.stem, saved + timeout, saved, tried)
                    attempts.append(tried)
                    searches.append(time.perf_counter() - saved if found else None)
                else:
                    found = _shows_first(tab, claim.stem, saved + timeout)
                    searches.append(time.perf_counter() - saved if found else None)
                    tab.context.close()
                page.close()
                # The next edit once this one's rebuild is over, its index included.
                while sum(line.startswith("rebuilt") for line in lines) <= rebuilt and server.poll() is None:
                    time.sleep(0.05)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    found = [s for s in searches if s is not None]
    return {
        "first_build_seconds": round(first, 3),
        "edits": edits,
        "reload_seconds": round(statistics.median(reloads), 3),  # medians
        "search_seconds": round(statistics.median(found), 3) if len(found) == len(searches) else None,
        "search": search,
        "reload_each": [round(s, 3) for s in reloads],
        "search_each": [None if s is None else round(s, 3) for s in searches],
        # "fresh": each attempt's seconds after the save: begun, /search/ loaded, word typed, answered.
        **({"search_attempts": attempts} if search == "fresh" else {}),
        "log": [line.rstrip() for line in lines if line.startswith(("built", "rebuilt"))],
    }


def _search_until_found(
    browser, base: str, word: str, slug: str, deadline: float, saved: float = 0.0, tried: list | None = None
) -> bool:
    """/search/ asked afresh (no cached index) until `word` finds the claim, or the deadline passes.

    Each attempt's times after `saved` go into `tried`: begun, loaded, typed, answered.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tried = [] if tried is None else tried
    while time.perf_counter() < deadline:
        context = browser.new_context()
        attempt = {"begun": round(time.perf_counter() - saved, 3)}
        tried.append(attempt)
        try:
            page = context.new_page()
            page.goto(base + "search/", wait_until="load")
            attempt["loaded"] = round(time.perf_counter() - saved, 3)
            page.fill(INPUT, word)
            attempt["typed"] = round(time.perf_counter() - saved, 3)
            # The message names the query once its results (none, until the index has the word) are in;
            # before, it says "Searching for ...", which names it too (taken for the answer, each edit waited 120 s).
            page.locator(MESSAGE).filter(has_text=word).filter(has_text=ANSWERED).wait_for(timeout=TIMEOUT_MS)
            links = page.locator(RESULT_LINK)
            # The message comes before the results: across many shards their fragments take a while longer,
            # and a shard swapped in while they load leaves them unshown: then ask again.
            if not page.locator(MESSAGE).filter(has_text=re.compile(r"^No results")).count():
                try:
                    links.first.wait_for(timeout=TIMEOUT_MS)
                except PlaywrightTimeout:
                    continue
            attempt["answered"] = round(time.perf_counter() - saved, 3)
            if links.count() and links.first.get_attribute("href").rstrip("/").endswith(slug):
                return True
        finally:
            context.close()
        time.sleep(0.25)
    return False


def _open_search(browser, base: str, word: str):
    """/search/?q=WORD open in a fresh context, its answer (none yet) shown: an editor's search tab."""
    page = browser.new_context().new_page()
    page.goto(f"{base}search/?q={word}", wait_until="load")
    page.locator(MESSAGE).filter(has_text=word).filter(has_text=ANSWERED).wait_for(timeout=TIMEOUT_MS)
    return page


def _shows_first(page, slug: str, deadline: float) -> bool:
    """Whether the open search page shows the claim as its first result before the deadline, reloading as told."""
    from playwright.sync_api import Error as PlaywrightError

    first = page.locator(RESULT_LINK).first
    while time.perf_counter() < deadline:
        try:
            first.wait_for(timeout=max(1, (deadline - time.perf_counter()) * 1000))
            if first.get_attribute("href", timeout=1000).rstrip("/").endswith(slug):
                return True
        except PlaywrightError:  # reloaded while it looked (a timeout is one too)
            continue
        page.wait_for_timeout(20)  # another page first: the query's later answer, or a reload, may change it
    return False


def _read_lines(process: subprocess.Popen, lines: list[str], ready: threading.Event) -> None:
    for line in process.stdout:
        lines.append(line)
        if line.startswith("serving "):
            ready.set()
    ready.set()  # ended: the caller sees it has exited


def main(argv: list[str] | None = None) -> int:
    """The preview's figures alone: `python -m bench.browser --claims 10000 [--edits 5]`."""
    import argparse
    import datetime as dt
    import json
    import tempfile

    from .corpus import BENCH_DIR, ensure_corpus

    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=preview_edit.__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--search", choices=("fresh", "tab"), default="fresh", help="how a search is asked (above)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results")
    args = parser.parse_args(argv)
    corpus, _ = ensure_corpus(args.claims)
    with tempfile.TemporaryDirectory(prefix=f"bench-preview-N{args.claims}-") as tmp:
        result = preview_edit(corpus, Path(tmp), edits=args.edits, search=args.search)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=BENCH_DIR).stdout.strip()
    record = {"what": "bench.browser.preview_edit", "commit": commit, "claims": args.claims, **result}
    now = dt.datetime.now(dt.UTC)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{now:%Y%m%d-%H%M%S}-N{args.claims}-preview{'' if args.search == 'fresh' else '-tab'}.json"
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=1, ensure_ascii=False))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

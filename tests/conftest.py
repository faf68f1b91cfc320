"""Shared fixtures for real-browser and validator tests (helpers live in tools.py)."""

from __future__ import annotations

import contextlib

import pytest
from tools import CHROMIUM, CHROMIUM_ARGS, serving


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's chromium driven by Playwright, shared by the whole session.

    Fails (never skips) without chromium: a test that silently skips for want
    of a tool would let a broken set-up look green.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (`make test` does it); "
            "`playwright install` cannot work on this network",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium_browser):
    """A fresh page in its own context, so cookies and storage don't leak between tests."""
    context = chromium_browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def browse(chromium_browser):
    """Factory: browse(url, width=1280, scheme="light") -> a page; every problem it logs is kept in page.problems."""
    contexts = []

    def open_page(
        url: str,
        width: int = 1280,
        scheme: str = "light",
        height: int = 800,
        init_script: str | None = None,
        route: tuple | None = None,
    ):
        context = chromium_browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        contexts.append(context)
        if route:
            context.route(*route)  # the context's, so that a worker's requests are routed too
        page = context.new_page()
        if init_script:
            page.add_init_script(init_script)  # runs before the page's own scripts, outside its CSP
        page.problems = []
        page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def serve_dir():
    """Factory: serve_dir(folder, prefix="/") -> base URL; servers stop at teardown.

    A prefix such as "/archive/" serves the folder below that path, to test a
    site built for a base path.
    """
    with contextlib.ExitStack() as stack:
        yield lambda folder, prefix="/": stack.enter_context(serving(folder, prefix))

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
def serve_dir():
    """Factory: serve_dir(folder, prefix="/") -> base URL; servers stop at teardown.

    A prefix such as "/archive/" serves the folder below that path, to test a
    site built for a base path.
    """
    with contextlib.ExitStack() as stack:
        yield lambda folder, prefix="/": stack.enter_context(serving(folder, prefix))

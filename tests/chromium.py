"""Debian's Chromium driven by Playwright, for every test that opens a page (never a browser
Playwright downloads)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
    "--disable-component-update",
]


@contextmanager
def chromium_launched() -> Iterator[Any]:
    """A headless Chromium, closed afterwards.

    Playwright's synchronous API runs an event loop in the test's thread, where Django would
    refuse database calls as unsafe: the tests, not the portal, say they are safe here.
    """
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()

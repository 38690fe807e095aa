"""Debian's Chromium for the browser tests: skipped where it is missing, except in CI (which
installs it), and one persistent Playwright context per test module."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def skip_without_chromium() -> None:
    """At a test module's top: skip it on a machine without Chromium, never in CI."""
    if not CHROMIUM.exists() and os.environ.get("CI") != "true":
        pytest.skip(f"{CHROMIUM} is missing: install it with `sudo apt-get install chromium` "
                    "to run the browser tests", allow_module_level=True)


@contextmanager
def chromium(profile: Path, height: int):
    """A headless Chromium context, 1280 pixels wide, downloads allowed."""
    if not CHROMIUM.exists():
        pytest.fail(f"CI=true but {CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True, accept_downloads=True,
            viewport={"width": 1280, "height": height},
        )
        yield context
        context.close()

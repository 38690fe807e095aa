"""Take docs/page.png: the reading page on the reference article, a DGSN card open.

    entityx serve --port 8765 &  python docs/screenshot.py http://127.0.0.1:8765
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
    browser = playwright.chromium.launch_persistent_context(
        profile, executable_path="/usr/bin/chromium", args=ARGS, headless=True,
        viewport={"width": 1280, "height": 900},
    )
    page = browser.new_page()
    page.goto(sys.argv[1] + "/")
    page.fill("#text", (ROOT / "samples" / "000_1aa1127573d74705.txt").read_text(encoding="utf-8"))
    page.click("#submit")
    page.wait_for_selector("#status[data-state=done]")
    page.locator("#groups button.group").filter(has_text="Abdellatif Hammouchi").click()
    dgsn = page.locator("#article mark.ent").filter(has=page.locator(".ent-text", has_text="DGSN")).first
    dgsn.hover()
    page.screenshot(path=str(ROOT / "docs" / "page.png"))
    browser.close()

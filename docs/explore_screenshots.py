"""Take docs/explore-search.png, explore-entity.png and explore-document.png (1280×900).

    python docs/explore_screenshots.py

The archive is the development texts (tests/devset/gold.jsonl) with a title, an outlet and
an address each, through the real ``entityx batch``; ``entityx explore`` serves it on a free
port while Chromium (Debian's /usr/bin/chromium) takes the pictures.
"""

import json
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ENTITYX = str(Path(sys.executable).parent / "entityx")
OUTLETS = ["Le Matin", "Hespress FR", "Le Monde", "Médias24", "Le Desk"]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def title(text: str) -> str:
    """The first line, without a ``date 2024-06`` header, cut at a word when it is a long dateline."""
    line = re.sub(r"^date [\d-]+ ", "", next(x.strip() for x in text.splitlines() if x.strip()))
    return line if len(line) <= 95 else line[:95].rsplit(" ", 1)[0] + "…"


def archive(folder: Path) -> Path:
    corpus = folder / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for n, line in enumerate((ROOT / "tests" / "devset" / "gold.jsonl").read_text(encoding="utf-8").splitlines()):
            doc = json.loads(line)
            meta = {"title": title(doc["text"]), "outlet": OUTLETS[n % len(OUTLETS)],
                    "published": doc["meta"]["published"], "url": f"https://example.org/{doc['id']}"}
            out.write(json.dumps({"id": doc["id"], "text": doc["text"], "meta": meta}, ensure_ascii=False) + "\n")
    database = folder / "archive.sqlite"
    subprocess.run([ENTITYX, "batch", str(corpus), "--jsonl", "-o", str(database), "-q"], check=True)
    return database


def serve(database: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([ENTITYX, "explore", str(database), "--port", str(port)],
                               stderr=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"})
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url + "/health", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("entityx explore did not start")


def shoot(url: str, profile: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", args=ARGS, headless=True,
            viewport={"width": 1280, "height": 900})
        page = browser.new_page()
        page.goto(url + "/?q=DGSN")
        page.wait_for_selector("#view[data-view=search][data-state=ready]")
        page.click("section.facet[data-label=LOC] a[data-entity='geonames:2538475']")  # Rabat
        page.wait_for_selector("ul.chips a[aria-label*='Rabat']")
        page.mouse.move(1270, 890)
        page.screenshot(path=str(ROOT / "docs" / "explore-search.png"))
        page.goto(url + "/entities/ma-dgsn")
        page.wait_for_selector("#view[data-view=entity][data-state=ready]")
        page.screenshot(path=str(ROOT / "docs" / "explore-entity.png"))
        page.locator("ol.documents li a", has_text="Royal Air Maroc").click()
        page.wait_for_selector("#view[data-view=document][data-state=ready]")
        page.locator("#article mark.ent[data-label=ORG]").nth(1).hover()
        page.screenshot(path=str(ROOT / "docs" / "explore-document.png"))
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        process, url = serve(archive(Path(folder)))
        try:
            shoot(url, str(Path(folder) / "profile"))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()

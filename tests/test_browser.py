"""The reading page in a real headless Chromium (Debian's), driven by Playwright.

Playwright never downloads a browser here: it drives /usr/bin/chromium through
``executable_path``. Without it the tests skip (outside CI) or fail (CI must run them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT
from live import Server
from typer.testing import CliRunner

from entityx.cli import app as cli

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTICLE = (ROOT / "samples" / "000_1aa1127573d74705.txt").read_text(encoding="utf-8")
TOKEN = "page-token"
XSS = ("La DGSN a publié ce texte. <script>window.__pwned = 'script'</script> "
       "<img src=x onerror=\"window.__pwned = 'img'\"> <b onmouseover=\"window.__pwned = 'b'\">Rabat</b>\n")

if not CHROMIUM.exists() and os.environ.get("CI") != "true":
    pytest.skip(f"{CHROMIUM} is missing: install it with `sudo apt-get install chromium` "
                "to run the browser tests", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = Server(tmp_path_factory.mktemp("browser"), env={"ENTITYX_TOKEN": TOKEN})
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(f"CI=true but {CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=str(CHROMIUM), args=ARGS,
            headless=True, accept_downloads=True, viewport={"width": 1280, "height": 1000},
        )
        yield context
        context.close()


@pytest.fixture
def page(browser, server):
    tab = browser.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    tab.goto(server.url + "/")
    yield tab
    tab.close()


def read(page, text: str, published: str = "") -> None:
    page.fill("#text", text)
    page.fill("#published", published)
    page.fill("#token", TOKEN)
    page.click("#submit")
    page.wait_for_selector("#status:has-text('Done')")


def mark(page, words: str):
    return page.locator("#article mark.ent").filter(has=page.locator(".ent-text", has_text=words)).first


def test_reference_article_is_highlighted_with_cards(page):
    read(page, ARTICLE)
    person = mark(page, "Abdellatif Hammouchi")
    assert person.get_attribute("data-label") == "PER" and person.locator(".tag").inner_text() == "PER"
    dgsn = mark(page, "DGSN")
    assert dgsn.get_attribute("data-label") == "ORG"
    assert not dgsn.locator(".card").is_visible()
    dgsn.focus()  # the keyboard shows the card, as hovering does
    card = dgsn.locator(".card")
    assert card.is_visible() and "ma-dgsn" in card.inner_text()
    assert "Direction générale de la Sûreté nationale" in card.inner_text()
    mark(page, "Interpol").hover()
    assert "int-interpol" in mark(page, "Interpol").locator(".card").inner_text()
    # The article's words are all there, in order: marks only add their tag and card.
    shown = page.evaluate("""() => [...document.querySelector('#article').childNodes].map(n =>
        n.nodeType === 3 ? n.textContent : n.querySelector('.ent-text').textContent).join('')""")
    assert shown == ARTICLE
    assert page.errors == []


def test_choosing_an_entity_highlights_all_its_mentions(page):
    read(page, ARTICLE)
    group = page.locator("#groups button.group").filter(has_text="Direction générale de la Sûreté nationale")
    group.focus()
    page.keyboard.press("Enter")
    selected = page.locator("#article mark.ent.selected")
    group_id = group.get_attribute("data-group")
    assert selected.count() == page.locator(f"#article mark.ent[data-group='{group_id}']").count() >= 3
    assert group.get_attribute("aria-pressed") == "true"
    texts = set(selected.locator(".ent-text").all_inner_texts())
    assert {"DGSN", "Sûreté nationale"} <= texts
    page.keyboard.press("Escape")
    assert selected.count() == 0


def test_hostile_article_runs_no_script_and_shows_as_text(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    read(page, XSS)
    mark(page, "DGSN").hover()
    assert page.evaluate("window.__pwned") is None and dialogs == []
    article = page.locator("#article")
    assert article.locator("script, img, b").count() == 0
    assert "<script>window.__pwned = 'script'</script>" in article.inner_text()
    assert "<img src=x onerror=" in article.inner_text()


def test_csv_download_is_the_cli_csv(page):
    read(page, ARTICLE)
    with page.expect_download() as download:
        page.click("#download-csv")
    expected = CliRunner().invoke(cli, ["extract", "-", "-f", "csv"], input=ARTICLE).stdout_bytes
    assert Path(download.value.path()).read_bytes() == expected
    with page.expect_download() as download:
        page.click("#download-json")
    assert '"ma-dgsn"' in Path(download.value.path()).read_text(encoding="utf-8")


def test_page_asks_for_the_token(page):
    page.fill("#text", ARTICLE)
    page.click("#submit")
    page.wait_for_selector("#status.failed")
    assert "token" in page.inner_text("#status")
    assert page.evaluate("document.activeElement.id") == "token"


def test_a_windows_1252_file_is_read_and_dated(page, tmp_path):
    path = tmp_path / "communique.txt"
    text = "Rabat, le 5 septembre 2024 – La DGSN a interpellé hier à Tanger un suspect.\n"
    path.write_bytes(text.encode("cp1252"))
    page.set_input_files("#file", str(path))
    page.wait_for_function("document.querySelector('#text').value.length > 0")
    assert page.input_value("#text") == text
    page.fill("#token", TOKEN)
    page.fill("#published", "2024-09-05")
    page.click("#submit")
    page.wait_for_selector("#status:has-text('Done')")
    mark(page, "hier").focus()
    assert "2024-09-04" in mark(page, "hier").locator(".card").inner_text()

"""The explorer in a real headless Chromium (Debian's), driven by Playwright, on a real
`entityx explore` process over the archive of tests/test_explore.py.

As in tests/test_browser.py, Playwright drives /usr/bin/chromium and never downloads one;
without it the tests skip (outside CI) or fail (CI must run them).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from chromium import chromium, skip_without_chromium
from live import BIN, Server, free_port
from test_explore import ARTICLES, HAMMOUCHI, write_archive

TOKEN = "browser-token"

skip_without_chromium()


class Explorer(Server):
    """``entityx explore DATABASE`` on a free port (tests/live.py's waiting and stopping)."""

    def __init__(self, tmp: Path, database: Path, token: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"explore-{self.port}.log"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("ENTITYX_")}
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(BIN / "entityx"), "explore", str(database), "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=self.log_file, env={**environment, "ENTITYX_TOKEN": token})
        self.wait_ready()


@pytest.fixture(scope="module")
def server(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("explore-browser")
    live = Explorer(folder, write_archive(folder), TOKEN)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("explore-profile"), height=900) as context:
        yield context


@pytest.fixture
def page(browser, server):
    tab = browser.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    # A page asked for without the token is a 401 (which holds no data): Chromium logs it.
    tab.on("console", lambda message: message.type == "error" and "status of 401" not in message.text
           and tab.errors.append(message.text))
    tab.goto(server.url + "/")
    tab.wait_for_selector("body[data-health=known]")
    if tab.is_visible("#token-form"):
        tab.fill("#token", TOKEN)
        tab.press("#token", "Enter")
    ready(tab, "search")
    yield tab
    tab.evaluate("localStorage.clear()")
    tab.close()


def ready(page, view: str) -> None:
    page.wait_for_selector(f"#view[data-view={view}][data-state=ready]")


def test_search_facet_entity_kwic_document_and_back(page, server):
    page.fill("#q", "Hammouchi")
    page.press("#q", "Enter")
    page.wait_for_selector("#results-title:has-text('3 documents')")
    ready(page, "search")
    assert page.url == server.url + "/?q=Hammouchi"
    assert page.locator("li.hit").count() == 3
    assert page.locator("li.hit mark.hit").first.inner_text() == "Hammouchi"  # the matched word

    outlet = page.locator("section.facet[data-key=outlet] a[data-value='Le Monde']")
    outlet.focus()  # the keyboard applies a facet
    page.keyboard.press("Enter")
    page.wait_for_selector("#results-title:has-text('1 document ')")
    assert "meta.outlet=Le+Monde" in page.url
    assert page.locator("li.hit h2").all_inner_texts() == ["Interpol lance une opération mondiale depuis Lyon"]
    assert page.get_attribute("section.facet[data-key=outlet] a[data-value='Le Monde']", "aria-current") == "true"
    assert "☑" in page.inner_text("section.facet[data-key=outlet] a[aria-current=true]")  # not colour alone

    page.go_back()  # the search before the facet
    page.wait_for_selector("#results-title:has-text('3 documents')")
    page.click(f"section.facet[data-label=PER] a[data-entity='{HAMMOUCHI}']")
    page.wait_for_selector("ul.chips a[aria-label*='Abdellatif Hammouchi']")  # an active filter, removable
    ready(page, "search")

    page.locator("li.hit ul.entities a", has_text="Abdellatif Hammouchi").first.click()
    ready(page, "entity")
    assert page.url == server.url + "/entities/PER%3Aabdellatif%20hammouchi"
    assert page.inner_text("h1") == "PER Abdellatif Hammouchi"
    lines = page.locator("ol.kwic li")
    assert lines.count() == 5
    assert lines.nth(1).locator("mark.keyword").inner_text() == "Hammouchi"
    assert lines.nth(1).locator(".kwic-line").inner_text().startswith("Casablanca, le 12 octobre 2024 – M. Hammouchi")
    assert page.locator(".timeline-table tbody tr").count() == 5
    assert page.inner_text(".timeline-table tr[data-month='2024-11']").split() == ["2024-11", "0", "0"]
    assert page.locator("ol.comention-list li[data-entity=int-interpol]").count() == 1

    lines.nth(1).locator("a").first.click()  # the mention's document, that mention in focus
    ready(page, "document")
    assert page.inner_text("h1") == ARTICLES[1][3]
    focused = page.locator("#article mark.ent.selected")
    assert focused.count() == 1 and focused.locator(".ent-text").inner_text() == "Hammouchi"
    assert page.evaluate("document.activeElement.classList.contains('selected')")
    shown = page.evaluate("""() => [...document.querySelector('#article').childNodes].map(n =>
        n.nodeType === 3 ? n.textContent : n.querySelector('.ent-text').textContent).join('')""")
    assert shown == ARTICLES[1][4]  # the article, whole, with its marks

    page.go_back()
    ready(page, "entity")
    assert page.inner_text("h1") == "PER Abdellatif Hammouchi"
    page.go_back()
    ready(page, "search")
    assert page.locator("li.hit").count() == 3
    assert page.errors == []


def test_a_mark_opens_its_entity(page):
    page.click(f"li.hit h2 a:has-text('{ARTICLES[3][3]}')")
    ready(page, "document")
    valence = page.locator("#article mark.ent[data-label=LOC]").filter(has_text="Valence").first
    valence.focus()
    assert valence.locator(".card").is_visible()  # the card, by keyboard
    page.keyboard.press("Enter")
    ready(page, "entity")
    assert page.inner_text("h1") == "LOC Valence · FR"
    assert page.locator("ol.documents li").count() == 1


def test_hostile_meta_and_text_are_shown_not_run(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = page.locator("li.hit h2 a", has_text="<script>window.__pwned = 'title'</script>")
    assert hostile.count() == 1  # the title, as text, in the results
    assert "onerror" in page.inner_text("section.facet[data-key=outlet]")
    hostile.click()
    ready(page, "document")
    assert page.inner_text("h1") == "<script>window.__pwned = 'title'</script>"
    words = page.evaluate("""() => [...document.querySelector('#article').childNodes].map(n =>
        n.nodeType === 3 ? n.textContent : n.querySelector('.ent-text').textContent).join('')""")
    assert "<script>window.__pwned = 'text'</script>" in words  # the marks' tags and cards aside
    assert page.locator("#view script, #view img, #view a[href^='javascript']").count() == 0
    assert page.inner_text("#document-url") == "javascript:window.__pwned='url'"  # text, not a link
    assert page.evaluate("window.__pwned") is None and dialogs == []
    page.goto(page.url.split("/documents/")[0] + "/documents/2")
    ready(page, "document")
    link = page.locator("#document-url a")
    assert link.get_attribute("href") == "https://example.org/hammouchi-casablanca"
    assert link.get_attribute("rel") == "noopener noreferrer"


def test_the_page_asks_for_the_token_once_per_tab(browser, server):
    tab = browser.new_page()
    try:
        tab.goto(server.url + "/entities")
        tab.wait_for_selector("#token-form:not([hidden])")
        assert tab.evaluate("document.activeElement.id") == "token"
        tab.fill("#token", "wrong")
        tab.press("#token", "Enter")
        tab.wait_for_selector("#status.failed")
        assert "401" in tab.inner_text("#status") and tab.is_visible("#token-form")
        assert tab.locator("#view table").count() == 0
        tab.fill("#token", TOKEN)
        tab.press("#token", "Enter")
        ready(tab, "entities")
        assert tab.locator(".entities-table tbody tr").count() > 10
        tab.reload()  # kept in this tab (sessionStorage)
        ready(tab, "entities")
        assert not tab.is_visible("#token-form")
        assert tab.evaluate("sessionStorage.getItem('entityx.explore.token')") == TOKEN
    finally:
        tab.close()


def test_english_on_request_and_csv_downloads(page):
    page.click(".lang-choice[data-lang=en]")
    page.wait_for_selector("#results-title:has-text('Latest')")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.inner_text("#search-submit") == "Search" and page.inner_text(".facets h2") == "Refine"
    keys = "(language) => Object.keys(STRINGS[language]).sort()"
    assert page.evaluate(keys, "fr") == page.evaluate(keys, "en")
    with page.expect_download() as download:
        page.click(".results-head button.csv")
    assert download.value.suggested_filename == "search.csv"
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("id,published,")
    page.click(".lang-choice[data-lang=fr]")
    page.wait_for_selector("#results-title:has-text('Les plus récents')")
    assert page.errors == []


def test_an_archive_without_texts_says_so(browser, tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("explore-no-text")
    live = Explorer(folder, write_archive(folder, "--no-text"), TOKEN)
    tab = browser.new_page()
    try:
        tab.goto(live.url + "/")
        tab.wait_for_selector("#token-form:not([hidden])")
        tab.fill("#token", TOKEN)
        tab.press("#token", "Enter")
        ready(tab, "search")
        assert "--no-text" in tab.inner_text("#no-text") and tab.is_disabled("#q")
        tab.click(f"section.facet[data-label=PER] a[data-entity='{HAMMOUCHI}']")
        tab.wait_for_selector("#results-title:has-text('3 documents')")
        tab.click("li.hit h2 a >> nth=0")
        ready(tab, "document")
        assert "--no-text" in tab.inner_text("#view .notice") and tab.locator("#article").count() == 0
    finally:
        tab.close()
        live.stop()

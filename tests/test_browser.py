"""The reading page in a real headless Chromium (Debian's), driven by Playwright.

Playwright never downloads a browser here: it drives /usr/bin/chromium through
``executable_path``. Without it the tests skip (outside CI) or fail (CI must run them).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from chromium import chromium, skip_without_chromium
from conftest import ROOT
from live import Server
from typer.testing import CliRunner

from entityx.cli import app as cli

ARTICLE = (ROOT / "samples" / "000_1aa1127573d74705.txt").read_text(encoding="utf-8")
TOKEN = "page-token"
XSS = ("La DGSN a publié ce texte. <script>window.__pwned = 'script'</script> "
       "<img src=x onerror=\"window.__pwned = 'img'\"> <b onmouseover=\"window.__pwned = 'b'\">Rabat</b>\n")

skip_without_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = Server(tmp_path_factory.mktemp("browser"), env={"ENTITYX_TOKEN": TOKEN})
    yield live
    live.stop()


@pytest.fixture(scope="module")
def open_server(tmp_path_factory):
    live = Server(tmp_path_factory.mktemp("browser-open"))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("profile"), height=1000) as context:
        yield context


@pytest.fixture
def page(browser, server):
    tab = browser.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    tab.goto(server.url + "/")
    yield tab
    tab.evaluate("localStorage.clear()")  # the language chosen stays with the test that chose it
    tab.close()


def read(page, text: str, published: str = "") -> None:
    page.fill("#text", text)
    page.fill("#published", published)
    page.fill("#token", TOKEN)
    page.click("#submit")
    page.wait_for_selector("#status[data-state=done]")


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
    assert article_text(page) == ARTICLE
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


def test_hostile_article_runs_no_script_and_shows_as_text(page, tmp_path):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    read(page, XSS)
    mark(page, "DGSN").hover()
    assert page.evaluate("window.__pwned") is None and dialogs == []
    article = page.locator("#article")
    assert article.locator("script, img, b").count() == 0
    assert "<script>window.__pwned = 'script'</script>" in article_text(page)
    assert "<img src=x onerror=" in article_text(page)
    # A file's name is shown as text too: in the status, the picker and the result's title.
    hostile = tmp_path / "<img src=x onerror=window.__pwned=1>.txt"
    hostile.write_text(XSS, encoding="utf-8")
    page.set_input_files("#file", str(hostile))
    page.wait_for_selector("#status[data-state=fileRead]")
    assert hostile.name in page.inner_text("#status")
    read(page, page.input_value("#text"))
    assert page.inner_text("#file-name") == page.inner_text("#source") == hostile.name
    assert page.locator("img").count() == 0 and page.evaluate("window.__pwned") is None


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
    assert "jeton" in page.inner_text("#status") and "401" in page.inner_text("#status")
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
    page.wait_for_selector("#status[data-state=done]")
    mark(page, "hier").focus()
    assert "2024-09-04" in mark(page, "hier").locator(".card").inner_text()


# --- language, errors, layout, token, date, downloads, filter, confidence, marks.js, /docs ---

def visible_texts(page) -> dict[str, str]:
    """The text of every element the language table fills, by key."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-i18n]')]
        .map(n => [n.dataset.i18n, n.textContent]))""")


def test_interface_is_french_by_default_and_english_on_request(page):
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.inner_text("#submit") == "Extraire"
    assert page.get_attribute("#published", "placeholder") == "AAAA-MM-JJ"
    # One table: both languages have the same strings, and the page shows the table's.
    keys = "(language) => Object.keys(STRINGS[language]).sort()"
    assert page.evaluate(keys, "fr") == page.evaluate(keys, "en")
    table = "([language, keys]) => Object.fromEntries(keys.map(k => [k, STRINGS[language][k]]))"
    french = visible_texts(page)
    assert french == page.evaluate(table, ["fr", list(french)])
    read(page, ARTICLE)
    assert "publié le 2024-09" in page.inner_text("#summary")
    assert "étiquette" in mark(page, "DGSN").locator(".card").text_content()
    assert "mentions" in page.inner_text("#groups") and "Terminé" in page.inner_text("#status")

    page.click(".lang-choice[data-lang=en]")
    assert page.evaluate("document.documentElement.lang") == "en"
    english = visible_texts(page)
    assert english == page.evaluate(table, ["en", list(english)])
    assert english["submit"] == "Extract" and english["groupsTitle"] == "Entities by salience"
    assert page.get_attribute("#published", "placeholder") == "YYYY-MM-DD"
    assert page.get_attribute("#text", "placeholder").startswith("Paste")
    assert page.title().startswith("entityx — read")
    # What is already shown is redrawn in English: summary, status, cards, entity list.
    assert page.inner_text("#summary").startswith("published 2024-09")
    assert page.inner_text("#status").startswith("Done")
    card = mark(page, "DGSN").locator(".card").text_content()
    assert "label" in card and "étiquette" not in card and "name" in card
    assert "also" in page.inner_text("#groups") and "aussi" not in page.inner_text("#groups")
    assert page.get_attribute(".lang-choice[data-lang=en]", "aria-pressed") == "true"

    page.reload()  # remembered
    page.wait_for_selector("body[data-health=known]")
    assert page.inner_text("#submit") == "Extract" and page.evaluate("document.documentElement.lang") == "en"
    page.focus(".lang-choice[data-lang=fr]")
    page.keyboard.press("Enter")
    assert page.inner_text("#submit") == "Extraire"
    assert page.evaluate("localStorage.getItem('entityx.language')") == "fr"
    assert page.errors == []


def shown_nothing(page) -> None:
    assert page.locator("#article mark.ent, #article .card, #groups li").count() == 0
    assert page.inner_text("#article") == "" and page.inner_text("#summary") == ""
    assert page.is_disabled("#download-json") and page.is_disabled("#download-csv")
    assert page.is_visible("#empty")


def test_an_error_clears_the_previous_article(page):
    read(page, ARTICLE)
    assert page.locator("#article mark.ent").count() > 20
    page.fill("#text", "   ")  # an empty text
    page.click("#submit")
    page.wait_for_selector("#status.failed")
    shown_nothing(page)

    read(page, ARTICLE)
    page.fill("#text", "Un autre article, sur Rabat.")
    page.fill("#published", "2024-13")  # the server answers 422
    page.click("#submit")
    page.wait_for_selector("#status.failed")
    assert "422" in page.inner_text("#status") and "published" in page.inner_text("#status")
    shown_nothing(page)

    read(page, ARTICLE)
    page.fill("#token", "wrong")  # 401
    page.click("#submit")
    page.wait_for_selector("#status.failed")
    shown_nothing(page)
    assert [e for e in page.errors if not e.startswith("Failed to load resource")] == []  # the 4xx


def test_results_are_in_view_at_1280_by_800(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    read(page, ARTICLE)
    assert page.evaluate("window.scrollY") == 0

    def in_view(selector: str) -> None:
        box = page.locator(selector).first.bounding_box()
        assert box is not None, selector
        assert 0 <= box["y"] and box["y"] + box["height"] <= 800, (selector, box)
        assert 0 <= box["x"] and box["x"] + box["width"] <= 1280, (selector, box)

    for selector in ("#summary", "#download-json", "#download-csv", "#legend", "#submit", "#status",
                     "#groups li", "#groups li:nth-child(5)"):
        in_view(selector)
    marks = page.locator("#article mark.ent")
    assert marks.count() > 20
    for n in range(15):  # the article's first paragraphs
        in_view(f"#article mark.ent >> nth={n}")
    article, groups = page.locator("#article").bounding_box(), page.locator("#groups").bounding_box()
    assert article["width"] >= 560 and article["y"] < 400
    assert groups["x"] >= article["x"] + article["width"]  # side by side


def test_token_field_shows_only_when_the_server_needs_one(page, browser, server, open_server):
    assert httpx.get(server.url + "/health").json()["token"] is True
    assert httpx.get(open_server.url + "/health").json()["token"] is False
    page.wait_for_selector("body[data-health=known]")
    assert page.is_visible("#token")

    other = browser.new_page()
    try:
        other.goto(open_server.url + "/")
        other.wait_for_selector("body[data-health=known]")
        assert not other.is_visible("#token") and not other.is_visible("label[for=token]")
        other.fill("#text", "La DGSN a interpellé hier à Tanger un suspect.")
        other.click("#submit")
        other.wait_for_selector("#status[data-state=done]")
        assert other.locator("#article mark.ent").count() >= 2
    finally:
        other.close()


def test_the_date_placeholder_is_not_cut(page):
    fits = """() => {
        const input = document.querySelector('#published');
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        context.font = style.font;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return [context.measureText(input.placeholder).width, room];
    }"""
    for language, placeholder in (("fr", "AAAA-MM-JJ"), ("en", "YYYY-MM-DD")):
        page.click(f".lang-choice[data-lang={language}]")
        assert page.get_attribute("#published", "placeholder") == placeholder
        width, room = page.evaluate(fits)
        assert 0 < width <= room, (language, width, room)


def test_a_chosen_file_names_the_downloads(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("communique.txt").write_bytes(  # Windows line ends: the offsets must be the file's
        "Rabat, le 5 septembre 2024 – La DGSN a interpellé hier.\r\nÀ Tanger, un suspect.\r\n".encode("cp1252"))
    page.set_input_files("#file", "communique.txt")
    page.wait_for_selector("#status[data-state=fileRead]")
    assert "communique.txt" in page.inner_text("#status")
    read(page, page.input_value("#text"), "2024-09-05")
    assert page.inner_text("#source") == "communique.txt"
    with page.expect_download() as download:
        page.click("#download-json")
    assert download.value.suggested_filename == "communique.entities.json"
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    dated = ["extract", "communique.txt", "--published", "2024-09-05"]
    cli_json = CliRunner().invoke(cli, [*dated, "-f", "json"]).stdout
    assert saved == json.loads(cli_json)  # "source": "communique.txt", "encoding": "cp1252"
    assert saved["source"] == "communique.txt"
    with page.expect_download() as download:
        page.click("#download-csv")
    assert download.value.suggested_filename == "communique.entities.csv"
    cli_csv = CliRunner().invoke(cli, [*dated, "-f", "csv"])
    assert Path(download.value.path()).read_bytes() == cli_csv.stdout_bytes

    # A name the CSV must quote; then the same text edited, or pasted: a text of no file.
    Path("note, «brouillon».txt").write_text("Karim Benali est arrivé à Casablanca.\n", encoding="utf-8")
    page.set_input_files("#file", "note, «brouillon».txt")
    page.wait_for_selector("#status[data-state=fileRead]")
    read(page, page.input_value("#text"))
    with page.expect_download() as download:
        page.click("#download-csv")
    assert download.value.suggested_filename == "note, «brouillon».entities.csv"
    expected = CliRunner().invoke(cli, ["extract", "note, «brouillon».txt", "-f", "csv"]).stdout_bytes
    assert Path(download.value.path()).read_bytes() == expected
    read(page, "Karim Benali est arrivé à Casablanca, dit-on.\n")
    assert page.inner_text("#source") == ""
    with page.expect_download() as download:
        page.click("#download-json")
    assert download.value.suggested_filename == "entities.json"
    assert json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["source"] == "-"
    with page.expect_download() as download:
        page.click("#download-csv")
    assert download.value.suggested_filename == "entities.csv"
    assert Path(download.value.path()).read_bytes().split(b"\r\n")[1].startswith(b"-,")
    assert page.errors == []


def article_text(page) -> str:
    return page.evaluate("""() => [...document.querySelector('#article').childNodes].map(n =>
        n.nodeType === 3 ? n.textContent : n.querySelector('.ent-text').textContent).join('')""")


def test_label_filter_with_its_legend(page):
    read(page, ARTICLE)
    toggles = page.locator("#legend button.label-toggle")
    assert toggles.count() == 5
    for label, name in (("PER", "personnes"), ("ORG", "organisations"), ("LOC", "lieux"), ("DATE", "dates")):
        toggle = page.locator(f"#legend button[data-label={label}]")
        assert toggle.inner_text().split() == [label, name]  # the label as text: no colour needed
        assert toggle.get_attribute("aria-pressed") == "true"
    sign = "(selector) => getComputedStyle(document.querySelector(selector), '::before').content"
    assert page.evaluate(sign, "#legend button[data-label=PER]") == '"☑"'
    people = page.locator("#article mark.ent[data-label=PER]").count()
    assert people >= 5 and page.locator("#groups li[data-label=PER]").count() >= 1

    page.focus("#legend button[data-label=PER]")  # the keyboard
    page.keyboard.press("Enter")
    assert page.get_attribute("#legend button[data-label=PER]", "aria-pressed") == "false"
    assert page.evaluate(sign, "#legend button[data-label=PER]") == '"☐"'
    assert page.locator("#article mark.ent[data-label=PER]").count() == 0
    assert page.locator("#article mark.ent[data-label=ORG]").count() > 5
    assert article_text(page) == ARTICLE  # the words stay, unmarked
    assert all(not item.is_visible() for item in page.locator("#groups li[data-label=PER]").all())
    assert page.locator("#groups li[data-label=ORG]").first.is_visible()
    page.keyboard.press("Space")
    assert page.locator("#article mark.ent[data-label=PER]").count() == people
    assert page.locator("#groups li[data-label=PER]").first.is_visible()

    # MISC: off by default, not asked for; switched on, asked for and shown.
    misc = page.locator("#misc")
    assert misc.get_attribute("role") == "switch" and misc.get_attribute("aria-checked") == "false"
    assert misc.inner_text().split() == ["MISC", "divers"]
    sent = []
    page.on("request", lambda r: r.url.endswith("/v1/extract") and sent.append(r.post_data_json))
    read(page, "Le prix Goncourt a été remis à Marrakech.\n")
    assert "labels" not in sent[-1] and page.locator("#article mark.ent[data-label=MISC]").count() == 0
    misc.focus()
    page.keyboard.press("Space")
    page.wait_for_selector("#article mark.ent[data-label=MISC]")
    assert sent[-1]["labels"] == ["PER", "ORG", "LOC", "DATE", "MISC"]
    assert misc.get_attribute("aria-checked") == "true"
    prize = mark(page, "prix Goncourt")
    assert prize.get_attribute("data-label") == "MISC" and prize.locator(".tag").inner_text() == "MISC"
    assert page.locator("#groups li[data-label=MISC]").count() == 1
    page.keyboard.press("Enter")  # off again: asked without MISC
    page.wait_for_selector("#status[data-state=done]")
    page.wait_for_function("!document.querySelector('#article mark.ent[data-label=MISC]')")
    assert "labels" not in sent[-1]
    assert page.errors == []


def test_a_card_shows_the_confidence_when_the_answer_has_one(page):
    def with_confidence(route):
        answer = route.fetch()
        doc = answer.json()
        for entity in doc["entities"]:
            entity.pop("confidence", None)
            if entity["text"] == "DGSN":
                entity["confidence"] = 0.873
            elif entity["text"] == "Lyon":
                entity["confidence"] = None
        route.fulfill(response=answer, json=doc)

    page.route("**/v1/extract", with_confidence)
    read(page, ARTICLE)
    dgsn = mark(page, "DGSN")
    row = dgsn.locator(".card-row[data-row=confidence]")
    assert row.count() == 1
    assert row.text_content().replace("\u202f", " ").replace("\xa0", " ") == "confiance 87 %"
    assert mark(page, "Lyon").locator(".card-row[data-row=confidence]").count() == 0  # null
    assert mark(page, "Interpol").locator(".card-row[data-row=confidence]").count() == 0  # absent
    dgsn.focus()
    assert "87" in dgsn.locator(".card").inner_text()
    page.click(".lang-choice[data-lang=en]")
    assert mark(page, "DGSN").locator(".card-row[data-row=confidence]").text_content() == "confidence 87%"
    assert page.errors == []


def test_marks_js_renders_a_text_with_its_marks_on_its_own(page, server):
    script = httpx.get(server.url + "/static/marks.js").text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    page_js = httpx.get(server.url + "/static/page.js").text
    assert "renderMarks(" in page_js and "function segments" not in page_js
    # Offsets count characters as Python does: an emoji before a mention does not shift it.
    found = page.evaluate("""() => {
        const box = document.createElement('div');
        const text = '😀 La DGSN <b>et</b> Karim Benali.';
        const marks = renderMarks(box, text, [
            {start: 5, end: 9, label: 'ORG', group: 'E1', kb_id: 'ma-dgsn', confidence: 0.5},
            {start: 20, end: 32, label: 'PER', group: 'E2'}],
            {groups: [{id: 'E1', name: 'Direction générale de la Sûreté nationale'}], hidden: ['PER'],
             keys: {label: 'étiquette'}, locale: 'en'});
        return {marks: marks.map(m => m.querySelector('.ent-text').textContent),
                card: box.querySelector('.card').textContent, bold: box.querySelectorAll('b').length,
                text: box.textContent.replace(/ORG|étiquette.*?0%/g, '')};
    }""")
    assert found["marks"] == ["DGSN"] and found["bold"] == 0
    assert found["card"] == ("étiquette ORG" "kb id ma-dgsn" "name Direction générale de la Sûreté nationale"
                             "confidence 50%")
    assert found["text"] == "😀 La DGSN <b>et</b> Karim Benali."


def test_docs_page_renders_its_operations_without_errors(browser, server):
    tab = browser.new_page()
    problems = []
    tab.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    tab.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    tab.add_init_script("""window.__violations = [];
        document.addEventListener('securitypolicyviolation',
            (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));""")
    try:
        tab.goto(server.url + "/docs")
        tab.wait_for_selector(".opblock-summary-path")
        paths = tab.locator(".opblock-summary-path").all_inner_texts()
        expected = {"/health", "/v1/extract", "/v1/extract/csv", "/v1/extract/batch"}
        assert expected <= {p.strip() for p in paths}
        batch = tab.locator(".opblock-summary-path", has_text="/v1/extract/batch")
        tab.locator(".opblock-summary", has=batch).click()
        tab.wait_for_selector(".opblock-body")
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("window.__violations") == [] and problems == []
        # The listener does catch a violation: an inline script is refused.
        tab.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__ran = 1'; document.body.append(s); }""")
        tab.wait_for_function("window.__violations.length > 0")
        assert tab.evaluate("window.__ran") is None
    finally:
        tab.close()


def test_the_keyboard_reaches_marks_and_entities(page):
    read(page, ARTICLE)
    page.focus("#misc")
    page.keyboard.press("Tab")  # from the legend into the article
    first = page.locator("#article mark.ent").first
    assert page.evaluate("document.activeElement === document.querySelector('#article mark.ent')")
    assert first.locator(".card").is_visible()
    page.keyboard.press("Enter")  # a mark chooses its entity too
    group = first.get_attribute("data-group")
    assert page.locator("#article mark.ent.selected").count() == page.locator(
        f"#article mark.ent[data-group='{group}']").count() >= 1
    assert page.get_attribute(f"#groups button.group[data-group='{group}']", "aria-pressed") == "true"
    page.keyboard.press("Escape")
    assert page.locator("#article mark.ent.selected").count() == 0
    page.locator("#article mark.ent").last.focus()
    page.keyboard.press("Tab")  # from the article to the entity list
    assert page.evaluate("document.activeElement.matches('#groups button.group')")
    first_entity = page.get_attribute("#groups li >> nth=0", "data-group")
    assert page.evaluate("document.activeElement.dataset.group") == first_entity

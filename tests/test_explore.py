"""`entityx explore`: the API over a real `entityx batch` archive, its security, its errors.

The archive is built once from six short articles written here, by the real batch (in
process, sharing the session's pipeline): a person met as "Abdellatif Hammouchi" and as
"M. Hammouchi", two towns named Valence (in Spain, in the Drôme), and a hostile document whose
title, outlet, text and URL are markup, a script address and a spreadsheet formula.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entityx.cli import app as cli
from entityx.explore.archive import Archive
from entityx.explore.fts import match_expression
from entityx.explore.sentences import sentence
from entityx.serve.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's note on httpx versions
    from fastapi.testclient import TestClient

from entityx.explore.app import create_app

TOKEN = "explore-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HAMMOUCHI = "PER:abdellatif hammouchi"
VALENCE_ES, VALENCE_FR = "geonames:2509954", "geonames:2971053"
FORMULA = '=HYPERLINK("http://evil.example")'
ARTICLES = [  # (id, outlet, published, title, text)
    ("hammouchi-interpol", "Le Matin", "2024-09-05", "La DGSN et Interpol renforcent leur coopération",
     ("Rabat, le 5 septembre 2024 – Abdellatif Hammouchi, directeur général de la Sûreté nationale "
      "(DGSN), a reçu jeudi à Rabat le secrétaire général d'Interpol, Jürgen Stock. Les deux responsables "
      "ont évoqué la lutte contre le terrorisme et le trafic de drogue.\n\nSelon un communiqué de la DGSN, "
      "Abdellatif Hammouchi a souligné l'engagement du Maroc aux côtés d'Interpol.\n")),
    ("hammouchi-casablanca", "Hespress FR", "2024-10-12", "M. Hammouchi inaugure un commissariat à Casablanca",
     ("Casablanca, le 12 octobre 2024 – M. Hammouchi a inauguré samedi un nouveau commissariat de police à "
      "Casablanca. Le directeur de la DGSN a rappelé que la police de proximité reste une priorité. "
      "M. Hammouchi était accompagné du wali de la région.\n")),
    ("valence-espagne", "Le Monde", "2024-11-03", "Espagne : coup de filet contre un réseau de passeurs à Valence",
     ("Madrid, le 3 novembre 2024 – La Guardia civil a démantelé à Valence, en Espagne, un réseau de passeurs "
      "qui organisait des traversées depuis l'Algérie. Onze personnes ont été arrêtées à Valence et à "
      "Alicante, indique le ministère espagnol de l'Intérieur.\n")),
    ("valence-drome", "Le Dauphiné libéré", "2024-11-20", "Drôme : trafic de stupéfiants démantelé à Valence",
     ("Valence, le 20 novembre 2024 – La police nationale a démantelé un trafic de stupéfiants à Valence, "
      "dans la Drôme. Le parquet de Valence a annoncé que quatre suspects ont été placés en détention "
      "provisoire.\n")),
    ("interpol-lyon", "Le Monde", "2025-01-15", "Interpol lance une opération mondiale depuis Lyon",
     ("Lyon, le 15 janvier 2025 – Interpol a annoncé depuis son siège de Lyon une opération contre la "
      "cybercriminalité menée dans quarante pays. Abdellatif Hammouchi a salué la participation de la DGSN.\n")),
    ("hostile", "<img src=x onerror=\"window.__pwned='outlet'\">", "2025-02-01",
     "<script>window.__pwned = 'title'</script>",
     ("Paris, le 1er février 2025 – <script>window.__pwned = 'text'</script> La préfecture de police de "
      "Paris <img src=x onerror=\"window.__pwned='img'\"> a publié ce texte à propos de Paris.\n")),
]


def write_archive(folder: Path, *options: str) -> Path:
    """The articles as a JSONL corpus, through the real ``entityx batch`` into SQLite."""
    corpus = folder / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for key, outlet, published, title, text in ARTICLES:
            meta = {"title": title, "outlet": outlet, "published": published, "url": f"https://example.org/{key}"}
            if key == "hostile":
                meta |= {"url": "javascript:window.__pwned='url'", "note": FORMULA}
            out.write(json.dumps({"id": key, "text": text, "meta": meta}, ensure_ascii=False) + "\n")
    database = folder / "archive.sqlite"
    result = CliRunner().invoke(cli, ["batch", str(corpus), "--jsonl", "-o", str(database), "--jobs", "1",
                                      "-q", *options])
    assert result.exit_code == 0, result.output
    return database


@pytest.fixture(scope="module")
def database(tmp_path_factory, nlp) -> Path:
    return write_archive(tmp_path_factory.mktemp("explore"))


@pytest.fixture(scope="module")
def client(database):
    with TestClient(create_app(Archive(database), Settings(token=TOKEN))) as test_client:
        yield test_client


def get(client, path: str, **params):
    response = client.get(path, params=params, headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json() if response.headers["content-type"].startswith("application/json") else response


def ids_of(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        return dict(db.execute("SELECT source, id FROM documents"))


def rows(response) -> list[dict]:
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


# --- search ---------------------------------------------------------------------------------

def test_search_without_words_lists_the_latest_with_the_archive_facets(client):
    found = get(client, "/api/search")
    assert found["total"] == 6 and found["sort"] == "newest" and found["query"] is None
    dates = [hit["published"] for hit in found["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert found["facets"]["over"] == 6
    people = next(g for g in found["facets"]["labels"] if g["label"] == "PER")
    assert people["top"][0] == {"id": HAMMOUCHI, "name": "Abdellatif Hammouchi", "label": "PER",
                                "country": None, "documents": 3, "selected": False}
    outlets = {v["value"]: v["documents"] for v in found["facets"]["meta"][0]["values"]}
    assert found["facets"]["meta"][0]["key"] == "outlet" and outlets["Le Monde"] == 2
    first = found["hits"][-1]  # the oldest: its title, outlet, opening and salient entities
    assert first["title"] == "La DGSN et Interpol renforcent leur coopération" and first["outlet"] == "Le Matin"
    assert first["snippet"][0]["text"].startswith("Rabat, le 5 septembre 2024") and not first["snippet"][0]["match"]
    assert HAMMOUCHI in {e["id"] for e in first["entities"]}


def test_search_words_any_form_with_snippets(client):
    found = get(client, "/api/search", q="Hammouchi")
    assert found["total"] == 3 and found["sort"] == "relevance" and found["query"] == '"Hammouchi"'
    for hit in found["hits"]:
        assert any(piece["match"] and piece["text"] == "Hammouchi" for piece in hit["snippet"])
    assert get(client, "/api/search", q="drome")["total"] == 1  # accents and case ignored
    assert get(client, "/api/search", q='"réseau de passeurs"')["total"] == 1
    assert get(client, "/api/search", q="Valence -Espagne")["hits"][0]["title"].startswith("Drôme")
    assert get(client, "/api/search", q="démant*")["total"] == 2


def test_entity_and_outlet_facets_filter(client):
    found = get(client, "/api/search", entity=HAMMOUCHI)
    assert found["total"] == 3 and found["filters"] == [
        {"id": HAMMOUCHI, "name": "Abdellatif Hammouchi", "label": "PER", "country": None}]
    people = next(g for g in found["facets"]["labels"] if g["label"] == "PER")
    assert people["top"][0]["selected"] and people["top"][0]["documents"] == 3
    assert all(hit["entities"][0] == {**hit["entities"][0], "id": HAMMOUCHI, "filtered": True}
               for hit in found["hits"])  # the entity filtering comes first in each result
    both = get(client, "/api/search", entity=HAMMOUCHI, **{"meta.outlet": "Le Monde"})
    assert [hit["title"] for hit in both["hits"]] == ["Interpol lance une opération mondiale depuis Lyon"]
    assert both["facets"]["meta"][0]["values"] == [{"value": "Le Monde", "documents": 1, "selected": True}]
    any_of = client.get("/api/search?meta.outlet=Le+Monde&meta.outlet=Le+Matin", headers=AUTH).json()
    assert any_of["total"] == 3


def test_a_town_of_two_countries_is_two_entities(client):
    places = {e["id"]: e for g in get(client, "/api/search", q="Valence")["facets"]["labels"]
              for e in g["top"] if e["name"] == "Valence"}
    assert places.keys() == {VALENCE_ES, VALENCE_FR}
    assert (places[VALENCE_ES]["country"], places[VALENCE_FR]["country"]) == ("ES", "FR")
    spain = get(client, "/api/search", entity=VALENCE_ES)["hits"]
    assert [hit["title"] for hit in spain] == [ARTICLES[2][3]]


def test_date_range_and_sort(client):
    found = get(client, "/api/search", **{"from": "2024-11", "to": "2024-11-30"})
    assert {hit["title"] for hit in found["hits"]} == {ARTICLES[2][3], ARTICLES[3][3]}
    assert get(client, "/api/search", **{"from": "2025"})["total"] == 2
    assert get(client, "/api/search", to="2024-09")["total"] == 1
    oldest = get(client, "/api/search", sort="oldest")["hits"]
    assert oldest[0]["published"] == "2024-09-05"
    paged = get(client, "/api/search", size=2, page=2)
    assert paged["pages"] == 3 and len(paged["hits"]) == 2
    assert paged["hits"] == get(client, "/api/search")["hits"][2:4]


@pytest.mark.parametrize("typed", ['"', "*", "NEAR(", "a OR", "text:x", "^", ")", "AND", "-", '"unclosed',
                                   "'; DROP TABLE documents; --", "\x00", "Valence\"*", "NOT Valence", "🙂",
                                   "a" * 1500])
def test_what_users_type_never_breaks_the_search(client, typed):
    response = client.get("/api/search", params={"q": typed}, headers=AUTH)
    if match_expression(typed) is None:  # nothing to look for: said, never every document
        assert response.status_code == 422 and response.json()["fields"][0]["field"] == "q"
        assert "no word to search for" in response.json()["fields"][0]["message"]
    else:
        assert response.status_code == 200, response.text
        assert response.json()["total"] == 0 or typed.startswith("Valence") or typed == "NOT Valence"


def test_a_search_that_only_leaves_words_out_is_refused(client):
    response = client.get("/api/search", params={"q": "-Valence"}, headers=AUTH)
    assert response.status_code == 422


def test_match_expression_quotes_every_term():
    assert match_expression('Valence "coup de filet" -Espagne démant*') == \
        '"Valence" "coup de filet" "démant" * NOT "Espagne"'
    assert match_expression('a"b') == '"a""b"'
    assert match_expression("-seul") is None and match_expression("!!! ...") is None


# --- entities -------------------------------------------------------------------------------

def test_entity_page_with_kwic_timeline_and_comentions(client, database):
    detail = get(client, f"/api/entities/{HAMMOUCHI}")
    entity = detail["entity"]
    assert entity["name"] == "Abdellatif Hammouchi" and entity["label"] == "PER"
    assert {"Abdellatif Hammouchi", "Hammouchi"} <= set(entity["aliases"])
    assert (entity["documents"], entity["mentions"]) == (3, 5)
    lines = detail["mentions"]["lines"]
    assert detail["mentions"]["total"] == 5 and len(lines) == 5
    assert [line["published"] for line in lines] == ["2025-01-15", "2024-10-12", "2024-10-12", "2024-09-05",
                                                     "2024-09-05"]  # newest first, then in text order
    by_id = {i: next(a[4] for a in ARTICLES if a[0] == source) for source, i in ids_of(database).items()}
    for line in lines:
        text = by_id[line["document_id"]]
        assert text[line["start"]:line["end"]] == line["text"]
        assert (line["left"] + line["text"] + line["right"]) in text  # one sentence, as written
    assert lines[1]["left"] == "Casablanca, le 12 octobre 2024 – M. "  # "M." ends no sentence
    assert lines[1]["right"].endswith("Casablanca.")
    assert [d["published"] for d in detail["documents"]["documents"]] == ["2025-01-15", "2024-10-12", "2024-09-05"]
    assert detail["documents"]["documents"][1]["mentions"] == 2
    months = detail["timeline"]["months"]
    assert [m["month"] for m in months] == ["2024-09", "2024-10", "2024-11", "2024-12", "2025-01"]
    assert [m["mentions"] for m in months] == [2, 2, 0, 0, 1] and detail["timeline"]["undated"] == 0
    beside = {e["id"]: e for g in detail["comentions"]["labels"] for e in g["top"]}
    assert detail["comentions"]["over"] == 3
    assert beside["int-interpol"]["documents"] == 2 and HAMMOUCHI not in beside
    shared = get(client, "/api/search", entity=[HAMMOUCHI, "int-interpol"])
    assert shared["total"] == beside["int-interpol"]["documents"]


def test_entity_lists_page_on(client):
    whole = get(client, "/api/mentions", entity=HAMMOUCHI, size=100)["lines"]
    for size in (1, 2, 3):
        paged = [line for page in range(1, 6) for line in
                 get(client, "/api/mentions", entity=HAMMOUCHI, size=size, page=page)["lines"]]
        assert paged == whole
    documents = get(client, "/api/documents", entity=HAMMOUCHI, size=2, page=2)
    assert documents["total"] == 3 and documents["pages"] == 2 and len(documents["documents"]) == 1
    comentions = get(client, "/api/comentions", entity=HAMMOUCHI, label="LOC")
    assert {g["label"] for g in comentions["labels"]} == {"LOC"}
    assert get(client, "/api/timeline", entity=VALENCE_FR)["months"] == [
        {"month": "2024-11", "mentions": 2, "documents": 1}]


def test_entity_list_filters_by_label_and_any_name(client):
    found = get(client, "/api/entities", q="hammouchi")
    assert [e["id"] for e in found["entities"]] == [HAMMOUCHI]
    assert get(client, "/api/entities", q="DROME")["entities"][0]["name"] == "Drôme"  # accents, case
    places = get(client, "/api/entities", label="LOC", size=100)
    assert {e["label"] for e in places["entities"]} == {"LOC"} and places["total"] >= 8
    counts = [e["documents"] for e in places["entities"]]
    assert counts == sorted(counts, reverse=True)
    assert get(client, "/api/entities", sort="name", size=3)["entities"][0]["name"] <= "B"


# --- a document -----------------------------------------------------------------------------

def test_document_with_its_marks_and_meta(client, database):
    ids = ids_of(database)
    doc = get(client, f"/api/documents/{ids['hammouchi-casablanca']}")
    assert doc["title"] == ARTICLES[1][3] and doc["outlet"] == "Hespress FR" and doc["text"] == ARTICLES[1][4]
    assert doc["published"] == "2024-10-12" and doc["published_from"] == "meta"
    assert doc["url"] == "https://example.org/hammouchi-casablanca"
    for mark in doc["entities"]:
        assert doc["text"][mark["start"]:mark["end"]] == mark["text"]
    groups = {g["group"]: g for g in doc["groups"]}
    person = [m for m in doc["entities"] if m["text"] == "Hammouchi"]
    assert len(person) == 2 and all(groups[m["group"]]["id"] == HAMMOUCHI == m["entity_id"] for m in person)


def test_hostile_text_and_meta_come_back_as_json_strings(client, database):
    doc = client.get(f"/api/documents/{ids_of(database)['hostile']}", headers=AUTH)
    assert doc.headers["content-type"] == "application/json"
    assert doc.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in doc.headers["content-security-policy"]
    body = doc.json()
    assert body["title"] == "<script>window.__pwned = 'title'</script>"
    assert body["outlet"] == "<img src=x onerror=\"window.__pwned='outlet'\">"
    assert body["url"] is None and body["meta"]["url"].startswith("javascript:")  # never a link
    assert "<script>window.__pwned = 'text'</script>" in body["text"]


# --- CSV ------------------------------------------------------------------------------------

def test_every_list_downloads_as_csv(client, database):
    found = rows(get(client, "/api/search", q="Valence", format="csv"))
    assert {r["title"] for r in found} == {ARTICLES[2][3], ARTICLES[3][3]}
    assert set(found[0]) >= {"id", "published", "title", "source", "meta.outlet", "meta.url"}
    hostile = rows(get(client, "/api/search", format="csv"))
    note = next(r for r in hostile if r["source"] == "hostile")["meta.note"]
    assert note == "'" + FORMULA  # never a formula in a spreadsheet
    assert len(rows(get(client, "/api/entities", format="csv"))) == get(client, "/api/entities")["total"]
    kwic = rows(get(client, "/api/mentions", entity=HAMMOUCHI, format="csv"))
    assert len(kwic) == 5 and kwic[1]["left"].endswith("M. ")
    assert len(rows(get(client, "/api/documents", entity=HAMMOUCHI, format="csv"))) == 3
    assert rows(get(client, "/api/timeline", entity=HAMMOUCHI, format="csv"))[0]["month"] == "2024-09"
    assert "int-interpol" in {r["id"] for r in rows(get(client, "/api/comentions", entity=HAMMOUCHI, format="csv"))}
    marks = rows(get(client, f"/api/documents/{ids_of(database)['valence-drome']}", format="csv"))
    assert {(r["text"], r["entity_id"]) for r in marks} >= {("Valence", VALENCE_FR)}
    download = get(client, "/api/mentions", entity=HAMMOUCHI, format="csv")
    assert download.headers["content-disposition"] == 'attachment; filename="mentions-PER_abdellatif_hammouchi.csv"'


# --- errors and security --------------------------------------------------------------------

def test_errors_are_json_without_traceback(client):
    missing = client.get("/api/entities/PER:nobody", headers=AUTH)
    assert missing.status_code == 404 and missing.json() == {"error": "no entity 'PER:nobody' in this archive"}
    assert client.get("/api/documents/9999", headers=AUTH).status_code == 404
    bad = client.get("/api/search", params={"from": "2024-13"}, headers=AUTH)
    assert bad.status_code == 422 and bad.json()["fields"] == [{"field": "from", "message": "no month 13 in '2024-13'"}]
    assert client.get("/api/search?page=0", headers=AUTH).json()["fields"][0]["field"] == "page"
    unknown = client.get("/api/search?meta.nope=1", headers=AUTH)
    assert unknown.status_code == 422 and unknown.json()["fields"][0]["field"] == "meta.nope"
    assert client.get("/api/documents/abc", headers=AUTH).status_code == 422
    assert "Traceback" not in bad.text


PAGES = ["/", "/entities", f"/entities/{HAMMOUCHI}", "/documents/1", "/?q=Hammouchi"]
API = ["/api/info", "/api/search", "/api/search?q=Hammouchi", "/api/entities", f"/api/entities/{HAMMOUCHI}",
       f"/api/mentions?entity={HAMMOUCHI}", f"/api/documents?entity={HAMMOUCHI}", f"/api/timeline?entity={HAMMOUCHI}",
       f"/api/comentions?entity={HAMMOUCHI}", "/api/documents/1", "/api/search?format=csv"]


def test_the_token_guards_every_page_and_api_call(client):
    for path in API:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            refused = client.get(path, headers=headers)
            assert refused.status_code == 401, path
            assert refused.json() == {"error": "missing or wrong bearer token (Authorization: Bearer …)"}
            assert refused.headers["www-authenticate"] == "Bearer"
        assert client.get(path, headers=AUTH).status_code == 200, path
    for path in PAGES:
        page = client.get(path)  # the page itself, which asks for the token: no data in it
        assert page.status_code == 401 and page.headers["content-type"].startswith("text/html")
        assert 'id="token-form"' in page.text and "Hammouchi" not in page.text
        assert client.get(path, headers=AUTH).status_code == 200
    for path in ("/health", "/static/marks.js", "/static/explore/explore.js", "/static/explore/explore.css",
                 "/docs", "/openapi.json"):
        public = client.get(path)
        assert public.status_code == 200, path
        assert "script-src 'self'" in public.headers["content-security-policy"]
    assert client.get("/health").json()["token"] is True
    assert client.get("/static/../api/info").status_code in (401, 404)


def test_openapi_describes_every_endpoint_with_its_model(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/search", "/api/entities", "/api/entities/{entity_id}", "/api/mentions", "/api/documents",
                 "/api/timeline", "/api/comentions", "/api/documents/{doc_id}", "/api/info"):
        assert path in paths, path
    answer = paths["/api/search"]["get"]["responses"]["200"]["content"]
    assert answer["application/json"]["schema"]["$ref"].endswith("/SearchOut") and "text/csv" in answer
    assert {"Hit", "Facets", "EntityDetailOut", "KwicLine", "DocumentOut"} <= set(spec["components"]["schemas"])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_server_cannot_write_to_the_database(database, tmp_path):
    before, stamp = digest(database), database.stat().st_mtime_ns
    archive = Archive(database)
    with TestClient(create_app(archive, Settings(token=TOKEN))) as test_client:
        for path in API + PAGES:
            test_client.get(path, headers=AUTH)
        for method in ("post", "put", "delete", "patch"):
            for path in ("/api/search", "/api/documents/1", f"/api/entities/{HAMMOUCHI}"):
                answer = test_client.request(method.upper(), path, headers=AUTH, content=b'{"text": "x"}')
                assert answer.status_code == 405, (method, path)
        for typed in ("'); DELETE FROM documents; --", 'x" OR 1=1; INSERT INTO batch VALUES (1); --'):
            assert test_client.get("/api/search", params={"q": typed}, headers=AUTH).status_code == 200
            assert test_client.get("/api/entities", params={"q": typed}, headers=AUTH).status_code == 200
        db = archive.connection()
        assert db.execute("PRAGMA query_only").fetchone()[0] == 1
        for statement in ("CREATE TABLE x (a)", "DELETE FROM documents", "UPDATE corpus_entities SET name = 'x'",
                          "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')"):
            with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only|attempt to write"):
                db.execute(statement)
        db.execute("PRAGMA query_only = OFF")  # even then: the file was opened read-only
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.execute("DELETE FROM documents")
    assert digest(database) == before and database.stat().st_mtime_ns == stamp
    assert not list(database.parent.glob("archive.sqlite-*"))  # no journal, no WAL


# --- the command ----------------------------------------------------------------------------

def explore(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["explore", *args], env=env)


def test_missing_or_foreign_databases_are_one_error_line(tmp_path):
    missing = explore(str(tmp_path / "nope.sqlite"))
    assert missing.exit_code == 1 and missing.stderr == f"Error: {tmp_path / 'nope.sqlite'}: no such file\n"
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database at all, but long enough to have a header of sorts\n" * 10)
    assert explore(str(text)).exit_code == 1 and "is not a SQLite database" in explore(str(text)).stderr
    foreign = tmp_path / "mine.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE invoices (n)")
    refused = explore(str(foreign))
    assert refused.exit_code == 1
    assert refused.stderr.strip() == f"Error: {foreign} is a database with tables invoices, not one made by entityx batch"
    assert "Traceback" not in refused.output
    assert explore(str(tmp_path)).exit_code == 1  # a folder


def test_an_unfinished_batch_is_refused(database, tmp_path):
    partial = tmp_path / "partial.sqlite"
    partial.write_bytes(database.read_bytes())
    with sqlite3.connect(partial) as db:
        db.execute("DELETE FROM corpus_entities")
    refused = explore(str(partial))
    assert refused.exit_code == 1 and "did not complete" in refused.stderr


def test_an_empty_token_is_a_usage_error(database):
    for given in (["--token", ""], ["--token", "  "]):
        assert explore(str(database), *given).exit_code == 2
    unset = explore(str(database), env={"ENTITYX_TOKEN": ""})
    assert unset.exit_code == 2 and "the token is empty" in unset.stderr


def test_without_texts_search_by_entities_only(tmp_path_factory, nlp):
    database = write_archive(tmp_path_factory.mktemp("explore-no-text"), "--no-text")
    archive = Archive(database)
    assert not archive.layout.has_text
    with TestClient(create_app(archive, Settings())) as test_client:
        assert test_client.get("/api/info").json()["text"] is False
        refused = test_client.get("/api/search", params={"q": "Hammouchi"})
        assert refused.status_code == 422 and "no texts" in refused.json()["error"]
        found = test_client.get("/api/search", params={"entity": HAMMOUCHI}).json()
        assert found["total"] == 3 and found["hits"][0]["title"] == ARTICLES[4][3]
        lines = test_client.get("/api/mentions", params={"entity": HAMMOUCHI}).json()["lines"]
        assert len(lines) == 5 and {line["left"] for line in lines} == {""}
        assert test_client.get("/api/documents/1").json()["text"] is None


def test_sentences_end_where_the_press_ends_them():
    text = "Rabat, le 5 septembre. Le directeur M. Hammouchi a reçu A. Dupont. Puis il partit! Fin."
    at = text.index("Hammouchi")
    assert sentence(text, at, at + 9) == ("Le directeur M. ", "Hammouchi", " a reçu A. Dupont.")
    at = text.index("Fin")
    assert sentence(text, at, at + 3) == ("", "Fin", ".")
    long = "x " * 400 + "Lyon" + " y" * 400
    left, _, right = sentence(long, 800, 804)
    assert left.startswith("…") and right.endswith("…") and len(left) <= 162 and len(right) <= 162


def test_a_query_past_the_time_budget_is_stopped(database, monkeypatch):
    archive = Archive(database, budget=0)
    endless = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c"
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        archive.connection().execute(endless).fetchone()
    monkeypatch.setattr("entityx.explore.search.search", lambda db, *args: db.execute(endless).fetchone())
    with TestClient(create_app(archive, Settings())) as test_client:
        stopped = test_client.get("/api/search")
    assert stopped.status_code == 503 and stopped.json() == {"error": "the query took longer than 0 s; narrow it down"}

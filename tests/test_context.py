"""Issue 20: the publication date found where articles put it, dates machines can compare,
places with an identity, and outputs an analyst can join (issue 21's first part: meta,
published, names, salience, confidence and text in every output; corpus-wide entities)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from typer.testing import CliRunner

import entityx
from entityx.cli import app
from entityx.dates.bounds import bounds

HEADLINED = "Démantèlement d’une cellule terroriste\n\nFès, le 8 mai 2024 – La DGSN a arrêté hier trois suspects."


def cli(*args, input=None):
    return CliRunner().invoke(app, [*map(str, args)], input=input)


# 1. The publication date, and where it came from.


@pytest.mark.parametrize(("text", "source", "published", "found_in"), [
    (HEADLINED, "-", "2024-05-08", "dateline"),
    ("Titre\nPar Karim Bennani – Publié le 08/05/2024 à 10h32\n\nLa DGSN a arrêté hier trois suspects.",
     "-", "2024-05-08", "byline"),
    ("Titre\nMis à jour le 9 mai 2024\n\nLa DGSN a arrêté hier trois suspects.", "-", "2024-05-09", "byline"),
    (" date 2024-05 La DGSN a arrêté trois suspects.", "-", "2024-05", "header"),
    ("La DGSN a arrêté hier trois suspects.", "archive/2024-05-08-cellule.txt", "2024-05-08", "filename"),
    ("La DGSN a arrêté hier trois suspects.", "archive/20240508_cellule.txt", "2024-05-08", "filename"),
])
def test_the_publication_date_is_found_where_articles_put_it(nlp, text, source, published, found_in, tmp_path):
    path = tmp_path / source if source != "-" else None
    if path is not None:
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    result = cli("extract", path or "-", "-f", "jsonl", input=None if path else text)
    doc = json.loads(result.stdout)
    assert (doc["published"], doc["published_from"]) == (published, found_in)
    hier = [m for m in doc["entities"] if m["text"] == "hier"]
    assert not hier or hier[0]["norm"] is not None or len(published) < 10


@pytest.mark.parametrize("markup", [
    '<meta property="article:published_time" content="2024-05-07T10:00:00+02:00">',
    '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-07"}</script>',
    '<time datetime="2024-05-07T08:12">7 mai</time>',
])
def test_an_html_page_gives_its_own_date(nlp, markup, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(f"<html><head>{markup}</head><body><h1>Titre</h1><p>La DGSN a arrêté hier deux suspects.</p>"
                    "</body></html>", encoding="utf-8")
    doc = json.loads(cli("extract", page, "-f", "jsonl").stdout)
    assert (doc["published"], doc["published_from"]) == ("2024-05-07", "html-meta")
    assert [m["norm"] for m in doc["entities"] if m["text"] == "hier"] == ["2024-05-06"]


def test_the_order_option_meta_header_dateline(nlp, tmp_path):
    given = cli("extract", "-", "--published", "2020-01-02", "-f", "jsonl", input=HEADLINED)
    assert json.loads(given.stdout)["published_from"] == "option"
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": HEADLINED, "meta": {"published": "2021-03-04"}}) + "\n")
    out = tmp_path / "o.jsonl"
    assert cli("batch", corpus, "-o", out, "-q").exit_code == 0
    assert json.loads(out.read_text())["published_from"] == "meta"


def test_relative_dates_without_a_reference_get_one_warning(nlp):
    result = cli("extract", "-", "-f", "jsonl", input="La DGSN a arrêté hier et mardi dernier deux suspects.")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1 and "2 dates left without a full value" in warnings[0] and "--published" in warnings[0]
    quiet = cli("extract", "-", "-f", "jsonl", "--published", "2024-05-08", input="La DGSN a arrêté hier deux suspects.")
    assert "Warning" not in quiet.stderr


# 4. Dates machines can compare.


@pytest.mark.parametrize(("value", "earliest", "latest"), [
    ("2024-09-05", "2024-09-05", "2024-09-05"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2024-W36", "2024-09-02", "2024-09-08"),
    ("2023-22", "2023-06-21", "2023-09-22"),
    ("2024-24", "2024-12-21", "2025-03-20"),
    ("1990/1999", "1990-01-01", "1999-12-31"),
    ("[2025-03-31,2025-04-01]", "2025-03-31", "2025-04-01"),
    ("2024-07/2024-09", "2024-07-01", "2024-09-30"),
    ("19", "1900-01-01", "1999-12-31"),
    ("XXXX-04-15", None, None),
    ("-04", None, None),
])
def test_every_value_has_its_first_and_last_day(value, earliest, latest):
    assert bounds(value) == (earliest, latest)


def test_earliest_and_latest_reach_every_output(nlp, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "La DGSN a arrêté en mars 2025 puis la semaine dernière deux suspects.",
                                  "meta": {"published": "2025-04-10", "outlet": "Le360"}}) + "\n")
    found = {}
    for suffix in (".jsonl", ".csv", ".sqlite", ".parquet"):
        out = tmp_path / f"o{suffix}"
        assert cli("batch", corpus, "-o", out, "-q").exit_code == 0
        found[suffix] = out
    doc = json.loads(found[".jsonl"].read_text())
    days = {m["text"]: (m["earliest"], m["latest"]) for m in doc["entities"] if m["label"] == "DATE"}
    assert days == {"mars 2025": ("2025-03-01", "2025-03-31"), "semaine dernière": ("2025-03-31", "2025-04-06")}
    assert "2025-03-01,2025-03-31" in found[".csv"].read_text()
    with sqlite3.connect(found[".sqlite"]) as db:
        march = db.execute("SELECT text FROM mentions WHERE latest >= '2025-03-01' AND earliest <= '2025-03-31'").fetchall()
        assert sorted(march) == [("mars 2025",), ("semaine dernière",)]
    table = pq.read_table(found[".parquet"])
    assert str(table.schema.field("earliest").type) == "date32[day]"


# 3. Places with an identity.


@pytest.mark.parametrize(("text", "place", "country"), [
    ("Lyon, le 3 mars 2025 – Le préfet a reçu les maires.", "Lyon", "FR"),
    ("Le match s'est joué à Valence, en Espagne, devant le public de Madrid.", "Valence", "ES"),
    ("Les pompiers de la Drôme sont intervenus à Valence, près de Montélimar.", "Valence", "FR"),
    ("La situation est tendue à Tripoli, où les milices libyennes s'affrontent.", "Tripoli", "LY"),
    ("La situation est tendue à Tripoli, dans le nord du Liban.", "Tripoli", "LB"),
    ("Saint-Louis, le 3 mars 2025 – Le gouverneur a visité les villages du nord du Sénégal.", "Saint-Louis", "SN"),
])
def test_a_place_is_the_one_its_document_is_about(nlp, text, place, country):
    found = [m for m in entityx.extract(text).entities if m.text == place]
    assert found and found[0].country == country and found[0].kb_id.startswith("geonames:")


def test_a_city_has_coordinates_and_a_country_its_iso_code(nlp):
    doc = entityx.extract("La DGSN a arrêté à Rabat un suspect venu du nord du Maroc et de France.")
    rabat, maroc, france = (next(m for m in doc.entities if m.text == t) for t in ("Rabat", "Maroc", "France"))
    assert rabat.kb_id == "geonames:2538475" and (round(rabat.lat), round(rabat.lon)) == (34, -7)
    assert (maroc.country, france.country) == ("MA", "FR") and maroc.lat is None
    assert {g.kb_id for g in doc.groups if g.label == "LOC"} >= {"geonames:2538475"}


# Outputs an analyst can join (issue 21, 1-2).


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("corpus")
    docs = [
        {"id": "a", "text": "Rabat, le 5 mai 2024 – Abdellatif Hammouchi a reçu la DGST et une délégation de Valence, en Espagne.",
         "meta": {"title": "Visite <b>espagnole</b>", "outlet": "Le360", "published": "2024-05-05", "tags": ["police"]}},
        {"id": "b", "text": "M. Hammouchi a présidé à Casablanca une réunion avec Interpol.",
         "meta": {"title": "Réunion", "outlet": "Hespress", "published": "2024-06-01"}},
        {"id": "c", "text": "Les pompiers de la Drôme sont intervenus à Valence, près de Montélimar.",
         "meta": {"title": "Incendie", "outlet": "Le Dauphiné", "published": "2024-07-01"}},
    ]
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    outputs = {}
    for suffix in (".jsonl", ".csv", ".sqlite", ".parquet"):
        outputs[suffix] = folder / f"out{suffix}"
        assert cli("batch", path, "-o", outputs[suffix], "-q").exit_code == 0
    return docs, outputs


def test_meta_round_trips_through_every_output(corpus):
    docs, out = corpus
    assert [json.loads(line)["meta"] for line in out[".jsonl"].read_text().splitlines()] == [d["meta"] for d in docs]
    csv_meta = {json.dumps(d["meta"], ensure_ascii=False) for d in docs}
    import csv

    rows = list(csv.DictReader(out[".csv"].open(encoding="utf-8")))
    assert {r["meta"] for r in rows} == csv_meta
    with sqlite3.connect(out[".sqlite"]) as db:
        got = db.execute("SELECT source, meta_title, meta_outlet, meta_tags, meta FROM documents ORDER BY id").fetchall()
    assert [(g[0], g[1], g[2]) for g in got] == [(d["id"], d["meta"]["title"], d["meta"]["outlet"]) for d in docs]
    assert json.loads(got[0][3]) == ["police"] and json.loads(got[0][4]) == docs[0]["meta"]
    table = pq.read_table(out[".parquet"]).to_pylist()
    assert {(r["source"], r["meta_outlet"]) for r in table} == {(d["id"], d["meta"]["outlet"]) for d in docs}


def test_flat_outputs_carry_name_salience_confidence_and_published(corpus):
    _, out = corpus
    rows = pq.read_table(out[".parquet"]).to_pylist()
    hammouchi = next(r for r in rows if r["text"] == "Hammouchi")
    assert hammouchi["name"] == "Hammouchi" or hammouchi["name"].endswith("Hammouchi")
    assert 0 < hammouchi["salience"] <= 1 and hammouchi["published"] == "2024-06-01"
    assert hammouchi["published_from"] == "meta" and hammouchi["origin"]


def test_sqlite_keeps_the_text_searchable(corpus):
    _, out = corpus
    with sqlite3.connect(out[".sqlite"]) as db:
        hits = db.execute("SELECT d.source FROM documents_fts f JOIN documents d ON d.id = f.rowid "
                          "WHERE documents_fts MATCH 'interpol'").fetchall()
        assert hits == [("b",)]
        accents = db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'drome'").fetchone()
        assert accents == (1,)  # accents ignored


def test_corpus_entities_join_forms_and_keep_homonyms_apart(corpus):
    _, out = corpus
    with sqlite3.connect(out[".sqlite"]) as db:
        people = db.execute("SELECT id, name, aliases, documents, first_published, last_published "
                            "FROM corpus_entities WHERE label = 'PER'").fetchall()
        valence = db.execute("SELECT id, country, documents FROM corpus_entities WHERE name = 'Valence'").fetchall()
    assert people == [("PER:abdellatif hammouchi", "Abdellatif Hammouchi",
                       json.dumps(["Abdellatif Hammouchi", "Hammouchi"], separators=(",", ":")), 2, "2024-05-05", "2024-06-01")]
    assert sorted((country, n) for _, country, n in valence) == [("ES", 1), ("FR", 1)]


def test_no_text_leaves_the_text_out(corpus, tmp_path):
    docs, _ = corpus
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(docs[0], ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "o.sqlite"
    assert cli("batch", path, "-o", out, "-q", "--no-text").exit_code == 0
    with sqlite3.connect(out) as db:
        assert db.execute("SELECT text FROM documents").fetchall() == [(None,)]


def test_the_api_batch_passes_meta_on(nlp):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from entityx.serve.app import create_app
    from entityx.serve.settings import Settings

    with TestClient(create_app(Settings())) as client:
        body = {"documents": [{"id": "x", "text": "La DGSN à Rabat.", "meta": {"outlet": "Le360", "published": "2024-05-05"}}]}
        doc = client.post("/v1/extract/batch", json=body).json()["documents"][0]
    assert doc["meta"] == body["documents"][0]["meta"] and doc["published_from"] == "meta"


def test_the_issues_own_examples(nlp):
    first = subprocess.run([sys.executable, "-m", "entityx", "extract", "-", "-f", "jsonl"], input=HEADLINED,
                           capture_output=True, text=True, cwd=ROOT, check=True)
    doc = json.loads(first.stdout)
    assert doc["published"] == "2024-05-08" and [m["norm"] for m in doc["entities"] if m["text"] == "hier"] == ["2024-05-07"]

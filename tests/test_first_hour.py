"""Issue 23: the first hour of a new user — feeding entityx any way the README says, and
reading what it gives back — each point on the real command."""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import warnings

import pytest
from conftest import ROOT
from typer.testing import CliRunner

import entityx
from entityx.cli import app

TEXT = "Rabat, le 5 septembre 2024 – La DGSN a interpellé du 3 au 4 septembre à Tanger un suspect recherché par Interpol."


def cli(*args, input=None, env=None):
    return CliRunner().invoke(app, [*map(str, args)], input=input, env=env)


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    lines = [{"id": f"d{n}", "text": TEXT, "meta": {"outlet": "Le360"}} for n in range(3)]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


# Feeding it.


def test_a_jsonl_file_is_a_corpus_without_being_told(nlp, corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    result = cli("batch", corpus, "-o", out, "-q")
    assert result.exit_code == 0 and "3 documents" in result.stderr
    assert [json.loads(line)["source"] for line in out.read_text().splitlines()] == ["d0", "d1", "d2"]
    whole = cli("batch", corpus, "--text", "-o", tmp_path / "whole.jsonl", "-q")
    assert whole.exit_code == 0 and "1 document," in whole.stderr


def test_batch_streams_jsonl_to_stdout(nlp, corpus, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(TEXT, encoding="utf-8")
    result = cli("batch", folder, "-o", "-", "-q")
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and [d["source"] for d in docs] == [str(folder / f"{n}.txt") for n in range(3)]
    assert "-> stdout" in result.stderr
    refused = cli("batch", folder, "-o", "-", "--resume")
    assert refused.exit_code == 2 and "--resume needs an output file" in refused.stderr


def test_the_library_takes_plain_strings_and_dates(nlp):
    docs = list(entityx.extract_many(["La DGSN à Rabat.", entityx.Text("hier", datetime.date(2024, 9, 5))]))
    assert [m.text for m in docs[0].entities] == ["DGSN", "Rabat"]
    assert docs[1].entities[0].norm == "2024-09-04"
    assert entityx.extract("hier", datetime.datetime(2024, 9, 5, 17, 30)).entities[0].norm == "2024-09-04"


def test_a_spacy_doc_gets_its_publication_date_before_the_pipeline_runs(nlp):
    docs = []
    for text in ("La DGSN a arrêté hier un suspect.", "Demain à Fès."):
        doc = nlp.make_doc(text)
        doc._.published = "2024-09-05"
        docs.append(doc)
    found = [[(e.text, e._.norm) for e in doc.ents if e.label_ == "DATE"] for doc in nlp.pipe(docs)]
    assert found == [[("hier", "2024-09-04")], [("Demain", "2024-09-06")]]


def test_a_minimal_kb_entry_is_enough(nlp, tmp_path):
    kb = tmp_path / "mine.jsonl"
    kb.write_text(json.dumps({"id": "ch-cvl", "name": "Cellule de veille du Léman", "acronyms": ["CVL"]}) + "\n")
    result = cli("extract", "-", "--kb", kb, "-f", "jsonl", input="La CVL a alerté la police genevoise.")
    assert result.exit_code == 0
    assert ("CVL", "ch-cvl") in [(m["text"], m["kb_id"]) for m in json.loads(result.stdout)["entities"]]
    listed = json.loads(cli("kb", "veille", "--kb", kb, "-f", "json").stdout)
    assert [(a["id"], a["kind"], a["country"]) for a in listed] == [("ch-cvl", "other", "international")]


def test_kb_refuses_an_unknown_country_and_reads_templates_as_a_reader_does():
    unknown = cli("kb", "--country", "XX")
    assert unknown.exit_code == 2 and "no ISO 3166 code" in unknown.stderr
    courts = json.loads(cli("kb", "cour d'appel", "--country", "MA", "-f", "json").stdout)
    assert courts and all("{PLACE}" not in a["name"] for a in courts)
    assert any(a["name"] == "Cour d'appel de (ville)" for a in courts)
    assert "ma-cour-appel" in {a["id"] for a in courts}  # the entry's own id, for machines


def test_kb_table_shows_a_templated_id_whole_and_per_city():
    table = cli("kb", "sûreté nationale", "--country", "TN", "-f", "table", env={"COLUMNS": "60"}).stdout
    assert "tn-district-surete:(ville)" in table and "…" not in table


def test_the_api_takes_text_and_says_send_json(nlp):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from entityx.serve.app import create_app
    from entityx.serve.settings import Settings

    with TestClient(create_app(Settings())) as client:
        plain = client.post("/v1/extract?published=2024-09-06&labels=ORG,DATE", content=TEXT.encode(),
                            headers={"Content-Type": "text/plain"})
        assert plain.status_code == 200
        assert {m["label"] for m in plain.json()["entities"]} == {"ORG", "DATE"}
        bare = client.post("/v1/extract", content=json.dumps({"text": TEXT}).encode())
        assert bare.status_code == 415 and "send JSON" in bare.json()["error"]
        schema = client.get("/openapi.json").json()
        extract = schema["paths"]["/v1/extract"]["post"]
        assert extract["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("DocumentOut")
        assert extract["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorOut")
        assert set(extract["requestBody"]["content"]) == {"application/json", "text/plain"}


# Reading it.


def test_tables_never_cut_values_and_pipes_get_tsv(nlp):
    table = cli("extract", "-", "-f", "table", "--mentions", input=TEXT)
    assert "2024-09-03/2024-09-04" in table.stdout and "…" not in table.stdout
    piped = subprocess.run([sys.executable, "-m", "entityx", "extract", "-"], input=TEXT, capture_output=True,
                           text=True, cwd=ROOT, check=True)
    lines = [line.split("\t") for line in piped.stdout.splitlines()]
    assert lines[0] == ["source", "name", "label", "aliases", "mentions", "norm", "kb_id"]
    assert ["-", "du 3 au 4 septembre", "DATE", "", "1", "2024-09-03/2024-09-04", ""] in lines
    assert any(row[6] == "ma-dgsn" for row in lines)


def test_json_gives_one_object_per_input_whatever_their_number(nlp, tmp_path):
    one = tmp_path / "a.txt"
    one.write_text(TEXT, encoding="utf-8")
    single = cli("extract", one, "-f", "json").stdout
    double = cli("extract", one, one, "-f", "json").stdout
    assert json.loads(single)["source"] == str(one)
    assert double.startswith(single) and double.count('\n{\n  "source"') == 1


def test_origin_says_where_a_label_came_from_and_source_still_reads(nlp):
    mention = entityx.extract(TEXT).to_dict()["entities"][0]
    assert mention["origin"] == mention["source"] and mention["origin"] in {"model", "model+gazetteer", "gazetteer"}


def test_counts_say_what_they_count_and_a_resume_with_nothing_to_do_has_no_rate(nlp, corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    first = cli("batch", corpus, "-o", out, "-q")
    docs = [json.loads(line) for line in out.read_text().splitlines()]
    mentions, entities = sum(len(d["entities"]) for d in docs), sum(len(d["groups"]) for d in docs)
    assert f"3 documents, {mentions} mentions, {entities} entities, 0 failed" in first.stderr
    again = cli("batch", corpus, "-o", out, "-q", "--resume")
    assert "(3 already there)" in again.stderr and "docs/s" not in again.stderr


def test_ctrl_c_says_resume_carries_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(400):
        (folder / f"{n:03d}.txt").write_text(TEXT * 20, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run = subprocess.Popen([sys.executable, "-m", "entityx", "batch", str(folder), "-o", str(out), "-q", "--jobs", "1"],
                           cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not os.path.exists(f"{out}.partial") or os.path.getsize(f"{out}.partial") == 0:
        assert time.monotonic() < deadline and run.poll() is None
        time.sleep(0.05)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130 and "run the same command with --resume to carry on" in stderr


def test_eval_warns_about_overlapping_gold_and_lists_its_format(nlp, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "La DGSN de Rabat.", "spans": [
        {"start": 3, "end": 7, "label": "ORG"}, {"start": 3, "end": 16, "label": "ORG"}]}) + "\n")
    result = cli("eval", gold, "-f", "json")
    assert result.exit_code == 0 and "spans 1 and 2 overlap" in result.stderr
    assert '"spans": [{"start", "end", "label", "norm"?, "ignore"?}]' in cli("eval", "--help").stdout.replace("\n", " ").replace("  ", " ")


def test_eval_shows_no_score_for_a_label_neither_in_the_gold_nor_found(nlp, tmp_path):
    """A minimal gold file without people: PER is '–', not a score of 0.000."""
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "La DGSN a arrêté hier à Tanger un suspect.",
                                "meta": {"published": "2024-09-05"},
                                "spans": [{"start": 3, "end": 7, "label": "ORG"},
                                          {"start": 17, "end": 21, "label": "DATE", "norm": "2024-09-04"},
                                          {"start": 24, "end": 30, "label": "LOC"}]}) + "\n")
    rows = {line.split()[1]: line for line in cli("eval", gold, "-f", "table", env={"COLUMNS": "120"}).stdout.splitlines()
            if line.startswith("│")}
    assert "–" in rows["PER"] and "0.000" not in rows["PER"]
    assert rows["micro"].count("1.000") == 6

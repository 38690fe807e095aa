"""The command line: formats, stdin, bad input, exit codes — with the real pipeline."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from conftest import ROOT, SEED_GOLD, SEED_TEXT
from typer.testing import CliRunner

import entityx
from entityx.cli import app

TEXT = "Rabat, le 5 septembre 2024 – La DGSN a interpellé hier à Tanger un suspect recherché par Interpol.\n"


@pytest.fixture(scope="module")
def runner():
    return CliRunner(env={"COLUMNS": "250"})  # wide enough that Rich never wraps a name


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "communique.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_json_equals_the_library(runner, article, nlp):
    result = runner.invoke(app, ["extract", str(article), "-f", "json"])
    assert result.exit_code == 0
    expected = entityx.extract(TEXT).to_dict()
    expected["source"] = str(article)
    assert json.loads(result.stdout) == expected


def test_stdin_is_dash(runner):
    result = runner.invoke(app, ["extract", "-", "-f", "json"], input=TEXT)
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["source"] == "-" and data["published"] == "2024-09-05"
    assert [e["text"] for e in data["entities"]] == ["Rabat", "5 septembre 2024", "DGSN", "hier", "Tanger", "Interpol"]
    assert data["entities"][3]["norm"] == "2024-09-04"


def json_texts(text: str) -> list:
    """The JSON texts of a sequence written one after another, as jq reads them."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while text[at:].strip():
        value, at = decoder.raw_decode(text, at + len(text[at:]) - len(text[at:].lstrip()))
        found.append(value)
    return found


def test_json_has_one_shape_for_one_input_or_several(runner, article, tmp_path):
    other = tmp_path / "b.txt"
    other.write_text("Le FBI et Europol coopèrent.", encoding="utf-8")
    one = runner.invoke(app, ["extract", str(article), "-f", "json"])
    two = runner.invoke(app, ["extract", str(article), str(other), "-f", "json"])
    lines = runner.invoke(app, ["extract", str(article), str(other), "-f", "jsonl"])
    assert json_texts(one.stdout) == json_texts(two.stdout)[:1]  # an object per input, whatever their number
    assert [d["source"] for d in json_texts(two.stdout)] == [str(article), str(other)]
    assert [json.loads(line) for line in lines.stdout.splitlines()] == json_texts(two.stdout)


def test_csv_reads_back_to_the_same_mentions(runner, article):
    result = runner.invoke(app, ["extract", str(article), "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    doc = entityx.extract(TEXT)
    assert [(r["label"], r["text"], int(r["start"]), int(r["end"]), r["norm"] or None) for r in rows] == \
        [(m.label, m.text, m.start, m.end, m.norm) for m in doc.entities]
    assert list(rows[0])[:7] == ["source", "published", "published_from", "text", "label", "start", "end"]


def test_csv_cells_never_become_formulas():
    from entityx.writers import safe_cell

    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and safe_cell("+33") == "'+33"
    assert safe_cell("DGSN") == "DGSN" and safe_cell("-") == "-"


def test_output_file(runner, article, tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(article), "-f", "jsonl", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["source"] == str(article)


def test_table_shows_groups_and_mentions(runner, article):
    grouped = runner.invoke(app, ["extract", str(article)])
    each = runner.invoke(app, ["extract", str(article), "--mentions"])
    assert "Direction générale de la Sûreté nationale" in grouped.stdout and "DGSN" in each.stdout
    assert "2024-09-04" in each.stdout


def test_labels_choose(runner, article):
    result = runner.invoke(app, ["extract", str(article), "-f", "json", "--labels", "DATE"])
    assert {e["label"] for e in json.loads(result.stdout)["entities"]} == {"DATE"}


@pytest.mark.parametrize("quote, encoding", [("’", "cp1252"), ("'", "latin-1")])
def test_windows_1252_and_latin_1_are_decoded_and_reported_truthfully(runner, tmp_path, quote, encoding):
    path = tmp_path / "legacy.txt"
    text = f"La Sûreté nationale a arrêté un Algérien à Fès, selon la DGSN{quote}s."
    path.write_bytes(text.encode("cp1252"))  # only cp1252 has ’ (0x92); the rest is Latin-1 too
    data = json.loads(runner.invoke(app, ["extract", str(path), "-f", "json"]).stdout)
    assert data["encoding"] == encoding and "Sûreté nationale" in [e["text"] for e in data["entities"]]


def test_bom_is_removed_and_offsets_count_from_the_text(runner, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "La DGSN a parlé.".encode())
    data = json.loads(runner.invoke(app, ["extract", str(path), "-f", "json"]).stdout)
    assert data["encoding"] == "utf-8-sig" and data["entities"][0]["start"] == 3


def test_bad_inputs_are_reported_and_the_rest_processed(runner, article, tmp_path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(tmp_path / "missing.txt"), str(binary), str(tmp_path),
                                 str(empty), str(article), "-f", "jsonl"])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 3 and all(e.startswith("Error: ") for e in errors)
    assert "no such file" in errors[0] and "binary" in errors[1] and "directory" in errors[2]
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["source"] for d in docs] == [str(empty), str(article)] and docs[0]["entities"] == []


def test_empty_file_is_fine(runner, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["entities"] == []


@pytest.mark.parametrize("args", [["extract", "x.txt", "-f", "yaml"], ["extract", "x.txt", "--labels", "FOO"],
                                  ["extract", "x.txt", "--published", "2024-13"], ["extract"]])
def test_bad_options_are_usage_errors(runner, args):
    assert runner.invoke(app, args).exit_code == 2


def test_malformed_pattern_file_names_the_line(runner, article, tmp_path):
    patterns = tmp_path / "p.jsonl"
    patterns.write_text('{"label": "ORG", "pattern": "Atlas"}\n{"label": "ORG"\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--patterns", str(patterns)])
    assert result.exit_code == 2 and f"{patterns}:2" in result.stderr


def test_summary_lists_recurring_entities(runner, article, tmp_path):
    other = tmp_path / "b.txt"
    other.write_text("La DGSN et Interpol ont signé un accord à Rabat.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), str(other), "-f", "jsonl", "--summary"])
    assert len(result.stdout.splitlines()) == 2  # stdout stays data
    assert "Direction générale de la Sûreté nationale" in result.stderr
    assert "Organisation internationale de police criminelle" in result.stderr  # Interpol


def test_kb_lists_and_searches(runner):
    found = json.loads(runner.invoke(app, ["kb", "sûreté nationale", "--country", "MA", "-f", "json"]).stdout)
    assert [a["id"] for a in found] == ["ma-dgsn"]
    assert len(json.loads(runner.invoke(app, ["kb", "-f", "json"]).stdout)) >= 150


@pytest.mark.corpus
def test_eval_agrees_with_the_reference_scorer(runner, corpus_folder, tmp_path):
    shared = corpus_folder
    predictions = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["eval", str(SEED_GOLD), "-f", "json", "--predictions", str(predictions)])
    ours = json.loads(result.stdout)
    scorer = subprocess.run([sys.executable, str(shared / "tools" / "score.py"), str(SEED_GOLD), str(predictions)],
                            capture_output=True, text=True, check=True).stdout
    micro = scorer.strip().splitlines()[-1]
    assert f"strictF={ours['labels']['micro']['f1']:.3f}" in micro
    assert f"lenientF={ours['labels']['micro']['lenient_f1']:.3f}" in micro
    assert f"norm accuracy {ours['norm_exact']}/{ours['norm_total']}" in scorer


def test_eval_lists_errors_in_context(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    text = "La DGSN a arrêté hier à Tanger un suspect."
    spans = [{"start": 3, "end": 7, "label": "ORG"}, {"start": 17, "end": 21, "label": "DATE", "norm": "2024-09-04"},
             {"start": 24, "end": 30, "label": "PER"}]
    gold.write_text(json.dumps({"id": "d", "text": text, "meta": {"published": "2024-09-05"}, "spans": spans}) + "\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold), "--errors"])
    assert result.exit_code == 0
    assert "FN\tPER\td\tTanger\tLa DGSN a arrêté hier à [Tanger] un suspect." in result.stdout
    assert "FP\tLOC\td\tTanger" in result.stdout and "DATE norm exact: 1/1" in result.stdout


def test_eval_refuses_a_malformed_gold_file(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "d", "text": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold)])
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and ":1:" in result.stderr


def test_broken_pipe_ends_quietly(tmp_path, nlp):
    copies = 250  # each document's JSON outgrows the pipe buffer (64 KiB) several times over
    assert len(json.dumps(entityx.extract(TEXT * 10).to_dict())) * copies / 10 > 3 * 2**16
    big = tmp_path / "big.txt"
    big.write_text(TEXT * copies, encoding="utf-8")
    command = f"{sys.executable} -m entityx extract {big} {big} {big} -f jsonl | head -c 100"
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert done.stderr == "" and len(done.stdout) == 100


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"entityx {entityx.__version__}\n"


def test_python_dash_m(article):
    done = subprocess.run([sys.executable, "-m", "entityx", "extract", str(article), "-f", "json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0 and json.loads(done.stdout)["entities"]


@pytest.mark.corpus
def test_reference_article_through_the_cli_scores_what_it_scores(runner, corpus_folder, tmp_path):
    out = tmp_path / "seed.json"
    runner.invoke(app, ["extract", str(SEED_TEXT), "-f", "json", "-o", str(out)])
    scorer = subprocess.run([sys.executable, str(corpus_folder / "tools" / "score.py"), str(SEED_GOLD),
                             str(out), "--labels", "PER,ORG,LOC"], capture_output=True, text=True,
                            check=True).stdout
    assert float(scorer.split("strictF=")[1].split()[0]) == 1.0  # the README's 1.000


def test_reference_article_through_the_cli_finds_every_gold_span(runner, tmp_path):
    """Without the reference scorer: eval's counts equal the gold's own, with no error."""
    result = runner.invoke(app, ["eval", str(SEED_GOLD), "-f", "json", "--labels", "PER,ORG,LOC"])
    scores = json.loads(result.stdout)["labels"]
    gold = [json.loads(line) for line in SEED_GOLD.read_text(encoding="utf-8").splitlines()]
    support = {label: sum(s["label"] == label for d in gold for s in d["spans"]) for label in ("PER", "ORG", "LOC")}
    assert {label: scores[label]["support"] for label in support} == support
    assert scores["micro"]["f1"] == 1.0

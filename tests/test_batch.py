"""``entityx batch`` on the real model: bad files recorded, good ones kept, every output format,
JSONL input, the same output whatever --jobs, and resuming after a partial output or a kill."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DEVSET, ROOT, read_jsonl
from typer.testing import CliRunner

from entityx import extract_many
from entityx.cli import app
from entityx.model import Text

GOOD = {
    "a/communique.txt": "Rabat, le 5 septembre 2024 – La DGSN a interpellé hier à Tanger un suspect recherché par Interpol.\n",
    "a/notes.txt": "Le FBI et Europol coopèrent avec la police de Lyon depuis mars 2023.\n",
    "b/deep/visite.txt": "Emmanuel Macron a reçu Olaf Scholz à l'Élysée le 12 janvier 2024.\n",
    "z.txt": "La gendarmerie de Marseille a saisi deux tonnes de résine le 3 juin 2022.\n",
}
CP1252 = "Angela Merkel a visité Besançon en février 2016 : l’accueil fut chaleureux.\n"  # ’: cp1252 only


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def batch(runner, *args, input=None):
    return runner.invoke(app, ["batch", *map(str, args), "-q"], input=input)


@pytest.fixture
def folder(tmp_path):
    """Good articles, plus one of each kind of bad file, in nested folders."""
    root = tmp_path / "in"
    for name, text in GOOD.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "a/windows.txt").write_bytes(CP1252.encode("cp1252"))
    (root / "a/empty.txt").write_bytes(b"")
    (root / "b/binary.txt").write_bytes(bytes(range(256)) * 4)
    (root / "b/gone.txt").symlink_to(root / "nowhere")  # unreadable even for root
    (root / "b/readme.md").write_text(
        "Paris, pas lu : ne correspond pas au motif.", encoding="utf-8"
    )
    if os.geteuid() != 0:  # root reads chmod 000 files anyway
        locked = root / "a/locked.txt"
        locked.write_text("Secret.", encoding="utf-8")
        locked.chmod(0)
    return root


def expected_errors(root: Path) -> dict[str, str]:
    errors = {
        "b/binary.txt": "binary file, not text",
        "b/gone.txt": "no such file",
    }
    if os.geteuid() != 0:
        errors["a/locked.txt"] = "permission denied"
    return {str(root / name): error for name, error in errors.items()}


def library(root: Path, names) -> dict[str, dict]:
    """What the library gives for the same files: the batch must give exactly this."""
    texts = [Text(GOOD.get(n, "" if "empty" in n else CP1252), source=str(root / n)) for n in names]
    return {doc.source: doc.to_dict() for doc in extract_many(texts)}


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_bad_files_are_recorded_and_good_ones_kept(runner, folder, tmp_path, nlp, monkeypatch):
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr("entityx.batch.pool.ProcessPoolExecutor", None)  # one job: no subprocess
    result = batch(runner, folder, "-o", out, "--jobs", "1")
    assert result.exit_code == 1
    docs = lines(out)
    sources = [d["source"] for d in docs]
    assert sources == sorted(sources, key=lambda s: Path(s).parts)  # sorted walk, .md not matched
    errors = expected_errors(folder)
    assert {d["source"]: d["error"] for d in docs if "error" in d} == errors
    good = {d["source"]: d for d in docs if "error" not in d}
    expected = library(folder, [*GOOD, "a/windows.txt", "a/empty.txt"])
    expected[str(folder / "a/windows.txt")]["encoding"] = "cp1252"
    assert good[str(folder / "a/empty.txt")]["entities"] == []  # empty is no failure
    assert good == expected
    mentions, entities = (sum(len(d[key]) for d in docs) for key in ("entities", "groups"))
    assert f"{len(docs)} documents, {mentions} mentions, {entities} entities, {len(errors)} failed" in result.stderr
    assert not Path(f"{out}.partial").exists()


def test_csv_and_sqlite_hold_the_same_documents(runner, folder, tmp_path, nlp):
    batch(runner, folder, "-o", tmp_path / "out.jsonl", "--jobs", "1")
    docs = lines(tmp_path / "out.jsonl")

    assert batch(runner, folder, "-o", tmp_path / "out.csv").exit_code == 1
    rows = list(
        csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"), newline=""))
    )
    mentions = [
        (d["source"], m["label"], m["text"], str(m["start"])) for d in docs for m in d["entities"]
    ]
    assert [
        (r["source"], r["label"], r["text"], r["start"]) for r in rows if r["label"]
    ] == mentions
    documents = [(r["source"], r["error"]) for r in rows if not r["label"]]
    assert (str(folder / "a/empty.txt"), "") in documents  # no entity, still its row
    assert {r["source"] for r in rows} == {d["source"] for d in docs}  # a row for every document
    assert {r["source"]: r["error"] for r in rows if r["error"]} == expected_errors(folder)

    assert batch(runner, folder, "-o", tmp_path / "out.sqlite").exit_code == 1
    db = sqlite3.connect(tmp_path / "out.sqlite")
    stored = db.execute("SELECT source, error, n_entities FROM documents ORDER BY id").fetchall()
    assert stored == [(d["source"], d.get("error"), len(d["entities"])) for d in docs]
    query = "SELECT label, text, start, end, norm, kb_id, group_id FROM mentions ORDER BY document_id, rowid"
    assert db.execute(query).fetchall() == [
        (m["label"], m["text"], m["start"], m["end"], m["norm"], m["kb_id"], m["group"])
        for d in docs
        for m in d["entities"]
    ]
    name, aliases = db.execute(
        "SELECT name, aliases FROM entities WHERE kb_id = 'ma-dgsn'"
    ).fetchone()
    assert name == "Direction générale de la Sûreté nationale" and json.loads(aliases) == ["DGSN"]
    assert (
        db.execute("SELECT norms FROM entities WHERE label = 'DATE' LIMIT 1")
        .fetchone()[0]
        .startswith('["')
    )
    if shutil.which("sqlite3"):
        shell = subprocess.run(
            [
                "sqlite3",
                str(tmp_path / "out.sqlite"),
                "SELECT text FROM mentions WHERE label = 'ORG' ORDER BY text",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert shell.stdout.splitlines() == sorted(m[2] for m in mentions if m[1] == "ORG")


def test_jsonl_input_from_a_file_and_from_stdin(runner, tmp_path, nlp):
    records = [
        {
            "id": "d1",
            "text": "La DGSN a interpellé hier à Tanger un suspect.",
            "meta": {"published": "2024-09-05"},
        },
        "{not json",
        {"id": "d2", "text": "Le FBI enquête à Lyon depuis hier.", "meta": {"published": "hier"}},
        {"id": "d3", "text": "Europol et Interpol à La Haye."},
    ]
    source = tmp_path / "docs.jsonl"
    source.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
        encoding="utf-8",
    )
    from_file = batch(
        runner, "--jsonl", source, "-o", tmp_path / "file.jsonl", "--published", "2020-01-01"
    )
    from_stdin = batch(
        runner,
        "-",
        "-o",
        tmp_path / "stdin.jsonl",
        "--published",
        "2020-01-01",
        input=source.read_text(),
    )
    assert from_file.exit_code == from_stdin.exit_code == 1
    docs = lines(tmp_path / "file.jsonl")
    assert [d["source"] for d in docs] == ["d1", f"{source}:2", "d2", "d3"]
    assert next(m for m in docs[0]["entities"] if m["text"] == "hier")["norm"] == "2024-09-04"
    assert "not a JSONL document" in docs[1]["error"] and "YYYY" in docs[2]["error"]
    assert docs[3]["published"] == "2020-01-01" and "error" not in docs[3]
    from_stdin = lines(tmp_path / "stdin.jsonl")
    assert from_stdin[1]["source"] == "-:2" and from_stdin[1]["error"].startswith(
        "-:2: not a JSONL document"
    )
    assert from_stdin[:1] + from_stdin[2:] == docs[:1] + docs[2:]


def durability_corpus(root: Path) -> None:
    """60 articles as .txt files, from the development set's sources (tests/devset): each
    whole article, then its paragraphs one a file until there are 60."""
    texts = [doc["text"] for doc in read_jsonl(DEVSET)]
    paragraphs = [p for text in texts for p in text.split("\n\n") if len(p) > 200]
    for number, text in enumerate((texts + paragraphs)[:60]):
        (root / f"{number:03d}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    """60 articles as .txt files, and their uninterrupted batch output (one job)."""
    root = tmp_path_factory.mktemp("articles")
    durability_corpus(root)
    (root / "broken.txt").symlink_to(root / "nowhere")
    out = root.parent / f"{root.name}-reference.jsonl"
    result = CliRunner().invoke(app, ["batch", str(root), "-o", str(out), "--jobs", "1", "-q"])
    assert result.exit_code == 1 and len(lines(out)) == 61
    return root, out


def test_two_jobs_write_what_one_job_writes(runner, articles, tmp_path):
    root, reference = articles
    assert batch(runner, root, "-o", tmp_path / "two.jsonl", "--jobs", "2").exit_code == 1
    assert (tmp_path / "two.jsonl").read_bytes() == reference.read_bytes()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_resume_after_a_torn_output_gives_the_uninterrupted_one(runner, articles, tmp_path, suffix):
    root, _ = articles
    whole = tmp_path / f"whole{suffix}"
    batch(runner, root, "-o", whole, "--jobs", "2")
    out = tmp_path / f"torn{suffix}"
    content = whole.read_bytes()
    ends = [i for i, byte in enumerate(content) if byte == ord("\n")]
    cut = ends[len(ends) // 2] + 1
    out.write_bytes(content[:cut] + content[cut : cut + 40])  # half the lines and a bit more
    Path(f"{out}.journal").write_bytes(Path(f"{whole}.journal").read_bytes())
    result = batch(runner, root, "-o", out, "--resume", "--jobs", "2")
    assert result.exit_code == 1 and "already there" in result.stderr
    assert out.read_bytes() == content


def test_resume_after_a_killed_sqlite_run_gives_the_uninterrupted_one(runner, articles, tmp_path):
    root, _ = articles
    whole, out = tmp_path / "whole.db", tmp_path / "torn.db"
    batch(runner, root, "-o", whole, "--jobs", "2")
    batch(runner, root, "-o", out, "--jobs", "2")
    with sqlite3.connect(out) as db:  # as after a kill: the transactions of the first 20 documents
        for table, column in (
            ("mentions", "document_id"),
            ("entities", "document_id"),
            ("documents", "id"),
        ):
            db.execute(f"DELETE FROM {table} WHERE {column} > 20")
    assert batch(runner, root, "-o", out, "--resume").exit_code == 1

    def dump(path):
        with sqlite3.connect(path) as db:
            return [
                db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
                for table in ("documents", "mentions", "entities")
            ]

    assert dump(out) == dump(whole)


def test_resume_redoes_a_changed_file_and_drops_a_removed_one(runner, folder, tmp_path, nlp):
    out = tmp_path / "out.jsonl"
    batch(runner, folder, "-o", out, "--jobs", "1")
    (folder / "a/notes.txt").write_text(
        "Le parquet de Nantes a ouvert une enquête.", encoding="utf-8"
    )
    (folder / "z.txt").unlink()
    batch(runner, folder, "-o", out, "--resume", "--drop-missing")
    fresh = tmp_path / "fresh.jsonl"
    batch(runner, folder, "-o", fresh)
    key = lambda d: d["source"]
    assert sorted(lines(out), key=key) == sorted(lines(fresh), key=key)
    assert lines(out) == lines(fresh)  # a redone input goes back to its place


def test_resume_refuses_other_options(runner, folder, tmp_path, nlp):
    out = tmp_path / "out.sqlite"
    batch(runner, folder, "-o", out)
    result = batch(runner, folder, "-o", out, "--resume", "--labels", "PER")
    assert result.exit_code == 1 and "other options (labels)" in result.stderr


def test_an_unknown_output_format_is_refused(runner, folder, tmp_path):
    result = batch(runner, folder, "-o", tmp_path / "out.txt")
    assert result.exit_code == 2 and "must end in .jsonl, .csv, .sqlite, .db" in result.stderr
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_killed_run_leaves_whole_lines_and_resumes(articles, tmp_path, signum, runner):
    root, reference = articles
    out = tmp_path / "out.jsonl"
    out.write_text("the previous output\n")
    partial = Path(f"{out}.partial")
    command = [
        sys.executable,
        "-m",
        "entityx",
        "batch",
        str(root),
        "-o",
        str(out),
        "--jobs",
        "2",
        "-q",
    ]
    run = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while (
        not (partial.exists() and partial.read_bytes().count(b"\n")) and time.monotonic() < deadline
    ):
        time.sleep(0.02)
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 128 + signum and "Error: interrupted" in stderr
    assert out.read_text() == "the previous output\n"  # replaced only when a run completes
    written = partial.read_text(encoding="utf-8").splitlines()
    assert 0 < len(written) < 61 and all(json.loads(line) for line in written)
    assert batch(runner, root, "-o", out, "--resume", "--jobs", "2").exit_code == 1
    assert out.read_bytes() == reference.read_bytes() and not partial.exists()

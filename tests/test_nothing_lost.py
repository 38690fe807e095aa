"""Issue 22, data loss and corruption: locks by file identity, a user's own SQLite database,
documents already taken by ``extract_many``, and resumed runs in input order."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import entityx
from entityx.batch.lock import exclusive
from entityx.cli import app

TEXTS = [f"Rabat, le {n} mars 2024 – La DGSN a interpellé à Tanger le suspect numéro {n}.\n" for n in range(1, 11)]


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def batch(runner, *args):
    return runner.invoke(app, ["batch", *map(str, args), "-q", "--jobs", "1"])


@pytest.fixture
def folder(tmp_path, nlp):
    root = tmp_path / "in"
    root.mkdir()
    for number, text in enumerate(TEXTS):
        (root / f"{number:02d}.txt").write_text(text, encoding="utf-8")
    return root


def rows(path: Path) -> list:
    with sqlite3.connect(path) as db:
        return [db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in ("documents", "mentions", "entities")]


# 1. The lock follows the file, not the name.


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".sqlite"])
def test_another_name_for_a_locked_output_is_refused(runner, folder, tmp_path, link, suffix):
    out = tmp_path / f"out{suffix}"
    assert batch(runner, folder, "-o", out).exit_code == 0
    before = out.read_bytes()
    other = tmp_path / f"other{suffix}"
    (other.symlink_to if link == "symlink" else other.hardlink_to)(out)
    with exclusive(out):  # a batch on out is running
        result = batch(runner, folder, "-o", other, "--resume")
    assert result.exit_code == 1 and "is being written by another entityx batch" in result.stderr
    assert out.read_bytes() == before


def test_a_batch_through_a_symlink_writes_the_file_it_names(runner, folder, tmp_path):
    out, link = tmp_path / "real.jsonl", tmp_path / "link.jsonl"
    out.write_text("old\n")
    link.symlink_to(out)
    assert batch(runner, folder, "-o", link).exit_code == 0
    assert link.is_symlink() and len(out.read_text().splitlines()) == 10


# 2. A fresh batch never replaces a database it did not make.


def test_a_fresh_batch_refuses_a_users_database(runner, folder, tmp_path):
    mine = tmp_path / "mine.sqlite"
    with sqlite3.connect(mine) as db:
        db.execute("CREATE TABLE invoices (id INTEGER, amount REAL)")
        db.execute("INSERT INTO invoices VALUES (1, 99.5)")
    before = mine.read_bytes()
    result = batch(runner, folder, "-o", mine)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "tables invoices" in result.stderr and "--overwrite" in result.stderr
    assert mine.read_bytes() == before and not Path(f"{mine}.partial").exists()
    assert batch(runner, folder, "-o", mine, "--overwrite").exit_code == 0
    assert len(rows(mine)[0]) == 10


def test_a_file_that_is_no_database_is_refused_too(runner, folder, tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("my notes, not a database\n")
    result = batch(runner, folder, "-o", notes)
    assert result.exit_code == 1 and "not a SQLite database" in result.stderr
    assert notes.read_text() == "my notes, not a database\n"


def test_a_database_whose_name_holds_uri_characters_is_replaced_as_itself(runner, folder, tmp_path):
    """'#' and '?' in a file name are no URI syntax: the batch's own database is recognised,
    and nothing is made beside it."""
    out = tmp_path / "out#1?.sqlite"
    assert batch(runner, folder, "-o", out).exit_code == 0
    assert batch(runner, folder, "-o", out).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out#1?.sqlite"]


@pytest.mark.parametrize("suffix", [".sqlite", ".parquet"])
def test_meta_keys_that_differ_in_case_share_a_column_and_lose_nothing(runner, tmp_path, nlp, suffix):
    corpus = tmp_path / "corpus.jsonl"
    lines = [{"id": "a", "text": TEXTS[0], "meta": {"Title": "Premier", "outlet": "Le360"}},
             {"id": "b", "text": TEXTS[1], "meta": {"title": "Second"}}]
    corpus.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / f"out{suffix}"
    result = batch(runner, corpus, "-o", out)
    assert result.exit_code == 0, result.stderr
    if suffix == ".sqlite":
        with sqlite3.connect(out) as db:
            found = db.execute("SELECT source, meta_title, meta FROM documents ORDER BY id").fetchall()
        assert [(s, t) for s, t, _ in found] == [("a", "Premier"), ("b", "Second")]
        assert json.loads(found[0][2]) == lines[0]["meta"]
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(out).to_pylist()
        assert {(r["source"], r["meta_title"]) for r in table} == {("a", "Premier"), ("b", "Second")}


def test_replacing_a_database_waits_for_its_writer_and_keeps_its_journal(runner, folder, tmp_path):
    out = tmp_path / "out.sqlite"
    assert batch(runner, folder, "-o", out).exit_code == 0
    # Another program writes in the old database: its journal must survive our replacing it.
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"db = sqlite3.connect({str(out)!r}, isolation_level=None)\n"
        "db.execute('BEGIN EXCLUSIVE'); db.execute(\"INSERT INTO batch VALUES ('x')\")\n"
        "print('inside', flush=True); time.sleep(2)\n"
        "db.execute('COMMIT'); print('committed', flush=True)\n"
    )], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stdout.readline() == "inside\n"
    assert Path(f"{out}-journal").exists()
    result = batch(runner, folder, "-o", out)
    out_, err = writer.communicate(timeout=60)
    assert writer.returncode == 0 and out_ == "committed\n", err
    assert result.exit_code == 0 and len(rows(out)[0]) == 10


# 3. extract_many gives every document whose text it took.


@pytest.mark.parametrize("before_error", [2, 70])
def test_extract_many_yields_what_it_took_before_the_inputs_fail(nlp, before_error):
    def texts():
        for number in range(before_error):
            yield entityx.Text(f"La DGSN a arrêté {number} suspects à Rabat.", source=str(number))
        raise OSError("the archive went away")

    got = []
    with pytest.raises(OSError, match="went away"):
        got.extend(entityx.extract_many(texts()))
    assert [d.source for d in got] == [str(n) for n in range(before_error)]
    assert all(any(m.text == "DGSN" for m in d.entities) for d in got)


def test_a_malformed_date_loses_no_document_before_it(nlp):
    texts = [entityx.Text("La DGSN à Rabat.", "2024-05-02", "a"), entityx.Text("Tanger.", "2024-13", "b")]
    got = []
    with pytest.raises(ValueError, match="no month 13"):
        for doc in entityx.extract_many(texts):
            got.append(doc.source)
    assert got == ["a"]


def test_a_document_that_fails_keeps_what_is_known_of_it():
    """Its meta (id, title, url…) and date reach every output, beside the error."""
    from entityx.batch.work import failure

    text = entityx.Text("…", "2024-05-08", source="a1", meta={"title": "Titre", "url": "https://x.ma/a1"},
                        published_from="meta")
    doc = failure("a1", "cannot process (ValueError): boom", text).to_dict()
    assert doc["meta"] == {"title": "Titre", "url": "https://x.ma/a1"}
    assert (doc["published"], doc["published_from"], doc["error"]) == \
        ("2024-05-08", "meta", "cannot process (ValueError): boom")


# 4. A resumed run equals an uninterrupted one, in order too.


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".sqlite"])
def test_a_resume_after_an_input_changed_keeps_the_input_order(runner, folder, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    assert batch(runner, folder, "-o", out).exit_code == 0
    with (folder / "02.txt").open("a", encoding="utf-8") as third:
        third.write("Interpol a été informée.\n")
    assert batch(runner, folder, "-o", out, "--resume").exit_code == 0
    fresh = tmp_path / f"fresh{suffix}"
    assert batch(runner, folder, "-o", fresh).exit_code == 0
    if suffix == ".sqlite":
        assert rows(out) == rows(fresh)
    else:
        assert out.read_bytes() == fresh.read_bytes()


def test_a_resumed_corpus_with_duplicate_ids_keeps_its_order(runner, tmp_path, nlp):
    corpus = tmp_path / "corpus.jsonl"

    def write(texts):
        corpus.write_text("".join(json.dumps({"id": "same", "text": t}) + "\n" for t in texts))

    write(TEXTS[:6])
    out = tmp_path / "out.jsonl"
    assert batch(runner, corpus, "--jsonl", "-o", out).exit_code == 0
    write([*TEXTS[:2], TEXTS[9], *TEXTS[3:6]])  # the third document changed
    assert batch(runner, corpus, "--jsonl", "-o", out, "--resume").exit_code == 0
    fresh = tmp_path / "fresh.jsonl"
    assert batch(runner, corpus, "--jsonl", "-o", fresh).exit_code == 0
    assert out.read_bytes() == fresh.read_bytes()

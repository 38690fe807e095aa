"""SQLite output of ``entityx batch``, for the ``sqlite3`` shell, any SQL tool and ``entityx explore``.

Tables:

* ``documents``: one row per input (``error`` set when it failed), its ``published`` and
  where that came from, its JSONL ``meta`` as JSON and each meta key as a column
  ``meta_<key>`` (added as keys appear), and its ``text`` unless the batch was told
  ``--no-text``; ``documents_fts`` indexes the texts (FTS5, accents ignored);
* ``mentions``: every entity mention, like the JSON ``entities``, with its entity's ``name``,
  ``salience`` and corpus-wide ``entity_id``;
* ``entities``: mentions grouped per real-world entity of a document, like the JSON
  ``groups`` (list columns hold JSON), with ``entity_id``;
* ``corpus_entities``: one row per entity of the whole corpus (see :mod:`entityx.corpus`):
  ``id``, ``label``, ``name``, ``aliases``, ``documents``, ``mentions``, first and last
  ``published``; built when the run completes;
* ``batch``: the options, for resuming.

Each chunk of documents is one transaction, so a kill leaves whole documents only.

Example::

    sqlite3 entities.sqlite "SELECT name, documents FROM corpus_entities WHERE label = 'ORG'
                             ORDER BY documents DESC LIMIT 10"
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from entityx import flat
from entityx.corpus import identity, join_partial_names
from entityx.sinks.base import Outcome, Record, SinkError, check_settings

SCHEMA = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, content_hash TEXT, encoding TEXT,
    published TEXT, published_from TEXT, error TEXT, n_entities INTEGER NOT NULL, n_groups INTEGER,
    meta TEXT, text TEXT
);
CREATE TABLE mentions (
    document_id INTEGER NOT NULL REFERENCES documents(id), group_id TEXT, label TEXT NOT NULL,
    text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, norm TEXT, earliest TEXT,
    latest TEXT, kb_id TEXT, country TEXT, lat REAL, lon REAL, origin TEXT, confidence REAL,
    name TEXT, salience REAL, entity_id TEXT
);
CREATE TABLE entities (
    document_id INTEGER NOT NULL REFERENCES documents(id), group_id TEXT NOT NULL,
    label TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL, mentions INTEGER NOT NULL,
    first INTEGER NOT NULL, salience REAL NOT NULL, kb_id TEXT, country TEXT, lat REAL, lon REAL,
    norms TEXT, entity_id TEXT NOT NULL
);
CREATE TABLE corpus_entities (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL,
    documents INTEGER NOT NULL, mentions INTEGER NOT NULL, first_published TEXT,
    last_published TEXT, kb_id TEXT, country TEXT, lat REAL, lon REAL
);
CREATE VIRTUAL TABLE documents_fts USING fts5(text, content='documents', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE TABLE batch (settings TEXT NOT NULL);
CREATE INDEX documents_source ON documents(source);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_id_published ON documents(id, published);
CREATE INDEX mentions_document ON mentions(document_id);
CREATE INDEX mentions_label ON mentions(label);
CREATE INDEX mentions_text ON mentions(text);
CREATE INDEX mentions_kb_id ON mentions(kb_id);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_days ON mentions(earliest, latest);
CREATE INDEX entities_document ON entities(document_id);
CREATE INDEX entities_label ON entities(label);
CREATE INDEX entities_name ON entities(name);
CREATE INDEX entities_kb_id ON entities(kb_id);
CREATE INDEX entities_entity ON entities(entity_id, document_id, mentions);
CREATE INDEX entities_document_entity ON entities(document_id, entity_id, label);
CREATE INDEX corpus_entities_label ON corpus_entities(label, documents)
"""
# Each entity of the corpus: its most used name (the longest among ties), every form it was
# written in, how many documents and mentions, and the first and last publication dates.
CORPUS_ENTITIES = """
WITH names AS (SELECT entity_id, name, count(*) AS n FROM entities GROUP BY entity_id, name),
best AS (SELECT entity_id, name FROM (SELECT entity_id, name, row_number() OVER (
         PARTITION BY entity_id ORDER BY n DESC, length(name) DESC, name) AS r FROM names) WHERE r = 1),
forms AS (SELECT e.entity_id, json_group_array(DISTINCT a.value) AS aliases
          FROM entities e, json_each(e.aliases) a GROUP BY e.entity_id),
totals AS (SELECT e.entity_id, max(e.label) AS label, count(DISTINCT e.document_id) AS documents,
           sum(e.mentions) AS mentions, min(d.published) AS first_published,
           max(d.published) AS last_published, max(e.kb_id) AS kb_id, max(e.country) AS country,
           max(e.lat) AS lat, max(e.lon) AS lon
           FROM entities e JOIN documents d ON d.id = e.document_id GROUP BY e.entity_id)
INSERT INTO corpus_entities
SELECT t.entity_id, t.label, b.name, f.aliases, t.documents, t.mentions, t.first_published,
       t.last_published, t.kb_id, t.country, t.lat, t.lon
FROM totals t JOIN best b USING (entity_id) JOIN forms f USING (entity_id)
"""
MENTION_COLUMNS = ["group_id", "label", "text", "start", "end", "norm", "earliest", "latest", "kb_id",
                   "country", "lat", "lon", "origin", "confidence", "name", "salience", "entity_id"]


class SqliteSink:
    """A :class:`~entityx.sinks.base.Sink` whose records are located by their ``documents.id``."""

    def __init__(self, path: Path, final: Path, settings: dict, fresh: bool, keep_text: bool = True) -> None:
        self.path, self.final, self.keep_text = path, final, keep_text
        if fresh:
            remove(path, *companions(path))
        try:
            self.db = sqlite3.connect(path)
        except sqlite3.Error as exc:
            raise SinkError(f"{path}: {exc}") from None
        try:
            tables = {
                row[0]
                for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables:
                self.create(settings)
            elif "batch" not in tables:
                raise SinkError(f"cannot resume {path}: not a database made by entityx batch")
            (stored,) = self.db.execute("SELECT settings FROM batch").fetchone()
            check_settings(path, json.loads(stored), settings)
            rows = self.db.execute(
                "SELECT source, content_hash, n_entities, error IS NOT NULL, id, n_groups FROM documents ORDER BY id"
            )
            self.records: list[Record[int]] = [
                Record(*row[:3], bool(row[3]), row[4], row[5] or 0) for row in rows
            ]
            self.meta_columns = {row[1].lower() for row in self.db.execute("PRAGMA table_info(documents)")
                                 if row[1].startswith("meta_")}
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise SinkError(f"{path}: {exc}" if fresh else f"cannot resume {path}: {exc}") from None
        except SinkError:
            self.db.close()
            raise

    def create(self, settings: dict) -> None:
        """Tables, indexes and options in one transaction: a kill leaves all of them or none."""
        with self.db:
            self.db.execute("BEGIN")
            for statement in SCHEMA.split(";"):
                self.db.execute(statement)
            self.db.execute("INSERT INTO batch VALUES (?)", (json.dumps(settings),))

    def arrange(self, records: list[Record[int]]) -> None:
        """Make the output hold exactly ``records``, in this order, numbered 1, 2, … as an
        uninterrupted run numbers them; one transaction."""
        if records == self.records and all(r.position == n for n, r in enumerate(records, 1)):
            return
        keep = {r.position for r in records}
        gone = [(r.position,) for r in self.records if r.position not in keep]
        moves = [(-n, r.position) for n, r in enumerate(records, 1)]
        with self.db:
            for table, column in (("mentions", "document_id"), ("entities", "document_id"),
                                  ("documents", "id")):
                self.db.executemany(f"DELETE FROM {table} WHERE {column} = ?", gone)
                # to negative numbers first, so that no new number meets an old one
                self.db.executemany(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", moves)
                self.db.execute(f"UPDATE {table} SET {column} = -{column}")
            self.db.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")  # rowids moved
            for table in ("mentions", "entities"):  # rows in document order, as first written
                self.db.execute("CREATE TEMP TABLE moved (old INTEGER PRIMARY KEY, new INTEGER)")
                self.db.execute(f"INSERT INTO moved SELECT rowid, row_number() OVER "
                                f"(ORDER BY document_id, rowid) FROM {table}")
                self.db.execute(f"UPDATE {table} SET rowid = -(SELECT new FROM moved WHERE old = {table}.rowid)")
                self.db.execute(f"UPDATE {table} SET rowid = -rowid")
                self.db.execute("DROP TABLE moved")
        self.records = [Record(*fields(r), n, r.groups) for n, r in enumerate(records, 1)]

    def write(self, done: list[Outcome]) -> None:
        """One transaction for the chunk: it is all there after a kill, or not at all."""
        try:
            self.insert(done)
        except sqlite3.Error as exc:  # a full disk is SQLITE_FULL, no OSError
            raise SinkError(f"{self.path}: {exc}") from None

    def insert(self, done: list[Outcome]) -> None:
        written = []
        with self.db:
            self.add_meta_columns({k for o in done for k in (o.document.meta or {})})
            for outcome in done:
                doc, hash_ = outcome.document, outcome.content_hash
                row = flat.document_row(doc, sorted(k for k in (doc.meta or {})))
                meta_cells = {k: v for k, v in row.items() if k.startswith("meta_")}
                columns = ["source", "content_hash", "encoding", "published", "published_from", "error",
                           "n_entities", "n_groups", "meta", "text", *meta_cells]
                values = [doc.source, hash_, doc.encoding, doc.published, doc.published_from, doc.error,
                          len(doc.entities), len(doc.groups),
                          None if doc.meta is None else json.dumps(doc.meta, ensure_ascii=False),
                          outcome.text if self.keep_text else None, *meta_cells.values()]
                doc_id = self.db.execute(
                    f"INSERT INTO documents ({', '.join(_quoted(c) for c in columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})", values,
                ).lastrowid
                if self.keep_text and outcome.text:
                    self.db.execute("INSERT INTO documents_fts (rowid, text) VALUES (?, ?)", (doc_id, outcome.text))
                ids = {g.id: identity(g) for g in doc.groups}
                self.db.executemany(
                    f"INSERT INTO mentions VALUES (?, {', '.join('?' * len(MENTION_COLUMNS))})",
                    [(doc_id, *mention_row(row, ids)) for row in flat.rows(doc, document=False, every_document=False)
                     if row["label"] is not None],
                )
                self.db.executemany(
                    "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [entity_row(doc_id, g.to_dict(), ids[g.id]) for g in doc.groups],
                )
                written.append(Record(doc.source, hash_, len(doc.entities), doc.error is not None, doc_id,
                                      len(doc.groups)))
        self.records.extend(written)

    def add_meta_columns(self, keys: set[str]) -> None:
        """A ``meta_<key>`` column for each meta key not seen before."""
        for column in sorted({flat.meta_column(k) for k in keys} - self.meta_columns):
            self.db.execute(f"ALTER TABLE documents ADD COLUMN {_quoted(column)} TEXT")
            self.db.execute(f"CREATE INDEX {_quoted('documents_' + column)} ON documents({_quoted(column)})")
            self.meta_columns.add(column)

    def build_corpus_entities(self) -> None:
        """``corpus_entities`` from every document's entities, partial names of people joined to
        the one full name of the corpus they end (see :mod:`entityx.corpus`)."""
        with self.db:
            people = [row[0] for row in self.db.execute(
                "SELECT DISTINCT entity_id FROM entities WHERE label = 'PER' AND entity_id LIKE 'PER:%'")]
            moves = [(new, old) for old, new in join_partial_names(people).items()]
            for table in ("entities", "mentions"):
                self.db.executemany(f"UPDATE {table} SET entity_id = ? WHERE entity_id = ?", moves)
            self.db.execute("DELETE FROM corpus_entities")
            self.db.execute(CORPUS_ENTITIES)

    def close(self, complete: bool) -> None:
        """Close; a complete run's ``OUT.partial`` replaces ``OUT``, its ``corpus_entities`` built."""
        if complete:
            try:
                self.build_corpus_entities()
            except sqlite3.Error as exc:
                self.db.close()
                raise SinkError(f"{self.path}: {exc}") from None
        self.db.close()
        if complete and self.path != self.final:
            replace_database(self.path, self.final)
            self.path = self.final


def mention_row(row: dict, ids: dict[str, str]) -> tuple:
    """A flat mention row (:mod:`entityx.flat`) as the ``mentions`` table's columns."""
    return tuple(ids.get(row["group"]) if c == "entity_id" else row["group" if c == "group_id" else c]
                 for c in MENTION_COLUMNS)


def entity_row(doc_id: int, group: dict, entity_id: str) -> tuple:
    norms = group.get("norms")  # only DATE groups carry norms, as in the JSON
    return (
        doc_id, group["id"], group["label"], group["name"], json.dumps(group["aliases"], ensure_ascii=False),
        group["mentions"], group["first"], group["salience"], group["kb_id"], group["country"], group["lat"],
        group["lon"], None if norms is None else json.dumps(norms, ensure_ascii=False), entity_id,
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fields(record: Record) -> tuple:
    return record.source, record.content_hash, record.entities, record.failed


def check_replaceable(path: Path) -> None:
    """Refuse to replace a database entityx batch did not make: it is someone's data."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)  # '#', '?' in a name
        try:
            tables = sorted(row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        finally:
            db.close()
    except sqlite3.Error:
        tables = None
    if tables is None or "batch" not in tables:
        what = "not a SQLite database" if tables is None else (
            f"a database with tables {', '.join(tables)}" if tables else "an empty database")
        raise SinkError(f"{path} is {what}, not one made by entityx batch; give another output, "
                        "or add --overwrite to replace it")


def replace_database(new: Path, old: Path, wait: float = 10.0) -> None:
    """Rename ``new`` over the database ``old`` while holding ``old``'s exclusive lock: a
    connection still using it finishes first, and a hot journal left by a crash is rolled
    back by SQLite rather than deleted (or replayed into the new file)."""
    if not old.exists():
        os.replace(new, old)
        return
    try:
        db = sqlite3.connect(old, timeout=wait, isolation_level=None)
    except sqlite3.Error as exc:
        raise SinkError(f"{old}: {exc}") from None
    try:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                db.execute("PRAGMA journal_mode = DELETE")  # checkpoints and removes the -wal
            db.execute("BEGIN EXCLUSIVE")
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            raise SinkError(f"{old} is in use by another program ({exc})") from None
        except sqlite3.DatabaseError:
            pass  # not a database at all (its replacing was asked for with --overwrite)
        os.replace(new, old)
    finally:
        db.close()  # ends the transaction on the old file, now unlinked


def companions(path: Path) -> list[str]:
    """SQLite's journal files beside a database: a stale ``-journal`` would be replayed into a
    new database that takes the name."""
    return [f"{path}-journal", f"{path}-wal", f"{path}-shm"]


def remove(*paths) -> None:
    for path in paths:
        if os.path.lexists(path):
            os.remove(path)

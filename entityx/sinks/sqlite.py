"""SQLite output of ``entityx batch``, for the ``sqlite3`` shell or any SQL tool.

Tables: ``documents`` (one row per input, ``error`` set when it failed), ``mentions`` (every
entity mention, like the JSON ``entities``) and ``entities`` (mentions grouped per real-world
entity, like the JSON ``groups``; list columns hold JSON). Each chunk of documents is one
transaction, so a kill leaves whole documents only; table ``batch`` keeps the options for resuming.

Example::

    sqlite3 entities.sqlite "SELECT name, count(*) FROM entities WHERE label = 'ORG'
                             GROUP BY name ORDER BY 2 DESC LIMIT 10"
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from entityx.sinks.base import Outcome, Record, SinkError, check_settings

SCHEMA = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, content_hash TEXT, encoding TEXT,
    published TEXT, error TEXT, n_entities INTEGER NOT NULL
);
CREATE TABLE mentions (
    document_id INTEGER NOT NULL REFERENCES documents(id), group_id TEXT, label TEXT NOT NULL,
    text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, norm TEXT, kb_id TEXT,
    mention_source TEXT
);
CREATE TABLE entities (
    document_id INTEGER NOT NULL REFERENCES documents(id), group_id TEXT NOT NULL,
    label TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL, mentions INTEGER NOT NULL,
    first INTEGER NOT NULL, salience REAL NOT NULL, kb_id TEXT, norms TEXT
);
CREATE TABLE batch (settings TEXT NOT NULL);
CREATE INDEX documents_source ON documents(source);
CREATE INDEX mentions_document ON mentions(document_id);
CREATE INDEX mentions_label ON mentions(label);
CREATE INDEX mentions_text ON mentions(text);
CREATE INDEX mentions_kb_id ON mentions(kb_id);
CREATE INDEX entities_document ON entities(document_id);
CREATE INDEX entities_label ON entities(label);
CREATE INDEX entities_name ON entities(name);
CREATE INDEX entities_kb_id ON entities(kb_id);
"""


class SqliteSink:
    """A :class:`~entityx.sinks.base.Sink` whose records are located by their ``documents.id``."""

    def __init__(self, path: Path, final: Path, settings: dict, fresh: bool) -> None:
        self.path, self.final = path, final
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
                "SELECT source, content_hash, n_entities, error IS NOT NULL, id FROM documents ORDER BY id"
            )
            self.records: list[Record[int]] = [
                Record(*row[:3], bool(row[3]), row[4]) for row in rows
            ]
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
            for table in ("mentions", "entities"):  # rows in document order, as first written
                self.db.execute("CREATE TEMP TABLE moved (old INTEGER PRIMARY KEY, new INTEGER)")
                self.db.execute(f"INSERT INTO moved SELECT rowid, row_number() OVER "
                                f"(ORDER BY document_id, rowid) FROM {table}")
                self.db.execute(f"UPDATE {table} SET rowid = -(SELECT new FROM moved WHERE old = {table}.rowid)")
                self.db.execute(f"UPDATE {table} SET rowid = -rowid")
                self.db.execute("DROP TABLE moved")
        self.records = [Record(*fields(r), n) for n, r in enumerate(records, 1)]

    def write(self, done: list[Outcome]) -> None:
        """One transaction for the chunk: it is all there after a kill, or not at all."""
        try:
            self.insert(done)
        except sqlite3.Error as exc:  # a full disk is SQLITE_FULL, no OSError
            raise SinkError(f"{self.path}: {exc}") from None

    def insert(self, done: list[Outcome]) -> None:
        written = []
        with self.db:
            for outcome in done:
                doc, hash_ = outcome.document, outcome.content_hash
                doc_id = self.db.execute(
                    "INSERT INTO documents (source, content_hash, encoding, published, error, n_entities)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (doc.source, hash_, doc.encoding, doc.published, doc.error, len(doc.entities)),
                ).lastrowid
                self.db.executemany(
                    "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (doc_id, m.group, m.label, m.text, m.start, m.end, m.norm, m.kb_id, m.source)
                        for m in doc.entities
                    ],
                )
                self.db.executemany(
                    "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [entity_row(doc_id, g.to_dict()) for g in doc.groups],
                )
                written.append(Record(doc.source, hash_, len(doc.entities), doc.error is not None, doc_id))
        self.records.extend(written)

    def close(self, complete: bool) -> None:
        """Close; a complete run's ``OUT.partial`` replaces ``OUT``."""
        self.db.close()
        if complete and self.path != self.final:
            replace_database(self.path, self.final)
            self.path = self.final


def entity_row(doc_id: int, group: dict) -> tuple:
    norms = group.get("norms")  # only DATE groups carry norms, as in the JSON
    return (
        doc_id,
        group["id"],
        group["label"],
        group["name"],
        json.dumps(group["aliases"], ensure_ascii=False),
        group["mentions"],
        group["first"],
        group["salience"],
        group["kb_id"],
        None if norms is None else json.dumps(norms, ensure_ascii=False),
    )


def fields(record: Record) -> tuple:
    return record.source, record.content_hash, record.entities, record.failed


def check_replaceable(path: Path) -> None:
    """Refuse to replace a database entityx batch did not make: it is someone's data."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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

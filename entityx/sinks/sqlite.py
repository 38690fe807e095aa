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
            raise SinkError(f"cannot resume {path}: {exc}") from None
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

    def drop(self, stale: list[Record[int]]) -> None:
        ids = [(record.position,) for record in stale]
        with self.db:
            for table, column in (
                ("mentions", "document_id"),
                ("entities", "document_id"),
                ("documents", "id"),
            ):
                self.db.executemany(f"DELETE FROM {table} WHERE {column} = ?", ids)

    def write(self, done: list[Outcome]) -> None:
        """One transaction for the chunk: it is all there after a kill, or not at all."""
        try:
            self.insert(done)
        except sqlite3.Error as exc:  # a full disk is SQLITE_FULL, no OSError
            raise SinkError(f"{self.path}: {exc}") from None

    def insert(self, done: list[Outcome]) -> None:
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

    def close(self, complete: bool) -> None:
        """Close; a complete run's ``OUT.partial`` replaces ``OUT``."""
        self.db.close()
        if complete and self.path != self.final:
            remove(*companions(self.final))
            os.replace(self.path, self.final)
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


def companions(path: Path) -> list[str]:
    """SQLite's journal files beside a database: a stale ``-journal`` would be replayed into a
    new database that takes the name."""
    return [f"{path}-journal", f"{path}-wal", f"{path}-shm"]


def remove(*paths) -> None:
    for path in paths:
        if os.path.lexists(path):
            os.remove(path)

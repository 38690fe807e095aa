"""The archive: an ``entityx batch`` SQLite output, checked once and opened read-only.

Read-only twice over: the file is opened with ``mode=ro`` (SQLite refuses any write, and
creates nothing beside it), and each connection sets ``PRAGMA query_only``. A connection
belongs to one thread (sqlite3's rule); the server's worker threads each open their own the
first time they need it. A query that runs past the request's time budget is interrupted
(a progress handler) rather than holding a thread.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REQUIRED = ("documents", "mentions", "entities", "corpus_entities", "batch")
# Meta keys that name one document each, or are dates: never facets.
NOT_FACETS = {"title", "titre", "headline", "url", "link", "lien", "id", "published", "date", "text",
              "summary", "description", "chapo", "author", "auteur"}
# Which facet is "the outlet": the first of these present (then a facet however many documents).
OUTLETS = ("outlet", "source", "site", "publication", "journal", "media", "newspaper", "publisher")
TITLES = ("title", "titre", "headline")
MAX_FACET_VALUES = 200


class ArchiveError(Exception):
    """The file cannot be explored; the message says why, for the user."""


@dataclass(frozen=True)
class Layout:
    """What the archive holds, found once when it is opened: whether its texts are there
    (full-text search), its ``meta_<key>`` columns and which of them are facets."""

    documents: int
    entities: int
    has_text: bool
    meta: tuple[str, ...]  # meta keys that have a column, in column order
    facets: tuple[str, ...]  # meta keys with few distinct values
    title: str | None  # the meta key of the title, if any
    outlet: str | None  # the facet shown as the outlet, if any
    name: str = ""  # the file's name, for the page's header
    counts: dict[str, int] = field(default_factory=dict)  # corpus entities per label


class Archive:
    """The database at ``path``, validated; :meth:`connection` gives this thread's."""

    def __init__(self, path: Path, budget: float = 30.0) -> None:
        self.path, self.budget = Path(path), budget
        self.uri = self.path.resolve().as_uri() + "?mode=ro"
        self.local = threading.local()
        self.layout = self.check()

    def connection(self) -> sqlite3.Connection:
        db = getattr(self.local, "db", None)
        if db is None:
            db = self.local.db = self.open()
        self.local.deadline = time.monotonic() + self.budget
        return db

    def open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.uri, uri=True)
        except sqlite3.Error as exc:
            raise ArchiveError(f"{self.path}: {exc}") from None
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA query_only = ON")
        db.execute("PRAGMA mmap_size = 1073741824")  # the OS's page cache, shared by every thread
        db.execute("PRAGMA temp_store = MEMORY")
        db.set_progress_handler(self.overdue, 10_000)
        return db

    def overdue(self) -> int:
        """Non-zero interrupts the running query (sqlite3 then raises OperationalError)."""
        return int(time.monotonic() > getattr(self.local, "deadline", float("inf")))

    def check(self) -> Layout:
        """The layout of a database ``entityx batch`` made; :class:`ArchiveError` otherwise."""
        if not self.path.exists():
            raise ArchiveError(f"{self.path}: no such file")
        if self.path.is_dir():
            raise ArchiveError(f"{self.path} is a folder, not a database")
        db = self.open()
        try:
            return inspect(db, self.path)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{self.path} is not a SQLite database ({exc})") from None
        finally:
            db.close()


def inspect(db: sqlite3.Connection, path: Path) -> Layout:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in REQUIRED if t not in tables]
    if missing == ["corpus_entities"]:
        raise ArchiveError(f"{path} was made by an older entityx batch (no corpus_entities table); "
                           "run the batch again to explore it")
    if missing:
        what = f"a database with tables {', '.join(sorted(tables))}" if tables else "an empty database"
        raise ArchiveError(f"{path} is {what}, not one made by entityx batch")
    columns = [row[1] for row in db.execute("PRAGMA table_info(documents)")]
    (documents,) = db.execute("SELECT count(*) FROM documents").fetchone()
    counts = dict(db.execute("SELECT label, count(*) FROM corpus_entities GROUP BY label").fetchall())
    if not counts and db.execute("SELECT EXISTS (SELECT 1 FROM entities)").fetchone()[0]:
        raise ArchiveError(f"{path} is the output of a batch that did not complete (no corpus "
                           "entities yet); finish it with entityx batch … --resume")
    has_text = ("text" in columns and "documents_fts" in tables
                and db.execute("SELECT EXISTS (SELECT 1 FROM documents WHERE text IS NOT NULL)").fetchone()[0])
    meta = tuple(c.removeprefix("meta_") for c in columns if c.startswith("meta_"))
    facets = tuple(key for key in meta if key.lower() not in NOT_FACETS
                   and few_values(db, f"meta_{key}", documents, key.lower() in OUTLETS))
    outlet = next((k for name in OUTLETS for k in facets if k.lower() == name), None)
    title = next((k for name in TITLES for k in meta if k.lower() == name), None)
    return Layout(documents=documents, entities=sum(counts.values()), has_text=bool(has_text), meta=meta,
                  facets=facets, title=title, outlet=outlet, name=path.name, counts=counts)


def few_values(db: sqlite3.Connection, column: str, documents: int, outlet: bool) -> bool:
    """Whether ``column`` has few enough distinct values to be a facet (its index answers):
    at most ``MAX_FACET_VALUES``, and, unless it names outlets, at most one for two documents
    (a key that differs in every document, an author say, filters nothing)."""
    (distinct,) = db.execute(f'SELECT count(*) FROM (SELECT DISTINCT "{column}" FROM documents '
                             f'WHERE "{column}" IS NOT NULL LIMIT {MAX_FACET_VALUES + 1})').fetchone()
    return 0 < distinct <= (MAX_FACET_VALUES if outlet else min(MAX_FACET_VALUES, max(1, documents // 2)))

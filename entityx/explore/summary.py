"""How a document is named in a list (search results, an entity's documents, KWIC lines):
its title, date, outlet and source, read in one query for a page of documents.

The title is ``meta.title`` when the corpus has one, else the article's first line (cut at
``TITLE_WIDTH`` characters), else its source; the outlet is the archive's outlet facet.
"""

from __future__ import annotations

import sqlite3

from entityx.explore.archive import Layout

TITLE_WIDTH = 160
HEAD = 600  # characters of the text read for a title or an opening


def columns(layout: Layout, prefix: str = "") -> str:
    """The SELECT list of :func:`summaries` (``prefix``: a table alias and a dot)."""
    title = f'{prefix}"meta_{layout.title}"' if layout.title else "NULL"
    outlet = f'{prefix}"meta_{layout.outlet}"' if layout.outlet else "NULL"
    head = f"substr({prefix}text, 1, {HEAD})" if layout.has_text else "NULL"
    return (f"{prefix}id AS id, {prefix}source AS source, {prefix}published AS published, "
            f"{title} AS title, {outlet} AS outlet, {head} AS head")


def title(row: sqlite3.Row) -> str:
    given = (row["title"] or "").strip()
    if given:
        return given
    line = next((line.strip() for line in (row["head"] or "").splitlines() if line.strip()), "")
    if line:
        return line if len(line) <= TITLE_WIDTH else line[:TITLE_WIDTH].rsplit(" ", 1)[0] + "…"
    return row["source"]


def opening(row: sqlite3.Row, width: int = 280) -> str:
    """The article's first words after its title line, for a result without matched words."""
    lines = [line.strip() for line in (row["head"] or "").splitlines() if line.strip()]
    given = (row["title"] or "").strip()
    if lines and (not given or lines[0] == given):
        lines = lines[1:]  # the title, shown already
    text = " ".join(lines)
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + "…"


def summaries(db: sqlite3.Connection, layout: Layout, ids: list[int]) -> dict[int, sqlite3.Row]:
    """id -> row (id, source, published, title, outlet, head) of each of ``ids``."""
    if not ids:
        return {}
    rows = db.execute(f"SELECT {columns(layout)} FROM documents WHERE id IN ({marks(ids)})", ids)
    return {row["id"]: row for row in rows}


def marks(values: list) -> str:
    return ", ".join("?" * len(values))

"""An entity of the archive: who or what it is, every mention in its sentence, its documents
by date, its mentions month by month, and the entities named beside it; and the list of
entities.

Each part reads ``entities`` through its index on ``(entity_id, document_id)`` (one row per
document the entity is in, with its number of mentions), and joins ``documents`` for dates.
Mentions in context are paged by document: the page's documents are found from those rows'
running sum of mentions, then only their mentions are read. The entities named beside it
are counted on its ``COMENTION_SAMPLE`` newest documents (the answer says on how many): an
entity found in a third of a 100,000-article archive would otherwise cost a join of
millions of rows.
"""

from __future__ import annotations

import json
import sqlite3

from entityx.explore import summary
from entityx.explore.archive import Layout
from entityx.explore.search import POINT_COUNTRY, label_groups
from entityx.explore.sentences import sentence
from entityx.explore.summary import marks
from entityx.knowledge import fold

COMENTION_SAMPLE = 2000
TOP = 8  # co-mentioned entities per label
MAX_MONTHS = 1200  # a timeline of more months than this keeps its newest ones
SORTS = {"documents": "documents DESC, id", "mentions": "mentions DESC, id", "name": "name, id",
         "first": "first_published IS NULL, first_published, id", "last": "last_published DESC, id"}
NEWEST = "d.published DESC, d.id DESC"


class NotFound(Exception):
    """No such entity or document: a 404."""


def entity(db: sqlite3.Connection, entity_id: str) -> dict:
    row = db.execute("SELECT * FROM corpus_entities WHERE id = ?", [entity_id]).fetchone()
    if row is None:
        raise NotFound(f"no entity {entity_id!r} in this archive")
    return described(row)


def described(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "name": row["name"], "label": row["label"], "aliases": json.loads(row["aliases"]),
            "documents": row["documents"], "mentions": row["mentions"],
            "first_published": row["first_published"], "last_published": row["last_published"],
            "kb_id": row["kb_id"], "country": row["country"], "lat": row["lat"], "lon": row["lon"]}


def entities(db: sqlite3.Connection, label: str | None, q: str | None, sort: str, page: int,
             size: int) -> dict:
    """The archive's entities, filtered by label and by words of their names (any form, case
    and accents ignored), sorted."""
    clauses, params = [], []
    if label:
        clauses.append("label = ?")
        params.append(label)
    if q and q.strip():
        db.create_function("fold", 1, fold, deterministic=True)
        for word in fold(q).split():
            clauses.append("instr(fold(name || ' ' || aliases), ?) > 0")
            params.append(word)
    condition = " AND ".join(clauses) or "1"
    (total,) = db.execute(f"SELECT count(*) FROM corpus_entities WHERE {condition}", params).fetchone()
    rows = db.execute(f"SELECT * FROM corpus_entities WHERE {condition} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
                      [*params, size, (page - 1) * size])
    return {**paged(total, page, size), "entities": [described(row) for row in rows]}


def appearances(db: sqlite3.Connection, entity_id: str) -> list[sqlite3.Row]:
    """The documents naming the entity, newest first: (id, published, n mentions). Read once
    for the entity page: its mentions, documents, timeline and co-mentions all start here."""
    return db.execute(
        f"SELECT e.document_id AS id, d.published AS published, sum(e.mentions) AS n "
        f"FROM entities e JOIN documents d ON d.id = e.document_id WHERE e.entity_id = ? "
        f"GROUP BY e.document_id ORDER BY {NEWEST}", [entity_id]).fetchall()


def paged(total: int, page: int, size: int) -> dict:
    return {"total": total, "page": page, "size": size, "pages": max(1, -(-total // size))}


def kwic(db: sqlite3.Connection, layout: Layout, entity_id: str, page: int, size: int,
         found: list[sqlite3.Row] | None = None) -> dict:
    """The entity's mentions, each in its sentence, newest documents first."""
    found = appearances(db, entity_id) if found is None else found
    total = sum(row["n"] for row in found)
    first, last = (page - 1) * size, page * size
    chosen, running, skipped = [], 0, 0
    for row in found:  # the documents holding mentions first … last - 1
        if running + row["n"] > first and running < last:
            skipped = skipped if chosen else running  # mentions of the documents before them
            chosen.append(row["id"])
        running += row["n"]
        if running >= last:
            break
    lines = []
    for ids in chunks(chosen, 500):
        lines.extend(kwic_lines(db, layout, entity_id, ids))
    rank = {doc: n for n, doc in enumerate(chosen)}
    lines.sort(key=lambda line: (rank[line["document_id"]], line["start"]))
    return {"entity": entity_id, **paged(total, page, size), "lines": lines[first - skipped:last - skipped]}


def kwic_lines(db: sqlite3.Connection, layout: Layout, entity_id: str, ids: list[int]) -> list[dict]:
    docs = summary.summaries(db, layout, ids)
    texts = dict(db.execute(f"SELECT id, text FROM documents WHERE id IN ({marks(ids)})", ids).fetchall()) \
        if layout.has_text else {}
    lines = []
    for row in db.execute(f"SELECT document_id, start, end, text, norm FROM mentions WHERE entity_id = ? "
                          f"AND document_id IN ({marks(ids)})", [entity_id, *ids]):
        text = texts.get(row["document_id"])
        if text is not None and text[row["start"]:row["end"]] == row["text"]:
            left, _, right = sentence(text, row["start"], row["end"])
        else:
            left, right = "", ""  # no text kept (batch --no-text): the mention alone
        doc = docs[row["document_id"]]
        lines.append({"document_id": row["document_id"], "title": summary.title(doc),
                      "published": doc["published"], "start": row["start"], "end": row["end"],
                      "left": left, "text": row["text"], "right": right, "norm": row["norm"]})
    return lines


def documents(db: sqlite3.Connection, layout: Layout, entity_id: str, page: int, size: int,
              found: list[sqlite3.Row] | None = None) -> dict:
    """The documents naming the entity, newest first, with its mentions in each."""
    found = appearances(db, entity_id) if found is None else found
    chosen = found[(page - 1) * size:page * size]
    rows = {}
    for ids in chunks([r["id"] for r in chosen], 500):
        rows.update(summary.summaries(db, layout, ids))
    listed = [{"id": r["id"], "title": summary.title(rows[r["id"]]), "published": r["published"],
               "outlet": rows[r["id"]]["outlet"], "source": rows[r["id"]]["source"], "mentions": r["n"]}
              for r in chosen]
    return {"entity": entity_id, **paged(len(found), page, size), "documents": listed}


def timeline(db: sqlite3.Connection, entity_id: str, found: list[sqlite3.Row] | None = None) -> dict:
    """Mentions and documents per month of publication, every month between the first and
    the last (empty ones too, so the gaps show)."""
    found = appearances(db, entity_id) if found is None else found
    counted: dict[str, list[int]] = {}
    undated = 0
    for row in found:
        published = row["published"] or ""
        if len(published) < 7:
            undated += row["n"]
            continue
        month = counted.setdefault(published[:7], [0, 0])
        month[0] += row["n"]
        month[1] += 1
    months = []
    if counted:
        for month in month_range(min(counted), max(counted))[-MAX_MONTHS:]:
            mentions, docs = counted.get(month, (0, 0))
            months.append({"month": month, "mentions": mentions, "documents": docs})
    return {"entity": entity_id, "months": months, "undated": undated}


def month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    found = []
    while (year, month) <= end:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def comentions(db: sqlite3.Connection, entity_id: str, label: str | None = None, top: int = TOP,
               found: list[sqlite3.Row] | None = None) -> dict:
    """Per label, the entities named in most of the documents of ``entity_id`` (its newest
    ``COMENTION_SAMPLE``), with the number of documents they share."""
    found = appearances(db, entity_id) if found is None else found
    mine = [row["id"] for row in found[:COMENTION_SAMPLE]]
    rows = db.execute(f"""WITH mine(id) AS (SELECT value FROM json_each(?)),
        counted AS (SELECT o.entity_id AS id, max(o.label) AS label, count(DISTINCT o.document_id) AS n
                    FROM mine JOIN entities o ON o.document_id = mine.id
                    WHERE o.entity_id != ? AND (? IS NULL OR o.label = ?) GROUP BY o.entity_id),
        ranked AS (SELECT id, label, n, row_number() OVER (PARTITION BY label ORDER BY n DESC, id) AS r,
                   count(*) OVER (PARTITION BY label) AS distinct_n FROM counted)
        SELECT ranked.id, ranked.label, ranked.n, ranked.distinct_n, ce.name, {POINT_COUNTRY.format('ce.')} FROM ranked
        LEFT JOIN corpus_entities ce ON ce.id = ranked.id WHERE r <= ? ORDER BY ranked.label, r""",
                      [json.dumps(mine), entity_id, label, label, top])
    return {"entity": entity_id, "over": len(mine), "labels": label_groups(rows, ())}


def detail(db: sqlite3.Connection, layout: Layout, entity_id: str, size: int) -> dict:
    """The entity page: the entity, the first page of its mentions and of its documents, its
    timeline and co-mentions, from one read of its documents."""
    described_ = entity(db, entity_id)
    found = appearances(db, entity_id)
    return {"entity": described_, "mentions": kwic(db, layout, entity_id, 1, size, found),
            "documents": documents(db, layout, entity_id, 1, size, found),
            "timeline": timeline(db, entity_id, found), "comentions": comentions(db, entity_id, found=found)}


def chunks(values: list, size: int) -> list[list]:
    return [values[i:i + size] for i in range(0, len(values), size)]

"""Search: the documents that match words (FTS5) and filters, a page of them, and facets.

Every filter is answered by an index: the words by ``documents_fts``, an entity by
``entities(entity_id, document_id)``, a meta value by its ``documents_meta_<key>`` index,
the dates by ``documents(published)``. Facets (the entities most named among the results,
per label, and the values of each meta facet) are counted on the first ``FACET_SAMPLE``
results in the results' order, so that a query matching half the archive costs what one
matching ``FACET_SAMPLE`` documents does; the answer says on how many they were counted.
With neither words nor filters they are the whole archive's, read from ``corpus_entities``.

Dates: a document dated to a month or a year (``2016-05``) is in a range when that month or
year overlaps it; one without a date is in no range.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from entityx.explore import summary
from entityx.explore.archive import Layout
from entityx.explore.summary import marks

FACET_SAMPLE = 5000
TOP = 8  # entities per label in the facets
HIT_ENTITIES = 6  # entities shown with each result, besides those filtering
OPEN, CLOSE = "\ue000", "\ue001"  # snippet() around matched words: private-use, never in press text
SNIPPET_TOKENS = 28
# The country of a place that is a point (a city, not a country or a region), to tell apart
# two places of one name (Valence, ES and FR) wherever entities are listed.
POINT_COUNTRY = "CASE WHEN {0}lat IS NOT NULL THEN {0}country END AS country"


@dataclass(frozen=True)
class Filters:
    match: str | None = None  # an FTS5 expression (entityx.explore.fts), never raw user text
    entities: tuple[str, ...] = ()
    meta: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (key, values): any of the values
    start: str | None = None  # YYYY[-MM[-DD]]
    end: str | None = None

    def any(self) -> bool:
        return bool(self.match or self.entities or self.meta or self.start or self.end)


def where(filters: Filters, layout: Layout) -> tuple[str, str, list]:
    """(FROM, WHERE, parameters) selecting the documents ``d`` of ``filters``."""
    clauses, params = [], []
    source = "documents d"
    if filters.match:
        source = "documents_fts JOIN documents d ON d.id = documents_fts.rowid"
        clauses.append("documents_fts MATCH ?")
        params.append(filters.match)
    for entity in filters.entities:
        clauses.append("d.id IN (SELECT document_id FROM entities WHERE entity_id = ?)")
        params.append(entity)
    for key, values in filters.meta:
        if key not in layout.meta:  # a column name comes from the archive, never from a request
            raise ValueError(f"no meta key {key!r} in this archive")
        clauses.append(f'd."meta_{key}" IN ({marks(values)})')
        params.extend(values)
    if filters.start:
        clauses.append("d.published >= ? AND d.published || '~' >= ?")
        params.extend([filters.start[:4], filters.start])
    if filters.end:
        clauses.append("d.published <= ?")
        params.append(filters.end + "~")
    return source, " AND ".join(clauses) or "1", params


def order(sort: str) -> str:
    return {"relevance": "documents_fts.rank", "newest": "d.published DESC, d.id DESC",
            "oldest": "d.published IS NULL, d.published, d.id"}[sort]


def default_sort(filters: Filters, sort: str | None) -> str:
    if sort == "relevance" and not filters.match:
        return "newest"  # no words, no relevance
    return sort or ("relevance" if filters.match else "newest")


def matching(db: sqlite3.Connection, layout: Layout, filters: Filters, sort: str,
             limit: int | None, offset: int = 0) -> list[int]:
    source, condition, params = where(filters, layout)
    sql = f"SELECT d.id FROM {source} WHERE {condition} ORDER BY {order(sort)}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return [row[0] for row in db.execute(sql, params)]


def count(db: sqlite3.Connection, layout: Layout, filters: Filters) -> int:
    if not filters.any():
        return layout.documents
    source, condition, params = where(filters, layout)
    return db.execute(f"SELECT count(*) FROM {source} WHERE {condition}", params).fetchone()[0]


def search(db: sqlite3.Connection, layout: Layout, filters: Filters, sort: str | None, page: int,
           size: int, facets: bool = True) -> dict:
    """The answer of ``/api/search`` (:class:`~entityx.explore.models.SearchOut`)."""
    sort = default_sort(filters, sort)
    offset = (page - 1) * size
    sample = matching(db, layout, filters, sort, FACET_SAMPLE) if facets and filters.any() else None
    if sample is not None and len(sample) < FACET_SAMPLE:
        total = len(sample)
    else:
        total = count(db, layout, filters)
    if sample is not None and offset + size <= len(sample):
        ids = sample[offset:offset + size]
    else:
        ids = matching(db, layout, filters, sort, size, offset)
    counted = None
    if facets:
        counted = sample_facets(db, layout, filters, sample) if sample is not None else archive_facets(db, layout)
    return {
        "query": filters.match, "total": total, "page": page, "size": size,
        "pages": max(1, -(-total // size)), "sort": sort, "hits": hits(db, layout, filters, ids),
        "facets": counted, "filters": entity_refs(db, filters.entities),
    }


def hits(db: sqlite3.Connection, layout: Layout, filters: Filters, ids: list[int]) -> list[dict]:
    rows = summary.summaries(db, layout, ids)
    snippets = matched(db, filters.match, ids) if filters.match and layout.has_text else {}
    entities = document_entities(db, ids, filters.entities)
    return [{
        "id": i, "title": summary.title(rows[i]), "published": rows[i]["published"],
        "outlet": rows[i]["outlet"], "source": rows[i]["source"],
        "snippet": snippets.get(i) or [{"text": summary.opening(rows[i]), "match": False}],
        "entities": entities.get(i, []),
    } for i in ids if i in rows]


def matched(db: sqlite3.Connection, match: str, ids: list[int]) -> dict[int, list[dict]]:
    """id -> the snippet around the matched words, cut into [{text, match}]."""
    if not ids:
        return {}
    rows = db.execute(
        f"SELECT rowid, snippet(documents_fts, 0, '{OPEN}', '{CLOSE}', '…', {SNIPPET_TOKENS}) "
        f"FROM documents_fts WHERE documents_fts MATCH ? AND rowid IN ({marks(ids)})", [match, *ids])
    return {rowid: segments(text) for rowid, text in rows}


def segments(snippet: str) -> list[dict]:
    pieces = []
    for part in re.split(f"({OPEN}.*?{CLOSE})", (snippet or "").replace("\n", " ")):
        if part.startswith(OPEN) and part.endswith(CLOSE):
            pieces.append({"text": part[1:-1], "match": True})
        elif part:
            pieces.append({"text": part, "match": False})
    return pieces


def document_entities(db: sqlite3.Connection, ids: list[int], filtering: tuple[str, ...]) -> dict[int, list[dict]]:
    """id -> the entities filtering the results, then the document's most salient ones."""
    found: dict[int, list[dict]] = {}
    if not ids:
        return found
    rows = db.execute(f"SELECT document_id, entity_id, label, name, salience, {POINT_COUNTRY.format('')} FROM entities "
                      f"WHERE document_id IN ({marks(ids)}) ORDER BY document_id, salience DESC", ids)
    for row in rows:
        mine = found.setdefault(row["document_id"], [])
        if any(e["id"] == row["entity_id"] for e in mine):
            continue
        mine.append({"id": row["entity_id"], "name": row["name"], "label": row["label"], "country": row["country"],
                     "salience": row["salience"], "filtered": row["entity_id"] in filtering})
    for doc, mine in found.items():
        chosen = [e for e in mine if e["filtered"]]
        found[doc] = chosen + [e for e in mine if not e["filtered"]][:HIT_ENTITIES]
    return found


def entity_refs(db: sqlite3.Connection, ids: tuple[str, ...]) -> list[dict]:
    if not ids:
        return []
    rows = {r["id"]: r for r in db.execute(
        f"SELECT id, name, label, {POINT_COUNTRY.format('')} FROM corpus_entities WHERE id IN ({marks(ids)})", ids)}
    return [{"id": i, "name": rows[i]["name"], "label": rows[i]["label"], "country": rows[i]["country"]}
            for i in ids if i in rows]


# --- facets -------------------------------------------------------------------------------

HITS = "WITH hits(id) AS (SELECT value FROM json_each(?)) "


def sample_facets(db: sqlite3.Connection, layout: Layout, filters: Filters, sample: list[int]) -> dict:
    ids = json.dumps(sample)
    rows = db.execute(HITS + f""",
        counted AS (SELECT e.entity_id AS id, max(e.label) AS label, count(DISTINCT e.document_id) AS n
                    FROM hits JOIN entities e ON e.document_id = hits.id GROUP BY e.entity_id),
        ranked AS (SELECT id, label, n, row_number() OVER (PARTITION BY label ORDER BY n DESC, id) AS r,
                   count(*) OVER (PARTITION BY label) AS distinct_n FROM counted)
        SELECT ranked.id, ranked.label, ranked.n, ranked.distinct_n, ce.name, {POINT_COUNTRY.format('ce.')} FROM ranked
        LEFT JOIN corpus_entities ce ON ce.id = ranked.id WHERE r <= ? ORDER BY ranked.label, r""",
                      [ids, TOP])
    labels = label_groups(rows, filters.entities)
    meta = []
    for key in layout.facets:
        values = db.execute(HITS + f'SELECT d."meta_{key}", count(*) FROM hits JOIN documents d ON d.id = hits.id '
                            f'WHERE d."meta_{key}" IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50', [ids])
        meta.append(meta_facet(key, values, filters))
    return {"over": len(sample), "labels": labels, "meta": meta}


def archive_facets(db: sqlite3.Connection, layout: Layout) -> dict:
    """The facets of the whole archive: corpus_entities has every entity's documents."""
    rows = db.execute(f"""SELECT id, label, documents AS n, count(*) OVER (PARTITION BY label) AS distinct_n, name,
        {POINT_COUNTRY.format('')} FROM (SELECT *, row_number() OVER (PARTITION BY label ORDER BY documents DESC, id) AS r
              FROM corpus_entities) WHERE r <= ? ORDER BY label, r""", [TOP])
    labels = label_groups(rows, ())
    for group in labels:
        group["entities"] = layout.counts.get(group["label"], group["entities"])
    meta = [meta_facet(key, db.execute(
        f'SELECT "meta_{key}", count(*) FROM documents WHERE "meta_{key}" IS NOT NULL '
        f'GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50'), Filters()) for key in layout.facets]
    return {"over": layout.documents, "labels": labels, "meta": meta}


def label_groups(rows: Iterator[sqlite3.Row], selected: tuple[str, ...]) -> list[dict]:
    groups: dict[str, dict] = {}
    for row in rows:
        group = groups.setdefault(row["label"], {"label": row["label"], "entities": row["distinct_n"], "top": []})
        group["top"].append({"id": row["id"], "name": row["name"] or row["id"], "label": row["label"],
                             "country": row["country"], "documents": row["n"], "selected": row["id"] in selected})
    order_ = {"PER": 0, "ORG": 1, "LOC": 2, "DATE": 3}
    return sorted(groups.values(), key=lambda g: order_.get(g["label"], 9))


def meta_facet(key: str, rows, filters: Filters) -> dict:
    chosen = dict(filters.meta).get(key, ())
    return {"key": key, "values": [{"value": value, "documents": n, "selected": value in chosen}
                                   for value, n in rows]}


def all_rows(db: sqlite3.Connection, layout: Layout, filters: Filters, sort: str | None,
             limit: int) -> Iterator[dict]:
    """Every result (up to ``limit``), for the CSV: its summary and meta columns."""
    sort = default_sort(filters, sort)
    source, condition, params = where(filters, layout)
    meta = "".join(f', d."meta_{k}" AS "meta.{k}"' for k in layout.meta)
    rows = db.execute(f"SELECT {summary.columns(layout, 'd.')}, d.published_from AS published_from, "
                      f"d.n_entities AS mentions{meta} FROM {source} WHERE {condition} "
                      f"ORDER BY {order(sort)} LIMIT ?", [*params, limit])
    for row in rows:
        yield {"id": row["id"], "published": row["published"], "published_from": row["published_from"],
               "title": summary.title(row), "source": row["source"], "mentions": row["mentions"],
               **{f"meta.{k}": row[f"meta.{k}"] for k in layout.meta}}

"""A document of the archive: its text, meta and publication date, its mentions (as marks.js
draws them) and its entities, each with its corpus-wide id for the entity page."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlsplit

from entityx.explore import summary
from entityx.explore.archive import Layout
from entityx.explore.entity import NotFound

URL_KEYS = ("url", "link", "lien")


def document(db: sqlite3.Connection, layout: Layout, doc_id: int) -> dict:
    row = db.execute(f"SELECT {summary.columns(layout)}, published_from, encoding, error, meta"
                     f"{', text' if layout.has_text else ''} FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise NotFound(f"no document {doc_id} in this archive")
    meta = json.loads(row["meta"]) if row["meta"] else None
    mentions = db.execute("SELECT start, end, text, label, group_id, norm, kb_id, confidence, entity_id "
                          "FROM mentions WHERE document_id = ? ORDER BY start, end DESC", [doc_id])
    groups = db.execute("SELECT group_id, entity_id, name, label, aliases, mentions, salience, kb_id "
                        "FROM entities WHERE document_id = ? ORDER BY salience DESC, first", [doc_id])
    return {
        "id": row["id"], "source": row["source"], "title": summary.title(row), "published": row["published"],
        "published_from": row["published_from"], "encoding": row["encoding"], "outlet": row["outlet"],
        "url": web_address(meta), "meta": meta, "error": row["error"],
        "text": row["text"] if layout.has_text else None,
        "entities": [{"start": m["start"], "end": m["end"], "text": m["text"], "label": m["label"],
                      "group": m["group_id"], "norm": m["norm"], "kb_id": m["kb_id"],
                      "confidence": m["confidence"], "entity_id": m["entity_id"]} for m in mentions],
        "groups": [{"group": g["group_id"], "id": g["entity_id"], "name": g["name"], "label": g["label"],
                    "aliases": json.loads(g["aliases"]), "mentions": g["mentions"], "salience": g["salience"],
                    "kb_id": g["kb_id"]} for g in groups],
    }


def web_address(meta: dict | None) -> str | None:
    """The document's address when it is an http(s) one: anything else (``javascript:``,
    ``data:``) is never made a link."""
    for key in URL_KEYS:
        value = (meta or {}).get(key)
        if isinstance(value, str) and is_web(value):
            return value.strip()
    return None


def is_web(value: str) -> bool:
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)

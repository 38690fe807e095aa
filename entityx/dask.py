"""entityx for people already in Dask: a bag of texts or a DataFrame in, entities out, lazily.

>>> import dask.bag as db
>>> from entityx.dask import extract_bag
>>> docs = extract_bag(db.from_sequence(["La DGSN a interpellé hier à Tanger un suspect."]))
>>> [m["text"] for m in docs.compute()[0]["entities"]]
['DGSN', 'hier', 'Tanger']

Work happens partition by partition (``map_partitions``): each worker process builds the
pipeline once and keeps it (see :mod:`entityx.cluster.worker`), so a partition of a few dozen
texts costs one ``nlp.pipe``. Results follow the JSON contract of ``entityx extract``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from entityx import flat
from entityx.cluster.worker import Options, extract_texts
from entityx.model import LABELS, Text


def extract_bag(bag, *, labels: Iterable[str] = LABELS, patterns: Path | str | None = None,
                kb: Path | str | None = None, date_style: str = "entityx",
                published: str | None = None):
    """A bag of document dicts (the JSON contract), in the order of ``bag``.

    Args:
        bag: a ``dask.bag.Bag`` of texts, or of ``{"id", "text", "meta"}`` dicts as in a JSONL
            corpus (``meta.published`` is the publication date; ``id`` becomes ``source``).
        labels: which labels to keep.
        patterns: a JSONL file of extra entity-ruler patterns, read here and sent to workers.
        kb: a JSONL file of your own organisations, read here and sent to workers.
        date_style: ``"entityx"`` or ``"timeml"``, as for :func:`entityx.extract`.
        published: the publication date of texts whose own is not known.
    """
    options = Options.of(labels, patterns, kb, date_style)
    return bag.map_partitions(_bag_partition, options, published)


def _bag_partition(items, options: Options, published: str | None) -> list[dict]:
    texts = [_text(item, published) for item in items]
    return [doc.to_dict() for doc in extract_texts(texts, options)]


def _text(item, published: str | None) -> Text:
    if isinstance(item, str):
        return Text(item, published)
    meta = item.get("meta") or {}
    date = meta.get("published") if isinstance(meta, dict) else None
    return Text(item["text"], date or published, source=str(item.get("id", "-")))


def extract_dataframe(ddf, text: str = "text", published: str | None = None, *,
                      labels: Iterable[str] = LABELS, patterns: Path | str | None = None,
                      kb: Path | str | None = None, date_style: str = "entityx"):
    """A Dask DataFrame of mentions, one row per mention, indexed like the row it comes from.

    Args:
        ddf: a ``dask.dataframe.DataFrame`` with a column of texts.
        text: the name of that column.
        published: the name of a column of publication dates (``YYYY[-MM[-DD]]``), if any.
        labels, patterns, kb, date_style: as for :func:`extract_bag`.

    Columns: ``published`` (the date relative dates were resolved against, the article's own
    when none was given), ``error``, then the mention's (``text``, ``label``, ``start``, ``end``,
    ``norm``, ``earliest``, ``latest``, ``kb_id``, ``country``, ``origin``, ``group``,
    ``confidence``, …) and its entity's ``name`` and ``salience``, typed (``string``,
    ``Int64``, ``Float64``; days as ISO strings).
    """
    options = Options.of(labels, patterns, kb, date_style)
    meta = _frame([], [], ddf._meta.index)
    return ddf.map_partitions(_frame_partition, text, published, options, meta=meta)


FRAME_COLUMNS = {"published": "string", "error": "string", **flat.columns(document=False)}
DTYPES = {"string": "string", "int64": "Int64", "double": "Float64", "date": "string"}


def _frame_partition(part, text: str, published: str | None, options: Options):
    dates = part[published] if published is not None else [None] * len(part)
    texts = [
        Text("" if _missing(body) else str(body), None if _missing(date) else str(date))
        for body, date in zip(part[text], dates)
    ]
    rows, index = [], []
    for label, doc in zip(part.index, extract_texts(texts, options)):
        found = flat.rows(doc, document=False, every_document=False)
        extra = {"published": doc.published, "error": doc.error}
        rows.extend({**extra, **row} for row in found)
        index.extend([label] * len(found))
    return _frame(rows, index, part.index)


def _frame(rows: list[dict], index: list, like):
    """Typed mention rows, their index of the same type and name as ``like``'s."""
    import pandas as pd

    labels = pd.Index(index, dtype=like.dtype, name=like.name)
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS), index=labels)
    return frame.astype({name: DTYPES[kind] for name, kind in FRAME_COLUMNS.items()})


def _missing(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))

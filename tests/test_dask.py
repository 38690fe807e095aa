"""entityx.dask on a real cluster (a scheduler and two worker processes on loopback): the same documents as the
library in this process, for bags of texts and of JSONL-like dicts and for DataFrames, with
user patterns reaching the workers."""

from __future__ import annotations

from pathlib import Path

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest
from conftest import TESTS

from entityx import extract_many, flat
from entityx.dask import extract_bag, extract_dataframe
from entityx.inline_gold import parse
from entityx.model import Text

PATTERNS = '{"label": "ORG", "pattern": "Cercle Kappa Delta"}\n'  # the model alone says LOC
UNKNOWN = "Le Cercle Kappa Delta a publié hier un communiqué à Rabat."


def devset() -> list[tuple[str, str, str]]:
    """(id, published, text) of 6 development articles, their gold markup removed."""
    found = []
    for path in sorted((TESTS / "devset" / "src").glob("*.txt"))[:6]:
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        found.append((path.stem, head.removeprefix("published:").strip(), parse(body)[0]))
    return found


@pytest.fixture(scope="module")
def client(dask_cluster):
    return dask_cluster[1]


def test_a_bag_of_texts_gives_the_documents_of_the_library(client, nlp):
    texts = [text for _, _, text in devset()]
    got = extract_bag(db.from_sequence(texts, npartitions=2)).compute()
    assert got == [doc.to_dict() for doc in extract_many(Text(t) for t in texts)]
    assert len({pid for pid in client.run(lambda: __import__("os").getpid()).values()}) == 2


def test_a_bag_of_jsonl_records_keeps_ids_and_dates(client, nlp):
    articles = devset()
    records = [{"id": i, "text": t, "meta": {"published": p}} for i, p, t in articles]
    got = extract_bag(db.from_sequence(records, npartitions=2), labels=["DATE"]).compute()
    texts = [Text(t, p, source=i) for i, p, t in articles]
    assert got == [doc.to_dict() for doc in extract_many(texts, labels=["DATE"])]
    assert [d["source"] for d in got] == [i for i, _, _ in articles]
    assert {m["label"] for d in got for m in d["entities"]} == {"DATE"}


def test_patterns_reach_the_workers(client, nlp, tmp_path):
    patterns = tmp_path / "mine.jsonl"
    patterns.write_text(PATTERNS, encoding="utf-8")
    (doc,) = extract_bag(db.from_sequence([UNKNOWN]), patterns=patterns).compute()
    assert (doc["entities"][0]["text"], doc["entities"][0]["label"]) == ("Cercle Kappa Delta", "ORG")
    assert doc == next(extract_many([Text(UNKNOWN)], patterns=patterns)).to_dict()


def test_a_dataframe_gives_one_typed_row_per_mention(client, nlp):
    articles = devset()
    frame = pd.DataFrame(
        {"text": [t for _, _, t in articles], "date": [p for _, p, _ in articles]},
        index=pd.Index([i for i, _, _ in articles], name="article"),
    )
    mentions = extract_dataframe(dd.from_pandas(frame, npartitions=2), published="date")
    assert mentions.dtypes["start"] == "Int64" and mentions.dtypes["label"] == "string"
    got = mentions.compute()
    assert list(got.columns) == ["published", "error", *flat.columns(document=False)]
    docs = list(extract_many(Text(t, p) for _, p, t in articles))
    expected = [
        (i, doc.published, m.label, m.text, m.start, m.end)
        for (i, _, _), doc in zip(articles, docs)
        for m in doc.entities
    ]
    rows = got.reset_index()[["article", "published", "label", "text", "start", "end"]]
    assert [tuple(r) for r in rows.itertuples(index=False)] == expected


def test_a_dataframe_row_without_text_has_no_mention(client, nlp):
    frame = pd.DataFrame({"text": [UNKNOWN, None]})
    got = extract_dataframe(dd.from_pandas(frame, npartitions=1)).compute()
    assert set(got.index) == {0} and "Rabat" in set(got["text"])


def test_the_flat_columns_follow_the_mention_fields():
    names = [column for column in flat.mention_columns()]
    assert names[:4] == ["text", "label", "start", "end"]
    assert flat.mention_columns()["start"] == "int64"
    assert str(flat.arrow_schema().field("end").type) == "int64"
    assert Path(flat.__file__).name == "flat.py"

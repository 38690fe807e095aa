"""``entityx eval``: score the pipeline against gold in the format of the guidelines.

Counting follows the reference scorer (``../shared/tools/score.py``): strict means same
start, end and label; lenient, overlapping with the same label; a gold span marked
``ignore`` is neither missed nor matched, and a prediction overlapping it is not counted.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from entityx.core import extract_many
from entityx.model import LABELS, Text
from entityx.temporal import is_absolute

CONTEXT = 40


class GoldError(ValueError):
    """A gold file that is not JSON Lines of documents with spans."""


@dataclass
class Scores:
    """Counts per label (tp, fp, fn), strict and lenient, and DATE values, as they add up."""

    strict: dict[str, Counter] = field(default_factory=dict)
    lenient: dict[str, Counter] = field(default_factory=dict)
    norm_exact: int = 0
    norm_total: int = 0
    errors: list[dict] = field(default_factory=list)

    def add(self, gold: list[dict], predicted: list[dict], text: str, doc_id: str, labels) -> None:
        ignored = [(s["start"], s["end"]) for s in gold if s.get("ignore")]
        gold = [s for s in gold if s["label"] in labels and not s.get("ignore")]
        predicted = [
            s for s in predicted
            if s["label"] in labels and not any(s["start"] < e and b < s["end"] for b, e in ignored)
        ]
        gold_keys = {(s["start"], s["end"], s["label"]): s for s in gold}
        pred_keys = {(s["start"], s["end"], s["label"]): s for s in predicted}
        for label in labels:
            self.strict.setdefault(label, Counter())
            self.lenient.setdefault(label, Counter())
        for key, span in gold_keys.items():
            hit = key in pred_keys
            self.strict[key[2]]["tp" if hit else "fn"] += 1
            self.lenient[key[2]]["tp" if any(_overlap(key, p) for p in pred_keys) else "fn"] += 1
            if not hit:
                self.errors.append(_error("FN", doc_id, text, key))
            if "norm" in span:
                self.norm_total += 1
                self.norm_exact += hit and pred_keys[key].get("norm") == span["norm"]
        for key in pred_keys:
            if key not in gold_keys:
                self.strict[key[2]]["fp"] += 1
                self.errors.append(_error("FP", doc_id, text, key))
            if not any(_overlap(key, g) for g in gold_keys):
                self.lenient[key[2]]["fp"] += 1

    def table(self) -> dict:
        """Per label and micro-averaged precision, recall, F1; and the DATE norm share."""
        rows = {}
        for label in sorted(self.strict):
            rows[label] = _prf(self.strict[label], self.lenient[label])
        rows["micro"] = _prf(sum(self.strict.values(), Counter()), sum(self.lenient.values(), Counter()))
        return {
            "labels": rows,
            "norm_exact": self.norm_exact,
            "norm_total": self.norm_total,
            "norm_accuracy": self.norm_exact / self.norm_total if self.norm_total else None,
        }


def _overlap(a, b) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def _error(kind: str, doc_id: str, text: str, key) -> dict:
    start, end, label = key
    left = text[max(0, start - CONTEXT) : start].replace("\n", " ")
    right = text[end : end + CONTEXT].replace("\n", " ")
    return {"kind": kind, "id": doc_id, "label": label, "text": text[start:end],
            "start": start, "context": f"{left}[{text[start:end]}]{right}"}


def _prf(strict: Counter, lenient: Counter) -> dict:
    def f(c: Counter) -> tuple[float, float, float]:
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

    p, r, f1 = f(strict)
    lp, lr, lf = f(lenient)
    return {"precision": p, "recall": r, "f1": f1, "lenient_precision": lp,
            "lenient_recall": lr, "lenient_f1": lf, "support": strict["tp"] + strict["fn"]}


def read_gold(path: Path) -> list[dict]:
    docs = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                doc["text"], doc["spans"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise GoldError(f"{path}:{number}: not a gold document ({exc})") from None
            docs.append(doc)
    return docs


def evaluate(
    gold: list[dict], labels=LABELS, patterns: Path | None = None, absolute_dates: bool = False,
    kb: Path | None = None,
) -> tuple[Scores, list[dict]]:
    """Scores of the pipeline on ``gold`` documents, and the predictions it made.

    ``absolute_dates`` scores only dates written with figures, for gold sets such as
    WiNER-fr that leave relative ones (``hier``, ``mardi dernier``) untagged.
    """
    inputs = (
        Text(d["text"], (d.get("meta") or {}).get("published"), source=str(d.get("id", i)))
        for i, d in enumerate(gold)
    )
    scores, predictions = Scores(), []
    for doc, result in zip(gold, extract_many(inputs, patterns=patterns, kb=kb)):
        spans = [
            m.to_dict() for m in result.entities
            if not (absolute_dates and m.label == "DATE" and not is_absolute(m.text))
        ]
        scores.add(doc["spans"], spans, doc["text"], str(doc.get("id")), set(labels))
        predictions.append({"id": doc.get("id"), "spans": spans})
    return scores, predictions

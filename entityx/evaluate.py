"""``entityx eval``: score the pipeline against gold in the format of the guidelines.

Counting follows the reference scorer (``../shared/tools/score.py``): strict means same
start, end and label; lenient, overlapping with the same label; a gold span marked
``ignore`` is neither missed nor matched, and a prediction overlapping it is not counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from entityx.core import extract_many
from entityx.dates import Reference, is_absolute
from entityx.jsonl import JsonlError, read_jsonl
from entityx.model import LABELS, Text

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
            "lenient_recall": lr, "lenient_f1": lf, "support": strict["tp"] + strict["fn"],
            "predicted": strict["tp"] + strict["fp"]}


def read_gold(path: Path, warnings: list[str] | None = None) -> list[dict]:
    """Gold documents of ``path``, each checked: a malformed one is a :class:`GoldError`
    naming ``FILE:LINE`` (and the span), never a silent wrong score. Spans that overlap (the
    guidelines' spans are flat) are scored as they are, with a line in ``warnings``."""
    docs = []
    try:
        for number, doc in read_jsonl(path):
            check_gold(doc, f"{path}:{number}")
            if warnings is not None:
                warnings += overlaps(doc, f"{path}:{number}")
            docs.append(doc)
    except JsonlError as exc:
        raise GoldError(str(exc)) from None
    return docs


def overlaps(doc: dict, where: str) -> list[str]:
    """A warning for each pair of scored gold spans that overlap."""
    spans = sorted((s["start"], s["end"], n) for n, s in enumerate(doc["spans"], 1) if not s.get("ignore"))
    found, last = [], None
    for start, end, number in spans:
        if last is not None and start < last[1]:
            found.append(f"{where}: spans {last[2]} and {number} overlap ({doc['text'][last[0]:last[1]]!r}, "
                         f"{doc['text'][start:end]!r}); gold spans are flat, so one of them cannot be matched")
        if last is None or end > last[1]:
            last = (start, end, number)
    return found


def check_gold(doc, where: str) -> None:
    """Raise :class:`GoldError` unless ``doc`` follows the guidelines' format."""
    if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
        raise GoldError(f"{where}: not a gold document (expected an object with a 'text' string)")
    if not isinstance(doc.get("spans"), list):
        raise GoldError(f"{where}: 'spans' must be a list")
    meta = doc.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise GoldError(f"{where}: 'meta' must be an object")
    published = (meta or {}).get("published")
    if published is not None:
        try:
            Reference.parse(published if isinstance(published, str) else "?")
        except ValueError as exc:
            raise GoldError(f"{where}: meta.published {published!r}: {exc}") from None
    text = doc["text"]
    for number, span in enumerate(doc["spans"], 1):
        problem = span_problem(span, text)
        if problem:
            raise GoldError(f"{where}: span {number}: {problem}")


def span_problem(span, text: str) -> str | None:
    """What is wrong with one gold span, or None."""
    if not isinstance(span, dict):
        return "not an object"
    for key in ("label", "start", "end"):
        if key not in span:
            return f"no '{key}'"
    if not isinstance(span["label"], str) or not span["label"]:
        return "'label' must be a string"  # labels beyond ours (WiNER's TIME) are not scored
    start, end = span["start"], span["end"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        return "'start' and 'end' must be integers"
    if not 0 <= start < end <= len(text):
        return f"offsets {start}-{end} are not a span of the text ({len(text)} characters)"
    if "text" in span and span["text"] != text[start:end]:
        return f"'text' is {span['text']!r} but the text at {start}-{end} is {text[start:end]!r}"
    if not isinstance(span.get("norm", ""), str):
        return "'norm' must be a string"
    return None


def evaluate(
    gold: list[dict], labels=LABELS, patterns: Path | None = None, absolute_dates: bool = False,
    kb: Path | None = None,
    date_style: str = "entityx",
    min_confidence: float = 0.0,
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
    for doc, result in zip(gold, extract_many(inputs, labels=labels, patterns=patterns, kb=kb,
                                              date_style=date_style, min_confidence=min_confidence)):
        spans = [
            m.to_dict() for m in result.entities
            if not (absolute_dates and m.label == "DATE" and not is_absolute(m.text))
        ]
        scores.add(doc["spans"], spans, doc["text"], str(doc.get("id")), set(labels))
        predictions.append({"id": doc.get("id"), "spans": spans})
    return scores, predictions

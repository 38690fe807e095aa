"""Fitting the confidence calibration on held-out predictions, and measuring it.

Each mention entityx outputs on a held-out fold is a record: its origin group (the model
alone, the model agreeing with knowledge, the knowledge base, the gazetteer, an in-text
acronym, a rule, the user's patterns), its label, the NER's score for that very span and
label (0 when the model did not propose it), and whether it is right (same start, end and
label as a gold span). Per group and label, an isotonic map from score to the share right
(pool-adjacent-violators, on bins of at least ``MIN_BIN`` records) is the calibration;
groups with too few records fall back to their origin, then to all records.

The table this writes is read by :mod:`entityx.components.confidence`.
"""

from __future__ import annotations

from collections import defaultdict

from entityx.components.confidence import group_of

MIN_GROUP = 60  # records a (group, label) needs for a map of its own
MIN_BIN = 20  # records per step of a map at least: fewer, and one text could move it
BINS = 10  # for the reliability table and the expected calibration error


def records(golds, predictions, folds) -> list[dict]:
    """One record per predicted mention (not DATE on WiNER, which tags only some dates)."""
    found = []
    for gold, predicted, fold in zip(golds, predictions, folds):
        right = {(s["start"], s["end"], s["label"]) for s in gold.spans}
        ignored = [(s["start"], s["end"]) for s in gold.spans if s["label"] == "missing" or s.get("ignore")]
        for m in predicted:
            if m["label"] not in ("PER", "ORG", "LOC", "DATE") or (m["label"] == "DATE" and gold.source == "winer"):
                continue
            if any(m["start"] < e and b < m["end"] for b, e in ignored):
                continue
            found.append({"fold": fold, "group": group_of(m["source"]), "label": m["label"],
                          "score": m["score"] or 0.0, "right": (m["start"], m["end"], m["label"]) in right})
    return found


def isotonic(points: list[tuple[float, bool]]) -> list[list[float]]:
    """[[score, share right], ...] non-decreasing: records of one score are one block (ties
    are never split by their outcome), neighbouring blocks pooled until each holds MIN_BIN
    records, then pooled again wherever the share right would go down
    (pool-adjacent-violators)."""
    blocks = []  # [score sum, right sum, count, highest score]
    for score, right in sorted(points):
        if blocks and (blocks[-1][3] == score or blocks[-1][2] < MIN_BIN):
            total, hits, count, _ = blocks[-1]
            blocks[-1] = [total + score, hits + right, count + 1, score]
        else:
            blocks.append([score, right, 1, score])
    merged = []
    for block in blocks:
        merged.append(block[:3])
        while len(merged) > 1 and (merged[-2][1] / merged[-2][2] > merged[-1][1] / merged[-1][2]
                                   or merged[-1][2] < MIN_BIN):
            last = merged.pop()
            merged[-1] = [a + b for a, b in zip(merged[-1], last)]
    return [[round(s / n, 4), round(r / n, 4)] for s, r, n in merged]


def fit(found: list[dict]) -> dict:
    """The calibration table: a map per (group, label), per group, and for all."""
    table = {"maps": {}, "groups": {}, "all": isotonic([(r["score"], r["right"]) for r in found])}
    by_key, by_group = defaultdict(list), defaultdict(list)
    for r in found:
        by_key[f"{r['group']} {r['label']}"].append((r["score"], r["right"]))
        by_group[r["group"]].append((r["score"], r["right"]))
    table["maps"] = {key: isotonic(points) for key, points in sorted(by_key.items()) if len(points) >= MIN_GROUP}
    table["groups"] = {key: isotonic(points) for key, points in sorted(by_group.items()) if len(points) >= MIN_GROUP}
    return table


def reliability(found: list[dict], table: dict | None = None, predicted: list[float] | None = None) -> dict:
    """Bins of predicted confidence: mean predicted, share right, count; and the expected
    calibration error (the count-weighted mean gap)."""
    from entityx.components.confidence import Calibration

    if predicted is None:
        calibrate = Calibration(table)
        predicted = [calibrate(r["group"], r["label"], r["score"]) for r in found]
    bins = [[0.0, 0, 0] for _ in range(BINS)]
    for r, p in zip(found, predicted):
        b = bins[min(int(p * BINS), BINS - 1)]
        b[0] += p
        b[1] += r["right"]
        b[2] += 1
    total = len(found) or 1
    rows = [{"bin": f"{i / BINS:.1f}-{(i + 1) / BINS:.1f}", "predicted": round(s / n, 3), "observed": round(r / n, 3),
             "mentions": n} for i, (s, r, n) in enumerate(bins) if n]
    ece = sum(abs(s / n - r / n) * n for s, r, n in bins if n) / total
    return {"bins": rows, "ece": round(ece, 4), "mentions": len(found)}


def cross_fitted(found: list[dict]) -> dict:
    """Reliability of calibrations each fitted on the other folds: an honest estimate."""
    from entityx.components.confidence import Calibration

    predicted = [0.0] * len(found)
    for fold in sorted({r["fold"] for r in found}):
        calibrate = Calibration(fit([r for r in found if r["fold"] != fold]))
        for i, r in enumerate(found):
            if r["fold"] == fold:
                predicted[i] = calibrate(r["group"], r["label"], r["score"])
    return reliability(found, predicted=predicted)

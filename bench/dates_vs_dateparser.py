"""Benchmark (not a test): entityx's date finder against dateparser's ``search_dates``.

    python bench/dates_vs_dateparser.py [--runs N]

Both read the same texts — the development set (tests/devset/gold.jsonl) and the date suite
(tests/data/dates.jsonl) — in French, relative to each document's publication date
(dateparser: ``languages=['fr']``, ``RELATIVE_BASE`` = the publication date). Printed for
each: strict F1 of DATE spans (same start and end), value accuracy (share of gold dates
with a value whose value is exact; dateparser's datetime is cut to the gold value's
precision, day, month or year, so it is not penalised for the time it adds), and wall time
per pass, measured in alternation (A B A B ...), with the median ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings
from datetime import datetime
from pathlib import Path

from entityx.dates import Reference, find_dates, reference_from_text
from entityx.inline_gold import parse

ROOT = Path(__file__).resolve().parents[1]


def corpora() -> dict[str, list[dict]]:
    """name → documents {text, published, gold: {(start, end): norm}}."""
    devset = []
    for line in (ROOT / "tests" / "devset" / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        published = (d.get("meta") or {}).get("published") or reference_from_text(d["text"])
        gold = {(s["start"], s["end"]): s.get("norm") for s in d["spans"] if s["label"] == "DATE"}
        devset.append({"text": d["text"], "published": published, "gold": gold})
    suite = []
    for line in (ROOT / "tests" / "data" / "dates.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        text, spans = parse(case["text"])
        published = case["published"] or reference_from_text(text)
        suite.append({"text": text, "published": published,
                      "gold": {(s["start"], s["end"]): s.get("norm") for s in spans if s["label"] == "DATE"}})
    return {"devset": devset, "date suite": suite}


def entityx_dates(doc: dict) -> dict:
    return {(f.start, f.end): f.norm for f in find_dates(doc["text"], Reference.parse(doc["published"]))}


def base(published: str | None) -> datetime | None:
    if not published:
        return None
    parts = [int(p) for p in published.split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2])


def dateparser_dates(doc: dict) -> dict:
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": base(doc["published"])} if doc["published"] else {}
    found = search_dates(doc["text"], languages=["fr"], settings=settings) or []
    spans, at = {}, 0
    for substring, when in found:  # in reading order: each found after the previous one
        start = doc["text"].find(substring, at)
        if start < 0:
            start = doc["text"].find(substring)
        if start < 0:
            continue
        spans[(start, start + len(substring))] = when
        at = start + len(substring)
    return spans


def same_value(gold: str | None, got) -> bool:
    if gold is None or got is None:
        return False
    if isinstance(got, str):
        return got == gold
    for shape, length in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        if len(gold) == length and gold[:4].isdigit():
            return got.strftime(shape) == gold
    return False  # ranges, weeks, seasons: no single datetime is that value


def score(docs: list[dict], predicted: list[dict]) -> tuple[float, float, int]:
    tp = fp = fn = exact = valued = 0
    for doc, got in zip(docs, predicted):
        gold = doc["gold"]
        tp += len(gold.keys() & got.keys())
        fp += len(got.keys() - gold.keys())
        fn += len(gold.keys() - got.keys())
        for span, norm in gold.items():
            if norm is not None:
                valued += 1
                exact += span in got and same_value(norm, got[span])
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1, exact / valued if valued else 0.0, valued


def timed(finder, docs: list[dict]) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    out = [finder(d) for d in docs]
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed passes of each (alternating)")
    runs = parser.parse_args().runs
    try:
        import dateparser  # noqa: F401
    except ImportError:
        raise SystemExit("Error: dateparser is not installed (pip install -e '.[bench]')") from None
    warnings.filterwarnings("ignore")
    entityx_dates({"text": "5 mars 2025", "published": None})  # build the grammar once
    dateparser_dates({"text": "5 mars 2025", "published": None})  # load its language data once
    print(f"{'corpus':<11} {'finder':<11} {'strict F1':>9} {'values':>8} {'seconds':>8}")
    for name, docs in corpora().items():
        times = {"entityx": [], "dateparser": []}
        results = {}
        for _ in range(runs):
            for finder_name, finder in (("entityx", entityx_dates), ("dateparser", dateparser_dates)):
                wall, results[finder_name] = timed(finder, docs)
                times[finder_name].append(wall)
        for finder_name in ("entityx", "dateparser"):
            f1, values, valued = score(docs, results[finder_name])
            print(f"{name:<11} {finder_name:<11} {f1:9.3f} {values:8.3f} {statistics.median(times[finder_name]):8.3f}")
        ratios = [d / e for e, d in zip(times["entityx"], times["dateparser"])]
        print(f"{name:<11} {len(docs)} documents, {sum(len(d['gold']) for d in docs)} gold dates"
              f" ({valued} with a value); dateparser/entityx time, median ratio {statistics.median(ratios):.1f}")


if __name__ == "__main__":
    main()

"""The figures of ``cv.json`` (written by ``train.py``) as the model card's Markdown tables.

Run: ``python training/report.py [entityx/models/cv.json]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / "entityx" / "models" / "cv.json"
SYSTEMS = [("raw_md", "stock md NER alone"), ("raw", "entityx's NER alone"),
           ("entityx_md", "entityx with the stock NER"), ("entityx", "entityx (what ships)")]
PARTS = [("all", "all"), ("corpus", "team corpus"), ("devset", "devset"), ("winer", "WiNER-fr 2016")]


def f1(found: dict, label: str) -> str:
    row = found["labels"].get(label)
    return f"{row['f1']:.3f}" if row else "–"


def scores(report: dict) -> str:
    lines = ["| system | part | micro P | micro R | micro F1 | PER | ORG | LOC | DATE |",
             "|---|---|---|---|---|---|---|---|---|"]
    for key, name in SYSTEMS:
        for part, shown in PARTS:
            found = report[key].get(part)
            if not found:
                continue
            micro = found["labels"]["micro"]
            dates = found.get("dates")
            lines.append(f"| {name} | {shown} | {micro['precision']:.3f} | {micro['recall']:.3f} | {micro['f1']:.3f} | "
                         f"{f1(found, 'PER')} | {f1(found, 'ORG')} | {f1(found, 'LOC')} | "
                         f"{f1(dates, 'DATE') if dates and not key.startswith('raw') else '–'} |")
    return "\n".join(lines)


def reliability(found: dict) -> str:
    lines = ["| confidence | mean predicted | share right | mentions |", "|---|---|---|---|"]
    lines += [f"| {b['bin']} | {b['predicted']:.3f} | {b['observed']:.3f} | {b['mentions']} |" for b in found["bins"]]
    lines.append(f"\nExpected calibration error: **{found['ece']:.3f}** over {found['mentions']} mentions.")
    return "\n".join(lines)


def main(path: Path) -> None:
    report = json.loads(path.read_text(encoding="utf-8"))
    took = f"{report['seconds']} s" + (" (models already trained in --out reused)" if report.get("reused_models")
                                         else " to train and measure")
    print(f"Settings: {json.dumps(report['settings'])}; documents held out: {report['documents']}; {took}.\n")
    print("Strict P/R/F1 on held-out folds (PER/ORG/LOC micro; DATE where the gold tags every date):\n")
    print(scores(report))
    print("\nConfidence, calibrated on the other folds (cross-fitted):\n")
    print(reliability(report["calibration_cross_fitted"]))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)

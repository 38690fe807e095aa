"""What each of entityx's components earns with the trained model, by cross-validation.

For each fold trained by ``train.py`` (``--out``), the held-out documents go through the
pipeline with that fold's weights, whole and then with one component switched off, and the
strict PER/ORG/LOC scores are summed over the folds. A component whose removal scores the
same or better no longer earns its keep.

Run: ``python training/ablate.py --out training/out`` (after ``make train``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import prepare
import train

COMPONENTS = ["entityx_agencies", "entityx_acronyms", "entityx_places", "entityx_arbiter"]


def parts() -> list[tuple[str, list[str]]]:
    """(name, the components switched off) of every part measured."""
    return [("nothing", []), *((name.removeprefix("entityx_"), [name]) for name in COMPONENTS)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--folds", type=str, default=None, help="e.g. 0,1 (default: every fold found)")
    args = parser.parse_args(argv)

    from entityx.pipeline import load_pipeline

    golds = prepare.all_gold()
    report = json.loads((args.out / "cv.json").read_text()) if (args.out / "cv.json").exists() else {}
    if not report:
        sys.exit(f"Error: {args.out / 'cv.json'} not found: run make train first (the folds are its)")
    k = report["settings"]["folds"]
    fold = train.folds_of(golds, k)
    found = sorted(int(p.name.split("-")[1]) for p in args.out.glob("fold-*") if (p / "model").exists())
    wanted = [int(f) for f in args.folds.split(",")] if args.folds else found
    results = {}
    for f in wanted:
        model = args.out / f"fold-{f}" / "model" / "model-last" / "ner"
        nlp = load_pipeline(model=model)
        held = [g for g, n in zip(golds, fold) if n == f]
        for name, off in parts():
            with nlp.select_pipes(disable=off):
                predicted = train.pipeline_predictions(held, model, labels=("PER", "ORG", "LOC"))
            results.setdefault(name, []).append((held, predicted))
    print(f"{'switched off':40} {'micro':>6} {'PER':>6} {'ORG':>6} {'LOC':>6} {'WiNER':>6} {'ours':>6}")
    table = {}
    for name, runs in results.items():
        golds_all = [g for held, _ in runs for g in held]
        predicted_all = [p for _, predicted in runs for p in predicted]
        scores = train.evaluate(golds_all, predicted_all)
        labels = scores["all"]["labels"]
        table[name] = {part: scores[part]["labels"]["micro"]["f1"] for part in scores}
        table[name].update({label: labels[label]["f1"] for label in ("PER", "ORG", "LOC")})
        print(f"{name:40} {labels['micro']['f1']:6.3f} {labels['PER']['f1']:6.3f} {labels['ORG']['f1']:6.3f} "
              f"{labels['LOC']['f1']:6.3f} {scores['winer']['labels']['micro']['f1']:6.3f} "
              f"{scores['corpus']['labels']['micro']['f1']:6.3f}")
    (args.out / "ablations.json").write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

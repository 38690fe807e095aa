"""Train entityx's NER and measure it by cross-validation: ``make train``.

Why ``spacy train`` with ``config.cfg`` rather than a loop of ``nlp.update``: the recipe is
then data plus one declarative file that spaCy itself replays (sourcing md's NER with its
weights, the optimiser, batching, the seed), and the loop we would write is the one spaCy
already has. This script only prepares the data, runs spaCy's trainer on each split
(two at a time: one per core), evaluates the whole entityx pipeline on what each split
held out, and fits the confidence calibration on those held-out predictions.

Steps (``--folds K``, 3 by default: with the final model, four trainings, two at a time on
two cores, about 17 minutes; the settings were chosen on two folds of five, see the model card):

1. gold documents: the team's corpus, the development set, WiNER-fr 2016 (``prepare.py``);
2. K folds, each document in one (by source, then by a hash of its id: stable);
3. K trainings on the other folds, and one on everything (the weights that ship);
4. each held-out fold run through entityx with its fold's weights and with the stock model:
   strict P/R/F1 per label (the figures of the model card), never on text a model saw;
5. the confidence calibration (``calibration.py``) fitted on the held-out predictions; its
   cross-fitted reliability is reported too.

Outputs: ``entityx/models/ner`` (weights), ``entityx/models/calibration.json``,
``entityx/models/cv.json`` (every figure), and the working folder ``training/out``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODELS = ROOT / "entityx" / "models"
sys.path.insert(0, str(HERE))

import calibration
import prepare


def folds_of(golds, k: int) -> list[int]:
    """The fold of each document: within each source, documents ordered by a hash of their
    id and dealt round-robin, so every fold has its share of each source."""
    fold = [0] * len(golds)
    by_source = defaultdict(list)
    for i, gold in enumerate(golds):
        by_source[gold.source].append(i)
    for indices in by_source.values():
        indices.sort(key=lambda i: hashlib.sha1(golds[i].id.encode()).hexdigest())
        for n, i in enumerate(indices):
            fold[i] = n % k
    return fold


def write_docbin(docs, path: Path) -> None:
    from spacy.tokens import DocBin

    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)


def spacy_train(folder: Path, settings: dict) -> Path:
    """Run ``spacy train`` on ``folder/train.spacy`` (dev: ``folder/dev.spacy``); the NER's folder."""
    command = [sys.executable, "-m", "spacy", "train", str(HERE / "config.cfg"), "--output", str(folder / "model"),
               "--paths.train", str(folder / "train.spacy"), "--paths.dev", str(folder / "dev.spacy"),
               "--training.max_epochs", str(settings["epochs"]), "--training.dropout", str(settings["dropout"]),
               "--training.optimizer.learn_rate", str(settings["learn_rate"]),
               "--training.seed", str(settings["seed"]), "--training.eval_frequency", str(settings["eval_every"])]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    with open(folder / "train.log", "w") as log:
        subprocess.run(command, check=True, stdout=log, stderr=subprocess.STDOUT, env=env)
    return folder / "model" / "model-last" / "ner"


def scored(golds, predictions, labels) -> dict:
    """Strict P/R/F1 per label and micro, counted as ``entityx eval`` counts."""
    from entityx.evaluate import Scores

    scores = Scores()
    for gold, spans in zip(golds, predictions):
        gold_spans = [dict(s, ignore=True) if s["label"] == "missing" else s for s in gold.spans]
        scores.add(gold_spans, spans, gold.text, gold.id, labels)
    return scores.table()


def pipeline_predictions(golds, model, labels=("PER", "ORG", "LOC", "DATE")) -> list[list[dict]]:
    """What entityx outputs on each gold text with the NER weights ``model``."""
    import entityx

    texts = [entityx.Text(g.text, g.published, source=g.id) for g in golds]
    return [[m.to_dict() | {"score": m.score} for m in doc.entities]
            for doc in entityx.extract_many(texts, labels=labels, model=model)]


def raw_predictions(golds, model) -> list[list[dict]]:
    """What the NER alone says on each gold text (on the text entityx shows it)."""
    from entityx.pipeline import load_pipeline
    from entityx.textview import View

    nlp = load_pipeline(model=model)
    ner = nlp.get_pipe("ner")
    found = []
    for gold in golds:
        view = View(gold.text)
        doc = ner(nlp.make_doc(view.text))
        found.append([{"start": view.start(e.start_char), "end": view.end(e.end_char), "label": e.label_}
                      for e in doc.ents])
    return found


def evaluate(golds, predictions) -> dict:
    """Scores on the three sources and on all: DATE only where the gold tags every date."""
    report = {}
    for name, keep in (("all", None), ("corpus", "corpus"), ("devset", "devset"), ("winer", "winer")):
        chosen = [i for i, g in enumerate(golds) if keep is None or g.source == keep]
        if not chosen:
            continue
        report[name] = scored([golds[i] for i in chosen], [predictions[i] for i in chosen], ("PER", "ORG", "LOC"))
        dated = [i for i in chosen if golds[i].source != "winer"]
        if dated:
            report[name]["dates"] = scored([golds[i] for i in dated], [predictions[i] for i in dated], ("DATE",))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--learn-rate", type=float, default=0.0005)
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--misc", choices=("rehearse", "drop"), default="rehearse")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat-ours", type=int, default=1,
                        help="times the team's corpus and the development set are seen per epoch (WiNER once)")
    parser.add_argument("--only-folds", type=str, default=None, help="e.g. 0,1: a quicker look while tuning")
    parser.add_argument("--no-final", action="store_true", help="cross-validate only; ship nothing")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep models already trained in --out")
    parser.add_argument("--eval-every", type=int, default=100_000,
                        help="steps between spaCy's scores of the raw NER on the held-out fold (train.log)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    settings = {"epochs": args.epochs, "learn_rate": args.learn_rate, "dropout": args.dropout,
                "misc": args.misc, "seed": args.seed, "folds": args.folds, "eval_every": args.eval_every,
                "repeat_ours": args.repeat_ours}

    import spacy

    from entityx.pipeline import MODEL, UNUSED, load_pipeline

    golds = prepare.all_gold()
    if not prepare.WINER.exists():
        print(f"warning: {prepare.WINER} is missing: training without WiNER-fr", file=sys.stderr)
    nlp = load_pipeline(model="md")
    stock = spacy.load(MODEL, exclude=[n for n in UNUSED if n != "ner"]).get_pipe("ner")
    docs = list(prepare.to_docs(golds, nlp, args.misc, stock))
    fold = folds_of(golds, args.folds)
    wanted = range(args.folds) if args.only_folds is None else [int(f) for f in args.only_folds.split(",")]
    jobs = {}
    weight = [args.repeat_ours if g.source != "winer" else 1 for g in golds]
    for k in wanted:
        folder = args.out / f"fold-{k}"
        write_docbin([d for d, f, w in zip(docs, fold, weight) if f != k for _ in range(w)], folder / "train.spacy")
        write_docbin([d for d, f in zip(docs, fold) if f == k], folder / "dev.spacy")
        jobs[k] = folder
    if not args.no_final:
        write_docbin([d for d, w in zip(docs, weight) for _ in range(w)], args.out / "final" / "train.spacy")
        write_docbin(docs[:10], args.out / "final" / "dev.spacy")
        jobs["final"] = args.out / "final"
    def train(folder: Path) -> Path:
        done = folder / "model" / "model-last" / "ner"
        return done if args.reuse and (done / "model").is_file() else spacy_train(folder, settings)

    with ThreadPoolExecutor(args.jobs) as pool:  # each spacy train is one process on one core
        trained = dict(zip(jobs, pool.map(train, jobs.values())))
    print(f"trained {len(jobs)} models in {time.monotonic() - started:.0f} s", file=sys.stderr)

    held_out = [i for i, f in enumerate(fold) if f in wanted]
    entityx_pred, raw_pred = [None] * len(golds), [None] * len(golds)
    for k in wanted:
        mine = [i for i in held_out if fold[i] == k]
        part = [golds[i] for i in mine]
        for i, found in zip(mine, pipeline_predictions(part, trained[k])):
            entityx_pred[i] = found
        for i, found in zip(mine, raw_predictions(part, trained[k])):
            raw_pred[i] = found
    evaluated = [golds[i] for i in held_out]
    md_pipeline = pipeline_predictions(evaluated, "md")
    md_raw = raw_predictions(evaluated, "md")
    records = calibration.records(evaluated, [entityx_pred[i] for i in held_out], [fold[i] for i in held_out])
    report = {
        "settings": settings,
        "documents": {source: sum(g.source == source for g in evaluated) for source in ("corpus", "devset", "winer")},
        "entityx": evaluate(evaluated, [entityx_pred[i] for i in held_out]),
        "entityx_md": evaluate(evaluated, md_pipeline),
        "raw": evaluate(evaluated, [raw_pred[i] for i in held_out]),
        "raw_md": evaluate(evaluated, md_raw),
        "calibration_cross_fitted": calibration.cross_fitted(records),
        "seconds": round(time.monotonic() - started),
        "reused_models": args.reuse,  # then "seconds" leaves out the trainings
    }
    if not args.no_final and args.only_folds is None:
        table = calibration.fit(records)
        report["calibration_in_sample"] = calibration.reliability(records, table)
        shutil.rmtree(MODELS / "ner", ignore_errors=True)
        shutil.copytree(trained["final"], MODELS / "ner")
        (MODELS / "calibration.json").write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
        (MODELS / "cv.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (args.out / "cv.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(summary(report))
    return 0


def summary(report: dict) -> str:
    """The figures a person reads: micro F1 and per label, entityx and md, pipeline and raw."""
    lines = []
    for name in ("entityx", "entityx_md", "raw", "raw_md"):
        for part, found in report[name].items():
            labels = found["labels"]
            row = " ".join(f"{label} {labels[label]['f1']:.3f}" for label in ("PER", "ORG", "LOC") if label in labels)
            micro = labels.get("micro", {}).get("f1", 0)
            dates = found.get("dates", {}).get("labels", {}).get("DATE", {}).get("f1")
            lines.append(f"{name:11} {part:7} micro {micro:.3f}  {row}" + (f"  DATE {dates:.3f}" if dates else ""))
    ece = report["calibration_cross_fitted"]["ece"]
    lines.append(f"confidence: cross-fitted ECE {ece:.3f} over {report['calibration_cross_fitted']['mentions']} mentions")
    lines.append(f"{report['seconds']} s")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

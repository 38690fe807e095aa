"""``entityx_confidence``: every entity's probability of being right, span and label.

Two things are known of each entity at the end of the pipeline: where its label came from
(``Span._.source``) and the NER's score for that very span and label (``entityx_ner``: the
product of its transitions' probabilities; 0 when the model did not propose it). Neither
is a probability by itself: a knowledge-base match the model never proposed is usually
right, a span the model proposed alone is right less often than its score says. The calibration
(``entityx/models/calibration.json``, fitted by ``make train`` on cross-validated
predictions) maps (origin, label, score) to the share of such entities that were right,
and that is the confidence (``Span._.confidence``, a float in [0, 1], 3 decimals).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from importlib.resources import files
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from entityx.components.ner import SCORES
from entityx.spanvalues import set_value, source_of

CALIBRATION = files("entityx").joinpath("models/calibration.json")


def group_of(source: str | None) -> str:
    """The origin a calibration tells apart: ``model`` alone, ``agree`` (the model and
    knowledge, ``model+kb``…), or the knowledge that gave the label (``kb``, ``rule``…)."""
    source = source or "model"
    return "agree" if source.startswith("model+") else source


class Calibration:
    """(group, label, score) → confidence, from a table of isotonic maps."""

    def __init__(self, table: dict | None) -> None:
        table = table or {"maps": {}, "groups": {}, "all": []}
        self.maps = {key: _steps(points) for key, points in table["maps"].items()}
        self.groups = {key: _steps(points) for key, points in table["groups"].items()}
        self.all = _steps(table["all"])

    def __call__(self, group: str, label: str, score: float) -> float | None:
        steps = self.maps.get(f"{group} {label}") or self.groups.get(group) or self.all
        if steps is None:
            return None
        xs, ys = steps
        i = bisect_right(xs, score)
        if i == 0:
            return ys[0]
        if i == len(xs):
            return ys[-1]
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]  # between two steps: a straight line
        return round(y0 + (y1 - y0) * (score - x0) / (x1 - x0), 3) if x1 > x0 else y1


def _steps(points: list) -> tuple[list[float], list[float]] | None:
    return ([p[0] for p in points], [p[1] for p in points]) if points else None


class Confidence:
    def __init__(self, path: str | None) -> None:
        self.path = path
        source = Path(path) if path else CALIBRATION
        self.table = json.loads(source.read_text(encoding="utf-8")) if source.is_file() else None
        self.calibrate = Calibration(self.table)

    def __call__(self, doc: Doc) -> Doc:
        scores = doc.user_data.get(SCORES, {})
        for ent in doc.ents:
            score = scores.get((ent.start_char, ent.end_char, ent.label_), 0.0)
            set_value(ent, "score", round(score, 4))
            confidence = self.calibrate(group_of(source_of(ent)), ent.label_, score)
            set_value(ent, "confidence", None if confidence is None else round(confidence, 3))
        return doc

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "calibration.json").write_text(json.dumps(self.table), encoding="utf-8")

    def from_disk(self, path, exclude=()):
        self.table = json.loads((Path(path) / "calibration.json").read_text(encoding="utf-8"))
        self.calibrate = Calibration(self.table)
        return self


@Language.factory("entityx_confidence", assigns=["span._.confidence", "span._.score"],
                  default_config={"calibration": None})
def make_confidence(nlp: Language, name: str, calibration: str | None) -> Confidence:
    return Confidence(calibration)

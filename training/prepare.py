"""Gold documents in our conventions, as spaCy training docs.

Three sources, each read where it is (never copied): the team's corpus (``training/corpus``,
inline markup), the development set (``tests/devset/gold.jsonl``) and WiNER-fr 2016
(``../shared/eval/winer-fr-2016.jsonl``, CC BY 4.0). The NER learns PER, ORG and LOC; DATE
is entityx's rules' work, so date tokens are plain outside tokens here.

WiNER-fr follows conventions close to ANNOTATION.md, and where it does not, it is mapped or
left unsaid (tokens marked *missing*, which the model is neither taught nor blamed for):

* a leading article or elision inside a span goes out (``l'ONU`` → ``ONU``, ``d'Europe``);
* a facility WiNER calls ORG (``aéroport de Roissy``) is LOC, as the guidelines say;
* a seat of power (``Élysée``, ``Bercy``) is LOC there and ORG here when it stands for the
  body; which one a sentence means is not in the data, so those tokens are missing;
* its ``TIME`` spans (marked ``ignore``) are missing.

Every text is tokenised as entityx tokenises it (the pipeline's own tokenizer, on the view
of the text the model sees); a span that does not fall on token boundaries (``DGSN-DGST``
as one token) leaves its tokens missing rather than taught wrong.

MISC: the guidelines do not annotate it, but entityx offers it on request. By default the
stock model's own MISC spans that touch no gold span are kept as MISC (``rehearse``), so
that fine-tuning does not unlearn them; ``drop`` teaches those tokens as outside.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from entityx.inline_gold import read_marked

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "training" / "corpus"
DEVSET = ROOT / "tests" / "devset" / "gold.jsonl"
WINER = ROOT.parent / "shared" / "eval" / "winer-fr-2016.jsonl"
LABELS = ("PER", "ORG", "LOC")
LEADING = re.compile(r"^(?:[lLdD]['’]\s*|(?:la|le|les) )")
FACILITY = re.compile(r"^(?:aéroport|port|gare|stade|poste-frontière|poste frontière)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Gold:
    """One gold document: its id, text, source (``corpus``, ``devset`` or ``winer``) and
    spans (``start``, ``end``, ``label``; ``missing`` for tokens to leave unsaid)."""

    id: str
    text: str
    source: str
    spans: tuple[dict, ...]
    published: str | None = None


def corpus() -> list[Gold]:
    """The team's articles, in file order."""
    docs = [read_marked(path) for path in sorted(CORPUS.glob("*.txt"))]
    return [Gold(d["id"], d["text"], "corpus", tuple(d["spans"]), d["meta"]["published"]) for d in docs]


def devset() -> list[Gold]:
    return [_from_json(line, "devset") for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]


def winer(path: Path = WINER) -> list[Gold]:
    """WiNER-fr 2016, mapped to our conventions (see the module's docstring)."""
    from entityx.knowledge import lexicon

    seats = {name.lower() for name in lexicon()["seats_of_power"]}
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            gold = _from_json(line, "winer")
            docs.append(Gold(gold.id, gold.text, gold.source, tuple(_mapped(gold, seats)), gold.published))
    return docs


def _from_json(line: str, source: str) -> Gold:
    data = json.loads(line)
    return Gold(data["id"], data["text"], source, tuple(data["spans"]), (data.get("meta") or {}).get("published"))


def _mapped(gold: Gold, seats: set[str]) -> Iterator[dict]:
    for span in gold.spans:
        start, end, label = span["start"], span["end"], span["label"]
        if span.get("ignore"):
            yield {"start": start, "end": end, "label": "missing"}
            continue
        if label not in LABELS:
            yield span
            continue
        text = gold.text[start:end]
        if (cut := LEADING.match(text)) and cut.end() < len(text):
            start += cut.end()
            text = gold.text[start:end]
        if label == "ORG" and FACILITY.match(text):
            label = "LOC"
        if label == "LOC" and text.lower() in seats:
            label = "missing"
        yield {"start": start, "end": end, "label": label}


def all_gold(include_winer: bool = True) -> list[Gold]:
    """Every gold document training may use."""
    return corpus() + devset() + (winer() if include_winer and WINER.exists() else [])


def to_docs(golds: Iterable[Gold], nlp, misc: str = "rehearse", stock=None) -> Iterator:
    """spaCy ``Doc`` objects of ``golds`` with their entities set for training: gold PER,
    ORG and LOC; missing tokens where told or misaligned; MISC as ``misc`` says (``stock``, the
    stock NER, gives the spans to rehearse)."""
    from spacy.tokens import Span

    from entityx.textview import View

    for gold in golds:
        view = View(gold.text)
        if len(view.text) != len(gold.text):  # offsets would shift: the original text, tokenised alike
            view = None
        text = view.text if view else gold.text
        doc = nlp.make_doc(text)
        entities, missing = [], []
        for span in gold.spans:
            if span["label"] not in (*LABELS, "missing"):
                continue
            found = doc.char_span(span["start"], span["end"], label=span["label"]) \
                if span["label"] in LABELS else None
            if found is None:
                covering = doc.char_span(span["start"], span["end"], alignment_mode="expand")
                if covering is not None:
                    missing.append(covering)
                continue
            entities.append(found)
        if misc == "rehearse" and stock is not None:
            taken = {i for span in (*entities, *missing) for i in range(span.start, span.end)}
            for ent in stock(nlp.make_doc(text)).ents:  # the same tokens: the same tokenizer
                if ent.label_ == "MISC" and not taken.intersection(range(ent.start, ent.end)):
                    entities.append(Span(doc, ent.start, ent.end, label="MISC"))
        entities = _without_overlaps([e for e in entities if e is not None])
        missing = [m for m in missing if not any(m.start < e.end and e.start < m.end for e in entities)]
        doc.set_ents(entities, missing=_without_overlaps(missing), default="outside")
        doc.user_data["gold_id"] = gold.id
        yield doc


def _without_overlaps(spans: list) -> list:
    kept, end = [], -1
    for span in sorted(spans, key=lambda s: (s.start, -len(s))):
        if span.start >= end:
            kept.append(span)
            end = span.end
    return kept

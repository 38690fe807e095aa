"""``entityx_arbiter``: one label per entity, for the document as a whole.

The statistical model labels each mention on its own, so one name may be a person in one
sentence and a place or a body in the next (``Recep Tayyip Erdogan`` … ``Erdogan a
déclaré``). This component runs after the knowledge components and gives:

- the mentions of one name the label with the strongest evidence, not the last:
  knowledge or a rule (a span not the model's own) and person evidence (a civility or a
  function right before it) outweigh a full form of several words, which outweighs a
  bare model guess; a mention with person evidence of its own keeps it (``Me Namur``
  among the town's mentions);
- a surname the label of the one full name it ends (``Erdogan`` after ``Recep Tayyip
  Erdogan``), and a bare use of it the model missed a person mention of its own.

Only spans whose label is the model's own are changed; the person cues are data
(``civilities`` and ``titles`` of ``data/lexicon.json``).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from entityx.components.serial import DataComponent
from entityx.components.spans import entity_at, set_if_changed, sourced, span_text
from entityx.knowledge import fold
from entityx.spanvalues import set_value, source_of, value


def _from_model(span: Span) -> bool:
    if span.kb_id:
        return False
    return source_of(span) == "model" and not value(span, "canonical")


def _relabel(span: Span, label: str) -> Span:
    new = Span(span.doc, span.start, span.end, label=label, kb_id=span.kb_id_)
    set_value(new, "canonical", value(span, "canonical"))
    return sourced(new, "rule")


class Arbiter(DataComponent):
    files = ("lexicon.json",)

    def __init__(self, lexicon: str | None = None) -> None:
        self.setup_packaged({"lexicon.json": lexicon})

    def setup(self, words: dict) -> None:
        self.person_cues = words["civilities"] | words["titles"]

    def __call__(self, doc: Doc) -> Doc:
        # One list of entities from start to end: reading or setting doc.ents walks the doc.
        old = list(doc.ents)
        ents = self._one_label_per_entity(old)
        set_if_changed(doc, _with_surnames(doc, ents), old)
        return doc

    def _person_evidence(self, span: Span) -> bool:
        """A civility or a function right before ``span``: ``M. Tanger``, ``Me Namur``."""
        return span.start > 0 and fold(span.doc[span.start - 1].text) in self.person_cues

    def _weight(self, ent: Span) -> tuple[str, int]:
        if not _from_model(ent):
            return ent.label_, 3  # knowledge or a rule said so
        if self._person_evidence(ent):
            return "PER", 3
        return ent.label_, 2 if len(ent) > 1 else 1

    def _one_label_per_entity(self, ents: list[Span]) -> list[Span]:
        """The mentions of one name share the label with the most evidence; then a
        surname the model labelled otherwise takes its one full name's label."""
        members = defaultdict(list)
        for e in ents:
            if e.label_ in {"PER", "ORG", "LOC"}:
                members[fold(span_text(e))].append(e)
        changed = {}
        for group in members.values():
            if len({e.label_ for e in group}) < 2:
                continue
            votes = Counter()
            for e in group:
                label, weight = self._weight(e)
                votes[label] += weight
            (best, top), *rest = votes.most_common()
            if rest and rest[0][1] == top:
                continue  # no evidence is stronger: leave each mention as it is
            for e in group:  # a mention with evidence of its own keeps it: "Me Namur"
                if e.label_ != best and _from_model(e) and not self._person_evidence(e):
                    changed[e.start] = _relabel(e, best)
        ents = [changed.get(e.start, e) for e in ents]
        owners = _full_names(ents)
        return [_relabel(e, "PER") if e.label_ in {"ORG", "LOC"} and _from_model(e)
                and len(owners.get(fold(span_text(e)), ())) == 1 else e for e in ents]


PARTICLES = {"de", "d'", "d’", "du", "des", "van", "von", "der", "al", "el", "ben", "bin", "ould", "ibn", "abou"}


def _with_surnames(doc: Doc, ents: list[Span]) -> list[Span]:
    """``ents`` and every bare use of a person's surname outside them: the model finds
    ``Erdogan`` after ``Recep Tayyip Erdogan`` in one sentence and misses it in the next."""
    surnames = {e[-1].text for e in ents if e.label_ == "PER" and len(e) > 1
                and e[-1].is_title and e[-1].is_alpha and len(e[-1]) > 2}
    if not surnames:
        return ents
    taken = entity_at(doc, ents)
    found = [sourced(Span(doc, t.i, t.i + 1, label="PER"), "rule") for t in doc
             if t.text in surnames and taken[t.i] is None and not _in_a_longer_name(t)]
    return sorted(ents + found, key=lambda s: s.start) if found else ents


def _in_a_longer_name(token) -> bool:
    """``Juliette Méadel``, ``Dangote Group``, ``de Gaulle``: a capitalised word, a hyphen or a
    particle next to it."""
    doc, i = token.doc, token.i
    before = doc[i - 1] if i > 0 else None
    after = doc[i + 1] if i + 1 < len(doc) else None
    if before is not None and (before.lower_ in PARTICLES or before.is_title
                               or before.text == "-" and not before.is_sent_start):
        return True
    # the next sentence's first word is not part of the name: "… Erdogan. Le président …"
    return after is not None and (after.is_title or after.text == "-") and not after.is_sent_start


def _full_names(ents: list[Span]) -> dict[str, set[str]]:
    """Each trailing part of a person's full name (``erdogan``, ``tayyip erdogan``) and the
    full names it ends."""
    owners = defaultdict(set)
    for e in ents:
        if e.label_ != "PER" or len(e) < 2:
            continue
        words = fold(span_text(e)).split()
        if len(words) > 1:
            for n in range(1, len(words)):
                owners[" ".join(words[-n:])].add(" ".join(words))
    return owners


@Language.factory("entityx_arbiter", assigns=["doc.ents", "span._.source"], default_config={"lexicon": None})
def make_arbiter(nlp: Language, name: str, lexicon: str | None) -> Arbiter:
    """``lexicon``: a lexicon.json to use instead of the packaged one."""
    return Arbiter(lexicon)

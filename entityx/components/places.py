"""``entityx_places``: what a gazetteer of the world's places and nationalities fixes.

- A known place the model missed, cut short or mislabelled becomes LOC (``Amérique latine``,
  ``MENA``; a capital standing for its government stays a place: ``Rabat a salué``).
- A place inside an event's name is a place; the event is not an entity (``Jeux de Rio``).
- A nationality the model took for a place becomes MISC (``Français``, ``Américaine``).
- A state body named by a common noun and a nationality is an ORG (``armée syrienne``).
- An institution named after its city is an ORG (``diocèse de Hearst``, ``CHU de Reims``).
- A facility followed by its city is two spans (``aéroport Mohammed V`` de ``Casablanca``).

Names from the knowledge base or an acronym definition are never touched.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from entityx.components.spans import entity_at, merge_ents, overlapping
from entityx.knowledge import fold, lexicon

LINKERS = {"de", "d'", "du", "des"}
SEAMS = re.compile(r"(?<=\W)|(?=\W)")  # where a token may end inside a name


@cache
def geography() -> dict:
    raw = json.loads(files("entityx.data").joinpath("geography.json").read_text(encoding="utf-8"))
    names = [n for c in raw["countries"] for n in c["names"]] + raw["places"]
    return {
        "names": names,
        "demonyms": frozenset(fold(d) for c in raw["countries"] for d in c["demonyms"]) | {"suissesse"},
        "institutions": frozenset(fold(w) for w in raw["institution_heads"]),
        "bodies": frozenset(fold(w) for w in raw["body_heads"]),
    }


def _protected(span: Span) -> bool:
    return bool(span.kb_id_ or span._.canonical)


class NameIndex:
    """Every token run whose text is one of ``names``, exactly (case and accents kept).

    Names are looked up as strings over token boundaries, never tokenised: a PhraseMatcher
    must tokenise each of the gazetteer's ~86,000 forms at start-up (27 s here); this index
    builds in about half a second.
    """

    def __init__(self, names) -> None:
        self.names = frozenset(names)
        # Each name's beginnings that can end a token: before or after a space, dash, quote.
        self.beginnings = frozenset(
            name[:m.start()] for name in self.names if not name.isalnum()
            for m in SEAMS.finditer(name, 1))

    def __call__(self, doc: Doc):
        for token in doc:
            text, end = token.text, token.i + 1
            while True:
                if text in self.names:
                    yield token.i, end
                if end == len(doc) or text not in self.beginnings:
                    break
                text += doc[end - 1].whitespace_ + doc[end].text
                end += 1


class Places:
    def __init__(self, nlp: Language) -> None:
        geo = geography()
        self.demonyms, self.institutions, self.bodies = geo["demonyms"], geo["institutions"], geo["bodies"]
        self.facilities = lexicon()["facility_heads"]
        forms = {f for name in geo["names"] for f in (name, name.replace("'", "’"))}
        self.names = NameIndex(forms)
        self.known = self.names.names

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = filter_spans([self._relabel(e) for e in doc.ents])
        new = self._bodies(doc) + self._places(doc)
        merge_ents(doc, new)
        doc.ents = [piece for e in doc.ents for piece in self._split_facility(e)]
        return doc

    def _relabel(self, ent: Span) -> Span:
        if _protected(ent):
            return ent
        doc, head = ent.doc, fold(ent[0].text)
        if head in self.demonyms and ent.label_ != "MISC":
            if len(ent) == 1:
                if ent.text not in self.known:  # "Suisse" is a country too
                    return Span(doc, ent.start, ent.end, label="MISC")
            elif ent[1].is_title and ent[0].is_title:  # "l'Iranien Mojtaba Abedini": a person
                return Span(doc, ent.start + 1, ent.end, label="PER")
        if ent.label_ == "LOC" and head in self.institutions and len(ent) > 2:
            return Span(doc, ent.start, ent.end, label="ORG")
        # "diocèse de [Hearst]": the institution is named after its place.
        if ent.label_ == "LOC" and ent.start >= 2 and fold(doc[ent.start - 1].text) in LINKERS \
                and fold(doc[ent.start - 2].text) in self.institutions:
            return Span(doc, ent.start - 2, ent.end, label="ORG")
        return ent

    def _bodies(self, doc: Doc) -> list[Span]:
        """``armée syrienne``, ``gouvernement ukrainien``, ``police fédérale belge``."""
        spans, cover = [], entity_at(doc)
        for token in doc:
            if fold(token.text) not in self.bodies or not token.is_lower:
                continue
            end = token.i + 1
            if end < len(doc) and doc[end].is_lower and fold(doc[end].text) not in self.demonyms \
                    and end + 1 < len(doc) and fold(doc[end + 1].text) in self.demonyms:
                end += 1  # one adjective between: "police fédérale belge"
            if end < len(doc) and doc[end].is_lower and fold(doc[end].text) in self.demonyms:
                span = Span(doc, token.i, end + 1, label="ORG")
                if not any(_protected(e) for e in overlapping(cover, span.start, span.end)):
                    spans.append(span)
        return spans

    def _places(self, doc: Doc) -> list[Span]:
        spans, cover = [], entity_at(doc)
        for start, end in self.names(doc):
            span = Span(doc, start, end, label="LOC")
            others = overlapping(cover, start, end)
            if not others:
                spans.append(span)
            elif any(_protected(e) for e in others):
                continue
            elif all(e.start >= start and e.end <= end for e in others) and \
                    all(e.label_ in ("LOC", "MISC", "ORG") or self._locative(doc, start) for e in others):
                spans.append(span)  # the model had it shorter, or as an organisation
            elif all(e.label_ == "MISC" for e in others):
                spans.append(span)  # an event is no entity, a place in its name is: "Jeux de Rio"
        return spans

    @staticmethod
    def _locative(doc: Doc, start: int) -> bool:
        """A person's name is read as a place only after a preposition of place: "de Melilla"."""
        return start > 0 and fold(doc[start - 1].text) in lexicon()["locatives"]

    def _split_facility(self, ent: Span):
        """``aéroport Mohammed V de Casablanca`` → the facility, and its city."""
        doc = ent.doc
        if ent.label_ == "LOC" and fold(ent[0].text) in self.facilities and not _protected(ent):
            for i in range(ent.start + 2, ent.end - 1):
                tail = doc[i + 1 : ent.end].text
                if fold(doc[i].text) in LINKERS and tail in self.known and doc[i - 1].is_title:
                    return [Span(doc, ent.start, i, label="LOC"), Span(doc, i + 1, ent.end, label="LOC")]
        return [ent]


@Language.factory("entityx_places", assigns=["doc.ents"])
def make_places(nlp: Language, name: str) -> Places:
    return Places(nlp)

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

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from entityx.components.names import NameIndex
from entityx.components.serial import DataComponent
from entityx.components.spans import (
    agreement,
    entity_at,
    lower_keys,
    merge_sourced,
    overlapping,
    set_if_changed,
    sourced,
    where,
)
from entityx.knowledge import agency_by_id, fold
from entityx.spanvalues import set_value, source_of, value


def _protected(span: Span) -> bool:
    """A body of the knowledge base, linked or to be linked (a name several countries share)."""
    return bool(span.kb_id or value(span, "canonical") or value(span, "candidates"))


class Places(DataComponent):
    def __init__(self, nlp: Language, lexicon: str | None = None, geography: str | None = None,
                 bodies: bool = True) -> None:
        self.nlp, self.bodies_on = nlp, bodies
        self.setup_packaged({"lexicon.json": lexicon, "geography.json": geography})

    def setup(self, words: dict, geo: dict) -> None:
        nlp = self.nlp
        self.demonyms, self.institutions, self.bodies = geo["demonyms"], geo["institutions"], geo["bodies"]
        self.demonym_country = geo["demonym_country"]
        self.body_keys = lower_keys(nlp.vocab, geo["body_words"])
        self.locatives = words["locatives"]
        self.indefinites = words["indefinite_articles"]
        self.facilities, self.linkers = words["facility_heads"], words["linking_words"]
        self.qualifiers = words["body_qualifiers"]
        self.regional = frozenset().union(*words["regional_adjectives"].values())
        self.known = geo["known"]
        self.names = NameIndex(self.known)

    def __call__(self, doc: Doc) -> Doc:
        old = list(doc.ents)
        ents = filter_spans([self._relabel(e) for e in old])
        cover = entity_at(doc, ents)
        new = (self._bodies(doc, cover) if self.bodies_on else []) + self._places(doc, cover)
        ents = [piece for e in merge_sourced(ents, new, len(doc)) for piece in self._split_facility(e)]
        set_if_changed(doc, ents, old)
        return doc

    def _relabel(self, ent: Span) -> Span:
        if _protected(ent):
            return ent
        doc, head = ent.doc, fold(ent[0].text)
        if head in self.demonyms and ent.label_ != "MISC":
            if len(ent) == 1:
                if ent.text not in self.known:  # "Suisse" is a country too
                    return sourced(Span(doc, ent.start, ent.end, label="MISC"), "gazetteer")
            elif ent[1].is_title and ent[0].is_title:  # "l'Iranien Mojtaba Abedini": a person
                return sourced(Span(doc, ent.start + 1, ent.end, label="PER"), "rule")
        if ent.label_ == "LOC" and head in self.institutions and len(ent) > 2:
            return sourced(Span(doc, ent.start, ent.end, label="ORG"), "rule")
        # "diocèse de [Hearst]": the institution is named after its place.
        if ent.label_ == "LOC" and ent.start >= 2 and fold(doc[ent.start - 1].text) in self.linkers \
                and fold(doc[ent.start - 2].text) in self.institutions:
            return sourced(Span(doc, ent.start - 2, ent.end, label="ORG"), "rule")
        return ent

    def _bodies(self, doc: Doc, cover: list[Span | None]) -> list[tuple[Span, str]]:
        """``armée syrienne``, ``police fédérale belge``, ``gendarmerie maritime``, ``police
        cantonale fribourgeoise``; a known body followed by a nationality is extended and
        keeps its id only if the nationality is its country's (``police nationale ivoirienne``
        is not France's ``Police nationale``)."""
        spans = []
        for i in where(doc, self.body_keys):
            token = doc[i]
            if fold(token.text) not in self.bodies or not token.is_lower:
                continue
            end = self._body_end(doc, token.i + 1)
            if end == token.i + 1:
                continue
            span, source = Span(doc, token.i, end, label="ORG"), "rule"
            others = overlapping(cover, span.start, span.end)
            known = [e for e in others if _protected(e)]
            if known and not all(e.start >= span.start and e.end < span.end for e in known):
                continue
            if len(known) == 1 and known[0].kb_id_ in agency_by_id():
                country = self.demonym_country.get(fold(doc[end - 1].text))
                if country == agency_by_id()[known[0].kb_id_].country:
                    span, source = Span(doc, span.start, end, label="ORG", kb_id=known[0].kb_id_), "kb"
                    set_value(span, "canonical", value(known[0], "canonical"))
            spans.append((span, source))
        return spans

    def _body_end(self, doc: Doc, i: int) -> int:
        """Where the adjectives naming one body after its head word end (``i`` if none):
        a nationality or regional adjective, after at most one other lower-case adjective,
        or a qualifier alone (``maritime``, ``grand-ducale``)."""
        def word(j: int) -> str:
            return fold(doc[j].text) if j < len(doc) and doc[j].is_lower else ""

        def specific(j: int) -> bool:
            return word(j) in self.demonyms or word(j) in self.regional

        if specific(i):
            return i + 1
        if word(i) and specific(i + 1):
            return i + 2  # "police fédérale belge", "police cantonale vaudoise"
        return i + 1 if word(i) in self.qualifiers else i

    def _places(self, doc: Doc, cover: list[Span | None]) -> list[tuple[Span, str]]:
        spans = []
        for start, end in self.names(doc):
            span = Span(doc, start, end, label="LOC")
            pair = (span, agreement(span, "gazetteer", cover))
            others = overlapping(cover, start, end)
            if self._after_indefinite(doc, start):
                continue  # no evidence of a place: "une Mercedes volée" (the model's span stays its own)
            if not others:
                spans.append(pair)
            elif any(_protected(e) for e in others):
                continue
            elif all(e.start >= start and e.end <= end for e in others) and \
                    all(e.label_ in ("LOC", "MISC", "ORG") or self._locative(doc, start) for e in others):
                spans.append(pair)  # the model had it shorter, or as an organisation
            elif all(e.label_ == "MISC" for e in others):
                spans.append(pair)  # an event is no entity, a place in its name is: "Jeux de Rio"
        return spans

    def _after_indefinite(self, doc: Doc, start: int) -> bool:
        """``une Mercedes volée``, ``une vieille Clio``: a name after ``un``/``une`` (and at
        most one lower-case adjective) is a thing of that name, rarely the place; the
        gazetteer neither makes it one nor confirms the model's."""
        i = start - 1
        if i > 0 and doc[i].is_lower and doc[i].is_alpha and fold(doc[i].text) not in self.indefinites:
            i -= 1
        return i >= 0 and fold(doc[i].text) in self.indefinites

    def _locative(self, doc: Doc, start: int) -> bool:
        """A person's name is read as a place only after a preposition of place: "de Melilla"."""
        return start > 0 and fold(doc[start - 1].text) in self.locatives

    def _split_facility(self, ent: Span):
        """``aéroport Mohammed V de Casablanca`` → the facility, and its city."""
        doc = ent.doc
        if ent.label_ == "LOC" and fold(ent[0].text) in self.facilities and not _protected(ent):
            for i in range(ent.start + 2, ent.end - 1):
                tail = doc[i + 1 : ent.end].text
                if fold(doc[i].text) in self.linkers and tail in self.known and doc[i - 1].is_title:
                    source = source_of(ent)
                    return [sourced(Span(doc, ent.start, i, label="LOC"), source),
                            sourced(Span(doc, i + 1, ent.end, label="LOC"), "gazetteer")]
        return [ent]


@Language.factory("entityx_places", assigns=["doc.ents", "span._.source"],
                  default_config={"lexicon": None, "geography": None, "bodies": True})
def make_places(nlp: Language, name: str, lexicon: str | None, geography: str | None, bodies: bool) -> Places:
    """``lexicon``, ``geography``: data files to use instead of the packaged ones; ``bodies``:
    tag bodies named by a noun and an adjective (``armée syrienne``)."""
    return Places(nlp, lexicon, geography, bodies)

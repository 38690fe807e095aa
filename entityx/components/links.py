"""``entityx_links``: places and bodies linked to the right thing, by what the document says.

* **Places.** A place the gazetteer knows gets an identity (``places.tsv``: GeoNames via
  ``make geography``): ``kb_id`` ``geonames:ID`` (an ISO subdivision has no GeoNames id and
  gets none), its ISO ``country`` and, for a city, ``lat``/``lon``. When a name stands for
  several places (``Valence``: Drôme or Spain; ``Tripoli``: Libya or Lebanon), the one in
  the country the document is most about wins, then the most populous.
* **Bodies named after a place** (a knowledge-base template: ``Cour d'appel de {PLACE}``)
  are one body per place: ``fr-cour-appel:lyon``, of the country the place is in; a country
  with no such body in the knowledge base gives no id (never another country's).
* **Names several countries' bodies bear** (``Cour de cassation``, ``ministère de
  l'Intérieur``) go to the body of the country the document is most about; when the text
  does not settle it, they keep no id.

What the document is about: its dateline's place (three times), the places it names that
are in one country (or whose homonyms are far smaller: Paris), the bodies of one country it
names, and the nationalities it uses, each once. One country must lead the others among the
candidates; a tie settles nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from entityx.components.spans import lower_keys, set_if_changed, span_text, where, words_of
from entityx.doctext import text_of
from entityx.knowledge import fold, geography, places
from entityx.spanvalues import set_value, value

DATELINE = 3  # the dateline's place weighs as much as three other mentions
DATELINE_PLACE = re.compile(r"\s*,\s*(?:le\s+)?(?:\d|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)",
                            re.IGNORECASE)
HEAD = 600  # characters searched for a dateline: after a headline and a standfirst
DOMINANT = 20  # a homonym this many times as populous as the others' is the one a text means


def slug(place: str) -> str:
    """``Aix-en-Provence`` → ``aix-en-provence``: the place in an instance id."""
    return re.sub(r"[^a-z0-9]+", "-", fold(place)).strip("-")


def dominant(candidates: list) -> str | None:
    """The country a place name is evidence for: its only one, or, among homonyms, the country
    of one at least twenty times as populous as every other country's (Paris: France, not Texas)."""
    by_country = {}
    for p in candidates:
        if p.country:
            by_country[p.country] = max(by_country.get(p.country, 0), p.population or 0)
    if len(by_country) == 1:
        return next(iter(by_country))
    ranked = sorted(by_country.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] >= DOMINANT * ranked[1][1]:
        return ranked[0][0]
    return None


def leading(evidence: Counter, countries) -> str | None:
    """The candidate country the evidence puts strictly first, or None."""
    ranked = sorted(((evidence[c], c) for c in set(countries) if c), reverse=True)
    if ranked and ranked[0][0] > 0 and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
        return ranked[0][1]
    return None


class Links:
    """Reads the knowledge base of the pipeline's ``entityx_agencies`` (the built-in one, the
    user's ``--kb``, or a saved pipeline's own copy) and the gazetteer's identities."""

    def __init__(self, nlp: Language) -> None:
        self.nlp, self.demonym_keys = nlp, None

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        if not ents:
            return doc
        agencies = self.nlp.get_pipe("entityx_agencies")
        agencies._ready()
        by_id = agencies.by_id
        self.candidates = lru_cache(maxsize=None)(lambda name: places().candidates(name))  # this doc's
        evidence, own = self.evidence(doc, ents, by_id)
        result = []
        for ent in ents:
            if ent.label_ == "LOC":  # a place does not vote for itself
                ent = self.place(ent, evidence - Counter(own.get((ent.start, ent.end), {})))
            elif ent.label_ == "ORG":
                ent = self.body(ent, evidence, by_id)
            result.append(ent)
        set_if_changed(doc, result, ents)
        return doc

    def evidence(self, doc: Doc, ents: list[Span], by_id: dict) -> tuple[Counter, dict]:
        """How much the document is about each country (ISO codes), and what each place gave."""
        found, own = Counter(), {}
        text = text_of(doc)
        for ent in ents:
            if ent.label_ == "LOC":
                country = dominant(self.candidates(span_text(ent)))
                if country:
                    weight = DATELINE if ent.start_char < HEAD and DATELINE_PLACE.match(text, ent.end_char) else 1
                    found[country] += weight
                    own[(ent.start, ent.end)] = {country: weight}
            elif ent.label_ == "ORG" and ent.kb_id_ in by_id:
                country = by_id[ent.kb_id_].country
                if country != "international":
                    found[country] += 1
        demonyms = geography()["demonym_country"]
        if self.demonym_keys is None:  # nationalities found by one array test, not token by token
            written = [d for country in geography()["country_list"] for d in country["demonyms"]]
            self.demonym_keys = lower_keys(doc.vocab, written)
        words = words_of(doc) if len(self.demonym_keys) else []
        for i in where(doc, self.demonym_keys):
            country = demonyms.get(fold(words[i]))
            if country and words[i].islower():
                found[country] += 1
        return found, own

    def place(self, ent: Span, evidence: Counter) -> Span:
        """``ent`` with the identity of the place it most likely names, if it is known."""
        candidates = self.candidates(span_text(ent))
        if not candidates:
            return ent
        country = leading(evidence, [p.country for p in candidates])
        pool = [p for p in candidates if p.country == country] or candidates
        chosen = max(pool, key=lambda p: p.population or 0)
        set_value(ent, "country", chosen.country)
        set_value(ent, "lat", chosen.lat)
        set_value(ent, "lon", chosen.lon)
        kb_id = f"geonames:{chosen.geonames}" if chosen.geonames else ""
        return ent if kb_id == ent.kb_id_ else Span(ent.doc, ent.start, ent.end, label=ent.label, kb_id=kb_id)

    def body(self, ent: Span, evidence: Counter, by_id: dict) -> Span:
        """``ent``, its id resolved when the knowledge base left a choice; its country set."""
        choices = value(ent, "candidates")
        if not choices:
            if ent.kb_id_ in by_id and by_id[ent.kb_id_].country != "international":
                set_value(ent, "country", by_id[ent.kb_id_].country)
            return ent
        entries = [by_id[i] for i in choices if i in by_id]
        town = value(ent, "place")
        if town:  # a templated body: the country of the place it names, among those that have one
            having = {e.country for e in entries}
            candidates = [p for p in self.candidates(town) if p.country in having]
            country = leading(evidence, [p.country for p in candidates]) \
                or (max(candidates, key=lambda p: p.population or 0).country if candidates else None)
            entry = next((e for e in entries if e.country == country), None)
            kb_id = f"{entry.id}:{slug(town)}" if entry else ""
        else:
            country = leading(evidence, [e.country for e in entries])
            entry = next((e for e in entries if e.country == country), None)
            kb_id = entry.id if entry else ""
            if entry is not None:
                set_value(ent, "canonical", entry.name)
        set_value(ent, "country", country if entry else None)
        if kb_id == ent.kb_id_:
            return ent
        return Span(ent.doc, ent.start, ent.end, label=ent.label, kb_id=kb_id)

    def to_disk(self, path, exclude=()) -> None:
        """Nothing of its own: it reads the gazetteer and the knowledge base."""

    def from_disk(self, path, exclude=()):
        return self


@Language.factory("entityx_links", assigns=["doc.ents", "span._.country", "span._.lat", "span._.lon"])
def make_links(nlp: Language, name: str) -> Links:
    return Links(nlp)

"""``entityx_arbiter``: a second look at every span, against knowledge and the document.

The statistical model's errors are mostly its own spans passed on unchecked: a town it
calls a person, a surname it calls a place after the full name, a capitalised number.
This component runs after the knowledge components and decides, rule by rule:

- *knowledge over the model*: a known place labelled PER becomes LOC unless there is
  person evidence (a civility or function before it, a known first name leading a name of
  several words, or a full name it belongs to); the
  place is looked up without accents and with ``qu`` as ``q`` (``Ben Guérir``, ``Fqih Ben
  Salah`` are GeoNames' ``Ben Guerir``, ``Fquih Ben Salah``), case kept;
- *whole bodies*: a capitalised name headed by a body word is one ORG span, not a place
  and an organisation cut at ``des`` (``État-Major Général des Armées``);
- *persons*: a multi-word name the model called MISC is a person if it or its surname
  alone has person evidence (``Recep Tayyip Erdogan`` … ``Erdogan a déclaré``); a name of
  2 to 4 capitalised words led by a known first name (``first_names.json``, from Faker's
  lists) that the model called a place, body or MISC is a person, unless the whole name is
  a known place or follows a place's or vessel's type word (``avenue Victor Hugo``);
- *press titles*: the capitalised name after a press word is a title (``le quotidien
  Al Watan``), an ORG even where the knowledge base cannot hold it (papers share names);
- *named terms*: a seat of power standing for its body is ORG, the building after a
  preposition of place LOC (``l'Élysée a démenti`` / ``devant l'Élysée``); a named
  movement is ORG (``Gilets jaunes``); a lone capitalised ``Gendarmerie`` in a text
  naming one gendarmerie is that body;
- *not names*: capitalised number words, a name right after a vessel word (a ship is a
  product, not a place), one word right after ``un``/``une`` (``une Mercedes``: a car);
- *one label per entity*: a surname takes the label of the one full name it ends, and
  the mentions of one name share the label with the strongest evidence (knowledge and
  person evidence outweigh full forms, which outweigh a bare model guess), not the last.

Only spans whose label is the model's own are changed; every word used is data.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from entityx.components.names import loose, loose_all
from entityx.components.serial import DataComponent
from entityx.components.spans import (
    entity_at,
    lower_keys,
    merge_sourced,
    overlapping,
    set_if_changed,
    sourced,
    span_text,
    where,
)
from entityx.knowledge import fold
from entityx.spanvalues import set_value, source_of, value

# Each rule can be switched off in the component's config (for ablations, or a corpus
# whose conventions differ).
RULES = {"known_places": True, "named_terms": True, "lone_bodies": True, "not_names": True, "whole_bodies": True,
         "press": True, "persons": True, "one_label": True, "first_names": True}


def _from_model(span: Span) -> bool:
    if span.kb_id:
        return False
    return source_of(span) == "model" and not value(span, "canonical")


def _relabel(span: Span, label: str, source: str = "rule") -> Span:
    new = Span(span.doc, span.start, span.end, label=label, kb_id=span.kb_id_)
    set_value(new, "canonical", value(span, "canonical"))
    return sourced(new, source)


class Arbiter(DataComponent):
    files = ("lexicon.json", "geography.json", "first_names.json")

    def __init__(self, nlp: Language, lexicon: str | None = None, geography: str | None = None,
                 rules: dict[str, bool] | None = None, first_names: str | None = None) -> None:
        self.nlp = nlp
        self.rules = {**RULES, **(rules or {})}
        self.setup_packaged({"lexicon.json": lexicon, "geography.json": geography,
                             "first_names.json": first_names})

    def setup(self, words: dict, geo: dict, first_names: frozenset[str]) -> None:
        nlp = self.nlp
        self.first_names = first_names
        # a name after one of these names that place or vessel: "avenue Victor Hugo"
        self.type_words = words["facility_heads"] | words["place_units"] | words["vessel_words"]
        self.person_cues = words["civilities"] | words["titles"]
        self.articles = words["articles"]
        self.building_prepositions = words["building_prepositions"]
        self.vessels = words["vessel_words"]
        self.linkers = words["linking_words"]
        # Press words as written (accents kept) and folded: found by one array test.
        self.press_keys = lower_keys(nlp.vocab, words["as_written"]["press_words"])
        self.person_verbs, self.indefinites = words["person_verbs"], words["indefinite_articles"]
        self.known_places, self.demonyms = geo["known"], geo["demonyms"]
        # Only the names loose() changes need their loose form stored (a fraction of the
        # gazetteer); the others are their own loose form, in known_places already.
        self.loose_places = frozenset(f for n, f in zip(geo["names"], loose_all(geo["names"])) if f != n)
        self.bodies = geo["bodies"]
        self.body_starts = self.bodies | {re.split(r"[-\s']", b)[0] for b in self.bodies}  # "etat" of "etat-major"
        self.body_keys = lower_keys(nlp.vocab, geo["body_words"])
        self.terms = PhraseMatcher(nlp.vocab, attr="LOWER")
        for key in ("seats_of_power", "movements"):
            forms = sorted({f for name in words[key] for f in (name, name.replace("'", "’"))})
            self.terms.add(key, list(nlp.tokenizer.pipe(forms)))

    def __call__(self, doc: Doc) -> Doc:
        # One list of entities from start to end: reading or setting doc.ents walks the doc.
        rules, old = self.rules, list(doc.ents)
        ents = old
        if rules["known_places"] or rules["not_names"] or rules["first_names"]:
            owners = _full_names(ents)
            ents = [e for e in (self._check(e, owners) for e in ents) if e is not None]
        if rules["whole_bodies"]:
            ents = self._whole_bodies(ents)
        if rules["persons"]:
            ents = self._persons(ents)
        new = self._named_terms(doc, ents) if rules["named_terms"] else []
        new += self._lone_bodies(doc, ents) if rules["lone_bodies"] else []
        new += self._press_titles(doc, ents) if rules["press"] else []
        if new:
            ents = merge_sourced(ents, new, len(doc))
        if rules["one_label"]:
            ents = self._one_label_per_entity(ents)
        set_if_changed(doc, ents, old)
        return doc

    # -- one span at a time ------------------------------------------------------------

    def _known_place(self, text: str) -> bool:
        """A gazetteer place, spelled with or without accents, ``qu`` or ``q``."""
        key = loose(text)
        return key in self.known_places or key in self.loose_places

    def _before(self, span: Span) -> str:
        """The folded word before ``span``, skipping articles."""
        i = span.start - 1
        while i >= 0 and fold(span.doc[i].text) in self.articles:
            i -= 1
        return fold(span.doc[i].text) if i >= 0 else ""

    def _person_evidence(self, span: Span) -> bool:
        return span.start > 0 and fold(span.doc[span.start - 1].text) in self.person_cues \
            or self.rules["first_names"] and self._first_named(span)

    def _first_named(self, span: Span) -> bool:
        """A name of 2 to 4 capitalised words led by a known first name (``Fatima Zahra
        Mansouri``), not after a place's or vessel's type word (``avenue Victor Hugo``)."""
        return 1 < len(span) < 5 and fold(span[0].text) in self.first_names \
            and all(t.text[:1].isupper() and not t.is_upper for t in span) \
            and self._before(span) not in self.type_words

    def _check(self, ent: Span, owners: dict[str, set[str]]) -> Span | None:
        if not _from_model(ent):
            return ent
        if self.rules["known_places"] and ent.label_ == "PER" and self._known_place(ent.text) \
                and not self._person_evidence(ent) and not owners.get(fold(ent.text)):
            return _relabel(ent, "LOC", "gazetteer")
        if self.rules["first_names"] and ent.label_ in {"LOC", "ORG", "MISC"} and self._first_named(ent) \
                and not self._known_place(ent.text):
            return _relabel(ent, "PER")  # "Jean-Pierre Raffarin" the model called a place
        if not self.rules["not_names"]:
            return ent
        if all(t.like_num and t.is_alpha for t in ent) and ent[0].is_title:
            return None  # a capitalised number word: "Quarante"
        if len(ent) == 1 and ent.start > 0 and fold(ent.doc[ent.start - 1].text) in self.indefinites:
            return _relabel(ent, "MISC")  # "une Mercedes", "une Renault": a thing of that name
        if self._before(ent) in self.vessels and ent.text not in self.known_places:
            return _relabel(ent, "MISC")  # "le patrouilleur Cormoran": a vessel's name
        return ent

    def _body_name(self, ent: Span) -> int:
        """How many tokens a capitalised name headed by a body word has after its head
        (``État-Major Général``, ``Armée de l'Air``: 1, 3), or -1 if it is no such name."""
        if fold(ent[0].text) not in self.body_starts:
            return -1
        head = next((n for n in (3, 1) if fold(ent[:n].text) in self.bodies), 0)  # "État-Major" is 3 tokens
        if not head or not ent[0].is_title or not all(
                t.is_title or t.is_upper or fold(t.text) in self.linkers for t in ent[head:]):
            return -1
        return len(ent) - head

    def _whole_bodies(self, ents: list[Span]) -> list[Span]:
        """A body's capitalised name is one ORG span, not a place and an organisation cut
        at ``des``: ``État-Major Général des Armées``."""
        out: list[Span] = []
        for e in ents:
            prev = out[-1] if out else None
            if prev is not None and prev.label_ != "PER" and source_of(prev) in {"model", "rule"} \
                    and not prev.kb_id_ and self._body_name(prev) >= 0 and _from_model(e) and e.label_ != "PER" \
                    and e.start > prev.end and all(t.is_title or t.is_upper for t in e) \
                    and all(fold(t.text) in self.linkers for t in e.doc[prev.end:e.start]):
                out[-1] = sourced(Span(e.doc, prev.start, e.end, label="ORG"), "rule")
                continue
            if _from_model(e) and e.label_ in {"LOC", "MISC"} and self._body_name(e) > 0:
                e = _relabel(e, "ORG")
            out.append(e)
        return out

    def _acts(self, span: Span) -> bool:
        """A verb of speech or personal action right after ``span``: ``Erdogan a déclaré``."""
        words = []
        for t in span.doc[span.end:span.end + 3]:
            words.append(fold(t.text))
            if " ".join(words) in self.person_verbs:
                return True
        return False

    def _persons(self, ents: list[Span]) -> list[Span]:
        """A multi-word capitalised name the model called MISC is a person when it, or its
        surname alone elsewhere in the text, has person evidence (a civility or function
        before, a verb of speech after, the model's own PER on the surname)."""
        names = [e for e in ents if e.label_ == "MISC" and _from_model(e) and len(e) > 1
                 and all(t.is_title and t.is_alpha for t in e) and not self._known_place(e.text)]
        if not names:
            return ents
        alone = defaultdict(list)
        for e in ents:
            if len(e) == 1:
                alone[e.text].append(e)
        changed = {}
        for name in names:
            mentions = [name, *alone.get(name[-1].text, ())]
            if any(self._person_evidence(m) or self._acts(m) or (m is not name and m.label_ == "PER")
                   for m in mentions):
                # "la Russe Inna Deriglazova": the nationality is not part of the name
                start = name.start + (fold(name[0].text) in self.demonyms and len(name) > 2)
                changed[name.start] = sourced(Span(name.doc, start, name.end, label="PER"), "rule")
        return [changed.get(e.start, e) for e in ents]

    # -- spans the model may not have ----------------------------------------------------

    def _named_terms(self, doc: Doc, ents: list[Span]) -> list[tuple[Span, str]]:
        matches = self.terms(doc)
        if not matches:
            return []
        spans, cover = [], entity_at(doc, ents)
        for key, start, end in matches:
            if not (doc[start].is_title or doc[start].is_upper):
                continue
            span = Span(doc, start, end, label="ORG")
            if doc.vocab.strings[key] == "seats_of_power" and self._before(span) in self.building_prepositions:
                span = Span(doc, start, end, label="LOC")  # the building itself: "devant l'Élysée"
            others = overlapping(cover, start, end)
            if all(e.start >= start and e.end <= end and _from_model(e) for e in others):
                spans.append((span, "rule"))
        return spans

    def _lone_bodies(self, doc: Doc, ents: list[Span]) -> list[tuple[Span, str]]:
        """``Gendarmerie`` alone, capitalised, where the text names one gendarmerie."""
        named = defaultdict(set)
        for e in ents:
            head = fold(e[0].text)
            if e.label_ == "ORG" and len(e) > 1 and head in self.bodies:
                named[head].add((e.kb_id_, value(e, "canonical") or e.text))
        if not named:
            return []
        spans, cover = [], entity_at(doc, ents)
        for i in where(doc, self.body_keys):
            token, head = doc[i], fold(doc[i].text)
            if not token.is_title or len(named.get(head, ())) != 1:
                continue
            ent = cover[token.i]
            if ent is None or (len(ent) == 1 and _from_model(ent)):
                ((kb_id, canonical),) = named[head]
                span = Span(doc, token.i, token.i + 1, label="ORG", kb_id=kb_id)
                set_value(span, "canonical", canonical)  # its range is the model's lone word, replaced here
                spans.append((span, "rule"))
        return spans

    def _press_titles(self, doc: Doc, ents: list[Span]) -> list[tuple[Span, str]]:
        """``le quotidien Al Watan``: the capitalised name after a press word is a title (ORG)."""
        spans, cover = [], entity_at(doc, ents)
        for i in (i for i in where(doc, self.press_keys) if doc[i].is_lower):
            start = end = i + 1
            while end < len(doc) and (doc[end].is_title or doc[end].is_upper or end > start and doc[end].like_num) \
                    and doc[end].is_alpha | doc[end].like_num:
                end += 1
            others = overlapping(cover, start, end)
            if end > start and all(e.start >= start and e.end <= end and _from_model(e) for e in others):
                spans.append((Span(doc, start, end, label="ORG"), "rule"))
        return spans

    # -- the document as a whole ---------------------------------------------------------

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


@Language.factory("entityx_arbiter", assigns=["doc.ents", "span._.source"],
                  default_config={"lexicon": None, "geography": None, "first_names": None, "rules": RULES})
def make_arbiter(nlp: Language, name: str, lexicon: str | None, geography: str | None,
                 first_names: str | None, rules: dict[str, bool]) -> Arbiter:
    """``lexicon``, ``geography``, ``first_names``: data files to use instead of the packaged
    ones; ``rules``: which of the rules run (all by default)."""
    return Arbiter(nlp, lexicon, geography, rules, first_names)

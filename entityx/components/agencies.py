"""``entityx_agencies``: the knowledge base of agencies and institutions, as ORG spans.

Long forms and variants match on lower case, with and without accents and with either
apostrophe; acronyms match case-sensitively; ``{PLACE}`` templates (courts, prosecution
offices) match a capitalised place name. Each span carries the entry's id as ``kb_id``
and its canonical name as ``Span._.canonical`` (for a template, the name as written). A
knowledge-base name overrides the statistical model where they overlap, and the longest
name wins; acronyms listed as ambiguous count only where the document names the body.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from entityx.components.spans import agreement, entity_at, merge_sourced
from entityx.knowledge import Agency, agencies, agency_by_id, fold, lexicon

PLACE = [{"IS_TITLE": True}, {"IS_TITLE": True, "OP": "?"}, {"IS_TITLE": True, "OP": "?"}]


def spellings(name: str) -> set[str]:
    """The written forms one name is matched under: accents and apostrophes vary in the press."""
    forms = {name, name.replace("'", "’"), name.replace("’", "'")}
    return forms | {fold(f) for f in forms} | {fold(f).replace("'", "’") for f in forms}


def _inside_longer_name(span: Span, cover: list[Span | None]) -> bool:
    """Whether the model already tagged a longer body ending with this name, as in
    "Secrétariat général d'Interpol" or "Commission de l'Union africaine": flat, longest."""
    ent = cover[span.end - 1]
    if ent is not None and ent.label_ == "ORG" and ent.start < span.start and ent.end == span.end and ent[0].is_title:
        return fold(span.doc[span.start - 1].text) in lexicon()["linking_words"]
    return False


class Agencies:
    def __init__(self, nlp: Language, entries: tuple[Agency, ...]) -> None:
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.weak_acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.templates = Matcher(nlp.vocab)
        for entry in entries:
            names = [f for f in entry.long_forms if "{PLACE}" not in f]
            forms = set().union(*(spellings(f) for f in names))
            self.names.add(entry.id, list(nlp.tokenizer.pipe(sorted(forms))))
            if entry.acronyms:
                self.acronyms.add(entry.id, list(nlp.tokenizer.pipe(entry.acronyms)))
            if entry.ambiguous_acronyms:
                self.weak_acronyms.add(entry.id, list(nlp.tokenizer.pipe(entry.ambiguous_acronyms)))
            patterns = []
            for template in entry.templates:
                for form in spellings(template.split("{PLACE}")[0].strip()):
                    head = [{"LOWER": t.lower_} for t in nlp.tokenizer(form)]
                    patterns.append(head + PLACE)
            if patterns:
                self.templates.add(entry.id, patterns, greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        found = [(strings[k], s, e, False) for k, s, e in self.names(doc)]
        found += [(strings[k], s, e, False) for k, s, e in self.acronyms(doc)]
        named = {kb for kb, *_ in found}
        found += [(strings[k], s, e, False) for k, s, e in self.weak_acronyms(doc) if strings[k] in named]
        found += [(strings[k], s, e, True) for k, s, e in self.templates(doc)]
        spans, cover = [], entity_at(doc)
        for kb, start, end, templated in found:
            span = Span(doc, start, end, label="ORG", kb_id=kb)
            # A templated name is its own body: "Cour d'appel de Rabat", not of Fès.
            span._.canonical = span.text if templated else agency_by_id()[kb].name
            spans.append(span)
        merge_sourced(doc, [(s, agreement(s, "kb", cover)) for s in spans if not _inside_longer_name(s, cover)])
        return doc


@Language.factory("entityx_agencies", assigns=["doc.ents"])
def make_agencies(nlp: Language, name: str) -> Agencies:
    return Agencies(nlp, agencies())

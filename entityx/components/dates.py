"""``entityx_dates``: French calendar expressions as DATE entities with their ISO value.

The reference date is ``Doc._.published`` when the caller set it, else the article's own
header or dateline (and ``Doc._.published`` is then set from it). Dates win over the
statistical model's spans, but not over a knowledge-base name that contains a date.
``Doc._.date_style == "timeml"`` cuts and values them as TimeBank 1.2 does.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from entityx.components.spans import entity_at, merged, overlapping, set_ents
from entityx.dates import Reference, find_dates, reference_from_text
from entityx.dates.timeml import timeml_style
from entityx.doctext import text_of
from entityx.spanvalues import set_value


class Dates:
    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        if doc._.published is None:
            doc._.published = reference_from_text(text)
        spans, ents = [], list(doc.ents)  # read once: reading doc.ents walks the doc
        cover = entity_at(doc, ents)
        dates = find_dates(text, Reference.parse(doc._.published))
        if doc._.date_style == "timeml":
            dates = timeml_style(text, dates)
        for found in dates:
            span = doc.char_span(found.start, found.end, label="DATE", alignment_mode="contract")
            if span is None or len(span.text) != found.end - found.start:
                continue
            if any(e.kb_id_ for e in overlapping(cover, span.start, span.end)):
                continue
            set_value(span, "norm", found.norm)
            set_value(span, "source", "rule")
            spans.append(span)
        if spans:
            set_ents(doc, merged(ents, spans, len(doc)), ents)
        return doc


@Language.factory("entityx_dates", assigns=["doc.ents"], requires=[])
def make_dates(nlp: Language, name: str) -> Dates:
    return Dates()

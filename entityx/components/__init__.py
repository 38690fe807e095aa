"""entityx's spaCy components, registered as ``entityx_*`` factories on import.

Extensions live here, in one place, and hold JSON-safe values:

- ``Doc._.published``: the reference date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) or None;
- ``Doc._.date_style``: ``"entityx"`` (the default, None too) or ``"timeml"`` (TimeBank 1.2
  spans and values);
- ``Span._.norm``: a DATE's ISO 8601 value, or None when it cannot be known;
- ``Span._.canonical``: the full name an acronym or variant stands for (knowledge base or
  in-text definition), or None;
- ``Span._.source``: where the span's label came from (``model``, ``kb``, ``gazetteer``,
  ``acronym``, ``rule``, ``patterns``, or ``model+kb``-style when two agree); None on a
  span straight from the statistical model;
- ``Span._.score``: the NER's score for the span and its label (the product of its
  transitions' probabilities; 0 when the model did not propose it), and ``Span._.confidence``: the calibrated probability that span and label are
  right (``entityx_confidence``);
- ``Span._.candidates`` and ``Span._.place``: the knowledge-base ids a name or a templated
  body may be, and the place it names (``entityx_agencies``), for ``entityx_links`` to choose;
- ``Span._.country`` (ISO 3166 code), ``Span._.lat`` and ``Span._.lon``: where a place or
  body is (``entityx_links``).

The knowledge-base id of an organisation is spaCy's own ``Span.kb_id_``.
"""

from spacy.tokens import Doc, Span

for _name, _cls in (("published", Doc), ("date_style", Doc), ("norm", Span), ("canonical", Span),
                    ("source", Span), ("score", Span), ("confidence", Span), ("candidates", Span),
                    ("place", Span), ("country", Span), ("lat", Span), ("lon", Span)):
    if not _cls.has_extension(_name):
        _cls.set_extension(_name, default=None)

from entityx.components import (  # noqa: F401
    acronyms,
    agencies,
    arbiter,
    confidence,
    dates,
    links,
    ner,
    places,
    provenance,
)

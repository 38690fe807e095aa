"""Properties that hold for any text: random mixes of French sentences, emoji, Arabic,
combining marks, odd spaces, zero-width and control characters, through the real pipeline
(loaded once; examples bounded so the suite stays fast)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import entityx

SENTENCES = [
    "Rabat, le 5 septembre 2024 – La DGSN a interpellé hier à Tanger un suspect.",
    "M.\u00a0Jean Dupont a été reçu par le directeur général Abdellatif Hammouchi.",
    "Le FBI et Europol coopèrent avec la police de Lyon depuis mars 2023.",
    "Interpol a tenu sa réunion à Lyon il y a trois jours.",
    "La Direction générale de la surveillance du territoire (DGST) a démantelé une cellule.",
    "Emmanuel Macron a reçu Olaf Scholz à l'Élysée le 12 janvier 2024.",
    "Au premier trimestre 2024, les saisies ont doublé au port de Tanger Med.",
    "Mme\u202fKarima Alaoui, procureure à Casablanca, a parlé mardi dernier.",
]
ODD = [
    "😀", "🇲🇦", "مرحبا بكم في الرباط", "\u0301", "e\u0301", "\u00a0", "\u202f", "\u200b",
    "\u200d", "\u2060", "\ufeff", "\u00ad", "\x1b[31m", "\x1b]0;x\x07", "\x00", "\t", "\n",
    "\n\n", " ", "\r\n", "\u2028", "’", "«\u00a0", "\u00a0»",
]
PIECES = st.one_of(st.sampled_from(SENTENCES), st.sampled_from(ODD), st.text(max_size=6))
TEXTS = st.lists(PIECES, min_size=1, max_size=10).map("".join)

# ISO 8601 dates, ISO 8601-2 seasons (21-24) and unknown digits (X), intervals A/B.
DAY = r"(?:\d{4}|XXXX)(?:-(?:0[1-9]|1[0-2]|2[1-4]|XX)(?:-(?:0[1-9]|[12]\d|3[01]|XX))?)?"
POINT = rf"(?:{DAY}|\d{{4}}-W(?:0[1-9]|[1-4]\d|5[0-3]))"
NORM = re.compile(rf"{POINT}(?:/{POINT})?")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_any_text_gives_a_coherent_document(nlp, text):
    doc = entityx.extract(text, "2024-09-05")
    groups = {g.id: g for g in doc.groups}
    for m in doc.entities:
        assert text[m.start : m.end] == m.text  # offsets slice back
        assert m.text and not m.text[0].isspace() and not m.text[-1].isspace()
        assert m.group in groups  # every mention is in a group that exists
        assert m.norm is None or NORM.fullmatch(m.norm), m.norm
    members = {m.group for m in doc.entities}
    assert set(groups) == members  # and every group has mentions
    if groups:
        # each salience is rounded to 4 decimals: the sum is 1 to within their rounding
        assert abs(sum(g.salience for g in doc.groups) - 1) <= 5e-5 * len(groups) + 1e-9
    for g in doc.groups:
        assert all(NORM.fullmatch(n) for n in g.norms), g.norms
        assert any(m.start == g.first for m in doc.entities if m.group == g.id)

"""The French date suite (tests/data/dates.jsonl): spans and ISO values, through the real
pipeline, one case a test; then checks of the suite's data."""

from __future__ import annotations

import pytest
from conftest import TESTS, read_jsonl
from markup import parse

from entityx.model import Text
from entityx.temporal import Reference, find_dates, is_absolute, reference_from_text

CASES = read_jsonl(TESTS / "data" / "dates.jsonl")


def expected(case: dict) -> tuple[str, dict]:
    text, spans = parse(case["text"])
    return text, {(s["start"], s["end"]): s.get("norm") for s in spans if s["label"] == "DATE"}


@pytest.fixture(scope="module")
def predicted(nlp):
    """Every case through ``extract_many`` in one pass, as {(start, end): norm}."""
    from entityx import extract_many

    inputs = [Text(expected(c)[0], c["published"]) for c in CASES]
    return [{(m.start, m.end): m.norm for m in doc.entities}
            for doc in extract_many(inputs, labels=["DATE"])]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c['kind']}-{i}" for i, c in enumerate(CASES)])
def test_case(index, predicted):
    case = CASES[index]
    text, gold = expected(case)
    got = predicted[index]
    shown = lambda spans: {text[s:e]: n for (s, e), n in spans.items()}
    assert shown(got) == shown(gold) and got == gold


def test_every_case_is_distinct_and_marked():
    """Each case is one test above, so the suite's score adds nothing; what can go wrong is
    the data: a case given twice, or a case of a date kind that marks no date."""
    keys = [(c["text"], c["published"]) for c in CASES]
    assert len(set(keys)) == len(keys)
    for case in CASES:
        assert case["kind"] == "negative" or expected(case)[1], case


def test_suite_covers_every_kind():
    kinds = {c["kind"] for c in CASES}
    assert {"absolute", "partial", "range", "relative_day", "weekday", "ago", "negative",
            "season", "quarter", "decade", "dateline", "header"} <= kinds


@pytest.mark.parametrize(
    "text, published",
    [(" date 2024-09 Abdellatif Hammouchi, à Lyon", "2024-09"),
     ("Rabat, le 12 mars 2025 – La DGSN a annoncé", "2025-03-12"),
     ("Casablanca, 3 juin 2024 : la police a arrêté", "2024-06-03"),
     ("Un texte sans date d'en-tête, publié le 12 mars 2025.", None),
     (" date 2024-13 Un en-tête impossible", None)],
)
def test_reference_from_the_article_itself(text, published):
    assert reference_from_text(text) == published


def test_no_reference_never_borrows_todays_date():
    found = find_dates("Il a été arrêté hier, puis présenté le 17 février au parquet.", None)
    assert [(f.norm, f.kind) for f in found] == [(None, "deictic"), ("XXXX-02-17", "full")]


@pytest.mark.parametrize("bad", ["2024-13", "24-09", "2024-02-30", "hier"])
def test_malformed_reference_is_refused(bad):
    with pytest.raises(ValueError):
        Reference.parse(bad)


@pytest.mark.parametrize(
    "expression, absolute",
    [("5 septembre 2024", True), ("2016", True), ("27 janvier", True), ("hier", False),
     ("mardi dernier", False), ("il y a 10 ans", False), ("semaine dernière", False)],
)
def test_absolute_dates_are_told_apart(expression, absolute):
    assert is_absolute(expression) is absolute


@pytest.mark.parametrize(
    "text",
    ["La loi 2016-12 relative au terrorisme a été promulguée.", "Le décret n° 2.19.42 est entré en vigueur.",
     "Le score final est de 2-1.", "Appelez le 05 22 12 34 56.", "Il a payé 2000 dirhams.",
     "Un colis de 2024 grammes a été saisi.", "Une cellule de veille a été créée.", "Ils étaient sept."],
)
def test_numbers_that_are_not_dates(text):
    assert find_dates(text, Reference.parse("2024-09-05")) == []

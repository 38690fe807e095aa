"""The French date suite (tests/data/dates.jsonl): spans and ISO values, through the real
pipeline, one case a test; then checks of the suite's data."""

from __future__ import annotations

import pytest
from conftest import TESTS, read_jsonl

from entityx.dates import Reference, find_dates, is_absolute, reference_from_text
from entityx.inline_gold import parse
from entityx.model import Text

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
            "season", "quarter", "decade", "dateline", "header", "two_digit_year", "century",
            "holiday", "generic", "weekend", "anaphora", "month_range", "plural_modifier",
            "all_caps", "deictic_weekday", "nowadays", "deadline", "clause_tense", "present_tense",
            "direction_marker", "attached_participle", "plain_year", "demonstrative_date",
            "weekday_range"} <= kinds


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


@pytest.mark.parametrize(
    "change, complaint",
    [({"surprise": []}, "dates.json: surprise: unknown key"),
     ({"months": ["janvier"]}, "dates.json: months: expected an object of strings to integers"),
     ({"weekdays": {"lundi": "0"}}, "dates.json: weekdays: expected an object of strings to integers"),
     ({"past_modifiers": "dernier"}, "dates.json: past_modifiers: expected a list of strings")],
)
def test_malformed_vocabulary_is_refused_naming_file_and_key(change, complaint):
    from entityx.dates.vocabulary import DATES_SCHEMA, date_words, validate
    from entityx.knowledge import KnowledgeError

    with pytest.raises(KnowledgeError) as caught:
        validate({**date_words(), **change}, DATES_SCHEMA, "dates.json")
    assert str(caught.value) == complaint


def test_a_missing_key_is_named():
    from entityx.dates.vocabulary import DATES_SCHEMA, date_words, validate
    from entityx.knowledge import KnowledgeError

    raw = {k: v for k, v in date_words().items() if k != "months"}
    with pytest.raises(KnowledgeError, match="dates.json: months: missing"):
        validate(raw, DATES_SCHEMA, "dates.json")


def test_every_vocabulary_key_is_read_by_the_grammar():
    """No dead data: each key of dates.json is named by the code that uses it."""
    from pathlib import Path

    import entityx.dates
    from entityx.dates.vocabulary import DATES_SCHEMA

    package = Path(entityx.dates.__file__).parent
    code = "".join(p.read_text(encoding="utf-8") for p in package.glob("*.py") if p.name != "vocabulary.py")
    unread = [key for key in DATES_SCHEMA if key != "_about" and f'"{key}"' not in code and f"'{key}'" not in code]
    assert unread == []


@pytest.mark.parametrize("text, published", [
    ("Le ramadan 1900 et l'Aïd al-Adha 1890.", None), ("Pendant le ramadan, il pleuvait.", "1901-05"),
    ("Pendant le ramadan 2077.", None), ("Noël, puis l'Aïd el-Fitr.", "1700-01")])
def test_feasts_outside_the_calendars_have_no_value_and_no_error(text, published):
    assert all(f.norm is None or f.norm[:1].isdigit() for f in find_dates(text, Reference.parse(published)))


def test_the_grammar_tried_only_where_a_date_may_open_finds_what_it_finds_everywhere():
    """The tests of where each kind may open must not lose a match: on the development
    texts and the date examples, as written and in capitals, the same matches as the bare
    grammar tried at every position."""
    from entityx.dates.grammar import grammar

    texts = [p.read_text(encoding="utf-8") for p in sorted((TESTS / "devset" / "src").glob("*.txt"))]
    texts += [expected(case)[0] for case in CASES]
    for text in texts + [t.upper() for t in texts]:
        assert [(m.span(), m.groupdict()) for m in grammar().finditer(text)] == \
            [(m.span(), m.groupdict()) for m in grammar(guarded=False).finditer(text)]

"""``data/dates.json``, checked against its schema on load and folded for matching.

The schema is plain data (key → kind) and :func:`validate` a small function, so one loader
for every data file can take both over unchanged.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from entityx.knowledge import KnowledgeError, fold

WORDS, STRING = "a list of strings", "a string"
TO_INT, TO_STR = "an object of strings to integers", "an object of strings to strings"
HOLIDAYS = ("an object of names to rules ({country, holiday[, offset]}, {hijri: [month, day]}"
            " or {hijri_month})")

DATES_SCHEMA: dict[str, str] = {
    "_about": STRING,
    "months": TO_INT, "month_abbreviations": TO_INT, "weekdays": TO_INT, "numbers": TO_INT,
    "ordinals": TO_INT, "deictic_days": TO_INT, "anchored_days": TO_INT,
    "past_modifiers": WORDS, "future_modifiers": WORDS, "units": TO_STR,
    "seasons": TO_INT, "season_months": TO_INT, "month_parts": WORDS, "periods": TO_INT,
    "past_auxiliaries": WORDS, "future_auxiliaries": WORDS, "not_after_year": WORDS,
    "year_followers": WORDS, "plural_endings": WORDS, "not_verbs": WORDS, "reporting_participles": WORDS,
    "forward_participles": WORDS, "etre_forms": TO_STR, "present_verbs": WORDS,
    "auxiliary_infinitives": WORDS, "subjunctive_conjunctions": WORDS, "subject_clitics": WORDS,
    "before_nouns": WORDS, "etre_participles": WORDS, "other_participles": WORDS,
    "conditional_endings": WORDS, "imperfect_endings": WORDS, "ambiguous_endings": WORDS,
    "infinitive_endings": WORDS, "plural_present_endings": WORDS,
    "backward_markers": WORDS, "forward_markers": WORDS, "marker_stops": WORDS,
    "attributive_links": WORDS, "complement_links": WORDS,
    "month_prepositions": WORDS, "first_day": WORDS,
    "day_range_openers": TO_STR, "day_range_separators": TO_STR,
    "month_range_openers": TO_STR, "month_range_separators": TO_STR,
    "year_range_openers": WORDS, "year_range_separators": WORDS,
    "numeric_range_openers": WORDS, "numeric_range_separators": WORDS,
    "year_links": WORDS, "year_nouns": WORDS, "demonstratives": WORDS,
    "demonstrative_suffixes": WORDS, "period_units": TO_STR, "decade_nouns": WORDS,
    "ago_words": TO_INT, "anchored_articles": WORDS, "anchored_not_before": WORDS,
    "header_words": WORDS, "dateline_articles": WORDS, "alphabet": STRING,
    "future_stem_finals": STRING, "future_endings": WORDS, "participle_endings": WORDS,
    "auxiliary_participles": WORDS, "inserted_adverbs": WORDS, "inserted_suffixes": WORDS,
    "month_range_joiners": WORDS, "century_nouns": WORDS, "ordinal_suffixes": WORDS,
    "century_ordinals": TO_INT, "eras": TO_INT, "season_articles": WORDS, "season_idioms": WORDS,
    "avoir_forms": WORDS,
    "generic_markers": WORDS, "week_ends": WORDS, "week_end_articles": WORDS,
    "anaphoric_days": TO_INT, "anaphoric_articles": WORDS, "anaphoric_shifts": TO_INT,
    "following_modifiers": TO_INT, "day_units": TO_STR, "nowadays_words": WORDS,
    "nowadays_before": WORDS, "nowadays_after": WORDS, "deadline_prepositions": WORDS,
    "deadline_participles": WORDS, "holidays": HOLIDAYS, "holiday_not_after": WORDS,
    "anaphoric_shifts_final": TO_INT, "month_coordinators": WORDS, "holiday_heads": WORDS,
    "holiday_links": WORDS, "fronted_participle_endings": WORDS,
    "postponement_prepositions": WORDS, "count_parts": TO_INT, "count_units": WORDS,
    "part_links": WORDS, "timeml_determiners": WORDS, "timeml_head_nouns": WORDS,
}

_CHECKS = {
    STRING: lambda v: isinstance(v, str) and v != "",
    WORDS: lambda v: isinstance(v, list) and all(isinstance(w, str) and w for w in v),
    TO_INT: lambda v: isinstance(v, dict) and all(
        k and isinstance(n, int) and not isinstance(n, bool) for k, n in v.items()),
    TO_STR: lambda v: isinstance(v, dict) and all(k and isinstance(s, str) and s for k, s in v.items()),
    HOLIDAYS: lambda v: isinstance(v, dict) and all(k and _holiday_rule(r) for k, r in v.items()),
}


def _holiday_rule(rule: object) -> bool:
    """A holiday of a national calendar, a Hijri day, or a Hijri month."""
    if not isinstance(rule, dict):
        return False
    if set(rule) in ({"country", "holiday"}, {"country", "holiday", "offset"}):
        return all(isinstance(rule[k], str) for k in ("country", "holiday")) \
            and isinstance(rule.get("offset", 0), int)
    if set(rule) == {"hijri"}:
        h = rule["hijri"]
        return isinstance(h, list) and len(h) == 2 and 1 <= h[0] <= 12 and 1 <= h[1] <= 30
    return set(rule) == {"hijri_month"} and rule["hijri_month"] in range(1, 13)


def validate(raw: object, schema: dict[str, str], file: str) -> dict:
    """``raw`` when it has exactly the schema's keys, each of its kind; else KnowledgeError
    naming the file and the key."""
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{file}: expected an object")
    unknown = sorted(set(raw) - set(schema))
    if unknown:
        raise KnowledgeError(f"{file}: {unknown[0]}: unknown key")
    missing = sorted(set(schema) - set(raw))
    if missing:
        raise KnowledgeError(f"{file}: {missing[0]}: missing")
    for key, kind in schema.items():
        if not _CHECKS[kind](raw[key]):
            raise KnowledgeError(f"{file}: {key}: expected {kind}")
    return raw


@cache
def date_words() -> dict:
    """French calendar vocabulary as written in the data file, validated."""
    text = files("entityx.data").joinpath("dates.json").read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KnowledgeError(f"dates.json: not JSON ({exc.msg}, line {exc.lineno})") from None
    return validate(raw, DATES_SCHEMA, "dates.json")


@cache
def vocabulary() -> dict:
    """The vocabulary with every word folded (lower case, no accents, straight ')."""
    folded = {}
    for key, value in date_words().items():
        if isinstance(value, dict):
            folded[key] = {fold(k): v for k, v in value.items()}
        elif isinstance(value, list):
            folded[key] = frozenset(fold(w) for w in value)
    return folded


def words(key: str) -> frozenset[str]:
    """One word list of the vocabulary, folded."""
    return vocabulary()[key]

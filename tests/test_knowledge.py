"""The knowledge base and the other data files: valid, unique, and each entry proven by its
own example sentence through the real pipeline."""

from __future__ import annotations

import json

import pytest

from entityx.dates.vocabulary import date_words
from entityx.knowledge import (
    AGENCY_KEYS,
    KnowledgeError,
    agencies,
    fold,
    lexicon,
    parse_agency,
)

ENTRIES = agencies()


def test_enough_organisations_with_unique_ids():
    ids = [a.id for a in ENTRIES]
    assert len(ids) >= 150 and len(set(ids)) == len(ids)


def test_no_form_belongs_to_two_organisations():
    owner = {}
    for a in ENTRIES:
        for form in {fold(f) for f in a.long_forms if "{PLACE}" not in f} | set(a.acronyms + a.ambiguous_acronyms):
            assert owner.setdefault(form, a.id) == a.id, f"{form!r}: {owner[form]} and {a.id}"


def test_required_coverage():
    ids = {a.id for a in ENTRIES}
    acronyms = {x for a in ENTRIES for x in a.acronyms + a.ambiguous_acronyms}
    countries = {a.country for a in ENTRIES}
    assert {"DGSN", "DGST", "DGED", "BCIJ", "DGSI", "DGSE", "OFAST", "PNAT", "ANSSI", "CNI", "FBI",
            "DEA", "ONU", "UE", "OTAN", "ONUDC"} <= acronyms
    assert {"MA", "FR", "DZ", "TN", "MR", "ES", "BE", "CH", "international"} <= countries
    assert any("europol" in i for i in ids) and any("interpol" in i for i in ids)


@pytest.mark.parametrize("agency", ENTRIES, ids=[a.id for a in ENTRIES])
def test_example_sentence_is_found(agency, nlp):
    doc = nlp(agency.example)
    assert agency.id in {e.kb_id_ for e in doc.ents if e.label_ == "ORG"}, agency.example


@pytest.mark.parametrize(
    "line, complaint",
    [('{"id": "x"}', "keys must be"),
     ("not json", "not JSON"),
     (json.dumps({**dict.fromkeys(AGENCY_KEYS, "x"), "acronyms": [], "ambiguous_acronyms": [],
                  "variants": [], "templates": [], "country": "Maroc", "kind": "police"}), "country"),
     (json.dumps({**dict.fromkeys(AGENCY_KEYS, "x"), "acronyms": [], "ambiguous_acronyms": [],
                  "variants": [], "templates": [], "country": "MA", "kind": "spies"}), "unknown kind")],
)
def test_malformed_entry_is_refused_with_its_line(line, complaint):
    with pytest.raises(KnowledgeError, match=complaint) as caught:
        parse_agency(line, "agencies.jsonl:7")
    assert "agencies.jsonl:7" in str(caught.value)


def test_date_and_boundary_words_load():
    words = date_words()
    assert words["months"]["septembre"] == 9 and words["weekdays"]["dimanche"] == 6
    assert "m." in lexicon()["civilities"] and "la" in lexicon()["determiners"]

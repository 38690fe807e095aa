"""First names as person evidence: the committed list is what its build script makes from
Faker's lists, it is validated on load, and the arbiter reads a known first name leading a
name of several words as a person (issue 10)."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import ROOT

from entityx.knowledge import KnowledgeError, parse_first_names

sys.path.insert(0, str(ROOT / "tools"))  # build_first_names imports build_geography
import build_first_names

FIRST_NAMES = ROOT / "entityx" / "data" / "first_names.json"


def test_committed_first_names_are_what_the_script_builds():
    assert build_first_names.render(build_first_names.build()) == FIRST_NAMES.read_text("utf-8"), \
        "entityx/data/first_names.json is stale: run `make first-names`"


@pytest.fixture(scope="module")
def names() -> set[str]:
    return set(json.loads(FIRST_NAMES.read_text(encoding="utf-8"))["names"])


@pytest.mark.parametrize("name", ["Pierre", "Jean-Pierre", "Fatima", "Mohamed", "Abdelkader",
                                  "Youssef", "Recep", "Chiamaka"])
def test_sources_give_first_names(names, name):
    assert name in names


@pytest.mark.parametrize("name, why", [
    ("France", "a country"), ("Florence", "a big city"), ("Paris", "a big city"),
    ("Ben", "begins town names in scope (Ben Guerir)"), ("Beni", "begins town names in scope"),
    ("Emir", "a title of the lexicon"), ("Bill", "a French common word, no French locale lists it"),
])
def test_ambiguous_names_are_left_out(names, name, why):
    assert name not in names, why


@pytest.mark.parametrize("raw, message", [
    ({"names": ["Anna"], "extra": 1}, "unknown ['extra']"),
    ({"locales": ["fr_FR"]}, "missing ['names']"),
    ({"names": "Anna"}, "names: expected a list of strings"),
])
def test_the_file_has_a_schema(raw, message):
    with pytest.raises(KnowledgeError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_first_names(raw, "first_names.json")


def test_names_are_folded_as_the_arbiter_compares_them(names):
    from entityx.knowledge import fold, prepare_first_names

    assert prepare_first_names({"names": sorted(names)}) == {fold(n) for n in names}
    assert {"jean-pierre", "eloise", "mohamed"} <= prepare_first_names({"names": sorted(names)})


@pytest.fixture
def without_first_names(nlp):
    """The session pipeline with the arbiter's ``first_names`` rule off, then on again."""
    rules = nlp.get_pipe("entityx_arbiter").rules
    rules["first_names"] = False
    yield nlp
    rules["first_names"] = True


CASES = [
    # the model calls these a place or MISC; a first name leads them
    ("Grâce à cette victoire, Emma Stone Beach et Lucy Hill montent sur le podium.", "Lucy Hill", "PER"),
    ("Palmarès\n\nÉloïse Tremblay remporte l'épreuve du saut en longueur.", "Éloïse Tremblay", "PER"),
    # known places (towns named after them) that the model calls persons: they stay persons
    ("Emiliano Zapata a mené la révolution dans le sud du pays.", "Emiliano Zapata", "PER"),
    ("Benito Juárez a réformé l'État mexicain au XIXe siècle.", "Benito Juárez", "PER"),
]


@pytest.mark.parametrize("text, name, label", CASES)
def test_a_first_name_makes_a_person(nlp, text, name, label):
    assert (name, label) in {(e.text, e.label_) for e in nlp(text).ents}


@pytest.mark.parametrize("text, name, label", CASES)
def test_without_the_rule_the_model_label_stands(without_first_names, text, name, label):
    assert (name, label) not in {(e.text, e.label_) for e in without_first_names(text).ents}


@pytest.mark.parametrize("text, expected", [
    ("Les habitants de Ben Guérir ont manifesté samedi.", ("Ben Guérir", "LOC")),
    ("Les étudiants de Benito Juárez ont défilé dans la ville.", ("Benito Juárez", "LOC")),
    ("Le Milan AC a battu la Juventus dimanche.", ("Milan AC", "ORG")),
    ("Florence a accueilli le sommet européen.", ("Florence", "LOC")),
    ("Les vacances de Noël commencent vendredi.", ("Noël", "MISC")),
])
def test_places_and_bodies_stay(nlp, text, expected):
    """A known place the model calls a place, a name ending in an acronym, a big city that is
    also a first name, a lone first name (``Noël`` is one): none is read as a person."""
    assert expected in {(e.text, e.label_) for e in nlp(text).ents}


@pytest.mark.parametrize("text, name, model_label, expected", [
    ("Ils ont remonté la rue Victor Hugo.", "Victor Hugo", "LOC", "LOC"),
    ("Le chalutier Jean Bart est rentré au port.", "Jean Bart", "LOC", "MISC"),
    ("Ils ont rencontré Jean Bart hier.", "Jean Bart", "LOC", "PER"),
])
def test_a_type_word_before_the_name_says_what_it_names(nlp, text, name, model_label, expected):
    """The arbiter alone, on a span the model would have labelled ``model_label``: after a
    place's or a vessel's type word the name is that thing's, not a person's."""
    doc = nlp.make_doc(text)
    start = text.index(name)
    doc.ents = [doc.char_span(start, start + len(name), label=model_label)]
    doc = nlp.get_pipe("entityx_arbiter")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [(name, expected)]


def test_the_relabelled_person_says_where_it_came_from():
    import entityx

    found = {(m.text, m.label, m.source) for m in entityx.extract(CASES[0][0]).entities}
    assert ("Lucy Hill", "PER", "rule") in found

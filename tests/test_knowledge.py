"""The knowledge base and the other data files: valid, unique, and each entry proven by its
own example sentence through the real pipeline."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from entityx.dates.vocabulary import date_words
from entityx.knowledge import (
    AGENCY_KEYS,
    GEOGRAPHY_KEYS,
    LEXICON_GROUPS,
    KnowledgeError,
    agencies,
    fold,
    lexicon,
    lexicon_file,
    parse_geography,
    parse_lexicon,
    read_agencies,
)

PACKAGE = Path(__file__).resolve().parents[1] / "entityx"
LEXICON = json.loads((PACKAGE / "data" / "lexicon.json").read_text(encoding="utf-8"))
EXAMPLES = [(key, text, want) for key, group in lexicon_file().items() for text, want in group["examples"]]

ENTRIES = agencies()


def test_enough_organisations_with_unique_ids():
    ids = [a.id for a in ENTRIES]
    assert len(ids) >= 150 and len(set(ids)) == len(ids)


def test_no_form_belongs_to_two_organisations_of_one_country():
    """A name several countries' bodies bear (``Cour de cassation``) is shared, each country's
    body its own, and entityx_links chooses by the document's country; within one country a
    name must say which body it is."""
    owner = {}
    for a in ENTRIES:
        for form in {fold(f) for f in a.long_forms if "{PLACE}" not in f} | set(a.acronyms + a.ambiguous_acronyms):
            key = (form, a.country)
            assert owner.setdefault(key, a.id) == a.id, f"{form!r} in {a.country}: {owner[key]} and {a.id}"


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
    assert agency.id in {e.kb_id_.split(":")[0] for e in doc.ents if e.label_ == "ORG"}, agency.example


@pytest.mark.parametrize(
    "line, complaint",
    [('{"id": "x"}', "keys must be"),
     ('["x"]', "keys must be"),
     ("not json", "not JSON"),
     (json.dumps({**dict.fromkeys(AGENCY_KEYS, "x"), "acronyms": [], "ambiguous_acronyms": [],
                  "variants": [], "templates": [], "country": "Maroc", "kind": "police"}), "country"),
     (json.dumps({**dict.fromkeys(AGENCY_KEYS, "x"), "acronyms": [], "ambiguous_acronyms": [],
                  "variants": [], "templates": [], "country": "MA", "kind": "spies"}), "unknown kind")],
)
def test_malformed_entry_is_refused_with_its_line(tmp_path, line, complaint):
    kb = tmp_path / "mine.jsonl"
    good = asdict(agencies()[0])
    kb.write_text(json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in good.items()})
                  + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=complaint) as caught:
        read_agencies(kb)
    assert str(caught.value).startswith(f"{kb}:3: ")


def test_date_and_lexicon_words_load():
    words = date_words()
    assert words["months"]["septembre"] == 9 and words["weekdays"]["dimanche"] == 6
    assert "m." in lexicon()["civilities"] and "directeur" in lexicon()["titles"]
    assert fold("L’") in lexicon()["linking_words"]


@pytest.mark.parametrize("group, text, want", EXAMPLES, ids=[f"{k}-{i}" for i, (k, *_) in enumerate(EXAMPLES)])
def test_every_rule_group_example_holds(group, text, want, nlp):
    labels = {"PER", "ORG", "LOC"} | {label for _, label in want}
    assert [(e.text, e.label_) for e in nlp(text).ents if e.label_ in labels] == [tuple(w) for w in want]


def test_no_data_that_no_code_reads():
    # the package, and the training scripts (prepare.py maps WiNER-fr's seats of power)
    readers = [*PACKAGE.rglob("*.py"), *(PACKAGE.parent / "training").glob("*.py")]
    code = "\n".join(p.read_text(encoding="utf-8") for p in readers)
    # not_places: read by the gazetteer build only, which reserves every word of the lexicon
    keys = [k for k in [*LEXICON_GROUPS, *GEOGRAPHY_KEYS] if k != "not_places"]
    assert set(LEXICON) - {"_about"} == set(LEXICON_GROUPS)
    unread = [k for k in keys if code.count(f'"{k}"') < 2]  # the schema names it; a reader must too
    assert not unread


@pytest.mark.parametrize(
    "change, complaint",
    [(lambda d: d["linking_words"].update(words="de"), "lexicon.json: linking_words: words: expected a list of strings"),
     (lambda d: d.update(place_unit_keepers={}), "unknown ['place_unit_keepers']"),
     (lambda d: d["civilities"].pop("examples"), "lexicon.json: civilities: missing ['examples']"),
     (lambda d: d["seats_of_power"].update(examples=[{"text": "x", "entities": [["x", "DATE"]]}]),
      "seats_of_power: examples[0]: entities"),
     (lambda d: d["regional_adjectives"].update(forms={"Vaud": [1]}), "regional_adjectives: forms: Vaud")],
)
def test_malformed_lexicon_names_file_and_key(change, complaint):
    data = json.loads(json.dumps(LEXICON))
    change(data)
    with pytest.raises(KnowledgeError, match=complaint.replace("[", r"\[").replace("]", r"\]")):
        parse_lexicon(data)


def test_malformed_geography_names_file_and_key():
    geo = json.loads((PACKAGE / "data" / "geography.json").read_text(encoding="utf-8"))
    geo["countries"][0]["capital"] = "Rabat"
    with pytest.raises(KnowledgeError, match=r"geography.json: countries\[0\]: missing \[\], unknown \['capital'\]"):
        parse_geography(geo)


USER_KB = {"id": "ch-cvl", "name": "Cellule de veille du Léman", "acronyms": ["CVL"], "ambiguous_acronyms": [],
           "variants": [], "country": "CH", "kind": "police", "templates": [],
           "example": "La Cellule de veille du Léman a signalé un suspect."}


@pytest.fixture()
def user_kb(tmp_path):
    path = tmp_path / "kb.jsonl"
    override = {**USER_KB, "id": "ma-dgsn", "name": "Sûreté nationale du Maroc", "acronyms": ["DGSN"]}
    path.write_text(json.dumps(USER_KB) + "\n" + json.dumps(override) + "\n", encoding="utf-8")
    return path


def test_user_kb_adds_links_and_groups_organisations(user_kb):
    import entityx

    doc = entityx.extract("La CVL a alerté la DGSN. La Cellule de veille du Léman confirme.", kb=user_kb)
    got = {m.text: m for m in doc.entities}
    assert got["CVL"].kb_id == got["Cellule de veille du Léman"].kb_id == "ch-cvl"
    assert got["CVL"].group == got["Cellule de veille du Léman"].group
    dgsn = next(g for g in doc.groups if g.kb_id == "ma-dgsn")
    assert dgsn.name == "Sûreté nationale du Maroc"  # a user id overrides the built-in entry
    assert all(m.kb_id != "ch-cvl" for m in entityx.extract("La CVL a alerté la DGSN.").entities)


def test_user_kb_is_validated_and_searched(tmp_path, user_kb):
    from typer.testing import CliRunner

    from entityx.cli import app

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(USER_KB) + "\n" + json.dumps({**USER_KB, "kind": "spies"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", "-", "--kb", str(bad)], input="La CVL.")
    assert result.exit_code == 2 and f"{bad}:2: unknown kind 'spies'" in result.output
    found = CliRunner().invoke(app, ["kb", "veille du léman", "--kb", str(user_kb), "-f", "jsonl"])
    assert found.exit_code == 0 and [json.loads(line)["id"] for line in found.output.splitlines()] == ["ch-cvl"]


def test_pattern_tokens_come_back_identical_from_the_cache(nlp, tmp_path, monkeypatch):
    from entityx.components.tokens import pattern_docs

    monkeypatch.setenv("ENTITYX_CACHE", str(tmp_path))
    names = ["Côte d'Ivoire", "aujourd’hui-là", "Direction générale de la Sûreté nationale", "Saint-Gall"]
    fresh = pattern_docs(nlp, names)
    assert len(list(tmp_path.iterdir())) == 1
    cached = pattern_docs(nlp, names)
    assert [[t.text for t in d] for d in cached] == [[t.text for t in d] for d in fresh] == \
        [[t.text for t in nlp.make_doc(n)] for n in names]
    assert [d.text for d in cached] == names
    next(tmp_path.iterdir()).write_text("not json", encoding="utf-8")  # a broken cache is rebuilt
    assert [d.text for d in pattern_docs(nlp, names)] == names

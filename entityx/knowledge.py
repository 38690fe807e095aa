"""Knowledge shipped as data files in ``entityx/data``, loaded and validated once.

The code holds the grammar; the words (agencies, places, the lexicon's cue words; dates in
:mod:`entityx.dates`) live in data so they can be read, reviewed and extended without touching the rules. Every file has a
schema checked on load: unknown keys are refused, types checked, and an error names the
file and the key (``lexicon.json: linking_words: expected a list of strings``) or the
line (``agencies.jsonl:7: …``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import BinaryIO

from entityx.jsonl import JsonlError, read_jsonl

AGENCY_KEYS = {
    "id", "name", "acronyms", "ambiguous_acronyms", "variants", "country", "kind",
    "templates", "example",
}
AGENCY_KINDS = (
    "police", "intelligence", "gendarmerie", "military", "justice", "ministry", "government",
    "customs", "international", "parliament", "regulator", "armed_group", "media", "other",
)
EXAMPLE_LABELS = {"PER", "ORG", "LOC", "MISC"}
# lexicon.json: each group is {"about", one of words/names/forms, "examples"}. "words" are
# matched folded (lower case, no accent); "names" are kept as written; "forms" map a key
# (a country code, a place) to its words.
LEXICON_GROUPS = {
    "civilities": "words", "titles": "words", "facility_heads": "words", "acronym_function_words": "words",
    "locatives": "words", "linking_words": "words", "seats_of_power": "names", "body_qualifiers": "words",
    "regional_adjectives": "forms", "indefinite_articles": "words", "not_places": "words",
}
# What the build script records of how the file was made (tools/build_geography.py); no
# component reads it.
GEOGRAPHY_PROVENANCE = {"_about", "sources", "min_population"}
GEOGRAPHY_KEYS = {"countries": "countries", "places": "words", "institution_heads": "words",
                  "body_heads": "words"}


class KnowledgeError(ValueError):
    """A data file that does not follow its schema."""


@dataclass(frozen=True)
class Agency:
    """One organisation of the knowledge base."""

    id: str
    name: str
    acronyms: tuple[str, ...]
    ambiguous_acronyms: tuple[str, ...]
    variants: tuple[str, ...]
    country: str
    kind: str
    templates: tuple[str, ...]
    example: str

    @property
    def long_forms(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


def _read(name: str) -> str:
    return files("entityx.data").joinpath(name).read_text(encoding="utf-8")


def _folded(text: str) -> str:
    return without_accents(text.replace("’", "'").lower())


def without_accents(text: str) -> str:
    """``text`` decomposed (NFD) with its combining marks removed, by one regex pass rather
    than one Python step a character: start-up folds whole gazetteers at once."""
    text = unicodedata.normalize("NFD", text)
    marks = "".join(sorted(c for c in set(text) if unicodedata.combining(c)))
    return re.sub(f"[{marks}]", "", text) if marks else text


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, accent-free, straight-apostrophe form used to compare names (cached:
    the components fold the same few thousand words over and over)."""
    return _folded(text)


# -- schema checks -------------------------------------------------------------------------

def _strings(value, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{where}: expected a list of strings")
    return value


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(f"{where}: expected a non-empty string")
    return value


def _object(value, where: str, required: set[str], optional: set[str] = frozenset()) -> dict:
    if not isinstance(value, dict):
        raise KnowledgeError(f"{where}: expected an object")
    missing, unknown = required - set(value), set(value) - required - optional
    if missing or unknown:
        raise KnowledgeError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    return value


def _examples(value, where: str) -> list[tuple[str, list[tuple[str, str]]]]:
    if not isinstance(value, list) or not value:
        raise KnowledgeError(f"{where}: expected a non-empty list of examples")
    result = []
    for n, example in enumerate(value):
        here = f"{where}[{n}]"
        _object(example, here, {"text", "entities"})
        entities = example["entities"]
        if not isinstance(entities, list) or not all(
            isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) and e[1] in EXAMPLE_LABELS
            for e in entities
        ):
            raise KnowledgeError(f"{here}: entities: expected a list of [text, label] pairs")
        result.append((_text(example["text"], f"{here}: text"), [tuple(e) for e in entities]))
    return result


def parse_lexicon(raw, name: str = "lexicon.json") -> dict:
    """The validated lexicon: each group's words, names or forms, and its examples."""
    _object(raw, name, set(LEXICON_GROUPS), {"_about"})
    result = {}
    for key, kind in LEXICON_GROUPS.items():
        where = f"{name}: {key}"
        group = _object(raw[key], where, {"about", kind, "examples"})
        _text(group["about"], f"{where}: about")
        if kind == "forms":
            forms = group[kind]
            if not isinstance(forms, dict) or not forms:
                raise KnowledgeError(f"{where}: forms: expected an object of lists of strings")
            value = {k: tuple(_strings(v, f"{where}: forms: {k}")) for k, v in forms.items()}
        else:
            value = tuple(_strings(group[kind], f"{where}: {kind}"))
        result[key] = {"value": value, "examples": _examples(group["examples"], f"{where}: examples")}
    return result


@cache
def raw_data(name: str):
    """A packaged JSON data file as read (what a component writes beside a saved model)."""
    return json.loads(_read(name))


@cache
def lexicon_file() -> dict:
    return parse_lexicon(raw_data("lexicon.json"))


@cache
def lexicon() -> dict:
    return prepare_lexicon(lexicon_file())


def prepare_lexicon(parsed: dict) -> dict:
    """Lexicon groups ready for matching: ``words`` folded into sets, ``names`` as
    written, ``forms`` as folded sets per key."""
    out = {}
    for key, group in parsed.items():
        kind, value = LEXICON_GROUPS[key], group["value"]
        if kind == "words":
            out[key] = frozenset(fold(w) for w in value)
        elif kind == "names":
            out[key] = value
        else:
            out[key] = {k: frozenset(fold(w) for w in v) for k, v in value.items()}
    return out


def parse_geography(raw, name: str = "geography.json") -> dict:
    _object(raw, name, set(GEOGRAPHY_KEYS), GEOGRAPHY_PROVENANCE)
    for key, kind in GEOGRAPHY_KEYS.items():
        if kind == "words":
            _strings(raw[key], f"{name}: {key}")
        elif not isinstance(raw[key], list):
            raise KnowledgeError(f"{name}: {key}: expected a list of countries")
        else:
            for n, country in enumerate(raw[key]):
                here = f"{name}: {key}[{n}]"
                _object(country, here, {"iso", "names", "demonyms"})
                _text(country["iso"], f"{here}: iso")
                _strings(country["names"], f"{here}: names")
                _strings(country["demonyms"], f"{here}: demonyms")
    return raw


@cache
def geography() -> dict:
    return prepare_geography(parse_geography(raw_data("geography.json")))


def prepare_geography(raw: dict) -> dict:
    """Places, nationalities (folded, each with its country code) and body head words."""
    demonym_country = {fold(d): c["iso"] for c in raw["countries"] for d in c["demonyms"]}
    names = [n for c in raw["countries"] for n in c["names"]] + raw["places"]
    return {
        "known": frozenset(f for n in names for f in (n, n.replace("'", "’"))),
        "demonyms": frozenset(demonym_country),
        "demonym_country": demonym_country,
        "institutions": frozenset(fold(w) for w in raw["institution_heads"]),
        "bodies": frozenset(fold(w) for w in raw["body_heads"]),
        "body_words": tuple(raw["body_heads"]),
        "country_list": raw["countries"],
    }


@dataclass(frozen=True)
class Place:
    """One place a name may stand for: its GeoNames id (None for an ISO subdivision, which
    has none), ISO country code (None for a continent), coordinates (None for countries and
    subdivisions, which are no point) and population."""

    geonames: int | None
    country: str | None
    lat: float | None
    lon: float | None
    population: int | None


class PlaceIndex:
    """``places.tsv`` (``make geography``): the places each folded name may stand for. The
    file's name lines are sorted, so a name is found by bisection on its lines as read: the
    gazetteer's 76,000 names cost a read and a split at start-up, not a dictionary."""

    def __init__(self, text: str, name: str = "places.tsv") -> None:
        lines = text.split("\n")
        head = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
        try:
            cut = lines.index("--", head)
        except ValueError:
            raise KnowledgeError(f"{name}: no '--' line between entities and names") from None
        self.name, self.entities, self.names = name, lines[head:cut], lines[cut + 1 :]
        if self.names and not self.names[-1]:
            self.names.pop()

    def candidates(self, name: str) -> list[Place]:
        """The places ``name`` (as written: it is folded here) may stand for."""
        key = fold(name) + "\t"
        i = bisect_left(self.names, key)
        if i == len(self.names) or not self.names[i].startswith(key):
            return []
        return [self._entity(int(n)) for n in self.names[i][len(key) :].split(",")]

    @lru_cache(maxsize=4096)  # noqa: B019  (one index per process, kept for its life)
    def _entity(self, number: int) -> Place:
        try:
            geonames, country, lat, lon, population = self.entities[number].split("\t")
            return Place(int(geonames) if geonames else None, country or None, float(lat) if lat else None,
                         float(lon) if lon else None, int(population) if population else None)
        except (IndexError, ValueError):
            raise KnowledgeError(f"{self.name}: entity {number} is malformed") from None


@cache
def places() -> PlaceIndex:
    return PlaceIndex(_read("places.tsv"))


# -- the knowledge base of organisations ----------------------------------------------------

# A user's --kb entry needs only an id and a name; the rest takes these defaults.
AGENCY_DEFAULTS = {"acronyms": [], "ambiguous_acronyms": [], "variants": [], "country": "international",
                   "kind": "other", "templates": [], "example": ""}


def parse_agency(raw, where: str, defaults: bool = False) -> Agency:
    """One validated knowledge-base entry (a decoded JSON line); ``where`` names its line.
    With ``defaults`` (a user's file), the keys other than ``id`` and ``name`` may be left out."""
    if defaults and isinstance(raw, dict) and not set(raw) - AGENCY_KEYS:
        raw = {**AGENCY_DEFAULTS, **raw}
    if not isinstance(raw, dict) or set(raw) != AGENCY_KEYS:
        got = set(raw) if isinstance(raw, dict) else set()
        raise KnowledgeError(
            f"{where}: keys must be {sorted(AGENCY_KEYS)}; missing {sorted(AGENCY_KEYS - got)},"
            f" unknown {sorted(got - AGENCY_KEYS)}"
        )
    for key in ("id", "name", "country", "kind", "example"):
        if not isinstance(raw[key], str) or not raw[key].strip() and not (defaults and key == "example"):
            raise KnowledgeError(f"{where}: {key!r} must be a non-empty string")
    for key in ("acronyms", "ambiguous_acronyms", "variants", "templates"):
        if not isinstance(raw[key], list) or not all(isinstance(v, str) and v for v in raw[key]):
            raise KnowledgeError(f"{where}: {key!r} must be a list of non-empty strings")
    if raw["kind"] not in AGENCY_KINDS:
        raise KnowledgeError(f"{where}: unknown kind {raw['kind']!r}")
    if raw["country"] != "international" and not (
        len(raw["country"]) == 2 and raw["country"].isupper()
    ):
        raise KnowledgeError(f"{where}: country must be ISO 3166 alpha-2 or 'international'")
    if any("{PLACE}" not in t for t in raw["templates"]):
        raise KnowledgeError(f"{where}: every template needs a {{PLACE}}")
    return Agency(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})


def read_agencies(source: str | Path, stream: BinaryIO | None = None, defaults: bool = False) -> tuple[Agency, ...]:
    """Every entry of a knowledge-base file, validated (unique ids, each line well formed);
    ``defaults``: a user's file, whose entries may give only an id and a name."""
    result, seen, name = [], set(), str(source)
    try:
        lines = list(read_jsonl(source, stream))
    except JsonlError as exc:
        raise KnowledgeError(str(exc)) from None
    except OSError as exc:
        raise KnowledgeError(f"{name}: cannot read ({exc.strerror or exc})") from None
    for number, raw in lines:
        agency = parse_agency(raw, f"{name}:{number}", defaults)
        if agency.id in seen:
            raise KnowledgeError(f"{name}:{number}: duplicate id {agency.id!r}")
        seen.add(agency.id)
        result.append(agency)
    return tuple(result)


@cache
def builtin_agencies() -> tuple[Agency, ...]:
    with files("entityx.data").joinpath("agencies.jsonl").open("rb") as stream:
        return read_agencies("agencies.jsonl", stream)


@cache
def agencies(kb: Path | None = None) -> tuple[Agency, ...]:
    """The built-in knowledge base, merged with a user's file (same format) when given:
    a user entry with a built-in id replaces it."""
    if kb is None:
        return builtin_agencies()
    user = read_agencies(kb, defaults=True)
    by_id = {a.id: a for a in builtin_agencies()} | {a.id: a for a in user}
    return tuple(by_id.values())


@cache
def agency_by_id(kb: Path | None = None) -> dict[str, Agency]:
    return {a.id: a for a in agencies(kb)}


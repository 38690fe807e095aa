"""Knowledge shipped as data files in ``entityx/data``, loaded and validated once.

The code holds the grammar; the words (agencies, boundary words; dates in entityx.dates) live in
data so they can be read, reviewed and extended without touching the rules.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

AGENCY_KEYS = {
    "id", "name", "acronyms", "ambiguous_acronyms", "variants", "country", "kind",
    "templates", "example",
}
AGENCY_KINDS = {
    "police", "intelligence", "gendarmerie", "military", "justice", "ministry", "government",
    "customs", "international", "parliament", "regulator", "armed_group", "media", "other",
}


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


def fold(text: str) -> str:
    """Lower-case, accent-free, straight-apostrophe form used to compare names."""
    text = unicodedata.normalize("NFD", text.replace("’", "'").lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def parse_agency(line: str, where: str) -> Agency:
    """One validated knowledge-base entry; ``where`` names its line in errors."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise KnowledgeError(f"{where}: not JSON ({exc.msg})") from None
    if not isinstance(raw, dict) or set(raw) != AGENCY_KEYS:
        got = set(raw) if isinstance(raw, dict) else set()
        raise KnowledgeError(
            f"{where}: keys must be {sorted(AGENCY_KEYS)}; missing {sorted(AGENCY_KEYS - got)},"
            f" unknown {sorted(got - AGENCY_KEYS)}"
        )
    for key in ("id", "name", "country", "kind", "example"):
        if not isinstance(raw[key], str) or not raw[key].strip():
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


@cache
def agencies() -> tuple[Agency, ...]:
    """The built-in knowledge base, validated (unique ids, each line well formed)."""
    result, seen = [], set()
    for number, line in enumerate(_read("agencies.jsonl").splitlines(), 1):
        if not line.strip():
            continue
        agency = parse_agency(line, f"agencies.jsonl:{number}")
        if agency.id in seen:
            raise KnowledgeError(f"agencies.jsonl:{number}: duplicate id {agency.id!r}")
        seen.add(agency.id)
        result.append(agency)
    return tuple(result)


@cache
def agency_by_id() -> dict[str, Agency]:
    return {a.id: a for a in agencies()}


@cache
def lexicon() -> dict[str, frozenset[str]]:
    """Boundary words (determiners, civilities, titles, …) as folded sets."""
    raw = json.loads(_read("lexicon.json"))
    return {k: frozenset(fold(w) for w in v) for k, v in raw.items() if not k.startswith("_")}

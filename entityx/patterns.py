"""User patterns: spaCy entity-ruler JSONL, checked line by line before use."""

from __future__ import annotations

import re
from pathlib import Path

from entityx.jsonl import JsonlError, read_jsonl
from entityx.model import ALL_LABELS


class PatternError(ValueError):
    """A pattern file that is not valid; the message names the file and line."""


def read_patterns(path: Path) -> list[dict]:
    """Patterns of ``path``: ``{"label": "ORG", "pattern": "Bank Al-Maghrib", "id"?: "..."}``,
    a pattern being a phrase or a list of token patterns."""
    try:
        return [check(item, f"{path}:{number}") for number, item in read_jsonl(path)]
    except OSError as exc:
        raise PatternError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except JsonlError as exc:
        raise PatternError(str(exc)) from None


def regexes(value) -> list:
    """Every ``REGEX`` value in a token pattern, however deep (``{"TEXT": {"REGEX": …}}``):
    spaCy checks their type but compiles them only on first match, mid-run."""
    if isinstance(value, list):
        return [r for v in value for r in regexes(v)]
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.extend([inner] if key == "REGEX" else regexes(inner))
    return found


def check(item, where: str) -> dict:
    """``item`` if it is a valid pattern, else a :class:`PatternError` naming ``where``."""
    if not isinstance(item, dict) or not {"label", "pattern"} <= set(item) or set(item) - {"label", "pattern", "id"}:
        raise PatternError(f"{where}: expected an object with 'label', 'pattern' and optionally 'id'")
    if item["label"] not in ALL_LABELS:
        raise PatternError(f"{where}: label must be one of {', '.join(ALL_LABELS)}")
    if not isinstance(item.get("id", ""), str):
        raise PatternError(f"{where}: 'id' must be a string")
    pattern = item["pattern"]
    phrase = isinstance(pattern, str) and pattern.strip()
    tokens = isinstance(pattern, list) and pattern and all(isinstance(t, dict) and t for t in pattern)
    if not (phrase or tokens):
        raise PatternError(f"{where}: 'pattern' must be a phrase or a list of token patterns")
    if tokens:
        from spacy.schemas import validate_token_pattern

        problems = validate_token_pattern(pattern)
        if problems:
            raise PatternError(f"{where}: invalid token pattern ({problems[0]})")
        for expression in regexes(pattern):
            try:
                re.compile(expression)
            except (re.error, TypeError) as exc:
                raise PatternError(f"{where}: invalid REGEX {expression!r} ({exc})") from None
    return item

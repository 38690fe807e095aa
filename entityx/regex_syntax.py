"""Reading the structure of a regular expression, conservatively, for :mod:`entityx.tokenmatch`.

Why:
    Compacting spaCy's ``TOKEN_MATCH`` is only safe when its shape is known: its top-level
    alternatives, whether each is anchored ``^...$``, and whether anything in it can consume a
    newline. ``re`` keeps its own parser private, so this module reads the pattern text itself.
    It understands a deliberately small subset of the syntax and raises :class:`Unsupported`
    for anything else (capturing groups, back-references, unbalanced text), so that the caller
    leaves such a pattern as it is; every question it answers errs on the side of "may match".
"""

from __future__ import annotations

import re

__all__ = [
    "OPENERS",
    "QUANTIFIER",
    "Unsupported",
    "is_anchored",
    "leading_flags",
    "may_match_newline",
    "nesting",
    "split_alternatives",
    "tokenize",
]

_GLOBAL_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")
_ESCAPE = r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)"
_TOKEN = re.compile(
    rf"""
      {_ESCAPE}                                                # escape
    | \[\^?\]?[^\\\]]*(?:\\.[^\\\]]*)*\]                       # character class
    | \((?:\?:|\?=|\?!|\?<=|\?<!)?                             # group opener
    | [)|]
    | [^\\\[()|]+                                              # literals, quantifiers, anchors
    """,
    re.VERBOSE | re.DOTALL,
)
_CLASS_ITEM = re.compile(rf"{_ESCAPE}|.", re.DOTALL)
QUANTIFIER = re.compile(r"(?:[*+?]|\{\d*(?:,\d*)?\})[?+]?")
OPENERS = ("(?:", "(?=", "(?!", "(?<=", "(?<!")
# Escapes outside a class that are zero-width or a literal character other than newline.
_SAFE_ALNUM_ESCAPES = set("AZbB")
_NEWLINE = ord("\n")


class Unsupported(Exception):
    """The pattern uses syntax this module does not read; leave it unchanged."""


def leading_flags(pattern: str) -> tuple[str, int]:
    """The inline flags that open ``pattern`` (``(?iu)`` -> ``"iu"``) and where they end."""
    end = 0
    inline = ""
    while m := _GLOBAL_FLAGS.match(pattern, end):
        inline += m.group(1)
        end = m.end()
    return inline, end


def tokenize(body: str) -> list[str]:
    """Escapes, classes, group openers, ``)``, ``|`` and runs of other text, in order."""
    tokens = _TOKEN.findall(body)
    if sum(map(len, tokens)) != len(body):
        raise Unsupported("unbalanced character class")
    for tok in tokens:
        if tok == "(" or (tok.startswith("(") and tok not in OPENERS):
            raise Unsupported("capturing, named or inline-flag group")
        if tok[0] == "\\" and tok[1:].isdigit():
            raise Unsupported("back-reference")
    return tokens


def nesting(tok: str) -> int:
    """How a token changes the group depth: +1 for an opener, -1 for ``)``, else 0."""
    return (tok in OPENERS) - (tok == ")")


def split_alternatives(tokens: list[str]) -> list[list[str]]:
    """Top-level alternatives, flattening alternatives wrapped in a whole ``(?:...)``."""
    alternatives: list[list[str]] = [[]]
    depth = 0
    for tok in tokens:
        if tok == "|" and depth == 0:
            alternatives.append([])
            continue
        depth += nesting(tok)
        if depth < 0:
            raise Unsupported("unbalanced parenthesis")
        alternatives[-1].append(tok)
    if depth:
        raise Unsupported("unbalanced parenthesis")
    flat: list[list[str]] = []
    for alt in alternatives:
        inner = _unwrap(alt)
        flat.extend([alt] if inner is None else split_alternatives(inner))
    return flat


def _unwrap(alt: list[str]) -> list[str] | None:
    """The tokens inside ``(?:...)`` if that group spans the whole alternative, else None."""
    if len(alt) < 2 or alt[0] != "(?:" or alt[-1] != ")":
        return None
    depth = 0
    for i, tok in enumerate(alt):
        depth += nesting(tok)
        if depth == 0 and i < len(alt) - 1:
            return None
    return alt[1:-1]


def _is_text(tok: str) -> bool:
    """A run of literals, quantifiers or anchors (not an escape, class, group or ``|``)."""
    return tok[0] not in "\\[()|"


def is_anchored(alt: list[str]) -> bool:
    """Whether the alternative visibly starts with ``^`` and ends with ``$``."""
    first, last = alt[0], alt[-1]
    return _is_text(first) and first.startswith("^") and _is_text(last) and last.endswith("$")


def _code_point(escape: str) -> int | None:
    """The one character an escape stands for (``\\x0a``, ``\\u00e9``, ``\\-``), or None.

    None for a letter or digit escape (``\\n``, ``\\s``, ``\\W``, ``\\b``, an octal...), whose
    meaning is not read here.
    """
    if escape[1] in "uUx" and len(escape) > 2:
        return ord(escape.encode("ascii").decode("unicode_escape"))
    if not escape[1].isalnum():
        return ord(escape[1])
    return None


def _class_may_match_newline(cls: str) -> bool:
    body = cls[1:-1]
    if body.startswith("^"):
        return True
    items = _CLASS_ITEM.findall(body)
    points: list[int] = []
    for item in items:
        point = ord(item) if len(item) == 1 else _code_point(item)
        if point is None:  # \n, \s, \W, \D, octal...: do not try to be clever
            return True
        points.append(point)
    i = 0
    while i < len(items):
        if i + 2 < len(items) and items[i + 1] == "-":
            if points[i] <= _NEWLINE <= points[i + 2]:
                return True
            i += 3
        else:
            if points[i] == _NEWLINE:
                return True
            i += 1
    return False


def may_match_newline(tokens: list[str]) -> bool:
    """Conservative: False only if no part of the pattern can consume a newline."""
    for tok in set(tokens):
        if tok[0] == "[":
            if _class_may_match_newline(tok):
                return True
        elif tok[0] == "\\":
            point = _code_point(tok)
            if point == _NEWLINE or (point is None and tok[1] not in _SAFE_ALNUM_ESCAPES):
                return True
        elif tok.startswith("(?") and tok != "(?:":
            return True  # lookarounds: keep the original order rather than reason about them
        elif "." in tok or "\n" in tok:
            return True
    return False

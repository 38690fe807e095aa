"""Where each kind of date may open: the first letters of the words that start it, as
lookaheads the regex engine tests before it tries a kind's whole pattern.

They are necessary conditions built from the same lists of ``data/dates.json`` as the
grammar, so a guarded grammar finds exactly what the bare one finds (tested); most word
starts fail them on a letter or two.
"""

from __future__ import annotations

import re
from functools import cache

from entityx.dates.vocabulary import date_words
from entityx.knowledge import fold

FIGURES, ROMAN, HOLIDAYS = "figures", "roman", "holidays"

# The lists (or figures, roman numerals, holiday names) each kind of the grammar opens with.
OPENS = {
    "drange": ("day_range_openers", "weekdays", "first_day", FIGURES),
    "mrange": ("month_range_openers",),
    "mjoin": ("months",),
    "wrange": ("month_range_openers",),
    "yrange": ("year_range_openers", FIGURES),
    "nrange": ("numeric_range_openers",),
    "numeric": (FIGURES,),
    "isodate": (FIGURES,),
    "holiday": ("anchored_days", HOLIDAYS),
    "full": ("weekdays", "first_day", FIGURES),
    "part": ("month_parts",),
    "partrel": ("month_parts",),
    "monthyear": ("months", "month_abbreviations"),
    "firstn": ("numbers", FIGURES),
    "quarter": ("month_parts", "ordinals"),
    "season": ("demonstratives", "seasons"),
    "decade": ("decade_nouns",),
    "century": ("century_ordinals", ROMAN, FIGURES),
    "weekend": ("demonstratives", "week_ends"),
    "sameday": ("demonstratives", "anaphoric_days"),
    "later": ("numbers", FIGURES),
    "following": ("day_units",),
    "relperiod": ("demonstratives", "period_units"),
    "ago": ("ago_words",),
    "weekday": ("demonstratives", "weekdays"),
    "deictic": ("deictic_days",),
    "anchored": ("anchored_days",),
    "bseason": ("seasons",),
    "month": ("months",),
    "year": (FIGURES,),
}


def _head(entry: str) -> str:
    """What an entry opens with, case-folded: its first one to three letters, or a one- or
    two-letter elided word with its apostrophe (``d'``), which many more words share."""
    head = re.match(r"\w{1,3}", entry)
    if not head:
        return ""
    word = head.group()
    if len(word) < 3 and entry[len(word) : len(word) + 1] in ("'", "’"):
        return word.casefold() + "'"
    return word.casefold()


def _spellings(name: str) -> set[str]:
    """A holiday's first letters with each accent there written or left out, as the grammar
    allows (``Pâq``, ``Paq``)."""
    forms = {""}
    for ch in re.match(r"\w{1,3}", name).group():
        forms = {f + c for f in forms for c in {ch.casefold(), fold(ch).casefold()}}
    return forms


def _trie(words: set[str]) -> str:
    """An alternation of ``words`` as a trie (``d(?:e|u|['’])``): the engine skips a branch
    on its first letter, so a test costs a few comparisons, not one per word."""
    branches: dict[str, set[str]] = {}
    for word in words:
        if word:
            branches.setdefault(word[0], set()).add(word[1:])
    parts = [("['’]" if ch == "'" else re.escape(ch)) + _trie(rest) for ch, rest in sorted(branches.items())]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if "" in words else body


@cache
def opening(*sources: str) -> str:
    """A lookahead that holds where a word of ``sources`` may start ("" if anything may)."""
    v = date_words()
    heads, tests = set(), []
    for source in sources:
        if source == FIGURES:
            tests.append(r"\d")
        elif source == ROMAN:
            tests.append("(?-i:[IVXLC])")
        elif source == HOLIDAYS:
            heads |= {form for name in v["holidays"] for form in _spellings(name)}
        else:
            heads |= {_head(entry) for entry in v[source]}
    if "" in heads:
        return ""
    if heads:
        tests.append(_trie(heads))
    return "(?=" + "|".join(tests) + ")"


def any_opening() -> str:
    """Where some kind of date may open."""
    return opening(*sorted({source for sources in OPENS.values() for source in sources}))

"""The TimeML style: entityx's dates re-cut and re-valued as TimeBank 1.2 has them.

- a directly preceding determiner is inside (``le 5 septembre 2024``), and so is a head
  noun (``le mois de juin``, ``l'année 2016``);
- a range is one TIMEX3 per endpoint, each with its value (``du [3] au [5 mars 2025]``);
- values: decades ``199X``, seasons ``2024-SU``, quarters ``2024-Q1``, half-years
  ``2024-H1``, week-ends ``2024-W36-WE``, ``aujourd'hui`` as "nowadays" ``PRESENT_REF``,
  an unknown year ``XXXX``, and an unknown value the most the expression's shape says
  (``XXXX-XX-XX`` for a day).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from entityx.dates.find import Found
from entityx.dates.grammar import phrase
from entityx.dates.relative import weekend_week
from entityx.dates.vocabulary import date_words

SEASONS = {"21": "SP", "22": "SU", "23": "FA", "24": "WI"}
UNKNOWN = {"year": "XXXX", "decade": "XXXX", "century": "XX", "yrange": "XXXX",
           "month": "XXXX-XX", "monthyear": "XXXX-XX", "mrange": "XXXX-XX", "mjoin": "XXXX-XX",
           "part": "XXXX-XX", "season": "XXXX", "bseason": "XXXX", "quarter": "XXXX",
           "relperiod": "XXXX-WXX", "present": "PRESENT_REF"}


@cache
def _before() -> tuple[re.Pattern, re.Pattern]:
    v = date_words()
    heads = re.compile(rf"(?<![\w-])(?:{phrase(v['timeml_head_nouns'])})\s*$", re.IGNORECASE)
    words = "|".join(phrase([w]) + ("" if w.endswith("'") else r"\s+") for w in v["timeml_determiners"])
    determiners = re.compile(rf"(?<![\w-])(?:{words})$", re.IGNORECASE)
    return heads, determiners


def widen(text: str, start: int) -> int:
    """``start`` moved back over a head noun, then over a determiner, directly before."""
    heads, determiners = _before()
    for pattern in (heads, determiners):
        m = pattern.search(text, max(0, start - 30), start)
        if m:
            start = m.start()
    return start


def value(found: Found, norm: str | None) -> str:
    """A TIMEX3 value for one expression (or one endpoint) of entityx's value ``norm``."""
    if found.kind == "present" or norm is None:
        return UNKNOWN.get(found.kind, "XXXX-XX-XX")
    if found.kind == "weekend":
        return weekend_week(norm)
    if found.kind == "decade":
        return norm[:3] + "X"
    season = re.fullmatch(r"(\d{4}|XXXX)-(2[1-4])", norm)
    if season:
        return f"{season.group(1)}-{SEASONS[season.group(2)]}"
    if found.kind == "quarter":
        first, last = (int(v[5:7]) for v in norm.split("/"))
        size = last - first + 1
        return f"{norm[:4]}-{'Q' if size == 3 else 'H'}{last // size}"
    if norm.startswith("["):  # a feast that moon sighting may put a day later: its first day
        return norm[1:].split(",")[0]
    return norm.split("/")[0]


def timeml_style(text: str, found: list[Found]) -> list[Found]:
    """The expressions of ``text`` as TimeBank 1.2 cuts and values them."""
    out = []
    for f in found:
        ends = (f.norm or "").split("/")
        if f.parts and len(ends) == 2:
            for (start, end), norm in zip(f.parts, ends):
                out.append(replace(f, start=widen(text, start), end=end, norm=value(f, norm), parts=()))
        elif f.parts and f.norm is None:
            for start, end in f.parts:
                out.append(replace(f, start=widen(text, start), end=end, norm=value(f, None), parts=()))
        else:
            out.append(replace(f, start=widen(text, f.start), norm=value(f, f.norm)))
    return out

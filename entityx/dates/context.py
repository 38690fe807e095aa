"""What every resolver shares: the document being read (reference date, the last dates it
named, for anaphora), the words of a match as numbers, and past-or-future."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from entityx.dates.calendar import Reference, iso, resolve_year, valid
from entityx.dates.tense import tense
from entityx.dates.vocabulary import vocabulary, words
from entityx.knowledge import fold

VALUE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class NotADate(Exception):
    """A match whose numbers make no calendar date (``2.19.42``, ``31/02/2024``)."""


@dataclass
class Context:
    """One document as its dates are read in order: ``veille`` needs the last day named,
    ``le mois suivant`` the last month, ``trois ans plus tard`` the last year."""

    text: str
    ref: Reference | None
    last_day: date | None = None
    last_month: tuple[int, int] | None = None
    last_year: int | None = None

    def way(self, m: re.Match, modifier: str | None = None, day: bool = False) -> str | None:
        """'past' or 'future' (or None) for match ``m``: its modifier, else its tense. The
        present reads as the near future (``reprennent jeudi``), but a ``day`` and month
        keeps the nearest year (``organise le 25 septembre``)."""
        way = direction(modifier, tense(self.text, m.start(), m.end()))
        if way == "present":
            return None if day else "future"
        return way

    def remember(self, norm: str | None) -> None:
        """Take the last endpoint of a value as the anchor of what follows."""
        found = VALUE.fullmatch((norm or "").split("/")[-1])
        if not found:
            return
        y, m, d = (int(g) if g else None for g in found.groups())
        self.last_year = y
        if m and m > 12:  # a season code (2024-22), not a month
            return
        if m:
            self.last_month = (y, m)
        if d:
            self.last_day = date(y, m, d)

    def anchor(self, unit: str) -> Reference | None:
        """The last date named precise enough for ``unit``."""
        if unit in {"day", "week"}:
            d = self.last_day
            return Reference(d.year, d.month, d.day) if d else None
        if unit == "month":
            return Reference(*self.last_month) if self.last_month else None
        return Reference(self.last_year) if self.last_year else None


def month_of(word: str) -> int:
    v = vocabulary()
    key = fold(word).rstrip(".")
    return v["months"].get(key) or v["month_abbreviations"][key]


def day_of(word: str) -> int:
    word = fold(word).replace(" ", "")
    return 1 if word in words("first_day") else int(word)


def number_of(word: str) -> int:
    return int(word) if word.isdigit() else vocabulary()["numbers"][fold(word)]


def key_of(phrase: str) -> str:
    """A matched phrase as its data key: folded, spaces single."""
    return fold(re.sub(r"\s+", " ", phrase.strip()))


def direction(modifier: str | None, verb_tense: str | None) -> str | None:
    """'past', 'future' (or the tense: 'present', None), from ``dernier``/``prochain``
    first, else the tense."""
    if modifier:
        return "past" if fold(modifier) in words("past_modifiers") else "future"
    return verb_tense


def two_digit_year(ref: Reference | None, yy: int) -> int | None:
    """``98`` as the year of the century nearest the reference (1998 in 2024)."""
    if ref is None:
        return None
    return min((c * 100 + yy for c in range(ref.year // 100 - 1, ref.year // 100 + 2)),
               key=lambda y: abs(y - ref.year))


def day_month(c: Context, m, d, mo, y, modifier=None, weekday=None) -> str:
    day, month = day_of(d), month_of(mo)
    if y:
        year = int(y)
    else:
        year = resolve_year(c.ref, month, day, c.way(m, modifier, day=True), strict=bool(modifier), weekday=weekday)
    if not valid(year or 2000, month, day):
        raise NotADate
    return iso(year, month, day)

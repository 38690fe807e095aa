"""Values of date matches: one small function per kind of the grammar, looked up in
:data:`RESOLVERS`. Each takes the document's :class:`Context` and the match, and returns
an ISO 8601 value, None when the reference cannot give one, or raises :class:`NotADate`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from entityx.dates.calendar import Reference, iso, resolve_year, shift, shift_weekday, valid
from entityx.dates.tense import tense
from entityx.dates.vocabulary import vocabulary, words
from entityx.knowledge import fold


class NotADate(Exception):
    """A match whose numbers make no calendar date (``2.19.42``, ``31/02/2024``)."""


@dataclass
class Context:
    """One document as its dates are read in order (``veille`` needs the last day named)."""

    text: str
    ref: Reference | None
    last_day: date | None = None

    def way(self, m: re.Match, modifier: str | None = None) -> str | None:
        return direction(modifier, tense(self.text, m.start(), m.end()))


def month_of(word: str) -> int:
    v = vocabulary()
    key = fold(word).rstrip(".")
    return v["months"].get(key) or v["month_abbreviations"][key]


def day_of(word: str) -> int:
    word = fold(word).replace(" ", "")
    return 1 if word in words("first_day") else int(word)


def number_of(word: str) -> int:
    return int(word) if word.isdigit() else vocabulary()["numbers"][fold(word)]


def direction(modifier: str | None, verb_tense: str | None) -> str | None:
    """'past', 'future' or None, from ``dernier``/``prochain`` first, else the tense."""
    if modifier:
        return "past" if fold(modifier) in words("past_modifiers") else "future"
    return verb_tense


def day_month(c: Context, m, d, mo, y, modifier=None, weekday=None) -> str:
    day, month = day_of(d), month_of(mo)
    if y:
        year = int(y)
    else:
        year = resolve_year(c.ref, month, day, c.way(m, modifier), strict=bool(modifier), weekday=weekday)
    if not valid(year or 2000, month, day):
        raise NotADate
    return iso(year, month, day)


def drange(c: Context, m):
    v = vocabulary()
    opener = m.group("dr_from")
    separator = re.sub(r"\s+", " ", m.group("dr_sep").strip())
    if opener and v["day_range_openers"][fold(re.sub(r"\s+", " ", opener))] == "and" \
            and v["day_range_separators"][fold(separator)] != "and":
        raise NotADate  # "entre le 3 au 5": not a range
    d1, d2 = day_of(m.group("d1")), day_of(m.group("d2"))
    m2 = month_of(m.group("m2"))
    m1 = month_of(m.group("m1")) if m.group("m1") else m2
    y2 = int(m.group("y2")) if m.group("y2") else resolve_year(c.ref, m2, d2, c.way(m))
    y1 = int(m.group("y1")) if m.group("y1") else (None if y2 is None else y2 - (m1 > m2))
    if not (valid(y1 or 2000, m1, d1) and valid(y2 or 2000, m2, d2)) or (m1, d1) == (m2, d2):
        raise NotADate
    if y2 is not None and (y1, m1, d1) > (y2, m2, d2):
        raise NotADate
    return f"{iso(y1, m1, d1)}/{iso(y2, m2, d2)}"


def mrange(c: Context, m):
    m1, m2 = month_of(m.group("mm1")), month_of(m.group("mm2"))
    if m1 == m2:
        raise NotADate
    y2 = int(m.group("my2")) if m.group("my2") else resolve_year(c.ref, m2, None, c.way(m))
    y1 = int(m.group("my1")) if m.group("my1") else (None if y2 is None else y2 - (m1 > m2))
    return f"{iso(y1, m1)}/{iso(y2, m2)}"


def yrange(c: Context, m):
    a = m.group("yy1") or m.group("yy3")
    b = m.group("yy2") or m.group("yy4")
    if int(a) >= int(b):
        raise NotADate
    return f"{a}/{b}"


def numeric(c: Context, m, n=""):
    d, mo, y = int(m.group(f"nd{n}")), int(m.group(f"nm{n}")), m.group(f"ny{n}")
    year = int(y) if len(y) == 4 else 2000 + int(y)
    if not valid(year, mo, d):
        raise NotADate
    return iso(year, mo, d)


def nrange(c: Context, m):
    first, last = numeric(c, m, "1"), numeric(c, m, "2")
    if first >= last:
        raise NotADate
    return f"{first}/{last}"


def isodate(c: Context, m):
    y, mo = int(m.group("iy")), int(m.group("im"))
    d = int(m.group("id")) if m.group("id") else None
    if not valid(y, mo, d or 1):
        raise NotADate
    return iso(y, mo, d)


def full(c: Context, m):
    weekday = vocabulary()["weekdays"].get(fold(m.group("fw"))) if m.group("fw") else None
    return day_month(c, m, m.group("fd"), m.group("fm"), m.group("fy"), m.group("fmod"), weekday)


def part(c: Context, m):
    if m.group("pyo"):
        return m.group("pyo")
    month = month_of(m.group("pm"))
    if m.group("py"):
        return iso(int(m.group("py")), month)
    way = c.way(m, m.group("pmod"))
    return iso(resolve_year(c.ref, month, None, way, strict=bool(m.group("pmod"))), month)


def monthyear(c: Context, m):
    month = month_of(m.group("mym"))
    if m.group("myy"):
        return iso(int(m.group("myy")), month)
    return iso(resolve_year(c.ref, month, None, c.way(m, m.group("mymod")), strict=True), month)


def month(c: Context, m):
    number = month_of(m.group("month"))
    return iso(resolve_year(c.ref, number, None, c.way(m)), number)


def quarter(c: Context, m):
    n = vocabulary()["ordinals"][fold(m.group("qn"))]
    size = vocabulary()["periods"][fold(m.group("qp"))]
    if n * size > 12:
        raise NotADate
    if m.group("qy"):
        year = int(m.group("qy"))
    elif c.ref is None:
        return None
    elif m.group("qmod"):
        year = c.ref.year + (1 if direction(m.group("qmod"), None) == "future" else -1)
    else:
        year = c.ref.year
    return f"{iso(year, (n - 1) * size + 1)}/{iso(year, n * size)}"


def season(c: Context, m):
    v = vocabulary()
    code = v["seasons"][fold(m.group("sd") or m.group("ss"))]
    if m.group("sy"):
        return f"{m.group('sy')}-{code}"
    if c.ref is None:
        return None
    if m.group("sdem"):
        return f"{c.ref.year}-{code}"
    if c.ref.month is None:
        return None
    # The nearest season of that name over before (dernier), or starting after (prochain).
    start = v["season_months"][str(code)]
    now = c.ref.year * 12 + c.ref.month
    years = range(c.ref.year - 2, c.ref.year + 2)
    if direction(m.group("smod"), None) == "past":
        year = max(y for y in years if y * 12 + start + 2 < now)
    else:
        year = min(y for y in years if y * 12 + start > now)
    return f"{year}-{code}"


def decade(c: Context, m):
    dec = m.group("dec")
    start = int(dec) if len(dec) == 4 else 1900 + int(dec)
    return f"{start}/{start + 9}"


def relperiod(c: Context, m):
    unit = vocabulary()["period_units"][fold(m.group("rdu") or m.group("ru"))]
    step = 0 if m.group("rdem") else (1 if direction(m.group("rmod"), None) == "future" else -1)
    return shift(c.ref, unit, step)


def ago(c: Context, m):
    sign = vocabulary()["ago_words"][fold(re.sub(r"\s+", " ", m.group("adir")))]
    unit = vocabulary()["units"][fold(m.group("au"))]
    return shift(c.ref, unit, sign * number_of(m.group("an")))


def weekday(c: Context, m):
    number = vocabulary()["weekdays"][fold(m.group("ww"))]
    modifier = m.group("wmod")
    return shift_weekday(c.ref, number, c.way(m, modifier), strict=bool(modifier))


def deictic(c: Context, m):
    return shift(c.ref, "day", vocabulary()["deictic_days"][fold(m.group("deictic"))])


def anchored(c: Context, m):
    if c.last_day is None:
        return None
    return (c.last_day + timedelta(days=vocabulary()["anchored_days"][fold(m.group("anchored"))])).isoformat()


def year(c: Context, m):
    return m.group("year")


RESOLVERS = {
    "drange": drange, "nrange": nrange, "mrange": mrange, "yrange": yrange, "numeric": numeric,
    "isodate": isodate, "full": full, "part": part, "monthyear": monthyear, "quarter": quarter,
    "season": season, "decade": decade, "relperiod": relperiod, "ago": ago, "weekday": weekday,
    "deictic": deictic, "anchored": anchored, "month": month, "year": year,
}

"""Resolvers of expressions that name a calendar unit: days, months, years and their ranges,
parts, quarters, seasons, decades and centuries. The reference date only fills in a year
(or the century of ``octobre 98``) the text leaves out."""

from __future__ import annotations

from entityx.dates.calendar import iso, resolve_year, valid
from entityx.dates.context import (
    Context,
    NotADate,
    day_month,
    day_of,
    direction,
    key_of,
    month_of,
    number_of,
    two_digit_year,
)
from entityx.dates.vocabulary import vocabulary
from entityx.knowledge import fold

ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def drange(c: Context, m):
    v = vocabulary()
    opener, modifier = m.group("dr_from"), m.group("drmod")
    if opener and v["day_range_openers"][key_of(opener)] == "and" \
            and v["day_range_separators"][key_of(m.group("dr_sep"))] != "and":
        raise NotADate  # "entre le 3 au 5": not a range
    d1, d2 = day_of(m.group("d1")), day_of(m.group("d2"))
    m2 = month_of(m.group("m2"))
    m1 = month_of(m.group("m1")) if m.group("m1") else m2
    if m.group("y2") or m.group("y2s"):
        y2 = int(m.group("y2")) if m.group("y2") else two_digit_year(c.ref, int(m.group("y2s")))
    else:
        y2 = resolve_year(c.ref, m2, d2, c.way(m, modifier, day=True), strict=bool(modifier))
    y1 = int(m.group("y1")) if m.group("y1") else (None if y2 is None else y2 - (m1 > m2))
    if not (valid(y1 or 2000, m1, d1) and valid(y2 or 2000, m2, d2)) or (m1, d1) == (m2, d2):
        raise NotADate
    if y2 is not None and (y1, m1, d1) > (y2, m2, d2):
        raise NotADate
    return f"{iso(y1, m1, d1)}/{iso(y2, m2, d2)}"


def _months(c: Context, m, first: str, last: str, y1: str | None, y2: str | None, modifier=None):
    m1, m2 = month_of(m.group(first)), month_of(m.group(last))
    if m1 == m2:
        raise NotADate
    if y2:
        year2 = int(y2)
    else:
        year2 = resolve_year(c.ref, m2, None, c.way(m, modifier), strict=bool(modifier))
    year1 = int(y1) if y1 else (None if year2 is None else year2 - (m1 > m2))
    return f"{iso(year1, m1)}/{iso(year2, m2)}"


def mrange(c: Context, m):
    if m.group("ma1"):  # "entre janvier et mars"
        return _months(c, m, "ma1", "ma2", m.group("may1"), m.group("may2"))
    return _months(c, m, "mm1", "mm2", m.group("my1"), m.group("my2"))


def mjoin(c: Context, m):
    """``mars-avril 2025``, ``juin-juillet derniers``."""
    if m.group("mj3"):
        return _months(c, m, "mj1", "mj3", None, m.group("mjy3"), m.group("mjmod3"))
    return _months(c, m, "mj1", "mj2", None, m.group("mjy"), m.group("mjmod"))


def yrange(c: Context, m):
    a = m.group("yy1") or m.group("yy3")
    b = m.group("yy2") or m.group("yy4")
    if int(a) >= int(b):
        raise NotADate
    return f"{a}/{b}"


def numeric(c: Context, m, n=""):
    d, mo, y = int(m.group(f"nd{n}")), int(m.group(f"nm{n}")), m.group(f"ny{n}")
    year = int(y) if len(y) == 4 else (two_digit_year(c.ref, int(y)) or 2000 + int(y))
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
    if m.group("fy2"):
        year = two_digit_year(c.ref, int(m.group("fy2")))
        day, month = day_of(m.group("fd")), month_of(m.group("fm"))
        if not valid(year or 2000, month, day):
            raise NotADate
        return iso(year, month, day)
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
    if m.group("myy2"):
        return iso(two_digit_year(c.ref, int(m.group("myy2"))), month)
    return iso(resolve_year(c.ref, month, None, c.way(m, m.group("mymod")), strict=True), month)


def month(c: Context, m):
    number = month_of(m.group("month"))
    return iso(resolve_year(c.ref, number, None, c.way(m)), number)


def first_months(c: Context, m):
    """``10 premiers mois de 2022`` → ``2022-01/2022-10``; ``trois derniers mois de
    l'année`` → October to December of the reference year."""
    n = number_of(m.group("fnn"))
    if not 1 <= n <= 12:
        raise NotADate
    year = int(m.group("fny")) if m.group("fny") else (c.ref.year if c.ref else None)
    if vocabulary()["count_parts"][fold(m.group("fnw"))] > 0:
        return f"{iso(year, 1)}/{iso(year, n)}"
    return f"{iso(year, 13 - n)}/{iso(year, 12)}"


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
    if m.group("sy2"):
        return f"{iso(two_digit_year(c.ref, int(m.group('sy2'))))}-{code}"
    if c.ref is None:
        return None
    if m.group("sdem"):
        return f"{iso(c.ref.year)}-{code}"
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
    return f"{iso(year)}-{code}"


def bare_season(c: Context, m):
    """``au printemps``, ``l'été``: the year resolved as for a bare month (its first)."""
    v = vocabulary()
    code = v["seasons"][fold(m.group("bseason"))]
    year = resolve_year(c.ref, v["season_months"][str(code)], None, c.way(m))
    return f"{iso(year)}-{code}"


def decade(c: Context, m):
    dec = m.group("dec")
    start = int(dec) if len(dec) == 4 else 1900 + int(dec)
    return f"{start}/{start + 9}"


def roman(text: str) -> int | None:
    values = [ROMAN.get(ch) for ch in text.lower()]
    if None in values:
        return None
    return sum(-a if a < b else a for a, b in zip(values, values[1:] + [0]))


def century(c: Context, m):
    """``XXe siècle`` → ``19`` (ISO 8601 century: its years' first two digits);
    ``Ve siècle avant J.-C.`` → ``-04`` (ISO 8601 years -0499 to -0400)."""
    text = m.group("cn")
    n = vocabulary()["century_ordinals"].get(key_of(text)) or (
        int(m.group("cnum")) if m.group("cnum") else roman(m.group("croman")))
    if not n or n > 30:
        raise NotADate
    era = vocabulary()["eras"].get(key_of(m.group("cera") or "")) or 1
    return f"{n - 1:02d}" if era > 0 else f"-{n - 1:02d}"


def year(c: Context, m):
    return m.group("year")

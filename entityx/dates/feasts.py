"""Holidays and named days (``Noël``, ``la fête du Trône``, ``l'Aïd al-Adha``, ``le
ramadan``), dated by libraries rather than a hand table:

- civil and Christian holidays by ``holidays`` (the country each name belongs to in
  ``dates.json``): exact days, Easter computed;
- Islamic feasts by ``hijridate``'s Umm al-Qura calendar. Where the feast is fixed by moon
  sighting (Morocco, Algeria, France's mosques) it can fall a day later, so the value is the
  month both possible days share (``2024-06``), or the ISO 8601-2 set of the two days when
  they straddle a month (``[2025-03-31,2025-04-01]``); ramadan is its first to its last month.

A holiday without a year is the nearest occurrence the tense allows, as for a bare month.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from entityx.dates.calendar import Reference, in_direction
from entityx.dates.context import Context, NotADate, key_of
from entityx.dates.vocabulary import vocabulary


@cache
def _national(country: str, year: int) -> dict[str, date]:
    import holidays  # imported on the first holiday met, not at start-up

    table = holidays.country_holidays(country, years=year, language="en_US")
    days: dict[str, date] = {}
    for day, name in sorted(table.items()):
        for one in name.split("; "):
            days.setdefault(one.removesuffix(" (estimated)"), day)
    return days


@cache  # the calendar conversion is slow and a year's feasts recur in every article
def _hijri(month: int, day: int, year: int) -> list[date]:  # callers copy it
    """The Gregorian days of Hijri ``month``/``day`` falling in ``year`` (Umm al-Qura; none
    outside the years it covers, 1924 to 2077)."""
    from hijridate import Gregorian, Hijri

    try:
        first = Gregorian(year, 1, 1).to_hijri().year
    except (ValueError, OverflowError):
        return []
    found = []
    for hy in (first, first + 1):
        try:
            g = Hijri(hy, month, day).to_gregorian()
        except (ValueError, OverflowError):
            continue
        if g.year == year:
            found.append(date(g.year, g.month, g.day))
    return found


def _ramadan_end(start: date) -> date:
    from hijridate import Gregorian, Hijri

    h = Gregorian(start.year, start.month, start.day).to_hijri()
    try:
        g = Hijri(h.year, 10, 1).to_gregorian()
    except (ValueError, OverflowError):  # the last ramadan Umm al-Qura covers
        g = Hijri(h.year, 9, 29).to_gregorian()
        return date(g.year, g.month, g.day)
    return date(g.year, g.month, g.day) - timedelta(days=1)


def occurrences(rule: dict, year: int) -> list[date]:
    """The days (first days, for ramadan) a holiday rule gives in a Gregorian year."""
    if "hijri" in rule:
        return list(_hijri(*rule["hijri"], year))
    if "hijri_month" in rule:
        return list(_hijri(rule["hijri_month"], 1, year))
    day = _national(rule["country"], year).get(rule["holiday"])
    return [day + timedelta(days=rule.get("offset", 0))] if day else []


def _moon_sighted(day: date) -> str:
    """A day that local sighting may put one day later, at the precision both share."""
    after = day + timedelta(days=1)
    if (day.year, day.month) == (after.year, after.month):
        return f"{day.year:04d}-{day.month:02d}"
    return f"[{day.isoformat()},{after.isoformat()}]"


def value(rule: dict, day: date, shift: timedelta = timedelta(0)) -> str:
    """The value of a holiday falling on ``day``, ``shift`` after it (``la veille de``)."""
    if shift:
        return _moon_sighted(day + shift) if "hijri" in rule or "hijri_month" in rule else (day + shift).isoformat()
    if "hijri_month" in rule:
        first, last = _moon_sighted(day), _moon_sighted(_ramadan_end(day))
        return first if first == last else f"{first}/{last}"
    return _moon_sighted(day) if "hijri" in rule else day.isoformat()


def _pick(days: list[date], ref: Reference, way: str | None, strict: bool = False) -> date | None:
    """The occurrence the direction allows (``strict``, from dernier/prochain: not the
    reference day itself), else the nearest."""
    if ref.month is None:
        same = [d for d in days if d.year == ref.year]
        return same[0] if same and way is None else None
    precise = ref.day is not None
    now = (ref.year, ref.month, ref.day) if precise else (ref.year, ref.month)

    if way is not None:
        return in_direction(days, lambda d: (d.year, d.month, d.day) if precise else (d.year, d.month),
                            now, way, strict)
    anchor = ref.date or date(ref.year, ref.month, 15)
    return min(days, key=lambda d: abs((d - anchor).days)) if days else None


@cache
def rules() -> dict[str, dict]:
    """Holiday rules by folded name, hyphens as spaces (``Aïd al-Adha`` = ``aid al adha``)."""
    return {k.replace("-", " "): r for k, r in vocabulary()["holidays"].items()}


def holiday(c: Context, m):
    rule = rules()[key_of(m.group("hname").replace("-", " "))]
    shift = timedelta(days=vocabulary()["anchored_days"][key_of(m.group("hshift"))] if m.group("hshift") else 0)
    if m.group("hy"):
        days = occurrences(rule, int(m.group("hy")))
        if not days:
            raise NotADate
        return value(rule, days[0], shift)
    if c.ref is None:
        fixed = {((d + shift).month, (d + shift).day) for y in (2001, 2002, 2003) for d in occurrences(rule, y)}
        if len(fixed) == 1 and "hijri" not in rule:
            month, day = fixed.pop()
            return f"XXXX-{month:02d}-{day:02d}"
        return None
    days = [d for y in range(c.ref.year - 1, c.ref.year + 2) for d in occurrences(rule, y)]
    day = _pick(days, c.ref, c.way(m, m.group("hmod")), strict=bool(m.group("hmod")))
    return value(rule, day, shift) if day else None

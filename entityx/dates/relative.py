"""Resolvers of expressions relative to a date: the publication date for deictic words
(``hier``, ``la semaine dernière``, ``ce week-end``), the last fitting date of the text for
anaphora (``la veille``, ``le même jour``, ``deux jours plus tard``, ``le mois suivant``)."""

from __future__ import annotations

from datetime import date, timedelta

from entityx.dates.calendar import iso_week, shift, shift_weekday
from entityx.dates.context import Context, NotADate, direction, key_of, number_of
from entityx.dates.vocabulary import vocabulary
from entityx.knowledge import fold


def relperiod(c: Context, m):
    unit = vocabulary()["period_units"][fold(m.group("rdu") or m.group("ru"))]
    step = 0 if m.group("rdem") else (1 if direction(m.group("rmod"), None) == "future" else -1)
    return shift(c.ref, unit, step)


def part_of_period(c: Context, m):
    """``fin de l'année``, ``début du mois prochain``: the period itself, as ``fin 2021``
    is the year."""
    unit = vocabulary()["period_units"][fold(m.group("pru"))]
    step = 0 if not m.group("prmod") else (1 if direction(m.group("prmod"), None) == "future" else -1)
    return shift(c.ref, unit, step)


def ago(c: Context, m):
    sign = vocabulary()["ago_words"][key_of(m.group("adir"))]
    unit = vocabulary()["units"][fold(m.group("au"))]
    return shift(c.ref, unit, sign * number_of(m.group("an")))


def weekday(c: Context, m):
    number = vocabulary()["weekdays"][fold(m.group("ww"))]
    modifier = m.group("wmod")
    return shift_weekday(c.ref, number, c.way(m, modifier), strict=bool(modifier))


def weekday_range(c: Context, m):
    """``dans la nuit de lundi à mardi``, ``entre jeudi et samedi``: the last day as a bare
    weekday (tense first), the first the nearest such weekday before it."""
    days = vocabulary()["weekdays"]
    first, last = (days[fold(m.group(g) or m.group(h))] for g, h in (("wr1", "wa1"), ("wr2", "wa2")))
    if first == last:
        raise NotADate
    end = shift_weekday(c.ref, last, c.way(m), strict=False)
    if end is None:
        return None
    start = date.fromisoformat(end) - timedelta(days=(last - first) % 7)
    return f"{start.isoformat()}/{end}"


def deictic(c: Context, m):
    """``hier``, and ``aujourd'hui vendredi`` as one day."""
    return shift(c.ref, "day", vocabulary()["deictic_days"][key_of(m.group("dword"))])


def anchored(c: Context, m):
    if c.last_day is None:
        return None
    return (c.last_day + timedelta(days=vocabulary()["anchored_days"][fold(m.group("anchored"))])).isoformat()


def same_day(c: Context, m):
    """``le même jour``, ``ce jour-là``: the last day the text named."""
    return shift(c.anchor("day"), "day", vocabulary()["anaphoric_days"][key_of(m.group("sdw1") or m.group("sdw2"))])


def later(c: Context, m):
    """``deux jours plus tard``, ``trois mois plus tôt``: from the last fitting date."""
    unit = vocabulary()["units"][fold(m.group("lu"))]
    v = vocabulary()
    way = v["anaphoric_shifts"][key_of(m.group("lway"))] if m.group("lway") \
        else v["anaphoric_shifts_final"][key_of(m.group("lfinal"))]
    n = number_of(m.group("ln")) * way
    return shift(c.anchor(unit), unit, n)


def following(c: Context, m):
    """``la semaine suivante``, ``l'année précédente``: one unit from the last fitting date."""
    unit = vocabulary()["day_units"][fold(m.group("fu"))]
    return shift(c.anchor(unit), unit, vocabulary()["following_modifiers"][fold(m.group("fmodif"))])


def weekend(c: Context, m):
    """A week-end as its Saturday–Sunday range: ``ce week-end`` published Thursday
    2024-09-05 is ``2024-09-07/2024-09-08``."""
    ref = c.ref.date if c.ref else None
    if ref is None:
        return None
    saturday = ref + timedelta(days=5 - ref.weekday())  # of the reference's Monday–Sunday week
    during = ref.weekday() >= 5
    modifier = m.group("wemod")
    if modifier:
        way = direction(modifier, None)
        saturday += timedelta(weeks=-1 if way == "past" else (1 if during else 0))
    else:
        way = c.way(m)
        if m.group("wedem") and during:
            pass
        elif way == "past":
            saturday -= timedelta(weeks=0 if during else 1)
        elif way == "future" or m.group("wedem"):
            saturday += timedelta(weeks=1 if during else 0)
        elif not during:
            return None
    return weekend_value(saturday)


def weekend_value(saturday: date) -> str:
    return f"{saturday.isoformat()}/{(saturday + timedelta(days=1)).isoformat()}"


def weekend_week(value: str) -> str:
    """The TimeML week-end code of a Saturday–Sunday value: ``2024-W36-WE``."""
    return iso_week(date.fromisoformat(value.split("/")[0])) + "-WE"


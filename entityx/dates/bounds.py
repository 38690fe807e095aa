"""The calendar days a date value covers: ``earliest`` and ``latest``, inclusive.

ISO 8601-2 values say exactly what the text says (``2024-W36``, ``2023-22`` a summer,
``1990/1999``, ``[2025-03-31,2025-04-01]``), but SQL and pandas compare plain days. Every
value that names days gets its first and last one, so "everything in March 2025" is
``latest >= '2025-03-01' AND earliest <= '2025-03-31'``. A value with an unknown part
(``XXXX-04-15``), before year 1 (``-04``, a century before Christ) or no day at all
(``PRESENT_REF``) has none. Seasons are the astronomical ones as French uses them
(spring from 21 March, summer from 21 June, autumn from 23 September, winter from 21
December to 20 March); a century ``19`` is the years 1900 to 1999, as ISO 8601 writes it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

SEASONS = {  # ISO 8601-2 code, TimeML code: (first month, day), (last month, day), spans a year end
    "21": ((3, 21), (6, 20)), "22": ((6, 21), (9, 22)), "23": ((9, 23), (12, 20)), "24": ((12, 21), (3, 20)),
}
TIMEML_SEASONS = {"SP": "21", "SU": "22", "FA": "23", "WI": "24"}
QUARTERS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "H1": (1, 6), "H2": (7, 12)}


def bounds(value: str | None) -> tuple[str | None, str | None]:
    """(earliest, latest) day of ``value`` as ``YYYY-MM-DD``, or (None, None)."""
    if not value:
        return None, None
    try:
        first, last = _days(value)
    except (ValueError, OverflowError):
        return None, None
    if first is None or last is None:
        return None, None
    return first.isoformat(), last.isoformat()


def _days(value: str) -> tuple[date | None, date | None]:
    if value.startswith("[") and value.endswith("]"):  # a set: from its first day to its last
        parts = value[1:-1].split(",")
        return _days(parts[0])[0], _days(parts[-1])[1]
    if "/" in value:
        start, end = value.split("/", 1)
        return _days(start)[0], _days(end)[1]
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(m[1]), int(m[2])
        if month in range(1, 13):
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if m[2] in SEASONS:
            return _season(year, m[2])
        raise ValueError(value)
    if m := re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return (monday + timedelta(5), monday + timedelta(6)) if m[3] else (monday, monday + timedelta(6))
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        return _season(int(m[1]), TIMEML_SEASONS[m[2]])
    if m := re.fullmatch(r"(\d{4})-(Q[1-4]|H[12])", value):
        first, last = QUARTERS[m[2]]
        year = int(m[1])
        return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
    if m := re.fullmatch(r"(\d{4})", value):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{3})X", value):  # a TimeML decade: 199X
        return date(int(m[1]) * 10, 1, 1), date(int(m[1]) * 10 + 9, 12, 31)
    if m := re.fullmatch(r"(\d{2})", value):  # a century: 19 is 1900 to 1999
        century = int(m[1]) * 100
        return date(max(century, 1), 1, 1), date(century + 99, 12, 31)
    return None, None  # XXXX-…, -04, PRESENT_REF: no day to give


def _season(year: int, code: str) -> tuple[date, date]:
    (m1, d1), (m2, d2) = SEASONS[code]
    return date(year, m1, d1), date(year + (m2 < m1), m2, d2)

"""Calendar arithmetic on reference dates: the one place where years, months, weeks and
days are added, so every relative expression shifts the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Reference:
    """A publication date of year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: str | None) -> Reference | None:
        if not value:
            return None
        m = isinstance(value, str) and re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
        if not m:
            raise ValueError(f"not a date of the form YYYY[-MM[-DD]]: {value!r}")
        year, month, day = (int(g) if g else None for g in m.groups())
        if year == 0:
            raise ValueError(f"no year 0 in {value!r} (years run from 0001)")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"no month {month} in {value!r}")
        if day is not None:
            date(year, month, day)  # raises ValueError on an impossible day
        return cls(year, month, day)

    @property
    def date(self) -> date | None:
        return date(self.year, self.month, self.day) if self.day else None


def iso(year: int | None, month: int | None = None, day: int | None = None) -> str:
    """``YYYY[-MM[-DD]]``; a year outside 1–9999 has no ISO value (OverflowError)."""
    if year is not None and not 1 <= year <= 9999:
        raise OverflowError(f"year {year} is out of range")
    text = f"{year:04d}" if year is not None else "XXXX"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{iso(year)}-W{week:02d}"


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def shift(ref: Reference | None, unit: str, n: int) -> str | None:
    """The year, month, ISO week or day ``n`` units from ``ref``, at the unit's precision;
    None when the reference is less precise than the unit."""
    if ref is None:
        return None
    if unit == "year":
        return iso(ref.year + n)
    if unit == "month":
        return iso(*add_months(ref.year, ref.month, n)) if ref.month else None
    if ref.date is None:
        return None
    if unit == "week":
        return iso_week(ref.date + timedelta(weeks=n))
    return (ref.date + timedelta(days=n)).isoformat()


def shift_weekday(ref: Reference | None, weekday: int, way: str | None, strict: bool) -> str | None:
    """The nearest ``weekday`` before (past) or after (future) the reference day; ``strict``
    excludes the reference day itself."""
    if ref is None or ref.date is None:
        return None
    sign = 1 if way == "future" else -1
    days = (sign * (weekday - ref.date.weekday())) % 7 or (7 if strict else 0)
    return (ref.date + timedelta(days=sign * days)).isoformat()


def in_direction(candidates: list, when, now: tuple, way: str, strict: bool):
    """The latest candidate before ``now`` (``way`` past) or the earliest after it (future),
    compared by ``when``; ``now`` itself counts unless ``strict``. None if none fits."""
    if way == "past":
        fits = [c for c in candidates if when(c) < now or (when(c) == now and not strict)]
        return max(fits) if fits else None
    fits = [c for c in candidates if when(c) > now or (when(c) == now and not strict)]
    return min(fits) if fits else None


def resolve_year(ref: Reference | None, month: int, day: int | None, way: str | None,
                 strict: bool = False, weekday: int | None = None) -> int | None:
    """The year of a month (and day) given without one: the nearest fitting the direction.

    ``strict`` (``dernier``/``prochain``) excludes the reference month or day itself. A
    weekday (``jeudi 14 mars``) names the year itself among those around the reference:
    the direction only chooses between years it fits, and never empties them.
    """
    if ref is None:
        return None
    candidates = [ref.year - 1, ref.year, ref.year + 1]
    if weekday is not None and day is not None:
        fitting = [y for y in candidates if valid(y, month, day) and date(y, month, day).weekday() == weekday]
        if fitting:
            chosen = _directed(ref, fitting, month, day, way, strict) if ref.month and way else None
            return chosen or _nearest(ref, fitting, month)
    if ref.month is None:
        return ref.year if way is None else None
    if way is not None:
        return _directed(ref, candidates, month, day, way, strict)
    return _nearest(ref, candidates, month)


def _directed(ref: Reference, years: list[int], month: int, day: int | None, way: str, strict: bool):
    precise = bool(ref.day and day)  # compare days only when both sides have one
    now = (ref.year, ref.month, ref.day) if precise else (ref.year, ref.month)
    return in_direction(years, lambda y: (y, month, day) if precise else (y, month), now, way, strict)


def _nearest(ref: Reference, years: list[int], month: int) -> int:
    return min(years, key=lambda y: (abs((y - ref.year) * 12 + month - (ref.month or month)), y != ref.year))

"""French calendar expressions: find them in text and give each its ISO 8601 value.

The grammar is a handful of regular expressions built from the vocabulary in
``data/dates.json``; resolution follows the README (Dates): missing parts come from the
reference (publication) date, the verb tense or a ``dernier``/``prochain`` decides past or
future, and a value the reference cannot give is ``None`` — never today's clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from entityx.knowledge import date_words, fold

# ---------------------------------------------------------------- reference dates


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
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"no month {month} in {value!r}")
        if day is not None:
            date(year, month, day)  # raises ValueError on an impossible day
        return cls(year, month, day)

    @property
    def date(self) -> date | None:
        return date(self.year, self.month, self.day) if self.day else None


def iso(year: int | None, month: int | None = None, day: int | None = None) -> str:
    text = f"{year:04d}" if year is not None else "XXXX"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


# ---------------------------------------------------------------- vocabulary and grammar


def _alt(words) -> str:
    """A regex alternation, longest first, apostrophes either way."""
    parts = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace("'", "['’]") for w in parts)


@cache
def vocabulary() -> dict:
    """``data/dates.json`` with every word folded (lower case, no accents, straight ')."""
    folded = {}
    for key, value in date_words().items():
        if isinstance(value, dict):
            folded[key] = {fold(k): v for k, v in value.items()}
        elif isinstance(value, list):
            folded[key] = frozenset(fold(w) for w in value)
    return folded


def numeric(n: str) -> str:
    """Day/month/year in figures, day first as in French; ``n`` suffixes the group names."""
    return rf"(?P<nd{n}>[0-3]?\d)[/.](?P<nm{n}>[01]?\d)[/.](?P<ny{n}>\d{{4}}|\d{{2}})(?![\d/.]\d)"


@cache
def grammar() -> re.Pattern:
    v = date_words()
    number = _alt(v["numbers"])
    month = (
        rf"(?:{_alt(v['months'])})(?![\w-])"
        rf"|(?:{_alt(v['month_abbreviations'])})(?:\.|(?=\s+\d{{4}}))"
    )
    weekday = _alt(v["weekdays"])
    day = r"(?:1\s?er|1re|1ère|premier|0?[1-9]|[12]\d|3[01])(?![\d,.]\d)"
    year = r"(?:1[5-9]\d\d|20\d\d|21\d\d)(?!\d)"
    modifier = _alt(v["past_modifiers"] + v["future_modifiers"])
    part = "(?:" + "|".join(re.escape(w) + ("" if w.endswith("-") else r"\s") for w in v["month_parts"]) + ")"
    season = _alt(v["seasons"])
    ordinal = _alt(v["ordinals"])
    period = _alt(v["periods"])
    unit = _alt(v["units"])
    deictic = _alt(v["deictic_days"])
    anchored = _alt(v["anchored_days"])
    B = r"(?<![\w-])"  # start of a word (after an elided article too: l'an)
    # A month alone is a date only in lower case after a preposition: "en mars", not "Mars".
    after_preposition = "(?:" + "|".join(
        rf"(?<=\b{re.escape(w)})"
        for p in v["month_prepositions"]
        for w in ({p, p.replace("'", "’")} if p.endswith("'") else {p + " "})
    ) + ")"
    lower_month = rf"(?-i:{_alt(v['months'])})"
    E = r"(?![\w-])"  # end of a word
    D = rf"(?:{weekday})\s+"
    alternatives = [
        # ranges and coordinations of days: "du 3 au 5 mars 2025", "3 et 4 septembre"
        (
            rf"(?P<drange>(?:(?P<dr_from>du|entre\s+le)\s+)?(?:{D})?(?P<d1>{day})(?:\s+(?P<m1>{month}))?(?:\s+(?P<y1>{year}))?"
            rf"(?P<dr_sep>\s*(?:-|–|au|à|et(?:\s+le)?|,)\s*)(?:{D})?(?P<d2>{day})\s+(?P<m2>{month})(?:\s+(?P<y2>{year}))?)"
        ),
        # ranges of months or years: "de janvier à mars 2024", "de 2018 à 2023", "2018-2023"
        rf"(?P<mrange>(?P<mr_from>de|d'|d’|entre)\s*(?P<mm1>{month})(?:\s+(?P<my1>{year}))?\s+(?:à|au|et)\s+(?P<mm2>{month})(?:\s+(?P<my2>{year}))?)",
        rf"(?P<yrange>(?:(?P<yr_from>de|entre)\s+)(?P<yy1>{year})\s+(?:à|et)\s+(?P<yy2>{year})|(?P<yy3>{year})\s*[-–/]\s*(?P<yy4>{year}))",
        # numeric and ISO: "du 03/06/2024 au 07/06/2024", "05/03/2024", "2024-09-05", "2024-09"
        rf"(?P<nrange>(?:du|entre\s+le)\s+{numeric('1')}\s+(?:au|et\s+le)\s+{numeric('2')})",
        rf"(?P<numeric>{numeric('')})",
        r"(?P<isodate>(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)(?:-(?P<id>[0-3]\d))?(?![\d-]))",
        # "jeudi 17 février 2022", "24 mai dernier", "1er novembre"
        rf"(?P<full>(?:(?P<fw>{weekday})\s+)?(?P<fd>{day})\s+(?P<fm>{month})(?:\s+(?P<fy>{year})|\s+(?P<fmod>{modifier}))?{E})",
        # part of a month or year: "début janvier", "mi-octobre", "fin 2021"
        rf"(?P<part>(?P<pp>{part})(?:(?P<pm>{month})(?:\s+(?P<py>{year})|\s+(?P<pmod>{modifier}))?|(?P<pyo>{year})))",
        # "novembre 2019", "septembre dernier"
        rf"(?P<monthyear>(?P<mym>{month})\s+(?:(?P<myy>{year})|(?P<mymod>{modifier}){E}))",
        # quarters and half-years: "premier trimestre 2024"
        rf"(?P<quarter>(?P<qn>{ordinal})\s+(?P<qp>{period})(?:\s+(?:de\s+|d['’])?(?:l['’]année\s+)?(?P<qy>{year})|\s+(?P<qmod>{modifier}){E})?)",
        # seasons: "été 2023", "automne dernier", "cet été"
        rf"(?P<season>(?P<sdem>cet|ce|cette)\s+(?P<sd>{season}){E}|(?P<ss>{season})\s+(?:(?P<sy>{year})|(?P<smod>{modifier}){E}))",
        # decades: "années 1990", "années 90"
        r"(?P<decade>années\s+(?P<dec>(?:19|20)?\d0)(?![\d-]))",
        # relative periods: "semaine dernière", "cette année", "mois prochain", "an passé"
        rf"(?P<relperiod>(?P<rdem>cette|ce|cet)\s+(?P<rdu>semaine|année|an|mois)(?:-ci)?{E}|(?P<ru>semaine|année|an|mois)\s+(?P<rmod>{modifier}){E})",
        # "il y a trois jours", "dans deux semaines"
        rf"(?P<ago>(?P<adir>il\s+y\s+a|dans)\s+(?P<an>\d{{1,3}}|{number})\s+(?P<au>{unit}){E})",
        # weekdays: "mardi dernier", "lundi prochain", "dimanche"
        rf"(?P<weekday>(?P<ww>{weekday})(?:\s+(?P<wmod>{modifier}))?{E})",
        rf"(?P<deictic>{deictic}){E}",
        rf"(?<=\b(?:la|le|au|du)\s)(?P<anchored>{anchored}){E}(?!\s+(?:de|du|des|d['’])\b)",
        # a month alone after a preposition: "en novembre", "depuis mars"
        rf"{after_preposition}(?P<month>{lower_month}){E}",
        rf"(?P<year>{year})",
    ]
    return re.compile(B + "(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


# ---------------------------------------------------------------- tense


@cache
def _tense_words() -> tuple[frozenset, ...]:
    """Tense cues in lower case with their accents (``a`` is a verb, ``à`` is not)."""
    words = date_words()
    keys = ("past_auxiliaries", "future_auxiliaries", "not_future", "reporting_participles")
    return tuple(frozenset(w.lower() for w in words[k]) for k in keys)


FUTURE = re.compile(r"^[a-zàâçéèêëîïôûùüÿœ]{2,}[eidtvur]r(?:ai|as|a|ons|ez|ont)$")
PARTICIPLE = re.compile(r"^[a-zàâçéèêëîïôûùüÿœ]{2,}(?:é|ée|és|ées|i|is|ie|ies|it|u|us|ue|ues|ert|erte|int|inte|eint|ait)$")
INSERTED = re.compile(r"^(?:[a-zàâçéèêëîïôûùüÿœ]+ment|déjà|bien|pas|jamais|aussi|encore|ensuite|alors|même|été|y|en)$")


def tense(text: str, start: int, end: int) -> str | None:
    """'past', 'future' or None: the verb tense nearest to text[start:end] in its clause,
    else in its sentence (a trailing "a indiqué" reports; it does not date the event)."""
    for stops in (".!?\n;,", ".!?\n;"):
        left = max(text.rfind(c, 0, start) for c in stops)
        right = min((i for i in (text.find(c, end) for c in stops) if i >= 0), default=len(text))
        found = _nearest_tense(text[left + 1 : right], start - left - 1)
        if found:
            return found
    return None


def _nearest_tense(clause: str, at: int) -> str | None:
    past, future, not_future, reporting = _tense_words()
    words = [(m.start(), m.group().lower().replace("’", "'")) for m in re.finditer(r"[\w'’-]+", clause)]
    best = None
    for i, (pos, word) in enumerate(words):
        following = [w for _, w in words[i + 1 : i + 4]]
        while following and INSERTED.match(following[0]) and len(following) > 1 and following[0] != "été":
            following.pop(0)
        if (word in future or FUTURE.match(word)) and word not in not_future:
            found = "future"
        elif (word in past or (i and f"{words[i - 1][1]} {word}" in past)) and following \
                and (PARTICIPLE.match(following[0]) or following[0] in {"été", "eu"}) \
                and following[0] not in reporting:  # "a annoncé", "ont convenu" date the saying
            found = "past"
        else:
            continue
        if best is None or abs(pos - at) < best[0]:
            best = (abs(pos - at), found)
    return best[1] if best else None


# ---------------------------------------------------------------- resolution


def month_of(word: str) -> int:
    v = vocabulary()
    key = fold(word).rstrip(".")
    return v["months"].get(key) or v["month_abbreviations"][key]


def day_of(word: str) -> int:
    word = fold(word).replace(" ", "")
    return 1 if word in {"1er", "1re", "1ere", "premier"} else int(word)


def number_of(word: str) -> int:
    return int(word) if word.isdigit() else vocabulary()["numbers"][fold(word)]


def direction(modifier: str | None, verb_tense: str | None) -> str | None:
    """'past', 'future' or None, from ``dernier``/``prochain`` first, else the tense."""
    if modifier:
        return "past" if fold(modifier) in vocabulary()["past_modifiers"] else "future"
    return verb_tense


def resolve_year(ref: Reference | None, month: int, day: int | None, way: str | None,
                 strict: bool = False, weekday: int | None = None) -> int | None:
    """The year of a month (and day) given without one: the nearest fitting the direction.

    ``strict`` (``dernier``/``prochain``) excludes the reference month or day itself.
    """
    if ref is None or ref.month is None:
        return ref.year if ref is not None and way is None else None
    candidates = [ref.year - 1, ref.year, ref.year + 1]
    if weekday is not None and day is not None:
        fitting = [y for y in candidates if _valid(y, month, day) and date(y, month, day).weekday() == weekday]
        candidates = fitting or candidates
    precise = bool(ref.day and day)  # compare days only when both sides have one
    now = (ref.year, ref.month, ref.day) if precise else (ref.year, ref.month)

    def when(y: int) -> tuple:
        return (y, month, day) if precise else (y, month)

    if way == "past":
        fits = [y for y in candidates if when(y) < now or (when(y) == now and not strict)]
        return max(fits) if fits else None
    if way == "future":
        fits = [y for y in candidates if when(y) > now or (when(y) == now and not strict)]
        return min(fits) if fits else None
    return min(candidates, key=lambda y: (abs((y - ref.year) * 12 + month - ref.month), y != ref.year))


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def shift_weekday(ref: Reference | None, weekday: int, way: str | None, strict: bool) -> str | None:
    if ref is None or ref.date is None:
        return None
    sign = 1 if way == "future" else -1
    days = (sign * (weekday - ref.date.weekday())) % 7 or (7 if strict else 0)
    return (ref.date + timedelta(days=sign * days)).isoformat()


class NotADate(Exception):
    """A match whose numbers make no calendar date (``2.19.42``, ``31/02/2024``)."""


@dataclass
class Found:
    """A date expression: where it is and its value (None when it cannot be known)."""

    start: int
    end: int
    norm: str | None
    kind: str


class Resolver:
    """Values for one document's matches, in reading order (``veille`` needs the last day)."""

    def __init__(self, text: str, ref: Reference | None) -> None:
        self.text, self.ref, self.last_day = text, ref, None

    def value(self, kind: str, m: re.Match) -> str | None:
        norm = getattr(self, kind)(m)
        last = (norm or "").split("/")[-1]  # a range's last day anchors what follows
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", last):
            self.last_day = date.fromisoformat(last)
        return norm

    def way(self, m: re.Match, modifier: str | None = None) -> str | None:
        return direction(modifier, tense(self.text, m.start(), m.end()))

    def _day_month(self, m, d, mo, y, modifier=None, weekday=None) -> str | None:
        day, month = day_of(d), month_of(mo)
        if y:
            year = int(y)
        else:
            year = resolve_year(self.ref, month, day, self.way(m, modifier), strict=bool(modifier), weekday=weekday)
        if not _valid(year or 2000, month, day):
            raise NotADate
        return iso(year, month, day)

    def drange(self, m):
        if m.group("dr_from") and fold(m.group("dr_from")).startswith("entre") and "et" not in m.group("dr_sep"):
            raise NotADate
        d1, d2 = day_of(m.group("d1")), day_of(m.group("d2"))
        m2 = month_of(m.group("m2"))
        m1 = month_of(m.group("m1")) if m.group("m1") else m2
        if m.group("y2"):
            y2 = int(m.group("y2"))
        else:
            y2 = resolve_year(self.ref, m2, d2, self.way(m))
        y1 = int(m.group("y1")) if m.group("y1") else (None if y2 is None else y2 - (m1 > m2))
        if not (_valid(y1 or 2000, m1, d1) and _valid(y2 or 2000, m2, d2)) or (m1, d1) == (m2, d2):
            raise NotADate
        if y2 is not None and (y1, m1, d1) > (y2, m2, d2):
            raise NotADate
        return f"{iso(y1, m1, d1)}/{iso(y2, m2, d2)}"

    def mrange(self, m):
        m1, m2 = month_of(m.group("mm1")), month_of(m.group("mm2"))
        if m1 == m2:
            raise NotADate
        y2 = int(m.group("my2")) if m.group("my2") else resolve_year(self.ref, m2, None, self.way(m))
        y1 = int(m.group("my1")) if m.group("my1") else (None if y2 is None else y2 - (m1 > m2))
        return f"{iso(y1, m1)}/{iso(y2, m2)}"

    def yrange(self, m):
        a = m.group("yy1") or m.group("yy3")
        b = m.group("yy2") or m.group("yy4")
        if int(a) >= int(b):
            raise NotADate
        return f"{a}/{b}"

    def numeric(self, m, n=""):
        d, mo, y = int(m.group(f"nd{n}")), int(m.group(f"nm{n}")), m.group(f"ny{n}")
        year = int(y) if len(y) == 4 else 2000 + int(y)
        if not _valid(year, mo, d):
            raise NotADate
        return iso(year, mo, d)

    def nrange(self, m):
        first, last = self.numeric(m, "1"), self.numeric(m, "2")
        if first >= last:
            raise NotADate
        return f"{first}/{last}"

    def isodate(self, m):
        y, mo = int(m.group("iy")), int(m.group("im"))
        d = int(m.group("id")) if m.group("id") else None
        if not _valid(y, mo, d or 1):
            raise NotADate
        return iso(y, mo, d)

    def full(self, m):
        weekday = vocabulary()["weekdays"].get(fold(m.group("fw"))) if m.group("fw") else None
        return self._day_month(m, m.group("fd"), m.group("fm"), m.group("fy"), m.group("fmod"), weekday)

    def part(self, m):
        if m.group("pyo"):
            return m.group("pyo")
        month = month_of(m.group("pm"))
        if m.group("py"):
            return iso(int(m.group("py")), month)
        way = self.way(m, m.group("pmod"))
        return iso(resolve_year(self.ref, month, None, way, strict=bool(m.group("pmod"))), month)

    def monthyear(self, m):
        month = month_of(m.group("mym"))
        if m.group("myy"):
            return iso(int(m.group("myy")), month)
        return iso(resolve_year(self.ref, month, None, self.way(m, m.group("mymod")), strict=True), month)

    def month(self, m):
        month = month_of(m.group("month"))
        return iso(resolve_year(self.ref, month, None, self.way(m)), month)

    def quarter(self, m):
        n = vocabulary()["ordinals"][fold(m.group("qn"))]
        size = vocabulary()["periods"][fold(m.group("qp"))]
        if n * size > 12:
            raise NotADate
        if m.group("qy"):
            year = int(m.group("qy"))
        elif self.ref is None:
            return None
        elif m.group("qmod"):
            year = self.ref.year + (1 if direction(m.group("qmod"), None) == "future" else -1)
        else:
            year = self.ref.year
        return f"{iso(year, (n - 1) * size + 1)}/{iso(year, n * size)}"

    def season(self, m):
        v = vocabulary()
        code = v["seasons"][fold(m.group("sd") or m.group("ss"))]
        if m.group("sy"):
            return f"{m.group('sy')}-{code}"
        if self.ref is None:
            return None
        if m.group("sdem"):
            return f"{self.ref.year}-{code}"
        if self.ref.month is None:
            return None
        # The nearest season of that name over before (dernier), or starting after (prochain).
        start = v["season_months"][str(code)]
        now = self.ref.year * 12 + self.ref.month
        years = range(self.ref.year - 2, self.ref.year + 2)
        if direction(m.group("smod"), None) == "past":
            year = max(y for y in years if y * 12 + start + 2 < now)
        else:
            year = min(y for y in years if y * 12 + start > now)
        return f"{year}-{code}"

    def decade(self, m):
        dec = m.group("dec")
        start = int(dec) if len(dec) == 4 else 1900 + int(dec)
        return f"{start}/{start + 9}"

    def relperiod(self, m):
        ref = self.ref
        if ref is None:
            return None
        unit = fold(m.group("rdu") or m.group("ru"))
        step = 0 if m.group("rdem") else (1 if direction(m.group("rmod"), None) == "future" else -1)
        if unit in {"annee", "an"}:
            return iso(ref.year + step)
        if unit == "mois":
            return iso(*add_months(ref.year, ref.month, step)) if ref.month else None
        return iso_week(ref.date + timedelta(weeks=step)) if ref.date else None

    def ago(self, m):
        ref = self.ref
        if ref is None:
            return None
        n = number_of(m.group("an")) * (-1 if fold(m.group("adir")).startswith("il") else 1)
        unit = vocabulary()["units"][fold(m.group("au"))]
        if unit == "year":
            return iso(ref.year + n)
        if unit == "month":
            return iso(*add_months(ref.year, ref.month, n)) if ref.month else None
        if ref.date is None:
            return None
        if unit == "week":
            return iso_week(ref.date + timedelta(weeks=n))
        return (ref.date + timedelta(days=n)).isoformat()

    def weekday(self, m):
        weekday = vocabulary()["weekdays"][fold(m.group("ww"))]
        modifier = m.group("wmod")
        return shift_weekday(self.ref, weekday, self.way(m, modifier), strict=bool(modifier))

    def deictic(self, m):
        if self.ref is None or self.ref.date is None:
            return None
        shift = vocabulary()["deictic_days"][fold(m.group("deictic"))]
        return (self.ref.date + timedelta(days=shift)).isoformat()

    def anchored(self, m):
        if self.last_day is None:
            return None
        shift = vocabulary()["anchored_days"][fold(m.group("anchored"))]
        return (self.last_day + timedelta(days=shift)).isoformat()

    def year(self, m):
        return m.group("year")


KINDS = [
    "drange", "nrange", "mrange", "yrange", "numeric", "isodate", "full", "part", "monthyear", "quarter",
    "season", "decade", "relperiod", "ago", "weekday", "deictic", "anchored", "month", "year",
]


# ---------------------------------------------------------------- finding


def _word_before(text: str, start: int) -> str:
    m = re.search(r"(\S+)\s*$", text[max(0, start - 40) : start])
    return fold(m.group(1)) if m else ""


def _word_after(text: str, end: int) -> str:
    m = re.match(r"\s*([^\s,.;:!?()]+)", text[end : end + 40])
    return m.group(1) if m else ""


def plausible_year(text: str, start: int, end: int) -> bool:
    """A bare four-digit number is a year unless its neighbours make it a count or a number."""
    v = vocabulary()
    before, after = _word_before(text, start), _word_after(text, end)
    if before in v["not_after_year"] or re.fullmatch(r"[\d.,]+|[+-]", before):
        return False
    if text[end : end + 2].strip()[:1] in {"%", "€", "$", "£"} or re.match(r"[.,]\d", text[end : end + 2]):
        return False
    return not (after.isalpha() and after.islower()) or fold(after) in v["year_followers"]


WORD_KINDS = {"deictic", "anchored", "weekday", "season", "month"}
NUMBER_KINDS = {"isodate", "numeric", "yrange"}


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\u00a0«\"'(")
    return not before or before[-1] in ".!?:;\n—–-"


SPAN_GROUPS = {"month": "month", "deictic": "deictic", "anchored": "anchored", "year": "year"}


def find_dates(text: str, ref: Reference | None) -> list[Found]:
    """Every date expression of ``text``, in order, with its value against ``ref``."""
    resolver = Resolver(text, ref)
    found = []
    for m in grammar().finditer(text):
        kind = next(k for k in KINDS if m.group(k))
        start, end = m.span(SPAN_GROUPS.get(kind, 0))
        if kind == "year" and not plausible_year(text, start, end):
            continue
        if kind in NUMBER_KINDS and _word_before(text, start) in vocabulary()["not_after_year"]:
            continue  # "loi 2016-12", "décret n° 2.19.42": a reference number
        if kind in WORD_KINDS and text[start].isupper() and not _sentence_start(text, start):
            continue  # a name that holds a date word: "Aujourd'hui le Maroc", "Printemps arabe"
        try:
            norm = resolver.value(kind, m)
        except NotADate:
            continue
        found.append(Found(start, end, norm, kind))
    return found


HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)(?![\d-])")


def reference_from_text(text: str) -> str | None:
    """The publication date an article states itself: a ``date YYYY-MM`` header, or a
    dateline opening its first line (``Rabat, le 5 septembre 2024 –``)."""
    header = HEADER.match(text)
    if header:
        try:
            return Reference.parse(header.group(1)) and header.group(1)
        except ValueError:  # " date 2024-13": no date to trust
            return None
    first_line = text.lstrip()[:120].split("\n", 1)[0]
    dateline = re.match(r"[A-ZÀ-Ý][^,\n]{0,40},\s*(?:le\s+)?", first_line)
    if dateline:
        for found in find_dates(first_line[dateline.end() :][:40], None):
            if found.start == 0 and found.norm and re.fullmatch(r"\d{4}-\d{2}-\d{2}", found.norm):
                return found.norm
    return None


RELATIVE_KINDS = {"ago", "relperiod", "weekday", "deictic", "anchored", "month"}


def is_absolute(expression: str) -> bool:
    """Whether a date expression names its day, month or year in figures (``5 septembre``,
    ``2016``), as opposed to relative ones (``hier``, ``mardi dernier``, ``il y a 3 ans``)."""
    found = find_dates(expression, None)
    return bool(found) and found[0].kind not in RELATIVE_KINDS and any(c.isdigit() for c in expression)

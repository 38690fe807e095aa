"""Finding dates in a text: grammar matches filtered by their neighbours (a number that is
a count, a capitalised name holding a date word), each resolved in reading order."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from entityx.dates.calendar import Reference
from entityx.dates.context import Context, NotADate
from entityx.dates.grammar import alt, grammar
from entityx.dates.resolve import RESOLVERS
from entityx.dates.vocabulary import date_words, words
from entityx.knowledge import fold


@dataclass
class Found:
    """A date expression: where it is and its value (None when it cannot be known)."""

    start: int
    end: int
    norm: str | None
    kind: str
    parts: tuple[tuple[int, int], ...] = ()  # a range's endpoints, for the TimeML style


def _word_before(text: str, start: int) -> str:
    m = re.search(r"(\S+)\s*$", text[max(0, start - 40) : start])
    return fold(m.group(1)) if m else ""


def _word_after(text: str, end: int) -> str:
    m = re.match(r"\s*([^\s,.;:!?()]+)", text[end : end + 40])
    return m.group(1) if m else ""


def plausible_year(text: str, start: int, end: int) -> bool:
    """A bare four-digit number is a year unless its neighbours make it a count or a number.

    A count above one takes a plural noun (``2000 migrants``, ``1500 comprimés``): a
    lower-case word after the number that is not plural is not what it counts, and the
    number is a year whatever its place in the sentence (``2023 restera``, ``saisies en
    2021 venaient``, ``l'exercice 2022 exceptionnel``)."""
    before, after = _word_before(text, start), _word_after(text, end)
    if before in words("not_after_year") or re.fullmatch(r"[\d.,]+|[+-]", before):
        return False
    if text[end : end + 2].strip()[:1] in {"%", "€", "$", "£"} or re.match(r"[.,]\d", text[end : end + 2]):
        return False
    if not (after.isalpha() and after.islower()) or fold(after) in words("year_followers"):
        return True
    return len(after) > 2 and not after.endswith(tuple(words("plural_endings")))


WORD_KINDS = {"deictic", "anchored", "weekday", "season", "month", "bseason"}
NUMBER_KINDS = {"isodate", "numeric", "yrange"}
SPAN_GROUPS = {"month": "month", "deictic": "deictic", "anchored": "anchored", "year": "year"}
NOT_GENERIC = {"yrange", "nrange", "numeric", "isodate", "decade", "century", "firstn"}
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _all_caps(words: str) -> bool:
    """A headline word in capitals (``DIMANCHE``), not a capitalised name."""
    letters = [ch for ch in words if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


def _generic(text: str, start: int) -> bool:
    """Whether a date is every year's (``chaque 15 août``): its year is unknown."""
    return bool(_ending("generic_markers").search(fold(text[max(0, start - 20) : start])))


@cache
def _ending(key: str) -> re.Pattern:
    """Any word of ``key`` ending a (folded) text before spaces: one pattern, not one a word."""
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, words(key)))})\s+$")


def _nowadays(text: str, m: re.Match) -> bool:
    """``aujourd'hui`` meaning "nowadays" (``d'aujourd'hui``, ``encore aujourd'hui``)."""
    if fold(m.group("dword")) not in words("nowadays_words"):
        return False
    before = fold(text[max(0, m.start() - 20) : m.start()])
    after = fold(text[m.end() : m.end() + 20])
    return any(re.search(rf"(?<![\w-]){re.escape(w)}\s*$", before) for w in words("nowadays_before")) \
        or any(re.match(rf"\s*{re.escape(w)}(?![\w-])", after) for w in words("nowadays_after"))


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\u00a0«\"'(")
    return not before or before[-1] in ".!?:;\n—–-"


def find_dates(text: str, ref: Reference | None) -> list[Found]:
    """Every date expression of ``text``, in order, with its value against ``ref``."""
    context = Context(text, ref)
    found = []
    for m in grammar().finditer(text):
        kind = next(k for k in RESOLVERS if m.group(k))
        start, end = m.span(SPAN_GROUPS.get(kind, 0))
        if kind == "year" and not plausible_year(text, start, end):
            continue
        if kind in NUMBER_KINDS and _word_before(text, start) in words("not_after_year"):
            continue  # "loi 2016-12", "décret n° 2.19.42": a reference number
        if kind in WORD_KINDS and text[start].isupper() and not _sentence_start(text, start) \
                and not _all_caps(text[start:end]):
            continue  # a name that holds a date word: "Aujourd'hui le Maroc", "Printemps arabe"
        if kind == "season" and m.group("smod") and _word_before(text, start) in words("avoir_forms"):
            continue  # "ont été écoulés": the participle of être, not last summer
        if kind == "deictic" and _nowadays(text, m):
            found.append(Found(start, end, None, "present"))  # "la France d'aujourd'hui"
            continue
        generic = kind not in NOT_GENERIC and _generic(text, start)
        try:
            norm = RESOLVERS[kind](replace(context, ref=None) if generic else context, m)
        except NotADate:
            continue
        except (OverflowError, ValueError):  # past the calendar's years 1 to 9999: no value
            norm = None
        context.remember(norm)  # a range's last day anchors what follows
        found.append(Found(start, end, norm, kind, _parts(m, kind)))
    return found


# The groups that start and may end each endpoint of a range: "du [3] au [5 mars 2025]".
RANGE_PARTS = {
    "drange": (("d1", "m1", "y1"), ("d2",)), "nrange": (("nd1", "ny1"), ("nd2",)),
    "mrange": (("mm1", "my1", "ma1", "may1"), ("mm2", "ma2")), "mjoin": (("mj1",), ("mj2", "mj3")),
    "yrange": (("yy1", "yy3"), ("yy2", "yy4")), "wrange": (("wr1", "wa1"), ("wr2", "wa2")),
}


def _parts(m: re.Match, kind: str) -> tuple[tuple[int, int], ...]:
    if kind not in RANGE_PARTS:
        return ()
    first, last = ([g for g in groups if m.group(g)] for groups in RANGE_PARTS[kind])
    if kind in ("yrange", "wrange"):
        return (m.span(first[0]), m.span(last[0]))
    return ((m.start(first[0]), max(m.end(g) for g in first)), (m.start(last[0]), m.end()))


@cache
def _header() -> re.Pattern:
    return re.compile(rf"\A\s*(?:{alt(date_words()['header_words'])})\s+(\d{{4}}-\d{{2}}(?:-\d{{2}})?)(?![\d-])")


def reference_from_text(text: str) -> str | None:
    """The publication date an article states itself: a ``date YYYY-MM`` header, or a
    dateline opening its first line (``Rabat, le 5 septembre 2024 –``)."""
    header = _header().match(text)
    if header:
        try:
            return Reference.parse(header.group(1)) and header.group(1)
        except ValueError:  # " date 2024-13": no date to trust
            return None
    first_line = text.lstrip()[:120].split("\n", 1)[0]
    article = alt(date_words()["dateline_articles"])
    dateline = re.match(rf"[A-ZÀ-Ý][^,\n]{{0,40}},\s*(?:(?:{article})\s+)?", first_line)
    if dateline:
        for found in find_dates(first_line[dateline.end() :][:40], None):
            if found.start == 0 and found.norm and DAY.fullmatch(found.norm):
                return found.norm
    return None


RELATIVE_KINDS = {"ago", "relperiod", "weekday", "wrange", "deictic", "anchored", "month", "later", "following",
                  "sameday", "weekend", "partrel", "present", "bseason"}


def is_absolute(expression: str) -> bool:
    """Whether a date expression names its day, month or year in figures (``5 septembre``,
    ``2016``), as opposed to relative ones (``hier``, ``mardi dernier``, ``il y a 3 ans``)."""
    found = find_dates(expression, None)
    return bool(found) and found[0].kind not in RELATIVE_KINDS and any(c.isdigit() for c in expression)

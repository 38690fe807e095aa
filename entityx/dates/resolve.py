"""The table of resolvers: one small function per kind of the grammar (the name of its
outer group). Each takes the document's :class:`~entityx.dates.context.Context` and the
match, and returns an ISO 8601 value, None when no anchor can give one, or raises
:class:`~entityx.dates.context.NotADate`."""

from __future__ import annotations

from entityx.dates import absolute, feasts, relative

RESOLVERS = {
    "drange": absolute.drange, "nrange": absolute.nrange, "mrange": absolute.mrange,
    "mjoin": absolute.mjoin, "wrange": relative.weekday_range, "yrange": absolute.yrange,
    "numeric": absolute.numeric,
    "isodate": absolute.isodate, "holiday": feasts.holiday, "full": absolute.full,
    "part": absolute.part, "partrel": relative.part_of_period, "monthyear": absolute.monthyear, "firstn": absolute.first_months, "quarter": absolute.quarter,
    "season": absolute.season, "decade": absolute.decade, "century": absolute.century,
    "weekend": relative.weekend, "sameday": relative.same_day, "later": relative.later,
    "following": relative.following, "relperiod": relative.relperiod, "ago": relative.ago,
    "weekday": relative.weekday, "deictic": relative.deictic, "anchored": relative.anchored,
    "bseason": absolute.bare_season, "month": absolute.month, "year": absolute.year,
}

"""French calendar expressions: find them in text and give each its ISO 8601 value.

- :mod:`~entityx.dates.vocabulary`: the words, from ``data/dates.json``, validated on load;
- :mod:`~entityx.dates.grammar`: the regular expression built from them;
- :mod:`~entityx.dates.tense`: past or future, from the nearest verb;
- :mod:`~entityx.dates.calendar`: reference dates and the one calendar-shift helper;
- :mod:`~entityx.dates.resolve`: one small function per kind of expression;
- :mod:`~entityx.dates.find`: matches filtered and resolved in reading order.

Missing parts come from the reference (publication) date, the verb tense or a
``dernier``/``prochain`` decides past or future, and a value the reference cannot give is
``None`` — never today's clock.
"""

from entityx.dates.calendar import Reference
from entityx.dates.find import Found, find_dates, is_absolute, reference_from_text

__all__ = ["Found", "Reference", "find_dates", "is_absolute", "reference_from_text"]

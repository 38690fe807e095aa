"""An article's publication date, found where articles put it, and where it was found.

Relative dates (``hier``, ``jeudi``) are resolved against the publication date, so an article
whose date is missed loses every one of them. When none is given (``--published``, a JSONL
``meta.published``), it is looked for, in this order, and the first found is used:

1. ``header``: a ``date YYYY-MM[-DD]`` line opening the article (the reference format);
2. ``dateline``: ``Rabat, le 5 septembre 2024 –`` opening one of the first lines, also after
   a headline and a standfirst;
3. ``html-meta``: what an HTML page says of itself (``article:published_time``,
   ``datePublished``, ``<time datetime>``), found by the reader before tags are stripped;
4. ``byline``: ``Publié le 08/05/2024 à 10h32``, ``Mis à jour le 8 mai 2024`` near the top
   (a publication before an update);
5. ``filename``: a date in the file's name (``2024-05-08-cellule.txt``, ``20240508_dgsn.txt``).

Only a day (or the header's month) with its year counts: a date without a year is no
reference.
"""

from __future__ import annotations

import re
from pathlib import Path

from entityx.dates.calendar import Reference
from entityx.dates.find import _header, find_dates, reference_from_text

HEAD = 1_500  # characters of an article searched: headline, standfirst, byline, dateline
LINES = 8  # first non-empty lines where a dateline may open
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# A byline word opens a line or follows a separator ("Par Karim Bennani – Publié le …"),
# capitalised as bylines write it: "a publié le 3 mars un rapport" is no byline.
BYLINE = re.compile(r"(?m)(?:^|[-–—|•·,][^\S\n]*)[^\S\n]*(Publié|Mis à jour|Mise à jour|Actualisé|Modifié|Posté|"
                    r"PUBLIÉ|MIS À JOUR)(?:[^\S\n]+le)?[^\S\n]*:?[^\S\n]*(.{0,60})")
NUMERIC = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
FILENAME = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def discover(text: str, hints: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """(date, where it came from) of the first publication date found, or (None, None).
    ``hints`` holds what was found outside the text (``html-meta``, ``filename``)."""
    hints = hints or {}
    head = text[:HEAD]
    header = _header().match(head)
    if header:
        return (header.group(1), "header") if _valid(header.group(1)) else (None, None)
    found = dateline(head)
    if found:
        return found, "dateline"
    if _valid(hints.get("html-meta")):
        return hints["html-meta"], "html-meta"
    found = byline(head)
    if found:
        return found, "byline"
    if _valid(hints.get("filename")):
        return hints["filename"], "filename"
    return None, None


def dateline(head: str) -> str | None:
    """The day of a dateline opening one of the first lines."""
    lines = [line for line in head.split("\n") if line.strip()][:LINES]
    for line in lines:
        found = reference_from_text(line)
        if found and DAY.fullmatch(found):
            return found
    return None


def byline(head: str) -> str | None:
    """The day of a ``Publié le …`` line, else of a ``Mis à jour le …`` one."""
    found = {}
    for m in BYLINE.finditer(head):
        kind = "published" if m.group(1).lower() in ("publié", "posté") else "updated"
        day = _day(m.group(2))
        if day:
            found.setdefault(kind, day)
    return found.get("published") or found.get("updated")


def _day(text: str) -> str | None:
    numeric = NUMERIC.match(text)  # 08/05/2024, 08.05.2024: day first, as in French
    if numeric:
        day, month, year = (int(g) for g in numeric.groups())
        value = f"{year:04d}-{month:02d}-{day:02d}"
        return value if _valid(value) else None
    for found in find_dates(text, None):
        if found.start == 0 and found.norm and DAY.fullmatch(found.norm):
            return found.norm
    return None


def from_filename(path: str) -> str | None:
    """A date in a file's name: ``2024-05-08-slug.txt``, ``20240508_slug.html``."""
    m = FILENAME.search(Path(path).name)
    value = m and f"{m[1]}-{m[2]}-{m[3]}"
    return value if _valid(value) else None


def _valid(value: str | None) -> bool:
    if not value:
        return False
    try:
        Reference.parse(value)
    except ValueError:
        return False
    return True

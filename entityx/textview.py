"""A normalised view of a text for matching, with offsets mapped back to the original.

Articles arrive decomposed (NFD accents from macOS), sprinkled with zero-width characters
(``DG\\u200bSN``, ``Inter\\u200dpol``, copied from web pages) and typographic spaces (the
no-break space after ``M.``, the narrow one before ``:``), even control characters. The model
and the knowledge base see a view where accents are composed (NFC), zero-width characters are
gone and every such space or control character is a plain space; the entities found there are mapped back, so their offsets still
slice the original text. Only what changes length needs a map: a list of segments, empty
for a clean text, so a clean text costs nothing.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right

TYPOGRAPHIC_SPACES = "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
# Control characters (NUL, ESC, C1...) other than tabs and line breaks: seen as spaces too, so
# that a stray one changes nothing around it ("DGSN\x00" is still DGSN).
CONTROLS = "\x00-\x08\x0e-\x1f\x7f-\x9f"
SPACES = str.maketrans({c: " " for c in TYPOGRAPHIC_SPACES} | {c: " " for c in map(chr, [
    *range(0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)])})
HAS_SPACES = re.compile(f"[{TYPOGRAPHIC_SPACES}{CONTROLS}]")  # a search in C; translate() looks up every character
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
CHANGES = re.compile(f"[{INVISIBLE}]+|.[{COMBINING}]+", re.DOTALL)
SUSPECT = re.compile(f"[{INVISIBLE}{COMBINING}]")


class View:
    """``text`` as the pipeline sees it; :meth:`start` and :meth:`end` map a span back."""

    def __init__(self, original: str) -> None:
        text = original.translate(SPACES) if HAS_SPACES.search(original) else original  # one for one: no map
        # Segments where lengths differ: view [v, v + vl) is original [o, o + ol).
        self.v, self.vl, self.o, self.ol = (array("q") for _ in range(4))
        if SUSPECT.search(text):
            text = self._fold(text)
        self.text = text

    def _fold(self, text: str) -> str:
        pieces, last, shift = [], 0, 0
        for match in CHANGES.finditer(text):
            found = match[0]
            new = "" if found[0] in INVISIBLE else unicodedata.normalize("NFC", found)
            if len(new) == len(found):
                continue
            pieces.append(text[last : match.start()])
            pieces.append(new)
            last = match.end()
            self.v.append(match.start() - shift)
            self.vl.append(len(new))
            self.o.append(match.start())
            self.ol.append(len(found))
            shift += len(found) - len(new)
        pieces.append(text[last:])
        return "".join(pieces)

    def start(self, position: int) -> int:
        """The original offset of the view character at ``position``."""
        i = bisect_right(self.v, position) - 1
        if i < 0:
            return position
        inside = position - self.v[i]
        if inside < self.vl[i]:
            return self.o[i]
        return self.o[i] + self.ol[i] + inside - self.vl[i]

    def end(self, position: int) -> int:
        """The original offset just after the view character before ``position``."""
        i = bisect_left(self.v, position) - 1
        if i < 0:
            return position
        inside = position - self.v[i]
        if inside <= self.vl[i]:
            return self.o[i] + self.ol[i]
        return self.o[i] + self.ol[i] + inside - self.vl[i]

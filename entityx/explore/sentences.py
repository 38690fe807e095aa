"""Keyword in context: the sentence around a mention, cut from the article's text.

A sentence ends at a line break, or at ``.``, ``!``, ``?`` or ``…`` followed by a space and
a capital, a digit or an opening quote, except after a title or an initial (``M. Hammouchi``,
``Mme``, ``A. Hammouchi``): those are not the end of a sentence in the press. A very long
sentence is cut to ``WIDTH`` characters on each side, at a space, with ``…``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

END = re.compile(r"(?<=[.!?…])[\s\u00a0]+(?=[«\"“(\[A-ZÀ-ÖØ-Þ0-9])|\n")
ABBREVIATIONS = {"m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "st", "ste", "cf",
                 "av", "bd", "art", "no", "n°", "p", "vol", "gal", "gén", "col", "cdt", "lt", "sgt", "etc"}
WIDTH = 160


class Context(NamedTuple):
    left: str
    text: str
    right: str


def is_break(text: str, at: int) -> bool:
    """Whether the match of END at ``at`` (a space after a period…) ends a sentence."""
    if text[at] == "\n":
        return True
    before = text[max(0, at - 12):at].rstrip(".!?… \u00a0").rsplit(None, 1)
    word = before[-1].rsplit("(", 1)[-1] if before else ""
    return not (word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()))


def sentence(text: str, start: int, end: int) -> Context:
    """The text before the mention in its sentence, the mention, and the text after."""
    left_edge = 0
    for found in END.finditer(text, max(0, start - 4 * WIDTH), start + 1):  # + 1: the lookahead
        if found.end() <= start and is_break(text, found.start()):
            left_edge = found.end()
    right_edge = len(text)
    for found in END.finditer(text, end, min(len(text), end + 4 * WIDTH + 1)):
        if is_break(text, found.start()):
            right_edge = found.start()
            break
    left, right = text[left_edge:start], text[end:right_edge]
    return Context(shorten(left, from_end=True), text[start:end], shorten(right, from_end=False))


def shorten(piece: str, from_end: bool) -> str:
    """``piece`` whole, or its ``WIDTH`` characters nearest the mention, cut at a space."""
    piece = piece.replace("\n", " ")
    if len(piece) <= WIDTH:
        return piece
    if from_end:
        kept = piece[-WIDTH:]
        return "…" + kept[kept.find(" ") + 1:] if " " in kept[:40] else "…" + kept
    kept = piece[:WIDTH]
    return kept[:kept.rfind(" ")] + "…" if " " in kept[-40:] else kept + "…"

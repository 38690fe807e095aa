"""TimeML output: one document per input, its dates as inline ``<TIMEX3>`` elements.

The ``<TEXT>`` element's text content is exactly the input, so offsets carry over, with
one exception XML itself imposes: characters XML 1.0 cannot hold at all (C0 controls but
tab, newline and carriage return; U+FFFE, U+FFFF; unpaired surrogates) are written as
U+FFFD, one for one, so every other character keeps its offset. A carriage return is
written ``&#13;`` so that parsers do not turn it into a newline.
"""

from __future__ import annotations

import re
from typing import IO
from xml.sax.saxutils import quoteattr

from entityx.model import Document

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


def xml_text(text: str) -> str:
    """``text`` as XML 1.0 character data (see the module docstring for what cannot be)."""
    return re.sub(r"[&<>\r]", lambda m: ESCAPES[m.group()], NOT_XML.sub("\ufffd", text))


def timex(tid: str, value: str, body: str, extra: str = "") -> str:
    return f'<TIMEX3 tid="{tid}" type="DATE" value={quoteattr(value)}{extra}>{body}</TIMEX3>'


def to_timeml(doc: Document, text: str) -> str:
    """The TimeML document of ``doc``, whose input was ``text``."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<TimeML>\n']
    parts.append(f"<DOCID>{xml_text(doc.source)}</DOCID>\n")
    if doc.published:
        dct = timex("t0", doc.published, xml_text(doc.published),
                    ' temporalFunction="false" functionInDocument="CREATION_TIME"')
        parts.append(f"<DCT>{dct}</DCT>\n")
    parts.append("<TEXT>")
    at = 0
    dates = sorted((m for m in doc.entities if m.label == "DATE"), key=lambda m: m.start)
    for number, m in enumerate(dates, 1):
        if m.start < at:  # overlapping spans cannot nest in XML; keep the first
            continue
        parts.append(xml_text(text[at : m.start]))
        parts.append(timex(f"t{number}", m.norm or "XXXX-XX-XX", xml_text(text[m.start : m.end])))
        at = m.end
    parts.append(xml_text(text[at:]) + "</TEXT>\n</TimeML>\n")
    return "".join(parts)


class TimemlWriter:
    """TimeML documents one after another, each with its XML declaration; ``texts`` gives
    the input of each document in the order they come."""

    def __init__(self, out: IO[str], texts) -> None:
        self.out, self.texts = out, texts

    def write(self, doc: Document) -> None:
        self.out.write(to_timeml(doc, self.texts.popleft()))
        self.out.flush()

    def close(self) -> None:
        pass

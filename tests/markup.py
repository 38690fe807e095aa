"""Inline span markup for hand-written gold: ``[Lyon]{LOC}``, ``[hier]{DATE=2024-09-04}``.

Writing gold inline keeps offsets right by construction; ``parse`` turns it into the plain
text and the spans of ``../shared/ANNOTATION.md``. ``{DATE}`` with no value means the date's
norm cannot be known (no ``norm`` key).
"""

import re

MARK = re.compile(r"\[([^\[\]]+)\]\{(PER|ORG|LOC|DATE|MISC)(?:=([^{}]*))?\}")


def parse(marked: str) -> tuple[str, list[dict]]:
    """Plain text and gold spans of a marked-up string."""
    text, spans, last = [], [], 0
    offset = 0
    for m in MARK.finditer(marked):
        before = marked[last : m.start()]
        text.append(before)
        offset += len(before)
        surface, label, norm = m.group(1), m.group(2), m.group(3)
        span = {"start": offset, "end": offset + len(surface), "label": label, "text": surface}
        if norm:
            span["norm"] = norm
        spans.append(span)
        text.append(surface)
        offset += len(surface)
        last = m.end()
    text.append(marked[last:])
    plain = "".join(text)
    if re.search(r"[\[\]]|\{(PER|ORG|LOC|DATE|MISC)", plain):
        raise ValueError(f"stray markup in: {plain[:80]!r}")
    return plain, spans

"""Documents as HTML: the article with each mention marked, for `-f html` and the reading page.

The markup is the one the page's script builds in the browser (``serve/static/marks.js``)
and both use ``serve/static/marks.css``: a ``<mark>`` per mention carrying a visible label
(so it reads without colour) and a card shown on hover or keyboard focus (so a standalone
file needs no script). Every piece of text is escaped; the file loads nothing from elsewhere.
"""

from __future__ import annotations

from collections import deque
from html import escape
from importlib.resources import files
from typing import IO

from entityx.model import Document, Group, Mention

STYLE = files("entityx").joinpath("serve/static/marks.css")


def segments(text: str, mentions: list[Mention]) -> list[tuple[str, Mention | None]]:
    """``text`` cut into (piece, mention or None), in order; a mention that overlaps an
    earlier one stays plain text rather than breaking the markup."""
    pieces, position = [], 0
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start < position or m.end > len(text) or m.start >= m.end:
            continue
        if m.start > position:
            pieces.append((text[position : m.start], None))
        pieces.append((text[m.start : m.end], m))
        position = m.end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def card_rows(m: Mention, group: Group | None) -> list[tuple[str, str]]:
    """What the card of a mention says: label, date value, knowledge-base id, name."""
    rows = [("label", m.label)]
    if m.norm:
        rows.append(("date", m.norm))
    if m.kb_id:
        rows.append(("kb id", m.kb_id))
    if group is not None:
        rows.append(("name", group.name))
    return rows


def mark(m: Mention, group: Group | None) -> str:
    card = "".join(
        f'<span class="card-row"><span class="card-key">{escape(key)}</span> {escape(value)}</span>'
        for key, value in card_rows(m, group)
    )
    return (
        f'<mark class="ent" data-label="{escape(m.label)}" data-group="{escape(m.group or "")}" '
        f'tabindex="0"><span class="ent-text">{escape(m.text)}</span>'
        f'<span class="tag">{escape(m.label)}</span>'
        f'<span class="card" role="tooltip">{card}</span></mark>'
    )


def group_item(g: Group) -> str:
    others = [a for a in g.aliases if a != g.name]
    details = [f"{g.mentions} mention{'s' if g.mentions != 1 else ''}"]
    details += [f"kb {g.kb_id}"] if g.kb_id else []
    details += g.norms if g.label == "DATE" else []
    details += [f"also {', '.join(others)}"] if others else []
    return (
        f'<li data-group="{escape(g.id)}"><span class="tag" data-label="{escape(g.label)}">'
        f'{escape(g.label)}</span> <span class="group-name">{escape(g.name)}</span> '
        f'<span class="group-details">{escape(" · ".join(details))}</span></li>'
    )


def render_document(doc: Document, text: str, number: int = 1) -> str:
    """One ``<section>``: heading, the marked-up article, and the groups by salience."""
    groups = {g.id: g for g in doc.groups}
    body = "".join(
        escape(piece) if m is None else mark(m, groups.get(m.group))
        for piece, m in segments(text, doc.entities)
    )
    meta = f"published {doc.published or 'unknown'} · {len(doc.entities)} mentions"
    error = f'<p class="error">{escape(doc.error)}</p>' if doc.error else ""
    items = "".join(group_item(g) for g in doc.groups)
    return (
        f'<section class="document" aria-labelledby="doc-{number}">'
        f'<h2 id="doc-{number}">{escape(doc.source)}</h2><p class="meta">{escape(meta)}</p>{error}'
        f'<div class="article">{body}</div>'
        f'<h3>Entities by salience</h3><ol class="groups">{items}</ol></section>\n'
    )


class HtmlWriter:
    """A standalone page, one section per input; ``texts`` holds, in order, the text of
    each document still to be written (a Document does not carry its text)."""

    def __init__(self, out: IO[str], texts: deque[str]) -> None:
        self.out, self.texts, self.count = out, texts, 0

    def start(self) -> None:
        self.out.write(
            '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>entityx</title><style>{STYLE.read_text(encoding='utf-8')}</style>"
            '</head><body class="entityx">\n'
        )

    def write(self, doc: Document) -> None:
        if self.count == 0:
            self.start()
        self.count += 1
        self.out.write(render_document(doc, self.texts.popleft(), self.count))
        self.out.flush()

    def close(self) -> None:
        if self.count == 0:
            self.start()
        self.out.write("</body></html>\n")
        self.out.flush()

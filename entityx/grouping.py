"""From mentions to entities: one group per real-world entity of a document, ranked.

Mentions join when they name the same thing: the same knowledge-base entry, an acronym
and its in-text long form, the same words up to case, accents and a leading article, the
same date value; and a person's surname (or any trailing part of a full name) joins the
one full name it can belong to. Salience weighs mentions, their position (headline and
first paragraph count more) and how far through the text they spread.
"""

from __future__ import annotations

import re
from collections import defaultdict

from entityx.knowledge import fold
from entityx.model import Group, Mention

ARTICLE = re.compile(r"^(?:l'|la |le |les )")


def _key(m: Mention) -> tuple:
    if m.label == "DATE":
        return ("DATE", m.norm or fold(m.text))
    if m.kb_id:
        return ("kb", m.kb_id, fold(m.canonical or ""))
    name = fold(m.canonical or m.text).replace("-", " ")
    return (m.label, ARTICLE.sub("", name))


def _find_or_end(text: str, separator: str, start: int = 0) -> int:
    found = text.find(separator, start)
    return len(text) if found < 0 else found


def _weight(m: Mention, headline_end: int, lead_end: int) -> float:
    """A mention in the headline counts three times, in the first paragraph twice."""
    return 3.0 if m.start < headline_end else 2.0 if m.start < lead_end else 1.0


def group_mentions(mentions: list[Mention], text: str) -> list[Group]:
    """Group ``mentions`` (setting each one's ``group``) and return the groups by salience."""
    buckets: dict[tuple, list[Mention]] = defaultdict(list)
    for m in sorted(mentions, key=lambda m: m.start):
        buckets[_key(m)].append(m)
    _join_surnames(buckets)

    headline_end = _find_or_end(text, "\n")
    lead_end = _find_or_end(text, "\n\n", headline_end + 1)
    size = max(len(text), 1)
    ordered = sorted(buckets.values(), key=lambda ms: ms[0].start)
    raw = []
    for members in ordered:
        weight = sum(_weight(m, headline_end, lead_end) for m in members)
        spread = (members[-1].start - members[0].start) / size
        raw.append(weight * (1 + spread))
    total = sum(raw) or 1.0

    groups = []
    for number, (members, score) in enumerate(zip(ordered, raw), 1):
        gid = f"E{number}"
        for m in members:
            m.group = gid
        groups.append(_group(gid, members, round(score / total, 4)))
    groups.sort(key=lambda g: (-g.salience, g.first))
    return groups


def _group(gid: str, members: list[Mention], salience: float) -> Group:
    first = members[0]
    aliases = list(dict.fromkeys(m.text for m in members))
    kb_id = first.kb_id
    if kb_id and first.canonical:
        name = first.canonical  # the knowledge base's name (or a templated name as written)
    else:
        name = max(aliases, key=lambda a: (len(a.split()), len(a)))
        if first.canonical and len(first.canonical) > len(name):
            name = first.canonical
    norms = sorted({m.norm for m in members if m.norm}) if first.label == "DATE" else []
    return Group(
        id=gid, label=first.label, name=name, aliases=aliases, mentions=len(members),
        first=first.start, salience=salience, kb_id=kb_id, norms=norms,
    )


def _join_surnames(buckets: dict[tuple, list[Mention]]) -> None:
    """Move a partial name (``Hammouchi``) into the only full name that ends with it."""
    people = {k: fold(ms[0].text).split() for k, ms in buckets.items() if k[0] == "PER"}
    for key, words in sorted(people.items(), key=lambda kv: len(kv[1])):
        fuller = {
            k for k, w in people.items()
            if len(w) > len(words) and w[-len(words):] == words and k in buckets
        }
        if len(fuller) == 1:
            (target,) = fuller
            buckets[target] = sorted(buckets[target] + buckets.pop(key), key=lambda m: m.start)

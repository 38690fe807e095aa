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


class _Bucket:
    """What a group needs of its mentions, kept as they arrive: a document of a million
    mentions of a few hundred entities holds a few hundred of these, not the mentions."""

    __slots__ = ("aliases", "count", "first", "last", "norms", "weight", "words")

    def __init__(self, first: Mention) -> None:
        self.first, self.last, self.count, self.weight = first, first.start, 0, 0.0
        self.words = first.text  # the first mention's words (its ``text`` may change later)
        self.aliases: dict[str, int] = {}  # text -> where it first appears
        self.norms: set[str] = set()

    def add(self, m: Mention, weight: float) -> None:
        if m.start < self.first.start:
            self.first, self.words = m, m.text
        self.last = max(self.last, m.start)
        self.count += 1
        self.weight += weight
        self.aliases[m.text] = min(self.aliases.get(m.text, m.start), m.start)
        if m.norm:
            self.norms.add(m.norm)

    def absorb(self, other: _Bucket) -> None:
        if other.first.start < self.first.start:
            self.first, self.words = other.first, other.words
        self.last = max(self.last, other.last)
        self.count += other.count
        self.weight += other.weight
        for text, at in other.aliases.items():
            self.aliases[text] = min(self.aliases.get(text, at), at)
        self.norms |= other.norms


class Grouper:
    """Groups built from mentions fed one at a time, in text order: memory grows with the
    number of distinct entities, not of mentions. :meth:`add` returns a bucket number;
    :meth:`finish` returns the groups by salience and, for each bucket number, its group id."""

    def __init__(self, text: str) -> None:
        self.headline_end = _find_or_end(text, "\n")
        self.lead_end = _find_or_end(text, "\n\n", self.headline_end + 1)
        self.size = max(len(text), 1)
        self.numbers: dict[tuple, int] = {}
        self.buckets: list[_Bucket] = []

    def add(self, m: Mention) -> int:
        key = _key(m)
        number = self.numbers.get(key)
        if number is None:
            number = self.numbers[key] = len(self.buckets)
            self.buckets.append(_Bucket(m))
        self.buckets[number].add(m, _weight(m, self.headline_end, self.lead_end))
        return number

    def finish(self) -> tuple[list[Group], list[str]]:
        owner = _join_surnames(self.numbers, self.buckets)  # bucket number -> the one it joined
        live = sorted({owner[n] for n in range(len(self.buckets))}, key=lambda n: self.buckets[n].first.start)
        raw = []
        for n in live:
            b = self.buckets[n]
            raw.append(b.weight * (1 + (b.last - b.first.start) / self.size))
        total = sum(raw) or 1.0
        ids, groups = {}, []
        for number, (n, score) in enumerate(zip(live, raw), 1):
            ids[n] = f"E{number}"
            groups.append(_group(ids[n], self.buckets[n], round(score / total, 4)))
        groups.sort(key=lambda g: (-g.salience, g.first))
        return groups, [ids[owner[n]] for n in range(len(self.buckets))]


def group_mentions(mentions: list[Mention], text: str) -> list[Group]:
    """Group ``mentions`` (setting each one's ``group``) and return the groups by salience."""
    mentions = sorted(mentions, key=lambda m: m.start)
    grouper = Grouper(text)
    numbers = [grouper.add(m) for m in mentions]
    groups, ids = grouper.finish()
    for m, n in zip(mentions, numbers):
        m.group = ids[n]
    return groups


def _group(gid: str, bucket: _Bucket, salience: float) -> Group:
    first = bucket.first
    aliases = sorted(bucket.aliases, key=bucket.aliases.__getitem__)
    kb_id = first.kb_id
    if kb_id and first.canonical:
        name = first.canonical  # the knowledge base's name (or a templated name as written)
    else:
        name = max(aliases, key=lambda a: (len(a.split()), len(a)))
        if first.canonical and len(first.canonical) > len(name):
            name = first.canonical
    norms = sorted(bucket.norms) if first.label == "DATE" else []
    return Group(
        id=gid, label=first.label, name=name, aliases=aliases, mentions=bucket.count,
        first=first.start, salience=salience, kb_id=kb_id, country=first.country, lat=first.lat,
        lon=first.lon, norms=norms,
    )


def _join_surnames(numbers: dict[tuple, int], buckets: list[_Bucket]) -> list[int]:
    """Move a partial name (``Hammouchi``) into the only full name that ends with it; returns,
    for each bucket number, the bucket that holds its mentions. Full names are found through
    an index of their trailing words, so a text of many people is not quadratic."""
    people = {n: tuple(fold(buckets[n].words).split()) for k, n in numbers.items() if k[0] == "PER"}
    by_tail = defaultdict(set)
    for n, words in people.items():
        for i in range(1, len(words)):
            by_tail[words[i:]].add(n)
    owner = list(range(len(buckets)))
    for n, words in sorted(people.items(), key=lambda kv: len(kv[1])):
        fuller = {f for f in by_tail.get(words, ()) if owner[f] == f}
        if len(fuller) == 1:
            (target,) = fuller
            buckets[target].absorb(buckets[n])
            owner[n] = target
    for n in range(len(owner)):  # a bucket that joined one that later joined another
        while owner[owner[n]] != owner[n]:
            owner[n] = owner[owner[n]]
    return owner

"""Entities across documents: one identity per real-world thing of a whole corpus.

Within a document, grouping already joins an entity's mentions (``Hammouchi`` belongs to its
``Abdellatif Hammouchi``). Across documents, an entity is known by, in this order: its
knowledge-base id (an agency, a court of one city, a GeoNames place), else its label and
normalised name (lower case, no accent, no article: ``PER:abdellatif hammouchi``). A person
named by a partial name only in some document (``Hammouchi``) joins the one full name of the
corpus that ends with it, if there is exactly one: :func:`join_partial_names`.
"""

from __future__ import annotations

import re
from collections import defaultdict

from entityx.knowledge import fold
from entityx.model import Group

ARTICLE = re.compile(r"^(?:l'|la |le |les )")


def identity(group: Group) -> str:
    """The corpus-wide id of a document's entity."""
    if group.kb_id and group.label != "DATE":
        return group.kb_id
    if group.label == "DATE":
        return f"DATE:{group.norms[0] if len(group.norms) == 1 else fold(group.name)}"
    return f"{group.label}:{ARTICLE.sub('', fold(group.name).replace('-', ' '))}"


def join_partial_names(people: list[str]) -> dict[str, str]:
    """For person ids (``PER:…``) that are the last words of exactly one longer person id of
    the corpus, that id: ``PER:hammouchi`` → ``PER:abdellatif hammouchi``."""
    words = {p: tuple(p[4:].split()) for p in people}
    by_tail = defaultdict(set)
    for p, name in words.items():
        for i in range(1, len(name)):
            by_tail[name[i:]].add(p)
    joined = {}
    for p, name in words.items():
        fuller = by_tail.get(name, set())
        if len(fuller) == 1:
            joined[p] = next(iter(fuller))
    for p, target in joined.items():  # a chain (Hammouchi → A. Hammouchi → …) ends at the fullest
        while target in joined:
            target = joined[target]
        joined[p] = target
    return joined

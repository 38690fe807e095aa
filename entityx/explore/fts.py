"""What a user types in the search box, as an FTS5 query that can never be a syntax error.

FTS5 has a query language (``AND``, ``NEAR(…)``, ``col:``, ``^``, ``*``, quotes…) in which
most punctuation is an error. Here every term the user typed becomes an FTS5 string (quoted,
its own quotes doubled), so it is only ever matched as words, and the terms are joined by
the implicit AND. A few habits of search boxes are kept, spelled out rather than parsed:

* ``"exact phrase"``: the words in this order;
* ``-word`` (or ``-"a phrase"``): documents without it (only beside a term to keep);
* ``word*``: words that start with it (``interpell*``).

Matching ignores case and accents (the index's ``remove_diacritics 2``).
"""

from __future__ import annotations

import re

TERM = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
WORD = re.compile(r"\w", re.UNICODE)
MAX_TERMS = 32  # a query longer than this is cut: each term is a walk through the index


def quoted(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


def match_expression(typed: str) -> str | None:
    """The FTS5 expression of ``typed``, or None when it has no word to search for."""
    keep, drop = [], []
    for minus, phrase, bare in TERM.findall(typed or "")[:MAX_TERMS]:
        words = phrase if phrase or not bare else bare
        prefix = not phrase and words.endswith("*")
        words = words.rstrip("*") if prefix else words
        if not WORD.search(words):
            continue  # punctuation alone: no word of the index can match it
        (drop if minus else keep).append(quoted(words) + (" *" if prefix else ""))
    if not keep:
        return None
    return " ".join(keep) + "".join(f" NOT {term}" for term in drop)

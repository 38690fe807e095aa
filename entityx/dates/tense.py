"""Past or future: the verb tense nearest to a date decides which year or weekday a date
without one means (``il a été arrêté le 3 mars`` is the last 3 March)."""

from __future__ import annotations

import re
from functools import cache

from entityx.dates.grammar import alt
from entityx.dates.vocabulary import date_words


@cache
def cues() -> dict:
    """Tense cues in lower case with their accents (``a`` is a verb, ``à`` is not), and the
    word shapes of futures, participles and adverbs that may sit between auxiliary and verb."""
    v = date_words()
    cue = {k: frozenset(w.lower() for w in v[k]) for k in (
        "past_auxiliaries", "future_auxiliaries", "not_future", "reporting_participles",
        "auxiliary_participles", "inserted_adverbs", "deadline_participles")}
    letters = f"[{re.escape(v['alphabet'])}]"
    cue["future"] = re.compile(rf"^{letters}{{2,}}[{re.escape(v['future_stem_finals'])}](?:{alt(v['future_endings'])})$")
    cue["participle"] = re.compile(rf"^{letters}{{2,}}(?:{alt(v['participle_endings'])})$")
    cue["fronted"] = re.compile(rf"^{letters}{{2,}}(?:{alt(v['fronted_participle_endings'])})$")
    cue["inserted"] = re.compile(rf"^{letters}+(?:{alt(v['inserted_suffixes'])})$")
    cue["deadline"] = re.compile(rf"(?<![\w-])(?:{alt(v['deadline_prepositions'])})\s*$", re.IGNORECASE)
    cue["postponed"] = re.compile(rf"(?<![\w-])(?:{alt(v['postponement_prepositions'])})\s*$", re.IGNORECASE)
    return cue


def tense(text: str, start: int, end: int) -> str | None:
    """'past', 'future' or None: the verb tense of the expression's own clause, else of
    its sentence (a trailing "a indiqué" reports; it does not date the event).

    A clause opened by a past participle (``Adopté par le Sénat en janvier, le texte
    sera…``) is past, whatever the main verb. A deadline (``a donné jusqu'au 30 juin``,
    ``…, ouverte jusqu'au 30 mai``) lies after the giving: neither the giving's tense nor
    another clause's says anything of it; nor does a postponing verb's (``a été reporté au
    5 mars``)."""
    skip = cues()["reporting_participles"]
    before = text[max(0, start - 20) : start]
    deadline = bool(cues()["deadline"].search(before))
    if deadline or cues()["postponed"].search(before):  # "reporté au 5 mars"
        skip = skip | cues()["deadline_participles"]
    for stops in (".!?\n;,", ".!?\n;"):
        left = max(text.rfind(c, 0, start) for c in stops)
        right = min((i for i in (text.find(c, end) for c in stops) if i >= 0), default=len(text))
        clause = text[left + 1 : right]
        found = nearest_tense(clause, start - left - 1, skip)
        if found:
            return found
        if deadline:
            return None
        if "," in stops and _fronted_participle(clause, skip):
            return "past"
    return None


def _fronted_participle(clause: str, skip: frozenset[str]) -> bool:
    """Whether a clause opens with a past participle (after adverbs such as ``déjà``)."""
    c = cues()
    for m in re.finditer(r"[\w'’-]+", clause):
        word = m.group().lower()
        if _inserted(word, c):
            continue
        return bool(c["fronted"].match(word)) and word not in skip and word not in c["auxiliary_participles"]
    return False


def _inserted(word: str, c: dict) -> bool:
    return word in c["inserted_adverbs"] or bool(c["inserted"].match(word))


def nearest_tense(clause: str, at: int, skip: frozenset[str]) -> str | None:
    """The tense of the verb of ``clause`` nearest to position ``at``, but for verbs whose
    participle is in ``skip``."""
    c = cues()
    tokens = list(re.finditer(r"[\w'’-]+", clause))
    words = [(m.start(), m.group().lower().replace("’", "'")) for m in tokens]
    names = {i for i, m in enumerate(tokens) if m.group()[:1].isupper() and i}  # Kénitra, not a future
    best = None
    for i, (pos, word) in enumerate(words):
        following = [w for _, w in words[i + 1 : i + 4]]
        while following and _inserted(following[0], c) and len(following) > 1:
            following.pop(0)
        bare = word.rsplit("'", 1)[-1]  # "s'ouvrira": the verb after an elided pronoun
        if (word in c["future_auxiliaries"] or (c["future"].match(bare) and i not in names)) \
                and word not in c["not_future"]:
            found = "future"
        elif (word in c["past_auxiliaries"] or (i and f"{words[i - 1][1]} {word}" in c["past_auxiliaries"])) \
                and following \
                and (c["participle"].match(following[0]) or following[0] in c["auxiliary_participles"]) \
                and following[0] not in skip \
                and not (following[0] == "été" and following[1:2] and following[1] in skip):
            # "a annoncé", "a été reporté (au 5 mars)" date the saying, not the event
            found = "past"
        else:
            continue
        if best is None or abs(pos - at) < best[0]:
            best = (abs(pos - at), found)
    return best[1] if best else None

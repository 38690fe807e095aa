"""Past, present or future: the words around a date decide which year or weekday a date
without one means (``il a été arrêté le 3 mars`` is the last 3 March, ``les pluies
reprennent jeudi`` the coming Thursday).

The cues are word shapes and short word lists of ``data/dates.json``, read in the date's own
clause (between commas), then in its sentence:

- a preposition governing the date gives its direction before any verb does: ``depuis``
  (``remonte à``) looks back, ``jusqu'à``, ``jusqu'au``, ``d'ici`` look forward, also past a
  noun (``en fuite depuis son évasion en novembre``), never past a verb;
- a past participle attached to the date dates it (``le réseau démantelé samedi``,
  ``l'accord conclu à Bangui le 6 février``); a forward-looking one (``prévu``,
  ``attendu``) announces it, as the present does;
- else the nearest verb: compound past (a reporting verb only when the date is its own:
  ``a annoncé mercredi``), imperfect, future, conditional (``devrait``), and the present of
  the date's own clause, which in announcements and forecasts is the near future (``est
  prévue mercredi``). A present in another clause (``Dimanche, les gendarmes
  interceptent…``, the present of narration) says nothing, nor does one around a date that
  complements a noun (``les heurts de samedi s'enchaînent``) or after a conjunction of the
  subjunctive (``avant que…``).

:func:`tense` answers 'present' apart: the resolvers read it as the near future, but a day
and month keeps its nearest year (:meth:`~entityx.dates.context.Context.way`).
"""

from __future__ import annotations

import re
from functools import cache

from entityx.dates.grammar import alt, phrase
from entityx.dates.vocabulary import date_words, vocabulary
from entityx.knowledge import fold

TOKEN = re.compile(r"[\w'’-]+")
MARKER_REACH = 6  # words a governing preposition may stand before its date


@cache
def cues() -> dict:
    """Tense cues in lower case with their accents (``a`` is a verb, ``à`` is not), and the
    word shapes of futures, conditionals, imperfects, participles, infinitives, plural
    presents and of adverbs that may sit between auxiliary and verb."""
    v = date_words()
    cue = {k: frozenset(w.lower() for w in v[k]) for k in (
        "past_auxiliaries", "future_auxiliaries", "present_verbs", "not_verbs",
        "reporting_participles", "forward_participles", "auxiliary_participles",
        "auxiliary_infinitives", "etre_participles", "other_participles", "inserted_adverbs",
        "deadline_participles", "subject_clitics", "before_nouns", "backward_markers",
        "forward_markers", "marker_stops", "attributive_links")}
    cue["etre_forms"] = {k.lower(): t for k, t in v["etre_forms"].items()}
    letters = f"[{re.escape(v['alphabet'])}]"

    def ending(key: str, stem: int = 2) -> re.Pattern:
        return re.compile(rf"^{letters}{{{stem},}}(?:{alt(v[key])})$")

    finals = re.escape(v["future_stem_finals"])
    cue["future"] = re.compile(rf"^{letters}{{2,}}[{finals}](?:{alt(v['future_endings'])})$")
    cue["conditional"] = ending("conditional_endings")
    cue["imperfect"] = ending("imperfect_endings")
    cue["ambiguous"] = re.compile(rf"(?:{alt(v['ambiguous_endings'])})$")
    cue["participle"] = ending("participle_endings")
    cue["fronted"] = ending("fronted_participle_endings")
    cue["infinitive"] = ending("infinitive_endings", 1)
    cue["plural"] = ending("plural_present_endings", 3)
    cue["inserted"] = re.compile(rf"^{letters}+(?:{alt(v['inserted_suffixes'])})$")
    cue["deadline"] = re.compile(rf"(?<![\w-])(?:{alt(v['deadline_prepositions'])})\s*$", re.IGNORECASE)
    cue["postponed"] = re.compile(rf"(?<![\w-])(?:{alt(v['postponement_prepositions'])})\s*$", re.IGNORECASE)
    cue["complement"] = re.compile(rf"(?<![\w-])(?:{alt(v['complement_links'])})\s*$", re.IGNORECASE)
    cue["subjunctive"] = re.compile(rf"(?<![\w-])(?:{phrase(v['subjunctive_conjunctions'])})", re.IGNORECASE)
    cue["auxiliaries"] = (cue["past_auxiliaries"] | cue["future_auxiliaries"] | set(cue["etre_forms"])
                          | cue["auxiliary_participles"] | cue["auxiliary_infinitives"])
    return cue


def tense(text: str, start: int, end: int) -> str | None:
    """'past', 'present', 'future' or None for the date at ``text[start:end]``: the
    preposition governing it, else the verb tense of its own clause, else of its sentence
    (a trailing "a indiqué" reports; it does not date the event).

    A clause opened by a past participle (``Adopté par le Sénat en janvier, le texte
    sera…``) is past, whatever the main verb. A deadline (``a donné jusqu'au 30 juin``,
    ``…, ouverte jusqu'au 30 mai``) lies after the giving: neither the giving's tense nor
    another clause's says anything of it; nor does a postponing verb's (``a été reporté au
    5 mars``, ``…, initialement fixé au 17 février, …``)."""
    c = cues()
    before = text[max(0, start - 20) : start]
    deadline, postponed = bool(c["deadline"].search(before)), bool(c["postponed"].search(before))
    skip = c["reporting_participles"]
    if deadline or postponed:  # "reporté au 5 mars"
        skip = skip | c["deadline_participles"]
    complement = bool(c["complement"].search(before))
    for stops in (".!?\n;,", ".!?\n;"):
        own = "," in stops
        left = max(text.rfind(ch, 0, start) for ch in stops)
        right = min((i for i in (text.find(ch, end) for ch in stops) if i >= 0), default=len(text))
        clause = text[left + 1 : right]
        tokens = Tokens(clause, start - left - 1, end - left - 1)
        if own:
            marked = tokens.marker()
            if marked:
                return marked
        found = tokens.nearest(skip, present=own and not complement)
        if found:
            return found
        if deadline or (postponed and own and c["deadline_participles"] & set(tokens.words)):
            return None
        if own:
            fronted = tokens.fronted(skip)
            if fronted:
                return fronted
    return None


def _forms(word: str) -> tuple[str, ...]:
    """A participle and its masculine singular: ``arrivées`` → ``arrivée``, ``arrivé``."""
    plain = word[:-1] if word.endswith("s") and len(word) > 3 else word
    return (word, plain, plain[:-1]) if plain.endswith("e") and len(plain) > 2 else (word, plain)


def _bare(word: str) -> str:
    """The word after an elided clitic: ``s'ouvre`` → ``ouvre``, ``n'a`` → ``a``."""
    return word.rsplit("'", 1)[-1]


class Tokens:
    """The words of one clause around a date (the date's own words left out)."""

    def __init__(self, clause: str, start: int, end: int):
        self.clause, self.start, self.end = clause, start, end
        self.matches = [m for m in TOKEN.finditer(clause) if m.end() <= start or m.start() >= end]
        self.words = [m.group().lower().replace("’", "'") for m in self.matches]
        self.first_after = sum(1 for m in self.matches if m.end() <= start)
        self.attached = self._attached()

    def _attached(self) -> int | None:
        """The word a date hangs on: the last one before it but for articles, prepositions
        and capitalised names (``conclu à Bangui le [6 février]``)."""
        links = cues()["attributive_links"]
        i, skipped = self.first_after - 1, 0
        while i >= 0 and skipped < 3 and (self.words[i] in links or self.matches[i].group()[:1].isupper()):
            i, skipped = i - 1, skipped + 1
        return i if i >= 0 else None

    def name(self, i: int) -> bool:
        """A capitalised word inside the clause: a name (Kénitra), not a verb."""
        return i > 0 and self.matches[i].group()[:1].isupper()

    def marker(self) -> str | None:
        """'past' after ``depuis``, 'future' after ``jusqu'à``/``d'ici``, when it governs the
        date: no verb, conjunction or other date between them."""
        c = cues()
        for i in range(self.first_after - 1, max(-1, self.first_after - 1 - MARKER_REACH), -1):
            word, bare = self.words[i], _bare(self.words[i])
            if word in c["backward_markers"] or bare in c["backward_markers"]:
                way = "past"
            elif word in c["forward_markers"] or bare in c["forward_markers"]:
                way = "future"
            else:
                continue
            return None if any(self._stop(k) for k in range(i + 1, self.first_after)) else way
        return None

    def _stop(self, i: int) -> bool:
        """A word a governing preposition does not reach past: a conjunction, a number, a
        month or weekday (another date), a verb."""
        c, v = cues(), vocabulary()
        word = self.words[i]
        return word in c["marker_stops"] or word.split("'")[0] + "'" in c["marker_stops"] \
            or any(ch.isdigit() for ch in word) or fold(word) in v["months"] or fold(word) in v["weekdays"] \
            or self.verb(i, frozenset()) is not None

    def participle(self, i: int) -> bool:
        """A past participle standing alone: an -é form or a listed irregular one."""
        word = _bare(self.words[i])
        return bool(cues()["fronted"].match(word)) or any(f in cues()["other_participles"] for f in _forms(word))

    def is_participle(self, i: int) -> bool:
        """A past participle after an auxiliary, where its shape is enough."""
        return bool(cues()["participle"].match(self.words[i])) or self.participle(i)

    def following(self, i: int) -> list[int]:
        """Up to three words after ``i`` (their indices), adverbs between auxiliary and
        verb left out."""
        c = cues()
        following = list(range(i + 1, min(i + 4, len(self.words))))
        while len(following) > 1 and _inserted(self.words[following[0]], c):
            following.pop(0)
        return following

    def verb(self, i: int, skip: frozenset[str], present: bool = True) -> str | None:
        """The tense of word ``i`` when it is a verb the date may depend on."""
        c = cues()
        word = self.words[i]
        bare = _bare(word)
        if word in c["not_verbs"] or bare in c["not_verbs"] or self.name(i):
            return None
        if word in c["future_auxiliaries"] or bare in c["future_auxiliaries"] or c["future"].match(bare):
            return "future"
        if c["conditional"].match(bare):  # hypothetical: of its own clause only
            return "future" if present else None
        prev = self.words[i - 1] if i else ""
        if word in c["past_auxiliaries"] or bare in c["past_auxiliaries"] or f"{prev} {word}" in c["past_auxiliaries"]:
            return self._compound(i, skip, present)
        if bare in c["etre_forms"]:
            return self._etre(i, c["etre_forms"][bare], skip, present)
        if c["imperfect"].match(bare) and not c["ambiguous"].search(bare):
            return "past"  # not "rentrait" or "serait": an imperfect or a conditional
        if i == self.attached and prev not in c["before_nouns"] and prev not in c["auxiliaries"] \
                and self.participle(i):
            forms = _forms(bare)
            if any(f in c["forward_participles"] for f in forms):
                return "present" if present else None
            return None if any(f in skip - c["reporting_participles"] for f in forms) else "past"
        if not present or _inserted(bare, c) or c["subjunctive"].search(self.clause, 0, self.matches[i].start()):
            return None  # "avant que l'écart ne se creuse": a subjunctive
        if bare in c["present_verbs"] and prev not in c["before_nouns"]:
            return "present"
        if (_bare(prev) in c["subject_clitics"] or prev in c["subject_clitics"]
                or (word != bare and word.split("'")[0] + "'" in c["subject_clitics"])):
            return None if c["infinitive"].match(bare) or c["participle"].match(bare) else "present"
        if c["plural"].match(bare) and prev[-1:] in ("s", "x") and prev not in c["before_nouns"]:
            return "present"  # "les pluies reprennent": a verb agreeing with a plural
        return None

    def _compound(self, i: int, skip: frozenset[str], present: bool) -> str | None:
        """An auxiliary of the past: past when a participle follows (``a été arrêté``);
        ``a annoncé`` dates the saying, not the event, unless it is the date's own word."""
        c = cues()
        following = self.following(i)
        if not following or not (self.is_participle(following[0])
                                 or self.words[following[0]] in c["auxiliary_participles"]):
            return None
        j = following[1] if self.words[following[0]] == "été" and len(following) > 1 else following[0]
        verb = self.words[j]
        if verb in c["forward_participles"]:
            return "present" if present else None
        if verb in skip and (j != self.attached or verb not in c["reporting_participles"]):
            return None
        return "past"

    def _etre(self, i: int, way: str, skip: frozenset[str], present: bool) -> str | None:
        """A form of être: ``est arrivé`` is past, ``est prévue`` the present, ``était fixée
        au`` says nothing; else the form's own tense."""
        c = cues()
        following = self.following(i)
        verb = _forms(self.words[following[0]]) if following else ()
        if any(f in skip for f in verb):
            return None
        if any(f in c["forward_participles"] for f in verb):
            return "present" if present and way == "present" else None
        if any(f in c["etre_participles"] for f in verb):
            return "past"
        return way if present or way != "present" else None

    def nearest(self, skip: frozenset[str], present: bool = True) -> str | None:
        """The tense of the verb nearest to the date (the one before it on a tie), but for
        verbs whose participle is in ``skip``; the present only when ``present``. Words
        are read outwards from the date, so the search stops at the first verb."""
        if self.attached is not None:  # the participle the date hangs on comes first
            found = self.verb(self.attached, skip, present)
            if found and self.participle(self.attached):
                return found
        left, right, n = self.first_after - 1, self.first_after, len(self.matches)
        while left >= 0 or right < n:
            before = self.start - self.matches[left].end() if left >= 0 else None
            if right >= n or (before is not None and before <= self.matches[right].start() - self.end):
                found, left = self.verb(left, skip, present), left - 1
            else:
                found, right = self.verb(right, skip, present), right + 1
            if found:
                return found
        return None

    def fronted(self, skip: frozenset[str]) -> str | None:
        """'past' for a clause that opens with a past participle (after adverbs such as
        ``déjà``): ``Interpellé en novembre, …``; 'present' for a forward-looking one."""
        c = cues()
        for i, word in enumerate(self.words):
            if _inserted(word, c):
                continue
            if not c["fronted"].match(word) or word in skip or word in c["auxiliary_participles"]:
                return None
            return "present" if any(f in c["forward_participles"] for f in _forms(word)) else "past"
        return None


def _inserted(word: str, c: dict) -> bool:
    return word in c["inserted_adverbs"] or bool(c["inserted"].match(word))

"""The date grammar: one regular expression of named alternatives, built from the words of
``data/dates.json`` (the code knows the shapes of French dates, not their words).

Each alternative's outer group names its kind; :mod:`entityx.dates.resolve` has one small
function per kind. Alternatives are tried in order, so ranges come before their parts.
"""

from __future__ import annotations

import re
from functools import cache

from entityx.dates.openings import OPENS, any_opening, opening
from entityx.dates.vocabulary import date_words
from entityx.knowledge import fold


def alt(words) -> str:
    """A regex alternation, longest first, apostrophes either way."""
    parts = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace("'", "['’]") for w in parts)


def phrase(words) -> str:
    """:func:`alt` for function words: any run of spaces between their words."""
    return alt(words).replace(r"\ ", r"\s+")


def name(word: str) -> str:
    """A holiday name: accents, case after the first letter, hyphens or spaces optional;
    a capital initial stays required (``Ascension``, not ``ascension``)."""
    out = []
    for i, ch in enumerate(word):
        if ch == "-" and word[0].isdigit():  # "14-Juillet": the hyphen is the name
            out.append("-")
        elif ch in "- ":
            out.append(r"[-\s]+")
        elif ch in "'’":
            out.append("['’]")
        elif i == 0 and ch.isupper():
            out.append(f"(?-i:{re.escape(ch)})")
        elif fold(ch) != ch.lower():
            out.append(f"[{re.escape(ch)}{fold(ch)}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def numeric(n: str) -> str:
    """Day/month/year in figures, day first as in French; ``n`` suffixes the group names."""
    return rf"(?P<nd{n}>[0-3]?\d)[/.](?P<nm{n}>[01]?\d)[/.](?P<ny{n}>\d{{4}}|\d{{2}})(?![\d/.]\d)"


def after(words, space: str = " ") -> str:
    """A lookbehind for any of ``words``, followed by ``space`` unless it ends in '."""
    parts = []
    for w in words:
        forms = [re.escape(f) for f in {w, w.replace("'", "’")}] if w.endswith("'") else [re.escape(w) + space]
        parts.extend(rf"(?<=\b{form})" for form in forms)
    return "(?:" + "|".join(parts) + ")"


@cache
def grammar(guarded: bool = True) -> re.Pattern:
    """The grammar; ``guarded``, each kind behind the test of where it may open
    (:mod:`entityx.dates.openings`): the same matches, found faster."""
    return re.compile(grammar_source(guarded), re.IGNORECASE)


@cache
def grammar_source(guarded: bool = True) -> str:
    v = date_words()
    number = alt(v["numbers"])
    month = (
        rf"(?:{alt(v['months'])})(?![\w-])"
        rf"|(?:{alt(v['month_abbreviations'])})(?:\.|(?=\s+\d{{4}}))"
    )
    weekday = alt(v["weekdays"])
    first = alt(v["first_day"]).replace("1", r"1\s?")
    day = rf"(?:{first}|0?[1-9]|[12]\d|3[01])(?![\d,.]\d)"
    year = r"(?:1[5-9]\d\d|20\d\d|21\d\d)(?!\d)"
    modifier = alt(v["past_modifiers"] + v["future_modifiers"])
    part = "(?:" + "|".join(re.escape(w) + ("" if w.endswith("-") else r"\s") for w in v["month_parts"]) + ")"
    season = alt(v["seasons"])
    ordinal = alt(v["ordinals"])
    period = alt(v["periods"])
    unit = alt(v["units"])
    deictic = alt(v["deictic_days"])
    anchored = alt(v["anchored_days"])
    dem = alt(v["demonstratives"])
    punits = alt(v["period_units"])
    dem_suffix = alt(v["demonstrative_suffixes"])
    B = r"(?<![\w-])"  # start of a word (after an elided article too: l'an)
    E = r"(?![\w-])"  # end of a word
    D = rf"(?:{weekday})\s+"
    # a weekday followed by its day of the month, not by a time of day ("ce lundi 16h05")
    dated = r"(?=\s+\d{1,2}(?![\dh:]))"
    # A month alone is a date only in lower case after a preposition: "en mars", not "Mars".
    after_preposition = after(v["month_prepositions"])
    lower_month = rf"(?-i:{alt(v['months'])}|{alt(w.upper() for w in v['months'])})"
    followers = alt(v["year_followers"])
    # a two-digit year (octobre 98) not followed by a count's noun (mars 20 personnes)
    yy = rf"\d\d(?![\d:h%'’/-])(?![,.]\d)(?!\s*[%€$£])(?-i:(?!\s+(?!(?:{followers})\b)[a-zà-ÿ]))"
    holiday = "|".join(name(w) for w in sorted(v["holidays"], key=len, reverse=True))
    ordsuf = alt(v["ordinal_suffixes"])
    we = phrase(v["week_ends"]).replace(r"\-", r"[-\s]?")
    articles = after(v["anaphoric_articles"], r"\s")
    not_after_de = "".join(f"(?<!\\b{re.escape(w)} )" if not w.endswith("'") else f"(?<!\\b{w[:-1]}['’])"
                           for w in v["holiday_not_after"])
    links = "|".join(phrase([w]) + ("" if w.endswith("'") else r"(?=\s)") for w in v["holiday_links"])
    part_links = "|".join(phrase([w]) + ("" if w.endswith("'") else r"(?=\s)") for w in v["part_links"])
    we_after = after(v["week_end_articles"], r"\s")
    season_after = after(v["season_articles"], r"\s")
    anchored_after = after(v["anchored_articles"], r"\s")
    not_before = rf"(?:{alt(v['anchored_not_before'])})\b"
    year_link = "|".join(
        re.escape(w).replace("'", "['’]") + ("" if w.endswith("'") else r"\s+")
        for w in sorted(v["year_links"], key=len, reverse=True)
    )
    year_noun = phrase(v["year_nouns"])
    def paired(openers: dict, separators: dict, kind: str) -> tuple[str, str]:
        """Openers and separators of one kind of range: "de … à" or "entre … et"."""
        return (alt(w for w, k in openers.items() if k == kind), phrase(w for w, k in separators.items() if k == kind))

    to_from, to_sep = paired(v["month_range_openers"], v["month_range_separators"], "to")
    and_from, and_sep = paired(v["month_range_openers"], v["month_range_separators"], "and")
    alternatives = [
        # ranges and coordinations of days: "du 3 au 5 mars 2025", "3 et 4 septembre"
        (
            rf"(?P<drange>(?:(?P<dr_from>{phrase(v['day_range_openers'])})\s+)?(?:{D})?(?P<d1>{day})(?:\s+(?P<m1>{month}))?(?:\s+(?P<y1>{year}))?"
            rf"(?P<dr_sep>\s*(?:{phrase(v['day_range_separators'])})\s*)(?:{D})?(?P<d2>{day})\s+(?P<m2>{month})(?:\s+(?P<y2>{year})|\s+(?P<y2s>{yy}))?(?:\s+(?P<drmod>{modifier}){E})?)"
        ),
        # ranges of months or years: "de janvier à mars 2024", "de 2018 à 2023", "2018-2023"
        (rf"(?P<mrange>(?:{to_from})\s*(?P<mm1>{month})(?:\s+(?P<my1>{year}))?\s+(?:{to_sep})\s+(?P<mm2>{month})(?:\s+(?P<my2>{year}))?"
         rf"|(?:{and_from})\s*(?P<ma1>{month})(?:\s+(?P<may1>{year}))?\s+(?:{and_sep})\s+(?P<ma2>{month})(?:\s+(?P<may2>{year}))?)"),
        # "mars-avril 2025", "juin-juillet derniers"
        (rf"(?P<mjoin>(?P<mj1>{alt(v['months'])})(?:\s*(?:{alt(v['month_range_joiners'])})\s*(?P<mj2>{month})"
         rf"(?:\s+(?P<mjy>{year})|\s+(?P<mjmod>{modifier}){E})?|\s+(?:{phrase(v['month_coordinators'])})\s+"
         rf"(?P<mj3>{month})(?:\s+(?P<mjy3>{year})|\s+(?P<mjmod3>{modifier}){E})))"),
        # ranges of weekdays: "de lundi à mardi", "entre jeudi et samedi"
        (rf"(?P<wrange>(?:{to_from})\s+(?P<wr1>{weekday})\s+(?:{to_sep})\s+(?P<wr2>{weekday}){E}"
         rf"|(?:{and_from})\s+(?P<wa1>{weekday})\s+(?:{and_sep})\s+(?P<wa2>{weekday}){E})"),
        rf"(?P<yrange>(?:(?P<yr_from>{phrase(v['year_range_openers'])})\s+)(?P<yy1>{year})\s+(?:{phrase(v['year_range_separators'])})\s+(?P<yy2>{year})|(?P<yy3>{year})\s*[-–/]\s*(?P<yy4>{year}))",
        # numeric and ISO: "du 03/06/2024 au 07/06/2024", "05/03/2024", "2024-09-05", "2024-09"
        rf"(?P<nrange>(?:{phrase(v['numeric_range_openers'])})\s+{numeric('1')}\s+(?:{phrase(v['numeric_range_separators'])})\s+{numeric('2')})",
        rf"(?P<numeric>{numeric('')})",
        r"(?P<isodate>(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)(?:-(?P<id>[0-3]\d))?(?![\d-]))",
        # holidays and named days: "Noël", "la fête du Trône", "l'Aïd al-Adha 2024"
        rf"(?P<holiday>(?:(?P<hshift>{anchored})\s+(?:{links})\s*|{after(v['holiday_heads'], ' ')}|{not_after_de})(?P<hname>{holiday})(?![\w-])(?-i:(?![^\S\n]+[A-ZÀ-Ý][a-zà-ÿ]))(?:\s+(?P<hy>{year})|\s+(?P<hmod>{modifier}){E})?)",
        # "jeudi 17 février 2022", "24 mai dernier", "1er novembre", "10 novembre 93"
        rf"(?P<full>(?:(?P<fw>{weekday})\s+)?(?P<fd>{day})\s+(?P<fm>{month})(?:\s+(?P<fy>{year})|\s+(?P<fy2>{yy})|\s+(?P<fmod>{modifier}))?{E})",
        # part of a month or year: "début janvier", "mi-octobre", "fin 2021", "fin de 2019"
        (rf"(?P<part>(?P<pp>{part})(?:(?:{year_link})(?:{year_noun})\s+|(?:{part_links})\s*)?"
         rf"(?:(?P<pm>{month})(?:\s+(?P<py>{year})|\s+(?P<pmod>{modifier}))?|(?P<pyo>{year})))"),
        # part of a relative period: "fin de l'année", "début du mois prochain"
        (rf"(?P<partrel>(?:{part})(?:{part_links})\s*(?:(?P<prdem>{dem})\s+)?(?P<pru>{punits})"
         rf"(?:\s+(?P<prmod>{modifier}))?{E})"),
        # "novembre 2019", "septembre dernier"
        rf"(?P<monthyear>(?P<mym>{month})\s+(?:(?P<myy>{year})|(?P<myy2>{yy}){E}|(?P<mymod>{modifier}){E}))",
        # "10 premiers mois de 2022", "trois derniers mois de l'année"
        (rf"(?P<firstn>(?P<fnn>\d{{1,2}}|{number})\s+(?P<fnw>{alt(v['count_parts'])})\s+(?:{alt(v['count_units'])})"
         rf"\s+(?:{year_link})(?:(?P<fnyear>{year_noun})|(?P<fny>{year})){E})"),
        # quarters and half-years: "premier trimestre 2024"
        rf"(?P<quarter>(?:{part}(?:{part_links})\s*)?(?P<qn>{ordinal})\s+(?P<qp>{period})(?:\s+(?:{year_link})?(?:{year_noun}\s+)?(?P<qy>{year})|\s+(?P<qmod>{modifier}){E})?)",
        # seasons: "été 2023", "automne dernier", "cet été"
        rf"(?P<season>(?P<sdem>{dem})\s+(?P<sd>{season}){E}|(?P<ss>{season})\s+(?:(?P<sy>{year})|(?P<sy2>{yy}){E}|(?P<smod>{modifier}){E}))",
        # decades: "années 1990", "années 90"
        rf"(?P<decade>(?:{alt(v['decade_nouns'])})\s+(?P<dec>(?:19|20)?\d0)(?![\d-]))",
        # centuries: "XXe siècle", "au Ve siècle avant J.-C.", "vingtième siècle"
        (rf"(?P<century>(?P<cn>(?-i:(?P<croman>[IVXLC]+))\s?(?:{ordsuf})|(?P<cnum>\d{{1,2}})\s?(?:{ordsuf})|{phrase(v['century_ordinals'])})"
         rf"\s+(?:{alt(v['century_nouns'])})(?![\w-])(?:\s+(?P<cera>{alt(v['eras'])}))?)"),
        # week-ends: "ce week-end", "le week-end dernier"
        rf"(?P<weekend>(?:(?P<wedem>{dem})\s+|{we_after})(?:{we})(?![\w-])(?:\s+(?P<wemod>{modifier}){E})?)",
        # anaphora: "ce jour-là", "le même jour", "deux jours plus tard", "le mois suivant"
        rf"(?P<sameday>(?:{dem})\s+(?P<sdw1>{phrase(v['anaphoric_days'])}){E}|{articles}(?P<sdw2>{phrase(v['anaphoric_days'])}){E})",
        (rf"(?P<later>(?P<ln>\d{{1,3}}|{number})\s+(?P<lu>{unit})\s+(?:(?P<lway>{phrase(v['anaphoric_shifts'])}){E}"
         rf"|(?P<lfinal>{alt(v['anaphoric_shifts_final'])})(?=\s*(?:[,.;:!?)»]|$))))"),
        rf"(?P<following>(?P<fu>{alt(v['day_units'])})\s+(?P<fmodif>{alt(v['following_modifiers'])}){E})",
        # relative periods: "semaine dernière", "cette année", "mois prochain", "an passé"
        rf"(?P<relperiod>(?P<rdem>{dem})\s+(?P<rdu>{punits})(?:{dem_suffix})?{E}|(?P<ru>{punits})\s+(?P<rmod>{modifier}){E})",
        # "il y a trois jours", "dans deux semaines"
        rf"(?P<ago>(?P<adir>{phrase(v['ago_words'])})\s+(?P<an>\d{{1,3}}|{number})\s+(?P<au>{unit}){E})",
        # weekdays: "mardi dernier", "lundi prochain", "dimanche"
        rf"(?P<weekday>(?:{dem}\s+(?=(?:{weekday}){E}(?!{dated})))?(?P<ww>{weekday})(?:\s+(?P<wmod>{modifier}))?{E})",
        rf"(?P<deictic>(?P<dword>{deictic})(?:\s+(?:{weekday}){E}(?!{dated}))?){E}",
        rf"{anchored_after}(?P<anchored>{anchored}){E}(?!\s+(?:{not_before}))",
        # a season alone after its article: "au printemps", "l'été" (not "printemps arabe")
        rf"{season_after}(?P<bseason>{season}){E}(?!\s+(?:{alt(v['season_idioms'])})\b)",
        # a month alone after a preposition: "en novembre", "depuis mars"
        rf"{after_preposition}(?P<month>{lower_month}){E}",
        rf"(?P<year>{year})",
    ]
    if not guarded:
        return B + "(?:" + "|".join(alternatives) + ")"
    kinds = [re.search(r"\(\?P<(\w+)>", a).group(1) for a in alternatives]
    guards = [opening(*OPENS[kind]) for kind in kinds]
    return B + any_opening() + "(?:" + "|".join(g + a for g, a in zip(guards, alternatives)) + ")"

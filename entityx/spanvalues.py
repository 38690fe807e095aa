"""Reading and writing entityx's span extensions (``Span._.source``, ``canonical``,
``norm``) without an ``Underscore`` object each time.

``span._`` makes a new object at every access, which costs more than the lookup itself, and
the components and the mention builder read these values tens of thousands of times a
corpus. spaCy keeps a span's extension values in ``Doc.user_data`` under the span's
character range (``Underscore._get_key``); these functions read and write that entry, so
``span._.source`` sees what they wrote and they see what it wrote (tested). Every entityx
span extension defaults to None. No spaCy import: the library's entry points use it.
"""

from __future__ import annotations


def _key(span, name: str) -> tuple:
    return ("._.", name, span.start_char, span.end_char)


def value(span, name: str):
    """``span._.<name>``."""
    return span.doc.user_data.get(_key(span, name))


def set_value(span, name: str, new) -> None:
    """``span._.<name> = new``."""
    span.doc.user_data[_key(span, name)] = new


def source_of(span) -> str:
    """Where ``span``'s label came from; ``model`` for a span straight from the model."""
    return value(span, "source") or "model"

"""entityx: people, organisations, places and dates from French news, ready for other tools.

>>> import entityx
>>> doc = entityx.extract("La DGSN a interpellé hier à Tanger un ressortissant espagnol.", "2024-09-05")
>>> [(m.text, m.label, m.norm) for m in doc.entities]
[('DGSN', 'ORG', None), ('hier', 'DATE', '2024-09-04'), ('Tanger', 'LOC', None)]
"""

from entityx.model import Document, Group, Mention, Text

# The rest is imported on first use (PEP 562), so that `import entityx.cli` stays light:
# client mode and `--help` never load the pipeline's modules.
LAZY = {"extract": "entityx.core", "extract_many": "entityx.core", "load_pipeline": "entityx.pipeline"}


def __getattr__(name: str):
    if name == "__version__":
        from importlib.metadata import version

        value = version("entityx")
    elif name in LAZY:
        from importlib import import_module

        value = getattr(import_module(LAZY[name]), name)
    else:
        raise AttributeError(f"module 'entityx' has no attribute {name!r}")
    globals()[name] = value  # looked up once
    return value


__all__ = ["Document", "Group", "Mention", "Text", "__version__", "extract", "extract_many", "load_pipeline"]

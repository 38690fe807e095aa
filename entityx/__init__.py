"""entityx: people, organisations, places and dates from French news, ready for other tools.

>>> import entityx
>>> doc = entityx.extract("La DGSN a interpellé hier à Tanger un ressortissant espagnol.", "2024-09-05")
>>> [(m.text, m.label, m.norm) for m in doc.entities]
[('DGSN', 'ORG', None), ('hier', 'DATE', '2024-09-04'), ('Tanger', 'LOC', None)]
"""

from importlib.metadata import version

from entityx.core import extract, extract_many
from entityx.model import Document, Group, Mention, Text
from entityx.pipeline import load_pipeline

__version__ = version("entityx")
__all__ = ["Document", "Group", "Mention", "Text", "__version__", "extract", "extract_many", "load_pipeline"]

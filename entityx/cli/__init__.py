"""The ``entityx`` command: parse options, read inputs, call the library, write.

Exit codes: 0 success (even with no entity), 1 an input or runtime error, 2 a usage
error, 130 interrupted (143 killed by SIGTERM during a batch). Errors are one ``Error: …``
line on stderr, never a traceback.

Layout: :mod:`~entityx.cli.app` holds the Typer ``app``; each command is one module that
registers itself on it with ``@app.command()`` (``extract``, ``batch``, ``evaluate``, ``kb``, ``serve``);
options several commands share are in :mod:`~entityx.cli.options`, the error and output edge
in :mod:`~entityx.cli.edge`. A new command is a new module here, imported below.
"""

from entityx.cli import batch, evaluate, explore, extract, kb, serve  # noqa: F401  (each registers its command)
from entityx.cli.app import app, main

__all__ = ["app", "main"]

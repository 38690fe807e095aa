"""The Typer application every command module registers on."""

from __future__ import annotations

import os
import signal
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def show_version(value: bool) -> None:
    if value:
        from entityx import __version__

        print(f"entityx {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """People, organisations, places and dates from French news articles."""


def main() -> None:
    reserve_standard_streams()
    signal.signal(signal.SIGTERM, terminated)
    app(prog_name="entityx")


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: outputs cleaned up, exit 143."""

    signum = signal.SIGTERM


def terminated(signum, frame) -> None:
    raise Terminated


def reserve_standard_streams() -> None:
    """A closed stdin, stdout or stderr (``>&-``) gets /dev/null on its number, so a file the
    command opens later can never take that number and receive what was meant for the
    terminal. Python already set ``sys.stdout`` (or ``sys.stderr``) to None: the command sees
    the stream is closed and says so."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one

"""Where the command meets the user: error lines, exit codes, output files."""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

import typer


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Say ``Error: message`` and return the exit to raise."""
    say(f"Error: {message}")
    return typer.Exit(code)


@contextmanager
def output_stream(path: Path | None):
    """stdout, or ``path`` opened for writing in UTF-8."""
    if path is None:
        yield sys.stdout
        return
    try:
        out = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror}") from None
    with out:
        yield out


@contextmanager
def user_edge():
    """Turn interruptions and closed pipes into quiet, meaningful exits."""
    try:
        yield
    except KeyboardInterrupt as exc:
        say("Error: interrupted; what was written so far is complete")
        raise typer.Exit(128 + getattr(exc, "signum", signal.SIGINT)) from None
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from complaining.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(141) from None

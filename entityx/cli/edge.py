"""Where the command meets the user: error lines, exit codes, output files.

An output file is written beside itself and renamed over the old one only when the command
has something to put there, so a failed or interrupted run leaves what the user had. A
write that fails (full disk, closed stdout) is one ``Error: NAME: reason`` line, exit 1.
"""

from __future__ import annotations

import os
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import typer


def say(message: str) -> None:
    """A line on stderr; if stderr is closed, nowhere (never on stdout, which is data)."""
    if sys.stderr is None:
        return
    with suppress(OSError, ValueError):
        print(message, file=sys.stderr, flush=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Say ``Error: message`` and return the exit to raise."""
    say(f"Error: {message}")
    return typer.Exit(code)


class OutputError(Exception):
    """Writing an output failed; the message names it and says why."""


class Guarded:
    """A text stream whose write errors (other than a closed pipe) become :class:`OutputError`."""

    def __init__(self, out, name: str) -> None:
        self._out, self._name = out, name

    def _call(self, method: str, *args):
        try:
            return getattr(self._out, method)(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"{self._name}: {exc.strerror or exc}") from None

    def write(self, text: str) -> int:
        return self._call("write", text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._call("flush")

    def __getattr__(self, name: str):
        return getattr(self._out, name)


class Output:
    """An output being written: ``out`` to write to; set ``wanted`` once there is something
    worth replacing the old file with."""

    def __init__(self, out, wanted: bool = False) -> None:
        self.out, self.wanted = out, wanted


def refuse_same_file(output: Path, inputs: Iterable[str]) -> None:
    """Writing an input's own file would destroy it: exit 2, whatever the names."""
    try:
        target = os.stat(output)
    except OSError:
        return
    for source in inputs:
        with suppress(OSError, ValueError):
            if source != "-" and os.path.samestat(os.stat(source), target):
                raise fail(f"{output} is also an input ({source}); choose another output", code=2)


@contextmanager
def output_stream(path: Path | None, inputs: Iterable[str] = (), wanted: bool = False) -> Iterator[Output]:
    """stdout, or ``path`` written atomically in UTF-8 (a device or pipe is written directly)."""
    if path is None:
        if sys.stdout is None:
            raise fail("stdout is closed; give --output FILE or redirect it")
        yield Output(Guarded(sys.stdout, "stdout"), wanted)
        return
    refuse_same_file(path, inputs)
    real = Path(os.path.realpath(path))  # a symlink stays one: its target is replaced
    try:
        direct = real.exists() and not stat.S_ISREG(real.stat().st_mode)
        out, name = (real.open("w", encoding="utf-8", newline=""), None) if direct else temporary(real)
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror or exc}") from None
    output = Output(Guarded(out, str(path)), wanted)
    try:
        yield output
        output.out.flush()
        if name is not None:
            os.fsync(out.fileno())
    except BaseException:
        with suppress(OSError):
            out.close()
        if name is not None:
            os.unlink(name)
        raise
    out.close()
    if name is None:
        return
    if output.wanted:
        mode = real.stat().st_mode & 0o7777 if real.exists() else 0o666 & ~umask()
        os.chmod(name, mode)
        os.replace(name, real)
    else:
        os.unlink(name)


def temporary(path: Path):
    """A new file beside ``path`` (same file system, so the rename is atomic), and its name."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    return os.fdopen(fd, "w", encoding="utf-8", newline=""), name


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def user_edge(on_interrupt: str = ""):
    """Turn interruptions, closed pipes and failed writes into quiet, meaningful exits;
    ``on_interrupt`` says how to carry on after Ctrl-C."""
    try:
        yield
    except KeyboardInterrupt as exc:
        say(f"Error: interrupted; what was written so far is complete{on_interrupt}")
        raise typer.Exit(128 + getattr(exc, "signum", signal.SIGINT)) from None
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from complaining.
        silence_stdout()
        raise typer.Exit(141) from None
    except OutputError as exc:
        silence_stdout()
        raise fail(str(exc)) from None


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's last flush at exit cannot fail again."""
    with suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

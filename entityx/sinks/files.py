"""Writing files so that a crash leaves the old content or the new, never half of either."""

from __future__ import annotations

import os
from pathlib import Path


def durable(out) -> None:
    """Flush ``out`` to the disk, not just to the kernel."""
    out.flush()
    os.fsync(out.fileno())


def replace_file(path: Path, content: bytes) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, fsynced, renamed over it."""
    temporary = Path(f"{path}.tmp")
    with open(temporary, "wb") as out:
        out.write(content)
        durable(out)
    os.replace(temporary, path)

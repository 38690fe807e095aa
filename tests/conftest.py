"""Shared fixtures: the real pipeline, loaded once per session, and the shared data."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SHARED = ROOT.parent / "shared"
SEED_TEXT = SHARED / "seed" / "000_1aa1127573d74705.txt"
SEED_GOLD = SHARED / "seed" / "gold.jsonl"
WINER = SHARED / "eval" / "winer-fr-2016.jsonl"
DEVSET = TESTS / "devset" / "gold.jsonl"

sys.path.insert(0, str(TESTS))  # tests/markup.py


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def nlp():
    from entityx import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is not there (the shared folder sits beside the project)")
    return SHARED


@pytest.fixture(scope="session")
def dask_cluster(tmp_path_factory):
    """(address, client) of a real Dask scheduler and two workers on loopback (tests/cluster.py)."""
    from cluster import running_cluster

    with running_cluster(tmp_path_factory.mktemp("dask") / "cluster.log") as found:
        yield found

"""Shared fixtures: the real pipeline, loaded once per session, and the reference data.

Everything ``make test`` needs is in the repository: the reference article is
``samples/000_1aa1127573d74705.txt`` and its gold ``tests/seed/gold.jsonl``. Tests that need
``../shared`` (the WiNER-fr corpus, the reference scorer) are marked ``corpus`` and run with
``make test-corpus`` only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SHARED = ROOT.parent / "shared"
SEED_TEXT = ROOT / "samples" / "000_1aa1127573d74705.txt"
SEED_GOLD = TESTS / "seed" / "gold.jsonl"
WINER = SHARED / "eval" / "winer-fr-2016.jsonl"
DEVSET = TESTS / "devset" / "gold.jsonl"

sys.path.insert(0, str(TESTS))  # tests/cluster.py, tests/live.py


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def nlp():
    from entityx import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The reference data shipped with the tests (``tests/seed``); never skipped."""
    return SEED_GOLD.parent


@pytest.fixture(scope="session")
def corpus_folder() -> Path:
    """``../shared``, for tests marked ``corpus`` (``make test-corpus``): missing is a failure."""
    assert SHARED.exists(), f"{SHARED} is not there: `make test-corpus` needs the shared folder"
    return SHARED


@pytest.fixture(scope="session")
def dask_cluster(tmp_path_factory):
    """(address, client) of a real Dask scheduler and two workers on loopback (tests/cluster.py)."""
    from cluster import running_cluster

    with running_cluster(tmp_path_factory.mktemp("dask") / "cluster.log") as found:
        yield found

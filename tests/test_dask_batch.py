"""``entityx batch --dask`` on real clusters: a LocalCluster of worker processes, and a
``dask scheduler`` with two ``dask worker`` processes started here on 127.0.0.1. The output
must be byte for byte the local ``--jobs 2`` output, also when a worker is SIGKILLed mid-run,
and an interrupted run must resume on the other side (cluster -> local, local -> cluster)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, TESTS
from typer.testing import CliRunner

from entityx.cli import app
from entityx.inline_gold import parse

PATTERNS = '{"label": "ORG", "pattern": "Cercle Kappa Delta"}\n'  # the model alone says LOC


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """16 development articles as plain files, one in Windows-1252, one unreadable."""
    root = tmp_path_factory.mktemp("dask") / "in"
    root.mkdir()
    for path in sorted((TESTS / "devset" / "src").glob("*.txt"))[:16]:
        body = parse(path.read_text(encoding="utf-8").partition("\n\n")[2])[0]
        (root / path.name).write_text(body, encoding="utf-8")
    (root / "zz-windows.txt").write_bytes(
        "Le Cercle Kappa Delta a reçu à Besançon, en février 2016, l'équipe.".encode("cp1252")
    )
    (root / "zz-gone.txt").symlink_to(root / "nowhere")
    return root


@pytest.fixture(scope="module")
def patterns(corpus) -> Path:
    path = corpus.parent / "patterns.jsonl"
    path.write_text(PATTERNS, encoding="utf-8")
    return path


def batch(*args, input=None):
    return CliRunner().invoke(app, ["batch", *map(str, args), "-q"], input=input)


@pytest.fixture(scope="module")
def reference(corpus, patterns) -> dict[str, bytes]:
    """The local ``--jobs 2`` outputs every cluster run must equal."""
    found = {}
    for suffix in (".jsonl", ".csv"):
        out = corpus.parent / f"reference{suffix}"
        result = batch(corpus, "-o", out, "--jobs", "2", "--patterns", patterns)
        assert result.exit_code == 1 and "1 failed" in result.stderr  # zz-gone.txt
        found[suffix] = out.read_bytes()
    return found


def journaled(out: Path) -> int:
    """Documents the journal of an unfinished run names."""
    journal = Path(f"{out}.partial.journal")
    return max(0, len(journal.read_bytes().splitlines()) - 1) if journal.exists() else 0


def start(*args) -> subprocess.Popen:
    """``entityx batch`` in its own process group, as a terminal runs it."""
    command = [sys.executable, "-m", "entityx", "batch", *map(str, args), "-q"]
    return subprocess.Popen(
        command, cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def wait_until(condition, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_local_cluster_writes_what_two_local_jobs_write(corpus, reference, patterns, tmp_path):
    out = tmp_path / "out.jsonl"
    result = batch(corpus, "-o", out, "--dask", "local:2", "--patterns", patterns)
    assert result.exit_code == 1 and "1 failed" in result.stderr
    assert out.read_bytes() == reference[".jsonl"]
    assert b'"Cercle Kappa Delta", "label": "ORG"' in out.read_bytes()  # patterns reached it


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_scheduler_and_two_workers_write_what_two_local_jobs_write(
    corpus, reference, patterns, dask_cluster, tmp_path, suffix
):
    address, _ = dask_cluster
    out = tmp_path / f"out{suffix}"
    result = batch(corpus, "-o", out, "--dask", address, "--patterns", patterns)
    assert result.exit_code == 1 and not Path(f"{out}.partial").exists()
    assert out.read_bytes() == reference[suffix]


def test_jsonl_documents_on_stdin_go_to_the_cluster_as_texts(dask_cluster, tmp_path):
    address, _ = dask_cluster
    lines = [
        json.dumps({"id": f"d{i}", "text": text, "meta": {"published": "2024-09-05"}})
        for i, text in enumerate(["La DGSN a interpellé hier à Tanger un suspect.", "Rien."])
    ]
    stdin = "\n".join(lines) + "\n"
    batch("-", "-o", tmp_path / "cluster.jsonl", "--dask", address, input=stdin)
    batch("-", "-o", tmp_path / "local.jsonl", "--jobs", "1", input=stdin)
    docs = (tmp_path / "cluster.jsonl").read_bytes()
    assert docs == (tmp_path / "local.jsonl").read_bytes()
    assert b'"norm": "2024-09-04"' in docs


def test_a_worker_killed_mid_run_costs_only_a_retry(corpus, reference, patterns, dask_cluster, tmp_path):
    address, client = dask_cluster
    out = tmp_path / "out.jsonl"
    run = start(corpus, "-o", out, "--dask", address, "--patterns", patterns)
    pids = client.run(os.getpid)
    victim = min(pids)

    def busy() -> bool:  # a document written, and a chunk on the victim's hands
        return journaled(out) >= 1 and bool(client.processing().get(victim))

    wait_until(busy, run)
    os.kill(pids[victim], signal.SIGKILL)
    assert run.wait(timeout=300) == 1, run.stderr.read()
    assert out.read_bytes() == reference[".jsonl"]
    client.wait_for_workers(2, timeout=120)  # the nanny restarts it, for the next tests
    assert pids[victim] not in client.run(os.getpid).values()


def interrupt(out: Path, *args) -> None:
    """Run ``entityx batch … -o out``, Ctrl-C it once some documents are written."""
    run = start(*args, "-o", out)
    wait_until(lambda: journaled(out) >= 1, run)
    os.killpg(run.pid, signal.SIGINT)
    assert run.wait(timeout=120) == 130, run.stderr.read()
    assert Path(f"{out}.partial").exists() and not out.exists()


def test_a_cluster_run_interrupted_resumes_locally(corpus, reference, patterns, dask_cluster, tmp_path):
    address, _ = dask_cluster
    out = tmp_path / "out.jsonl"
    interrupt(out, corpus, "--dask", address, "--patterns", patterns)
    result = batch(corpus, "-o", out, "--resume", "--jobs", "2", "--patterns", patterns)
    assert "already there" in result.stderr
    assert out.read_bytes() == reference[".jsonl"]


def test_a_local_run_interrupted_resumes_on_the_cluster(corpus, reference, patterns, dask_cluster, tmp_path):
    address, _ = dask_cluster
    out = tmp_path / "out.csv"
    interrupt(out, corpus, "--jobs", "1", "--patterns", patterns)
    result = batch(corpus, "-o", out, "--resume", "--dask", address, "--patterns", patterns)
    assert "already there" in result.stderr
    assert out.read_bytes() == reference[".csv"]


def test_parquet_holds_every_mention_typed(corpus, reference, patterns, dask_cluster, tmp_path):
    address, _ = dask_cluster
    out = tmp_path / "out.parquet"
    batch(corpus, "-o", out, "--dask", address, "--patterns", patterns)
    docs = [json.loads(line) for line in reference[".jsonl"].splitlines()]
    table = pq.read_table(out)
    rows = table.to_pylist()
    mentions = [r for r in rows if r["label"] is not None]
    assert len(mentions) == sum(len(d["entities"]) for d in docs)
    assert [(r["source"], r["text"], r["start"], r["origin"]) for r in mentions] == [
        (d["source"], m["text"], m["start"], m["origin"]) for d in docs for m in d["entities"]
    ]
    assert [(r["source"], r["error"]) for r in rows if r["label"] is None] == [
        (d["source"], d.get("error")) for d in docs if "error" in d or not d["entities"]
    ]
    assert any("error" in d for d in docs) and {r["source"] for r in rows} == {d["source"] for d in docs}
    assert str(table.schema.field("start").type) == "int64"
    assert json.loads(table.schema.metadata[b"entityx"])["patterns"] is not None
    local = tmp_path / "local.parquet"
    batch(corpus, "-o", local, "--jobs", "2", "--patterns", patterns)
    assert pq.read_table(local).equals(table)


def test_parquet_refuses_to_resume(corpus, tmp_path):
    out = tmp_path / "out.parquet"
    out.write_bytes(b"what the user already has")
    result = batch(corpus, "-o", out, "--resume", "--jobs", "1")
    assert result.exit_code == 1 and "Parquet output cannot be resumed" in result.stderr
    assert out.read_bytes() == b"what the user already has"


def test_without_dask_the_error_says_how_to_install_it(corpus, tmp_path):
    hide = "import sys; sys.modules['distributed'] = None; from entityx.cli import main; main()"
    command = [sys.executable, "-c", hide, "batch", str(corpus), "-o", str(tmp_path / "x.jsonl"),
               "--dask", "local:2"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and not (tmp_path / "x.jsonl.partial").exists()
    assert done.stderr == "Error: --dask needs Dask, which is not installed: pip install 'entityx[dask]'\n"


def test_a_malformed_address_is_a_usage_error(corpus, tmp_path):
    result = batch(corpus, "-o", tmp_path / "x.jsonl", "--dask", "local:0")
    assert result.exit_code == 2 and "expected tcp://HOST:PORT" in result.stderr and "or local:N" in result.stderr

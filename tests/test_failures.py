"""Issue 22, crashes, hangs and tracebacks: each case ends in one ``Error:`` line and its exit
code, with the other inputs still processed. Runs that could eat the machine if the fix
regressed have their memory capped (``RLIMIT_AS``) and a time limit."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

import entityx
from entityx.cli import app

TEXT = "Rabat, le 5 septembre 2024 – La DGSN a interpellé hier à Tanger un suspect.\n"
GIB = 2**30


def entityx_cli(*args, stdin=None, memory: int = 3 * GIB, timeout: float = 120, env=None) -> subprocess.CompletedProcess:
    """The real command in its own process, its memory capped."""
    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "entityx", *map(str, args)], cwd=ROOT, stdin=stdin,
                          capture_output=True, timeout=timeout, preexec_fn=limits, check=False,
                          env={**os.environ, **(env or {})})


def one_error(stderr: bytes | str) -> str:
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text, text
    errors = [line for line in text.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, text
    return errors[0]


# 9. Dates past the calendar's range.


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("hier", "0001-01-01", [("hier", None)]),
    ("demain", "9999-12-31", [("demain", None)]),
    ("la semaine dernière et l'an prochain", "9999-12-31", [("semaine dernière", "9999-W51"), ("an prochain", None)]),
    ("il y a trois ans", "0002-06-01", [("il y a trois ans", None)]),
])
def test_a_date_past_the_calendar_has_no_value(nlp, text, published, expected):
    doc = entityx.extract(text, published)
    assert [(m.text, m.norm) for m in doc.entities] == expected


def test_a_header_date_at_the_calendars_edge_loses_no_other_file(tmp_path, nlp):
    good, edge = tmp_path / "good.txt", tmp_path / "edge.txt"
    good.write_text(TEXT, encoding="utf-8")
    edge.write_text(" date 0001-01-01\nLa DGSN a arrêté hier un suspect.", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(good), str(edge), "-f", "jsonl"])
    assert result.exit_code == 0
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["source"] for d in docs] == [str(good), str(edge)]
    assert ("hier", None) in [(m["text"], m["norm"]) for m in docs[1]["entities"]]


# 10. Special files.


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_at_once(device, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    done = entityx_cli("extract", device, good, "-f", "jsonl", timeout=60)
    assert done.returncode == 1 and "not a regular file (a character device)" in one_error(done.stderr)
    assert json.loads(done.stdout)["source"] == str(good)  # the other input is still processed


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_binary_stdin_is_refused_at_once(device):
    with open(device, "rb") as endless:
        done = entityx_cli("extract", "-", "-f", "jsonl", stdin=endless, timeout=60)
    assert done.returncode == 1 and "binary data" in one_error(done.stderr)


def test_endless_text_on_stdin_stops_at_the_limit():
    text = subprocess.Popen(["yes", "La DGSN à Rabat."], stdout=subprocess.PIPE)
    try:
        done = entityx_cli("extract", "-", "-f", "jsonl", stdin=text.stdout, timeout=120)
    finally:
        text.kill()
        text.wait()
    assert done.returncode == 1 and "more than 128 MiB" in one_error(done.stderr)


def test_a_fifo_without_a_writer_does_not_hang_extract(tmp_path):
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    done = entityx_cli("extract", fifo, "-f", "jsonl", timeout=60)
    assert done.returncode == 0 and json.loads(done.stdout)["entities"] == []


def test_a_pipe_is_read_as_text(tmp_path):
    done = subprocess.run(["bash", "-c", f"{sys.executable} -m entityx extract <(printf '{TEXT}') -f jsonl"],
                          cwd=ROOT, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0
    assert "DGSN" in [m["text"] for m in json.loads(done.stdout)["entities"]]


def test_a_batch_skips_and_reports_special_files(tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(folder / "b.txt")
    (folder / "c.txt").symlink_to("/dev/zero")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out), "-q", "--jobs", "1"])
    assert result.exit_code == 1
    docs = {Path(d["source"]).name: d for d in map(json.loads, out.read_text().splitlines())}
    assert docs["a.txt"]["entities"] and "error" not in docs["a.txt"]
    assert "not a regular file (a FIFO)" in docs["b.txt"]["error"]
    assert "not a regular file (a character device)" in docs["c.txt"]["error"]


def test_a_jsonl_corpus_that_is_a_fifo_is_refused(tmp_path, nlp):
    fifo = tmp_path / "corpus.jsonl"
    os.mkfifo(fifo)
    result = CliRunner().invoke(app, ["batch", str(fifo), "--jsonl", "-o", str(tmp_path / "o.jsonl"), "-q"])
    assert result.exit_code == 1
    assert "pipe it to stdin" in json.loads((tmp_path / "o.jsonl").read_text())["error"]


def test_batch_of_endless_binary_stdin_is_refused_at_once(tmp_path):
    with open("/dev/zero", "rb") as endless:
        done = entityx_cli("batch", "-", "-o", tmp_path / "o.jsonl", "-q", stdin=endless, timeout=60)
    assert done.returncode == 1 and "binary data on stdin" in one_error(done.stderr)
    assert not list(tmp_path.iterdir())


# 11. A full disk, for every output kind (RLIMIT_FSIZE: writes past the limit fail as on a full disk).


@pytest.mark.parametrize(("suffix", "limit", "resumable"), [
    (".jsonl", 20_000, True), (".csv", 20_000, True), (".sqlite", 200_000, True), (".parquet", 2_000, False),
])
def test_a_full_disk_is_one_error_line_for_every_output(tmp_path, suffix, limit, resumable):
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(30):
        (folder / f"{number:02d}.txt").write_text(TEXT * 3, encoding="utf-8")
    out = tmp_path / f"out{suffix}"

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([sys.executable, "-m", "entityx", "batch", folder, "-o", out, "-q", "--jobs", "1"],
                          cwd=ROOT, capture_output=True, timeout=300, preexec_fn=small_files, check=False)
    error = one_error(done.stderr)
    assert done.returncode == 1 and ("File too large" in error or "disk I/O error" in error)
    assert ("--resume" in error) == resumable
    if not resumable:
        assert not list(tmp_path.glob("out.parquet*"))  # a Parquet file without its footer is no file
    else:
        resumed = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out), "-q", "--resume"])
        assert resumed.exit_code == 0


# 12. Losing the Dask scheduler: one line.


def test_losing_the_dask_scheduler_is_one_line(tmp_path):
    from cluster import free_port

    port = free_port()
    dask = Path(sys.executable).parent / "dask"
    flags = ["--host", "127.0.0.1", "--no-dashboard"]
    scheduler = subprocess.Popen([dask, "scheduler", "--port", str(port), *flags], stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([dask, "worker", f"tcp://127.0.0.1:{port}", "--nthreads", "1", *flags],
                              stderr=subprocess.DEVNULL)
    from distributed import Client

    with Client(f"tcp://127.0.0.1:{port}", timeout="60s") as client:
        client.wait_for_workers(1, timeout=120)
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(400):
        (folder / f"{number:03d}.txt").write_text(TEXT * 5, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run = subprocess.Popen([sys.executable, "-m", "entityx", "batch", folder, "-o", out, "-q",
                            "--dask", f"tcp://127.0.0.1:{port}"], cwd=ROOT, stderr=subprocess.PIPE)
    try:
        journal = Path(f"{out}.partial.journal")
        deadline = time.monotonic() + 240
        while not (journal.exists() and journal.read_bytes().count(b"\n") > 1):
            assert run.poll() is None and time.monotonic() < deadline, run.stderr.read()
            time.sleep(0.1)
        scheduler.kill()
        _, stderr = run.communicate(timeout=240)
    finally:
        for process in (run, worker, scheduler):
            process.kill()
            process.wait()
    error = one_error(stderr)
    assert run.returncode == 1 and "the Dask cluster failed" in error and "--resume" in error
    assert stderr.decode().count("\n") <= 2  # the summary line and the error, nothing logged by Dask


# 13. Deep folders.


def test_a_folder_deeper_than_pythons_recursion_is_walked(tmp_path, nlp):
    root = here = str(tmp_path / "deep")
    os.mkdir(root)
    for _ in range(1_100):  # more levels than Python's recursion limit, within PATH_MAX
        here += "/d"
        os.mkdir(here)
    Path(here, "deep.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    try:
        result = CliRunner().invoke(app, ["batch", str(root), "-o", str(out), "-q"])
        assert result.exit_code == 0, result.stderr
        assert json.loads(out.read_text())["source"].endswith("/d/deep.txt")
    finally:  # pytest's own clean-up of old temporary folders recurses: remove it here
        os.remove(Path(here, "deep.txt"))
        while here != root:
            os.rmdir(here)
            here = os.path.dirname(here)


# 14. Addresses that cannot work fail at once.


def test_a_server_url_with_a_bad_port_is_one_error(tmp_path):
    done = entityx_cli("extract", "-", stdin=subprocess.DEVNULL, env={"ENTITYX_URL": "http://127.0.0.1:notaport"})
    assert done.returncode == 1 and "ENTITYX_URL must be" in one_error(done.stderr)


def test_a_dask_port_out_of_range_is_a_usage_error_and_a_closed_one_fails_at_once(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(tmp_path), "-o", str(tmp_path / "o.jsonl"),
                                      "--dask", "tcp://127.0.0.1:99999"])
    assert result.exit_code == 2 and "a port from 1 to 65535" in result.stderr
    from cluster import free_port

    started = time.monotonic()
    closed = CliRunner().invoke(app, ["batch", str(tmp_path), "-o", str(tmp_path / "o.jsonl"),
                                      "--dask", f"tcp://127.0.0.1:{free_port()}"])
    assert closed.exit_code == 1 and "Connection refused" in closed.stderr
    assert time.monotonic() - started < 20  # not Dask's 30 s of retries


# 15. An output that cannot be written is found before any work.


def test_an_output_that_is_a_folder_is_refused_before_any_work(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d.jsonl").mkdir()
    done = entityx_cli("batch", tmp_path / "a.txt", "-o", tmp_path / "d.jsonl", timeout=60)
    assert done.returncode == 1 and "is a directory" in one_error(done.stderr)
    assert "--resume" not in done.stderr.decode()


# 16. Library input, control characters, symlinks.


@pytest.mark.parametrize("bad", [None, 123, b"La DGSN"])
def test_extract_says_what_it_takes(bad):
    with pytest.raises(TypeError, match="takes the article as a str"):
        entityx.extract(bad)


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_a_control_character_changes_nothing_around_it(nlp, control):
    clean = "La DGSN a arrêté un suspect à Rabat. Le parquet a été saisi."
    dirty = clean.replace("DGSN", "DGSN" + control).replace("Rabat.", "Rabat." + control)
    found = [(m.text, m.label) for m in entityx.extract(dirty).entities]
    assert found == [(m.text, m.label) for m in entityx.extract(clean).entities]
    assert all(control not in text for text, _ in found)


def test_extract_and_batch_both_write_through_a_symlink(tmp_path, nlp):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    for command in (["extract", str(tmp_path / "a.txt"), "-f", "jsonl"], ["batch", str(tmp_path / "a.txt"), "-q"]):
        target, link = tmp_path / f"{command[0]}-target.jsonl", tmp_path / f"{command[0]}-link.jsonl"
        target.write_text("old\n")
        link.symlink_to(target)
        assert CliRunner().invoke(app, [*command, "-o", str(link)]).exit_code == 0
        assert link.is_symlink() and "DGSN" in target.read_text()

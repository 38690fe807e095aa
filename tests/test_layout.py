"""The layers of batch: a runner can be swapped, events replace printing, JSONL streams, and
the one JSON Lines reader names every bad line the same way."""

from __future__ import annotations

import io
import json

import pytest

from entityx.batch import Advanced, Finished, Started, in_process, run_batch
from entityx.jsonl import JsonlError, read_jsonl

TEXTS = [
    "La DGSN a interpellé hier à Tanger un suspect recherché par Interpol.",
    "Le FBI et Europol coopèrent avec la police de Lyon depuis mars 2023.",
    "Emmanuel Macron a reçu Olaf Scholz à l'Élysée le 12 janvier 2024.",
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"id": f"d{i}", "text": t}) for i, t in enumerate(TEXTS * 3)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def backwards(work, chunks):
    """A runner other than the built-in ones: it works on the last chunk first, and still
    yields results in the order of the chunks, as the interface asks."""
    chunks = list(chunks)
    assert len(chunks) > 1
    done = {i: work(chunks[i]) for i in reversed(range(len(chunks)))}
    yield from (done[i] for i in range(len(chunks)))


def test_any_runner_writes_what_the_default_writes(corpus, tmp_path, nlp, capfd):
    events = []
    mine = run_batch([str(corpus)], tmp_path / "mine.jsonl", jsonl=True, jobs=3,
                     runner=backwards, on_event=events.append)
    run_batch([str(corpus)], tmp_path / "own.jsonl", jsonl=True, jobs=1)
    run_batch([str(corpus)], tmp_path / "in.jsonl", jsonl=True, jobs=3, runner=in_process)
    assert (tmp_path / "mine.jsonl").read_bytes() == (tmp_path / "own.jsonl").read_bytes()
    assert (tmp_path / "in.jsonl").read_bytes() == (tmp_path / "own.jsonl").read_bytes()
    assert events[0] == Started(todo=9, skipped=0)
    assert sum(e.documents for e in events if isinstance(e, Advanced)) == 9
    assert isinstance(events[-1], Finished) and events[-1].report.documents == 9
    assert mine.output == tmp_path / "mine.jsonl"
    assert capfd.readouterr() == ("", "")  # the library prints nothing


def test_jsonl_is_read_a_line_at_a_time():
    class Endless(io.RawIOBase):
        """A stream that never ends: reading it whole would never return."""

        def readable(self):
            return True

        def readinto(self, buffer):
            line = b'{"id": 1}\n'
            buffer[: len(line)] = line
            return len(line)

    lines = read_jsonl("endless.jsonl", io.BufferedReader(Endless()))
    assert [next(lines), next(lines)] == [(1, {"id": 1}), (2, {"id": 1})]


def test_every_bad_line_is_named_file_and_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\n\n{"b": \n"\xe9"\n"\xe2\x80\xa8 in a string"\n')
    got = list(read_jsonl(path, keep_going=True))
    assert got[0] == (1, {"a": 1})
    assert [(n, str(e)) for n, e in got[1:3]] == [
        (3, f"{path}:3: not JSON (Expecting value at column 7)"),
        (4, f"{path}:4: not UTF-8 (byte 0xe9 at column 2)"),
    ]
    assert got[3] == (5, "\u2028 in a string")  # U+2028 is no line break in JSON Lines
    with pytest.raises(JsonlError, match=r"x.jsonl:3: not JSON"):
        list(read_jsonl(path))

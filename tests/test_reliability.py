"""Issue 9: nothing lost, nothing crashes. Each case on the real command, in a real process
where streams, signals or process limits matter (in this one, through CliRunner, where files
are all there is to it: the kernel checks a folder's permissions alike in any process)."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from entityx.cli import app

TEXT = "Rabat, le 5 septembre 2024 – La DGSN a interpellé hier à Tanger un suspect recherché par Interpol.\n"


@pytest.fixture(scope="module")
def runner():
    return CliRunner(env={"COLUMNS": "250"})


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def entityx(*args, preexec=None, **kwargs) -> subprocess.CompletedProcess:
    """The real command in its own process, as a shell would run it."""
    return subprocess.run([sys.executable, "-m", "entityx", *map(str, args)], cwd=ROOT, check=False,
                          capture_output=True, timeout=300, preexec_fn=preexec, **kwargs)


def shells(*commands: str) -> list[subprocess.CompletedProcess]:
    """Each command in its own bash, all at once (each pays a cold start), in order."""
    env = {**os.environ, "ENTITYX": f"{sys.executable} -m entityx"}
    running = [subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE) for command in commands]
    done = []
    for command, process in zip(commands, running):
        out, err = process.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return done


def shell(command: str) -> subprocess.CompletedProcess:
    return shells(command)[0]


# 1. An output that is also an input is refused; -o is replaced only when there is something to write.


def test_extract_refuses_to_write_over_its_input(runner, article, tmp_path):
    alias = tmp_path / "same-file.txt"
    os.link(article, alias)  # another name, the same inode
    for output in (article, alias):
        result = runner.invoke(app, ["extract", str(article), "-f", "json", "-o", str(output)])
        assert result.exit_code == 2 and "is also an input" in result.stderr
    assert article.read_text(encoding="utf-8") == TEXT


def test_batch_refuses_to_write_over_its_corpus(runner, tmp_path):
    corpus = tmp_path / "corp.jsonl"
    corpus.write_text(json.dumps({"id": "d", "text": TEXT}) + "\n", encoding="utf-8")
    before = corpus.read_bytes()
    result = runner.invoke(app, ["batch", str(corpus), "--jsonl", "-o", str(corpus), "-q"])
    assert result.exit_code == 2 and "is also an input" in result.stderr
    assert corpus.read_bytes() == before


def test_a_failed_extract_leaves_the_output_as_it_was(runner, tmp_path):
    kept = tmp_path / "p.json"
    kept.write_text("keep\n")
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt"), "-f", "json", "-o", str(kept)])
    assert result.exit_code == 1 and kept.read_text() == "keep\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]  # no temporary file left


def test_an_output_is_replaced_whole_keeping_its_mode(runner, article, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    out.chmod(0o640)
    assert runner.invoke(app, ["extract", str(article), "-f", "jsonl", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["entities"] and out.stat().st_mode & 0o777 == 0o640


# 2. Zero inputs, a mistyped path, a resume over fewer inputs: refused, the output untouched.


@pytest.fixture
def done(runner, tmp_path, nlp):
    """A folder of three articles and its complete batch output."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("doc_1.txt", "doc_2.txt", "doc_3.txt"):
        (folder / name).write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["batch", str(folder), "-o", str(out), "-q"]).exit_code == 0
    return folder, out, out.read_bytes()


def test_zero_inputs_is_an_error_that_keeps_the_output(runner, done, tmp_path):
    folder, out, before = done
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in ([empty], [folder, "--glob", "*.md"]):
        result = runner.invoke(app, ["batch", *map(str, args), "-o", str(out), "-q"])
        assert result.exit_code == 1 and "no input document" in result.stderr
        assert out.read_bytes() == before


def test_a_mistyped_path_is_an_error_that_keeps_the_output(runner, done, tmp_path):
    _, out, before = done
    for extra in ([], ["--resume"]):
        result = runner.invoke(app, ["batch", str(tmp_path / "typo"), "-o", str(out), "-q", *extra])
        assert result.exit_code == 1 and "no such file or folder" in result.stderr
        assert out.read_bytes() == before


def test_a_resume_over_fewer_inputs_refuses_to_drop_documents(runner, done):
    folder, out, before = done
    args = ["batch", str(folder), "-o", str(out), "-q", "--resume", "--glob", "doc_1*"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "would drop 2 documents" in refused.stderr
    assert "--drop-missing" in refused.stderr and out.read_bytes() == before
    allowed = runner.invoke(app, [*args, "--drop-missing"])
    assert allowed.exit_code == 0
    assert [json.loads(line)["source"] for line in out.read_text().splitlines()] == [str(folder / "doc_1.txt")]


# 3. One batch at a time on an output.


def test_a_locked_output_is_refused_naming_the_holder(runner, done):
    folder, out, before = done
    hold = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(out) + '.lock'!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, str(os.getpid()).encode())\n"
        "print('locked', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        for extra in ([], ["--resume"]):
            result = runner.invoke(app, ["batch", str(folder), "-o", str(out), "-q", *extra])
            assert result.exit_code == 1 and f"another entityx batch (pid {holder.pid})" in result.stderr
            assert out.read_bytes() == before and not Path(f"{out}.partial").exists()
    finally:
        holder.kill()
        holder.wait()
    # The kernel released the lock with its holder: the next run goes ahead.
    assert runner.invoke(app, ["batch", str(folder), "-o", str(out), "-q"]).exit_code == 0
    assert not Path(f"{out}.lock").exists()


# 4-5. Full disks and closed streams: one error line, exit 1.


def test_no_space_left_on_device(runner, article):
    to_file = runner.invoke(app, ["extract", str(article), "-f", "json", "-o", "/dev/full"])
    to_stdout, table = shells(f"$ENTITYX extract {article} -f jsonl > /dev/full",
                              f"$ENTITYX extract {article} > /dev/full")
    assert to_file.exit_code == to_stdout.returncode == table.returncode == 1
    assert to_file.stderr == "Error: /dev/full: No space left on device\n"
    assert to_stdout.stderr.decode() == table.stderr.decode() == "Error: stdout: No space left on device\n"


def test_a_batch_that_cannot_write_stops_cleanly_and_resumes(tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(12):
        (folder / f"{number:02d}.txt").write_text(TEXT * 10, encoding="utf-8")
    out = tmp_path / "out.jsonl"

    def small_files():  # a disk that fills up: writes beyond 64 KiB fail
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    full = entityx("batch", folder, "-o", out, "-q", "--jobs", "1", preexec=small_files)
    error = full.stderr.decode()
    assert full.returncode == 1 and "Traceback" not in error
    assert "File too large; what was written is complete: run again with --resume" in error
    runner = CliRunner()  # the limit was on that process only: the rest is in this one
    assert runner.invoke(app, ["batch", str(folder), "-o", str(out), "-q", "--resume"]).exit_code == 0
    fresh = tmp_path / "fresh.jsonl"
    assert runner.invoke(app, ["batch", str(folder), "-o", str(fresh), "-q"]).exit_code == 0
    assert out.read_bytes() == fresh.read_bytes()


def test_closed_stdout_is_an_error_for_every_format(article):
    formats = ("table", "json", "jsonl", "csv")
    for fmt, done in zip(formats, shells(*(f"$ENTITYX extract {article} -f {fmt} >&-" for fmt in formats))):
        assert done.returncode == 1, fmt
        assert done.stderr.decode().startswith("Error: stdout is closed"), fmt


def test_with_stderr_closed_errors_never_reach_stdout(tmp_path):
    done = shell(f"$ENTITYX extract {tmp_path / 'nope.txt'} -f jsonl 2>&-")
    assert done.returncode == 1 and done.stdout == b""


def test_every_format_ends_alike_when_the_reader_goes(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(TEXT * 150, encoding="utf-8")  # its JSON outgrows the pipe; the table comes second
    codes = {}
    formats = ("table", "json", "jsonl", "csv")
    commands = (f"$ENTITYX extract {big} {big} -f {fmt} | head -c 100 > /dev/null; echo ${{PIPESTATUS[0]}}"
                for fmt in formats)
    for fmt, done in zip(formats, shells(*commands)):
        codes[fmt] = done.stdout.decode().strip()
        assert done.stderr == b"", fmt
    assert set(codes.values()) == {"141"}, codes


# 6-8. File names and text are data: never markup, never terminal commands, always UTF-8.


def test_file_names_are_never_markup(runner, tmp_path):
    (tmp_path / "[").mkdir()
    for name in ("[/red].txt", "[bold red]x.txt"):  # the first is red].txt in a folder named [
        path = tmp_path / name
        path.write_text(TEXT, encoding="utf-8")
        result = runner.invoke(app, ["extract", str(path)])
        assert result.exit_code == 0 and name in result.stdout


def test_control_characters_are_shown_not_obeyed_in_the_table(runner, tmp_path):
    path = tmp_path / "ansi.txt"
    text = TEXT * 3 + "La DGSN a arrêté à Tanger \x1b]0;pwned\x07M. \x1b[31mKarim Benali\x1b[0m hier."
    path.write_text(text, encoding="utf-8")
    table = runner.invoke(app, ["extract", str(path), "--mentions"])
    assert table.exit_code == 0 and "\x1b" not in table.stdout and "\x07" not in table.stdout
    exact = json.loads(runner.invoke(app, ["extract", str(path), "-f", "json"]).stdout)
    assert all(text[m["start"] : m["end"]] == m["text"] for m in exact["entities"])


def test_a_file_name_that_is_not_utf8_is_written_escaped(runner, tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(raw, "wb") as out:
        out.write(TEXT.encode())
    shown = f"{folder}/caf\\xe9.txt"
    extracted = entityx("extract", os.fsdecode(raw), "-f", "json")  # a real process's stdout
    assert extracted.returncode == 0 and json.loads(extracted.stdout.decode("utf-8"))["source"] == shown
    for suffix in (".jsonl", ".csv", ".sqlite"):  # files: written alike in this process
        out = tmp_path / f"out{suffix}"
        done = runner.invoke(app, ["batch", str(folder), "-o", str(out), "-q"])
        assert done.exit_code == 0 and done.exception is None and "Traceback" not in done.stderr, done.stderr
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))["source"] == shown
    assert shown in (tmp_path / "out.csv").read_text(encoding="utf-8")
    with sqlite3.connect(tmp_path / "out.sqlite") as db:
        assert db.execute("SELECT source FROM documents").fetchall() == [(shown,)]


# 9-10. Files that pass a first look and then fail: named FILE:LINE, before any output.


@pytest.mark.parametrize("line, problem", [
    ('{"label": "ORG", "pattern": [{"TEXT": {"REGEX": "("}}]}', "invalid REGEX"),
    ('{"label": "ORG", "pattern": "Atlas", "id": ["a", "b"]}', "'id' must be a string"),
])
def test_patterns_that_would_crash_later_are_refused_first(runner, article, tmp_path, line, problem):
    patterns, out = tmp_path / "p.jsonl", tmp_path / "out.json"
    patterns.write_text('{"label": "ORG", "pattern": "Atlas"}\n' + line + "\n", encoding="utf-8")
    for command in (["extract", str(article), "-o", str(out)], ["batch", str(article), "-o", str(tmp_path / "b.jsonl")]):
        result = runner.invoke(app, [*command, "--patterns", str(patterns)])
        assert result.exit_code == 2 and f"{patterns}:2: {problem}" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "p.jsonl"]


def test_an_empty_pattern_file_says_nothing(article, tmp_path):
    patterns = tmp_path / "empty.jsonl"
    patterns.write_text("")
    done = entityx("extract", article, "-f", "json", "--patterns", patterns)
    assert done.returncode == 0 and done.stderr == b""


GOOD_SPAN = {"start": 3, "end": 7, "label": "ORG"}
GOLD_TEXT = "La DGSN a arrêté hier à Tanger un suspect."


@pytest.mark.parametrize("doc, problem", [
    ({"spans": [{"start": 3, "end": 7}]}, "span 1: no 'label'"),
    ({"spans": [GOOD_SPAN, {"end": 7, "label": "ORG"}]}, "span 2: no 'start'"),
    ({"spans": [{"start": "3", "end": "7", "label": "ORG"}]}, "span 1: 'start' and 'end' must be integers"),
    ({"spans": {"start": 3}}, "'spans' must be a list"),
    ({"spans": [], "meta": "2024-09-05"}, "'meta' must be an object"),
    ({"spans": [], "meta": {"published": "hier"}}, "meta.published 'hier'"),
    ({"spans": [{"start": 40, "end": 99, "label": "LOC"}]}, "span 1: offsets 40-99 are not a span"),
    ({"spans": [{"start": 7, "end": 3, "label": "ORG"}]}, "span 1: offsets 7-3 are not a span"),
    ({"spans": [{**GOOD_SPAN, "text": "DGST"}]}, "span 1: 'text' is 'DGST' but the text at 3-7 is 'DGSN'"),
    ({"spans": [{**GOOD_SPAN, "label": 3}]}, "span 1: 'label' must be a string"),
])
def test_malformed_gold_is_named_and_never_scored(runner, tmp_path, doc, problem):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "ok", "text": GOLD_TEXT, "spans": [GOOD_SPAN]}) + "\n"
                    + json.dumps({"id": "d", "text": GOLD_TEXT, **doc}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"Error: {gold}:2: {problem}"), result.stderr


def test_gold_labels_of_another_scheme_are_not_scored(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    spans = [GOOD_SPAN, {"start": 17, "end": 21, "label": "TIME"}]  # WiNER-fr tags TIME
    gold.write_text(json.dumps({"id": "d", "text": GOLD_TEXT, "spans": spans}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold), "--labels", "ORG", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["labels"]["ORG"]["support"] == 1


def test_gold_in_latin_1_is_named_and_a_bom_is_read(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    line = json.dumps({"id": "d", "text": GOLD_TEXT, "spans": [GOOD_SPAN]}, ensure_ascii=False)
    gold.write_bytes(line.encode("latin-1") + b"\n")
    result = runner.invoke(app, ["eval", str(gold)])
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {gold}:1: not UTF-8")
    gold.write_bytes(b"\xef\xbb\xbf" + line.encode("utf-8") + b"\n")
    assert runner.invoke(app, ["eval", str(gold)]).exit_code == 0


# 11. An output folder the user cannot write.


def test_an_unwritable_output_folder_is_a_clean_error(runner, article, tmp_path):
    if os.geteuid() == 0:  # root writes anywhere but in sysfs
        locked = Path("/sys")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
    for name in ("out.sqlite", "out.jsonl", "out.csv"):
        done = runner.invoke(app, ["batch", str(article), "-o", str(locked / name), "-q"])
        error = done.stderr
        assert done.exit_code == 1 and error.startswith(f"Error: {locked / name}: "), error
        assert error.endswith(("Permission denied\n", "Read-only file system\n")), error
    done = runner.invoke(app, ["extract", str(article), "-f", "json", "-o", str(locked / "x.json")])
    error = done.stderr
    assert done.exit_code == 1 and error.startswith(f"Error: {locked / 'x.json'}: "), error
    assert error.endswith(("Permission denied\n", "Read-only file system\n")), error


# 12. Minor ones.


def test_kb_kind_is_a_choice_of_the_real_kinds(runner):
    refused = runner.invoke(app, ["kb", "--kind", "spies"])
    assert refused.exit_code == 2 and "'intelligence'" in refused.stderr and "'police'" in refused.stderr
    police = json.loads(runner.invoke(app, ["kb", "--kind", "police", "-f", "json"]).stdout)
    assert police and {a["kind"] for a in police} == {"police"}


def test_eval_labels_reach_the_pipeline(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    text = "La Coupe du monde de football se jouera au Maroc."
    spans = [{"start": 3, "end": 29, "label": "MISC"}, {"start": 43, "end": 48, "label": "LOC"}]
    gold.write_text(json.dumps({"id": "d", "text": text, "spans": spans}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold), "-f", "json", "--labels", "LOC,MISC"])
    assert json.loads(result.stdout)["labels"]["MISC"]["f1"] == 1.0


# 13-15. Text that real articles contain.


@pytest.mark.parametrize("text, person", [
    ("M.\u00a0Jean Dupont a été reçu par la DGSN.", "Jean Dupont"),  # NBSP after M., as typeset
    ("Mme\u202fKarima Alaoui a été reçue par la DGSN.", "Karima Alaoui"),
    ("M.\nDupont a parlé à Interpol.", "Dupont"),
])
def test_spans_never_start_or_end_with_whitespace(nlp, text, person):
    import entityx as library

    assert [m.text for m in library.extract(text).entities if m.label == "PER"] == [person]


def test_one_bad_byte_leaves_the_article_utf8_with_a_warning(runner, tmp_path, nlp):
    path = tmp_path / "one-bad-byte.txt"
    body = TEXT + "La DGSN reçoit le soutien d'Europol."
    path.write_bytes(body.encode()[:40] + b"\xff" + body.encode()[40:])
    result = runner.invoke(app, ["extract", str(path), "-f", "json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["encoding"] == "utf-8"
    assert f"Warning: {path}: 1 invalid bytes replaced (decoded as utf-8)" in result.stderr
    assert ("DGSN", "ma-dgsn") in [(m["text"], m["kb_id"]) for m in data["entities"]]
    batch = runner.invoke(app, ["batch", str(path), "-o", str(tmp_path / "out.jsonl"), "-q"])
    assert batch.exit_code == 0 and "1 invalid bytes replaced" in batch.stderr


CLEAN = "La Sûreté nationale et la DGSN ont arrêté à Fès un suspect recherché par Interpol, le 5 février 2024."
VARIANTS = {
    "NFD": lambda t: __import__("unicodedata").normalize("NFD", t),
    "zero-width": lambda t: t.replace("DGSN", "DG\u200bSN").replace("Interpol", "Inter\u200dpol").replace("Fès", "\u2060Fès"),
}


@pytest.mark.parametrize("variant", VARIANTS, ids=list(VARIANTS))
def test_unicode_forms_give_the_entities_of_the_clean_text(nlp, variant):
    import unicodedata

    import entityx as library

    text = VARIANTS[variant](CLEAN)
    assert text != CLEAN

    def seen(doc):
        same = lambda s: unicodedata.normalize("NFC", s).translate({0x200B: None, 0x200D: None, 0x2060: None})
        return [(same(m.text), m.label, m.kb_id, m.norm) for m in doc.entities]

    got, want = library.extract(text), library.extract(CLEAN)
    assert seen(got) == seen(want) and ("DGSN", "ORG", "ma-dgsn", None) in seen(got)
    assert all(text[m.start : m.end] == m.text for m in got.entities)  # offsets into the original
    assert [g.name for g in got.groups] == [g.name for g in want.groups]

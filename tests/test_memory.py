"""A very large single file: what is held while it is read does not grow with its mentions.

Grouping keeps one bucket per distinct entity, and the mentions wait in a temporary file
past a few thousand; these tests prove both with real objects in seconds (bench/large_file.py
measures the whole command on 5-50 MB files).
"""

from __future__ import annotations

import io
import tracemalloc

from conftest import SEED_TEXT

import entityx
from entityx import spool
from entityx.grouping import Grouper
from entityx.model import Mention
from entityx.writers import write_json

NAMES = [("PER", f"Karim Alaoui{i}") for i in range(40)] + [("ORG", f"Direction {i}") for i in range(40)]


def feed(count: int, held: int) -> tuple[int, Grouper, spool.Spool]:
    """Peak bytes allocated while ``count`` mentions of 80 entities go through a grouper and
    a spool, as extract does; each mention is made as it is fed, as the model makes them."""
    text = "x" * (count * 20)
    tracemalloc.start()
    grouper, kept = Grouper(text), spool.Spool(held=held)
    for i in range(count):
        label, name = NAMES[i % len(NAMES)]
        m = Mention(text=name, label=label, start=i * 20, end=i * 20 + len(name), origin="model")
        kept.add(m, grouper.add(m))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, grouper, kept


def test_memory_does_not_grow_with_the_number_of_mentions():
    small, _, _ = feed(6_000, held=500)
    large, _, _ = feed(24_000, held=500)
    # Held mentions would make the peak four times larger; a spooled document's stays flat.
    assert large < 1.3 * small, (small, large)


def test_spooled_mentions_come_back_in_order_with_their_groups():
    _, grouper, kept = feed(12_345, held=1_000)
    groups, ids = grouper.finish()
    mentions = kept.mentions(ids)
    assert isinstance(mentions, spool.SpooledMentions) and len(mentions) == 12_345
    for _ in range(2):  # every pass reads the whole file again
        starts = [m.start for m in mentions]
        assert starts == [i * 20 for i in range(12_345)]
    assert {m.group for m in mentions} == {g.id for g in groups}
    assert sum(g.mentions for g in groups) == 12_345
    assert mentions[-1].start == 12_344 * 20 and mentions[3].text == NAMES[3][1]


def test_spooled_document_writes_the_same_json(monkeypatch):
    text = SEED_TEXT.read_text(encoding="utf-8")
    held = entityx.extract(text)
    monkeypatch.setattr(spool, "HELD", 5)  # the reference article's mentions go to the file
    spooled = entityx.extract(text)
    assert isinstance(spooled.entities, spool.SpooledMentions) and isinstance(held.entities, list)
    outputs = []
    for doc in (held, spooled):
        out = io.StringIO()
        write_json(doc, out, indent=2)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert [m.to_dict() for m in spooled.entities] == [m.to_dict() for m in held.entities]


def test_short_texts_share_a_batch_and_a_long_texts_pieces_go_alone():
    """Many short articles make one NER batch (its loop steps once a token for the batch);
    a text cut in pieces holds one piece in the model at a time."""
    from entityx import core
    from entityx.textview import View

    def piece(whole: str, part: str):
        return None, (0, 0, entityx.Text(whole), (None, None), View(part))

    short = [piece("La DGSN à Rabat.", "La DGSN à Rabat.")] * 5
    long_text = "x" * (core.CHUNK * 2)
    cut = [piece(long_text, long_text[: core.CHUNK]), piece(long_text, long_text[core.CHUNK :])]
    sizes = [len(b) for b in core._batches(iter([*short, *cut, *short]), 32)]
    assert sizes == [5, 1, 1, 5]

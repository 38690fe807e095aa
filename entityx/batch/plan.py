"""Planning a resume: which inputs the output already holds, which records no input claims.

A document is kept when the output holds one with the same source (path or JSONL id) and
content hash; each record is matched to at most one input. A changed input is redone and its
old record is stale, so the result has the same documents as an uninterrupted run.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from entityx.batch.inputs import Item, fingerprint
from entityx.sinks import Record

Key = tuple[str, "str | None"]


@dataclass
class Plan:
    """What a run does with the inputs and with the records already in the output."""

    keys: list[Key] | None  # (source, content hash) of every input; None on a fresh output
    inputs: int  # how many input documents there are
    kept: list[Record] = field(default_factory=list)  # records that stay, in order
    stale: list[Record] = field(default_factory=list)  # records no input claims any more
    missing: list[Record] = field(default_factory=list)  # stale ones whose source is gone

    @property
    def todo(self) -> int:
        return self.inputs - len(self.kept)


def make_plan(items: Iterable[Item], records: list[Record], inputs: int) -> Plan:
    """Match the output's ``records`` to the ``inputs`` input documents (one pass over
    ``items`` when there are records). A stale record whose source is no input at all is
    ``missing``: dropping it would lose a document, not replace it."""
    if not records:
        return Plan(None, inputs)
    keys = [(item.source, fingerprint(item)) for item in items]
    wanted, matched, plan = Counter(keys), Counter(), Plan(keys, len(keys))
    for record in records:
        key = (record.source, record.content_hash)
        if wanted[key] > matched[key]:
            matched[key] += 1
            plan.kept.append(record)
        else:
            plan.stale.append(record)
    sources = {source for source, _ in keys}
    plan.missing = [record for record in plan.stale if record.source not in sources]
    return plan


def pending(items: Iterable[Item], plan: Plan) -> Iterator[Item]:
    """The inputs still to do, in order: those whose key no kept record holds."""
    if plan.keys is None:
        yield from items
        return
    left = Counter((r.source, r.content_hash) for r in plan.kept)
    for item, key in zip(items, plan.keys):
        if left[key]:
            left[key] -= 1
        else:
            yield item


def in_input_order(plan: Plan, records: list[Record]) -> list[Record]:
    """``records`` (kept ones and this run's) in the order of the inputs they hold, as an
    uninterrupted run writes them: a redone input goes back to its place, not to the end. A
    record no input claims (a file changed while it was read) stays, after the others."""
    if plan.keys is None:
        return records
    by_key: dict[Key, deque] = defaultdict(deque)
    for record in records:
        by_key[(record.source, record.content_hash)].append(record)
    ordered = [by_key[key].popleft() for key in plan.keys if by_key.get(key)]
    return ordered + [record for left in by_key.values() for record in left]

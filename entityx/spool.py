"""A document's mentions, kept in memory while few and in a temporary file past that.

Grouping gives every mention its group id only once the whole document is read, so the
mentions of a very large single file (a million of them for 50 MB) must wait somewhere until
then: here, on disk, in blocks, read back one block at a time as they are written out. An
ordinary article never reaches the file: its mentions come back as a plain list.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator, Sequence

from entityx.model import Mention

HELD = 20_000  # mentions held in memory before they go to the file
BLOCK = 4_096  # mentions a pickled block holds

FIELDS = tuple(Mention.__dataclass_fields__)  # every field, in order: the group id is set on reading


class Spool:
    """Mentions added in order with their bucket number; :meth:`mentions` gives them back
    with their group ids set."""

    def __init__(self, held: int | None = None) -> None:
        self.held = HELD if held is None else held
        self.memory: list[tuple[Mention, int]] = []
        self.file = None
        self.count = 0

    def add(self, m: Mention, bucket: int) -> None:
        self.memory.append((m, bucket))
        self.count += 1
        if self.file is not None and len(self.memory) >= BLOCK:
            self._spill()
        elif self.file is None and len(self.memory) > self.held:
            self.file = tempfile.TemporaryFile(prefix="entityx-mentions-")  # noqa: SIM115 (closed with the sequence)
            self._spill()

    def _spill(self) -> None:
        rows = [(*(getattr(m, f) for f in FIELDS), bucket) for m, bucket in self.memory]
        pickle.dump(rows, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.memory.clear()

    def mentions(self, ids: list[str]) -> list[Mention] | SpooledMentions:
        """The mentions, each with the group id of its bucket (``ids[bucket]``): a list when
        they all stayed in memory, else a sequence read back from the file on each pass."""
        if self.file is None:
            for m, bucket in self.memory:
                m.group = ids[bucket]
            return [m for m, _ in self.memory]
        if self.memory:
            self._spill()
        self.file.flush()
        spooled, self.file = SpooledMentions(self.file, self.count, ids), None
        return spooled


class SpooledMentions(Sequence):
    """The mentions of a very large document, read from their temporary file, in order,
    each time they are walked; the file goes when the sequence does."""

    def __init__(self, file, count: int, ids: list[str]) -> None:
        self.file, self.count, self.ids = file, count, ids

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Mention]:
        position = 0
        while True:
            self.file.seek(position)  # another pass may have moved the file meanwhile
            try:
                rows = pickle.load(self.file)
            except EOFError:
                return
            position = self.file.tell()
            for *values, bucket in rows:
                m = Mention(*values)
                m.group = self.ids[bucket]
                yield m

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError(index)
        for i, m in enumerate(self):
            if i == index:
                return m
        raise IndexError(index)

    def close(self) -> None:
        self.file.close()

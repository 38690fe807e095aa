"""``to_disk``/``from_disk`` for the components built from entityx's JSON data files.

A saved pipeline carries the knowledge it was built with, beside the model (as spaCy's
``entity_ruler`` writes ``patterns.jsonl``): ``lexicon.json`` and ``geography.json`` in the
component's folder, validated again on load like the packaged files.
"""

from __future__ import annotations

import json
from pathlib import Path

from entityx.knowledge import (
    KnowledgeError,
    geography,
    lexicon,
    parse_geography,
    parse_lexicon,
    prepare_geography,
    prepare_lexicon,
    raw_data,
)

PREPARE = {
    "lexicon.json": lambda raw, name: prepare_lexicon(parse_lexicon(raw, name)),
    "geography.json": lambda raw, name: prepare_geography(parse_geography(raw, name)),
}
PACKAGED = {"lexicon.json": lexicon, "geography.json": geography}


class DataComponent:
    """A component whose ``setup(lexicon, geography, …)`` builds it from prepared data, one
    argument for each of its ``files``, in order."""

    files: tuple[str, ...] = ("lexicon.json", "geography.json")

    def setup(self, words: dict, geo: dict) -> None:
        raise NotImplementedError

    def setup_packaged(self, paths: dict[str, str | None] | None = None) -> None:
        """Build from the packaged data, or from the files a config names instead."""
        paths = {name: path for name, path in (paths or {}).items() if path}
        if not paths:
            self.raw = {name: raw_data(name) for name in self.files}
            self.setup(*(PACKAGED[name]() for name in self.files))
            return
        raw = {name: raw_data(name) for name in self.files if name not in paths}
        raw |= {name: _read_json(Path(path)) for name, path in paths.items()}
        self._setup_raw(raw, {name: paths.get(name, name) for name in self.files})

    def _setup_raw(self, raw: dict, where: dict[str, str]) -> None:
        self.raw = raw
        prepared = {name: PREPARE[name](raw[name], str(where[name])) for name in self.files}
        self.setup(*(prepared[name] for name in self.files))

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, raw in self.raw.items():
            (path / name).write_text(json.dumps(raw, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def from_disk(self, path, exclude=()):
        files = {name: Path(path) / name for name in self.files}
        self._setup_raw({name: _read_json(file) for name, file in files.items()}, files)
        return self


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None

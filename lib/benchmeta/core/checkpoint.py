"""Append-only JSON-lines checkpoints, so a collection killed at any moment resumes cleanly.

Each completed item is one line ``{"key", "status", "retrieved_at", "data"}`` written with a
single ``write`` on an ``O_APPEND`` descriptor followed by ``fsync``. A line cut short by a kill
(no trailing newline, or not valid JSON) can only be the last one: it is dropped with a warning
and the file is truncated back to the last complete line before anything is appended. A key
already present is never written again, so a resumed run neither loses nor duplicates items.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError

log = logging.getLogger(__name__)

OK = "ok"
NOT_FOUND = "not_found"
ERROR = "error"


class Checkpoint:
    """One collection's checkpoint file. ``key in cp`` says whether an item is done."""

    def __init__(self, path: Path | str, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._rows: dict[str, dict[str, Any]] = {}
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        raw = self.path.read_bytes()
        good_end = 0
        lines = raw.split(b"\n")
        for i, line in enumerate(lines):
            last = i == len(lines) - 1
            if last and line == b"":
                break
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or "key" not in row:
                    raise ValueError("not a checkpoint row")
            except ValueError:
                if last or all(rest == b"" for rest in lines[i + 1 :]):
                    log.warning(
                        "%s: dropping a truncated last line (%d bytes) from an interrupted run",
                        self.path.name,
                        len(line),
                    )
                    break
                raise InputError(
                    self.path,
                    i + 1,
                    "corrupt checkpoint line",
                    line[:80].decode("utf-8", "replace"),
                ) from None
            if last:  # valid JSON but no newline: written whole, keep it and add the newline
                good_end = len(raw)
                self._keep(row)
                with open(self.path, "ab") as fh:
                    fh.write(b"\n")
                    fh.flush()
                    os.fsync(fh.fileno())
                return
            good_end += len(line) + 1
            self._keep(row)
        if good_end < len(raw):
            with open(self.path, "r+b") as fh:
                fh.truncate(good_end)
                fh.flush()
                os.fsync(fh.fileno())

    def _keep(self, row: dict[str, Any]) -> None:
        key = str(row["key"])
        if key in self._rows:
            log.warning("%s: key %r appears twice; keeping the first", self.path.name, key)
            return
        self._rows[key] = row

    def __contains__(self, key: object) -> bool:
        return str(key) in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(list(self._rows.values()))

    def get(self, key: str) -> dict[str, Any] | None:
        return self._rows.get(str(key))

    def add(self, key: str, data: Any, status: str = OK) -> bool:
        """Record ``key`` as done with ``data``; returns False (and writes nothing) if it was."""
        key = str(key)
        if key in self._rows:
            return False
        when = dt.datetime.fromtimestamp(self.clock(), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        row = {"key": key, "status": status, "retrieved_at": when, "data": data}
        line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, line)
            if written != len(line):  # pragma: no cover - regular files write whole
                raise OSError(f"short write to {self.path.name}")
            os.fsync(fd)
        finally:
            os.close(fd)
        self._rows[key] = row
        return True

    def todo(self, keys: list[str]) -> list[str]:
        """``keys`` not yet done, in order, without duplicates."""
        seen: set[str] = set()
        out = []
        for k in map(str, keys):
            if k not in self._rows and k not in seen:
                seen.add(k)
                out.append(k)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per item: ``key``, ``status``, ``retrieved_at`` and the item's fields
        (``data`` flattened one level when it is a dict)."""
        return load_frame(self.path)


def load_frame(path: Path | str) -> pd.DataFrame:
    """A checkpoint file as a DataFrame (empty with ``key``/``status`` if the file is missing)."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=["key", "status"])
    rows = []
    for row in Checkpoint(path):
        data = row.get("data")
        flat = dict(data) if isinstance(data, dict) else {"data": data}
        rows.append(
            {
                "key": row["key"],
                "status": row["status"],
                "retrieved_at": row.get("retrieved_at"),
                **flat,
            }
        )
    return pd.DataFrame(rows) if rows else pd.DataFrame(columns=["key", "status"])

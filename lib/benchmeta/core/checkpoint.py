"""Append-only JSON-lines checkpoints, so a collection killed at any moment resumes cleanly.

Each completed item is one line ``{"key", "status", "retrieved_at", "data"}`` written with a
single ``write`` on an ``O_APPEND`` descriptor followed by ``fsync``. A key already present is
never written again, so a resumed run neither loses nor duplicates items.

``Checkpoint(path)`` only reads: a last line without its newline (a kill mid-write, or a writer
that is still writing) is ignored, and the file is never changed. ``Checkpoint.writer(path)`` is
the one writer: it holds an exclusive lock (``flock``) on the file for as long as it is open, so a
second collector on the same file waits up to ``wait`` seconds and then fails with
``CheckpointBusy``; only the writer, under the lock, truncates a cut-short last line.
"""

from __future__ import annotations

import datetime as dt
import fcntl
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


class CheckpointBusy(RuntimeError):
    """Another process holds the writer lock of a checkpoint."""


def _row(line: bytes) -> dict[str, Any] | None:
    """``line`` as a checkpoint row (a JSON object cut short is never valid JSON), or None."""
    try:
        row = json.loads(line) if line else None
    except ValueError:
        return None
    return row if isinstance(row, dict) and "key" in row else None


def _parse(path: Path, raw: bytes) -> tuple[list[dict[str, Any]], int]:
    """The complete rows of ``raw`` and the byte length they span (a cut last line excluded)."""
    rows, good_end = [], 0
    lines = raw.split(b"\n")
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        if last:  # no newline after it: empty, whole but unterminated, or cut short
            whole = _row(line)
            if whole is not None:
                rows.append(whole)
            elif line:
                log.info("%s: ignoring an unfinished last line (%d bytes)", path.name, len(line))
            break
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or "key" not in row:
                raise ValueError("not a checkpoint row")
        except ValueError:
            raise InputError(
                path, i + 1, "corrupt checkpoint line", line[:80].decode("utf-8", "replace")
            ) from None
        rows.append(row)
        good_end += len(line) + 1
    return rows, good_end


def _read_fd(fd: int) -> bytes:
    """The whole file behind ``fd`` (the locked one, not whatever the path names now)."""
    parts, offset = [], 0
    while chunk := os.pread(fd, 1 << 24, offset):
        parts.append(chunk)
        offset += len(chunk)
    return b"".join(parts)


def _lock(path: Path, until: float) -> int:
    """An open descriptor of ``path`` holding its exclusive lock. A file removed or replaced by
    the previous holder while we waited is opened again, so no row goes to an unlinked file."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= until:
                raise CheckpointBusy(
                    f"{path.name} is being written by another running collector; wait for it "
                    "to finish (or stop it) and run again"
                ) from None
            time.sleep(0.2)
            continue
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


class Checkpoint:
    """One collection's checkpoint file. ``key in cp`` says whether an item is done."""

    def __init__(self, path: Path | str, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.clock = clock
        self._rows: dict[str, dict[str, Any]] = {}
        self._fd: int | None = None
        if self.path.exists():
            self._take(_parse(self.path, self.path.read_bytes())[0])

    @classmethod
    def writer(
        cls, path: Path | str, *, wait: float = 0.0, clock: Callable[[], float] = time.time
    ) -> Checkpoint:
        """The locked writer of ``path``; raises ``CheckpointBusy`` after ``wait`` seconds."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = _lock(path, time.monotonic() + wait)
        cp = cls.__new__(cls)
        cp.path, cp.clock, cp._rows, cp._fd = path, clock, {}, fd
        raw = _read_fd(fd)
        rows, good_end = _parse(path, raw)
        if good_end < len(raw) and _row(raw[good_end:]) is not None:
            os.write(fd, b"\n")  # a whole row written without its newline: finish it
            os.fsync(fd)
        elif good_end < len(raw):
            log.warning(
                "%s: dropping a truncated last line (%d bytes) from an interrupted run",
                path.name,
                len(raw) - good_end,
            )
            os.ftruncate(fd, good_end)
            os.fsync(fd)
        cp._take(rows)
        return cp

    def _take(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            key = str(row["key"])
            if key in self._rows:
                log.warning("%s: key %r appears twice; keeping the first", self.path.name, key)
                continue
            self._rows[key] = row

    def close(self) -> None:
        """Release the writer lock (a reader has nothing to release); a writer that wrote
        nothing into a file it found empty removes it, so no empty checkpoint is left behind."""
        if self._fd is not None:
            if os.fstat(self._fd).st_size == 0:
                self.path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Checkpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

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
        if self._fd is None:
            raise RuntimeError(f"{self.path.name} was opened read-only (use Checkpoint.writer)")
        key = str(key)
        if key in self._rows:
            return False
        when = dt.datetime.fromtimestamp(self.clock(), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        row = {"key": key, "status": status, "retrieved_at": when, "data": data}
        line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
        written = os.write(self._fd, line)
        if written != len(line):  # pragma: no cover - regular files write whole
            raise OSError(f"short write to {self.path.name}")
        os.fsync(self._fd)
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
        return _frame(self)


def _frame(cp: Checkpoint) -> pd.DataFrame:
    rows = []
    for row in cp:
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


def load_frame(path: Path | str) -> pd.DataFrame:
    """A checkpoint file as a DataFrame (empty with ``key``/``status`` if the file is missing);
    reads only, never changes the file."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=["key", "status"])
    return _frame(Checkpoint(path))

"""Write files whole or not at all: a temporary file in the same folder, then ``os.replace``."""

from __future__ import annotations

import contextlib
import os
import tempfile

try:
    import fcntl
except ImportError:  # Windows: notebooks run one at a time there
    fcntl = None  # type: ignore[assignment]
from collections.abc import Iterator
from pathlib import Path

import pandas as pd


@contextlib.contextmanager
def atomic_path(path: Path | str, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_bytes(path: Path | str, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: Path | str, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_csv(path: Path | str, df: pd.DataFrame, float_format: str | None = None) -> Path:
    """CSV with ``\\n`` line ends, no index; floats as pandas prints them, or ``float_format``."""
    return write_text(path, df.to_csv(index=False, lineterminator="\n", float_format=float_format))


@contextlib.contextmanager
def locked(folder: Path | str) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (``flock`` on the directory itself, so no lock file
    is left in the tree): read-modify-write of a shared file by notebooks running side by side."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock

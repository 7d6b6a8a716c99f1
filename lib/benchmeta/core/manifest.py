"""Provenance of every raw file: ``data_raw/MANIFEST.csv`` and its sha256 checks."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from . import atomic
from .errors import InputError, csv_line
from .paths import DATA_RAW

COLUMNS = ["path", "source", "url", "retrieved_at", "sha256", "licence", "collector", "attribution"]


@dataclass(frozen=True)
class Entry:
    """One MANIFEST row. ``path`` is relative to ``data_raw/``."""

    path: str
    source: str
    url: str
    retrieved_at: str
    sha256: str
    licence: str
    collector: str
    attribution: str = ""


def sha256_file(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """The MANIFEST as a DataFrame (empty with the right columns if there is none yet)."""
    path = data_raw / "MANIFEST.csv"
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(path, 1, f"MANIFEST lacks columns {missing}", list(df.columns))
    dup = df["path"].duplicated()
    if dup.any():
        i = int(dup.idxmax())
        raise InputError(path, csv_line(i), "path listed twice", df.at[i, "path"])
    return df[COLUMNS]


def record(entries: list[Entry], data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Add or replace rows (keyed by path), recomputing each sha256 from the file on disk."""
    df = read(data_raw)
    rows = []
    for e in entries:
        f = data_raw / e.path
        if not f.is_file():
            raise InputError(f, None, "no such file to record: put it under data_raw/ first")
        rows.append({**asdict(e), "sha256": sha256_file(f)})
    new = pd.DataFrame(rows, columns=COLUMNS)
    df = pd.concat([df[~df["path"].isin(new["path"])], new], ignore_index=True)
    df = df.sort_values("path", kind="stable").reset_index(drop=True)
    atomic.write_csv(data_raw / "MANIFEST.csv", df)
    return df


def verify(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Check every raw file against its sha256, and that no raw file is unlisted.

    Returns the MANIFEST; raises ``InputError`` naming the first bad row.
    """
    df = read(data_raw)
    manifest_path = data_raw / "MANIFEST.csv"
    for i, row in df.iterrows():
        f = data_raw / row["path"]
        if not f.is_file():
            raise InputError(manifest_path, csv_line(i), "listed file is missing", row["path"])
        got = sha256_file(f)
        if got != row["sha256"]:
            raise InputError(
                manifest_path,
                csv_line(i),
                f"sha256 mismatch for {row['path']}: file has {got}",
                row["sha256"],
            )
    listed = set(df["path"])
    on_disk = {
        p.relative_to(data_raw).as_posix()
        for p in data_raw.rglob("*")
        if p.is_file()
        and p.name not in {"MANIFEST.csv", "README.md"}
        and not p.name.startswith(".")
    }
    unlisted = sorted(on_disk - listed)
    if unlisted:
        raise InputError(manifest_path, None, "raw files without a MANIFEST row", unlisted[:5])
    return df

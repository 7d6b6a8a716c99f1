"""The tidy leaderboard schema: its columns and key, validation and normalisation.

One row per source, version, model, benchmark, metric:

    source, version, model_id, model_name, provider, benchmark, metric, score,
    scale_min, scale_max, higher_is_safer, n_items, retrieved_at, url

Validation and normalisation happen here and only here: a row with an unknown direction, an
out-of-range score, a duplicate key or an unknown model raises ``InputError`` naming the file,
line and value.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import InputError
from ..core.paths import DATA_RAW

COLUMNS = [
    "source",
    "version",
    "model_id",
    "model_name",
    "provider",
    "benchmark",
    "metric",
    "score",
    "scale_min",
    "scale_max",
    "higher_is_safer",
    "n_items",
    "retrieved_at",
    "url",
]
KEY = ["source", "version", "model_id", "benchmark", "metric"]
# Row provenance carried through import so errors can name the original file and line.
ORIGIN = ["_file", "_line"]
# Optional: ``released``, the date a version (regime) was first published. Versions of one source
# are ordered by it where given, else by dotted version number (``version_key``).
OPTIONAL = ["released"]


def read_tidy_csv(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """A user-added leaderboard already in the tidy schema."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(
            path,
            1,
            f"not in the tidy leaderboard schema; missing columns {missing}",
            list(df.columns),
        )
    df = df[COLUMNS + [c for c in OPTIONAL if c in df.columns]].copy()
    df["_file"] = path.relative_to(data_raw).as_posix()
    df["_line"] = df.index + 2
    return df


def _bool(value: object) -> object:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    text = str(value).strip().lower()
    return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(
        text, None
    )


def validate(
    df: pd.DataFrame, model_table: pd.DataFrame, data_raw: Path = DATA_RAW
) -> pd.DataFrame:
    """Type and check the tidy table; raise ``InputError`` naming the file, line and value."""
    df = df.copy()
    original = df.copy()  # values as read, for error messages

    def fail(i: object, message: str, value: object) -> None:
        raise InputError(data_raw / str(df.at[i, "_file"]), int(df.at[i, "_line"]), message, value)

    for col in ["source", "version", "model_id", "benchmark", "metric"]:
        empty = df[col].isna() | (df[col].astype(str).str.strip() == "")
        if empty.any():
            fail(empty.idxmax(), f"empty {col}", df.at[empty.idxmax(), col])
    hib = df["higher_is_safer"].map(_bool)
    if hib.isna().any():
        i = hib.isna().idxmax()
        fail(
            i,
            "unknown direction: higher_is_safer must be true or false",
            df.at[i, "higher_is_safer"],
        )
    df["higher_is_safer"] = hib.astype(bool)
    for col in ["score", "scale_min", "scale_max"]:
        num = pd.to_numeric(df[col], errors="coerce")
        if num.isna().any():
            i = num.isna().idxmax()
            fail(i, f"{col} is not a number", df.at[i, col])
        df[col] = num.astype(float)
    bad = df["scale_min"] >= df["scale_max"]
    if bad.any():
        i = bad.idxmax()
        fail(i, "scale_min must be below scale_max", (df.at[i, "scale_min"], df.at[i, "scale_max"]))
    out = (df["score"] < df["scale_min"]) | (df["score"] > df["scale_max"])
    if out.any():
        i = out.idxmax()
        fail(
            i,
            f"score outside [{df.at[i, 'scale_min']}, {df.at[i, 'scale_max']}]",
            original.at[i, "score"],
        )
    text = df["n_items"].astype(str).str.strip()
    blank = text.isin(["", "nan", "<NA>", "None"])
    n = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = (~blank & n.isna()) | (n.notna() & ((n <= 0) | (n % 1 != 0)))
    if bad.any():
        i = bad.idxmax()
        fail(i, "n_items must be empty or a positive whole number", df.at[i, "n_items"])
    df["n_items"] = n.astype("Int64")
    if "released" in df.columns:
        text = df["released"].fillna("").astype(str).str.strip()
        when = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
        bad = when.isna() & (text != "")
        if bad.any():
            fail(bad.idxmax(), "released is not a YYYY-MM-DD date", df.at[bad.idxmax(), "released"])
        df["released"] = when
    dup = df.duplicated(KEY, keep="first")
    if dup.any():
        i = dup.idxmax()
        fail(i, f"duplicate key {KEY}", tuple(df.loc[i, KEY]))
    known = df["model_id"].isin(model_table["model_id"])
    if not known.all():
        i = (~known).idxmax()
        fail(i, "unknown model_id: add it to data_raw/models/registry.csv", df.at[i, "model_id"])
    return df


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``safety``: the score mapped to [0, 1] with 1 the safest end of the scale.

    This is the one place where scale and direction are handled.
    """
    df = df.copy()
    frac = (df["score"] - df["scale_min"]) / (df["scale_max"] - df["scale_min"])
    df["safety"] = np.where(df["higher_is_safer"], frac, 1.0 - frac)
    return df


def version_key(version: str) -> tuple:
    """Dotted-number order of a version string (``v1.17.0`` > ``v1.5.0``); non-numeric parts
    rank lowest. Used when a source gives no release date for its versions."""
    parts = str(version).lstrip("v").split(".")
    return tuple(int(p) if p.isdigit() else -1 for p in parts)

"""The tidy leaderboard schema: its columns and key, validation and normalisation.

One row per source, version, model, benchmark, metric:

    source, version, model_id, model_name, provider, benchmark, metric, score,
    scale_min, scale_max, higher_is_safer, n_items, retrieved_at, url

Validation and normalisation happen here and only here: a row with an unknown direction, an
out-of-range score, a duplicate key or an unknown model raises ``InputError`` naming the file,
line and value.
"""

from __future__ import annotations

import csv
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
    """A user-added leaderboard already in the tidy schema (UTF-8, a header and at least one row;
    anything else is an ``InputError`` naming the file)."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(path, None, "not UTF-8 text; save the board as UTF-8", str(err)) from err
    except pd.errors.EmptyDataError as err:
        raise InputError(path, None, "empty file: no header and no rows") from err
    except pd.errors.ParserError as err:
        raise InputError(path, None, "not a readable CSV (an unclosed quote?)", str(err)) from err
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(
            path,
            1,
            f"not in the tidy leaderboard schema; missing columns {missing}",
            list(df.columns),
        )
    if df.empty:
        raise InputError(path, 1, "header only: the board has no rows")
    df = df[COLUMNS + [c for c in OPTIONAL if c in df.columns]].copy()
    df["_file"] = path.relative_to(data_raw).as_posix()
    df["_line"] = _row_lines(path, len(df))
    return df


def _row_lines(path: Path, n_rows: int) -> list[int]:
    """The physical line on which each data row starts (a quoted field may span lines; blank
    lines are skipped as pandas skips them); falls back to ``index + 2``."""
    starts = []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        prev = reader.line_num
        for row in reader:
            if any(cell.strip() for cell in row):
                starts.append(prev + 1)
            prev = reader.line_num
    return starts if len(starts) == n_rows else list(range(2, n_rows + 2))


def _bool(value: object) -> object:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    text = str(value).strip().lower()
    return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(
        text, None
    )


def _fail(df: pd.DataFrame, bad: pd.Series, message: str, values: pd.Series, data_raw: Path):
    """Raise for the first bad row, listing the other bad lines of the same file too."""
    if not bad.any():
        return
    i = bad.idxmax()
    file = df.at[i, "_file"]
    same = df.index[bad & (df["_file"] == file)]
    others = [int(df.at[j, "_line"]) for j in same if j != i]
    if others:
        shown = ", ".join(map(str, others[:20])) + (" ..." if len(others) > 20 else "")
        message += f" (also lines {shown})"
    raise InputError(data_raw / str(file), int(df.at[i, "_line"]), message, values.at[i])


def _numbers(df: pd.DataFrame, data_raw: Path) -> None:
    """score, scale_min, scale_max: finite numbers, a proper scale, the score inside it."""
    for col in ["score", "scale_min", "scale_max"]:
        num = pd.to_numeric(df[col], errors="coerce")
        _fail(df, num.isna(), f"{col} is not a number", df[col], data_raw)
        _fail(df, ~np.isfinite(num), f"{col} is not a finite number", df[col], data_raw)
        df[col] = num.astype(float)
    scale = df["scale_min"].astype(str) + " >= " + df["scale_max"].astype(str)
    bad = df["scale_min"] >= df["scale_max"]
    _fail(df, bad, "scale_min must be below scale_max", scale, data_raw)
    out = (df["score"] < df["scale_min"]) | (df["score"] > df["scale_max"])
    if out.any():
        i = out.idxmax()
        message = f"score outside [{df.at[i, 'scale_min']}, {df.at[i, 'scale_max']}]"
        _fail(df, out, message, df["_score_as_read"], data_raw)


def _dates(df: pd.DataFrame, col: str, data_raw: Path, required: bool) -> None:
    text = df[col].fillna("").astype(str).str.strip()
    when = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
    bad = when.isna() & ((text != "") | required)
    _fail(df, bad, f"{col} is not a YYYY-MM-DD date", df[col], data_raw)
    if col == "released":
        df[col] = when


def _names_agree(df: pd.DataFrame, model_table: pd.DataFrame, data_raw: Path) -> None:
    """A model_name that the registry (display name or any alias) gives to a different model,
    and never to this one, contradicts the row's model_id."""
    from .model_table import load_aliases

    aliases = load_aliases(data_raw) if (data_raw / "models" / "aliases.csv").exists() else None
    names = pd.concat(
        [model_table[["model_id", "display_name"]].rename(columns={"display_name": "name"}),
         aliases[["model_id", "name"]] if aliases is not None else None],
    ).drop_duplicates()  # fmt: skip
    owners = names.groupby("name")["model_id"].agg(set)
    given = df["model_name"].fillna("").astype(str)
    claimed = given.map(owners)
    bad = claimed.notna() & pd.Series(
        [isinstance(c, set) and m not in c for c, m in zip(claimed, df["model_id"], strict=True)],
        index=df.index,
    )
    shown = (
        given
        + " is registered for "
        + claimed.map(lambda c: ", ".join(sorted(c)) if isinstance(c, set) else "")
    )
    _fail(df, bad, "model_name names a different model than model_id", shown, data_raw)


def validate(
    df: pd.DataFrame, model_table: pd.DataFrame, data_raw: Path = DATA_RAW
) -> pd.DataFrame:
    """Type and check the tidy table; raise ``InputError`` naming the file, the line and the
    value of the first bad row, and the other bad lines of that file."""
    df = df.copy()
    df["_score_as_read"] = df["score"]
    for col in ["source", "version", "model_id", "benchmark", "metric"]:
        empty = df[col].isna() | (df[col].astype(str).str.strip() == "")
        _fail(df, empty, f"empty {col}", df[col], data_raw)
    hib = df["higher_is_safer"].map(_bool)
    message = "unknown direction: higher_is_safer must be true or false"
    _fail(df, hib.isna(), message, df["higher_is_safer"], data_raw)
    df["higher_is_safer"] = hib.astype(bool)
    _numbers(df, data_raw)
    text = df["n_items"].astype(str).str.strip()
    blank = text.isin(["", "nan", "<NA>", "None"])
    n = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = (~blank & n.isna()) | (n.notna() & ((n <= 0) | (n % 1 != 0)))
    _fail(df, bad, "n_items must be empty or a positive whole number", df["n_items"], data_raw)
    df["n_items"] = n.astype("Int64")
    _dates(df, "retrieved_at", data_raw, required=False)
    if "released" in df.columns:
        _dates(df, "released", data_raw, required=False)
    dup = df.duplicated(KEY, keep="first")
    keys = pd.Series(list(map(tuple, df[KEY].to_numpy())), index=df.index)
    _fail(df, dup, f"duplicate key {KEY}", keys, data_raw)
    known = df["model_id"].isin(model_table["model_id"])
    message = "unknown model_id: add it to data_raw/models/registry.csv"
    _fail(df, ~known, message, df["model_id"], data_raw)
    _names_agree(df, model_table, data_raw)
    return df.drop(columns="_score_as_read")


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

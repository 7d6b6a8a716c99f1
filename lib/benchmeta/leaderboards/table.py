"""Leaderboards: import every source into one tidy table, validate it, normalise the scale.

Every CSV in ``data_raw/leaderboards/`` is either a known source file, read by the importer
registered for its name in ``sources.IMPORTERS``, or a table already in the tidy schema (how a
user adds a leaderboard). The schema, validation and normalisation live in ``schema``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.paths import DATA_RAW
from . import model_table as models
from .schema import COLUMNS, OPTIONAL, ORIGIN, normalise, read_tidy_csv, validate
from .sources import AUXILIARY, IMPORTERS


def _item_counts(data_raw: Path) -> pd.DataFrame:
    path = data_raw / "benchmarks" / "item_counts.csv"
    if not path.exists():
        return pd.DataFrame(columns=["source", "benchmark", "n_items"])
    return pd.read_csv(path)[["source", "benchmark", "n_items"]]


def load(data_raw: Path = DATA_RAW, model_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Import, validate and normalise every leaderboard under ``data_raw/leaderboards``.

    Provider comes from the model table, item counts from ``data_raw/benchmarks/item_counts.csv``
    where the source leaves them empty. Columns: the tidy schema, ``safety``, ``_file``, ``_line``.
    """
    model_table = models.build_model_table(data_raw) if model_table is None else model_table
    folder = data_raw / "leaderboards"
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    files = [p for p in files if p.name not in AUXILIARY]
    # source files first, then user-added tidy boards, so a duplicate key is blamed on the new file
    frames = [IMPORTERS[p.name](p, data_raw) for p in files if p.name in IMPORTERS]
    frames += [read_tidy_csv(p, data_raw) for p in files if p.name not in IMPORTERS]
    df = pd.concat(frames, ignore_index=True)
    for col in COLUMNS + OPTIONAL:
        if col not in df.columns:
            df[col] = pd.NA
    providers = model_table.set_index("model_id")["provider"]
    df["provider"] = df["provider"].where(
        df["provider"].notna() & (df["provider"] != ""), df["model_id"].map(providers)
    )
    df["n_items"] = df["n_items"].astype(object).where(df["n_items"].notna(), "")
    df = validate(df[COLUMNS + OPTIONAL + ORIGIN], model_table, data_raw)
    counts = _item_counts(data_raw).set_index(["source", "benchmark"])["n_items"]
    fill = pd.Series(list(zip(df["source"], df["benchmark"], strict=True)), index=df.index).map(
        counts
    )
    df["n_items"] = df["n_items"].fillna(fill.astype("Float64").round().astype("Int64"))
    return normalise(df).reset_index(drop=True)


def latest(df: pd.DataFrame) -> pd.DataFrame:
    """Only the newest version of each source (by release date where known, else dotted
    version number: see ``regimes.version_order``)."""
    from .regimes import version_order

    order = version_order(df)
    newest = order.sort_values("rank").groupby("source").tail(1).set_index("source")["version"]
    return df[df["version"] == df["source"].map(newest)].reset_index(drop=True)


def overview(df: pd.DataFrame) -> pd.DataFrame:
    """One row per source and version: models, benchmarks, rows, scale and retrieval date."""
    return (
        df.groupby(["source", "version"])
        .agg(models=("model_id", "nunique"), benchmarks=("benchmark", "nunique"),
             rows=("score", "size"), scale=("scale_max", lambda s: f"0-{s.max():g}"),
             retrieved_at=("retrieved_at", "first"))
        .reset_index()
    )  # fmt: skip


def cross_check(df: pd.DataFrame, source: str, old: str, new: str) -> pd.DataFrame:
    """Scores of the same model and benchmark in two versions of one source, side by side."""
    a = df[(df["source"] == source) & (df["version"] == old)]
    b = df[(df["source"] == source) & (df["version"] == new)]
    m = a.merge(b, on=["model_id", "benchmark", "metric"], suffixes=(f"_{old}", f"_{new}"))
    m["abs_diff"] = (m[f"score_{old}"] - m[f"score_{new}"]).abs()
    return m[["model_id", "benchmark", f"score_{old}", f"score_{new}", "abs_diff"]]

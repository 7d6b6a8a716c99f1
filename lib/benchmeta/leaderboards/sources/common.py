"""Helpers shared by the importers: MANIFEST lookup and alias resolution."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...core import manifest
from ...core.errors import InputError
from .. import model_table as models


def manifest_row(path: Path, data_raw: Path) -> dict[str, str]:
    rel = path.relative_to(data_raw).as_posix()
    df = manifest.read(data_raw)
    hit = df[df["path"] == rel]
    if hit.empty:
        raise InputError(data_raw / "MANIFEST.csv", None, "raw file has no MANIFEST row", rel)
    return hit.iloc[0].to_dict()


def resolve(
    df: pd.DataFrame, name_col: str, namespace: str, path: Path, data_raw: Path
) -> pd.Series:
    """model_id for each name through the hand-kept alias table; an unknown name is an error at
    its own line of ``path``."""
    aliases = models.load_aliases(data_raw)
    table = aliases[aliases["namespace"] == namespace].set_index("name")["model_id"]
    ids = df[name_col].map(table)
    if ids.isna().any():
        i = ids.isna().idxmax()
        models.resolve(df.loc[[i], name_col], namespace, aliases, path, int(df.at[i, "_line"]))
    return ids


UNMATCHED = "models/unmatched.csv"


def unmatched_names(namespace: str, data_raw: Path) -> set[str]:
    """Names of ``namespace`` that the collector could not match to a dated model (listed with
    the reason in ``models/unmatched.csv``; never guessed)."""
    path = data_raw / UNMATCHED
    if not path.exists():
        return set()
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return set(df.loc[df["namespace"] == namespace, "name"])


def resolve_or_unmatched(
    out: pd.DataFrame, namespace: str, path: Path, data_raw: Path, renamed: bool = False
) -> pd.DataFrame:
    """Drop rows whose name is listed as unmatched, resolve the rest (an unknown name that is not
    listed is an error at its line). With ``renamed`` (a board that renamed models between
    commits, rows in date order), two names of one model in one version keep the later row."""
    out = out[~out["model_name"].isin(unmatched_names(namespace, data_raw))].copy()
    out["model_id"] = resolve(out, "model_name", namespace, path, data_raw)
    if renamed:
        key = ["source", "version", "model_id", "benchmark", "metric"]
        out = out.drop_duplicates(key, keep="last")
    return out.reset_index(drop=True)

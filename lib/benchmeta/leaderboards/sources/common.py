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

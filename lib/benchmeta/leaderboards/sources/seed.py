"""The seed tracker's copies of DecodingTrust, Salad-Bench, Libra-Leaderboard and SafetyBench."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...core.paths import DATA_RAW
from .common import manifest_row, resolve

SEED_COMBINED = {
    "DecodingTrust Score": "DecodingTrust",
    "Salad-Bench Score": "Salad-Bench",
    "Libra-Leaderboard Score": "Libra-Leaderboard",
    "SafetyBench Score": "SafetyBench",
}


def import_seed_combined(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """DecodingTrust, Salad-Bench, Libra-Leaderboard and SafetyBench overall scores (0-100).

    Empty cells are missing scores, not zeros: they produce no row.
    """
    raw = pd.read_csv(path)
    raw["_line"] = raw.index + 2
    m = manifest_row(path, data_raw)
    long = raw.melt(
        id_vars=["model", "_line"],
        value_vars=list(SEED_COMBINED),
        var_name="col",
        value_name="score",
    )
    long = long.dropna(subset=["score"])
    out = pd.DataFrame(
        {
            "source": long["col"].map(SEED_COMBINED),
            "version": "seed copy 0eca2f2",
            "model_name": long["model"],
            "benchmark": long["col"].map(SEED_COMBINED),
            "metric": "overall score",
            "score": long["score"].astype(float),
            "scale_min": 0.0,
            "scale_max": 100.0,
            "higher_is_safer": True,
            "retrieved_at": m["retrieved_at"],
            "url": m["url"],
            "_file": path.relative_to(data_raw).as_posix(),
            "_line": long["_line"],
        }
    )
    out["model_id"] = resolve(out, "model_name", "seed_combined", path, data_raw)
    return out

"""HELM Safety: the v1.17.0 staging export and the seed tracker's hand copy of v1.5.0."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ...core.errors import InputError
from ...core.paths import DATA_RAW
from .common import manifest_row, resolve

HELM_SOURCE = "HELM Safety"
HELM_SCENARIOS = {
    "harm_bench": "HarmBench",
    "simple_safety_tests": "SimpleSafetyTests",
    "bbq": "BBQ",
    "anthropic_red_team": "Anthropic Red Team",
    "xstest": "XSTest",
}

SEED_HELM = {
    "HarmBench Score": "HarmBench",
    "SimpleSafetyTests Score": "SimpleSafetyTests",
    "BBQ Score": "BBQ",
    "Anthropic Red Team Score": "Anthropic Red Team",
    "XSTest Score": "XSTest",
}


def import_helm_staging(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """HELM Safety rows of the HELM staging export (scores x100 there; HELM's own scale is 0-1)."""
    raw = pd.read_csv(path, dtype={"score": float}, low_memory=False)
    raw["_line"] = raw.index + 2
    rows = raw[raw["source_name"] == "Stanford HELM Safety"].copy()
    unknown = rows[~rows["benchmark_id"].isin(HELM_SCENARIOS)]
    if not unknown.empty:
        i = unknown.index[0]
        raise InputError(
            path, int(raw.at[i, "_line"]), "unknown HELM Safety scenario", raw.at[i, "benchmark_id"]
        )
    m = manifest_row(path, data_raw)
    out = pd.DataFrame(
        {
            "source": HELM_SOURCE,
            "version": "v1.17.0",
            "model_name": rows["model_name"],
            "benchmark": rows["benchmark_id"].map(HELM_SCENARIOS),
            "metric": rows["metric_name"],
            "score": rows["score"] / 100.0,
            "scale_min": 0.0,
            "scale_max": 1.0,
            "higher_is_safer": True,
            "retrieved_at": m["retrieved_at"],
            "url": rows["source_url"],
            "_file": path.relative_to(data_raw).as_posix(),
            "_line": rows["_line"],
        }
    )
    out["model_id"] = resolve(out, "model_name", "helm_safety", path, data_raw)
    return out


def import_seed_helm(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """The seed project's hand copy of HELM Safety v1.5.0 (0-1 scale), kept for cross-checking."""
    raw = pd.read_csv(path)
    raw["_line"] = raw.index + 2
    m = manifest_row(path, data_raw)
    long = raw.melt(
        id_vars=["model", "_line"], value_vars=list(SEED_HELM), var_name="col", value_name="score"
    )
    long = long.dropna(subset=["score"])
    out = pd.DataFrame(
        {
            "source": HELM_SOURCE,
            "version": "v1.5.0",
            "model_name": long["model"],
            "benchmark": long["col"].map(SEED_HELM),
            "metric": np.where(
                long["col"] == "BBQ Score", "BBQ accuracy", "LM Evaluated Safety score"
            ),
            "score": long["score"].astype(float),
            "scale_min": 0.0,
            "scale_max": 1.0,
            "higher_is_safer": True,
            "retrieved_at": m["retrieved_at"],
            "url": m["url"],
            "_file": path.relative_to(data_raw).as_posix(),
            "_line": long["_line"],
        }
    )
    out["model_id"] = resolve(out, "model_name", "seed_helm_safety", path, data_raw)
    return out

"""TrustLLM (Sun et al., 2024): 16 models x 6 trustworthiness dimensions, sub-metrics with the
direction given by the arrow in each metric name. Facts only (no licence)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from ...core.errors import InputError
from ...core.paths import DATA_RAW
from .common import manifest_row, resolve_or_unmatched

SOURCE = "TrustLLM"
FACT_COLUMNS = ["dimension", "model_name", "metric", "score"]
_ASSIGN = re.compile(r"^\s*(?:const |let |var )?(\w+)\s*=\s*(\[.*?\])\s*;?\s*$", re.M | re.S)


def parse_js(text: str) -> pd.DataFrame:
    """One row per dimension, model and metric of ``leaderboard-data.js``."""
    rows = []
    for dimension, body in _ASSIGN.findall(text):
        for rec in json.loads(body):
            model = rec.pop("Model")
            rows += [(dimension, model, k, v) for k, v in rec.items() if v is not None]
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def import_trustllm(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Tidy rows for the metrics with a direction arrow and a 0-1 scale."""
    facts = pd.read_csv(path)
    missing = [c for c in FACT_COLUMNS if c not in facts.columns]
    if missing:
        raise InputError(path, 1, f"missing columns {missing}", list(facts.columns))
    facts["_line"] = facts.index + 2
    up = facts["metric"].str.contains("↑")
    down = facts["metric"].str.contains("↓")
    facts = facts[(up | down) & facts["score"].between(0, 1)]
    m = manifest_row(path, data_raw)
    out = pd.DataFrame(
        {
            "source": SOURCE,
            "version": "080221b",
            "model_name": facts["model_name"],
            "benchmark": "TrustLLM " + facts["dimension"],
            "metric": facts["metric"].str.replace(r"\s*\([↑↓]\)", "", regex=True),
            "score": facts["score"].astype(float),
            "scale_min": 0.0,
            "scale_max": 1.0,
            "higher_is_safer": facts["metric"].str.contains("↑"),
            "retrieved_at": m["retrieved_at"],
            "url": m["url"],
            "_file": path.relative_to(data_raw).as_posix(),
            "_line": facts["_line"],
        }
    )
    return resolve_or_unmatched(out, "trustllm", path, data_raw)

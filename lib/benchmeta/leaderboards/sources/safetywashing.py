"""Safetywashing (Ren et al., 2024): safety columns and capability covariates (chat models)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...core.errors import InputError
from ...core.paths import DATA_RAW
from .common import manifest_row, resolve

# Safetywashing chat-model columns used as safety scores: column -> (benchmark, metric, scale max).
# Directions come from the arrows in safetywashing_benchmarks_info.csv, not from this table.
SAFETYWASHING_SAFETY = {
    "HarmBench-DirectRequest-all": ("HarmBench", "attack failure rate, DirectRequest", 100.0),
    "HarmBench-HumanJailbreaks-all": ("HarmBench", "attack failure rate, HumanJailbreaks", 100.0),
    "HarmBench-TAP-T-all": ("HarmBench", "attack failure rate, TAP-T", 100.0),
    "HarmBench-GCG-T-all": ("HarmBench", "attack failure rate, GCG-T", 100.0),
    "bbq": ("BBQ", "accuracy", 1.0),
    "safety_bench": ("SafetyBench", "accuracy", 1.0),
    "cyberseceval2_prompt_injection": (
        "CyberSecEval2 prompt injection",
        "attack failure rate",
        1.0,
    ),
    "truthfulqa_mc1": ("TruthfulQA", "MC1 accuracy", 1.0),
    "halueval": ("HaluEval", "accuracy", 1.0),
    "beavertails": ("BeaverTails", "accuracy", 1.0),
}
# Capability covariates of the Safetywashing table (not safety scores).
SAFETYWASHING_CAPABILITY = {
    "mmlu": "MMLU accuracy",
    "gsm8k": "GSM8K accuracy",
    "bbh": "BBH accuracy",
    "arc_challenge": "ARC-Challenge accuracy",
    "MT_Bench": "MT-Bench score",
    "LMSYS_Chatbot_Arena": "Chatbot Arena Elo",
    "FLOP": "training compute (FLOP)",
    "model_size": "parameters",
}


def _safetywashing_directions(data_raw: Path) -> dict[str, bool]:
    """Column -> higher_is_better, read from the arrows in the Safetywashing info table."""
    path = data_raw / "leaderboards" / "safetywashing_benchmarks_info.csv"
    info = pd.read_csv(path)
    out = {}
    for _, r in info.iterrows():
        metric = str(r["metric"])
        if "↑" in metric:
            out[r["benchmark"]] = True
        elif "↓" in metric:
            out[r["benchmark"]] = False
    return out


def import_safetywashing_chat(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Safety columns of Safetywashing's chat-model table (see ``SAFETYWASHING_SAFETY``)."""
    raw = pd.read_csv(path)
    raw["_line"] = raw.index + 2
    m = manifest_row(path, data_raw)
    directions = _safetywashing_directions(data_raw)
    frames = []
    for col, (benchmark, metric, top) in SAFETYWASHING_SAFETY.items():
        if col not in raw.columns:
            raise InputError(path, 1, "expected Safetywashing column is missing", col)
        sub = raw[["model", "_line", col]].dropna(subset=[col])
        frames.append(
            pd.DataFrame(
                {
                    "source": "Safetywashing",
                    "version": "bee302c",
                    "model_name": sub["model"],
                    "benchmark": benchmark,
                    "metric": metric,
                    "score": sub[col].astype(float),
                    "scale_min": 0.0,
                    "scale_max": top,
                    "higher_is_safer": directions.get(col, pd.NA),
                    "retrieved_at": m["retrieved_at"],
                    "url": m["url"],
                    "_file": path.relative_to(data_raw).as_posix(),
                    "_line": sub["_line"],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["model_id"] = resolve(out, "model_name", "safetywashing", path, data_raw)
    return out


def safetywashing_capabilities(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Capability covariates of the Safetywashing chat models, long form:
    ``model_id, covariate, label, value``."""
    path = data_raw / "leaderboards" / "safetywashing_benchmarks_chat_models.csv"
    raw = pd.read_csv(path)
    raw["_line"] = raw.index + 2
    raw["model_id"] = resolve(raw, "model", "safetywashing", path, data_raw)
    long = raw.melt(
        id_vars=["model_id"],
        value_vars=list(SAFETYWASHING_CAPABILITY),
        var_name="covariate",
        value_name="value",
    ).dropna(subset=["value"])
    long["label"] = long["covariate"].map(SAFETYWASHING_CAPABILITY)
    return long[["model_id", "covariate", "label", "value"]].reset_index(drop=True)

"""Claims vs measured: a vendor's self-reported score next to an independent score of the same
model on the same benchmark; and whether the top models of a board can be told apart."""

from __future__ import annotations

import pandas as pd

from .. import stats
from .sources import llmstats

GROUP = ["source", "version", "benchmark", "metric"]
SEPARABILITY = [*GROUP, "top_models", "basis", "n_items", "best", "kth", "bound_margin",
                "told_apart", "fragile"]  # fmt: skip
CLAIMS = [
    "benchmark", "source_measured", "metric_measured", "metric_claimed", "models_claimed",
    "models_measured", "n_models", "median_gap", "min_gap", "max_gap", "models", "note",
]  # fmt: skip


def claims_vs_measured(scores: pd.DataFrame) -> pd.DataFrame:
    """Per benchmark: models with a self-reported (LLMStats) and an independent score; the gap in
    normalised safety (claimed minus measured), with n and both metrics named, because boards
    often measure a benchmark differently (MC1 vs MC2, judge vs keyword)."""
    claimed = scores[scores["source"] == llmstats.SELF_REPORTED]
    measured = scores[(scores["source"] != llmstats.SELF_REPORTED)]
    m = claimed.merge(measured, on=["model_id", "benchmark"], suffixes=("_claimed", "_measured"))
    if m.empty:
        rows = [
            {
                "benchmark": b,
                "models_claimed": g["model_id"].nunique(),
                "models_measured": measured.loc[measured["benchmark"] == b, "model_id"].nunique(),
                "n_models": 0,
                "note": "no model has both a vendor-reported and an independent score",
            }  # fmt: skip
            for b, g in claimed.groupby("benchmark")
        ]
        return pd.DataFrame(rows).reindex(columns=CLAIMS)
    m["gap"] = m["safety_claimed"] - m["safety_measured"]
    out = m.groupby(["benchmark", "source_measured", "metric_measured"], as_index=False).agg(
        n_models=("model_id", "nunique"),
        median_gap=("gap", "median"),
        min_gap=("gap", "min"),
        max_gap=("gap", "max"),
        models=("model_id", lambda s: ", ".join(sorted(set(s)))),
    )
    out["metric_claimed"] = "score as reported (vendor)"
    out["models_claimed"] = out["models_measured"] = out["n_models"]
    out["note"] = ""
    return out.reindex(columns=CLAIMS)


def separability(df: pd.DataFrame, top_k: int = 5, alpha: float = 0.05) -> pd.DataFrame:
    """Per regime: can the best model be told from the ``top_k``-th? Wilson intervals from item
    counts where known, stated as approximate (unpaired intervals, although all models answer
    the same items, and scores that are judge averages, not counts); the margin between the
    bounds shows how fragile the call is."""
    rows = []
    for key, g in df.groupby(GROUP, sort=True):
        g = g.sort_values("safety", ascending=False).head(top_k)
        n = g["n_items"].astype("Float64")
        row = {**dict(zip(GROUP, key, strict=True)), "top_models": len(g)}
        if len(g) < 2 or n.isna().any():
            rows.append({**row, "basis": "no item count: not testable"})
            continue
        lo, hi = stats.wilson(g["safety"].to_numpy() * n.to_numpy(float), n.to_numpy(float), alpha)
        margin = float(lo[0] - hi[-1])  # > 0: best and k-th intervals are disjoint
        rows.append(
            {
                **row,
                "basis": "item counts, unpaired Wilson (approximate)",
                "n_items": int(n.iloc[0]),
                "best": g["model_id"].iloc[0],
                "kth": g["model_id"].iloc[-1],
                "bound_margin": margin,
                "told_apart": "yes" if margin > 0 else "no",
                "fragile": bool(abs(margin) < 0.01),
            }  # fmt: skip
        )
    out = pd.DataFrame(rows).reindex(columns=SEPARABILITY)
    out["fragile"] = out["fragile"].astype("boolean")
    out["n_items"] = out["n_items"].astype("Int64")
    return out

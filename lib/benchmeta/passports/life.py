"""A benchmark's life on leaderboards (07): where it appears, how many dated models, how far its
scores reach towards the ceiling, whether the best models can still be told apart, and how much
it tracks capability. One row per (benchmark, source, version, metric), then one per benchmark
summarised on its main regime (the regime with the most dated models)."""

from __future__ import annotations

import numpy as np
import pandas as pd

REGIME = ["source", "version", "benchmark", "metric"]
MARGINS = (0.02, 0.05, 0.10)
LIFE_COLUMNS = [
    "benchmark_id", "source", "version", "benchmark", "metric", "n_models", "first_model_release",
    "last_model_release", *[f"near_{m:.2f}" for m in MARGINS],
    *[f"near_{m:.2f}_latest_year" for m in MARGINS], "n_latest_year", "told_apart",
    "told_apart_basis", "capability_rho", "capability_p", "capability_n",
]  # fmt: skip


def _near(curve: pd.DataFrame, subset: str, suffix: str) -> pd.DataFrame:
    c = curve[(curve["subset"] == subset) & curve["margin"].round(2).isin(MARGINS)]
    wide = c.pivot_table(index=REGIME, columns=c["margin"].round(2), values="share")
    wide.columns = [f"near_{m:.2f}{suffix}" for m in wide.columns]
    n = c.groupby(REGIME)["n_models"].max().rename(f"n{suffix or '_all'}")
    return wide.join(n)


def regimes(
    names: pd.DataFrame,
    dated: pd.DataFrame,
    curve: pd.DataFrame,
    separable: pd.DataFrame,
    capability: pd.DataFrame,
) -> pd.DataFrame:
    """One row per registry benchmark and regime it is scored in (``dated``: tidy scores with
    ``release_date``; ``curve``: 07's saturation curve; ``separable``: top-model separability;
    ``capability``: 07's capability-adjusted trends)."""
    d = dated.merge(names, on=["source", "benchmark"], how="inner")
    d = d[d["release_date"].notna()]
    out = d.groupby(["benchmark_id", *REGIME], sort=True).agg(
        n_models=("model_id", "nunique"),
        first_model_release=("release_date", "min"),
        last_model_release=("release_date", "max"),
    )
    out = out.reset_index().merge(_near(curve, "all dated", ""), on=REGIME, how="left")
    latest = _near(curve, "latest year", "_latest_year").rename(
        columns={"n_latest_year": "n_latest_year"}
    )
    out = out.merge(latest, on=REGIME, how="left")
    sep = separable[REGIME + ["told_apart", "basis"]].rename(columns={"basis": "told_apart_basis"})
    out = out.merge(sep, on=REGIME, how="left")
    out["told_apart"] = out["told_apart"].fillna("unknown")
    out["told_apart_basis"] = out["told_apart_basis"].fillna("not tested")
    cap = capability[capability["note"].fillna("") == ""]
    cap = cap[REGIME + ["rho", "rho_p", "n_with_eci"]].rename(
        columns={"rho": "capability_rho", "rho_p": "capability_p", "n_with_eci": "capability_n"}
    )
    out = out.merge(cap, on=REGIME, how="left")
    for col in LIFE_COLUMNS:
        if col not in out:
            out[col] = np.nan
    return out[LIFE_COLUMNS].sort_values(["benchmark_id", "source", "version", "metric"])


def distinct_models(names: pd.DataFrame, dated: pd.DataFrame) -> pd.Series:
    """benchmark_id -> number of distinct dated models scored on it, over all its regimes."""
    d = dated[dated["release_date"].notna()].merge(names, on=["source", "benchmark"])
    return d.groupby("benchmark_id")["model_id"].nunique()


def summary(
    life: pd.DataFrame, publications: pd.DataFrame, models: pd.Series, claimed: set[str]
) -> pd.DataFrame:
    """One row per benchmark: sources, versions, distinct models and dates over all regimes;
    saturation, separability and capability from its main regime (the independent regime with
    the most dated models; a source in ``claimed``, vendor self-reports, only when there is no
    other; ties by source, version, metric order); the newest publication date of its sources."""
    pub = publications.set_index("source")["last_published"]
    rows = []
    for bid, g in life.groupby("benchmark_id", sort=True):
        g = g.assign(_claimed=g["source"].isin(claimed))
        main = g.sort_values(["_claimed", "n_models", "source", "version", "metric"],
                             ascending=[True, False, True, True, True]).iloc[0]  # fmt: skip
        rows.append(
            {
                "benchmark_id": bid,
                "lb_sources": g["source"].nunique(),
                "lb_regimes": len(g[REGIME[:2]].drop_duplicates()),
                "lb_models": int(models.get(bid, 0)),
                "lb_models_main": int(main["n_models"]),
                "lb_first_model_release": g["first_model_release"].min(),
                "lb_last_model_release": g["last_model_release"].max(),
                "lb_last_published": pub.reindex(g["source"].unique()).max(),
                "lb_main_regime": f"{main['source']} {main['version']}: {main['metric']}",
                **{c: main[c] for c in LIFE_COLUMNS if c.startswith("near_")},
                "n_latest_year": main["n_latest_year"],
                "told_apart": main["told_apart"],
                "capability_rho": main["capability_rho"],
                "capability_p": main["capability_p"],
            }
        )
    return pd.DataFrame(rows)

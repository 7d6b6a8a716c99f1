"""Are models getting safer, and can a benchmark still tell them apart?

All functions take the normalised leaderboard table (``leaderboards.load``: ``safety`` in [0, 1],
1 = safest) joined with the model table, and return one row per benchmark with its n.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats

GROUP = ["source", "benchmark", "metric"]
# published columns of ``benchmark_trends`` and ``provider_trends``
TREND_COLUMNS = [
    *GROUP, "n", "providers", "first", "last", "slope_logit_per_year", "slope_low", "slope_high",
    "tau", "p", "p_holm", "direction", "note",
]  # fmt: skip
PROVIDER_COLUMNS = [
    "source", "benchmark", "provider", "n", "slope_logit_per_year", "slope_low", "slope_high",
    "p", "p_holm", "direction",
]  # fmt: skip


def saturation_columns(top_k: int) -> list[str]:
    """Published columns of ``saturation`` run with ``top_k``."""
    return [
        *GROUP, "n_models", "median_safety", "share_near_ceiling", "share_low", "share_high",
        f"top{top_k}_spread", "best_model", "best_vs_second_told_apart", f"top{top_k}_told_apart",
        "saturated", "discriminates",
    ]  # fmt: skip


def with_dates(
    scores: pd.DataFrame, model_table: pd.DataFrame, include_variants: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Join release dates; return (rows used, rows left out with the reason)."""
    cols = ["model_id", "display_name", "release_date", "date_source", "variant"]
    df = scores.merge(model_table[cols], on="model_id", how="left", validate="many_to_one")
    variant = df["variant"].fillna("").astype(str) != ""
    reason = pd.Series("", index=df.index)
    reason[df["release_date"].isna()] = "no release date"
    if not include_variants:
        reason[variant & (reason == "")] = "variant (" + df["variant"].astype(str) + ")"
    left_out = df[reason != ""].assign(reason=reason[reason != ""])
    return df[reason == ""].reset_index(drop=True), left_out.reset_index(drop=True)


def _logit_safety(g: pd.DataFrame) -> np.ndarray:
    return stats.logit(g["safety"].to_numpy(), g["n_items"])


def benchmark_trends(
    df: pd.DataFrame, min_n: int = 5, alpha: float = 0.05, by: list[str] | None = None
) -> pd.DataFrame:
    """Theil-Sen slope of logit(safety) per year with CI, Mann-Kendall tau and p, per benchmark
    (and per ``by`` group). Holm adjusts p across the rows of each source."""
    keys = GROUP + (by or [])
    rows = []
    for key, g in df.groupby(keys, sort=True):
        t = stats.trend(g["release_date"], pd.Series(_logit_safety(g), index=g.index), min_n, alpha)
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                **t.as_dict(),
                "providers": g["provider"].nunique(),
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out = out.rename(columns={"slope": "slope_logit_per_year"})
    out["p_holm"] = np.nan
    for _, idx in out.groupby("source").groups.items():
        out.loc[idx, "p_holm"] = stats.holm(out.loc[idx, "p"])
    out["direction"] = np.select(
        [
            out["p_holm"].isna(),
            (out["p_holm"] < alpha) & (out["slope_logit_per_year"] > 0),
            (out["p_holm"] < alpha) & (out["slope_logit_per_year"] < 0),
        ],
        ["not tested", "safer over time", "less safe over time"],
        "no significant trend",
    )
    return out


def provider_trends(df: pd.DataFrame, min_models: int = 5, alpha: float = 0.05) -> pd.DataFrame:
    """The same trend within each provider that has at least ``min_models`` dated models."""
    counts = df.groupby(GROUP + ["provider"])["model_id"].transform("nunique")
    sub = df[counts >= min_models]
    return benchmark_trends(sub, min_n=min_models, alpha=alpha, by=["provider"])


def saturation(
    df: pd.DataFrame,
    margin: float = 0.05,
    top_k: int = 5,
    saturated_share: float = 0.5,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Per benchmark: share of models within ``margin`` of the safest end (with a Wilson CI),
    the spread of the top ``top_k``, and whether the top ``top_k`` can be told apart.

    "Told apart" uses Wilson intervals from item counts: the top models are indistinguishable
    when all their intervals share a common value. Without an item count it is "unknown".
    """
    rows = []
    for key, g in df.groupby(GROUP, sort=True):
        g = g.sort_values("safety", ascending=False)
        n_models = len(g)
        near = int((g["safety"] >= 1 - margin).sum())
        lo, hi = stats.wilson(near, n_models, alpha)
        top = g.head(top_k)
        n_items = top["n_items"].astype("Float64")
        if len(top) >= 2 and n_items.notna().all():
            k = top["safety"].to_numpy() * n_items.to_numpy(dtype=float)
            lows, highs = stats.wilson(k, n_items.to_numpy(dtype=float), alpha)
            overlap = bool(np.max(lows) <= np.min(highs))
            told_apart = "no" if overlap else "yes"
            best_vs_next = "no" if lows[0] <= highs[1] else "yes"
        else:
            told_apart = best_vs_next = "unknown (no item count)" if len(top) >= 2 else "unknown"
        share = near / n_models if n_models else np.nan
        rows.append(
            {
                **dict(zip(GROUP, key, strict=True)),
                "n_models": n_models,
                "median_safety": float(g["safety"].median()),
                "share_near_ceiling": share,
                "share_low": lo,
                "share_high": hi,
                f"top{top_k}_spread": float(top["safety"].max() - top["safety"].min())
                if len(top)
                else np.nan,
                "best_model": g["model_id"].iloc[0] if n_models else "",
                "best_vs_second_told_apart": best_vs_next,
                f"top{top_k}_told_apart": told_apart,
                "saturated": bool(share >= saturated_share) if n_models else False,
            }
        )
    out = pd.DataFrame(rows)
    out["discriminates"] = np.where(
        out["saturated"],
        "no: saturated",
        np.where(
            out[f"top{top_k}_told_apart"] == "no",
            "not at the top",
            np.where(out[f"top{top_k}_told_apart"] == "yes", "yes", "yes (top untested)"),
        ),
    )
    return out


def capability_correlations(
    scores: pd.DataFrame, capabilities: pd.DataFrame, alpha: float = 0.05
) -> pd.DataFrame:
    """Spearman rho (bootstrap CI) between each safety metric and each capability covariate,
    on the models that have both; Holm across the whole table."""
    wide_cap = capabilities.pivot_table(index="model_id", columns="covariate", values="value")
    rows = []
    for key, g in scores.groupby(GROUP, sort=True):
        s = g.set_index("model_id")["safety"]
        for cov in wide_cap.columns:
            both = pd.concat([s, wide_cap[cov]], axis=1, join="inner")
            c = stats.spearman(both.iloc[:, 0], both.iloc[:, 1])
            rows.append({**dict(zip(GROUP, key, strict=True)), "covariate": cov, **c.as_dict()})
    out = pd.DataFrame(rows)
    out["p_holm"] = stats.holm(out["p"])
    out["tracks_capability"] = (out["p_holm"] < alpha) & (out["rho"] > 0)
    return out


def panel_labels(df: pd.DataFrame) -> pd.Series:
    """A readable label per (source, benchmark, metric): the metric is named only where one
    benchmark has several in the same source, the source only where it differs from the
    benchmark."""
    n_metrics = df.groupby(["source", "benchmark"])["metric"].transform("nunique")
    label = df["benchmark"].where(n_metrics == 1, df["benchmark"] + " (" + df["metric"] + ")")
    return label.where(df["source"] == df["benchmark"], df["source"] + ": " + label)


def headline(
    dated: pd.DataFrame,
    trend_table: pd.DataFrame,
    sat: pd.DataFrame,
    source: str,
    n_benchmarks: int,
    alpha: float,
    margin: float,
    saturated_share: float,
) -> str:
    """The notebook's one-sentence answer, built from the tables."""
    d = dated[dated["source"] == source]
    t = trend_table[trend_table["source"] == source]
    s = sat[sat["source"] == source]
    up = t[t["direction"] == "safer over time"]["benchmark"].tolist()
    down = t[t["direction"] == "less safe over time"]["benchmark"].tolist()
    saturated = s[s["saturated"]]["benchmark"].tolist()
    discriminating = [
        b
        + (
            " (whether it separates the top models is untested: no item count)"
            if d == "yes (top untested)"
            else ""
        )
        for b, d in zip(s["benchmark"], s["discriminates"], strict=True)
        if d.startswith("yes")
    ]
    blunt_top = s[s["discriminates"] == "not at the top"]["benchmark"].tolist()

    def names(xs: list[str]) -> str:
        return ", ".join(xs) if xs else "none"

    first, last = d["release_date"].min(), d["release_date"].max()
    text = (
        f"On {d['model_id'].nunique()} models from {d['provider'].nunique()} providers released "
        f"between {first:%B %Y} and {last:%B %Y}, {len(up)} of {n_benchmarks} {source} scenarios "
        f"show a significant upward trend in safety ({names(up)}; Theil-Sen on the logit scale, "
        f"Mann-Kendall, Holm-adjusted p < {alpha:g})"
    )
    if down:
        text += f", {len(down)} a significant downward one ({names(down)})"
    text += (
        f"; {len(saturated)} are saturated, with at least {saturated_share:.0%} of models within "
        f"{margin:g} of the ceiling ({names(saturated)}). "
        f"Still discriminating: {names(discriminating)}."
    )
    if blunt_top:
        text += f" Not saturated but unable to separate its best models: {names(blunt_top)}."
    return text

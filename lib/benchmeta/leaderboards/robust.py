"""Provider-robust trends, per leaderboard regime: are models getting safer once the models of
one provider are not counted as independent evidence?

For each (source, version, benchmark, metric) with enough dated models: the pooled Theil-Sen /
Mann-Kendall on logit(safety) (as ``trends.benchmark_trends``), an OLS slope with
provider-clustered standard errors, a MixedLM with provider random intercepts (fitted where the
pooled Mann-Kendall p is below alpha, the rows whose verdict it can change),
provider-stratified Mann-Kendall (within-provider pairs only), and leave-one-provider-out.
A version is one regime: no line is ever fitted across two versions.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import scipy.stats as st
import statsmodels.api as sm
import statsmodels.formula.api as smf

from .. import stats
from .trends import _logit_safety

KEYS = ["source", "version", "benchmark", "metric"]
COLUMNS = [
    *KEYS, "n", "providers", "first", "last", "slope_logit_per_year", "slope_low", "slope_high",
    "tau", "p", "p_holm", "cluster_slope", "cluster_p", "mixed_slope", "mixed_p", "mixed_note",
    "stratified_mk_p", "within_provider_pairs", "lopo_max_p", "depends_on", "share_tied_at_max",
    "share_zero_slopes", "ci_starts_at_zero", "verdict", "note",
]  # fmt: skip
# the columns the notebook shows (the written table has them all)
SHOWN = [
    *KEYS, "n", "providers", "first", "last", "slope_logit_per_year", "slope_low", "slope_high",
    "p_holm", "cluster_p", "mixed_p", "stratified_mk_p", "lopo_max_p", "depends_on",
    "share_zero_slopes", "ci_starts_at_zero", "verdict",
]  # fmt: skip


def _years(d: pd.Series) -> np.ndarray:
    return (pd.to_datetime(d) - pd.Timestamp("2020-01-01")).dt.days.to_numpy() / 365.25


def stratified_mk(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[float, int]:
    """Mann-Kendall S summed over within-group pairs only, normal approximation; (p, pairs)."""
    s = var = 0.0
    pairs = 0
    for g in np.unique(groups):
        xi, yi = x[groups == g], y[groups == g]
        n = len(xi)
        if n < 2:
            continue
        s += float(
            np.sum(
                np.triu(np.sign(xi[None, :] - xi[:, None]) * np.sign(yi[None, :] - yi[:, None]), 1)
            )
        )
        var += n * (n - 1) * (2 * n + 5) / 18.0
        pairs += n * (n - 1) // 2
    if var == 0:
        return np.nan, pairs
    z = (s - np.sign(s)) / np.sqrt(var)
    return float(2 * st.norm.sf(abs(z))), pairs


def _cluster_ols(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[float, float]:
    codes = pd.factorize(groups)[0]
    fit = sm.OLS(y, sm.add_constant(x)).fit(cov_type="cluster", cov_kwds={"groups": codes})
    return float(fit.params[1]), float(fit.pvalues[1])


def _mixed(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[float, float, str]:
    df = pd.DataFrame({"y": y, "x": x, "g": groups})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = smf.mixedlm("y ~ x", df, groups=df["g"]).fit(reml=True)
        except (np.linalg.LinAlgError, ValueError) as err:
            return np.nan, np.nan, f"not run: {type(err).__name__}"
    note = "did not converge" if any("converge" in str(w.message) for w in caught) else ""
    return float(fit.params["x"]), float(fit.pvalues["x"]), note


def _lopo(x: np.ndarray, y: np.ndarray, groups: np.ndarray, alpha: float) -> tuple[float, str]:
    """Largest Mann-Kendall p after leaving one provider out, and the providers whose removal
    alone makes the pooled trend non-significant."""
    worst, needed = 0.0, []
    for g in pd.unique(groups):
        keep = groups != g
        if keep.sum() < 5 or np.unique(x[keep]).size < 2:
            continue
        p = float(st.kendalltau(x[keep], y[keep])[1])
        worst = max(worst, p)
        if p >= alpha:
            needed.append(str(g))
    return worst, ", ".join(needed)


def _zero_slopes(x: np.ndarray, y: np.ndarray) -> float:
    """Share of the pairwise (Theil-Sen) slopes that are exactly 0: pairs of models released on
    different dates with tied logit scores."""
    iu = np.triu_indices(len(x), 1)
    dx, dy = (x[:, None] - x[None, :])[iu], (y[:, None] - y[None, :])[iu]
    keep = dx != 0
    return float(np.mean(dy[keep] == 0)) if keep.any() else np.nan


def _one(g: pd.DataFrame, min_n: int, alpha: float) -> dict:
    y = _logit_safety(g)
    t = stats.trend(g["release_date"], pd.Series(y, index=g.index), min_n, alpha)
    row = {**t.as_dict(), "providers": g["provider"].nunique()}
    row["share_tied_at_max"] = float((y >= y.max() - 1e-12).mean())  # logit scale (clipped)
    row["share_zero_slopes"] = _zero_slopes(_years(g["release_date"]), y)
    if not np.isfinite(t.slope):
        return row
    x, prov = _years(g["release_date"]), g["provider"].to_numpy()
    row["cluster_slope"], row["cluster_p"] = _cluster_ols(x, y, prov)
    if t.p < alpha:  # the mixed model is fitted where the pooled trend needs checking
        row["mixed_slope"], row["mixed_p"], row["mixed_note"] = _mixed(x, y, prov)
    else:
        row["mixed_note"] = "not run: pooled trend not significant"
    row["stratified_mk_p"], row["within_provider_pairs"] = stratified_mk(x, y, prov)
    row["lopo_max_p"], row["depends_on"] = _lopo(x, y, prov, alpha)
    if t.p >= alpha:  # "rests on" only means something for a significant pooled trend
        row["depends_on"] = ""
    row["ci_starts_at_zero"] = bool(t.slope_low == 0.0 or t.slope_high == 0.0)
    return row


def robust_trends(df: pd.DataFrame, min_n: int = 10, alpha: float = 0.05) -> pd.DataFrame:
    """One row per regime and benchmark (see the module docstring); Holm within each source
    on the pooled p; ``verdict`` says whether the provider-robust tests agree."""
    rows = [
        {**dict(zip(KEYS, key, strict=True)), **_one(g, min_n, alpha)}
        for key, g in df.groupby(KEYS, sort=True)
    ]
    out = pd.DataFrame(rows).rename(columns={"slope": "slope_logit_per_year"})
    for col in ["cluster_p", "mixed_p", "stratified_mk_p", "lopo_max_p"]:
        if col not in out:
            out[col] = np.nan
    out["p_holm"] = np.nan
    for _, idx in out.groupby("source").groups.items():
        out.loc[idx, "p_holm"] = stats.holm(out.loc[idx, "p"])
    if "depends_on" in out:
        out["depends_on"] = out["depends_on"].where(out["p_holm"] < alpha, "").fillna("")
    out["verdict"] = [_verdict(r, alpha) for r in out.itertuples()]
    out = out.reindex(columns=COLUMNS)
    out["ci_starts_at_zero"] = out["ci_starts_at_zero"].astype("boolean")
    for col in ["mixed_note", "depends_on", "note"]:
        out[col] = out[col].fillna("")
    return out


def _verdict(r, alpha: float) -> str:
    if not np.isfinite(r.p_holm):
        return "not tested"
    if r.p_holm >= alpha:
        return "no significant trend"
    word = "safer" if r.slope_logit_per_year > 0 else "less safe"
    robust = (r.cluster_p < alpha) and (r.stratified_mk_p < alpha or np.isnan(r.stratified_mk_p))
    if not robust:
        return f"{word} (pooled only: not provider-robust)"
    if isinstance(r.depends_on, str) and r.depends_on:
        return f"{word} (robust, but rests on {r.depends_on})"
    return f"{word} over time (provider-robust)"


def ceiling_note(robust: pd.DataFrame) -> str:
    """Explain every tested row whose Theil-Sen CI starts (or ends) at exactly 0."""
    flag = robust["ci_starts_at_zero"] if "ci_starts_at_zero" in robust else None
    hit = robust[flag.eq(True)] if flag is not None else robust.iloc[:0]
    if hit.empty:
        return "No slope CI starts at exactly 0."
    parts = [
        f"{r.source} {r.version}: {r.benchmark} ({r.share_zero_slopes:.0%} of pairwise slopes are "
        f"exactly 0; {r.share_tied_at_max:.0%} of {int(r.n)} models share the top logit score)"
        for r in hit.itertuples()
    ]
    return (
        "A Theil-Sen CI bound at exactly 0 is not evidence of a trend: when many models tie "
        "(scores clipped at the ceiling of the logit, or equal judge averages), many pairwise "
        "slopes are exactly 0 and the order statistic that bounds the CI is one of them. Rows "
        "affected: " + "; ".join(parts) + ". For these rows read the clustered and stratified "
        "tests, not the CI."
    )

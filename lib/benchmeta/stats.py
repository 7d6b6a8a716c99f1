"""Statistics conventions of the compendium, in one place (no I/O).

- Proportions: Wilson intervals (statsmodels ``method="wilson"``; its default is not Wilson).
- Two groups: Mann-Whitney U, Cliff's delta with a bootstrap CI, Holm across a family.
- Correlations: Spearman rho with a bootstrap CI and n.
- Trends: Theil-Sen slope with its CI, and the Mann-Kendall test (Kendall's tau of the values
  against time, which also handles irregular and tied times).
- Agreement: percent agreement, Cohen's kappa with CI, Gwet's AC1, Krippendorff's alpha.
Every function returns n, and returns NaN fields plus a ``note`` instead of raising when the data
cannot support the test, so tables can say why a number is missing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint

SEED = 20241101  # fixed seed for every bootstrap: outputs are byte-stable
N_BOOT = 2000


def wilson(successes: float | np.ndarray, n: float | np.ndarray, alpha: float = 0.05):
    """Wilson score interval ``(low, high)``; NaN where n is missing or zero."""
    k = np.asarray(successes, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    ok = np.isfinite(n_arr) & (n_arr > 0) & np.isfinite(k)
    low = np.full(np.broadcast(k, n_arr).shape, np.nan)
    high = low.copy()
    if ok.any():
        kk, nn = np.broadcast_arrays(k, n_arr)
        lo, hi = proportion_confint(kk[ok], nn[ok], alpha=alpha, method="wilson")
        low[ok], high[ok] = lo, hi
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def holm(pvalues: pd.Series | np.ndarray) -> np.ndarray:
    """Holm-adjusted p-values; NaN entries stay NaN and do not count towards the family."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        # statsmodels' Holm step, without its gc.collect() per call (0.3 s each)
        x = p[ok]
        order = np.argsort(x)
        adj = np.maximum.accumulate(x[order] * np.arange(len(x), 0, -1))
        adj[adj > 1] = 1
        res = np.empty_like(adj)
        res[order] = adj
        out[ok] = res
    return out


@dataclass
class GroupTest:
    n_a: int
    n_b: int
    median_a: float
    median_b: float
    u: float
    p: float
    cliffs_delta: float
    delta_low: float
    delta_high: float
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def cliffs_delta(a, b, axis: int = -1) -> float | np.ndarray:
    """P(a > b) - P(a < b) over all pairs (vectorised over leading axes for the bootstrap)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    a, b = np.moveaxis(a, axis, -1), np.moveaxis(b, axis, -1)
    out = np.sign(a[..., :, None] - b[..., None, :]).mean(axis=(-2, -1))
    return float(out) if np.ndim(out) == 0 else out


def mann_whitney(a, b, min_n: int = 3, seed: int = SEED) -> GroupTest:
    """Two-sided Mann-Whitney U with Cliff's delta (a vs b) and a percentile bootstrap CI."""
    a = np.asarray(pd.Series(a).dropna(), float)
    b = np.asarray(pd.Series(b).dropna(), float)
    if len(a) < min_n or len(b) < min_n:
        return GroupTest(
            len(a),
            len(b),
            _median(a),
            _median(b),
            np.nan,
            np.nan,
            np.nan,
            np.nan,
            np.nan,
            f"not run: needs at least {min_n} values per group",
        )
    res = st.mannwhitneyu(a, b, alternative="two-sided")
    boot = st.bootstrap(
        (a, b),
        cliffs_delta,
        n_resamples=N_BOOT,
        method="percentile",
        vectorized=True,
        batch=100,
        rng=np.random.default_rng(seed),
    )
    return GroupTest(
        len(a),
        len(b),
        _median(a),
        _median(b),
        float(res.statistic),
        float(res.pvalue),
        cliffs_delta(a, b),
        float(boot.confidence_interval.low),
        float(boot.confidence_interval.high),
    )


def _median(x: np.ndarray) -> float:
    return float(np.median(x)) if len(x) else np.nan


@dataclass
class Correlation:
    n: int
    rho: float
    p: float
    low: float
    high: float
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _spearman_rows(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Spearman rho along ``axis`` (Pearson on average ranks); 0 where a resample is constant."""
    rx = st.rankdata(x, axis=axis)
    ry = st.rankdata(y, axis=axis)
    rx = rx - rx.mean(axis=axis, keepdims=True)
    ry = ry - ry.mean(axis=axis, keepdims=True)
    den = np.sqrt((rx**2).sum(axis=axis) * (ry**2).sum(axis=axis))
    num = (rx * ry).sum(axis=axis)
    return np.divide(num, den, out=np.zeros_like(num, dtype=float), where=den > 0)


def spearman(x, y, min_n: int = 5, seed: int = SEED) -> Correlation:
    """Spearman rho on complete pairs with a paired percentile bootstrap CI."""
    df = pd.DataFrame({"x": x, "y": y}).dropna()
    n = len(df)
    if n < min_n:
        return Correlation(
            n, np.nan, np.nan, np.nan, np.nan, f"not run: needs at least {min_n} pairs"
        )
    if df["x"].nunique() < 2 or df["y"].nunique() < 2:
        return Correlation(n, np.nan, np.nan, np.nan, np.nan, "not run: a variable is constant")
    rho, p = st.spearmanr(df["x"], df["y"])
    boot = st.bootstrap(
        (df["x"].to_numpy(), df["y"].to_numpy()),
        _spearman_rows,
        paired=True,
        n_resamples=N_BOOT,
        method="percentile",
        vectorized=True,
        rng=np.random.default_rng(seed),
    )
    return Correlation(
        n,
        float(rho),
        float(p),
        float(boot.confidence_interval.low),
        float(boot.confidence_interval.high),
    )


@dataclass
class Trend:
    n: int
    slope: float
    slope_low: float
    slope_high: float
    tau: float
    p: float
    first: str
    last: str
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def trend(dates: pd.Series, values: pd.Series, min_n: int = 5, alpha: float = 0.05) -> Trend:
    """Theil-Sen slope of ``values`` per year of ``dates`` (95% CI) and the Mann-Kendall test."""
    df = pd.DataFrame({"d": pd.to_datetime(dates), "v": values}).dropna()
    n = len(df)
    first = df["d"].min().date().isoformat() if n else ""
    last = df["d"].max().date().isoformat() if n else ""
    reason = (
        f"not run: needs at least {min_n} models with a release date"
        if n < min_n
        else "not run: dates or values are constant"
        if df["d"].nunique() < 2 or df["v"].nunique() < 2
        else ""
    )
    if reason:
        return Trend(n, np.nan, np.nan, np.nan, np.nan, np.nan, first, last, reason)
    years = (df["d"] - pd.Timestamp("2020-01-01")).dt.days.to_numpy() / 365.25
    ts = st.theilslopes(df["v"].to_numpy(), years, alpha=1 - alpha)
    tau, p = st.kendalltau(years, df["v"].to_numpy())
    return Trend(
        n,
        float(ts.slope),
        float(ts.low_slope),
        float(ts.high_slope),
        float(tau),
        float(p),
        first,
        last,
    )


def logit(
    p: np.ndarray | pd.Series, n_items: np.ndarray | pd.Series | None = None, eps: float = 0.005
) -> np.ndarray:
    """Logit of a proportion. With item counts the empirical logit log((k+.5)/(n-k+.5)) keeps 0 and
    1 finite; without, proportions are clipped to [eps, 1-eps]."""
    p = np.asarray(p, dtype=float)
    if n_items is None:
        n = np.full_like(p, np.nan)
    else:
        n = np.asarray(pd.Series(n_items).astype("Float64").to_numpy(dtype=float, na_value=np.nan))
    k = p * n
    emp = np.log((k + 0.5) / (n - k + 0.5))
    clipped = np.clip(p, eps, 1 - eps)
    plain = np.log(clipped / (1 - clipped))
    return np.where(np.isfinite(n) & (n > 0), emp, plain)


# --- agreement -------------------------------------------------------------------------------


@dataclass
class Agreement:
    n: int
    categories: int
    percent: float
    kappa: float
    kappa_low: float
    kappa_high: float
    ac1: float
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _kappa(a: np.ndarray, b: np.ndarray, cats: np.ndarray) -> float:
    po = float(np.mean(a == b))
    pa = np.array([np.mean(a == c) for c in cats])
    pb = np.array([np.mean(b == c) for c in cats])
    pe = float(np.sum(pa * pb))
    return np.nan if pe == 1 else (po - pe) / (1 - pe)


def _kappa_rows(a: np.ndarray, b: np.ndarray, cats: np.ndarray) -> np.ndarray:
    """``_kappa`` of every row of two (replicates x items) label arrays, vectorised."""
    po = np.mean(a == b, axis=1)
    pe = np.zeros(len(a))
    for c in cats:
        pe = pe + np.mean(a == c, axis=1) * np.mean(b == c, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pe == 1, np.nan, (po - pe) / (1 - pe))


def _ac1(a: np.ndarray, b: np.ndarray, cats: np.ndarray) -> float:
    q = len(cats)
    if q < 2:
        return np.nan
    po = float(np.mean(a == b))
    pi = np.array([(np.mean(a == c) + np.mean(b == c)) / 2 for c in cats])
    pe = float(np.sum(pi * (1 - pi)) / (q - 1))
    return np.nan if pe == 1 else (po - pe) / (1 - pe)


def agreement(r1, r2, seed: int = SEED, min_n: int = 10) -> Agreement:
    """Two raters on the same items: percent agreement, Cohen's kappa (bootstrap CI), Gwet's AC1.

    Kappa collapses when one category dominates (screening is low-prevalence); AC1 does not.
    """
    df = pd.DataFrame({"a": r1, "b": r2}).dropna()
    a, b = df["a"].astype(str).to_numpy(), df["b"].astype(str).to_numpy()
    n = len(df)
    cats = np.unique(np.concatenate([a, b]))
    if n < min_n:
        return Agreement(
            n,
            len(cats),
            np.nan,
            np.nan,
            np.nan,
            np.nan,
            np.nan,
            f"not run: needs at least {min_n} items rated by both",
        )
    kappa = _kappa(a, b, cats)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(N_BOOT, n))
    boots = _kappa_rows(a[idx], b[idx], cats)
    boots = boots[np.isfinite(boots)]
    low, high = np.quantile(boots, [0.025, 0.975]) if len(boots) else (np.nan, np.nan)
    return Agreement(
        n,
        len(cats),
        float(np.mean(a == b)),
        float(kappa),
        float(low),
        float(high),
        float(_ac1(a, b, cats)),
        "" if len(cats) > 1 else "only one category used",
    )


def krippendorff_alpha(table: pd.DataFrame) -> float:
    """Krippendorff's alpha (nominal) for a raters x items table of labels (NaN = not rated)."""
    import krippendorff

    codes = {v: i for i, v in enumerate(sorted(pd.unique(table.stack().astype(str))))}
    data = table.apply(lambda col: col.map(lambda v: codes.get(str(v)) if pd.notna(v) else np.nan))
    return float(
        krippendorff.alpha(
            reliability_data=data.to_numpy(dtype=float), level_of_measurement="nominal"
        )
    )


def benchmark_comparison(
    table: pd.DataFrame, metrics: list[str], flag: str = "is_benchmark"
) -> pd.DataFrame:
    """Benchmark vs non-benchmark for each metric of ``table``: n, median, IQR and mean per
    group, Mann-Whitney U, Cliff's delta (benchmark minus non-benchmark) with its bootstrap CI, and
    Holm across the metrics that could be tested. Missing values are left out per metric."""
    bench = table[flag].astype(bool)
    rows = []
    for m in metrics:
        col = (
            pd.to_numeric(table[m], errors="coerce")
            if m in table
            else pd.Series(np.nan, index=table.index)
        )
        a, b = col[bench].dropna(), col[~bench].dropna()
        t = mann_whitney(a, b)
        if not len(a) and not len(b):
            t.note = "not measured: no values in either group"
        rows.append(
            {
                "metric": m,
                **t.as_dict(),
                "iqr_a": _iqr(a),
                "iqr_b": _iqr(b),
                "mean_a": float(a.mean()) if len(a) else np.nan,
                "mean_b": float(b.mean()) if len(b) else np.nan,
            }
        )
    out = pd.DataFrame(rows).rename(
        columns={
            "n_a": "n_benchmark",
            "n_b": "n_non_benchmark",
            "median_a": "median_benchmark",
            "median_b": "median_non_benchmark",
            "iqr_a": "iqr_benchmark",
            "iqr_b": "iqr_non_benchmark",
            "mean_a": "mean_benchmark",
            "mean_b": "mean_non_benchmark",
        }
    )
    out["p_holm"] = holm(out["p"])
    return out


def _iqr(x: pd.Series) -> float:
    return float(x.quantile(0.75) - x.quantile(0.25)) if len(x) else np.nan

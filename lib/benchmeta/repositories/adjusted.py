"""Adjusted group comparisons: does the benchmark difference survive size, age and topic?

Each primary metric gets a model with the obvious confounders: ``group + log(own lines of
Python) + repository age + first topic``. Scores (pylint, maintainability index) get a linear
model with heteroskedasticity-robust HC3 errors; commit counts a negative-binomial (NB2) model;
yes / no readiness items a logistic model (odds ratio).
The group coefficient (benchmark vs non-benchmark) is reported with its 95% CI and p, beside n.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MODELS = {
    "pylint_score": "ols_hc3",
    "mi_mean": "ols_hc3",
    "n_commits": "negative_binomial",
    "static_ready_to_use_yes": "logit",
    "static_install_guide_yes": "logit",
    "ready_ethics_statement_yes": "logit",
}
POINTS = {"pylint_score", "mi_mean", "mi_median"}
MIN_TOPIC = 5  # a first topic with fewer repositories joins the most common one
COVARIATES = (
    "log own LOC + repository age (years) + first topic (topics with fewer than "
    f"{MIN_TOPIC} repositories merged into the most common)"
)
COLUMNS = [
    "metric",
    "model",
    "covariates",
    "n",
    "n_benchmark",
    "coef",
    "low",
    "high",
    "p",
    "effect",
    "note",
]


def model_frame(table: pd.DataFrame, metric: str, loc: str = "loc") -> pd.DataFrame:
    """The complete cases of one model: ``y, benchmark, log_loc, age_years, first_topic``."""
    d = pd.DataFrame(
        {
            "y": pd.to_numeric(table[metric], errors="coerce"),
            "benchmark": table["is_benchmark"].astype(bool).astype(int),
            "log_loc": np.log1p(pd.to_numeric(table[loc], errors="coerce")),
            "age_years": pd.to_numeric(table["age_years"], errors="coerce"),
            "first_topic": table["topic"].fillna("").astype(str).str.split(";").str[0],
        }
    )
    d = d.dropna()
    counts = d["first_topic"].value_counts()
    rare = counts[counts < MIN_TOPIC].index
    if len(rare) and len(counts) > len(rare):
        d = d.assign(
            first_topic=d["first_topic"].where(~d["first_topic"].isin(rare), counts.index[0])
        )
    return d


def _formula(d: pd.DataFrame) -> str:
    topic = " + C(first_topic)" if d["first_topic"].nunique() > 1 else ""
    return "y ~ benchmark + log_loc + age_years" + topic


def _fit_nb(formula: str, d: pd.DataFrame):
    """NB2 by maximum likelihood from two starts (statsmodels' default; Poisson estimates with
    alpha = 1): the finite fit with the higher likelihood, or None."""
    import warnings

    import statsmodels.formula.api as smf

    model = smf.negativebinomial(formula, d)
    fits = []
    with warnings.catch_warnings():  # log(0) while the optimiser probes alpha
        warnings.simplefilter("ignore")
        start = smf.poisson(formula, d).fit(disp=0).params.to_numpy()
        for kw in ({}, {"start_params": np.append(start, 1.0)}):
            try:
                res = model.fit(disp=0, maxiter=500, method="newton", **kw)
            except (np.linalg.LinAlgError, ValueError):
                continue
            if np.isfinite(res.params).all() and np.isfinite(res.bse).all():
                fits.append(res)
    return max(fits, key=lambda r: r.llf) if fits else None


def fit(table: pd.DataFrame, metric: str, loc: str = "loc", min_n: int = 20) -> dict:
    """One adjusted model of ``metric``; a row with a note when it cannot run."""
    import warnings

    import statsmodels.formula.api as smf

    kind = MODELS.get(metric, "ols_hc3")
    d = model_frame(table, metric, loc)
    row = {
        "metric": metric,
        "model": kind,
        "covariates": COVARIATES,
        "n": len(d),
        "n_benchmark": int(d["benchmark"].sum()),
    }
    if len(d) < min_n or d["benchmark"].nunique() < 2:
        return {**row, "note": f"not run: {len(d)} complete repositories (needs {min_n})"}
    note = ""
    if kind == "negative_binomial":
        res = _fit_nb(_formula(d), d)
        if res is None:
            return {**row, "note": "not run: the negative-binomial fit did not converge"}
        note = "" if res.mle_retvals.get("converged", True) else "did not converge"
        effect = "rate ratio"
        coef, (lo, hi) = np.exp(res.params["benchmark"]), np.exp(res.conf_int().loc["benchmark"])
    elif kind == "logit":
        with warnings.catch_warnings():  # non-convergence is recorded in the note instead
            warnings.simplefilter("ignore")
            try:
                res = smf.logit(_formula(d), d).fit(disp=0, maxiter=200)
            except np.linalg.LinAlgError:
                return {**row, "note": "not run: singular design (a covariate separates the data)"}
        note = "" if res.mle_retvals.get("converged", True) else "did not converge"
        effect = "odds ratio"
        coef, (lo, hi) = np.exp(res.params["benchmark"]), np.exp(res.conf_int().loc["benchmark"])
    else:
        note = ""
        res = smf.ols(_formula(d), d).fit(cov_type="HC3")
        effect = "difference (points)" if metric in POINTS else "difference (metric units)"
        coef, (lo, hi) = res.params["benchmark"], res.conf_int().loc["benchmark"]
    return {
        **row,
        "coef": float(coef),
        "low": float(lo),
        "high": float(hi),
        "p": float(res.pvalues["benchmark"]),
        "effect": effect,
        "note": note,
    }


def adjusted_models(table: pd.DataFrame, metrics: list[str], loc: str = "loc") -> pd.DataFrame:
    """The adjusted model of each metric (see the module docstring)."""
    return pd.DataFrame([fit(table, m, loc) for m in metrics]).reindex(columns=COLUMNS)


def beside_tests(models: pd.DataFrame, tests: pd.DataFrame) -> pd.DataFrame:
    """Adjusted group coefficient next to the unadjusted Mann-Whitney result of each metric."""
    cols = [
        "metric",
        "n_benchmark",
        "n_non_benchmark",
        "cliffs_delta",
        "delta_low",
        "delta_high",
        "p",
    ]
    t = tests[cols].rename(columns={"p": "p_mann_whitney", "n_benchmark": "mw_n_benchmark"})
    m = models.rename(
        columns={"p": "p_adjusted", "n": "n_adjusted", "low": "coef_low", "high": "coef_high"}
    )
    return t.merge(m, on="metric", how="right")

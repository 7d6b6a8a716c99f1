"""Benchmark vs non-benchmark papers per influence metric, beside the reference study, and a
negative-binomial model of citation counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats
from ..core import reference
from .metrics import METRICS

# our metric -> the reference study's metric name
REFERENCE_OF = {
    "gs_citations": "citations",
    "s2_citations": "citations",
    "gs_citation_density": "citation_density",
    "s2_citation_density": "citation_density",
    "stars": "stars",
    "star_density": "star_density",
    "field_count": "field_count",
}

# columns of ``primary_comparison`` shown in notebook 05
TEST_COLUMNS = [
    "metric", "n_benchmark", "n_non_benchmark", "median_benchmark", "median_non_benchmark",
    "iqr_benchmark", "iqr_non_benchmark", "p", "p_holm", "cliffs_delta", "delta_low", "delta_high",
    "reference_metric", "reference_p", "reference_delta_our_sign", "note",
]  # fmt: skip


def group_comparison(table: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """Benchmark vs non-benchmark per metric (``stats.benchmark_comparison``) beside the
    reference study's values where it measured the same thing."""
    out = stats.benchmark_comparison(table, metrics or list(METRICS))
    return reference.attach(out, REFERENCE_OF)


def negative_binomial(table: pd.DataFrame, count: str, age: str, min_n: int = 30) -> pd.DataFrame:
    """Negative-binomial (NB2) model of a citation count with log(age) offset (exposure),
    benchmark and first-topic terms.

    Returns the coefficient table (rate ratios with 95% CI) or a one-row note when it cannot run.
    """
    import statsmodels.formula.api as smf

    d = table[[count, age, "is_benchmark", "topic"]].dropna()
    if len(d) < min_n or d["is_benchmark"].nunique() < 2:
        return pd.DataFrame(
            [
                {
                    "term": "",
                    "note": f"not run: {len(d)} papers with {count} "
                    f"(needs {min_n} and both groups)",
                }
            ]
        )
    d = d.assign(
        benchmark=d["is_benchmark"].astype(int), topic=d["topic"].astype(str).str.split(";").str[0]
    )
    formula = f"{count} ~ benchmark" + (" + C(topic)" if d["topic"].nunique() > 1 else "")
    res = smf.negativebinomial(formula, d, exposure=d[age]).fit(disp=0, maxiter=200)
    ci = res.conf_int()
    out = pd.DataFrame(
        {
            "term": res.params.index,
            "rate_ratio": np.exp(res.params.values),
            "rr_low": np.exp(ci[0].values),
            "rr_high": np.exp(ci[1].values),
            "p": res.pvalues.values,
            "n": len(d),
            "note": "",
        }
    )
    out.loc[out["term"] == "alpha", ["rate_ratio", "rr_low", "rr_high"]] = np.nan
    out.loc[out["term"] == "alpha", "note"] = f"NB2 dispersion alpha = {res.params['alpha']:.3g}"
    return out


def primary_comparison(table: pd.DataFrame, primary: str, metrics: list[str]) -> pd.DataFrame:
    """``group_comparison`` with a pre-specified primary metric (one test, ``p_holm`` = p) and
    Holm across the secondary metrics only."""
    order = [primary, *[m for m in metrics if m != primary]]
    out = group_comparison(table, order)
    out["role"] = np.where(out["metric"] == primary, "primary", "secondary")
    sec = out["role"] == "secondary"
    out.loc[sec, "p_holm"] = stats.holm(out.loc[sec, "p"])
    out.loc[~sec, "p_holm"] = out.loc[~sec, "p"]
    return out


def citation_specs(
    table: pd.DataFrame, labels: pd.DataFrame, count: str, age: str, alpha: float = 0.05
) -> pd.DataFrame:
    """Specification curve of the citation comparison: label source (final, rules, curators,
    agreed) x model (Mann-Whitney with Cliff's delta; NB2 rate ratio with log-age exposure and
    first topic)."""
    rows = []
    for source in ("final", "rules", "curators", "agreed"):
        lab = labels.set_index("paper_id")[source]
        t = table.assign(is_benchmark=table["paper_id"].map(lab)).dropna(subset=["is_benchmark"])
        t = t.assign(is_benchmark=t["is_benchmark"].astype(bool))
        r = stats.mann_whitney(t.loc[t["is_benchmark"], count], t.loc[~t["is_benchmark"], count])
        rows.append(
            {
                "metric": count,
                "label": source,
                "model": "unadjusted",
                "n_benchmark": r.n_a,
                "n_non_benchmark": r.n_b,
                "estimate": r.cliffs_delta,
                "low": r.delta_low,
                "high": r.delta_high,
                "p": r.p,
                "effect": "Cliff's delta",
                "note": r.note,
            }
        )
        nb = negative_binomial(t, count, age).set_index("term")
        ok = "benchmark" in nb.index
        b = nb.loc["benchmark"] if ok else None
        rows.append(
            {
                "metric": count,
                "label": source,
                "model": "adjusted",
                "n_benchmark": r.n_a,
                "n_non_benchmark": r.n_b,
                "estimate": b["rate_ratio"] if ok else np.nan,
                "low": b["rr_low"] if ok else np.nan,
                "high": b["rr_high"] if ok else np.nan,
                "p": b["p"] if ok else np.nan,
                "effect": "rate ratio",
                "note": "" if ok else nb["note"].iloc[0],
            }
        )
    out = pd.DataFrame(rows)
    centre = np.where(out["effect"] == "rate ratio", 1.0, 0.0)
    out["direction"] = np.sign(out["estimate"] - centre)
    out["significant"] = out["p"] < alpha
    out["vendored"] = "not applicable"
    out["release_dumps"] = "not applicable"
    return out

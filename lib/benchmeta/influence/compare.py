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

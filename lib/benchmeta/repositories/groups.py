"""Benchmark vs non-benchmark repositories: group tests beside the reference study, medians per
topic, shares of a flag."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats
from ..core import reference
from .table import GROUPS, explode_topics, numeric

# our metric -> the reference study's metric
REFERENCE_OF = {
    "pylint_score": "pylint score",
    "n_commits": "number of commits",
    "commits_per_week": "commit frequency",
    "commits_per_week_to_reference": "commit frequency",
    "reply_time_hours": "issue reply time",
}


def group_comparison(
    table: pd.DataFrame, metrics: dict[str, str] | list[str], family: str = ""
) -> pd.DataFrame:
    """Benchmark vs non-benchmark per metric of the scanned repositories
    (``stats.benchmark_comparison``) beside the reference study's values."""
    out = stats.benchmark_comparison(table, list(metrics)).assign(family=family)
    return reference.attach(out, REFERENCE_OF)


def by_topic(table: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Median and n of each metric per topic and group (a repository counts in each topic)."""
    long = explode_topics(table)
    rows = []
    for (topic, group), g in long.groupby(["topic", "group"]):
        row = {"topic": topic, "group": group, "repositories": len(g)}
        for m in metrics:
            v = numeric(g, m).dropna()
            row[f"{m}_n"] = len(v)
            row[f"{m}_median"] = float(v.median()) if len(v) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def share_by_group(table: pd.DataFrame, flag: str) -> pd.DataFrame:
    """Share of repositories with a True ``flag`` per group (Wilson CI); missing left out."""
    rows = []
    for group in (*GROUPS, "all"):
        g = table if group == "all" else table[table["group"] == group]
        v = g[flag].dropna().astype(bool)
        lo, hi = stats.wilson(int(v.sum()), len(v))
        rows.append(
            {
                "group": group,
                "n": len(v),
                "count": int(v.sum()),
                "share": v.mean() if len(v) else np.nan,
                "low": lo,
                "high": hi,
            }
        )
    return pd.DataFrame(rows)


def primary_comparison(
    table: pd.DataFrame, primary: str, secondaries: dict[str, str] | list[str], family: str
) -> pd.DataFrame:
    """``group_comparison`` with a pre-specified primary metric: the primary is one test (its
    ``p_holm`` equals its p); Holm runs across the secondary metrics only (``role`` says
    which is which)."""
    metrics = [primary, *[m for m in secondaries if m != primary]]
    out = group_comparison(table, metrics, family)
    out["role"] = np.where(out["metric"] == primary, "primary", "secondary")
    sec = out["role"] == "secondary"
    out.loc[sec, "p_holm"] = stats.holm(out.loc[sec, "p"])
    out.loc[~sec, "p_holm"] = out.loc[~sec, "p"]
    return out


TEST_COLUMNS = [
    "metric",
    "role",
    "n_benchmark",
    "n_non_benchmark",
    "mean_benchmark",
    "mean_non_benchmark",
    "median_benchmark",
    "median_non_benchmark",
    "iqr_benchmark",
    "iqr_non_benchmark",
    "cliffs_delta",
    "delta_low",
    "delta_high",
    "p",
    "p_holm",
]
REFERENCE_COLUMNS = [
    "reference_metric",
    "reference_p",
    "reference_delta",
    "reference_delta_our_sign",
]
BESIDE_REFERENCE_COLUMNS = [
    "family",
    "metric",
    "n_benchmark",
    "n_non_benchmark",
    "cliffs_delta",
    "delta_low",
    "delta_high",
    "p",
    "p_holm",
    *REFERENCE_COLUMNS,
    "same_direction",
    "note",
]


def tests_view(tests: pd.DataFrame, reference: bool = False) -> pd.DataFrame:
    """The shown columns of a group-test table (with the reference study's columns if asked)."""
    return tests[[*TEST_COLUMNS, *(REFERENCE_COLUMNS if reference else []), "note"]]


def beside_reference(tests: pd.DataFrame) -> pd.DataFrame:
    """Tests that have a reference metric, with ``same_direction``: whether our Cliff's delta has
    the reference's sign (missing where our test has no p-value)."""
    ref = tests[tests["reference_metric"].notna()]
    same = ref["cliffs_delta"] * ref["reference_delta_our_sign"] > 0
    return ref.assign(same_direction=same.where(ref["p"].notna()))

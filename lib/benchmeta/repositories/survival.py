"""Time from the first commit until a repository goes stale: Kaplan-Meier by group."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .table import GROUPS

SUMMARY_EMPTY = {
    "n": 0,
    "went_stale": 0,
    "censored": 0,
    "median_days": np.nan,
    "median_low": np.nan,
    "median_high": np.nan,
    "note": "no repositories",
}
CURVE_COLUMNS = ["group", "days", "survival", "low", "high", "at_risk"]


def _fit_group(group: str, g: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Kaplan-Meier curve and summary row of one group (lifelines)."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    km = KaplanMeierFitter().fit(
        g["days_to_stale_or_censor"], g["went_stale"].astype(bool), label=group
    )
    sf, ci = km.survival_function_, km.confidence_interval_
    at_risk = km.event_table["at_risk"].reindex(sf.index)
    curve = pd.DataFrame(
        {
            "group": group,
            "days": sf.index.to_numpy(),
            "survival": sf.iloc[:, 0].to_numpy(),
            "low": ci.iloc[:, 0].to_numpy(),
            "high": ci.iloc[:, 1].to_numpy(),
            "at_risk": at_risk.to_numpy(),
        }
    )
    med = float(km.median_survival_time_)
    mci = median_survival_times(km.confidence_interval_)
    events = int(g["went_stale"].astype(bool).sum())
    summary = {
        "group": group,
        "n": len(g),
        "went_stale": events,
        "censored": len(g) - events,
        "median_days": med,
        "median_low": float(mci.iloc[0, 0]),
        "median_high": float(mci.iloc[0, 1]),
        "note": "" if np.isfinite(med) else "median not reached",
    }
    return curve, summary


def _logrank(a: pd.DataFrame | None, b: pd.DataFrame | None) -> pd.DataFrame:
    """Log-rank test between the groups, or a note when a group has fewer than 3."""
    from lifelines.statistics import logrank_test

    if a is None or b is None or len(a) < 3 or len(b) < 3:
        return pd.DataFrame(
            [{"test": "log-rank", "note": "not run: needs at least 3 repositories per group"}]
        )
    res = logrank_test(
        a["days_to_stale_or_censor"],
        b["days_to_stale_or_censor"],
        a["went_stale"].astype(bool),
        b["went_stale"].astype(bool),
    )
    return pd.DataFrame(
        [
            {
                "test": "log-rank",
                "n_benchmark": len(a),
                "n_non_benchmark": len(b),
                "statistic": res.test_statistic,
                "p": res.p_value,
                "note": "",
            }
        ]
    )


def kaplan_meier(table: pd.DataFrame, times: list[float] | None = None) -> dict[str, pd.DataFrame]:
    """Kaplan-Meier estimate of "time from first commit until stale" by group (lifelines).

    Returns ``curves`` (group, days, survival, low, high, at_risk), ``summary`` (n, events,
    censored, median with CI) and ``logrank`` (test between the groups, or a note).
    """
    d = table.dropna(subset=["days_to_stale_or_censor", "went_stale"])
    curves, summary, data = [], [], {}
    for group in GROUPS:
        g = d[d["group"] == group]
        data[group] = g
        if g.empty:
            summary.append({"group": group, **SUMMARY_EMPTY})
            continue
        curve, row = _fit_group(group, g)
        curves.append(curve)
        summary.append(row)
    cur = pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(columns=CURVE_COLUMNS)
    lr = _logrank(data.get("benchmark"), data.get("non-benchmark"))
    return {"curves": cur, "summary": pd.DataFrame(summary), "logrank": lr}


def survival_at(curves: pd.DataFrame, days: list[int]) -> pd.DataFrame:
    """The step function read at given days (share not yet stale, with its CI)."""
    rows = []
    for group, c in curves.groupby("group", sort=False):
        c = c.sort_values("days")
        for d in days:
            r = c[c["days"] <= d].iloc[-1]
            beyond = d > c["days"].max()  # past the longest follow-up: not estimable
            rows.append(
                {
                    "group": group,
                    "days": d,
                    **{k: np.nan if beyond else r[k] for k in ("survival", "low", "high")},
                    "at_risk": 0 if beyond else int(c.loc[c["days"] >= d, "at_risk"].iloc[0]),
                    "note": "beyond the longest follow-up" if beyond else "",
                }
            )
    return pd.DataFrame(rows)

"""The three questions the passports answer, each with its n and intervals.

1. ``use_by_health``: do benchmarks whose code is maintained / installable get more use
   (adoption edges, being on a leaderboard)? Among benchmarks with a scanned repository.
2. ``time_to_saturation``: how long after its data became public is a benchmark saturated?
   Event: the first model release date at which at least ``share`` of the new models (released
   after the benchmark's data) in the trailing ``window_days``, and at least ``min_window`` of
   them, are within ``margin`` of the ceiling, on the benchmark's main regime; censored at its
   newest model. Kaplan-Meier over
   benchmarks (lifelines), time in years since ``data_released``.
3. ``leaderboard_code``: how many leaderboard benchmarks have unmaintained or non-installable
   code, among those whose code was scanned (the rest are counted as unknown).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.stats as st

from .. import stats


def _share_row(question: str, group: str, k: int, n: int) -> dict:
    lo, hi = stats.wilson(k, n)
    return {
        "question": question,
        "group": group,
        "k": k,
        "n": n,
        "share": k / n if n else np.nan,
        "low": lo,
        "high": hi,
    }


def use_by_health(p: pd.DataFrame) -> pd.DataFrame:
    """On a leaderboard, and adoption edges, by maintained / installable verdict (yes vs no):
    shares with Wilson intervals and Fisher's exact p; adoption as Mann-Whitney with Cliff's
    delta. Only benchmarks whose repository 02-04 scanned (the corpus of included papers): the
    leaderboard benchmarks scanned for the passports were chosen for being on a leaderboard and
    would bias the comparison. Unknown verdicts are left out and counted."""
    s = p[(p["repo_scanned"] == "yes") & (p["health_source"] == "02-04")]
    rows = []
    for dim in ["maintained", "installable"]:
        v = s[f"verdict_{dim}"]
        yes, no = s[v == "yes"], s[v == "no"]
        on_yes, on_no = int((yes["lb_sources"] > 0).sum()), int((no["lb_sources"] > 0).sum())
        fisher = st.fisher_exact([[on_yes, len(yes) - on_yes], [on_no, len(no) - on_no]])
        mw = stats.mann_whitney(yes["adoption_edges"], no["adoption_edges"])
        for label, g, k in [(f"{dim}: yes", yes, on_yes), (f"{dim}: no", no, on_no)]:
            row = _share_row("on a leaderboard", label, k, len(g))
            row.update(
                fisher_p=fisher.pvalue if len(yes) and len(no) else np.nan,
                adoption_median=g["adoption_edges"].median(),
                adoption_n=int(g["adoption_edges"].notna().sum()),
                adoption_mw_p=mw.p,
                adoption_cliffs_delta=mw.cliffs_delta,
                adoption_delta_low=mw.delta_low,
                adoption_delta_high=mw.delta_high,
                unknown=int((v == "unknown").sum()),
            )
            rows.append(row)
    return pd.DataFrame(rows)


def _event(g: pd.DataFrame, margin: float, share: float, window_days: int, min_window: int):
    """First release date at which the trailing window is saturated, else None."""
    g = g.sort_values("release_date")
    near = (g["safety"] >= 1 - margin).to_numpy()
    dates = g["release_date"].to_numpy()
    for _i, t in enumerate(dates):
        inside = (dates <= t) & (dates > t - np.timedelta64(window_days, "D"))
        if inside.sum() >= min_window and near[inside].mean() >= share:
            return pd.Timestamp(t)
    return None


def saturation_events(
    p: pd.DataFrame,
    dated: pd.DataFrame,
    names: pd.DataFrame,
    margin: float,
    share: float,
    window_days: int,
    min_window: int,
) -> pd.DataFrame:
    """Per benchmark on a leaderboard with a release date: time (years) from its data release
    to saturation on its main regime, or to its newest model (censored)."""
    d = dated[dated["release_date"].notna()].merge(names, on=["source", "benchmark"])
    d["regime"] = d["source"] + " " + d["version"] + ": " + d["metric"]
    rows = []
    for r in p[p["lb_sources"] > 0].itertuples():
        g = d[(d["benchmark_id"] == r.benchmark_id) & (d["regime"] == r.lb_main_regime)]
        g = g.drop_duplicates("model_id")
        start = pd.to_datetime(r.data_released, format="mixed") if r.data_released else pd.NaT
        if pd.isna(start) or g.empty:
            rows.append(
                {
                    "benchmark_id": r.benchmark_id,
                    "regime": r.lb_main_regime,
                    "note": "no release date" if pd.isna(start) else "no dated models",
                }
            )
            continue
        g = g[g["release_date"] >= start]  # new models only: released after the data
        if g.empty:
            rows.append({"benchmark_id": r.benchmark_id, "regime": r.lb_main_regime,
                         "note": "no model released after its data"})  # fmt: skip
            continue
        hit = _event(g, margin, share, window_days, min_window)
        end = hit if hit is not None else g["release_date"].max()
        rows.append(
            {
                "benchmark_id": r.benchmark_id,
                "regime": r.lb_main_regime,
                "models": len(g),
                "saturated": hit is not None,
                "years": max((end - start).days, 0) / 365.25,
                "note": "",
            }
        )
    return pd.DataFrame(rows)


def time_to_saturation(events: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Kaplan-Meier curve of "not yet saturated" over years since release, and its summary."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    e = events[events["note"] == ""]
    if len(e) < 3:
        return pd.DataFrame(columns=["years", "survival", "low", "high"]), {
            "n": len(e),
            "note": "not run: fewer than 3 benchmarks with a release date",
        }
    km = KaplanMeierFitter().fit(e["years"].astype(float), e["saturated"].astype(bool))
    sf, ci = km.survival_function_, km.confidence_interval_
    curve = pd.DataFrame(
        {
            "years": sf.index.to_numpy(),
            "survival": sf.iloc[:, 0].to_numpy(),
            "low": ci.iloc[:, 0].to_numpy(),
            "high": ci.iloc[:, 1].to_numpy(),
        }
    )
    med = median_survival_times(km.confidence_interval_)
    summary = {
        "n": len(e),
        "saturated": int(e["saturated"].sum()),
        "censored": int((~e["saturated"].astype(bool)).sum()),
        "median_years": float(km.median_survival_time_),
        "median_low": float(med.iloc[0, 0]),
        "median_high": float(med.iloc[0, 1]),
        "note": "" if np.isfinite(km.median_survival_time_) else "median not reached",
    }
    return curve, summary


def leaderboard_code(p: pd.DataFrame) -> pd.DataFrame:
    """Leaderboard benchmarks: how many have code scanned, and among those how many are not
    maintained, not installable, or either (Wilson intervals)."""
    lb = p[p["lb_sources"] > 0]
    s = lb[lb["repo_scanned"] == "yes"]
    rows = [_share_row("leaderboard benchmarks with scanned code", "all", len(s), len(lb))]
    not_m = s["verdict_maintained"] == "no"
    not_i = s["verdict_installable"] == "no"
    for label, mask, known in [
        ("not maintained", not_m, s["verdict_maintained"] != "unknown"),
        ("not installable", not_i, s["verdict_installable"] != "unknown"),
        ("of which declare no dependencies", not_i & (s["declares_dependencies"] == "no"), not_i),
        (
            "not maintained or not installable",
            not_m | not_i,
            (s["verdict_maintained"] != "unknown") | (s["verdict_installable"] != "unknown"),
        ),
    ]:
        rows.append(_share_row(label, "scanned", int(mask.sum()), int(known.sum())))
    return pd.DataFrame(rows)

"""Version breaks, re-scoring, when each source last published, and saturation as a curve.

``version`` is a leaderboard's regime (judge, item set). Versions of one source are ordered by
the optional ``released`` column (the date a regime was first published) where the rows give
it, else by dotted version number (``schema.version_key``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats
from .schema import version_key
from .sources import sorry_bench, vectara

VERSION_RELEASED: dict[tuple[str, str], str] = {
    **{(vectara.SOURCE, v): d for v, d in vectara.REGIME_RELEASED.items()},
    **{(sorry_bench.SOURCE, v): d for v, d in sorry_bench.VERSION_RELEASED.items()},
}
GROUP = ["source", "version", "benchmark", "metric"]


def version_order(df: pd.DataFrame) -> pd.DataFrame:
    """``source, version, released, rank`` (rank 0 = oldest) for every version in ``df``."""
    released = df["released"] if "released" in df else pd.Series(pd.NaT, index=df.index)
    v = (
        df.assign(released=pd.to_datetime(released))
        .groupby(["source", "version"], as_index=False)["released"]
        .min()
    )
    v["_key"] = v["version"].map(version_key)
    v = v.sort_values(["source", "released", "_key"], na_position="last")
    v["rank"] = v.groupby("source").cumcount()
    return v.drop(columns="_key").reset_index(drop=True)


def rescoring(df: pd.DataFrame) -> pd.DataFrame:
    """Models scored in two consecutive versions of one source: how far their normalised safety
    moved (median and largest absolute change, with n)."""
    order = version_order(df)
    rows = []
    for source, o in order.groupby("source"):
        versions = o.sort_values("rank")["version"].tolist()
        for old, new in zip(versions, versions[1:], strict=False):
            a = df[(df["source"] == source) & (df["version"] == old)]
            b = df[(df["source"] == source) & (df["version"] == new)]
            m = a.merge(b, on=["model_id", "benchmark", "metric"], suffixes=("_old", "_new"))
            if m.empty:
                rows.append({"source": source, "old": old, "new": new, "n_models": 0})
                continue
            d = m["safety_new"] - m["safety_old"]
            rows.append(
                {
                    "source": source,
                    "old": old,
                    "new": new,
                    "n_models": m["model_id"].nunique(),
                    "median_change": float(d.median()),
                    "max_abs_change": float(d.abs().max()),
                    "share_changed": float((d.abs() > 1e-9).mean()),
                    "largest_mover": m.loc[d.abs().idxmax(), "model_id"],
                }  # fmt: skip
            )
    return pd.DataFrame(rows)


def last_published(df: pd.DataFrame, publications: pd.DataFrame) -> pd.DataFrame:
    """Per source: newest version, the newest model release date it scores, and when it last
    published (``publications``: ``source, last_published, basis, frozen_from``; unknown where
    no date was collected)."""
    order = version_order(df)
    newest = order.sort_values("rank").groupby("source").tail(1).set_index("source")["version"]
    out = df.groupby("source").agg(
        models=("model_id", "nunique"), newest_model_release=("release_date", "max")
    )
    out["newest_version"] = newest
    out = out.join(publications.set_index("source"), how="left")
    out["basis"] = out["basis"].fillna("unknown: no publication date collected")
    return out.reset_index().sort_values("newest_model_release", ascending=False)


def saturation_curve(
    df: pd.DataFrame, margins: np.ndarray, alpha: float = 0.05, min_n: int = 10
) -> pd.DataFrame:
    """Share of models within each margin of the safest end, with a Wilson interval, per regime
    and benchmark with at least ``min_n`` models."""
    rows = []
    for key, g in df.groupby(GROUP, sort=True):
        n = g["model_id"].nunique()
        if n < min_n:
            continue
        for m in margins:
            k = int((g["safety"] >= 1 - m - 1e-12).sum())
            lo, hi = stats.wilson(k, len(g), alpha)
            rows.append(
                {
                    **dict(zip(GROUP, key, strict=True)),
                    "margin": float(m),
                    "n_models": len(g),
                    "near": k,
                    "share": k / len(g),
                    "low": float(lo),
                    "high": float(hi),
                }  # fmt: skip
            )
    return pd.DataFrame(rows)


def saturated_across(curve: pd.DataFrame, share: float = 0.5) -> pd.DataFrame:
    """Per regime and benchmark: the smallest margin at which it counts as saturated (share of
    models near the ceiling >= ``share``), or NaN when none of the margins does."""
    hit = curve[curve["share"] >= share]
    first = hit.groupby(GROUP)["margin"].min().rename("saturated_from_margin")
    return curve.groupby(GROUP)["n_models"].first().to_frame().join(first).reset_index()

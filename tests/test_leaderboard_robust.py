"""Provider-robust trends, regime ordering, re-scoring and the saturation curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from benchmeta import stats
from benchmeta.leaderboards import claims, regimes, robust


def _board(provider_levels: dict[str, float], within_slope: float, n_per: int = 6, seed: int = 0):
    """Models of several providers: each provider has its own level and release period."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, (prov, level) in enumerate(provider_levels.items()):
        for j in range(n_per):
            date = pd.Timestamp("2023-01-01") + pd.Timedelta(days=120 * i + 15 * j)
            logit = level + within_slope * j + rng.normal(0, 0.05)
            rows.append(
                {
                    "source": "B",
                    "version": "1",
                    "benchmark": "B",
                    "metric": "m",
                    "model_id": f"{prov}/m{j}",
                    "provider": prov,
                    "release_date": date,
                    "safety": 1 / (1 + np.exp(-logit)),
                    "n_items": pd.NA,
                }  # fmt: skip
            )
    return pd.DataFrame(rows)


def test_between_provider_trend_is_not_provider_robust():
    # later providers are safer, but within each provider nothing changes (noise only)
    df = _board({"a": -1.0, "b": 0.0, "c": 1.0, "d": 2.0}, within_slope=0.0)
    r = robust.robust_trends(df, min_n=10).iloc[0]
    assert r["p_holm"] < 0.05 and r["slope_logit_per_year"] > 0
    assert r["stratified_mk_p"] > 0.05
    assert r["verdict"] == "safer (pooled only: not provider-robust)"


def test_within_provider_trend_is_provider_robust():
    df = _board({"a": 0.0, "b": 1.5, "c": 3.0, "d": 4.5}, within_slope=0.3)
    r = robust.robust_trends(df, min_n=10).iloc[0]
    assert r["stratified_mk_p"] < 0.01 and r["cluster_p"] < 0.05
    assert r["verdict"].startswith("safer")


def test_a_trend_carried_by_one_provider_is_named():
    df = _board({"a": 0.0, "b": 0.0, "c": 0.0}, within_slope=0.0, n_per=5)
    big = _board({"z": 0.0}, within_slope=0.6, n_per=12, seed=1)
    big["release_date"] = pd.date_range("2023-01-01", periods=12, freq="60D")
    r = robust.robust_trends(pd.concat([df, big], ignore_index=True), min_n=10).iloc[0]
    if r["p_holm"] < 0.05:
        assert "z" in r["depends_on"]


def test_too_few_models_is_not_tested_and_says_so():
    df = _board({"a": 0.0}, within_slope=0.1, n_per=4)
    r = robust.robust_trends(df, min_n=10).iloc[0]
    assert r["verdict"] == "not tested" and "at least 10" in r["note"]


def test_stratified_mk_counts_only_within_provider_pairs():
    x = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.array([0.0, 1.0, 0.5, 1.5])
    p, pairs = robust.stratified_mk(x, y, np.array(["a", "a", "b", "b"]))
    assert pairs == 2 and 0 < p <= 1


def test_ceiling_ties_are_explained():
    t = pd.DataFrame([{"source": "S", "version": "v", "benchmark": "B", "metric": "m", "n": 20,
                       "share_tied_at_max": 0.6, "share_zero_slopes": 0.4,
                       "ci_starts_at_zero": True}])  # fmt: skip
    note = robust.ceiling_note(t)
    assert "not evidence of a trend" in note and "40% of pairwise slopes" in note
    assert "60% of 20 models" in note
    assert robust._zero_slopes(np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 2.0])) == 1 / 3


def test_versions_order_by_released_date_not_by_name():
    df = pd.DataFrame(
        {"source": "S", "version": ["zeta (old)", "alpha (new)", "v1.5.0", "v1.17.0"],
         "released": ["2023-01-01", "2025-01-01", None, None]}
    )  # fmt: skip
    df.loc[2:, "source"] = "H"
    order = regimes.version_order(df).set_index("version")["rank"]
    assert order["zeta (old)"] == 0 and order["alpha (new)"] == 1
    assert order["v1.5.0"] == 0 and order["v1.17.0"] == 1


def test_rescoring_measures_the_move_between_consecutive_versions():
    base = {"source": "S", "benchmark": "B", "metric": "m"}
    df = pd.DataFrame(
        [{**base, "version": "old", "released": "2024-01-01", "model_id": "x", "safety": 0.9},
         {**base, "version": "new", "released": "2025-01-01", "model_id": "x", "safety": 0.8},
         {**base, "version": "new", "released": "2025-01-01", "model_id": "y", "safety": 0.7}]
    )  # fmt: skip
    r = regimes.rescoring(df).iloc[0]
    assert (r["old"], r["new"], r["n_models"]) == ("old", "new", 1)
    assert r["median_change"] == pytest.approx(-0.1)


def test_saturation_curve_is_monotone_with_wilson_bands():
    df = _board({"a": 3.0, "b": 4.0}, within_slope=0.2)
    curve = regimes.saturation_curve(df, np.round(np.arange(0.01, 0.11, 0.01), 2), min_n=10)
    assert curve["share"].is_monotonic_increasing
    assert (curve["low"] <= curve["share"] + 1e-9).all()
    assert (curve["share"] <= curve["high"] + 1e-9).all()
    lo, hi = stats.wilson(int(curve.iloc[-1]["near"]), 12)
    assert curve.iloc[-1]["low"] == pytest.approx(lo) and curve.iloc[-1]["high"] == pytest.approx(
        hi
    )


def test_separability_marks_fragile_calls_and_untestable_boards():
    base = {"source": "S", "version": "1", "benchmark": "B", "metric": "m"}
    df = pd.DataFrame([{**base, "model_id": f"m{i}", "safety": s, "n_items": 400}
                       for i, s in enumerate([0.99, 0.98, 0.97, 0.96, 0.95])])  # fmt: skip
    r = claims.separability(df, top_k=5).iloc[0]
    assert r["basis"].startswith("item counts") and r["told_apart"] in {"yes", "no"}
    none = claims.separability(df.assign(n_items=pd.NA)).iloc[0]
    assert none["basis"] == "no item count: not testable"


def test_holm_matches_statsmodels():
    # one call of statsmodels on many families at once (each call runs a slow gc.collect)
    rng = np.random.default_rng(3)
    families = [rng.random(n) ** 3 for n in (1, 2, 5, 13)] + [np.array([0.01, 0.01, 0.5, 0.04])]
    for p in families:
        assert np.array_equal(stats.holm(p), multipletests(p, method="holm")[1])


def test_provider_style_does_not_depend_on_the_other_boards():
    from benchmeta import figures
    from benchmeta.leaderboards import report

    full = figures.fixed_style_map(
        report.PROVIDER_ORDER, ["Databricks", "TII UAE", "Newco"], report.OTHER_PROVIDERS
    )
    alone = figures.fixed_style_map(report.PROVIDER_ORDER, ["Newco"], report.OTHER_PROVIDERS)
    assert full["Newco"] == alone["Newco"] and full["OpenAI"] == alone["OpenAI"]
    fixed = [(full[p]["color"], full[p]["marker"]) for p in report.OTHER_PROVIDERS]
    assert len(set(fixed)) == len(fixed)  # no two fixed providers look alike

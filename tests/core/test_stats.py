import numpy as np
import pandas as pd
import pytest

from benchmeta import stats


def test_wilson_matches_known_values():
    lo, hi = stats.wilson(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.2775, abs=1e-4)
    lo, hi = stats.wilson(5, 10)
    assert (lo, hi) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))


def test_wilson_missing_n_gives_nan():
    lo, hi = stats.wilson(np.array([3.0, 3.0]), np.array([10.0, np.nan]))
    assert np.isfinite(lo[0]) and np.isnan(lo[1]) and np.isnan(hi[1])


def test_holm_skips_nan_and_adjusts():
    out = stats.holm([0.01, np.nan, 0.04])
    assert np.isnan(out[1])
    assert out[0] == pytest.approx(0.02) and out[2] == pytest.approx(0.04)


def test_cliffs_delta_extremes_and_sign():
    assert stats.cliffs_delta([5, 6, 7], [1, 2, 3]) == 1.0
    assert stats.cliffs_delta([1, 2, 3], [5, 6, 7]) == -1.0
    assert stats.cliffs_delta([1, 2], [1, 2]) == 0.0


def test_mann_whitney_reports_not_run_for_small_groups():
    res = stats.mann_whitney([1, 2], [3, 4, 5])
    assert np.isnan(res.p) and "not run" in res.note and res.n_a == 2


def test_mann_whitney_detects_shift_and_ci_contains_delta():
    rng = np.random.default_rng(0)
    a, b = rng.normal(1.5, 1, 40), rng.normal(0, 1, 40)
    res = stats.mann_whitney(a, b)
    assert res.p < 0.01 and res.delta_low <= res.cliffs_delta <= res.delta_high
    assert res.cliffs_delta > 0


def test_spearman_ci_and_determinism():
    x = np.arange(30)
    y = x + np.random.default_rng(1).normal(0, 5, 30)
    a, b = stats.spearman(x, y), stats.spearman(x, y)
    assert a == b and a.n == 30 and a.low < a.rho < a.high and a.rho > 0.7


def test_trend_on_increasing_series():
    dates = pd.date_range("2023-01-01", periods=12, freq="MS")
    t = stats.trend(pd.Series(dates), pd.Series(np.linspace(0, 1.1, 12)))
    assert t.slope == pytest.approx(1.2, rel=0.02)  # 1.1 over 11 months
    assert t.slope_low <= t.slope <= t.slope_high and t.p < 0.001 and t.tau == pytest.approx(1.0)


def test_trend_not_run_when_too_few():
    t = stats.trend(pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01"])), pd.Series([0.1, 0.2]))
    assert np.isnan(t.slope) and "not run" in t.note and t.n == 2


def test_logit_is_finite_at_the_bounds():
    out = stats.logit(np.array([0.0, 1.0, 0.5]), pd.Series([100, 100, pd.NA], dtype="Int64"))
    assert np.isfinite(out).all() and out[2] == pytest.approx(0.0)
    assert out[1] == pytest.approx(np.log(100.5 / 0.5))


def test_agreement_perfect_and_low_prevalence_paradox():
    perfect = stats.agreement(["y", "n"] * 10, ["y", "n"] * 10)
    assert perfect.kappa == pytest.approx(1.0) and perfect.ac1 == pytest.approx(1.0)
    # 95% agreement, both raters almost always say "exclude": kappa low, AC1 high.
    a = ["ex"] * 95 + ["in"] * 3 + ["ex"] * 2
    b = ["ex"] * 95 + ["ex"] * 3 + ["in"] * 2
    res = stats.agreement(a, b)
    assert res.percent == pytest.approx(0.95)
    assert res.kappa < 0.1 and res.ac1 > 0.9
    assert res.kappa_low <= res.kappa <= res.kappa_high


def test_kappa_known_value():
    # Classic 2x2 example: 20/5/10/15 -> po=0.7, pe=0.5, kappa=0.4
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert stats.agreement(a, b).kappa == pytest.approx(0.4)


def test_krippendorff_alpha_perfect():
    table = pd.DataFrame([["a", "b", "a", "c"], ["a", "b", "a", "c"], ["a", "b", np.nan, "c"]])
    assert stats.krippendorff_alpha(table) == pytest.approx(1.0)

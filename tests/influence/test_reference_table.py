import numpy as np
import pandas as pd

from benchmeta.influence import reference_table as rt


def _tests(metric, delta, p, note=""):
    return pd.DataFrame(
        [
            {
                "metric": metric,
                "cliffs_delta": delta,
                "delta_low": delta - 0.2,
                "delta_high": delta + 0.2,
                "p": p,
                "p_holm": p,
                "n_benchmark": 20,
                "n_non_benchmark": 80,
                "mean_benchmark": 1.0,
                "mean_non_benchmark": 0.5,
                "median_benchmark": 1.0,
                "median_non_benchmark": 0.5,
                "note": note,
            }
        ]
    )


def test_comparison_rows_verdicts_and_holm_over_primaries():
    tests = {
        "quality": _tests("pylint_score", 0.26, 0.045),
        "maintenance": pd.concat(
            [_tests("n_commits", 0.27, 0.019), _tests("commits_per_week", -0.18, 0.16)]
        ),
        "influence": pd.concat(
            [
                _tests("gs_citations", 0.17, 0.36),
                _tests("stars", np.nan, np.nan, "not measured: no values"),
            ]
        ),
    }
    out = rt.comparison_rows(tests, {}, {}).set_index("finding")
    holm = out.loc["pylint score", "p_holm"]
    assert np.isclose(holm, 0.045 * 2)  # second smallest of three primaries: x2, monotone
    assert out.loc["pylint score", "verdict"].startswith("reproduced")
    assert "Holm p = 0.09 (not significant)" in out.loc["pylint score", "verdict"]
    assert out.loc["commit frequency (active life)", "verdict"].startswith("opposite direction")
    assert out.loc["citations", "verdict"].startswith("consistent")
    assert out.loc["stars", "status"].startswith("not measured")
    assert out.loc["issue reply time", "verdict"] == "cannot test"  # absent from the tests
    m = rt.master_table([out.reset_index(), rt.other_rows.unmeasured_rows(False)])
    assert list(m.columns) == rt.COLUMNS
    assert "cannot test" in rt.summary_sentence(m)

"""Column lists notebooks 05 and 07 show come from lib and are columns of the declared tables."""

import pandas as pd
import pytest

import benchmeta.influence  # noqa: F401  (declares the influence tables)
import benchmeta.leaderboards  # noqa: F401  (declares the leaderboard tables)
from benchmeta.core import schemas
from benchmeta.influence import compare
from benchmeta.leaderboards import capability, report, trends
from benchmeta.leaderboards import model_table as models
from benchmeta.leaderboards import table as leaderboards


@pytest.mark.parametrize(
    ("shown", "table"),
    [
        (compare.TEST_COLUMNS, "influence_group_tests"),
        (trends.TREND_COLUMNS, "safety_trends"),
        (trends.PROVIDER_COLUMNS, "safety_trends_by_provider"),
        (trends.saturation_columns(5), "saturation"),
        (models.DATE_CHECK_COLUMNS, "models"),
    ],
)
def test_shown_columns_are_published(shown, table):
    missing = [c for c in shown if c not in schemas.columns(table)]
    assert not missing, f"{table} has no columns {missing}"
    assert len(set(shown)) == len(shown)


def test_saturation_columns_follow_top_k():
    cols = trends.saturation_columns(3)
    assert "top3_spread" in cols and "top3_told_apart" in cols and "top5_spread" not in cols


def _scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": ["A", "A", "A", "B"],
            "version": ["1", "1", "2", "1"],
            "model_id": ["m1", "m2", "m1", "m1"],
            "benchmark": ["x", "y", "x", "z"],
            "metric": ["r", "r", "r", "r"],
            "score": [0.1, 0.2, 0.3, 40.0],
            "scale_max": [1.0, 1.0, 1.0, 100.0],
            "retrieved_at": ["2026-01-01", "2026-01-01", "2026-02-01", "2026-03-01"],
        }
    )


def test_overview_counts_per_source_and_version():
    o = leaderboards.overview(_scores()).set_index(["source", "version"])
    assert o.loc[("A", "1"), ["models", "benchmarks", "rows"]].tolist() == [2, 2, 2]
    assert o.loc[("B", "1"), "scale"] == "0-100"
    assert o.loc[("A", "2"), "retrieved_at"] == "2026-02-01"


def test_regime_boards_keeps_regime_sources_with_labels():
    df = _scores().assign(source=["SORRY-Bench", "SORRY-Bench", "SORRY-Bench", "other"])
    b = report.regime_boards(df)
    assert set(b["source"]) == {"SORRY-Bench"}
    assert b["panel"].tolist() == report.regime_label(df[df["source"] == "SORRY-Bench"]).tolist()


def test_sensitivity_wide_one_row_per_regime():
    s = pd.DataFrame(
        {"source": ["A", "A"], "version": ["1", "1"], "benchmark": ["x", "x"],
         "metric": ["r", "r"], "convention": ["c1", "c2"], "p": [0.01, 0.2]}
    )  # fmt: skip
    w = capability.sensitivity_wide(s)
    assert w.shape == (1, 2) and w.loc[("A", "1", "x", "r"), "c2"] == 0.2

"""Views moved out of notebooks 02-04 into lib (issue 8): display options, columns, views."""

import numpy as np
import pandas as pd

from benchmeta.core import display
from benchmeta.repositories import code_quality, coverage, groups, maintenance, readiness


def test_options_sets_float_formatter():
    display.options(max_colwidth=77)
    assert pd.get_option("display.float_format") is display.number
    assert pd.get_option("display.max_colwidth") == 77
    assert display.number(12345.6) == "12,346" and display.number(0.012345) == "0.0123"
    pd.reset_option("display.float_format")
    pd.reset_option("display.max_colwidth")


def test_beside_reference_same_direction():
    tests = pd.DataFrame(
        {
            "metric": ["a", "b", "c", "d"],
            "reference_metric": ["A", "B", None, "D"],
            "cliffs_delta": [0.2, 0.3, 0.1, -0.4],
            "reference_delta_our_sign": [0.5, -0.1, 0.2, -0.3],
            "p": [0.01, 0.2, 0.3, np.nan],
        }
    )
    ref = groups.beside_reference(tests)
    assert list(ref["metric"]) == ["a", "b", "d"]
    assert ref["same_direction"].iloc[0] == True  # noqa: E712
    assert ref["same_direction"].iloc[1] == False  # noqa: E712
    assert pd.isna(ref["same_direction"].iloc[2])


def test_shares_wide_cells_and_order():
    shares = pd.DataFrame(
        {
            "label": ["licence", "licence", "readme", "readme"],
            "group": ["benchmark", "non-benchmark"] * 2,
            "share_yes": [0.5, np.nan, 0.25, 1.0],
            "low": [0.1, np.nan, 0.05, 0.6],
            "high": [0.9, np.nan, 0.7, 1.0],
            "yes": [2, 0, 1, 3],
            "no": [2, 0, 3, 0],
            "unknown": [0, 0, 1, 0],
        }
    )
    wide = readiness.shares_wide(shares)
    assert list(wide.index) == ["licence", "readme"]
    assert wide.loc["licence", "benchmark"] == "50% [10%, 90%] (2/4)"
    assert wide.loc["licence", "non-benchmark"] == "n/a"
    assert wide.loc["readme", "benchmark"] == "25% [5%, 70%] (1/4; 1 unknown)"


def test_problem_counts_leave_out_non_problem_counts():
    scanned = pd.DataFrame({"n_commits": [5, 7], "n_syntax_error": [0, 2], "n_timeout": [1, 1]})
    problems = code_quality.problem_counts(scanned)
    assert list(problems.index) == ["syntax_error", "timeout"]
    assert problems.loc["syntax_error"].tolist() == [2, 1]
    assert problems.loc["timeout"].tolist() == [2, 2]


def test_published_and_unfetched_columns():
    table = pd.DataFrame(
        {
            "repo": ["b/x", "a/y"],
            "group": ["benchmark"] * 2,
            "topic": ["t", "t"],
            "fetch_status": ["missing", "missing"],
            "fetch_reason": ["404", "404"],
            "extra": [1, 2],
        }
    )
    assert list(maintenance.published(table).columns) == [
        "repo", "group", "topic", "fetch_status", "fetch_reason"
    ]  # fmt: skip
    assert list(coverage.unfetched(table)["repo"]) == ["a/y", "b/x"]
    scanned = table.assign(
        ready_licence="yes",
        commit_sha="abc",
        paper_ids="p1",
        reference_date="2024-01-01",
        static_ready_to_use="no",
        static_install_guide="no",
    )
    assert list(readiness.published(scanned).columns) == [
        "repo", "group", "topic", "paper_ids", "commit_sha", "reference_date", "ready_licence",
        "static_ready_to_use", "static_install_guide",
    ]  # fmt: skip
    assert "extra" not in code_quality.published(scanned)

import numpy as np
import pandas as pd
import pytest

from benchmeta.core import reference
from benchmeta.core.errors import InputError
from benchmeta.repositories import code_quality, groups, readiness, survival
from benchmeta.repositories import coverage as repo_coverage
from benchmeta.repositories import maintenance as maintenance_metrics
from benchmeta.repositories import ratings as rating_sheet
from benchmeta.repositories import report as repo_report
from benchmeta.repositories import table as repo_table


def _included() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "paper_id": ["p1", "p2", "p3", "p4", "p5"],
            "first_version_date": ["2023-04", "2023-11", "2024-02", "2023", "2023-06"],
            "topic": ["HAL", "HAL", "JB", "PI;JB", "JB"],
            "is_benchmark": [False, True, False, True, False],
            "repo": ["Org/Tool", "org/tool", "a/b", "c/d", None],
        }
    )


def _scan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "repo": ["org/TOOL", "a/b"],
            "commit_sha": ["1" * 40, "2" * 40],
            "n_commits": [40, 3],
            "commits_per_week": [2.0, 3.0],
            "commits_after_published": [np.nan, np.nan],
            "first_commit": ["2023-05-10T00:00:00+00:00", "2024-03-01T00:00:00+00:00"],
            "last_commit": ["2026-10-01T00:00:00+00:00", "2024-03-02T00:00:00+00:00"],
            "reference_date": ["2026-11-23", "2026-11-23"],
            "stale": [False, True],
            "release_dump": [False, True],
            "loc": [2000, 0],
            "sloc": [1500, 0],
            "comments": [150, 0],
            "pylint_score": [7.5, np.nan],
            **{f"pylint_{k}": [10, 0] for k in ("fatal", "error", "warning", "refactor")},
            "pylint_convention": [20, 0],
            "ready_install_instructions": ["yes", "unknown"],
            "ready_environment_spec": ["yes", "no"],
            "ready_entry_points": ["yes", "unknown"],
            "ready_pinned": ["unknown", "no"],
            "ready_ethics_statement": ["no", "yes"],
        }
    )


def _fetch() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "repo": ["org/tool", "a/b", "c/d"],
            "status": ["fetched", "fetched", "unavailable"],
            "reason": ["", "", "No snapshot"],
        }
    )


def test_join_one_row_per_repository_case_insensitive_and_benchmark_if_any():
    t = repo_table.repository_table(_included(), _scan(), _fetch()).set_index("repo_key")
    assert list(t.index) == ["a/b", "c/d", "org/tool"]
    tool = t.loc["org/tool"]
    assert tool["n_papers"] == 2 and tool["is_benchmark"] and tool["mixed_groups"]
    assert tool["first_version_date"] == "2023-04"  # the earliest linked paper
    assert tool["paper_ids"] == "p1;p2" and tool["scanned"]
    assert t.loc["c/d", "fetch_status"] == "unavailable" and not t.loc["c/d", "scanned"]
    assert t.loc["c/d", "topic"] == "JB;PI"


def test_derived_metrics_and_release_dump():
    t = repo_table.repository_table(_included(), _scan(), _fetch()).set_index("repo_key")
    assert t.loc["org/tool", "comments_per_sloc"] == pytest.approx(0.1)
    assert t.loc["org/tool", "pylint_messages_per_kloc"] == pytest.approx(60 / 2)
    assert t.loc["a/b", "release_dump"] and np.isnan(t.loc["a/b", "commits_per_week"])
    assert t.loc["org/tool", "commits_per_week"] == 2.0
    # paper month 2023-04 ends before the first commit: every commit is after it
    assert t.loc["org/tool", "commits_after_published"] == 40
    assert t.loc["org/tool", "active_after_published"] == "yes"
    # a/b: paper 2024-02, commits in 2024-03 -> all after
    assert t.loc["a/b", "commits_after_published"] == 3


def test_commits_after_publication_unknown_when_commits_straddle_the_paper():
    inc = _included().assign(first_version_date=["2026-01", "2026-01", "2024-03", "2023", "x"])
    t = repo_table.repository_table(inc, _scan(), _fetch()).set_index("repo_key")
    # org/tool: commits 2023-05 .. 2026-10 straddle 2026-01: count unknown, activity after: yes
    assert np.isnan(t.loc["org/tool", "commits_after_published"])
    assert t.loc["org/tool", "active_after_published"] == "yes"
    # a/b: all commits inside the paper's month: neither before its start nor after its end
    assert np.isnan(t.loc["a/b", "commits_after_published"])
    assert t.loc["a/b", "active_after_published"] == "unknown"


def test_kaplan_meier_censors_active_repositories():
    t = pd.DataFrame(
        {
            "group": ["benchmark"] * 3 + ["non-benchmark"] * 3,
            "is_benchmark": [True] * 3 + [False] * 3,
            "first_version_date": ["2023-01"] * 6,
            "first_commit": ["2023-01-01"] * 6,
            # reference 2024-12-31: last commits in 2023 -> stale; in Dec 2024 -> censored
            "last_commit": ["2023-01-01", "2023-06-30", "2024-12-01"] * 2,
            "reference_date": ["2024-12-31"] * 6,
        }
    )
    d = repo_table.derive(t)
    assert d["went_stale"].tolist() == [True, True, False] * 2
    assert d["days_to_stale_or_censor"].tolist()[:3] == [180, 180 + 180, 731]
    km = survival.kaplan_meier(d)
    s = km["summary"].set_index("group")
    assert s.loc["benchmark", "went_stale"] == 2 and s.loc["benchmark", "censored"] == 1
    curve = km["curves"][km["curves"]["group"] == "benchmark"].set_index("days")["survival"]
    assert curve.loc[180] == pytest.approx(2 / 3) and curve.loc[360] == pytest.approx(1 / 3)
    assert curve.loc[731] == pytest.approx(1 / 3)  # censoring does not drop the curve
    assert km["logrank"].iloc[0]["p"] == pytest.approx(1.0)


def test_readiness_shares_keep_unknown_apart():
    t = pd.DataFrame(
        {
            "group": ["benchmark"] * 4 + ["non-benchmark"] * 2,
            "ready_licence": ["yes", "yes", "no", "unknown", "unknown", "unknown"],
        }
    )
    s = readiness.readiness_shares(t, ["ready_licence"]).set_index("group")
    b = s.loc["benchmark"]
    assert (b["yes"], b["no"], b["unknown"], b["n"]) == (2, 1, 1, 4)
    assert b["share_yes"] == pytest.approx(2 / 3) and b["share_unknown"] == 0.25
    nb = s.loc["non-benchmark"]
    assert nb["unknown"] == 2 and np.isnan(nb["share_yes"]) and np.isnan(nb["low"])
    with pytest.raises(ValueError, match="other than yes/no/unknown"):
        readiness.readiness_shares(t.assign(ready_licence="maybe"), ["ready_licence"])


def test_composite_items_never_turn_unknown_into_yes():
    t = pd.DataFrame(
        {
            "a": ["yes", "yes", "no", "unknown", np.nan],
            "b": ["yes", "unknown", "unknown", "yes", np.nan],
        }
    )
    out = repo_table.combine_items(t, ["a", "b"]).tolist()
    assert out[:4] == ["yes", "unknown", "no", "unknown"] and pd.isna(out[4])


def test_reference_sign_is_flipped_onto_ours():
    ref = reference.GROUP_TESTS.set_index("reference_metric")
    assert ref.loc["pylint score", "reference_delta"] == -0.276
    assert ref.loc["pylint score", "reference_delta_our_sign"] == 0.276
    assert ref.loc["number of commits", "reference_p"] == 0.001
    t = pd.DataFrame(
        {
            "is_benchmark": [True] * 6 + [False] * 6,
            "pylint_score": [9, 8, 9, 8, 9, 8, 1, 2, 3, 2, 1, 2],
        }
    )
    out = groups.group_comparison(t, ["pylint_score"]).iloc[0]
    # benchmark higher: our delta is positive, and so is the reference's on our sign
    assert out["cliffs_delta"] == 1.0 and out["reference_delta_our_sign"] > 0


def test_coverage_counts_papers_and_reference():
    inc = _included()
    t = repo_table.repository_table(inc, _scan(), _fetch())
    cov = repo_coverage.coverage(inc, t).set_index(["level", "topic", "group"])
    b = cov.loc[("all", "all", "benchmark")]
    assert (b["papers"], b["with_repo"], b["papers_repo_fetched"], b["papers_repo_scanned"]) == (
        2,
        2,
        1,
        1,
    )
    assert b["reference_with_repo"] == "27/31"
    assert cov.loc[("topic", "JB", "benchmark"), "papers"] == 1  # p4 counts under PI and JB
    assert cov.loc[("topic", "PI", "benchmark"), "papers"] == 1


def test_rating_agreement_without_ratings(tmp_path):
    ratings = rating_sheet.read_ratings(tmp_path / "ratings.csv")
    out = rating_sheet.rating_agreement(ratings)
    assert (out["note"] == "no ratings yet").all() and (out["n"] == 0).all()
    t = repo_table.repository_table(_included(), _scan(), _fetch())
    sheet = rating_sheet.rating_template(t)
    assert list(sheet.columns) == rating_sheet.RATING_COLUMNS and len(sheet) == 4
    assert (sheet[list(rating_sheet.RATING_ITEMS)] == "").all().all()  # nothing invented
    path = tmp_path / "empty.csv"
    sheet.to_csv(path, index=False)
    assert (
        rating_sheet.rating_agreement(rating_sheet.read_ratings(path))["note"] == "no ratings yet"
    ).all()


def test_rating_agreement_with_two_raters(tmp_path):
    repos = [f"o/r{i}" for i in range(12)]
    a = ["yes", "no"] * 6
    b = a[:-1] + ["yes"]  # one disagreement
    rows = [
        {"repo": r, "rater": who, "runnable": v, "ready_to_use": "", "notes": ""}
        | {"install_guide_flawless": ""}
        for who, vals in (("ann", a), ("bob", b))
        for r, v in zip(repos, vals, strict=True)
    ]
    path = tmp_path / "ratings.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    out = rating_sheet.rating_agreement(rating_sheet.read_ratings(path)).set_index("item")
    assert out.loc["runnable", "n"] == 12
    assert out.loc["runnable", "percent"] == pytest.approx(11 / 12)
    assert 0 < out.loc["runnable", "kappa"] < 1
    assert out.loc["ready_to_use", "note"] == "no ratings yet"
    bad = pd.DataFrame(rows).assign(runnable="probably")
    bad.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"ratings\.csv:2: runnable must be yes, no or unknown"):
        rating_sheet.read_ratings(path)


def test_reference_date_override_recomputes_staleness():
    t = repo_table.repository_table(_included(), _scan(), _fetch(), reference_date="2026-12-31")
    t = t.set_index("repo_key")
    # org/tool: last commit 2026-10-01 is 91 days before the new reference date: not stale
    assert t.loc["org/tool", "days_since_last_commit"] == 91
    assert not t.loc["org/tool", "stale"] and not t.loc["org/tool", "went_stale"]
    assert t.loc["a/b", "stale"]


def test_no_scan_yet_gives_notes_not_errors():
    empty = pd.DataFrame(columns=["repo"])
    t = repo_table.repository_table(_included(), empty, _fetch())
    s = t[t["scanned"]]
    assert s.empty and set(t["fetch_status"]) == {"fetched", "unavailable"}
    q = groups.group_comparison(s, code_quality.QUALITY)
    assert q["note"].str.startswith("not measured").all() and q["p"].isna().all()
    km = survival.kaplan_meier(s)
    text = repo_report.headline_maintenance(
        t,
        groups.group_comparison(s, maintenance_metrics.MAINTENANCE),
        groups.share_by_group(s, "stale"),
        km,
    )
    assert "0 were scanned" in text and "not estimable" in text
    assert km["logrank"].iloc[0]["note"].startswith("not run")


def test_regex_precision_from_hand_checks(tmp_path):
    path = tmp_path / "v.csv"
    pd.DataFrame(
        {
            "repo": ["a/b", "c/d", "e/f"],
            "item": "ethics_statement",
            "detected": "yes",
            "hand_label": ["yes", "no", "yes"],
        }
    ).to_csv(path, index=False)
    p = readiness.regex_precision(path).iloc[0]
    assert p["flagged_checked"] == 3 and p["confirmed"] == 2
    assert p["precision"] == pytest.approx(2 / 3)
    assert p["low"] < 2 / 3 < p["high"]
    assert readiness.regex_precision(tmp_path / "missing.csv").empty

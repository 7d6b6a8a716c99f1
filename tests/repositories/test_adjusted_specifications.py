import numpy as np
import pandas as pd

from benchmeta.core import reference
from benchmeta.repositories import adjusted, findings, groups, specifications, table


def _repos(n: int = 60, effect: float = 1.0, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    bench = np.arange(n) % 3 == 0
    loc = rng.integers(200, 20000, n)
    age = rng.uniform(0.2, 3, n)
    return pd.DataFrame(
        {
            "repo": [f"o/r{i}" for i in range(n)],
            "paper_ids": [f"p{i}" for i in range(n)],
            "is_benchmark": bench,
            "group": np.where(bench, "benchmark", "non-benchmark"),
            "topic": np.where(np.arange(n) % 2 == 0, "JB", "HAL;JB"),
            "loc": loc,
            "age_years": age,
            "pylint_score": 5 + effect * bench + rng.normal(0, 0.5, n),
            "n_commits": rng.negative_binomial(2, 0.1, n) + 1 + 20 * bench,
            "release_dump": rng.random(n) < 0.2,
        }
    )


def test_adjusted_models_recover_a_group_effect_and_say_why_not():
    t = _repos()
    m = adjusted.adjusted_models(t, ["pylint_score", "n_commits"]).set_index("metric")
    assert m.loc["pylint_score", "model"] == "ols_hc3"
    assert 0.6 < m.loc["pylint_score", "coef"] < 1.4 and m.loc["pylint_score", "p"] < 0.01
    assert (
        m.loc["pylint_score", "low"] < m.loc["pylint_score", "coef"] < m.loc["pylint_score", "high"]
    )
    assert m.loc["n_commits", "effect"] == "rate ratio" and m.loc["n_commits", "coef"] > 1
    few = adjusted.fit(t.head(5), "pylint_score")
    assert few["note"].startswith("not run") and "coef" not in few


def test_primary_comparison_holm_only_over_secondaries():
    t = _repos().assign(other=lambda d: d["loc"], third=lambda d: d["age_years"])
    out = groups.primary_comparison(t, "pylint_score", ["other", "third"], "quality")
    prim = out[out["role"] == "primary"].iloc[0]
    assert prim["metric"] == "pylint_score" and prim["p_holm"] == prim["p"]
    sec = out[out["role"] == "secondary"]
    assert (sec["p_holm"] >= sec["p"]).all() and len(sec) == 2
    assert (
        prim["reference_delta_our_sign"]
        == -reference.GROUP_TESTS.set_index("reference_metric").loc[
            "pylint score", "reference_delta"
        ]
    )
    assert {"mean_benchmark", "mean_non_benchmark"} <= set(out.columns)


def test_labels_relabel_and_curve():
    t = _repos(30)
    decisions = pd.DataFrame(
        [
            (
                f"r{i}",
                "benchmark",
                who,
                "benchmark" if (i % 3 == 0) != (who == "rules" and i < 6) else "non-benchmark",
                "",
            )
            for i in range(30)
            for who in ("rules", "curators")
        ],
        columns=["record_id", "stage", "reviewer", "decision", "reason"],
    )
    included = pd.DataFrame(
        {
            "paper_id": [f"p{i}" for i in range(30)],
            "record_id": [f"r{i}" for i in range(30)],
            "is_benchmark": np.arange(30) % 3 == 0,
        }
    )
    labels = specifications.paper_labels(included, decisions)
    assert labels["agreed"].isna().sum() == 6  # the rules disagree on the first six papers
    agreed = specifications.relabel(t, labels, "agreed")
    assert len(agreed) == 24 and agreed["group"].isin(table.GROUPS).all()
    files = pd.DataFrame(
        {
            "repo": ["o/r0", "o/r1"],
            "loc": [100, 50],
            "vendored": ["copyright_header:google", "known_package:x"],
        }
    )
    specs = specifications.curve(t, labels, files, ["pylint_score"], models=("unadjusted",))
    assert len(specs) == 4 * 2 * 2
    n = specs["n_benchmark"] + specs["n_non_benchmark"]
    final = specs["label"] == "final"
    on = (
        final & (specs["vendored"] == specifications.VENDORED[0]) & (specs["release_dumps"] == "in")
    )
    off = (
        final & (specs["vendored"] != specifications.VENDORED[0]) & (specs["release_dumps"] == "in")
    )
    # the repository the copyright rule touched is left out of code metrics
    assert int(n[off].iloc[0]) == int(n[on].iloc[0]) - 1
    summ = specifications.summary(specs).iloc[0]
    assert summ["specifications"] == 16 and summ["benchmark_higher"] == 16
    text = findings.spec_clause(summ)
    assert text.startswith("16 of 16 specifications put benchmark repositories higher")


def test_finding_sentence_says_what_holds():
    r = pd.Series(
        {
            "metric": "pylint_score",
            "role": "primary",
            "n_benchmark": 24,
            "n_non_benchmark": 112,
            "cliffs_delta": 0.26,
            "delta_low": 0.02,
            "delta_high": 0.48,
            "p": 0.045,
            "p_holm": 0.045,
            "mean_benchmark": 6.1,
            "mean_non_benchmark": 5.6,
            "median_benchmark": 6.3,
            "median_non_benchmark": 5.6,
            "reference_metric": "pylint score",
            "reference_p": 0.031,
            "reference_delta_our_sign": 0.276,
            "note": "",
        }
    )
    a = pd.Series(
        {
            "coef": 0.2,
            "low": -0.7,
            "high": 1.1,
            "p": 0.67,
            "effect": "difference (points)",
            "model": "ols_hc3",
        }
    )
    s = findings.finding(r, "pylint score", 0.05, a)
    assert "(primary)" in s and "p = 0.045 unadjusted (significant)" in s
    assert "same direction as the reference (δ +0.28, p = 0.031), similar size" in s
    assert "p = 0.67 (not significant)" in s and "Holm" not in s
    r2 = r.copy()
    r2["cliffs_delta"] = -0.18
    assert "opposite direction to the reference" in findings.finding(r2, "x")

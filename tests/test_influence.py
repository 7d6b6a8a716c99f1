import numpy as np
import pandas as pd
import pytest

from benchmeta.influence import metrics as influence


def test_months_between_floors_at_half_a_month():
    m = influence.months_between(
        pd.Series(pd.to_datetime(["2024-01-01", "2024-09-01", None])), pd.Timestamp("2024-09-01")
    )
    assert m.iloc[0] == pytest.approx(244 / 30.44) and m.iloc[1] == 0.5 and np.isnan(m.iloc[2])


def test_citations_match_on_exact_normalised_title_only():
    inc = pd.DataFrame(
        {
            "paper_id": ["a", "b", "c"],
            "title": ["Jailbreak Me: A Study!", "Other paper", "Jailbreak Me a Study 2"],
        }
    )
    cat = pd.DataFrame(
        {
            "title": ["jailbreak me - a study", "Unrelated"],
            "citations": [10, 3],
            "last_checked": ["2026-09-06"] * 2,
            "category": ["Attack", "Defense"],
        }
    )
    out = influence.match_citations(inc, cat).set_index("paper_id")
    assert out.loc["a", "gs_citations"] == 10
    assert np.isnan(out.loc["b", "gs_citations"]) and np.isnan(out.loc["c", "gs_citations"])


def test_group_comparison_sign_and_reference():
    t = pd.DataFrame(
        {
            "is_benchmark": [True] * 6 + [False] * 6,
            "stars": [50, 60, 70, 80, 90, 100, 1, 2, 3, 4, 5, 6],
        }
    )
    g = influence.group_comparison(t, ["stars"]).iloc[0]
    assert g["cliffs_delta"] == 1.0 and g["n_benchmark"] == 6
    assert g["reference_delta"] == pytest.approx(-0.347)
    assert g["reference_delta_our_sign"] == pytest.approx(0.347)


def test_coverage_counts_missing_as_missing():
    t = pd.DataFrame({"is_benchmark": [True, True, False], "stars": [1, np.nan, np.nan]})
    c = influence.coverage(t, ["stars"]).set_index("group")
    assert c.loc["benchmark", "with_value"] == 1 and c.loc["non-benchmark", "coverage"] == 0


def test_negative_binomial_says_why_it_did_not_run():
    t = pd.DataFrame(
        {"c": [1, 2], "age": [3.0, 4.0], "is_benchmark": [True, False], "topic": ["JB", "JB"]}
    )
    out = influence.negative_binomial(t, "c", "age")
    assert out.iloc[0]["note"].startswith("not run: 2 papers")


def test_negative_binomial_recovers_a_rate_ratio():
    rng = np.random.default_rng(0)
    n = 400
    bench = rng.integers(0, 2, n).astype(bool)
    age = rng.uniform(6, 36, n)
    mu = age * np.where(bench, 2.0, 1.0)
    counts = rng.negative_binomial(5, 5 / (5 + mu))
    t = pd.DataFrame({"c": counts, "age": age, "is_benchmark": bench, "topic": "JB"})
    out = influence.negative_binomial(t, "c", "age").set_index("term")
    assert out.loc["benchmark", "rr_low"] < 2.0 < out.loc["benchmark", "rr_high"]


def test_adopters_counts_other_repositories_only():
    refs = pd.DataFrame(
        [
            ("a/bench", "identifier", "github", "a/bench", ""),
            ("a/bench", "identifier", "package", "benchpkg", ""),
            ("a/bench", "reference", "github", "a/bench", "README.md"),  # itself: not adoption
            ("b/attack", "reference", "import", "benchpkg", "x.py"),
            ("c/defence", "reference", "github", "a/bench", "README.md"),
            ("c/defence", "identifier", "github", "c/defence", ""),
        ],
        columns=["repo", "role", "kind", "value", "path"],
    )
    out = influence.adopters(refs).set_index("repo")["adopters"].to_dict()
    assert out == {"a/bench": 2, "b/attack": 0, "c/defence": 0}


def test_online_collector_outputs_fill_the_influence_table(tmp_path):
    """What the collectors write (through their own frame functions) is what notebook 05 reads:
    after an online collection the table fills in with no edit."""
    import shutil
    from pathlib import Path

    from benchmeta.collect import github, online, semanticscholar
    from benchmeta.core import manifest
    from benchmeta.core.checkpoint import Checkpoint

    root = Path(__file__).resolve().parents[1]
    data_raw = tmp_path / "data_raw"
    (data_raw / "citations").mkdir(parents=True)
    shutil.copy(
        root / "data_raw/citations/jailbreak_observatory_citations.csv", data_raw / "citations"
    )
    papers = Checkpoint.writer(tmp_path / "p.jsonl")
    papers.add(
        "2401.00001",
        semanticscholar._paper(
            {
                "paperId": "s2a",
                "citationCount": 40,
                "s2FieldsOfStudy": [{"category": "Computer Science"}, {"category": "Linguistics"}],
                "authors": [{"authorId": "A1"}, {"authorId": "A2"}],
            }
        ),
    )
    authors = Checkpoint.writer(tmp_path / "a.jsonl")
    authors.add("A1", {"h_index": 12})
    authors.add("A2", {"h_index": 30})
    repos = Checkpoint.writer(tmp_path / "r.jsonl")
    repos.add("o/bench", {"stars": 120, "created_at": "2024-01-01T00:00:00Z"})
    out = data_raw / "collected"
    (out / "influence").mkdir(parents=True)
    (out / "github").mkdir(parents=True)
    online.with_top_author(semanticscholar.papers_frame(papers), authors).to_csv(
        out / "influence/s2_papers.csv", index=False
    )
    github.repos_frame(repos).to_csv(out / "github/github_repos.csv", index=False)
    manifest.record(
        [
            manifest.Entry(p, "t", "", "2025-01-01", "", "x", "t")
            for p in [
                "citations/jailbreak_observatory_citations.csv",
                "collected/influence/s2_papers.csv",
                "collected/github/github_repos.csv",
            ]
        ],
        data_raw,
    )
    inc = pd.DataFrame(
        {
            "paper_id": ["2401.00001", "2402.00002"],
            "title": ["A", "B"],
            "first_version_date": ["2024-01-01", "2024-02-01"],
            "topic": ["JB", "PI"],
            "is_benchmark": [True, False],
            "repo": ["o/bench", ""],
            "sources": ["x", "y"],
        }
    )
    t = influence.influence_table(inc, data_raw).set_index("paper_id")
    row = t.loc["2401.00001"]
    assert row["s2_citations"] == 40 and row["field_count"] == 2 and row["top_author_h_index"] == 30
    assert row["stars"] == 120 and row["star_density"] == pytest.approx(120 / (366 / 30.44))
    assert row["s2_citation_density"] == pytest.approx(40 / (366 / 30.44))
    assert np.isnan(t.loc["2402.00002", "stars"])

import pandas as pd

from benchmeta.repositories import vendored_check as vc


def _files() -> pd.DataFrame:
    rows = []
    for r in range(8):
        for i in range(20):
            reason = {
                0: "known_package:x/transformers",
                1: "copyright_header:google",
                2: "nested_project:sub",
            }.get(i % 5, "")
            rows.append(
                {
                    "repo": f"o/r{r}",
                    "commit_sha": "s",
                    "path": f"f{i}.py",
                    "vendored": reason or None,
                    "has_copyright": i % 5 == 3,
                }
            )
    return pd.DataFrame(rows)


def test_sample_is_stratified_spread_and_blind():
    key = vc.sample_files(_files(), seed=1)
    assert key["file_id"].is_unique and key["file_id"].str.match(r"V\d{3}").all()
    counts = key["stratum"].value_counts()
    assert counts["excluded:known_package"] == 32  # whole stratum (32 < 45)
    assert counts["kept:copyright_line"] == 25  # capped at its stratum's draw
    assert key.groupby("stratum")["repo"].nunique().min() == 8  # round-robin over repositories
    assert (key.groupby("stratum")["stratum_size"].first()["kept:copyright_line"]) == 32


def test_rule_accuracy_weights_strata():
    key = pd.DataFrame(
        {
            "file_id": ["a", "b", "c", "d"],
            "stratum": [
                "excluded:copyright_header",
                "excluded:copyright_header",
                "kept:other",
                "kept:other",
            ],
            "stratum_size": [2, 2, 100, 100],
            "rule": ["copyright_header", "copyright_header", "", ""],
        }
    )
    reviewed = pd.DataFrame(
        {"file_id": ["a", "b", "c", "d"], "vendored": ["yes", "no", "yes", "no"]}
    )
    acc = vc.rule_accuracy(key, reviewed).set_index("rule")
    assert acc.loc["copyright_header", "precision"] == 0.5
    # 1 vendored of 2 excluded; about 50 vendored of 100 kept: recall = 1 / 51
    assert abs(acc.loc["copyright_header", "recall_weighted"] - 1 / 51) < 1e-9
    assert acc.loc["all rules except copyright_header, nested_project", "n_sampled_excluded"] == 0

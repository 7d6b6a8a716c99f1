"""Accuracy of the vendored-code filter, measured on a hand-labelled stratified sample.

``sample_files`` draws the blind sample: files excluded by each rule and files kept (those with
a copyright line in their head, and the rest), spread over as many repositories as possible.
``rule_accuracy`` compares the rules with the hand labels: precision per rule, and recall
weighted back to the corpus (each stratum's labelled share times its size).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats

# Stratum -> files drawn. Excluded strata by the recorded (first-matching) rule.
STRATA = {
    "excluded:known_package": 45,
    "excluded:nested_project": 35,
    "excluded:copyright_header": 45,
    "excluded:vendor_dir": 5,
    "kept:copyright_line": 25,
    "kept:other": 45,
}


def rule_of(vendored: pd.Series) -> pd.Series:
    """The rule name of a recorded reason (``known_package:transformers`` -> ``known_package``);
    empty for kept files."""
    return vendored.fillna("").astype(str).str.split(":").str[0]


def stratum(files: pd.DataFrame) -> pd.Series:
    """Sampling stratum of every file (needs ``vendored`` and ``has_copyright``)."""
    rule = rule_of(files["vendored"])
    kept = np.where(files["has_copyright"].astype(bool), "kept:copyright_line", "kept:other")
    return pd.Series(np.where(rule != "", "excluded:" + rule, kept), index=files.index)


def _spread(group: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` rows, round-robin over repositories in random order."""
    g = group.assign(_r=rng.random(len(group)))
    g = g.sort_values("_r")
    g["_rank"] = g.groupby("repo").cumcount()
    return g.sort_values(["_rank", "_r"]).head(n).drop(columns=["_r", "_rank"])


def sample_files(files: pd.DataFrame, seed: int = 9) -> pd.DataFrame:
    """The key of the blind sample: ``file_id, repo, commit_sha, path, stratum, stratum_size,
    rule`` with file ids in random order (so the sheet's order reveals nothing)."""
    rng = np.random.default_rng(seed)
    f = files.assign(stratum=stratum(files), rule=rule_of(files["vendored"]))
    sizes = f["stratum"].value_counts()
    parts = [_spread(f[f["stratum"] == s], n, rng) for s, n in STRATA.items() if s in sizes]
    key = pd.concat(parts, ignore_index=True)
    key["stratum_size"] = key["stratum"].map(sizes).astype(int)
    order = rng.permutation(len(key))
    key["file_id"] = [f"V{i + 1:03d}" for i in order]
    cols = ["file_id", "repo", "commit_sha", "path", "stratum", "stratum_size", "rule", "vendored"]
    return key[cols].sort_values("file_id").reset_index(drop=True)


def _yes(s: pd.Series) -> pd.Series:
    return s.astype(str).str.strip().str.lower().str.startswith("y")


def rule_accuracy(key: pd.DataFrame, reviewed: pd.DataFrame) -> pd.DataFrame:
    """Per rule: files excluded in the sample, how many the reviewer called vendored (precision,
    Wilson CI) and the rule's estimated recall among all vendored files of the corpus (strata
    weighted by size). Rows ``all rules`` and ``all rules except copyright_header,
    nested_project`` sum the rules."""
    k = key.merge(
        reviewed[["file_id", "vendored"]].rename(columns={"vendored": "label"}),
        on="file_id",
        how="inner",
    )
    k["truth"] = _yes(k["label"])
    k["rule"] = k["rule"].fillna("").astype(str)
    k["w"] = k["stratum_size"] / k.groupby("stratum")["file_id"].transform("size")
    total_vendored = float((k["w"] * k["truth"]).sum())
    sets = {r: [r] for r in sorted(set(k["rule"]) - {""})}
    sets["all rules"] = sorted(set(k["rule"]) - {""})
    sets["all rules except copyright_header, nested_project"] = [
        r for r in sets["all rules"] if r not in {"copyright_header", "nested_project"}
    ]
    rows = []
    for name, rules in sets.items():
        sel = k[k["rule"].isin(rules)]
        tp = int(sel["truth"].sum())
        lo, hi = stats.wilson(tp, len(sel)) if len(sel) else (np.nan, np.nan)
        caught = float((sel["w"] * sel["truth"]).sum())
        rows.append(
            {
                "rule": name,
                "n_sampled_excluded": len(sel),
                "n_vendored_by_hand": tp,
                "precision": tp / len(sel) if len(sel) else np.nan,
                "precision_lo": lo,
                "precision_hi": hi,
                "recall_weighted": caught / total_vendored if total_vendored else np.nan,
            }
        )
    return pd.DataFrame(rows)


KEY_FILE = "vendored_sample_key.csv"
REVIEWED_FILE = "vendored_sample_reviewed.csv"
ACCURACY_COLUMNS = [
    "rule",
    "n_sampled_excluded",
    "n_vendored_by_hand",
    "precision",
    "precision_lo",
    "precision_hi",
    "recall_weighted",
]


def accuracy_from(folder: Path) -> tuple[pd.DataFrame, str]:
    """``rule_accuracy`` of the committed sample in ``folder`` and a sentence about the sample;
    an empty table and a note saying why when the sample or its review is missing."""
    key_path, rev_path = folder / KEY_FILE, folder / REVIEWED_FILE
    if not key_path.exists():
        return pd.DataFrame(columns=ACCURACY_COLUMNS), "No hand-check sample of the filter yet."
    key = pd.read_csv(key_path)
    if not rev_path.exists():
        return pd.DataFrame(columns=ACCURACY_COLUMNS), (
            f"Sample of {len(key)} files over {key['repo'].nunique()} repositories drawn; "
            "not yet reviewed, so the filter's accuracy is not measured."
        )
    reviewed = pd.read_csv(rev_path, dtype=str, keep_default_na=False)
    n = int(key["file_id"].isin(reviewed["file_id"]).sum())
    return rule_accuracy(key, reviewed), (
        f"{n} of {len(key)} sampled files over {key['repo'].nunique()} repositories were "
        "labelled by a blind reviewer."
    )

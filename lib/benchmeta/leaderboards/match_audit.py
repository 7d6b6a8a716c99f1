"""Accuracy of the canonical-key model matcher (``leaderboards.matching``), on a hand check.

``sheet`` draws the sample a reviewer checks: matched names (an alias the matcher wrote, note
``canonical key ...``), stratified by leaderboard namespace, and names it left unmatched. For a
match the reviewer says whether the leaderboard name and the dated row name the same model
version, and whether the release date is right for it; for an unmatched name, whether a dated
row for that model exists in the date sources under another spelling (a miss). ``accuracy``
turns the reviewed sheet into precision of the matches, date accuracy and the miss rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats

SHEET_COLUMNS = [
    "item", "kind", "namespace", "leaderboard_name", "model_id", "display_name", "provider",
    "matched_via", "release_date", "date_source",
]  # fmt: skip
REVIEW_COLUMNS = ["item", "same_model", "date_right", "found_model", "reviewer", "note"]
ANSWERS = {"yes", "no", "unsure", ""}
DATE_IDS = ["epoch_id", "helm_id", "speechmap_id", "llmstats_id", "eci_id"]


def _matched_via(registry: pd.DataFrame) -> pd.Series:
    """``column=value`` of every date-source id a registry row carries."""
    ids = registry.reindex(columns=DATE_IDS).fillna("").astype(str)
    parts = [np.where(ids[c] != "", c + "=" + ids[c], "") for c in DATE_IDS]
    joined = pd.Series([" ".join(p for p in row if p) for row in zip(*parts, strict=True)])
    return pd.Series(joined.to_numpy(), index=registry["model_id"])


def sheet(
    aliases: pd.DataFrame,
    registry: pd.DataFrame,
    models: pd.DataFrame,
    unmatched: pd.DataFrame,
    n_matched: int,
    n_unmatched: int,
    seed: int,
) -> pd.DataFrame:
    """The audit sample: ``n_matched`` matcher-written aliases (proportional to each namespace,
    at least 5 per namespace) and ``n_unmatched`` unmatched names, in a shuffled order."""
    rng = np.random.default_rng(seed)
    auto = aliases[aliases["note"].str.startswith("canonical key")]
    share = auto["namespace"].value_counts()
    quota = np.maximum(5, np.round(share / share.sum() * n_matched)).astype(int)
    drawn = [
        grp.iloc[rng.permutation(len(grp))[: min(len(grp), int(quota[ns]))]]
        for ns, grp in auto.groupby("namespace")
    ]
    matched = pd.concat(drawn).merge(
        models[["model_id", "display_name", "provider", "release_date", "date_source"]],
        on="model_id",
        how="left",
    )
    matched["matched_via"] = matched["model_id"].map(_matched_via(registry)).fillna("")
    matched["kind"] = "matched"
    missed = unmatched.iloc[rng.permutation(len(unmatched))[:n_unmatched]].assign(kind="unmatched")
    out = pd.concat([matched, missed], ignore_index=True).rename(
        columns={"name": "leaderboard_name"}
    )
    out = out.iloc[rng.permutation(len(out))].reset_index(drop=True)
    out["item"] = np.arange(1, len(out) + 1)
    return out.reindex(columns=SHEET_COLUMNS).fillna("")


def accuracy(sheet_: pd.DataFrame, reviewed: pd.DataFrame) -> pd.DataFrame:
    """Precision of matches, accuracy of their dates and the share of unmatched names that a
    reviewer could match, each with n and a Wilson 95% interval ("unsure" answers left out and
    counted)."""
    both = sheet_.merge(reviewed, on="item", how="inner", validate="one_to_one")
    rows = []
    for what, kind, column in [
        ("match names the same model version", "matched", "same_model"),
        ("release date right for that version", "matched", "date_right"),
        ("unmatched name has a dated row elsewhere (miss)", "unmatched", "found_model"),
    ]:
        answers = both.loc[both["kind"] == kind, column].fillna("").astype(str)
        if what.startswith("release"):
            answers = answers[both.loc[answers.index, "same_model"] == "yes"]
        known = answers[answers.isin(["yes", "no"])]
        k, n = int((known == "yes").sum()), len(known)
        lo, hi = stats.wilson(k, n) if n else (np.nan, np.nan)
        rows.append(
            {"measure": what, "yes": k, "n": n, "unsure": int((answers == "unsure").sum()),
             "share": k / n if n else np.nan, "ci_low": lo, "ci_high": hi}
        )  # fmt: skip
    return pd.DataFrame(rows)

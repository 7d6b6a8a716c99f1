"""Accuracy of the canonical-key model matcher (``leaderboards.matching``), on a hand check.

``sheet`` draws the sample a reviewer checks: matched names (an alias the matcher wrote, note
``canonical key ...``), stratified by leaderboard namespace, and names it left unmatched. For a
match the reviewer says whether the leaderboard name and the dated row name the same model
version, and whether the release date is right for it; for an unmatched name, whether a dated
row for that model exists in the date sources under another spelling (a miss). ``summary``
turns the reviewed sheets into precision of the matches, date accuracy and the miss rate; after
the sample, every other match and every unmatched name were checked too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from ..core.paths import DATA_RAW

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


SAMPLE = ("models/match_audit_sheet.csv", "models/match_audit_reviewed.csv")
REST = ("models/match_check_rest_sheet.csv", "models/match_check_rest_reviewed.csv")
UNMATCHED = ("models/unmatched_check_sheet.csv", "models/unmatched_check_reviewed.csv")


def _read(data_raw: Path, rel: str) -> pd.DataFrame | None:
    path = data_raw / rel
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else None


def _row(check: str, measure: str, answers: pd.Series, reviewer: str) -> dict:
    known = answers[answers.isin(["yes", "no"])]
    k, n = int((known == "yes").sum()), len(known)
    lo, hi = stats.wilson(k, n)
    return {"check": check, "measure": measure, "yes": k, "n": n,
            "unsure": int((answers == "unsure").sum()), "share": k / n if n else np.nan,
            "ci_low": lo, "ci_high": hi, "reviewer": reviewer}  # fmt: skip


def summary(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """The matcher's accuracy: on the random sample, and over every match and every unmatched
    name once the full check is in (each file optional; a missing one is left out)."""
    rows = []
    sheet, rev = (_read(data_raw, f) for f in SAMPLE)
    if sheet is not None and rev is not None:
        both = sheet.merge(rev, on="item")
        who = ", ".join(sorted(set(both["reviewer"])))
        m = both[both["kind"] == "matched"]
        rows += [_row("random sample", "match names the same model version", m["same_model"], who),
                 _row("random sample", "release date right for that version",
                      m.loc[m["same_model"] == "yes", "date_right"], who),
                 _row("random sample", "unmatched name has a dated model elsewhere (a miss)",
                      both.loc[both["kind"] == "unmatched", "found_model"], who)]  # fmt: skip
        rest_sheet, rest = (_read(data_raw, f) for f in REST)
        if rest is not None:
            who2 = ", ".join(sorted(set(rest["reviewer"])))
            allm = pd.concat([m[["same_model", "date_right"]], rest[["same_model", "date_right"]]])
            rows += [
                _row(
                    "every match",
                    "match names the same model version",
                    allm["same_model"],
                    f"{who}; {who2}",
                ),
                _row(
                    "every match",
                    "release date right for that version",
                    allm.loc[allm["same_model"] == "yes", "date_right"],
                    f"{who}; {who2}",
                ),
            ]
    un_sheet, un = (_read(data_raw, f) for f in UNMATCHED)
    if un is not None:
        who3 = ", ".join(sorted(set(un["reviewer"])))
        rows.append(_row("every unmatched name", "has a dated model elsewhere (a miss)",
                         un["found"], who3))  # fmt: skip
    return pd.DataFrame(rows)


def sentence(acc: pd.DataFrame) -> str:
    """The matcher's precision and miss rate in one sentence, from ``summary``."""
    if acc.empty:
        return "The model matcher has not been checked by hand yet."

    def fmt(check: str, measure: str) -> str:
        r = acc[(acc["check"] == check) & (acc["measure"].str.startswith(measure))]
        if r.empty:
            return ""
        r = r.iloc[0]
        return (f"{r['yes']}/{r['n']} ({r['share']:.0%} [{r['ci_low']:.0%}, "
                f"{r['ci_high']:.0%}])")  # fmt: skip

    full = fmt("every match", "match names")
    parts = [f"On the random sample, {fmt('random sample', 'match names')} of the rule's "
             f"matches name the same model version and {fmt('random sample', 'release date')} "
             f"of those carry the right date"]  # fmt: skip
    if full:
        parts.append(
            f"over every match, {full} are right and "
            f"{fmt('every match', 'release date')} of those carry the right date"
        )
    miss = fmt("every unmatched name", "has a dated") or fmt("random sample", "unmatched")
    parts.append(
        f"of the names it left unmatched, {miss} do have a dated model under another "
        "spelling (misses, now aliased by hand where the check named the model)"
    )
    return "; ".join(parts) + "."

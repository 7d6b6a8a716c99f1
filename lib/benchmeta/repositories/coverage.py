"""Which included papers have a repository, and which of those could be fetched and scanned."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats
from ..core import reference
from ..core.ids import repo_key
from .table import GROUPS, explode_topics, group_name

# papers with public code in the reference study, by group: (with code, papers)
REFERENCE_COVERAGE = {g: (reference.WITH_CODE[g], reference.PAPERS[g]) for g in reference.PAPERS}


def coverage(included: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Papers per group (and per topic): with a repository, fetched, scanned; Wilson CIs on the
    share with a repository; the reference study's share beside it (groups only)."""
    p = included.assign(
        repo_key=repo_key(included["repo"]), group=group_name(included["is_benchmark"])
    )
    status = table.set_index("repo_key")
    p["has_repo"] = p["repo_key"].notna() & (p["repo_key"] != "")
    p["fetched"] = p["repo_key"].map(status["fetch_status"]).eq("fetched")
    p["scanned"] = p["repo_key"].map(status["scanned"].astype(bool)).eq(True)
    rows = []
    for level, frame in (("all", p.assign(topic="all")), ("topic", explode_topics(p))):
        for (topic, group), g in frame.groupby(["topic", "group"]):
            rows.append(_coverage_row(level, topic, group, g))
        if level == "all":
            rows.append(_coverage_row(level, "all", "all", frame))
    out = pd.DataFrame(rows)
    ref = {g: k / n for g, (k, n) in REFERENCE_COVERAGE.items()}
    out["reference_with_repo"] = (
        out["group"]
        .map({g: f"{k}/{n}" for g, (k, n) in REFERENCE_COVERAGE.items()})
        .where(out["topic"] == "all")
    )
    out["reference_share"] = out["group"].map(ref).where(out["topic"] == "all")
    return out


def _coverage_row(level: str, topic: str, group: str, g: pd.DataFrame) -> dict:
    n, k = len(g), int(g["has_repo"].sum())
    lo, hi = stats.wilson(k, n)
    return {
        "level": level,
        "topic": topic,
        "group": group,
        "papers": n,
        "with_repo": k,
        "share_with_repo": k / n if n else np.nan,
        "share_low": lo,
        "share_high": hi,
        "repositories": int(g.loc[g["has_repo"], "repo_key"].nunique()),
        "papers_repo_fetched": int(g["fetched"].sum()),
        "papers_repo_scanned": int(g["scanned"].sum()),
    }


COVERAGE_STEPS = {
    "with_repo": "papers with a GitHub repository",
    "papers_repo_fetched": "... whose repository could be fetched",
    "papers_repo_scanned": "... and was scanned",
}


def coverage_long(cov: pd.DataFrame) -> pd.DataFrame:
    """The group rows of ``coverage`` in the long shape of ``figures.plot_coverage``."""
    rows = []
    g = cov[(cov["level"] == "all") & cov["group"].isin(GROUPS)]
    for step in COVERAGE_STEPS:
        for _, r in g.iterrows():
            lo, hi = stats.wilson(r[step], r["papers"])
            rows.append(
                {
                    "metric": step,
                    "group": r["group"],
                    "papers": r["papers"],
                    "with_value": r[step],
                    "coverage": r[step] / r["papers"],
                    "coverage_low": lo,
                    "coverage_high": hi,
                }
            )
    return pd.DataFrame(rows)


def fetch_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Distinct repositories by group and fetch status (with the reason when not fetched)."""
    t = table.assign(fetch_reason=table["fetch_reason"].fillna(""))
    out = (
        t.groupby(["group", "fetch_status", "fetch_reason"])
        .size()
        .rename("repositories")
        .reset_index()
    )
    scanned = t.groupby("group")["scanned"].sum().astype(int)
    extra = pd.DataFrame(
        {
            "group": scanned.index,
            "fetch_status": "scanned",
            "fetch_reason": "a scan row exists",
            "repositories": scanned.values,
        }
    )
    return (
        pd.concat([out, extra], ignore_index=True)
        .sort_values(["group", "fetch_status"], kind="stable")
        .reset_index(drop=True)
    )


UNFETCHED_COLUMNS = ["repo", "group", "topic", "fetch_status", "fetch_reason"]


def unfetched(table: pd.DataFrame) -> pd.DataFrame:
    """Repositories with no snapshot, by group and name, with why."""
    missing = table[table["fetch_status"] != "fetched"].sort_values(["group", "repo"])
    return missing[UNFETCHED_COLUMNS]

"""Maintenance metrics of the repositories (commits, activity, issue reply time)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.ids import repo_key
from ..core.paths import DATA_RAW

MAINTENANCE = {
    "n_commits": "commits on the default branch",
    "commits_per_week": "commits per week of active life (release dumps left out)",
    "commits_per_week_to_reference": "commits per week from the first commit to the reference date "
    "(release dumps kept)",
    "active_days": "active life: days from first to last commit",
    "n_authors": "distinct human authors",
    "days_since_last_commit": "days since the last commit at the reference date",
}


REPLY = {
    "reply_time_hours": "Kaplan-Meier median hours to the first outside reply to an issue "
    "(unanswered issues censored at the snapshot; benchmeta.repositories.reply_time)"
}


MAINTENANCE_UNITS = {
    "reply_time_hours": "hours",
    "n_commits": "commits",
    "commits_per_week": "commits per week",
    "commits_per_week_to_reference": "commits per week",
    "active_days": "days",
    "n_authors": "authors",
    "days_since_last_commit": "days",
}


GITHUB_TABLE = "collected/github/github_repos.csv"


REPLY_ABSENT = (
    "issue reply time: collected online only (`python -m benchmeta collect github`); absent here"
)


def add_reply_time(table: pd.DataFrame, data_raw: Path = DATA_RAW) -> tuple[pd.DataFrame, str]:
    """``reply_time_hours`` (Kaplan-Meier median hours to the first outside reply) from the
    GitHub collector's table when it exists; otherwise all missing, with a note saying why."""
    path = data_raw / GITHUB_TABLE
    if not path.exists():
        return table.assign(reply_time_hours=np.nan), REPLY_ABSENT
    gh = pd.read_csv(path)
    if "status" in gh:
        gh = gh[gh["status"] == "ok"]
    if "reply_median_hours" not in gh or gh["reply_median_hours"].notna().sum() == 0:
        return (
            table.assign(reply_time_hours=np.nan),
            "issue reply time: no repository in the GitHub table has half its issues answered "
            "(or issues were not collected)",
        )
    gh = gh.assign(repo_key=repo_key(gh["repo"])).drop_duplicates("repo_key")
    hours = gh.set_index("repo_key")["reply_median_hours"]
    out = table.assign(reply_time_hours=table["repo_key"].map(hours))
    n = int(out["reply_time_hours"].notna().sum())
    return out, (
        f"issue reply time from {GITHUB_TABLE} ({n} repositories whose Kaplan-Meier "
        "median is reached)"
    )


PLOTTED = ["n_commits", "commits_per_week", "active_days", "n_authors"]  # log axes in the figure
BY_TOPIC = ["n_commits", "commits_per_week", "active_days", "days_since_last_commit"]
INPUTS = ["repos/", "records/", "screening/", "collected/"]  # raw folders notebook 02 reads
PUBLISHED = [
    "repo",
    "group",
    "topic",
    "paper_ids",
    "n_papers",
    "mixed_groups",
    "first_version_date",
    "fetch_status",
    "fetch_reason",
    "scanned",
    "commit_sha",
    "reference_date",
    "n_commits",
    "n_authors",
    "n_bot_commits",
    "first_commit",
    "last_commit",
    "active_days",
    "age_years",
    "commits_per_week_all",
    "commits_per_week",
    "commits_per_week_to_reference",
    "release_dump",
    "days_since_last_commit",
    "stale",
    "commits_after_published",
    "active_after_published",
    "days_active_after_published",
    "went_stale",
    "days_to_stale_or_censor",
    "reply_time_hours",
]


def published(table: pd.DataFrame) -> pd.DataFrame:
    """The columns of the published ``repository_maintenance`` table that ``table`` has."""
    return table[[c for c in PUBLISHED if c in table]]

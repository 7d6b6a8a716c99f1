"""Repositories of the included papers: one row per distinct repository, joined to its fetch
status and scan row, with derived metrics.

Reads the scanner's committed snapshot (``data_raw/repos/``: ``scan_repos.csv``,
``scan_files.csv``, ``fetch_status.csv``) and joins it to the included papers of notebook 01.

Choices, stated once:

- A repository linked to several included papers appears once. Its group is *benchmark* if any
  linked paper is a benchmark paper; its topics are the union of the papers' topics; its paper
  date is the earliest first public version among them. Repository names are matched
  case-insensitively (GitHub names are case-insensitive).
- Paper dates are known to the month (sometimes the day or only the year). "After publication"
  means after the END of that period, and "before" before its start; a repository whose commits
  straddle the period cannot be split without per-commit dates, which the snapshot does not
  hold, so its count of commits after publication is missing, not guessed.
- Stale: no commit for ``STALE_DAYS`` (180) days at the scan's reference date. A repository
  "goes stale" ``STALE_DAYS`` after its last commit; one that is still active is censored at
  the reference date. Only first and last commit dates are in the snapshot, so a pause of more
  than 180 days followed by new commits is not counted as going stale.
- Release dumps (``<= 5`` commits) are flagged; their commit frequency is left out (a single
  upload has no meaningful rate).
- Readiness items are ``yes`` / ``no`` / ``unknown``; shares are ``yes / (yes + no)`` with a
  Wilson interval, and ``unknown`` is counted and shown separately, never as yes or no.
- Cliff's delta is benchmark vs non-benchmark (positive = benchmark higher). The reference study
  reports it non-benchmark vs benchmark; ``reference_delta_our_sign`` flips it onto ours.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.ids import repo_key
from ..core.paths import DATA_RAW

STALE_DAYS = 180


RELEASE_DUMP_MAX_COMMITS = 5


GROUPS = ("benchmark", "non-benchmark")


def group_name(is_benchmark: pd.Series) -> pd.Series:
    return is_benchmark.astype(bool).map({True: "benchmark", False: "non-benchmark"})


def period_bounds(dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Start and end (exclusive) of a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date, as UTC."""
    s = dates.astype("string").str.strip()
    start = pd.to_datetime(s, errors="coerce", format="mixed", utc=True)
    length = s.str.len()
    end = start.copy()
    for n, offset in (
        (4, pd.DateOffset(years=1)),
        (7, pd.DateOffset(months=1)),
        (10, pd.DateOffset(days=1)),
    ):
        m = (length == n) & start.notna()
        end[m] = start[m] + offset
    return start, end


def load_snapshot(data_raw: Path = DATA_RAW, folder: str = "repos") -> dict[str, pd.DataFrame]:
    """The committed scan snapshot under ``data_raw/folder``: ``repos``, ``files``, ``fetch``
    (empty frames if absent)."""
    where = data_raw / folder
    out = {}
    for key, name in (
        ("repos", "scan_repos.csv"),
        ("files", "scan_files.csv"),
        ("fetch", "fetch_status.csv"),
    ):
        path = where / name
        out[key] = pd.read_csv(path, low_memory=False) if path.exists() else pd.DataFrame()
    if out["repos"].empty:
        out["repos"] = pd.DataFrame(columns=["repo"])
    if out["fetch"].empty:
        out["fetch"] = pd.DataFrame(columns=["repo", "status", "reason"])
    return out


def paper_repositories(included: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct repository of the included papers (see the module's choices)."""
    p = included[included["repo"].notna() & (included["repo"].astype(str).str.strip() != "")]
    p = p.assign(repo_key=repo_key(p["repo"]), _start=period_bounds(p["first_version_date"])[0])
    p = p.sort_values(["repo_key", "_start", "paper_id"], kind="stable")
    rows = []
    for key, g in p.groupby("repo_key", sort=True):
        topics = sorted({t for s in g["topic"].dropna() for t in str(s).split(";") if t})
        rows.append(
            {
                "repo_key": key,
                "repo": g["repo"].iloc[0],
                "paper_ids": ";".join(g["paper_id"].astype(str)),
                "n_papers": len(g),
                "is_benchmark": bool(g["is_benchmark"].astype(bool).any()),
                "mixed_groups": g["is_benchmark"].astype(bool).nunique() > 1,
                "topic": ";".join(topics),
                "first_version_date": str(g["first_version_date"].iloc[0]),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "repo_key",
            "repo",
            "paper_ids",
            "n_papers",
            "is_benchmark",
            "mixed_groups",
            "topic",
            "first_version_date",
        ],
    )
    out["group"] = group_name(out["is_benchmark"])
    return out


def repository_table(
    included: pd.DataFrame,
    scan: pd.DataFrame,
    fetch: pd.DataFrame,
    reference_date: str | None = None,
) -> pd.DataFrame:
    """Paper repositories joined to fetch status and scan rows, with derived metrics.

    ``fetch_status``: fetched / unavailable / error / not attempted; ``scanned``: a scan row
    exists. Derived: ``comments_per_sloc``, ``pylint_messages_per_kloc``, release-dump-free
    ``commits_per_week``, the commits-after-publication estimate and the survival columns.
    ``reference_date`` (YYYY-MM-DD, not earlier than any last commit) replaces the scan's own
    reference date: days since the last commit, stale and the survival times are recomputed.
    """
    if reference_date:
        scan = scan.drop(columns=["days_since_last_commit", "stale"], errors="ignore")
        scan = scan.assign(reference_date=reference_date)
    repos = paper_repositories(included)
    f = fetch.assign(repo_key=repo_key(fetch["repo"])).drop_duplicates("repo_key", keep="last")
    f = f[["repo_key", "status", "reason"]].rename(
        columns={"status": "fetch_status", "reason": "fetch_reason"}
    )
    s = scan.assign(repo_key=repo_key(scan["repo"])).drop_duplicates("repo_key", keep="last")
    s = s.drop(columns=["repo"]).rename(
        columns={
            "commits_per_week": "commits_per_week_all",
            "commits_after_published": "commits_after_scan",
        }
    )
    out = repos.merge(f, on="repo_key", how="left").merge(s, on="repo_key", how="left")
    out["fetch_status"] = out["fetch_status"].fillna("not attempted")
    out["scanned"] = out["commit_sha"].notna() if "commit_sha" in out else False
    return derive(out)


def numeric(df: pd.DataFrame, col: str) -> pd.Series:
    if col not in df:
        return pd.Series(np.nan, index=df.index, dtype=float)
    return pd.to_numeric(df[col], errors="coerce")


def _bool(df: pd.DataFrame, col: str) -> pd.Series:
    """A True/False column read from CSV (missing stays missing)."""
    if col not in df:
        return pd.Series(pd.NA, index=df.index, dtype="boolean")
    v = df[col].map(
        lambda x: (
            {"true": True, "false": False}.get(str(x).strip().lower(), pd.NA)
            if not isinstance(x, bool)
            else x
        )
    )
    return v.astype("boolean")


def _dates(df: pd.DataFrame, col: str) -> pd.Series:
    """A date column as UTC timestamps (all NaT when the column is absent)."""
    v = df[col] if col in df else pd.Series(pd.NaT, index=df.index)
    return pd.to_datetime(v, utc=True, errors="coerce", format="mixed")


def derive(t: pd.DataFrame) -> pd.DataFrame:
    """Derived columns on a joined table (works on any frame with the scan's columns)."""
    t = t.copy()
    sloc, loc = numeric(t, "sloc"), numeric(t, "loc")
    t["comments_per_sloc"] = (numeric(t, "comments") / sloc).where(sloc > 0)
    per = ["fatal", "error", "warning", "refactor", "convention"]
    msgs = sum(numeric(t, f"pylint_{k}") for k in per)
    t["pylint_messages_per_kloc"] = (msgs / (loc / 1000)).where(
        (loc > 0) & numeric(t, "pylint_score").notna()
    )
    t["release_dump"] = _bool(t, "release_dump")
    n = numeric(t, "n_commits")
    dump = n <= RELEASE_DUMP_MAX_COMMITS
    t["release_dump"] = t["release_dump"].fillna(dump.where(n.notna()).astype("boolean"))
    t["commits_per_week"] = numeric(t, "commits_per_week_all").where(~dump)
    # the second definition: every commit over the weeks from the first commit to the
    # reference date (release dumps kept; the reference study's reading of "frequency")
    ref_day = _dates(t, "reference_date")
    weeks_to_ref = (ref_day - _dates(t, "first_commit")).dt.days / 7
    t["commits_per_week_to_reference"] = (n / weeks_to_ref).where(weeks_to_ref > 0)
    t["age_years"] = (ref_day - _dates(t, "first_commit")).dt.days / 365.25
    first, last = _dates(t, "first_commit"), _dates(t, "last_commit")
    ref = _dates(t, "reference_date") + pd.Timedelta(days=1)
    start, end = period_bounds(t["first_version_date"])
    # commits after the paper: from the scan when it knew the date, else exact bounds only
    est = pd.Series(np.nan, index=t.index)
    est[last < start] = 0
    est[first >= end] = n[first >= end]
    scanned_value = numeric(t, "commits_after_scan")
    t["commits_after_published"] = scanned_value.fillna(est)
    t["active_after_published"] = np.select(
        [last >= end, last < start], ["yes", "no"], default="unknown"
    )
    t.loc[last.isna(), "active_after_published"] = "unknown"
    # a known count decides it (the scan knew the paper date even when the period straddles)
    count = t["commits_after_published"]
    t.loc[count.notna(), "active_after_published"] = np.where(count[count.notna()] > 0, "yes", "no")
    t["days_active_after_published"] = (
        (last - end).dt.days.clip(lower=0).where(last.notna() & end.notna())
    )
    # survival: time from first commit until stale (last commit + STALE_DAYS), censored
    stale_at = last + pd.Timedelta(days=STALE_DAYS)
    known = last.notna() & ref.notna()
    went = (stale_at <= ref) & known
    t["went_stale"] = went.astype("boolean").where(known)
    until = stale_at.where(went, ref)
    t["days_to_stale_or_censor"] = (until - first).dt.days.where(first.notna() & ref.notna())
    if "days_since_last_commit" not in t:
        t["days_since_last_commit"] = (ref - pd.Timedelta(days=1) - last).dt.days
    t["stale"] = _bool(t, "stale").fillna(t["went_stale"].astype("boolean"))
    # static composites of readiness items (yes / no / unknown)
    t["static_ready_to_use"] = combine_items(
        t, ["ready_install_instructions", "ready_environment_spec", "ready_entry_points"]
    )
    t["static_install_guide"] = combine_items(t, ["ready_install_instructions", "ready_pinned"])
    return t


def combine_items(t: pd.DataFrame, items: list[str]) -> pd.Series:
    """``yes`` if every item is yes, ``no`` if any is no, else ``unknown`` (NaN if unscanned)."""
    vals = pd.DataFrame(
        {c: t[c] if c in t else pd.Series(np.nan, index=t.index) for c in items}
    ).astype("string")
    out = pd.Series("unknown", index=t.index, dtype="object")
    out[(vals == "yes").all(axis=1)] = "yes"
    out[(vals == "no").any(axis=1)] = "no"
    out[vals.isna().all(axis=1)] = np.nan
    return out


def explode_topics(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (row, topic): a paper with several topics counts in each."""
    return df.assign(topic=df["topic"].fillna("").astype(str).str.split(";")).explode("topic")

"""Repositories of the included papers: coverage, maintenance, code quality and readiness.

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

from .. import stats
from ..core.paths import DATA_RAW

STALE_DAYS = 180
RELEASE_DUMP_MAX_COMMITS = 5
GROUPS = ("benchmark", "non-benchmark")

# The reference study (arXiv 2603.04459): p-values and Cliff's delta (its sign: non-benchmark vs
# benchmark, negative = benchmark repositories higher).
REFERENCE = pd.DataFrame(
    [
        ("pylint score", 0.031, -0.276),
        ("number of commits", 0.001, -0.389),
        ("commit frequency", 0.010, -0.309),
        ("issue reply time", 0.044, np.nan),
    ],
    columns=["reference_metric", "reference_p", "reference_delta"],
)
REFERENCE["reference_delta_our_sign"] = -REFERENCE["reference_delta"]
# our metric -> the reference study's metric
REFERENCE_OF = {
    "pylint_score": "pylint score",
    "n_commits": "number of commits",
    "commits_per_week": "commit frequency",
    "reply_time_hours": "issue reply time",
}
# papers with public code in the reference study, by group
REFERENCE_COVERAGE = {"benchmark": (27, 31), "non-benchmark": (168, 382)}
READINESS_REFERENCE = pd.DataFrame(
    [
        ("ready_to_use", "ready to use", 0.39),
        ("install_guide_flawless", "flawless installation guide", 0.16),
        ("ethics", "addresses ethics", 0.06),
    ],
    columns=["reference_item", "reference_label", "reference_share"],
)

QUALITY = {
    "pylint_score": "pylint score (0-10)",
    "cc_mean": "mean cyclomatic complexity per block",
    "cc_share_c_or_worse": "share of blocks ranked C or worse (CC > 10)",
    "mi_mean": "maintainability index, mean over files",
    "mi_median": "maintainability index, median over files",
    "comments_per_sloc": "comment lines per source line",
    "pylint_messages_per_kloc": "pylint messages per 1000 lines",
}
QUALITY_UNITS = {
    "pylint_score": "score (0-10)",
    "cc_mean": "cyclomatic complexity",
    "cc_share_c_or_worse": "share of blocks",
    "mi_mean": "MI (0-100)",
    "mi_median": "MI (0-100)",
    "comments_per_sloc": "comments per SLOC",
    "pylint_messages_per_kloc": "messages per kLOC",
}
MAINTENANCE = {
    "n_commits": "commits on the default branch",
    "commits_per_week": "commits per week of active life (release dumps left out)",
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
    "active_days": "days",
    "n_authors": "authors",
    "days_since_last_commit": "days",
}
READINESS = {
    "ready_readme": "README present",
    "ready_install_instructions": "installation instructions in the README",
    "ready_environment_spec": "environment specification (repo2docker files)",
    "ready_pinned": "every declared dependency pinned",
    "ready_licence": "licence",
    "ready_ethics_statement": "ethics / responsible-use / content warning",
    "ready_data_availability": "data availability instructions",
    "ready_entry_points": "how to run documented (entry point or command)",
    "ready_pwc_dependencies": "PwC: dependencies specified",
    "ready_pwc_training_code": "PwC: training code",
    "ready_pwc_evaluation_code": "PwC: evaluation code",
    "ready_pwc_pretrained_models": "PwC: pre-trained models linked",
    "ready_pwc_results": "PwC: results table with the command",
    "static_ready_to_use": "composite: instructions + environment + run command",
    "static_install_guide": "composite: instructions + fully pinned environment",
}
# our static composite items, how they are built, and which reference item they approximate
APPROXIMATIONS = pd.DataFrame(
    [
        (
            "static_ready_to_use",
            "ready_to_use",
            "yes if install instructions, an environment specification AND a documented run "
            "command are all present; no if any is absent; else unknown",
            "necessary, not sufficient: the reference study ran the code by hand; a static "
            "check cannot see broken dependencies, missing data or wrong commands (an upper "
            "bound on being ready to use)",
        ),
        (
            "static_install_guide",
            "install_guide_flawless",
            "yes if the README has install instructions AND every declared dependency is "
            "pinned to a version; unknown when no dependency is declared",
            "a pinned, documented installation is a precondition of a flawless one; whether "
            "it works needs a hands-on rating (rating sheet below)",
        ),
        (
            "ready_ethics_statement",
            "ethics",
            "regex over the README (ethics statement, responsible use, content warning, "
            "research-use-only, misuse, dual-use) or an ETHICS / DISCLAIMER file at the root",
            "closest in meaning; the regex over-matches (validate by hand) and ignores ethics "
            "statements that live only in the paper",
        ),
    ],
    columns=["our_item", "reference_item", "how", "caveat"],
)
RATING_ITEMS = ("runnable", "ready_to_use", "install_guide_flawless")
RATING_COLUMNS = ["repo", "rater", *RATING_ITEMS, "notes"]
RATING_VALUES = {"yes", "no", "unknown"}


def repo_key(s: pd.Series) -> pd.Series:
    """Case-insensitive key of an ``owner/name`` column."""
    return s.astype("string").str.strip().str.strip("/").str.lower()


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


# --------------------------------------------------------------------------- loading, joining


def load_snapshot(data_raw: Path = DATA_RAW) -> dict[str, pd.DataFrame]:
    """The committed scan snapshot: ``repos``, ``files``, ``fetch`` (empty frames if absent)."""
    folder = data_raw / "repos"
    out = {}
    for key, name in (
        ("repos", "scan_repos.csv"),
        ("files", "scan_files.csv"),
        ("fetch", "fetch_status.csv"),
    ):
        path = folder / name
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


def _num(df: pd.DataFrame, col: str) -> pd.Series:
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
    sloc, loc = _num(t, "sloc"), _num(t, "loc")
    t["comments_per_sloc"] = (_num(t, "comments") / sloc).where(sloc > 0)
    per = ["fatal", "error", "warning", "refactor", "convention"]
    msgs = sum(_num(t, f"pylint_{k}") for k in per)
    t["pylint_messages_per_kloc"] = (msgs / (loc / 1000)).where(
        (loc > 0) & _num(t, "pylint_score").notna()
    )
    t["release_dump"] = _bool(t, "release_dump")
    n = _num(t, "n_commits")
    dump = n <= RELEASE_DUMP_MAX_COMMITS
    t["release_dump"] = t["release_dump"].fillna(dump.where(n.notna()).astype("boolean"))
    t["commits_per_week"] = _num(t, "commits_per_week_all").where(~dump)
    first, last = _dates(t, "first_commit"), _dates(t, "last_commit")
    ref = _dates(t, "reference_date") + pd.Timedelta(days=1)
    start, end = period_bounds(t["first_version_date"])
    # commits after the paper: from the scan when it knew the date, else exact bounds only
    est = pd.Series(np.nan, index=t.index)
    est[last < start] = 0
    est[first >= end] = n[first >= end]
    scanned_value = _num(t, "commits_after_scan")
    t["commits_after_published"] = scanned_value.fillna(est)
    t["active_after_published"] = np.select(
        [last >= end, last < start], ["yes", "no"], default="unknown"
    )
    t.loc[last.isna(), "active_after_published"] = "unknown"
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


# --------------------------------------------------------------------------- coverage


def _topics(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (row, topic): a paper with several topics counts in each."""
    return df.assign(topic=df["topic"].fillna("").astype(str).str.split(";")).explode("topic")


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
    for level, frame in (("all", p.assign(topic="all")), ("topic", _topics(p))):
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


# --------------------------------------------------------------------------- comparisons


def group_comparison(
    table: pd.DataFrame, metrics: dict[str, str] | list[str], family: str = ""
) -> pd.DataFrame:
    """Benchmark vs non-benchmark per metric of the scanned repositories
    (``stats.benchmark_comparison``) beside the reference study's values."""
    out = stats.benchmark_comparison(table, list(metrics)).assign(family=family)
    out["reference_metric"] = out["metric"].map(REFERENCE_OF)
    return out.merge(REFERENCE, on="reference_metric", how="left")


def by_topic(table: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Median and n of each metric per topic and group (a repository counts in each topic)."""
    long = _topics(table)
    rows = []
    for (topic, group), g in long.groupby(["topic", "group"]):
        row = {"topic": topic, "group": group, "repositories": len(g)}
        for m in metrics:
            v = _num(g, m).dropna()
            row[f"{m}_n"] = len(v)
            row[f"{m}_median"] = float(v.median()) if len(v) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def share_by_group(table: pd.DataFrame, flag: str) -> pd.DataFrame:
    """Share of repositories with a True ``flag`` per group (Wilson CI); missing left out."""
    rows = []
    for group in (*GROUPS, "all"):
        g = table if group == "all" else table[table["group"] == group]
        v = g[flag].dropna().astype(bool)
        lo, hi = stats.wilson(int(v.sum()), len(v))
        rows.append(
            {
                "group": group,
                "n": len(v),
                "count": int(v.sum()),
                "share": v.mean() if len(v) else np.nan,
                "low": lo,
                "high": hi,
            }
        )
    return pd.DataFrame(rows)


def vendored_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Lines of Python before and after leaving out vendored third-party code, by group."""
    rows = []
    for group in (*GROUPS, "all"):
        g = (
            table[table["scanned"]]
            if group == "all"
            else table[table["scanned"] & (table["group"] == group)]
        )
        all_, own = _num(g, "loc_all").fillna(0), _num(g, "loc").fillna(0)
        rows.append(
            {
                "group": group,
                "repositories": len(g),
                "with_vendored_code": int((_num(g, "loc_vendored") > 0).sum()),
                "lines_before": int(all_.sum()),
                "lines_after": int(own.sum()),
                "lines_excluded": int(all_.sum() - own.sum()),
                "share_excluded": float(1 - own.sum() / all_.sum()) if all_.sum() else np.nan,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- survival


def kaplan_meier(table: pd.DataFrame, times: list[float] | None = None) -> dict[str, pd.DataFrame]:
    """Kaplan-Meier estimate of "time from first commit until stale" by group (lifelines).

    Returns ``curves`` (group, days, survival, low, high, at_risk), ``summary`` (n, events,
    censored, median with CI) and ``logrank`` (test between the groups, or a note).
    """
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import logrank_test
    from lifelines.utils import median_survival_times

    d = table.dropna(subset=["days_to_stale_or_censor", "went_stale"])
    curves, summary, data = [], [], {}
    for group in GROUPS:
        g = d[d["group"] == group]
        data[group] = g
        if g.empty:
            summary.append(
                {
                    "group": group,
                    "n": 0,
                    "went_stale": 0,
                    "censored": 0,
                    "median_days": np.nan,
                    "median_low": np.nan,
                    "median_high": np.nan,
                    "note": "no repositories",
                }
            )
            continue
        km = KaplanMeierFitter().fit(
            g["days_to_stale_or_censor"], g["went_stale"].astype(bool), label=group
        )
        sf, ci = km.survival_function_, km.confidence_interval_
        at_risk = km.event_table["at_risk"].reindex(sf.index)
        curves.append(
            pd.DataFrame(
                {
                    "group": group,
                    "days": sf.index.to_numpy(),
                    "survival": sf.iloc[:, 0].to_numpy(),
                    "low": ci.iloc[:, 0].to_numpy(),
                    "high": ci.iloc[:, 1].to_numpy(),
                    "at_risk": at_risk.to_numpy(),
                }
            )
        )
        med = float(km.median_survival_time_)
        mci = median_survival_times(km.confidence_interval_)
        events = int(g["went_stale"].astype(bool).sum())
        summary.append(
            {
                "group": group,
                "n": len(g),
                "went_stale": events,
                "censored": len(g) - events,
                "median_days": med,
                "median_low": float(mci.iloc[0, 0]),
                "median_high": float(mci.iloc[0, 1]),
                "note": "" if np.isfinite(med) else "median not reached",
            }
        )
    a, b = data.get("benchmark"), data.get("non-benchmark")
    if a is not None and b is not None and len(a) >= 3 and len(b) >= 3:
        res = logrank_test(
            a["days_to_stale_or_censor"],
            b["days_to_stale_or_censor"],
            a["went_stale"].astype(bool),
            b["went_stale"].astype(bool),
        )
        lr = pd.DataFrame(
            [
                {
                    "test": "log-rank",
                    "n_benchmark": len(a),
                    "n_non_benchmark": len(b),
                    "statistic": res.test_statistic,
                    "p": res.p_value,
                    "note": "",
                }
            ]
        )
    else:
        lr = pd.DataFrame(
            [{"test": "log-rank", "note": "not run: needs at least 3 repositories per group"}]
        )
    cur = (
        pd.concat(curves, ignore_index=True)
        if curves
        else pd.DataFrame(columns=["group", "days", "survival", "low", "high", "at_risk"])
    )
    return {"curves": cur, "summary": pd.DataFrame(summary), "logrank": lr}


def survival_at(curves: pd.DataFrame, days: list[int]) -> pd.DataFrame:
    """The step function read at given days (share not yet stale, with its CI)."""
    rows = []
    for group, c in curves.groupby("group", sort=False):
        c = c.sort_values("days")
        for d in days:
            r = c[c["days"] <= d].iloc[-1]
            beyond = d > c["days"].max()  # past the longest follow-up: not estimable
            rows.append(
                {
                    "group": group,
                    "days": d,
                    **{k: np.nan if beyond else r[k] for k in ("survival", "low", "high")},
                    "at_risk": 0 if beyond else int(c.loc[c["days"] >= d, "at_risk"].iloc[0]),
                    "note": "beyond the longest follow-up" if beyond else "",
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- readiness


def readiness_shares(table: pd.DataFrame, items: list[str] | None = None) -> pd.DataFrame:
    """Per item and group: yes / no / unknown counts; share yes among decided (Wilson CI); the
    unknown share among scanned repositories, reported separately."""
    items = items or list(READINESS)
    rows = []
    for item in items:
        for group in (*GROUPS, "all"):
            g = table if group == "all" else table[table["group"] == group]
            v = g[item].dropna().astype(str) if item in g else pd.Series(dtype=str)
            yes, no, unk = (
                int((v == "yes").sum()),
                int((v == "no").sum()),
                int((v == "unknown").sum()),
            )
            other = len(v) - yes - no - unk
            if other:
                raise ValueError(f"{item}: {other} values other than yes/no/unknown")
            decided = yes + no
            lo, hi = stats.wilson(yes, decided)
            rows.append(
                {
                    "item": item,
                    "label": READINESS.get(item, item),
                    "group": group,
                    "n": len(v),
                    "yes": yes,
                    "no": no,
                    "unknown": unk,
                    "share_yes": yes / decided if decided else np.nan,
                    "low": lo,
                    "high": hi,
                    "share_unknown": unk / len(v) if len(v) else np.nan,
                }
            )
    return pd.DataFrame(rows)


def readiness_vs_reference(shares: pd.DataFrame) -> pd.DataFrame:
    """Our approximating items (all groups pooled and by group) beside the study's shares."""
    s = shares[shares["item"].isin(APPROXIMATIONS["our_item"])]
    wide = s.pivot(
        index="item", columns="group", values=["share_yes", "low", "high", "n", "unknown"]
    )
    wide.columns = [f"{a}_{b}".replace("-", "_") for a, b in wide.columns]
    out = APPROXIMATIONS.merge(READINESS_REFERENCE, on="reference_item").merge(
        wide, left_on="our_item", right_index=True, how="left"
    )
    return out


# --------------------------------------------------------------------------- human ratings


def rating_template(
    table: pd.DataFrame, raters: tuple[str, ...] = ("rater_1", "rater_2")
) -> pd.DataFrame:
    """An empty rating sheet: one row per scanned repository and rater, ratings blank.

    The group is left out so raters stay blind to it. Values to enter: yes / no / unknown.
    """
    repos = sorted(table.loc[table["scanned"], "repo"].astype(str), key=str.lower)
    rows = [
        {"repo": r, "rater": who, **dict.fromkeys(RATING_ITEMS, ""), "notes": ""}
        for r in repos
        for who in raters
    ]
    return pd.DataFrame(rows, columns=RATING_COLUMNS)


def read_ratings(path: Path) -> pd.DataFrame:
    """Ratings sheet filled in by people (empty frame if the file does not exist). Rows with no
    rating at all are dropped; a value outside yes / no / unknown is an error naming its line."""
    if not path.exists():
        return pd.DataFrame(columns=RATING_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in RATING_COLUMNS[:-1] if c not in df]
    if missing:
        raise ValueError(f"{path.name}: lacks columns {missing}")
    for c in RATING_ITEMS:
        df[c] = df[c].str.strip().str.lower()
        bad = df[c].ne("") & ~df[c].isin(RATING_VALUES)
        if bad.any():
            i = int(bad.idxmax())
            raise ValueError(
                f"{path.name} line {i + 2}: {c}={df.at[i, c]!r} (use yes, no or unknown)"
            )
        df[c] = df[c].where(df[c] != "")
    return df[df[list(RATING_ITEMS)].notna().any(axis=1)].reset_index(drop=True)


def rating_agreement(ratings: pd.DataFrame) -> pd.DataFrame:
    """Agreement of two raters per item (percent, Cohen's kappa with CI, Gwet's AC1 via
    ``stats.agreement``); says "no ratings yet" instead of inventing any."""
    cols = [
        "item",
        "raters",
        "n",
        "categories",
        "percent",
        "kappa",
        "kappa_low",
        "kappa_high",
        "ac1",
        "note",
    ]
    raters = sorted(ratings["rater"].dropna().unique()) if len(ratings) else []
    rows = []
    for item in RATING_ITEMS:
        if not len(ratings) or ratings[item].notna().sum() == 0:
            rows.append({"item": item, "raters": len(raters), "n": 0, "note": "no ratings yet"})
            continue
        rated = ratings.dropna(subset=[item])
        who = sorted(rated["rater"].unique())
        if len(who) < 2:
            rows.append(
                {
                    "item": item,
                    "raters": len(who),
                    "n": 0,
                    "note": "only one rater so far: agreement needs two",
                }
            )
            continue
        wide = rated.pivot_table(index="repo", columns="rater", values=item, aggfunc="first")
        a = stats.agreement(wide[who[0]], wide[who[1]])
        note = a.note + (f"; first two of {len(who)} raters" if len(who) > 2 else "")
        rows.append({"item": item, "raters": len(who), **a.as_dict(), "note": note.strip("; ")})
    return pd.DataFrame(rows).reindex(columns=cols)


# --------------------------------------------------------------------------- answers


def _verdict(
    r: pd.Series, alpha: float, what: str, words: tuple[str, str] = ("higher", "lower")
) -> str:
    if not np.isfinite(r["p"]):
        return f"{what}: {r['note']} (n = {int(r['n_benchmark'])} vs {int(r['n_non_benchmark'])})"
    if r["p_holm"] < alpha:
        word = words[0] if r["cliffs_delta"] > 0 else words[1]
        head = f"benchmark repositories have {word} {what}"
    else:
        head = f"no significant difference in {what}"
    return (
        f"{head} (n = {int(r['n_benchmark'])} vs {int(r['n_non_benchmark'])}, "
        f"Cliff's δ = {r['cliffs_delta']:+.2f} [{r['delta_low']:+.2f}, "
        f"{r['delta_high']:+.2f}], Holm p = {r['p_holm']:.2g})"
    )


def coverage_sentence(table: pd.DataFrame) -> str:
    s = table[table["scanned"]]
    nb = int(s["is_benchmark"].astype(bool).sum())
    return (
        f"Of {len(table)} distinct repositories linked to included papers, "
        f"{int((table['fetch_status'] == 'fetched').sum())} could be fetched and {len(s)} "
        f"were scanned ({nb} benchmark, {len(s) - nb} non-benchmark)"
    )


def headline_quality(table: pd.DataFrame, tests: pd.DataFrame, alpha: float = 0.05) -> str:
    """Notebook 03's answer sentence."""
    t = tests.set_index("metric")
    parts = [
        _verdict(t.loc[m], alpha, QUALITY[m].split(" (")[0])
        for m in ("pylint_score", "cc_mean", "mi_mean")
        if m in t.index
    ]
    sig = t[(t["p_holm"] < alpha)].index.tolist()
    tail = (
        (
            f"; {len(sig)} of {int(t['p'].notna().sum())} quality metrics differ after Holm "
            "correction"
        )
        if len(t)
        else ""
    )
    return coverage_sentence(table) + "; " + "; ".join(parts) + tail + "."


def headline_maintenance(
    table: pd.DataFrame,
    tests: pd.DataFrame,
    stale: pd.DataFrame,
    km: dict[str, pd.DataFrame],
    alpha: float = 0.05,
) -> str:
    """Notebook 02's answer sentence."""
    t = tests.set_index("metric")
    shown = ["n_commits", "commits_per_week"]
    shown += [m for m in t.index if m not in shown and t.loc[m, "p_holm"] < alpha]
    parts = [
        _verdict(
            t.loc[m],
            alpha,
            MAINTENANCE.get(m, m).split(" (")[0].split(":")[0],
            ("a longer", "a shorter") if m == "active_days" else ("more", "fewer"),
        )
        for m in shown
        if m in t.index
    ]
    st = stale.set_index("group")
    ref_col = table.loc[table["scanned"], "reference_date"] if "reference_date" in table else []
    refs = sorted(map(str, pd.Series(ref_col).dropna().unique()))
    stale_txt = f"; stale (no commit for 180 days) on {', '.join(refs) or 'the reference date'}: "
    stale_txt += ", ".join(
        f"{g} {st.loc[g, 'count']}/{st.loc[g, 'n']} ({st.loc[g, 'share']:.0%}, 95% CI "
        f"{st.loc[g, 'low']:.0%}-{st.loc[g, 'high']:.0%})"
        for g in GROUPS
        if g in st.index and st.loc[g, "n"]
    )
    summ = km["summary"].set_index("group")
    med = ", ".join(
        f"{g} {summ.loc[g, 'median_days'] / 30.44:.1f} months"
        if np.isfinite(summ.loc[g, "median_days"])
        else f"{g} not reached"
        for g in GROUPS
        if g in summ.index and summ.loc[g, "n"]
    )
    if not len(st) or not st["n"].sum():
        stale_txt += "no scanned repository"
    med = med or "not estimable (no scanned repository)"
    lr = km["logrank"].iloc[0]
    lr_txt = f" (log-rank p = {lr['p']:.2g})" if np.isfinite(lr.get("p", np.nan)) else ""
    return (
        coverage_sentence(table)
        + "; "
        + "; ".join(parts)
        + stale_txt
        + f"; median time from first commit until stale: {med}{lr_txt}."
    )


def headline_readiness(table: pd.DataFrame, shares: pd.DataFrame, agreement: pd.DataFrame) -> str:
    """Notebook 04's answer sentence."""
    s = shares[shares["group"] == "all"].set_index("item")

    def pct(item: str) -> str:
        r = s.loc[item]
        if not r["yes"] + r["no"]:
            return "none decidable (0 repositories)"
        unk = f", {int(r['unknown'])} unknown" if r["unknown"] else ""
        return (
            f"{r['share_yes']:.0%} ({int(r['yes'])}/{int(r['yes'] + r['no'])}, 95% CI "
            f"{r['low']:.0%}-{r['high']:.0%}{unk})"
        )

    ref = READINESS_REFERENCE.set_index("reference_item")["reference_share"]
    rated = int(agreement["n"].fillna(0).max()) if len(agreement) else 0
    ratings = (
        "no hands-on ratings yet, so runnability itself is not measured"
        if not rated
        else f"hands-on ratings cover {rated} repositories (agreement below)"
    )
    return (
        coverage_sentence(table) + ". Statically, "
        f"{pct('static_ready_to_use')} show install instructions, an environment file and "
        f"a run command (the study's hands-on ready-to-use: {ref['ready_to_use']:.0%}); "
        f"{pct('static_install_guide')} pair instructions with fully pinned dependencies "
        f"(flawless installation guide: {ref['install_guide_flawless']:.0%}); "
        f"{pct('ready_ethics_statement')} carry an ethics or responsible-use statement "
        f"(study: {ref['ethics']:.0%}); {ratings}."
    )


def regex_precision(path: Path) -> pd.DataFrame:
    """Precision of the static readiness checks where a person re-read what they flagged
    (``data_raw/readiness/regex_validation.csv``): per item, flagged, confirmed, precision with
    a Wilson interval. Empty when no check has been made."""
    cols = ["item", "flagged_checked", "confirmed", "precision", "low", "high"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    v = pd.read_csv(path)
    rows = []
    for item, g in v[v["detected"] == "yes"].groupby("item"):
        k, n = int((g["hand_label"] == "yes").sum()), len(g)
        lo, hi = stats.wilson(k, n)
        rows.append(
            {
                "item": item,
                "flagged_checked": n,
                "confirmed": k,
                "precision": k / n,
                "low": lo,
                "high": hi,
            }
        )
    return pd.DataFrame(rows, columns=cols)

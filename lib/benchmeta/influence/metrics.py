"""Academic influence of the included papers: what can be measured, by group, with coverage.

Every metric is a column of one table (``influence_table``), one row per included paper; a metric
with no data is all-missing, never zero, and ``coverage`` says so. Online metrics (Semantic Scholar,
OpenAlex, GitHub) are read from ``data_raw/collected/`` when a collector has filled it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from ..core import manifest
from ..core.ids import norm_title, repo_key
from ..core.paths import DATA_RAW
from . import adoption

METRICS = {
    "gs_citations": "Google Scholar citations (Jailbreak-Observatory, 2026-09-06)",
    "gs_citation_density": "Google Scholar citations per month since first version",
    "s2_citations": "Semantic Scholar citations",
    "s2_citation_density": "Semantic Scholar citations per month since first version",
    "field_count": "Semantic Scholar fields of study",
    "top_author_h_index": "highest h-index among the authors",
    "stars": "GitHub stars",
    "star_density": "GitHub stars per month since repository creation",
    "adopters": "other scanned repositories that use the paper's repository",
}


# described, never compared: curators list what they find, and the same lists identified and
# screened the papers, so list counts are not independent influence
DESCRIPTIVE = {
    "curator_lists": "curated lists that list the paper",
    "adopters_url_dataset": "adopters by GitHub URL or own dataset only",
    "adopters_rules_off": "adopters, counting lines that only copyright_header / nested_project "
    "flag as vendored",
    "adopters_legacy": "adopters by the earlier definition (any top-level folder name, vendored "
    "code included)",
}
# count metrics drawn on a log (or symlog) axis
LOG_SCALE = {"gs_citations", "s2_citations", "stars", "adopters"}
# data_raw folders notebooks 05 reads (its provenance colophon outside the runner)
RAW_INPUTS = ["records/", "screening/", "citations/", "repos/", "collected/"]
UNITS = {
    "gs_citations": "citations",
    "gs_citation_density": "citations per month",
    "s2_citations": "citations",
    "s2_citation_density": "citations per month",
    "field_count": "fields of study",
    "top_author_h_index": "h-index",
    "stars": "stars",
    "star_density": "stars per month",
    "adopters": "referencing repositories",
    "curator_lists": "curated lists",
}


def months_between(start: pd.Series, end: pd.Timestamp | pd.Series) -> pd.Series:
    """Months (30.44 days) from ``start`` to ``end``; at least half a month, NaN if unknown."""
    days = (pd.to_datetime(end) - pd.to_datetime(start)).dt.days
    return (days / 30.44).clip(lower=0.5)


def match_citations(included: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Join the citation catalogue to papers by normalised title (exact key, never fuzzy).

    Returns ``paper_id, gs_citations, gs_checked, gs_category``; unmatched papers get NaN.
    """
    cat = catalog.assign(key=catalog["title"].map(norm_title))
    cat = cat[cat["key"] != ""].drop_duplicates("key")
    keys = included[["paper_id"]].assign(key=included["title"].map(norm_title))
    out = keys.merge(cat[["key", "citations", "last_checked", "category"]], on="key", how="left")
    return out.rename(
        columns={
            "citations": "gs_citations",
            "last_checked": "gs_checked",
            "category": "gs_category",
        }
    ).drop(columns="key")


def _collected(data_raw: Path, name: str) -> tuple[pd.DataFrame | None, pd.Timestamp | None]:
    """A collector's table and its retrieval date (from the MANIFEST), or (None, None)."""
    path = data_raw / "collected" / name
    if not path.exists():
        return None, None
    df = pd.read_csv(path, dtype={"paper_id": str, "repo": str, "status": str})
    if "status" in df:
        df = df[df["status"] == "ok"]
    rows = manifest.read(data_raw)
    hit = rows.loc[rows["path"] == f"collected/{name}", "retrieved_at"]
    return df, (pd.Timestamp(hit.iloc[0]) if len(hit) else None)


def influence_table(
    included: pd.DataFrame, data_raw: Path = DATA_RAW, gs_date: str = "2026-09-06"
) -> pd.DataFrame:
    """One row per included paper with every influence metric that the data allow."""
    df = included[
        ["paper_id", "title", "first_version_date", "topic", "is_benchmark", "repo", "sources"]
    ].copy()
    df["first_version_date"] = pd.to_datetime(df["first_version_date"], errors="coerce")
    df["curator_lists"] = (
        df["sources"]
        .fillna("")
        .map(lambda s: len([x for x in s.split(";") if x and x != "manual"]))
    )
    catalog = pd.read_csv(data_raw / "citations" / "jailbreak_observatory_citations.csv")
    df = df.merge(match_citations(df, catalog), on="paper_id", how="left")
    df["gs_age_months"] = months_between(df["first_version_date"], pd.Timestamp(gs_date))
    df["gs_citation_density"] = df["gs_citations"] / df["gs_age_months"]

    s2, s2_date = _collected(data_raw, "influence/s2_papers.csv")
    if s2 is not None and not s2.empty:
        keep = {
            "paper_id": "paper_id",
            "citation_count": "s2_citations",
            "n_fields": "field_count",
            "top_author_h_index": "top_author_h_index",
        }
        df = df.merge(
            s2[[c for c in keep if c in s2]].rename(columns=keep), on="paper_id", how="left"
        )
        if s2_date is not None:
            df["s2_citation_density"] = df["s2_citations"] / months_between(
                df["first_version_date"], s2_date
            )
    gh, gh_date = _collected(data_raw, "github/github_repos.csv")
    if gh is not None and not gh.empty and gh_date is not None:
        gh = gh.assign(repo_key=repo_key(gh["repo"]))[["repo_key", "stars", "created_at"]]
        df = df.assign(repo_key=repo_key(df["repo"])).merge(gh, on="repo_key", how="left")
        created = pd.to_datetime(df["created_at"], utc=True).dt.tz_localize(None)
        df["star_density"] = df["stars"] / months_between(created, gh_date)
        df = df.drop(columns=["repo_key"])
    adopt = adoption.load(data_raw / "repos")
    if not adopt["references"].empty:
        df = df.merge(adoption.adopters_table(adopt), on="repo", how="left")
    for col in [*METRICS, *DESCRIPTIVE]:
        if col not in df:
            df[col] = np.nan
    return df


def coverage(table: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """Per metric and group: papers, papers with a value, share (Wilson CI)."""
    rows = []
    for m in metrics or list(METRICS):
        for group, g in table.groupby("is_benchmark"):
            have = int(g[m].notna().sum())
            lo, hi = stats.wilson(have, len(g))
            rows.append(
                {
                    "metric": m,
                    "group": "benchmark" if group else "non-benchmark",
                    "papers": len(g),
                    "with_value": have,
                    "coverage": have / len(g),
                    "coverage_low": lo,
                    "coverage_high": hi,
                }
            )
    return pd.DataFrame(rows)

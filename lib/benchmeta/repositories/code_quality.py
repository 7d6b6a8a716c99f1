"""Code-quality metrics of the repositories and the vendored code left out of them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .table import GROUPS, numeric

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


def vendored_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Lines of Python before and after leaving out vendored third-party code, by group."""
    rows = []
    for group in (*GROUPS, "all"):
        g = (
            table[table["scanned"]]
            if group == "all"
            else table[table["scanned"] & (table["group"] == group)]
        )
        all_, own = numeric(g, "loc_all").fillna(0), numeric(g, "loc").fillna(0)
        rows.append(
            {
                "group": group,
                "repositories": len(g),
                "with_vendored_code": int((numeric(g, "loc_vendored") > 0).sum()),
                "lines_before": int(all_.sum()),
                "lines_after": int(own.sum()),
                "lines_excluded": int(all_.sum() - own.sum()),
                "share_excluded": float(1 - own.sum() / all_.sum()) if all_.sum() else np.nan,
            }
        )
    return pd.DataFrame(rows)


RADON = ["cc_mean", "cc_share_c_or_worse", "mi_mean", "mi_median"]
PYLINT_KINDS = ["fatal", "error", "warning", "refactor", "convention"]
NOT_PROBLEMS = (
    "n_commits",
    "n_authors",
    "n_bot_commits",
    "n_blocks",
    "n_papers",
    "n_gitlink",
    "n_unsafe_path",
)  # counts named n_* that are not per-file scan problems
TOP_VENDORED_COLUMNS = [
    "repo",
    "group",
    "loc_all",
    "loc",
    "loc_vendored",
    "vendored_share",
    "vendored_dirs",
]
PUBLISHED = [
    "repo",
    "group",
    "topic",
    "paper_ids",
    "commit_sha",
    "scanned_at",
    "pylint_version",
    "radon_version",
    "python_version",
    "py_files",
    "py_files_own",
    "files_measured",
    "loc_all",
    "loc",
    "loc_vendored",
    "vendored_share",
    "vendored_dirs",
    "sloc",
    "comments",
    *QUALITY,
    "cc_max",
    "halstead_volume",
    "pylint_statements",
    *[f"pylint_{k}" for k in PYLINT_KINDS],
    *[f"pylint_{k}_per_kloc" for k in PYLINT_KINDS],
    "notebooks",
    "notebook_code_cells",
    "nb_loc",
    "nb_cc_mean",
    "nb_mi_mean",
]


def top_vendored(scanned: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` repositories with the most vendored lines, line counts as integers."""
    top = scanned[scanned["loc_vendored"] > 0].sort_values("loc_vendored", ascending=False)
    top = top[TOP_VENDORED_COLUMNS].head(n)
    return top.astype({c: "Int64" for c in ["loc_all", "loc", "loc_vendored"]})


def problem_counts(scanned: pd.DataFrame) -> pd.DataFrame:
    """Per-file scan problems (``n_*`` counts): files affected and repositories with any."""
    cols = [c for c in scanned.columns if c.startswith("n_") and c not in NOT_PROBLEMS]
    problems = pd.DataFrame(
        {"files": scanned[cols].sum().astype(int), "repositories": (scanned[cols] > 0).sum()}
    )
    problems.index = problems.index.str.removeprefix("n_")
    return problems


def published(scanned: pd.DataFrame) -> pd.DataFrame:
    """The columns of the published ``code_quality`` table that ``scanned`` has."""
    return scanned[[c for c in dict.fromkeys(PUBLISHED) if c in scanned]]


PRAGMA_COLUMNS = [
    "repo",
    "group",
    "pragma_files",
    "pragma_skip_file",
    "pragma_disable_all",
    "pragma_disable",
    "pylint_score",
    "pylint_score_neutralised",
]


def pragmas(scanned: pd.DataFrame) -> pd.DataFrame:
    """Repositories whose own code carries pylint pragmas (``skip-file``, ``disable=all``, inline
    ``disable``), with the score as published and with every pragma made inert."""
    t = scanned[numeric(scanned, "pragma_files").fillna(0) > 0]
    t = t[[c for c in PRAGMA_COLUMNS if c in t.columns]].copy()
    t["difference"] = numeric(t, "pylint_score") - numeric(t, "pylint_score_neutralised")
    return t.sort_values("difference", ascending=False).reset_index(drop=True)


MOSTLY_VENDORED = 0.5  # share of a repository's Python lines the filter classed as vendored


def mostly_vendored(
    scanned: pd.DataFrame,
    files: pd.DataFrame,
    check: pd.DataFrame | None,
    threshold: float = MOSTLY_VENDORED,
) -> pd.DataFrame:
    """Repositories more than ``threshold`` vendored: each group of excluded files with the rule
    that excluded it (``rule:target``), its files and lines, and the blind hand check of that group
    (``vendored`` yes / no / mixed by the reviewer), where one was made."""
    big = scanned.loc[
        numeric(scanned, "vendored_share") > threshold, ["repo", "group", "vendored_share"]
    ]
    f = files[files["repo"].isin(big["repo"]) & (files["vendored"].fillna("") != "")]
    f = f.assign(loc=numeric(f, "loc").fillna(0))
    g = (
        f.groupby(["repo", "vendored"])
        .agg(files=("path", "size"), loc=("loc", "sum"))
        .reset_index()
        .rename(columns={"vendored": "rule"})
    )
    g = big.merge(g, on="repo", how="left")
    if check is not None and len(check):
        g = g.merge(
            check[["repo", "rule", "hand_check", "reviewer", "note"]],
            on=["repo", "rule"],
            how="left",
        )
        g["hand_check"] = g["hand_check"].fillna("not checked")
    else:
        g["hand_check"] = "not checked"
    return g.sort_values(["vendored_share", "loc"], ascending=False).reset_index(drop=True)


def mostly_vendored_accuracy(listing: pd.DataFrame) -> pd.DataFrame:
    """Of the checked groups, how many the reviewer also called third-party (precision of the
    filter on the repositories it affects most), by files and by lines."""
    c = listing[listing["hand_check"].isin(["yes", "no", "mixed"])]
    rows = []
    for what, w in (("groups", None), ("lines", "loc")):
        weight = c[w] if w else pd.Series(1.0, index=c.index)
        rows.append(
            {
                "unit": what,
                "checked": float(weight.sum()),
                "vendored_yes": float(weight[c["hand_check"] == "yes"].sum()),
                "mixed": float(weight[c["hand_check"] == "mixed"].sum()),
                "own_code": float(weight[c["hand_check"] == "no"].sum()),
            }
        )
    out = pd.DataFrame(rows)
    out["precision"] = out["vendored_yes"] / out["checked"]
    return out


def mostly_vendored_check(data_raw: Path) -> pd.DataFrame | None:
    """The blind hand check of the mostly-vendored groups: ``repos/mostly_vendored_key.csv``
    (group -> repository and rule, kept from the reviewer) joined to the reviewer's decisions in
    ``repos/mostly_vendored_reviewed.csv``; None when either is absent."""
    key, rev = (data_raw / "repos" / f"mostly_vendored_{n}.csv" for n in ("key", "reviewed"))
    if not (key.exists() and rev.exists()):
        return None
    k = pd.read_csv(key, dtype=str, keep_default_na=False)
    r = pd.read_csv(rev, dtype=str, keep_default_na=False)
    out = k.merge(r, on="group_id", how="left").rename(columns={"vendored": "hand_check"})
    out["hand_check"] = out["hand_check"].str.strip().str.lower().replace("", "not checked")
    return out.assign(reviewer=out.get("reviewer", REVIEWER_E))


REVIEWER_E = "helper-code-E"

"""Code-quality metrics of the repositories and the vendored code left out of them."""

from __future__ import annotations

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

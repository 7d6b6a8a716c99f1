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

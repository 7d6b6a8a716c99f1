"""Influence of a repository's paper against its code quality and maintenance (notebook 06)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats
from ..repositories.code_quality import QUALITY
from ..repositories.maintenance import MAINTENANCE

# the code and maintenance metrics correlated with influence, labelled once (in repositories)
_LABELS = {
    **QUALITY,
    **MAINTENANCE,
    "ready_pwc_items_yes": "Papers-with-Code checklist items met (0-5)",
}
QUALITY_METRICS = {
    m: _LABELS[m]
    for m in (
        "pylint_score",
        "cc_mean",
        "mi_mean",
        "comments_per_sloc",
        "n_commits",
        "commits_per_week",
        "commits_per_week_to_reference",
        "days_since_last_commit",
        "ready_pwc_items_yes",
    )
}


def short(labels: dict[str, str], width: int = 26) -> dict[str, str]:
    """The same labels without their parenthesised detail, wrapped, for crowded axes."""
    import textwrap

    return {k: textwrap.fill(v.split(" (")[0], width) for k, v in labels.items()}


INFLUENCE_X = [
    "gs_citations",
    "gs_citation_density",
    "adopters",
    "s2_citations",
    "stars",
    "star_density",
    "top_author_h_index",
]


def with_repositories(influence_table: pd.DataFrame, repos: pd.DataFrame) -> pd.DataFrame:
    """One row per scanned repository: its quality columns and the influence of its first
    paper (the earliest one linking it, as in ``repositories.paper_repositories``)."""
    first = repos.assign(paper_id=repos["paper_ids"].astype(str).str.split(";").str[0])
    wanted = [*INFLUENCE_X, *[c for c in ADOPTER_DEFINITIONS if c not in INFLUENCE_X]]
    cols = ["paper_id", *[c for c in wanted if c in influence_table]]
    return first.merge(influence_table[cols], on="paper_id", how="left")


def correlations(
    table: pd.DataFrame, xs: list[str], ys: list[str], min_n: int = 10, alpha: float = 0.05
) -> pd.DataFrame:
    """Spearman rho (bootstrap CI) for every influence x quality pair with ``min_n`` complete
    pairs; Holm across the pairs that could be tested; the rest say why not."""
    rows = []
    for x in xs:
        for y in ys:
            if x not in table or y not in table:
                c = stats.Correlation(0, np.nan, np.nan, np.nan, np.nan, "not run: no data")
            else:
                c = stats.spearman(
                    pd.to_numeric(table[x], errors="coerce"),
                    pd.to_numeric(table[y], errors="coerce"),
                    min_n=min_n,
                )
            rows.append({"influence": x, "quality": y, **c.as_dict()})
    out = pd.DataFrame(rows)
    out["p_holm"] = stats.holm(out["p"])
    out["significant"] = out["p_holm"] < alpha
    return out


ADOPTER_DEFINITIONS = {
    "adopters": "current",
    "adopters_url_dataset": "URL + dataset only",
    "adopters_rules_off": "current, 2 rules off",
    "adopters_legacy": "earlier (folder names)",
}


def adopter_specs(table: pd.DataFrame, quality: list[str], alpha: float = 0.05) -> pd.DataFrame:
    """Spearman rho (bootstrap CI) of each adopter definition with each quality metric: the
    specification curve of notebook 06's adoption result."""
    rows = []
    for q in quality:
        for col, name in ADOPTER_DEFINITIONS.items():
            if col not in table or q not in table:
                continue
            c = stats.spearman(
                pd.to_numeric(table[col], errors="coerce"), pd.to_numeric(table[q], errors="coerce")
            )
            rows.append(
                {
                    "metric": q,
                    "label": col,
                    "spec": name,
                    "model": "Spearman",
                    "estimate": c.rho,
                    "low": c.low,
                    "high": c.high,
                    "p": c.p,
                    "n": c.n,
                    "effect": "Spearman ρ (adopters vs metric)",
                }
            )
    out = pd.DataFrame(rows)
    if len(out):
        out["direction"] = np.sign(out["estimate"])
        out["significant"] = out["p"] < alpha
    return out

"""Repository health of a benchmark: maintenance (02), installability (04), code quality (03),
licence and ethics statement (04), one row per repository, "unknown" where nothing was measured.

``from_processed`` reads the tables 02-04 published for the included papers' repositories;
``extra_repos.health`` gives the same columns for registry repositories outside that corpus.
Tri-state cells are ``yes`` / ``no`` / ``unknown``; numbers are NaN when unknown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..repositories.installability import NOT_DECLARED, RESOLVED

HEALTH_COLUMNS = [
    "repo", "health_source", "scanned", "scan_note", "commit_sha", "last_commit",
    "reference_date", "stale", "commits_after_published", "declares_dependencies",
    "resolves_at_commit", "resolves_today", "undeclared_imports", "pylint_score", "mi_mean",
    "licence", "ethics_statement",
]  # fmt: skip


def tri(values: pd.Series) -> pd.Series:
    """True/False/NaN (or yes/no strings) -> ``yes`` / ``no`` / ``unknown``."""
    mapped = values.map(
        {True: "yes", False: "no", "True": "yes", "False": "no", "yes": "yes", "no": "no"}
    )
    return mapped.fillna("unknown")


def outcome(values: pd.Series, ok: set[str]) -> pd.Series:
    """A resolver outcome -> ``yes`` (in ``ok``), ``no`` (another outcome), ``unknown`` (none)."""
    out = pd.Series(np.where(values.isin(ok), "yes", "no"), index=values.index)
    return out.where(values.notna() & (values.astype(str) != ""), "unknown")


def from_processed(tables: dict[str, pd.DataFrame], source: str = "02-04") -> pd.DataFrame:
    """Health of every repository in 02's ``repository_maintenance`` (scanned or not), from
    ``repository_maintenance``, ``code_quality``, ``readiness``, ``installability_outcomes`` and
    ``undeclared_imports``."""
    m = tables["repository_maintenance"].drop_duplicates("repo").set_index("repo")
    q = tables["code_quality"].drop_duplicates("repo").set_index("repo")
    r = tables["readiness"].drop_duplicates("repo").set_index("repo")
    inst = tables["installability_outcomes"].drop_duplicates("repo").set_index("repo")
    imports = tables["undeclared_imports"]
    raising = imports[imports["class"] == "would_raise"].groupby("repo").size()
    out = pd.DataFrame(index=m.index)
    out["health_source"] = source
    out["scanned"] = tri(m["scanned"])
    note = m["fetch_status"].fillna("") + ": " + m["fetch_reason"].fillna("")
    out["scan_note"] = np.where(out["scanned"] == "yes", "", note.str.rstrip(": "))
    out["commit_sha"] = m["commit_sha"].fillna("")
    out["last_commit"] = pd.to_datetime(m["last_commit"], utc=True).dt.tz_localize(None)
    out["last_commit"] = out["last_commit"].dt.normalize()
    out["reference_date"] = pd.to_datetime(m["reference_date"])
    out["stale"] = tri(m["stale"])
    out["commits_after_published"] = m["commits_after_published"]
    target = inst["commit_target"].reindex(out.index)
    out["declares_dependencies"] = outcome(target, set(target.dropna()) - NOT_DECLARED)
    declared = out["declares_dependencies"] == "yes"
    out["resolves_at_commit"] = outcome(target, RESOLVED).where(declared, "unknown")
    today = inst["collection_target"].reindex(out.index)
    out["resolves_today"] = outcome(today, RESOLVED).where(declared, "unknown")
    scanned = out["scanned"] == "yes"
    out["undeclared_imports"] = raising.reindex(out.index).fillna(0).where(scanned)
    out["pylint_score"] = q["pylint_score"].reindex(out.index)
    out["mi_mean"] = q["mi_mean"].reindex(out.index)
    out["licence"] = r["ready_licence_spdx"].reindex(out.index).fillna("")
    licensed = tri(r["ready_licence"].reindex(out.index))
    out["licence"] = np.where(licensed == "yes", out["licence"].replace("", "yes"), licensed)
    out["ethics_statement"] = tri(r["ready_ethics_statement"].reindex(out.index))
    return out.reset_index()[HEALTH_COLUMNS]

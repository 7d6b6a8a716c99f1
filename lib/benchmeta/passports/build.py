"""The passport table: one row per registry benchmark, every cell from the notebook that
measured it (01 screening, 02-04 repository health, 05-06 attention, 07 leaderboards), "unknown"
(or empty numbers) where nothing was measured, and the reason where a repository was not scanned."""

from __future__ import annotations

import numpy as np
import pandas as pd

# the fields whose coverage ``completeness`` counts (a cell is known when not "unknown"/empty)
COMPLETENESS_FIELDS = [
    "paper_id",
    "screening_status",
    "repo",
    "repo_scanned",
    "last_commit",
    "resolves_today",
    "undeclared_imports",
    "pylint_score",
    "mi_mean",
    "licence",
    "ethics_statement",
    "citations",
    "adoption_edges",
    "lb_sources",
    "data_released",
]


def combine_health(*frames: pd.DataFrame) -> pd.DataFrame:
    """Health rows of several sources, keyed by lower-case repo; the first source wins."""
    h = pd.concat(frames, ignore_index=True)
    h["_key"] = h["repo"].str.lower()
    return h.drop_duplicates("_key").set_index("_key")


def _health(ent: pd.DataFrame, health: pd.DataFrame) -> pd.DataFrame:
    key = ent["repo"].str.lower()
    h = health.reindex(key.to_numpy()).reset_index(drop=True).drop(columns="repo")
    h.index = ent.index
    none = ent["repo"] == ""
    h["scanned"] = h["scanned"].fillna("no")
    why = np.where(
        none,
        "no repository known (01 recorded none and the registry gives none)",
        "repository not in any scan (02-04 corpus or 07 benchmark scan)",
    )
    h["scan_note"] = h["scan_note"].where(h["health_source"].notna(), why)
    for col in [
        "stale",
        "declares_dependencies",
        "resolves_at_commit",
        "resolves_today",
        "licence",
        "ethics_statement",
    ]:
        h[col] = h[col].fillna("unknown")
    h["health_source"] = h["health_source"].fillna("")
    return h.rename(columns={"scanned": "repo_scanned"})


def _attention(ent: pd.DataFrame, influence: pd.DataFrame) -> pd.DataFrame:
    inf = influence.drop_duplicates("paper_id").set_index("paper_id")
    gs, s2 = (inf[c].reindex(ent["paper_id"].to_numpy()) for c in ["gs_citations", "s2_citations"])
    cites = np.where(gs.notna(), gs, s2)
    basis = np.where(
        gs.notna(), "Google Scholar (05)", np.where(s2.notna(), "Semantic Scholar (05)", "")
    )
    adopt = inf["adopters"].reindex(ent["paper_id"].to_numpy()).to_numpy()
    return pd.DataFrame(
        {"citations": cites, "citations_source": basis, "adoption_edges": adopt}, index=ent.index
    )


def _exposure(ent: pd.DataFrame, included: pd.DataFrame, reference: pd.Timestamp) -> pd.DataFrame:
    first = included.drop_duplicates("paper_id").set_index("paper_id")["first_version_date"]
    paper = ent["paper_id"].map(first).fillna("")
    own = ent["data_released"] != ""
    date = np.where(own, ent["data_released"], paper)
    basis = np.where(
        own,
        ent["data_released_basis"].replace("", "registry"),
        np.where(paper != "", "paper's first version (01), as a proxy", ""),
    )
    when = pd.to_datetime(pd.Series(date, index=ent.index).replace("", None), format="mixed")
    years = (reference - when).dt.days / 365.25
    return pd.DataFrame(
        {"data_released": date, "exposure_basis": basis, "exposure_years": years}, index=ent.index
    )


def passports(
    ent: pd.DataFrame,
    scr: pd.DataFrame,
    health: pd.DataFrame,
    influence: pd.DataFrame,
    included: pd.DataFrame,
    life: pd.DataFrame,
    datasets: pd.DataFrame,
    reference: pd.Timestamp,
) -> pd.DataFrame:
    """The passport table (before verdicts); ``reference`` dates the exposure in years."""
    base = ent[["benchmark_id", "name", "paper_id", "study_window", "registry_status", "repo"]]
    n_data = datasets.groupby("benchmark_id").size()
    lb = life.set_index("benchmark_id").reindex(ent["benchmark_id"].to_numpy())
    lb.index = ent.index
    lb["lb_sources"] = lb["lb_sources"].fillna(0).astype(int)
    lb["told_apart"] = lb["told_apart"].fillna("unknown")
    out = pd.concat(
        [
            base,
            scr,
            _health(ent, health),
            _attention(ent, influence),
            lb,
            _exposure(ent, included, reference),
        ],
        axis=1,
    )
    out["n_datasets"] = ent["benchmark_id"].map(n_data).fillna(0).astype(int)
    out["completeness"] = known_share(out)
    return out


def known_mask(out: pd.DataFrame) -> pd.DataFrame:
    """Per row and ``COMPLETENESS_FIELDS`` column: is it known? (not empty, NaN or "unknown";
    the scan counts when it happened, ``lb_sources`` when the benchmark is on a leaderboard)."""
    known = pd.DataFrame(index=out.index)
    for col in COMPLETENESS_FIELDS:
        v = out[col]
        if col == "repo_scanned":
            known[col] = v == "yes"
        elif col == "lb_sources":
            known[col] = v > 0
        else:
            known[col] = v.notna() & ~v.astype(str).isin(["", "unknown", "nan", "NaT"])
    return known


def known_share(out: pd.DataFrame) -> pd.Series:
    """Share of ``COMPLETENESS_FIELDS`` that are known (see ``known_mask``)."""
    return known_mask(out).mean(axis=1)

"""Repository health of the registry's benchmarks whose repository is outside the 02-04 corpus.

``python -m benchmeta collect benchmark-repos`` measures those repositories with the corpus'
collectors into ``data_raw/benchmarks/scans/`` (same files and columns as ``data_raw/repos/``,
plus ``scan_commits.csv``: the commit scanned and the paper date used). ``health`` turns them into
``passports.health.HEALTH_COLUMNS`` exactly as notebooks 02-04 turn the corpus' snapshot into
their published tables (``processed_tables``: the same ``benchmeta.repositories`` functions),
then through ``health.from_processed``; nothing is re-implemented here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.paths import DATA_RAW
from ..repositories import code_quality, maintenance, readiness, undeclared
from ..repositories import installability as install
from ..repositories import table as repo_table
from . import health as passport_health

SCANS = "benchmarks/scans"
SOURCE = "benchmark scan"


def processed_tables(
    included: pd.DataFrame, data_raw: Path = DATA_RAW, folder: str = "repos"
) -> dict[str, pd.DataFrame]:
    """The five tables ``health.from_processed`` reads, computed from the raw snapshot under
    ``data_raw/folder`` as notebooks 02 (``repository_maintenance``), 03 (``code_quality``)
    and 04 (``readiness``, ``installability_outcomes``, ``undeclared_imports``) compute them."""
    snap = repo_table.load_snapshot(data_raw, folder)
    table = repo_table.repository_table(included, snap["repos"], snap["fetch"])
    scanned = table[table["scanned"]]
    inst = install.load(data_raw, folder)
    if inst["inst"].empty:
        outcomes = pd.DataFrame(columns=["repo", "commit_target", "collection_target"])
        classes = pd.DataFrame(columns=["repo", "module", "class"])
    else:
        outcomes = install.outcome_table(inst["inst"])
        classes = undeclared.import_classes(inst["imports"], inst["inst"], inst["wheels"])
    for col in ("commit_target", "collection_target"):
        if col not in outcomes:
            outcomes[col] = pd.NA
    return {
        "repository_maintenance": maintenance.published(table),
        "code_quality": code_quality.published(scanned),
        "readiness": readiness.published(scanned),
        "installability_outcomes": outcomes,
        "undeclared_imports": classes,
    }


def included_from_scans(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """The scanned registry repositories in the shape of 01's ``papers_included`` (one row per
    repository: its benchmark ids as ``paper_id``, its paper date as ``first_version_date``)."""
    path = data_raw / SCANS / "scan_commits.csv"
    cols = ["paper_id", "repo", "first_version_date", "is_benchmark", "topic"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    c = pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {
            "paper_id": c["benchmark_ids"],
            "repo": c["repo"],
            "first_version_date": c["published"].replace("", None),
            "is_benchmark": True,
            "topic": "",
        },
        columns=cols,
    )


def health(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """``HEALTH_COLUMNS`` for every repository of ``data_raw/benchmarks/scans/scan_commits.csv``
    (``health_source`` "benchmark scan"; ``scan_note`` says why one was not scanned)."""
    included = included_from_scans(data_raw)
    if included.empty:
        return pd.DataFrame(columns=passport_health.HEALTH_COLUMNS)
    tables = processed_tables(included, data_raw, SCANS)
    out = passport_health.from_processed(tables, source=SOURCE)
    fails = data_raw / SCANS / "scan_failures.csv"
    if fails.exists():  # fetched but not scanned: say why
        f = pd.read_csv(fails, dtype=str, keep_default_na=False).drop_duplicates("repo")
        why = out["repo"].map(f.set_index("repo")["error"])
        fetched_only = (out["scanned"] != "yes") & why.notna() & (why != "no mirror")
        out.loc[fetched_only, "scan_note"] = "not scanned: " + why[fetched_only]
    return out.sort_values("repo", key=lambda s: s.str.lower()).reset_index(drop=True)

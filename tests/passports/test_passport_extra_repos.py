"""Health of the registry's repositories outside the corpus: the collector writes only under
data_raw/benchmarks/scans/, scans the commit HEAD named at the reference date, and
``extra_repos`` computes health with the notebooks' own functions (checked on the corpus)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmeta.collect import benchmark_repos
from benchmeta.core import tables
from benchmeta.core.paths import DATA_RAW
from benchmeta.passports import extra_repos, health
from benchmeta.passports.registry import DATASET_COLUMNS, NAME_COLUMNS, REGISTRY_COLUMNS
from scan_gitrepos import commit, init, mirror

PUBLISHED = [
    "repository_maintenance",
    "code_quality",
    "readiness",
    "installability_outcomes",
    "undeclared_imports",
]


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    """Cell-wise equality; numbers within 1e-9 relative (the published tables keep 12 digits)."""
    if a.dtype.kind in "fi" or b.dtype.kind in "fi":
        x, y = a.astype(float), b.astype(float)
        return pd.Series(np.isclose(x, y, rtol=1e-9, equal_nan=True), index=a.index)
    return a.astype(str) == b.astype(str)


def test_raw_computation_gives_the_published_corpus_health():
    """The computation ``extra_repos`` runs on the benchmark scans, pointed at the corpus' raw
    snapshot, equals ``health.from_processed`` on the tables 02-04 published."""
    raw = extra_repos.processed_tables(tables.read_table("papers_included"), DATA_RAW, "repos")
    mine = health.from_processed(raw).set_index("repo")
    pub = health.from_processed({n: tables.read_table(n) for n in PUBLISHED}).set_index("repo")
    assert sorted(mine.index) == sorted(pub.index)
    mine = mine.loc[pub.index]
    assert (pub["scanned"] == "yes").sum() > 100
    for col in health.HEALTH_COLUMNS[1:]:
        bad = ~_same(mine[col], pub[col])
        assert not bad.any(), (col, mine.loc[bad, col].head(3), pub.loc[bad, col].head(3))


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False)


@pytest.fixture
def world(tmp_path):
    """A data_raw with a registry of three benchmarks (one in the corpus), two mirrors."""
    raw, mirrors = tmp_path / "data_raw", tmp_path / "mirrors"
    reg = [
        {"benchmark_id": "a", "paper_id": "2401.00001", "repo": "own/alpha", "study_window": "in"},
        {"benchmark_id": "b", "repo": "own/beta", "data_released": "2023-03",
         "data_released_basis": "arXiv", "study_window": "before"},
        {"benchmark_id": "c", "repo": "own/gone", "study_window": "none"},
        {"benchmark_id": "d", "repo": "corp/us", "study_window": "in"},
    ]  # fmt: skip
    _write(raw / "benchmarks/registry.csv", REGISTRY_COLUMNS, reg)
    _write(raw / "benchmarks/leaderboard_names.csv", NAME_COLUMNS, [])
    _write(raw / "benchmarks/datasets.csv", DATASET_COLUMNS, [])
    _write(raw / "repos/scan_repos.csv", ["repo", "commit_sha"], [{"repo": "Corp/Us"}])
    included = tmp_path / "papers_included.csv"
    _write(included, ["paper_id", "repo", "first_version_date"],
           [{"paper_id": "2401.00001", "repo": "", "first_version_date": "2024-01"}])  # fmt: skip
    w = init(tmp_path / "alpha")
    commit(w, {"a.py": "def f(x):\n    return x + 1\n"}, when="2024-01-10T10:00:00+00:00")
    commit(w, {"a.py": "def f(x):\n    return x + 2\n"}, when="2024-06-01T10:00:00+00:00")
    commit(w, {"b.py": "import os\n"}, when="2024-12-01T10:00:00+00:00")  # after the date
    mirror(w, mirrors, "own/alpha")
    w = init(tmp_path / "beta")
    commit(w, {"README.md": "# beta\n"}, when="2025-01-01T10:00:00+00:00")  # only after
    mirror(w, mirrors, "own/beta")
    return raw, mirrors, included


def test_collector_pins_the_commit_and_writes_only_benchmark_scans(world, tmp_path):
    raw, mirrors, included = world
    before = hashlib.sha256((raw / "repos/scan_repos.csv").read_bytes()).hexdigest()
    ref = pd.Timestamp("2024-08-22").date()
    written = benchmark_repos.collect(
        mirrors, ref, ref, included, raw, tmp_path / "cache", workers=1, resolve=False
    )
    assert all(p.startswith("benchmarks/scans/") for p in written)
    assert hashlib.sha256((raw / "repos/scan_repos.csv").read_bytes()).hexdigest() == before
    man = pd.read_csv(raw / "MANIFEST.csv")
    assert set(written) <= set(man["path"]) and all(man["path"].str.startswith("benchmarks/"))
    c = pd.read_csv(raw / "benchmarks/scans/scan_commits.csv", dtype=str).set_index("repo")
    assert list(c.index) == ["own/alpha", "own/beta", "own/gone"]  # corp/us is in the corpus
    assert c.at["own/alpha", "scanned_commit"] != c.at["own/alpha", "snapshot_head"]
    assert c.at["own/alpha", "published"] == "2024-01"  # from 01 (no data_released)
    assert c.at["own/beta", "published"] == "2023-03"
    assert pd.isna(c.at["own/beta", "scanned_commit"])
    repos = pd.read_csv(raw / "benchmarks/scans/scan_repos.csv")
    assert list(repos["repo"]) == ["own/alpha"]
    assert repos.at[0, "commit_sha"] == c.at["own/alpha", "scanned_commit"]
    assert repos.at[0, "last_commit"].startswith("2024-06-01") and repos.at[0, "n_commits"] == 2
    files = pd.read_csv(raw / "benchmarks/scans/scan_files.csv")
    assert "b.py" not in set(files["path"])  # the later commit's file is not in the scan
    fails = pd.read_csv(raw / "benchmarks/scans/scan_failures.csv").set_index("repo")
    assert fails.at["own/beta", "reason"] == "no_commit_by_reference_date"
    assert fails.at["own/gone", "reason"] == "no_mirror"
    fetch = [{"repo": r, "status": s, "reason": why} for r, s, why in [
        ("own/alpha", "fetched", ""), ("own/beta", "fetched", ""),
        ("own/gone", "unavailable", "No snapshot")]]  # fmt: skip
    _write(raw / "benchmarks/scans/fetch_status.csv", ["repo", "status", "reason"], fetch)
    h = extra_repos.health(raw).set_index("repo")
    assert list(h["scanned"]) == ["yes", "no", "no"]
    assert h.at["own/alpha", "stale"] == "no" and pd.notna(h.at["own/alpha", "pylint_score"])
    assert h.at["own/alpha", "resolves_today"] == "unknown"  # --no-resolve
    assert "no commit on or before" in h.at["own/beta", "scan_note"]
    assert h.at["own/gone", "scan_note"] == "unavailable: No snapshot"

"""The committed benchmark scans (data_raw/benchmarks/scans/) give one health row per
repository of scan_commits.csv, in passports.health.HEALTH_COLUMNS."""

from __future__ import annotations

import pandas as pd

from benchmeta.core.paths import DATA_RAW
from benchmeta.passports import extra_repos, health


def test_committed_benchmark_scans_give_health_columns():
    commits = pd.read_csv(DATA_RAW / extra_repos.SCANS / "scan_commits.csv", dtype=str)
    h = extra_repos.health(DATA_RAW)
    assert list(h.columns) == health.HEALTH_COLUMNS
    assert sorted(h["repo"]) == sorted(commits["repo"])
    assert set(h["health_source"]) == {"benchmark scan"}
    scanned = h[h["scanned"] == "yes"]
    assert len(scanned) > 0 and (scanned["scan_note"] == "").all()
    assert (h.loc[h["scanned"] == "no", "scan_note"] != "").all()
    assert set(scanned["commit_sha"]) <= set(commits["scanned_commit"].dropna())

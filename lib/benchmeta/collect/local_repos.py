"""Scan the included papers' repositories from local git mirrors into ``data_raw/repos/``.

    python -m benchmeta collect repos --mirrors FOLDER --reference-date YYYY-MM-DD
        [--included data_processed/papers_included.csv] [--cache .cache/scan] [--workers N]
        [--executor dask --scheduler tcp://HOST:8786]

Repositories are the non-empty ``repo`` values of the included papers; each is measured
statically by ``benchmeta.scan`` (nothing from it is run) at the commit its mirror holds. Only
our measurements are written, keyed by ``repo`` and ``commit_sha``: ``scan_repos.csv`` (one row
per repository), ``scan_files.csv`` (one per file measured or skipped), ``scan_references.csv``
(what each repository's README, code and requirements refer to, for code adoption) and, if any,
``scan_failures.csv``. Which repositories could be fetched is recorded separately in
``fetch_status.csv``. ``--reference-date`` fixes "days since the last commit", so a rescan of the
same commits gives the same numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.paths import CACHE, DATA_PROCESSED, DATA_RAW
from ..scan.mirrors import mirror_path
from ..scan.references import scan_references
from ..scan.run import RepoSpec, Settings, scan_many, tool_versions

COLLECTOR = "python -m benchmeta collect repos"


def repo_specs(included: pd.DataFrame, mirrors: Path) -> tuple[list[RepoSpec], list[str]]:
    """One spec per distinct repository (its earliest paper's first version as ``published``),
    and the repositories without a mirror."""
    inc = included[included["repo"].fillna("") != ""].copy()
    inc["first_version_date"] = pd.to_datetime(inc["first_version_date"], errors="coerce")
    first = inc.groupby(inc["repo"])["first_version_date"].min()
    specs, missing = [], []
    for repo, published in first.items():
        path = mirror_path(mirrors, repo)
        if path is None:
            missing.append(repo)
            continue
        pub = published.date() if pd.notna(published) else None
        specs.append(RepoSpec(repo, git_dir=str(path), published=pub))
    return specs, missing


def references_table(specs: list[RepoSpec]) -> pd.DataFrame:
    """What each repository refers to, and how it can be referred to (for code adoption)."""
    from tqdm.auto import tqdm

    frames = [
        scan_references(s.repo, s.git_dir)
        for s in tqdm(specs, desc="references", unit="repo", file=sys.stderr)
    ]
    if not frames:
        return pd.DataFrame(
            columns=["repo", "commit_sha", "role", "kind", "value", "path", "n_files"]
        )
    return (
        pd.concat(frames, ignore_index=True)
        .sort_values(["repo", "role", "kind", "value", "path"], kind="stable")
        .reset_index(drop=True)
    )


def collect(
    mirrors: Path,
    reference_date: dt.date,
    included_csv: Path,
    data_raw: Path = DATA_RAW,
    cache: Path | None = CACHE / "scan",
    workers: int | None = None,
    scanned_on: str | None = None,
    executor: str = "local",
    scheduler: str | None = None,
) -> list[str]:
    included = pd.read_csv(included_csv, keep_default_na=False)
    specs, missing = repo_specs(included, mirrors)
    return scan_and_write(
        specs,
        missing,
        reference_date,
        data_raw,
        cache=cache,
        workers=workers,
        scanned_on=scanned_on,
        executor=executor,
        scheduler=scheduler,
    )


def _scan_entries(
    paths: list[str], what: str, reference_date: dt.date, retrieved_at: str, collector: str
) -> list[manifest.Entry]:
    """MANIFEST rows of the scan tables written under one folder."""
    versions = ", ".join(f"{k} {v}" for k, v in tool_versions().items())
    return [
        manifest.Entry(
            path=rel,
            source=f"measured by benchmeta.scan ({versions}) on local mirrors of "
            f"{what}; reference date {reference_date}",
            url="https://github.com/<repo> at the commit_sha in each row",
            retrieved_at=retrieved_at,
            sha256="",
            licence="CC-BY-4.0 (our measurements; no file of the repositories is included)",
            collector=collector,
            attribution="the repositories' authors (see repo column)",
        )
        for rel in paths
    ]


def scan_and_write(
    specs: list[RepoSpec],
    missing: list[str],
    reference_date: dt.date,
    data_raw: Path = DATA_RAW,
    folder: str = "repos",
    what: str = "the included papers' GitHub repositories",
    collector: str = COLLECTOR,
    cache: Path | None = CACHE / "scan",
    workers: int | None = None,
    scanned_on: str | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    not_scanned: pd.DataFrame | None = None,
) -> list[str]:
    """Scan ``specs`` and write ``scan_repos``, ``scan_files``, ``scan_references`` and
    ``scan_failures`` (``missing``: repositories without a mirror; ``not_scanned``: more
    failures, columns repo, reason, error) under ``data_raw/folder``, each with a MANIFEST
    row. Returns the paths written, relative to ``data_raw``."""
    res = scan_many(
        specs,
        executor,
        reference_date=reference_date,
        cache_dir=cache,
        workers=workers,
        settings=Settings(),
        address=scheduler,
    )
    written = {
        f"{folder}/scan_repos.csv": res.repos,
        f"{folder}/scan_files.csv": res.files,
        f"{folder}/scan_references.csv": references_table(specs),
    }
    fails = pd.concat(
        [
            res.failures,
            pd.DataFrame({"repo": missing, "reason": "no_mirror", "error": "no mirror"}),
            not_scanned,
        ],
        ignore_index=True,
    )
    written[f"{folder}/scan_failures.csv"] = fails.sort_values("repo").reset_index(drop=True)
    for rel, df in written.items():
        atomic.write_csv(data_raw / rel, df)
    retrieved = scanned_on or dt.date.today().isoformat()
    manifest.record(
        _scan_entries(list(written), what, reference_date, retrieved, collector), data_raw
    )
    print(
        f"scanned {len(res.repos)} of {len(specs) + len(missing)} repositories "
        f"({len(missing)} without a mirror, {len(res.failures)} failed) -> {folder}/"
    )
    return list(written)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog=COLLECTOR, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--mirrors", type=Path, required=True, help="folder of bare git mirrors")
    p.add_argument("--reference-date", type=dt.date.fromisoformat, required=True)
    p.add_argument("--included", type=Path, default=DATA_PROCESSED / "papers_included.csv")
    p.add_argument("--cache", type=Path, default=CACHE / "scan")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    p.add_argument("--executor", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", default=None, help="dask scheduler address")
    a = p.parse_args(argv)
    if a.executor == "dask" and not a.scheduler:
        p.error("--executor dask needs --scheduler ADDRESS")
    collect(
        a.mirrors,
        a.reference_date,
        a.included,
        a.data_raw,
        a.cache,
        a.workers,
        executor=a.executor,
        scheduler=a.scheduler,
    )
    return 0

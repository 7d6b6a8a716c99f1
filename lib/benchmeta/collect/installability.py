"""Would each scanned repository's declared dependencies resolve, at its last commit and today?

    python -m benchmeta collect installability --mirrors FOLDER --collection-date YYYY-MM-DD
        [--repos-csv data_raw/repos/scan_repos.csv] [--out data_raw/repos/installability.csv]
        [--cache .cache/installability] [--workers N]

One row per repo@sha x Python (the declared target, or 3.10 when none is declared; and 3.13)
x index date (the last commit's time; and the collection date given, never "now"). The
resolver is ``uv pip compile`` (its version is in every row) fed only sanitised requirement
strings (``benchmeta.scan.dependencies``, ``benchmeta.scan.resolve``): nothing from a repository
is run, and no repository or machine configuration reaches the resolver. The index of a past
date is a reconstruction (``--exclude-newer`` cannot restore removed releases or undo later
yanks and re-uploads). Results are cached by repo@sha + input hash + cut-off + Python + resolver
version, so a rerun on unchanged inputs makes no resolver call. The package index changes every
day: the output is data (with a MANIFEST row), not a computation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from concurrent.futures import Executor
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.errors import InputError
from ..core.paths import CACHE, DATA_RAW
from ..scan.executor import Budget, Failure, map_items
from ..scan.mirrors import mirror_path
from ..scan.resolve import PLATFORM, Index
from .installability_rows import (
    COLLECTOR,
    COLUMNS,
    item_rows,
)


def collect_many(
    targets: list[tuple[str, str, str]],
    collection_date: dt.date,
    index: Index,
    cache_dir: str | None,
    executor: str | Executor = "local",
    workers: int | None = None,
    progress: bool = True,
    every_days: int = 0,
    budget_seconds: float | None = 3600.0,
    address: object = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Rows for every (repo, git_dir, rev), failures, and timing (seconds, fresh/cached runs).

    Each repository runs in its own process through the scanner's executor (``local``,
    ``dask`` with ``address``, or any ``concurrent.futures.Executor``) under a time budget.
    """
    from tqdm.auto import tqdm

    items = [
        (repo, gd, rev, collection_date, index, cache_dir, True, every_days)
        for repo, gd, rev in targets
    ]
    t0 = time.perf_counter()
    results = []
    bar = tqdm(
        total=len(items), unit="repo", desc="installability", file=sys.stderr, disable=not progress
    )
    try:
        for item, out in map_items(
            item_rows,
            items,
            executor=executor,
            workers=workers or min(3, os.cpu_count() or 1),
            budget=Budget(seconds=budget_seconds),
            address=address,
        ):
            results.append(_failed(item[0], out) if isinstance(out, Failure) else out)
            bar.set_postfix_str(f"{sum('error' in r for r in results)} failed")
            bar.update(1)
    finally:
        bar.close()
    df, fails = _tables(results)
    timing = {
        "seconds": time.perf_counter() - t0,
        "fresh": sum(r["fresh"] for r in results),
        "cached": sum(r["cached"] for r in results),
    }
    return df, fails, timing


def _failed(repo: str, failure: Failure) -> dict:
    """The result of a repository whose process failed: no rows, the failure as its error."""
    return {
        "repo": repo,
        "error": f"{failure.reason}: {failure.message}",
        "rows": [],
        "fresh": 0,
        "cached": 0,
    }


def _tables(results: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of every repository and the failures, both sorted by repo."""
    rows = [row for r in sorted(results, key=lambda r: r["repo"]) for row in r["rows"]]
    fails = pd.DataFrame(
        sorted(
            ({"repo": r["repo"], "error": r["error"]} for r in results if "error" in r),
            key=lambda d: d["repo"],
        ),
        columns=["repo", "error"],
    )
    return pd.DataFrame(rows, columns=COLUMNS), fails


def targets_from(repos_csv: Path, mirrors: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(repo, git dir, commit_sha) for each row of the scan's repository table; missing ones."""
    df = pd.read_csv(repos_csv, usecols=["repo", "commit_sha"], dtype=str)
    for i, row in df.iterrows():
        if str(row["repo"]).count("/") != 1:
            raise InputError(repos_csv, i + 2, "repo is not owner/name", row["repo"])
    found, missing = [], []
    for repo, sha in df.drop_duplicates("repo").itertuples(index=False):
        path = mirror_path(mirrors, repo)
        if path is None:
            missing.append(repo)
        else:
            found.append((repo, str(path), sha))
    return found, missing


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=COLLECTOR, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--mirrors", type=Path, required=True, help="folder of bare git mirrors")
    p.add_argument(
        "--collection-date",
        type=dt.date.fromisoformat,
        required=True,
        help="YYYY-MM-DD: the 'today' index cut-off written in every row",
    )
    p.add_argument("--repos-csv", type=Path, default=DATA_RAW / "repos" / "scan_repos.csv")
    p.add_argument("--out", type=Path, default=DATA_RAW / "repos" / "installability.csv")
    p.add_argument("--cache", type=Path, default=CACHE / "installability")
    p.add_argument("--index-url", default=Index.url)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument(
        "--every-days",
        type=int,
        default=0,
        help="also resolve at checkpoints every N days after the last commit",
    )
    p.add_argument("--executor", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", default=None, help="dask scheduler address (tcp://host:port)")
    p.add_argument(
        "--budget-seconds",
        type=float,
        default=3600.0,
        help="wall-clock budget of one repository's process",
    )
    p.add_argument("--no-manifest", action="store_true", help="do not add a MANIFEST row")
    return p


def main(argv: list[str]) -> int:
    p = _parser()
    a = p.parse_args(argv)
    targets, missing = targets_from(a.repos_csv, a.mirrors)
    index = Index(url=a.index_url, cache_dir=str(a.cache / "uv"))
    if a.executor == "dask" and not a.scheduler:
        p.error("--executor dask needs --scheduler ADDRESS")
    resolve_and_write(
        targets,
        missing,
        a.collection_date,
        index,
        a.out,
        str(a.cache),
        record=not a.no_manifest,
        executor=a.executor,
        workers=a.workers,
        every_days=a.every_days,
        budget_seconds=a.budget_seconds,
        address=a.scheduler,
    )
    return 0


def resolve_and_write(
    targets: list[tuple[str, str, str]],
    missing: list[str],
    collection_date: dt.date,
    index: Index,
    out: Path,
    cache_dir: str | None,
    record: bool = True,
    data_raw: Path = DATA_RAW,
    **kwargs,
) -> pd.DataFrame:
    """``collect_many`` on ``targets`` (``kwargs``: its options), written to ``out`` and
    ``<out>_failures.csv`` (``missing``: repositories without a mirror), with MANIFEST rows
    when ``record`` and ``out`` is inside ``data_raw``. Returns the rows."""
    df, fails, timing = collect_many(targets, collection_date, index, cache_dir, **kwargs)
    fails = (
        pd.concat([fails, pd.DataFrame({"repo": missing, "error": "no mirror"})], ignore_index=True)
        .sort_values("repo")
        .reset_index(drop=True)
    )
    atomic.write_csv(out, df)
    fail_path = out.with_name(out.stem + "_failures.csv")
    atomic.write_csv(fail_path, fails)
    print(
        f"{df['repo'].nunique() if len(df) else 0} repositories, {len(df)} rows, "
        f"{len(fails)} failed or missing; {timing['fresh']} resolutions run, "
        f"{timing['cached']} from cache, {timing['seconds']:.0f} s",
        file=sys.stderr,
    )
    if record:
        _record(out, fail_path, collection_date, df, data_raw)
    return df


def _record(
    out: Path, fail_path: Path, collection_date: dt.date, df: pd.DataFrame, data_raw: Path
) -> None:
    try:
        rels = [f.resolve().relative_to(data_raw.resolve()).as_posix() for f in (out, fail_path)]
    except ValueError:
        print("output is outside data_raw/: no MANIFEST row written", file=sys.stderr)
        return
    ver = df["resolver_version"].iloc[0] if len(df) else "unknown"
    manifest.record(
        [
            manifest.Entry(
                path=rel,
                source=f"dependency resolution by uv pip compile {ver} (wheels only, "
                f"{PLATFORM}) of "
                f"the declared dependencies of the scanned repositories, index cut-offs at each "
                f"repository's last commit and at {collection_date}; past-date index is a "
                f"reconstruction (--exclude-newer)",
                url="https://pypi.org/simple",
                retrieved_at=collection_date.isoformat(),
                sha256="",
                licence="CC-BY-4.0 (our measurements; no file of the repositories is included)",
                collector=COLLECTOR,
                attribution="the repositories' authors (see repo column); package metadata "
                "from PyPI",
            )
            for rel in rels
        ],
        data_raw,
    )

"""``python -m benchmeta scan``: measure repositories from local mirrors or fresh clones.

    python -m benchmeta scan --mirrors MIRRORS [--repos owner/name ...] --out repos.csv \\
        --reference-date 2026-06-30 [--cache .cache/scan] [--workers 2]
        [--executor dask --scheduler tcp://HOST:8786] [--budget-seconds 3600]
    python -m benchmeta scan --clone-url-template https://github.com/{repo}.git \\
        --repos owner/name ... --out repos.csv --reference-date 2026-06-30

Writes ``<out>`` (one row per repository), ``<out stem>_files.csv`` (one row per file measured
or skipped, with its problem) and, if any, ``<out stem>_failures.csv`` (repo, reason, error).
No machine path is written: rows are keyed by ``repo`` and ``commit_sha``. Each repository runs
in its own process under ``--budget-seconds`` and ``--budget-memory-gb``; ``--executor dask``
sends the repositories to a dask.distributed scheduler (every worker needs git, this package
and read access to the mirrors folder at the same path).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..core import atomic
from .mirrors import discover_mirrors, mirror_path
from .run import RepoSpec, Settings, scan_many


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmeta scan",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--mirrors", type=Path, help="folder of bare git mirrors (owner+name/...)")
    src.add_argument("--clone-url-template", help="URL with {repo}, {owner}, {name}")
    p.add_argument("--repos", nargs="*", default=None, help="owner/name ... (default: all)")
    p.add_argument("--out", type=Path, required=True, help="CSV of repository rows")
    p.add_argument(
        "--reference-date",
        required=True,
        type=date.fromisoformat,
        help="YYYY-MM-DD: 'days since last commit' is measured at this date",
    )
    p.add_argument("--cache", type=Path, default=None, help="cache folder (default: none)")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--pylint-jobs", type=int, default=0, help="0: auto")
    p.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="where repositories are scanned (default: local processes)",
    )
    p.add_argument("--scheduler", default=None, help="dask scheduler address (tcp://host:port)")
    p.add_argument(
        "--budget-seconds",
        type=float,
        default=Settings.budget_seconds,
        help="wall clock per repository",
    )
    p.add_argument(
        "--budget-memory-gb",
        type=float,
        default=Settings.budget_memory / 2**30,
        help="memory (address space) per repository",
    )
    p.add_argument("--no-progress", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.executor == "dask" and not args.scheduler:
        parser.error("--executor dask needs --scheduler ADDRESS")
    for repo in args.repos or []:
        if repo.count("/") != 1 or not all(repo.split("/")):
            parser.error(f"--repos: not owner/name: {repo!r}")
    specs, missing = [], []
    if args.mirrors:
        repos = args.repos or discover_mirrors(args.mirrors)
        for repo in repos:
            path = mirror_path(args.mirrors, repo)
            if path is None:
                missing.append(repo)
            else:
                specs.append(RepoSpec(repo, git_dir=str(path)))
    else:
        if not args.repos:
            print("--clone-url-template needs --repos", file=sys.stderr)
            return 2
        for repo in args.repos:
            owner, name = repo.split("/", 1)
            url = args.clone_url_template.format(repo=repo, owner=owner, name=name)
            specs.append(RepoSpec(repo, clone_url=url))
    settings = Settings(
        pylint_jobs=args.pylint_jobs,
        budget_seconds=args.budget_seconds,
        budget_memory=int(args.budget_memory_gb * 2**30),
    )
    res = scan_many(
        specs,
        args.executor,
        reference_date=args.reference_date,
        cache_dir=args.cache,
        workers=args.workers,
        settings=settings,
        progress=not args.no_progress,
        address=args.scheduler,
    )
    fails = res.failures
    if missing:
        import pandas as pd

        extra = pd.DataFrame({"repo": missing, "reason": "no_mirror", "error": "no mirror found"})
        fails = pd.concat([fails, extra], ignore_index=True)
    stem = args.out.with_suffix("")
    atomic.write_csv(args.out, res.repos)
    atomic.write_csv(f"{stem}_files.csv", res.files)
    if len(fails):
        atomic.write_csv(f"{stem}_failures.csv", fails)
    print(
        f"scanned {len(res.repos)} repositories, {len(fails)} failed -> {args.out.name}",
        file=sys.stderr,
    )
    return 0 if len(res.repos) or not specs else 1

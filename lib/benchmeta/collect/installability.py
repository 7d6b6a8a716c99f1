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
import re
import sys
import time
from concurrent.futures import Executor
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd

from ..core import atomic, manifest
from ..core.errors import InputError
from ..core.paths import CACHE, DATA_RAW
from ..scan import sandbox
from ..scan.cache import ResultCache
from ..scan.dependencies import Declared, load
from ..scan.resolve import PLATFORM, Index, Resolution, input_hash, resolve, uv_version
from ..scan.run import mirror_path

COLLECTOR = "python -m benchmeta collect installability"
LOGIC = "3"  # bump when what a cached resolution means changes (part of the cache key)
DEFAULT_PYTHON = "3.10"
CURRENT_PYTHON = "3.13"
GPU = (
    "torch",
    "torchvision",
    "torchaudio",
    "jax",
    "jaxlib",
    "tensorflow",
    "xformers",
    "flash-attn",
    "vllm",
    "bitsandbytes",
    "deepspeed",
    "triton",
)
COLUMNS = [
    "repo",
    "commit_sha",
    "last_commit",
    "python_role",
    "python",
    "python_declared",
    "python_source",
    "index_role",
    "exclude_newer",
    "collection_date",
    "resolver",
    "resolver_version",
    "platform",
    "route",
    "dependency_files",
    "n_requirements",
    "n_conda",
    "conda_names",
    "url_names",
    "requirements",
    "flags",
    "input_sha256",
    "outcome",
    "sdist_packages",
    "blamed",
    "message",
    "n_resolved",
    "gpu_packages",
    "cuda_variant",
    "closure",
    "resolve_seconds",
    "resolver_calls",
]


def sdist_fetcher(index: Index, cache_dir: str | None):
    """``fetch(name, spec, cutoff) -> (version, requirements | None)`` for ``resolve``: the PyPI
    JSON API through our HTTP layer, the sdist downloaded into memory (at most
    ``MAX_SDIST_BYTES``) and its static metadata read; parsed results are cached by file URL."""
    from ..core import http
    from ..scan.resolve import MAX_SDIST_BYTES, pick_sdist, sdist_metadata

    session = http.make_session(Path(cache_dir or CACHE) / "http", cache_name="pypi_json")
    parsed = ResultCache(Path(cache_dir) / "sdists" if cache_dir else None)

    def fetch(name: str, spec: str, cutoff: str):
        try:
            return _fetch(name, spec, cutoff)
        except (http.FetchError, OSError, ValueError) as err:  # requests errors are OSErrors
            print(f"sdist of {name}: {http.redact(type(err).__name__)}", file=sys.stderr)
            return None

    def _fetch(name: str, spec: str, cutoff: str):
        api = f"{index.json_api}/{name}/json"
        got = http.get_json(session, api)
        if not got.found or not isinstance(got.data, dict):
            return None
        pick = pick_sdist(got.data.get("releases") or {}, spec, cutoff)
        if pick is None:
            return None
        key = parsed.key(name, pick[0], {"file": pick[1]}, {"logic": LOGIC})
        hit = parsed.get(key)
        if hit is not None:
            return pick[0], hit["requirements"]
        with session.cache_disabled() if hasattr(session, "cache_disabled") else _null():
            resp = session.get(urljoin(api, pick[2]), stream=True, timeout=http.TIMEOUT)
            resp.raise_for_status()
            data = b""
            for chunk in resp.iter_content(1 << 20):
                data += chunk
                if len(data) > MAX_SDIST_BYTES:
                    return None
        reqs = sdist_metadata(data, pick[1])
        parsed.put(key, {"requirements": reqs})
        return pick[0], reqs

    return fetch


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def cutoffs(
    last_commit: str, collection_date: dt.date, every_days: int = 0
) -> list[tuple[str, str]]:
    """(role, ISO UTC time) for --exclude-newer: the last commit, the collection date and, with
    ``every_days``, checkpoints ``commit+<k*every_days>d`` strictly between the two (for the
    time until the dependencies stop resolving)."""
    t = dt.datetime.fromisoformat(last_commit).astimezone(dt.UTC)
    end = dt.datetime.combine(collection_date, dt.time(), tzinfo=dt.UTC)
    out = [
        ("commit", t.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("collection", end.strftime("%Y-%m-%dT%H:%M:%SZ")),
    ]
    k = 1
    while every_days > 0 and t + dt.timedelta(days=k * every_days) < end:
        when = t + dt.timedelta(days=k * every_days)
        out.append((f"commit+{k * every_days}d", when.strftime("%Y-%m-%dT%H:%M:%SZ")))
        k += 1
    return out


def conda_name(spec: str) -> str:
    """The package name of a conda spec (``pytorch::pytorch=2.0=py3`` -> ``pytorch``)."""
    return re.split(r"[=<>!~ \[]", spec.split("::")[-1].strip(), maxsplit=1)[0].lower()


def _variant(closure: list[str]) -> tuple[str, str]:
    names = {c.split("==")[0]: c for c in closure}
    gpu = ";".join(names[n] for n in GPU if n in names)
    cuda = sorted(
        {
            n.rsplit("-cu", 1)[1]
            for n in names
            if n.startswith("nvidia-") and "-cu" in n and n.rsplit("-cu", 1)[1].isdigit()
        }
    )
    return gpu, ";".join(f"cu{c}" for c in cuda)


def repo_rows(
    repo: str,
    git_dir: str,
    rev: str,
    collection_date: dt.date,
    index: Index,
    cache_dir: str | None,
    fetch_sdists: bool = True,
    every_days: int = 0,
) -> dict:
    """All rows of one repository (4 resolutions, and one per checkpoint for the target
    Python), plus counts of cached and fresh resolver runs."""
    cache = ResultCache(Path(cache_dir) / "resolutions" if cache_dir else None)
    version = uv_version()
    with sandbox.isolated(git_dir) as gd:
        exists = sandbox.git(gd, "cat-file", "-e", f"{rev}^{{commit}}", check=False)
        sha, decl = load(str(gd), rev if exists.returncode == 0 else "HEAD")
        last = sandbox.git(gd, "log", "-1", "--format=%cI", sha).stdout.decode().strip()
    reqs = decl.requirements
    target = decl.target_python
    pythons = [("target", target or DEFAULT_PYTHON), ("current", CURRENT_PYTHON)]
    fetch = sdist_fetcher(index, cache_dir) if fetch_sdists else None
    rows, fresh, cached = [], 0, 0
    for index_role, cutoff in cutoffs(last, collection_date, every_days):
        for py_role, py in pythons if "+" not in index_role else pythons[:1]:
            if not reqs:
                res = Resolution(
                    "conda_only"
                    if decl.conda
                    else ("no_pep508_requirements" if decl.files else "no_declared_dependencies")
                )
            else:
                key = cache.key(
                    repo,
                    sha,
                    {
                        "uv": version,
                        "platform": PLATFORM,
                        "index": index.url,
                        "sdists": bool(fetch),
                        "logic": LOGIC,
                    },
                    {"input": input_hash(reqs), "cutoff": cutoff, "python": py},
                )
                hit = cache.get(key)
                if hit is not None:
                    res, cached = Resolution(**hit), cached + 1
                else:
                    res, fresh = resolve(reqs, py, cutoff, index, fetch), fresh + 1
                    cache.put(key, asdict(res))
            rows.append(
                _row(
                    repo,
                    sha,
                    last,
                    py_role,
                    py,
                    target,
                    decl,
                    index_role,
                    cutoff,
                    collection_date,
                    version,
                    res,
                )
            )
    return {"repo": repo, "rows": rows, "fresh": fresh, "cached": cached}


def _row(
    repo: str,
    sha: str,
    last: str,
    py_role: str,
    py: str,
    target: str | None,
    decl: Declared,
    index_role: str,
    cutoff: str,
    collection_date: dt.date,
    version: str,
    res: Resolution,
) -> dict:
    gpu, cuda = _variant(res.closure)
    return {
        "repo": repo,
        "commit_sha": sha,
        "last_commit": last,
        "python_role": py_role,
        "python": py,
        "python_declared": decl.python_spec,
        "python_source": decl.python_source
        if target
        else ("default" if py_role == "target" else ""),
        "index_role": index_role,
        "exclude_newer": cutoff,
        "collection_date": collection_date.isoformat(),
        "resolver": "uv pip compile",
        "resolver_version": version,
        "platform": PLATFORM,
        "route": decl.route,
        "dependency_files": ";".join(decl.files),
        "n_requirements": len(decl.requirements),
        "n_conda": len(decl.conda),
        "url_names": ";".join(sorted(set(decl.url_names))),
        "conda_names": ";".join(sorted({conda_name(c) for c in decl.conda} - {""})),
        "requirements": "|".join(decl.requirements),
        "flags": ";".join(decl.flags[:30]),
        "input_sha256": input_hash(decl.requirements) if decl.requirements else "",
        "outcome": res.outcome,
        "sdist_packages": ";".join(res.sdists),
        "blamed": ";".join(res.blamed),
        "message": res.message,
        "n_resolved": len(res.closure) if res.closure else None,
        "gpu_packages": gpu,
        "cuda_variant": cuda,
        "closure": ";".join(res.closure),
        "resolve_seconds": round(res.seconds, 2),
        "resolver_calls": res.calls,
    }


def _item_rows(item: tuple) -> dict:
    """``repo_rows`` for one work item; an exception becomes that repository's error."""
    try:
        return repo_rows(*item)
    except Exception as err:  # one repository must not stop the others
        from ..scan.run import _NO_PATHS

        msg = _NO_PATHS.sub("<path>", f"{type(err).__name__}: {err}")
        return {"repo": item[0], "error": msg, "rows": [], "fresh": 0, "cached": 0}


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

    from ..scan.executor import Budget, Failure, map_items

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
            _item_rows,
            items,
            executor=executor,
            workers=workers or min(3, os.cpu_count() or 1),
            budget=Budget(seconds=budget_seconds),
            address=address,
        ):
            if isinstance(out, Failure):
                out = {
                    "repo": item[0],
                    "error": f"{out.reason}: {out.message}",
                    "rows": [],
                    "fresh": 0,
                    "cached": 0,
                }
            results.append(out)
            bar.set_postfix_str(f"{sum('error' in r for r in results)} failed")
            bar.update(1)
    finally:
        bar.close()
    rows = [row for r in sorted(results, key=lambda r: r["repo"]) for row in r["rows"]]
    df = pd.DataFrame(rows, columns=COLUMNS)
    fails = pd.DataFrame(
        sorted(
            ({"repo": r["repo"], "error": r["error"]} for r in results if "error" in r),
            key=lambda d: d["repo"],
        ),
        columns=["repo", "error"],
    )
    timing = {
        "seconds": time.perf_counter() - t0,
        "fresh": sum(r["fresh"] for r in results),
        "cached": sum(r["cached"] for r in results),
    }
    return df, fails, timing


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


def main(argv: list[str]) -> int:
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
    a = p.parse_args(argv)
    targets, missing = targets_from(a.repos_csv, a.mirrors)
    index = Index(url=a.index_url, cache_dir=str(a.cache / "uv"))
    if a.executor == "dask" and not a.scheduler:
        p.error("--executor dask needs --scheduler ADDRESS")
    df, fails, timing = collect_many(
        targets,
        a.collection_date,
        index,
        str(a.cache),
        executor=a.executor,
        workers=a.workers,
        every_days=a.every_days,
        budget_seconds=a.budget_seconds,
        address=a.scheduler,
    )
    fails = (
        pd.concat([fails, pd.DataFrame({"repo": missing, "error": "no mirror"})], ignore_index=True)
        .sort_values("repo")
        .reset_index(drop=True)
    )
    atomic.write_csv(a.out, df)
    fail_path = a.out.with_name(a.out.stem + "_failures.csv")
    atomic.write_csv(fail_path, fails)
    print(
        f"{df['repo'].nunique() if len(df) else 0} repositories, {len(df)} rows, "
        f"{len(fails)} failed or missing; {timing['fresh']} resolutions run, "
        f"{timing['cached']} from cache, {timing['seconds']:.0f} s",
        file=sys.stderr,
    )
    if not a.no_manifest:
        _record(a.out, fail_path, a.collection_date, df)
    return 0


def _record(out: Path, fail_path: Path, collection_date: dt.date, df: pd.DataFrame) -> None:
    data_raw = DATA_RAW
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

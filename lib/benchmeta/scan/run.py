"""Scan one repository, or many, each in a process of its own with a time and memory budget.

``scan_many`` returns tidy tables keyed by ``repo`` (owner/name) and ``commit_sha``: one row per
repository, one per measured or skipped file, one per repository that failed (with a
``reason``: ``mirror``, ``error``, ``timeout``, ``memory`` or ``died``). Where the processes run
is ``executor``'s choice (local processes, a dask.distributed cluster, any
``concurrent.futures.Executor``): one repository that hangs, blows up or is killed is recorded
as that repository's failure and the others complete. Measurements are cached by repo@sha, tool
versions and settings (a result cut by the time budget is not cached); git history is re-read on
every scan (it is cheap), because its metrics depend on the reference date and the publication
date passed in.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd

from . import headtree, history, sandbox
from .cache import ResultCache
from .executor import Budget, Failure, map_items
from .measure import measure

SCANNER_VERSION = "2"


def scanner_fingerprint() -> str:
    """sha256 of the measuring code and our pylintrc: any change to them invalidates the cache."""
    h = hashlib.sha256(SCANNER_VERSION.encode())
    here = Path(__file__).parent
    for name in (
        "sandbox.py",
        "headtree.py",
        "quality.py",
        "lint.py",
        "pylint_process.py",
        "names.py",
        "measure.py",
        "vendored.py",
        "readiness.py",
        "run.py",
        "pylintrc",
        "copyright_holders.csv",
    ):
        h.update((here / name).read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class RepoSpec:
    """A repository to scan: ``owner/name`` plus a local git directory or a URL to clone."""

    repo: str
    git_dir: str | None = None
    clone_url: str | None = None
    published: date | None = None  # the paper's first public version, for activity after it


@dataclass(frozen=True)
class Settings:
    """Everything besides the code that changes the numbers (part of the cache key)."""

    limits: headtree.Limits = field(default_factory=headtree.Limits)
    pylint_jobs: int = 0  # 0: auto (2 for a repository holding >= 1/4 of a batch's code)
    pylint_extra: tuple[str, ...] = ()
    pylint_timeout_cap: float = 1800.0
    file_timeout: float | None = 120.0  # radon seconds per file
    lint_copies: int = 10  # identical blobs: copies linted (radon measures a blob once)
    budget_seconds: float = 3600.0  # wall clock per repository (its process is then killed)
    budget_memory: int | None = 6 << 30  # address space per repository's process (bytes)

    def key(self) -> dict:
        d = asdict(self)
        # pylint processes per repository: chunks lint the same files with the same messages
        # (duplicate-code and cyclic-import, which depend on the batch, are disabled)
        if not any(
            m in a
            for a in self.pylint_extra
            for m in ("duplicate-code", "R0801", "cyclic-import", "R0401")
        ):
            d.pop("pylint_jobs")
        for k in ("budget_seconds", "budget_memory"):  # they only cut, and cuts are not cached
            d.pop(k)
        d["scanner"] = scanner_fingerprint()
        return d


@dataclass
class ScanResults:
    """Tidy outputs: ``repos`` (one row per repository), ``files`` (one per file measured or
    skipped, with its problem) and ``failures`` (repositories without a result: repo, reason,
    error)."""

    repos: pd.DataFrame
    files: pd.DataFrame
    failures: pd.DataFrame
    timings: pd.DataFrame = field(default_factory=pd.DataFrame)  # repo, stage, seconds


def tool_versions() -> dict[str, str]:
    """Versions that change the numbers: python, pylint, astroid, radon, nbformat."""
    out = {"python": platform.python_version()}
    for pkg in ("pylint", "astroid", "radon", "nbformat"):
        out[pkg] = version(pkg)
    return out


def scan_repo(
    spec: RepoSpec,
    reference_date: date,
    settings: Settings | None = None,
    cache_dir: str | None = None,
    deadline: float | None = None,
    cached_only: bool = False,
) -> dict | None:
    """Scan one repository; returns ``{"row": {...}, "files": [...]}`` (cached measurements
    plus fresh history). Raises on an unreadable repository (``sandbox.MirrorError`` saying
    what is wrong with the mirror). ``deadline`` (``time.monotonic()``) bounds the work;
    ``cached_only``: return ``None`` instead of measuring when the cache has no entry."""
    settings = settings or Settings()
    cache = ResultCache(cache_dir)
    versions = tool_versions()
    clone_tmp = None
    try:
        source = spec.git_dir
        if spec.clone_url:
            clone_tmp = tempfile.mkdtemp(prefix="bm-clone-")
            source = str(sandbox.clone_bare(spec.clone_url, Path(clone_tmp) / "repo.git"))
        if not source:
            raise ValueError(f"{spec.repo}: neither a git directory nor a clone URL")
        t0 = time.perf_counter()
        with sandbox.isolated(source) as gd:
            sha = sandbox.head_sha(gd)
            key = cache.key(spec.repo, sha, versions, settings.key())
            payload = cache.get(key)
            cached = payload is not None
            timings = {}
            if payload is None and cached_only:
                return None
            if payload is None:
                payload = measure(spec.repo, gd, settings, deadline)
                timings = payload.pop("timings", {})
                if payload.pop("cacheable", True):
                    cache.put(key, payload)
            t1 = time.perf_counter()
            commits = history.read_commits(gd, sha)
        hist = history.summarise(commits, reference_date, spec.published)
        timings["history"] = time.perf_counter() - t1
    finally:
        if clone_tmp:
            shutil.rmtree(clone_tmp, ignore_errors=True)
    return {
        "row": _repo_row(spec, payload, versions, settings, hist),
        "files": [
            {"repo": spec.repo, "commit_sha": payload["commit_sha"], **f} for f in payload["files"]
        ],
        "cached": cached,
        "seconds": time.perf_counter() - t0,
        "timings": timings,
    }


def _repo_row(
    spec: RepoSpec,
    payload: dict,
    versions: dict[str, str],
    settings: Settings,
    hist: history.History,
) -> dict:
    """One repository's row: identity, tool versions, history, then the cached measurements."""
    return {
        "repo": spec.repo,
        "commit_sha": payload["commit_sha"],
        "scanned_at": payload["scanned_at"],
        **{f"{k}_version": v for k, v in versions.items()},
        "scanner_fingerprint": settings.key()["scanner"][:12],
        **hist.as_dict(),
        **payload["row"],
    }


_NO_PATHS = re.compile(r"(?:[A-Za-z]:)?(?:/[\w.+@-]+){2,}/?")


def _scan_safe(
    spec: RepoSpec, reference_date: date, settings: Settings, cache_dir: str | None
) -> dict:
    try:
        return scan_repo(
            spec, reference_date, settings, cache_dir, time.monotonic() + settings.budget_seconds
        )
    except Exception as err:  # one repository must not stop the others
        reason = "error"
        if isinstance(err, sandbox.MirrorError):
            reason, msg = "mirror", str(err)
        elif isinstance(err, subprocess.CalledProcessError):
            tail = (err.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:]
            msg = f"git failed (exit {err.returncode}): {' '.join(tail)}"
        else:
            msg = traceback.format_exception_only(type(err), err)[-1].strip()
        return {"error": _NO_PATHS.sub("<path>", msg), "reason": reason, "repo": spec.repo}


def _scan_item(item: tuple) -> dict:
    """``_scan_safe`` on one ``(spec, reference_date, settings, cache_dir)`` (picklable)."""
    return _scan_safe(*item)


def _from_cache(
    spec: RepoSpec, reference_date: date, settings: Settings, cache_dir: str
) -> dict | None:
    """The scan of ``spec`` from the cache (history read fresh), or ``None``."""
    if not spec.git_dir:
        return None
    try:
        return scan_repo(spec, reference_date, settings, cache_dir, cached_only=True)
    except Exception:  # the repository's own process will report it
        return None


def _python_bytes(spec: RepoSpec, limits: headtree.Limits) -> int:
    """Size of HEAD's Python files (a cheap cost estimate; 0 when unknown)."""
    if not spec.git_dir:
        return 0
    try:
        with sandbox.isolated(spec.git_dir) as gd:
            return sum(
                int(size)
                for _, _, _, size, path in headtree.iter_tree(gd, "HEAD", limits.max_tree_entries)
                if path.endswith(".py") and size.isdigit()
            )
    except Exception:  # the worker will report the failure properly
        return 0


def _outcome(spec: RepoSpec, out: Any) -> dict:
    if isinstance(out, Failure):
        return {
            "repo": spec.repo,
            "reason": out.reason,
            "error": _NO_PATHS.sub("<path>", out.message),
        }
    return out


def scan_many(
    specs: Iterable[RepoSpec],
    executor: str | Executor | None = "local",
    *,
    reference_date: date,
    cache_dir: Path | str | None = None,
    settings: Settings | None = None,
    workers: int | None = None,
    progress: bool = True,
    address: Any = None,
) -> ScanResults:
    """Scan repositories concurrently, each in its own budgeted process. ``executor``:
    ``"local"`` (``workers`` processes at a time), ``"dask"`` (``address`` of a scheduler or a
    ``Client``) or any ``concurrent.futures.Executor``. A tqdm bar on stderr shows repositories
    done, kLOC/s and failures. Output rows are sorted by repo."""
    from tqdm.auto import tqdm

    specs = list(specs)
    settings = settings or Settings()
    executor = "local" if executor is None else executor
    if not specs:
        return ScanResults(
            pd.DataFrame(), pd.DataFrame(), pd.DataFrame(columns=["repo", "reason", "error"])
        )
    cache = str(cache_dir) if cache_dir else None
    results: list[dict] = []
    if cache:  # cache hits need no process of their own: only git history is read
        hits = {s.repo: _from_cache(s, reference_date, settings, cache) for s in specs}
        results = [r for r in hits.values() if r is not None]
        specs = [s for s in specs if hits[s.repo] is None]
    items = _work_items(specs, reference_date, settings, cache)
    bar = tqdm(
        total=len(specs) + len(results),
        initial=len(results),
        file=sys.stderr,
        unit="repo",
        disable=not progress,
        desc="scan",
    )
    try:
        outcomes = map_items(
            _scan_item,
            items,
            executor=executor,
            address=address,
            workers=workers or min(len(specs), os.cpu_count() or 1),
            budget=Budget(seconds=settings.budget_seconds, memory_bytes=settings.budget_memory),
        )
        results += _gathered(outcomes, bar)
    finally:
        bar.close()
    return _tables(results)


def _work_items(
    specs: list[RepoSpec], reference_date: date, settings: Settings, cache: str | None
) -> list[tuple]:
    """``_scan_item`` arguments, largest repository first (LPT scheduling, so the biggest does
    not start last); in auto mode a repository with a quarter or more of the code gets two
    pylint processes."""
    sizes = {s.repo: _python_bytes(s, settings.limits) for s in specs}
    total = sum(sizes.values()) or 1
    items = []
    for s in sorted(specs, key=lambda s: (-sizes[s.repo], s.repo)):
        jobs = settings.pylint_jobs or (
            2 if (os.cpu_count() or 1) >= 2 and sizes[s.repo] >= total / 4 else 1
        )
        items.append((s, reference_date, replace(settings, pylint_jobs=jobs), cache))
    return items


def _gathered(outcomes: Iterable[tuple[Any, Any]], bar: Any) -> list[dict]:
    """Each repository's result or failure as it completes; the bar shows kLOC/s and failures."""
    results: list[dict] = []
    start, kloc, failed = time.perf_counter(), 0.0, 0
    for item, out in outcomes:
        res = _outcome(item[0], out)
        results.append(res)
        if "error" in res:
            failed += 1
        else:
            kloc += (res["row"].get("loc_all") or 0) / 1000
        rate = kloc / max(time.perf_counter() - start, 1e-9)
        bar.set_postfix_str(f"{rate:.1f} kLOC/s, {failed} failed")
        bar.update(1)
    return results


def _tables(results: list[dict]) -> ScanResults:
    """Tidy tables from the per-repository results, sorted by repo."""
    ok = sorted((r for r in results if "error" not in r), key=lambda r: r["row"]["repo"])
    repos = pd.DataFrame([r["row"] for r in ok])
    files = pd.DataFrame([f for r in ok for f in r["files"]])
    if not files.empty:
        files = files.sort_values(["repo", "path"], kind="stable").reset_index(drop=True)
    fails = pd.DataFrame(
        sorted(
            (
                {"repo": r["repo"], "reason": r.get("reason", "error"), "error": r["error"]}
                for r in results
                if "error" in r
            ),
            key=lambda d: d["repo"],
        ),
        columns=["repo", "reason", "error"],
    )
    timings = pd.DataFrame(
        [
            {"repo": r["row"]["repo"], "stage": k, "seconds": v}
            for r in ok
            for k, v in {**r.get("timings", {}), "in_process": r["seconds"]}.items()
        ],
        columns=["repo", "stage", "seconds"],
    )
    return ScanResults(repos, files, fails, timings)

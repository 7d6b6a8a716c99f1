"""Scan one repository, or many through any ``concurrent.futures`` executor.

``scan_many`` returns tidy tables keyed by ``repo`` (owner/name) and ``commit_sha``: one row per
repository, one per measured or skipped file. Measurements are cached by repo@sha, tool versions
and settings; git history is re-read on every scan (it is cheap), because its metrics depend on
the reference date and the publication date passed in.
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
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path, PurePosixPath

import pandas as pd

from . import history, quality, readiness, sandbox, vendored
from .cache import ResultCache

SCANNER_VERSION = "1"
MEASURED = (".py", ".ipynb")
NOT_LINTED = {"binary", "undecodable", "too_deep"}
# Per-file problems, each counted in a repository column n_<problem>.
PROBLEMS = ("syntax_error", "python2", "binary", "undecodable", "bad_notebook", "too_deep",
            "missing_blob", "too_large", "symlink", "file_count_cap", "total_size_cap",
            "pylint_timeout", "pylint_crash")


def scanner_fingerprint() -> str:
    """sha256 of the measuring code and our pylintrc: any change to them invalidates the cache."""
    h = hashlib.sha256(SCANNER_VERSION.encode())
    here = Path(__file__).parent
    for name in ("sandbox.py", "quality.py", "vendored.py", "readiness.py", "run.py", "pylintrc"):
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

    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    pylint_jobs: int = 0  # 0: auto (2 for a repository holding >= 1/4 of a batch's code)
    pylint_extra: tuple[str, ...] = ()
    pylint_timeout_cap: float = 1800.0

    def key(self) -> dict:
        d = asdict(self)
        # -j changes only duplicate-code counts, and our rcfile disables duplicate-code
        if not any("duplicate-code" in a or "R0801" in a for a in self.pylint_extra):
            d.pop("pylint_jobs")
        d["scanner"] = scanner_fingerprint()
        return d


@dataclass
class ScanResults:
    """Tidy outputs: ``repos`` (one row per repository), ``files`` (one per file measured or
    skipped, with its problem) and ``failures`` (repositories whose scan raised)."""

    repos: pd.DataFrame
    files: pd.DataFrame
    failures: pd.DataFrame


def tool_versions() -> dict[str, str]:
    """Versions that change the numbers: python, pylint, astroid, radon, nbformat."""
    out = {"python": platform.python_version()}
    for pkg in ("pylint", "astroid", "radon", "nbformat"):
        out[pkg] = version(pkg)
    return out


def _measure(repo: str, gd: Path, settings: Settings) -> dict:
    """Everything cached for one repo@sha: per-file rows and repository columns."""
    ext = sandbox.extract(gd, settings.limits)
    tree_files = [e.path for e in ext.tree if e.mode != "160000"]
    vend = vendored.classify(tree_files, repo, ext.files)
    rows = []
    for path in sorted(p for p in ext.files if p.endswith(MEASURED)):
        row = quality.measure_file(path, ext.files[path], lines_only=bool(vend.get(path)))
        row["vendored"] = vend.get(path, "")
        rows.append(row)
    for s in ext.skipped:
        kind = {".py": "python", ".ipynb": "notebook"}.get(PurePosixPath(s["path"]).suffix,
                                                             "other")
        rows.append({"path": s["path"], "kind": kind, "bytes": s["size"],
                     "problem": s["reason"], "vendored": vend.get(s["path"], "")})

    own_py = [r for r in rows if r["kind"] == "python" and not r["vendored"]]
    to_lint = [r["path"] for r in own_py if r["path"] in ext.files
               and r["problem"] not in NOT_LINTED]
    lines = {r["path"]: int(r.get("loc") or 0) for r in own_py}
    work = Path(tempfile.mkdtemp(prefix="bm-tree-"))
    try:
        root = work / "t"
        root.mkdir()
        written = set(sandbox.write_tree({p: ext.files[p] for p in to_lint}, root))
        pyl = quality.run_pylint(root, [p for p in to_lint if p in written], lines,
                                 jobs=settings.pylint_jobs or 1, extra=list(settings.pylint_extra),
                                 timeout_cap=settings.pylint_timeout_cap)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for r in rows:
        if r["path"] in pyl.failed:
            r["problem"] = r["problem"] or pyl.failed[r["path"]]
        for t in quality.TYPES:
            r[f"pylint_{t}"] = pyl.per_file.get(r["path"], {}).get(t, 0) \
                if r["path"] in to_lint and r["path"] not in pyl.failed else None

    all_py = [r for r in rows if r["kind"] == "python"]
    notebooks = [r for r in rows if r["kind"] == "notebook" and not r["vendored"]]
    own = quality.summarise_radon(own_py)
    loc_all = sum(int(r.get("loc") or 0) for r in all_py)
    vend_dirs = sorted({v.split(":", 1)[1] for p, v in vend.items()
                        if v and not v.startswith("copyright") and p.endswith(MEASURED)})
    problems = pd.Series([r["problem"] for r in rows if r["problem"]], dtype=str)
    repo_row = {
        "tree_files": len(ext.tree), "tree_bytes": ext.tree_bytes,
        "py_files": len(all_py), "py_files_own": len(own_py), "notebooks": len(notebooks),
        "notebook_code_cells": sum(int(r.get("code_cells") or 0) for r in notebooks),
        **own,
        **quality.summarise_radon(notebooks, prefix="nb_"),
        "loc_all": loc_all, "loc_vendored": loc_all - own["loc"],
        "vendored_share": (loc_all - own["loc"]) / loc_all if loc_all else None,
        "vendored_files": sum(bool(r["vendored"]) for r in all_py),
        "vendored_dirs": ";".join(vend_dirs[:20]),
        **quality.pylint_summary(pyl, own["loc"] / 1000),
        **{f"n_{k}": int((problems == k).sum()) for k in PROBLEMS},
        "skipped_entries": len(ext.skipped),
        "tree_blobs_missing": sum(e.size is None and e.mode not in ("160000", "040000")
                                  for e in ext.tree),
        "n_gitlink": sum(s["reason"] == "gitlink" for s in ext.skipped),
        "n_unsafe_path": sum(s["reason"] == "unsafe_path" for s in ext.skipped),
        **{f"ready_{k}": v for k, v in readiness.check(tree_files, ext.files).items()},
    }
    for r in rows:
        r.setdefault("code_cells", None)
    return {"commit_sha": ext.commit_sha, "row": repo_row, "files": rows,
            "scanned_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}


def scan_repo(spec: RepoSpec, reference_date: date, settings: Settings | None = None,
              cache_dir: str | None = None) -> dict:
    """Scan one repository; returns ``{"row": {...}, "files": [...]}`` (cached measurements
    plus fresh history). Raises on an unreadable repository."""
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
            if payload is None:
                payload = _measure(spec.repo, gd, settings)
                cache.put(key, payload)
            commits = history.read_commits(gd, sha)
        hist = history.summarise(commits, reference_date, spec.published)
    finally:
        if clone_tmp:
            shutil.rmtree(clone_tmp, ignore_errors=True)
    row = {"repo": spec.repo, "commit_sha": payload["commit_sha"],
           "scanned_at": payload["scanned_at"],
           **{f"{k}_version": v for k, v in versions.items()},
           "scanner_fingerprint": settings.key()["scanner"][:12],
           **hist.as_dict(), **payload["row"]}
    files = [{"repo": spec.repo, "commit_sha": payload["commit_sha"], **f}
             for f in payload["files"]]
    return {"row": row, "files": files, "cached": cached,
            "seconds": time.perf_counter() - t0}


_NO_PATHS = re.compile(r"(?:[A-Za-z]:)?(?:/[\w.+@-]+){2,}/?")


def _scan_safe(spec: RepoSpec, reference_date: date, settings: Settings,
               cache_dir: str | None) -> dict:
    try:
        return scan_repo(spec, reference_date, settings, cache_dir)
    except Exception as err:  # one repository must not stop the others
        if isinstance(err, subprocess.CalledProcessError):
            tail = (err.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:]
            msg = f"git failed (exit {err.returncode}): {' '.join(tail)}"
        else:
            msg = traceback.format_exception_only(type(err), err)[-1].strip()
        return {"error": _NO_PATHS.sub("<path>", msg), "repo": spec.repo}


def _python_bytes(spec: RepoSpec) -> int:
    """Size of HEAD's Python files (a cheap cost estimate; 0 when unknown)."""
    if not spec.git_dir:
        return 0
    try:
        with sandbox.isolated(spec.git_dir) as gd:
            return sum(int(size) for _, _, _, size, path in sandbox.list_tree(gd)
                       if path.endswith(".py") and size.isdigit())
    except Exception:  # the worker will report the failure properly
        return 0


def scan_many(specs: Iterable[RepoSpec], executor: Executor | None = None, *,
              reference_date: date, cache_dir: Path | str | None = None,
              settings: Settings | None = None, workers: int | None = None,
              progress: bool = True) -> ScanResults:
    """Scan repositories concurrently (processes by default; any ``Executor`` may be passed,
    such as a Dask or Ray cluster's). A tqdm bar on stderr shows repositories done, kLOC/s and
    failures. Output rows are sorted by repo."""
    from tqdm.auto import tqdm

    specs = list(specs)
    settings = settings or Settings()
    if not specs:
        return ScanResults(pd.DataFrame(), pd.DataFrame(),
                           pd.DataFrame(columns=["repo", "error"]))
    cache = str(cache_dir) if cache_dir else None
    results: list[dict] = []
    own_pool = executor is None
    if own_pool:
        executor = ProcessPoolExecutor(max_workers=workers or min(len(specs), os.cpu_count() or 1)
                                       or 1)
    bar = tqdm(total=len(specs), file=sys.stderr, unit="repo", disable=not progress,
               desc="scan")
    start, kloc, failed = time.perf_counter(), 0.0, 0
    try:
        # largest first, so the biggest repository does not start last (LPT scheduling);
        # in auto mode a repository with a quarter or more of the code gets pylint -j2
        sizes = {s.repo: _python_bytes(s) for s in specs}
        total = sum(sizes.values()) or 1
        futures = []
        for s in sorted(specs, key=lambda s: -sizes[s.repo]):
            jobs = settings.pylint_jobs or (
                2 if (os.cpu_count() or 1) >= 2 and sizes[s.repo] >= total / 4 else 1)
            futures.append(executor.submit(_scan_safe, s, reference_date,
                                           replace(settings, pylint_jobs=jobs), cache))
        for fut in as_completed(futures):
            res = fut.result()
            results.append(res)
            if "error" in res:
                failed += 1
            else:
                kloc += (res["row"].get("loc_all") or 0) / 1000
            rate = kloc / max(time.perf_counter() - start, 1e-9)
            bar.set_postfix_str(f"{rate:.1f} kLOC/s, {failed} failed")
            bar.update(1)
    finally:
        bar.close()
        if own_pool:
            executor.shutdown()
    ok = sorted((r for r in results if "error" not in r), key=lambda r: r["row"]["repo"])
    repos = pd.DataFrame([r["row"] for r in ok])
    files = pd.DataFrame([f for r in ok for f in r["files"]])
    if not files.empty:
        files = files.sort_values(["repo", "path"], kind="stable").reset_index(drop=True)
    fails = pd.DataFrame(sorted(({"repo": r["repo"], "error": r["error"]}
                                 for r in results if "error" in r), key=lambda d: d["repo"]),
                         columns=["repo", "error"])
    return ScanResults(repos, files, fails)


def mirror_path(mirrors: Path, repo: str) -> Path | None:
    """Find ``owner/name`` in a folder of mirrors, in any of the usual layouts."""
    owner, name = repo.split("/", 1)
    for cand in (f"{owner}+{name}/repo", f"{owner}+{name}", f"{owner}+{name}.git",
                 f"{owner}/{name}", f"{owner}/{name}.git", f"{owner}__{name}",
                 f"{owner}__{name}.git"):
        p = mirrors / cand
        try:
            sandbox.find_git_dir(p)
            return p
        except FileNotFoundError:
            continue
    # GitHub names are case-insensitive; a mirror folder may be spelled differently
    wanted = f"{owner}+{name}".lower()
    for p in mirrors.iterdir() if mirrors.is_dir() else []:
        if p.name.lower().removesuffix(".git") == wanted and p.name != f"{owner}+{name}":
            return mirror_path(mirrors, p.name.removesuffix(".git").replace("+", "/", 1))
    return None


def discover_mirrors(mirrors: Path) -> list[str]:
    """``owner/name`` of every mirror in ``owner+name[/repo]`` layout."""
    found = []
    for p in sorted(mirrors.iterdir()):
        if "+" in p.name and p.is_dir():
            repo = p.name.removesuffix(".git").replace("+", "/", 1)
            if mirror_path(mirrors, repo):
                found.append(repo)
    return found

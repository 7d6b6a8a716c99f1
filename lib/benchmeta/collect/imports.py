"""Third-party imports of each scanned repository, and which modules each resolved wheel ships.

    python -m benchmeta collect imports --mirrors FOLDER --retrieved-at YYYY-MM-DD
        [--installability data_raw/repos/installability.csv] [--workers N]

Writes ``data_raw/repos/imports.csv`` (one row per repo@sha x third-party top-level module of
its own code, from the AST: ``benchmeta.scan.imports``) and ``data_raw/repos/wheel_modules.csv``
(for every distribution in a resolved closure: the top-level modules its wheel installs, read
from the wheel's zip directory through HTTP range requests, never downloading or installing the
wheel). Together they give the module -> distribution map the undeclared-imports check needs,
from the packages' own files rather than from guesses on names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin

import pandas as pd
import requests

from ..core import atomic, http, manifest
from ..core.paths import CACHE, DATA_RAW
from ..scan import headtree, imports, sandbox
from ..scan.mirrors import mirror_path
from ..scan.resolve import DEFAULT_JSON_API

COLLECTOR = "python -m benchmeta collect imports"
PREFERENCE = [
    ("collection", "target"),
    ("commit", "target"),
    ("collection", "current"),
    ("commit", "current"),
]


class RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file through HTTP Range requests (64 KiB+)."""

    def __init__(self, session, url: str, size: int, block: int = 1 << 16):
        self.session, self.url, self.size, self.block, self.pos = session, url, size, block, 0
        self.cache: dict[int, bytes] = {}

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = {0: offset, 1: self.pos + offset, 2: self.size + offset}[whence]
        return self.pos

    def read(self, n: int = -1) -> bytes:
        end = self.size if n < 0 else min(self.size, self.pos + n)
        out = b""
        while self.pos < end:
            start = self.pos - self.pos % self.block
            if start not in self.cache:
                stop = min(self.size, start + self.block) - 1
                r = self.session.get(
                    self.url, headers={"Range": f"bytes={start}-{stop}"}, timeout=http.TIMEOUT
                )
                if r.status_code != 206:
                    raise OSError(f"range request answered {r.status_code}")
                self.cache[start] = r.content
            chunk = self.cache[start][self.pos - start : end - start]
            if not chunk:
                raise OSError("short range answer")
            out += chunk
            self.pos += len(chunk)
        return out


def modules_in(names: list[str]) -> list[str]:
    """Top-level importable names among a wheel's file names (``*.dist-info``/``*.data`` out).

    A folder without ``__init__.py`` is a namespace package shared by several distributions
    (``google``): it is listed one level down (``google.protobuf``) so that it is not credited
    with every module of the namespace.
    """
    out = set()
    inits = {
        PurePosixPath(n).parts[0]
        for n in names
        if n.count("/") == 1 and n.endswith(("/__init__.py", "/__init__.pyi"))
    }
    for n in names:
        parts = PurePosixPath(n).parts
        if not parts or parts[0].endswith((".dist-info", ".data")):
            continue
        if len(parts) == 1:
            if parts[0].endswith((".py", ".so", ".pyd")):
                out.add(parts[0].split(".")[0])
        elif n.endswith((".py", ".so", ".pyd", ".pyi")):
            if parts[0] in inits:
                out.add(parts[0])
            else:
                out.add(f"{parts[0]}.{parts[1].split('.')[0]}")
    return sorted(m for m in out if all(x.isidentifier() for x in m.split(".")))


def _newest_with_wheel(releases: dict) -> str | None:
    from packaging.version import InvalidVersion, Version

    best = None
    for ver, files in releases.items():
        try:
            v = Version(ver)
        except InvalidVersion:
            continue
        if not v.is_prerelease and _pick_wheel(files) and (best is None or v > best):
            best = v
    return str(best) if best else None


def _pick_wheel(files: list[dict]) -> dict | None:
    wheels = [f for f in files if f.get("packagetype") == "bdist_wheel" and not f.get("yanked")]
    rank = [
        lambda f: "none-any" in f["filename"],
        lambda f: "manylinux" in f["filename"] and "x86_64" in f["filename"],
        lambda f: True,
    ]
    for test in rank:
        hit = [f for f in wheels if test(f)]
        if hit:
            return sorted(hit, key=lambda f: f["filename"])[-1]
    return None


_local = threading.local()


def _ranges():
    """A plain (uncached) session per thread for the range requests."""
    if not hasattr(_local, "ranges"):
        _local.ranges = requests.Session()
        _local.ranges.headers["User-Agent"] = http.USER_AGENT
    return _local.ranges


def _json_session():
    if not hasattr(_local, "json"):
        _local.json = http.make_session(CACHE / "http", cache_name="pypi_versions")
    return _local.json


def wheel_modules(session, name: str, version: str, api: str = DEFAULT_JSON_API) -> dict:
    """``distribution, version, wheel, modules`` (``;``-joined) or an ``error``."""
    row = {"distribution": name, "version": version, "wheel": "", "modules": "", "error": ""}
    url = f"{api}/{name}/json"  # the per-version endpoint is not served by every index
    try:
        got = http.get_json(session or _json_session(), url)
        if not got.found:
            return {**row, "error": "not on the index"}
        releases = got.data.get("releases") or {}
        if not version:  # a declared distribution that did not resolve: its newest wheel
            version = _newest_with_wheel(releases)
            row["version"] = version or ""
        pick = _pick_wheel(releases.get(version) or []) if version else None
        if pick is None:
            return {**row, "error": "no wheel"}
        row["wheel"] = pick["filename"]
        rf = RangeFile(_ranges(), urljoin(url, pick["url"]), int(pick["size"]))
        with zipfile.ZipFile(rf) as zf:
            row["modules"] = ";".join(modules_in(zf.namelist()))
    except (http.FetchError, OSError, zipfile.BadZipFile, KeyError, ValueError) as err:
        row["error"] = http.redact(f"{type(err).__name__}: {err}")[:200]
    return row


def chosen_closures(inst: pd.DataFrame) -> pd.DataFrame:
    """Per repository, the closure used: the first resolving row in ``PREFERENCE`` order."""
    ok = inst[
        inst["outcome"].isin(["resolves", "resolves_with_sdists"])
        & inst["index_role"].isin(["commit", "collection"])
    ].copy()
    rank = {k: i for i, k in enumerate(PREFERENCE)}
    ok["rank"] = [rank[(a, b)] for a, b in zip(ok["index_role"], ok["python_role"], strict=True)]
    return ok.sort_values(["repo", "rank"]).drop_duplicates("repo")


def distributions(inst: pd.DataFrame) -> list[str]:
    """``name==version`` of every distribution in a chosen closure, plus ``name==`` for each
    declared distribution (and mapped conda package) found in no closure."""
    from ..repositories.undeclared import CONDA_TO_PYPI, _declared_names, _norm

    pinned = {c for cl in chosen_closures(inst)["closure"] for c in cl.split(";") if c}
    have = {_norm(c.split("==")[0]) for c in pinned}
    declared: set[str] = set()
    for reqs in inst.drop_duplicates("repo").get("requirements", pd.Series(dtype=str)):
        declared |= _declared_names(reqs)
    for conda in inst.drop_duplicates("repo").get("conda_names", pd.Series(dtype=str)):
        declared |= {CONDA_TO_PYPI.get(_norm(c), _norm(c)) for c in conda.split(";") if c}
    return sorted(pinned | {f"{d}==" for d in declared - have if d})


def repo_import_rows(repo: str, git_dir: str, rev: str) -> list[dict]:
    with sandbox.isolated(git_dir) as gd:
        ok = sandbox.git(gd, "cat-file", "-e", f"{rev}^{{commit}}", check=False).returncode == 0
        ext = headtree.extract(gd, rev=rev if ok else "HEAD")
    paths = [e.path for e in ext.tree if e.mode != "160000"]
    rows = imports.repo_imports(paths, ext.files, repo)
    return [{"repo": repo, "commit_sha": ext.commit_sha, **r} for r in rows]


IMPORT_COLUMNS = [
    "repo",
    "commit_sha",
    "module",
    "n_files",
    "guarded",
    "first_path",
    "problem",
    "submodules",
]
WHEEL_COLUMNS = ["distribution", "version", "wheel", "modules", "error"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=COLLECTOR, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--mirrors", type=Path, required=True)
    p.add_argument("--installability", type=Path, default=DATA_RAW / "repos" / "installability.csv")
    p.add_argument("--retrieved-at", type=dt.date.fromisoformat, required=True)
    p.add_argument("--workers", type=int, default=4)
    return p


def import_table(inst: pd.DataFrame, git_dirs: dict[str, str]) -> pd.DataFrame:
    """Import rows of every repository in ``inst`` that has a git directory in ``git_dirs``
    (repo -> git directory), at its scanned commit."""
    from tqdm.auto import tqdm

    repos = inst.drop_duplicates("repo")[["repo", "commit_sha"]]
    rows = []
    for repo, sha in tqdm(
        list(repos.itertuples(index=False)), desc="imports", unit="repo", file=sys.stderr
    ):
        if repo in git_dirs:
            rows += repo_import_rows(repo, git_dirs[repo], sha)
    return pd.DataFrame(rows, columns=IMPORT_COLUMNS)


def wheel_table(inst: pd.DataFrame, workers: int) -> pd.DataFrame:
    """The wheel modules of every distribution ``distributions(inst)`` names."""
    from tqdm.auto import tqdm

    dists = distributions(inst)
    with ThreadPoolExecutor(workers) as pool:
        futs = [pool.submit(wheel_modules, None, *d.split("==", 1)) for d in dists]
        wm = [f.result() for f in tqdm(futs, desc="wheels", unit="dist", file=sys.stderr)]
    return pd.DataFrame(wm, columns=WHEEL_COLUMNS)


def _manifest_entries(retrieved_at: str, folder: str = "repos") -> list[manifest.Entry]:
    return [
        manifest.Entry(
            path=f"{folder}/imports.csv",
            source="top-level imports of each scanned repository's own code (AST, "
            "benchmeta.scan."
            "imports; stdlib, own modules and vendored files left out)",
            url="https://github.com/<repo> at the commit_sha in each row",
            retrieved_at=retrieved_at,
            sha256="",
            licence="CC-BY-4.0 (our measurements; no file of the repositories is included)",
            collector=COLLECTOR,
            attribution="the repositories' authors (see repo column)",
        ),
        manifest.Entry(
            path=f"{folder}/wheel_modules.csv",
            source="top-level modules in the wheel file listing of each distribution in a "
            "resolved "
            "closure (zip directory via HTTP range requests)",
            url="https://pypi.org/pypi/<distribution>/<version>/json",
            retrieved_at=retrieved_at,
            sha256="",
            licence="facts about PyPI packages (file names)",
            collector=COLLECTOR,
            attribution="PyPI and the packages' authors",
        ),
    ]


def collect_imports(
    inst: pd.DataFrame,
    git_dirs: dict[str, str],
    retrieved_at: dt.date,
    workers: int = 4,
    data_raw: Path = DATA_RAW,
    folder: str = "repos",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Imports of each repository of ``inst`` at its ``commit_sha`` (``git_dirs``: repo -> git
    directory; repositories without one are skipped) and the wheel modules of its closures,
    written to ``data_raw/folder/imports.csv`` and ``wheel_modules.csv`` with MANIFEST rows."""
    imp = import_table(inst, git_dirs)
    wmdf = wheel_table(inst, workers)
    out = {f"{folder}/imports.csv": imp, f"{folder}/wheel_modules.csv": wmdf}
    for rel, df in out.items():
        atomic.write_csv(data_raw / rel, df)
    manifest.record(_manifest_entries(retrieved_at.isoformat(), folder), data_raw)
    return imp, wmdf


def main(argv: list[str]) -> int:
    a = _parser().parse_args(argv)
    inst = pd.read_csv(a.installability, dtype=str, keep_default_na=False)
    git_dirs = {}
    for repo in inst["repo"].drop_duplicates():
        path = mirror_path(a.mirrors, repo)
        if path is not None:
            git_dirs[repo] = str(path)
    imp, wmdf = collect_imports(inst, git_dirs, a.retrieved_at, a.workers)
    print(
        f"{imp['repo'].nunique()} repositories, {len(imp)} import rows; {len(wmdf)} wheels "
        f"({(wmdf['error'] != '').sum()} without a listing)",
        file=sys.stderr,
    )
    return 0

"""Scan the benchmark registry's repositories that the 02-04 corpus did not scan.

    python -m benchmeta collect benchmark-repos --mirrors FOLDER --reference-date YYYY-MM-DD
        [--collection-date YYYY-MM-DD] [--no-resolve] [--cache .cache] [--workers N]

Repositories: each registry benchmark's ``repo`` (``data_raw/benchmarks/registry.csv``; for an
included paper without one, its repository in 01's ``papers_included``) that has no row in the
corpus scan (``data_raw/repos/scan_repos.csv``). Each is measured with the corpus' own code paths
(``collect.local_repos``, ``collect.installability``, ``collect.imports``, ``benchmeta.scan``:
nothing from a repository is run) and written ONLY under ``data_raw/benchmarks/scans/``, in the
files and columns of ``data_raw/repos/``, each with a MANIFEST row.

The commit measured is the one the default branch's HEAD named at the reference date: the last
first-parent commit of the snapshot's HEAD committed on or before that day (UTC), so staleness
is judged as for the corpus (use the corpus' reference date). When the snapshot's HEAD is newer,
the scan reads a private git directory whose HEAD names that commit and whose objects are
hard links of the mirror's (no config, hooks or refs of the mirror). ``scan_commits.csv`` records
per repository the snapshot's HEAD, the commit scanned and the paper date used for "commits after
publication": the registry's ``data_released``, else 01's ``first_version_date`` for an included
paper, else unknown. Dependency resolution queries the package index (uv, wheels only; nothing
is built): its rows are dated by ``--collection-date``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.ids import repo_key
from ..core.paths import CACHE, DATA_PROCESSED, DATA_RAW
from ..passports import registry
from ..repositories.table import period_bounds
from ..scan import sandbox
from ..scan.mirrors import mirror_path
from ..scan.resolve import Index
from ..scan.run import RepoSpec
from . import imports, installability, local_repos

COLLECTOR = "python -m benchmeta collect benchmark-repos"
OUT = "benchmarks/scans"
WHAT = "the benchmark registry's GitHub repositories outside the 02-04 corpus"
COMMIT_COLUMNS = [
    "repo", "benchmark_ids", "published", "published_basis", "reference_date",
    "snapshot_head", "snapshot_head_date", "scanned_commit", "scanned_commit_date", "note",
]  # fmt: skip


def targets(data_raw: Path, included: pd.DataFrame) -> pd.DataFrame:
    """One row per registry repository outside the corpus scan: repo, benchmark_ids, published,
    published_basis (the earliest paper date among its benchmarks)."""
    reg = registry.load(data_raw)["registry"]
    inc = included[["paper_id", "repo", "first_version_date"]].astype(str)
    inc = inc.rename(columns={"repo": "repo_01"}).drop_duplicates("paper_id")
    t = reg.merge(inc, on="paper_id", how="left").fillna("")
    t["repo"] = t["repo"].where(t["repo"] != "", t["repo_01"])
    corpus = pd.read_csv(data_raw / "repos" / "scan_repos.csv", usecols=["repo"])
    t = t[(t["repo"] != "") & ~repo_key(t["repo"]).isin(set(repo_key(corpus["repo"])))].copy()
    own = t["data_released"] != ""
    t["published"] = t["data_released"].where(own, t["first_version_date"])
    t["published_basis"] = ""
    t.loc[own, "published_basis"] = "registry data_released: " + t["data_released_basis"]
    t.loc[~own & (t["published"] != ""), "published_basis"] = "01 first_version_date"
    t.loc[t["published"] == "", "published_basis"] = "unknown (no paper date)"
    t["_start"] = period_bounds(t["published"].replace("", None))[0]
    t["_key"] = repo_key(t["repo"])
    rows = []
    for _, g in t.sort_values(["_key", "_start", "benchmark_id"], na_position="last").groupby(
        "_key", sort=True
    ):
        first = g.iloc[0]
        rows.append(
            {
                "repo": first["repo"],
                "benchmark_ids": ";".join(sorted(g["benchmark_id"])),
                "published": first["published"],
                "published_basis": first["published_basis"],
            }
        )
    return pd.DataFrame(rows, columns=["repo", "benchmark_ids", "published", "published_basis"])


def _commit_date(gd: Path, sha: str) -> str:
    return sandbox.git(gd, "log", "-1", "--no-show-signature", "--format=%cI", sha).stdout.decode()


def pin(git_dir: Path | str, reference_date: dt.date) -> dict:
    """The snapshot's HEAD and the commit HEAD named at the end of ``reference_date`` (UTC):
    snapshot_head, snapshot_head_date, scanned_commit, scanned_commit_date ('' if none)."""
    end = (reference_date + dt.timedelta(days=1)).isoformat() + "T00:00:00+00:00"
    with sandbox.isolated(git_dir) as gd:
        head = sandbox.head_sha(gd)
        out = sandbox.git(gd, "rev-list", "-1", "--first-parent", f"--before={end}", head)
        sha = out.stdout.decode().strip()
        return {
            "snapshot_head": head,
            "snapshot_head_date": _commit_date(gd, head).strip(),
            "scanned_commit": sha,
            "scanned_commit_date": _commit_date(gd, sha).strip() if sha else "",
        }


def pinned_git_dir(git_dir: Path | str, sha: str, dest: Path) -> Path:
    """A private git directory at ``dest`` whose HEAD is ``sha``: the mirror's object files
    hard-linked (copied across file systems), nothing else of the mirror (no config, hooks,
    refs). Symlinks and alternates are not followed or copied."""
    src = sandbox.find_git_dir(git_dir).resolve()
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "refs").mkdir(parents=True)
    for root, dirs, files in os.walk(src / "objects", followlinks=False):
        rel = Path(root).relative_to(src)
        (dest / rel).mkdir(parents=True, exist_ok=True)
        for f in files:
            fp = Path(root) / f
            if fp.is_symlink() or not fp.is_file() or f in {"alternates", "http-alternates"}:
                continue
            try:
                os.link(fp, dest / rel / f)
            except OSError:
                shutil.copyfile(fp, dest / rel / f)
        dirs[:] = [d for d in dirs if not (Path(root) / d).is_symlink()]
    (dest / "HEAD").write_text(sha + "\n")
    return dest


def plan(
    todo: pd.DataFrame, mirrors: Path, reference_date: dt.date, pins: Path
) -> tuple[list[RepoSpec], pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Scan specs, ``scan_commits`` rows, failures (repo, reason, error) and the mirrors."""
    specs, commits, fails, dirs = [], [], [], {}
    for r in todo.itertuples(index=False):
        row = {**r._asdict(), "reference_date": reference_date.isoformat(), "note": ""}
        path = mirror_path(mirrors, r.repo)
        if path is None:
            commits.append({**row, "note": "no mirror"})
            fails.append({"repo": r.repo, "reason": "no_mirror", "error": "no mirror"})
            continue
        try:
            row |= pin(path, reference_date)
        except (sandbox.MirrorError, subprocess.CalledProcessError, OSError) as err:
            why = str(err) if isinstance(err, sandbox.MirrorError) else type(err).__name__
            commits.append({**row, "note": why})
            fails.append({"repo": r.repo, "reason": "mirror", "error": why})
            continue
        dirs[r.repo] = str(path)
        sha = row["scanned_commit"]
        if not sha:
            row["note"] = "no commit on or before the reference date"
            fails.append({"repo": r.repo, "reason": "no_commit_by_reference_date",
                          "error": row["note"]})  # fmt: skip
        else:
            gd = path
            if sha != row["snapshot_head"]:
                gd = pinned_git_dir(path, sha, pins / r.repo.replace("/", "+"))
                row["note"] = "snapshot HEAD is newer: scanned the commit HEAD named then"
            pub = pd.to_datetime(r.published, errors="coerce") if r.published else pd.NaT
            specs.append(RepoSpec(r.repo, git_dir=str(gd),
                                  published=None if pd.isna(pub) else pub.date()))  # fmt: skip
        commits.append(row)
    return (
        specs,
        pd.DataFrame(commits, columns=COMMIT_COLUMNS),
        pd.DataFrame(fails, columns=["repo", "reason", "error"]),
        dirs,
    )


def _record_commits(data_raw: Path, df: pd.DataFrame, today: str) -> str:
    rel = f"{OUT}/scan_commits.csv"
    atomic.write_csv(data_raw / rel, df)
    manifest.record(
        [
            manifest.Entry(
                path=rel,
                source=f"commit scanned per repository of {WHAT} (the snapshot's HEAD, the last "
                "first-parent commit on or before the reference date) and the paper date used "
                "(benchmarks/registry.csv data_released, else 01 first_version_date)",
                url="https://github.com/<repo> at the scanned_commit in each row",
                retrieved_at=today,
                sha256="",
                licence="CC-BY-4.0",
                collector=COLLECTOR,
                attribution="the repositories' authors (see repo column)",
            )
        ],
        data_raw,
    )
    return rel


def collect(
    mirrors: Path,
    reference_date: dt.date,
    collection_date: dt.date,
    included_csv: Path = DATA_PROCESSED / "papers_included.csv",
    data_raw: Path = DATA_RAW,
    cache: Path = CACHE,
    workers: int | None = None,
    resolve: bool = True,
    index_url: str = Index.url,
    every_days: int = 364,
) -> list[str]:
    """Scan, resolve and list imports of the registry's repositories outside the corpus into
    ``data_raw/benchmarks/scans/``; returns the paths written (relative to ``data_raw``)."""
    today = dt.date.today().isoformat()
    included = pd.read_csv(included_csv, dtype=str, keep_default_na=False)
    todo = targets(data_raw, included)
    specs, commits, fails, dirs = plan(todo, mirrors, reference_date, cache / "benchmark-pins")
    (data_raw / OUT).mkdir(parents=True, exist_ok=True)
    written = [_record_commits(data_raw, commits, today)]
    written += local_repos.scan_and_write(
        specs, [], reference_date, data_raw, folder=OUT, what=WHAT, collector=COLLECTOR,
        cache=cache / "scan", workers=workers, scanned_on=today, not_scanned=fails,
    )  # fmt: skip
    if not resolve:
        return written
    scanned = pd.DataFrame(
        [(s.repo, commits.set_index("repo").at[s.repo, "scanned_commit"]) for s in specs],
        columns=["repo", "commit_sha"],
    )
    tgt = [(r, dirs[r], sha) for r, sha in scanned.itertuples(index=False)]
    out = data_raw / OUT / "installability.csv"
    index = Index(url=index_url, cache_dir=str(cache / "installability" / "uv"))
    installability.resolve_and_write(
        tgt, [], collection_date, index, out, str(cache / "installability"),
        data_raw=data_raw, workers=workers, every_days=every_days,
    )  # fmt: skip
    written += [f"{OUT}/installability.csv", f"{OUT}/installability_failures.csv"]
    inst = pd.read_csv(out, dtype=str, keep_default_na=False)
    imports.collect_imports(inst, dirs, dt.date.today(), data_raw=data_raw, folder=OUT)
    return [*written, f"{OUT}/imports.csv", f"{OUT}/wheel_modules.csv"]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog=COLLECTOR, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--mirrors", type=Path, required=True, help="folder of bare git mirrors")
    p.add_argument(
        "--reference-date",
        type=dt.date.fromisoformat,
        required=True,
        help="YYYY-MM-DD: the corpus' reference_date (data_raw/repos/scan_repos.csv)",
    )
    p.add_argument(
        "--collection-date",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="YYYY-MM-DD: the 'today' index cut-off of the dependency resolution",
    )
    p.add_argument("--included", type=Path, default=DATA_PROCESSED / "papers_included.csv")
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    p.add_argument("--cache", type=Path, default=CACHE, help="cache folder (scan, uv, pins)")
    p.add_argument("--index-url", default=Index.url)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument(
        "--every-days",
        type=int,
        default=364,
        help="also resolve at checkpoints every N days after the last commit (as the corpus)",
    )
    p.add_argument("--no-resolve", action="store_true", help="scan only (no package-index queries)")
    a = p.parse_args(argv)
    written = collect(
        a.mirrors, a.reference_date, a.collection_date, a.included, a.data_raw, a.cache,
        a.workers, resolve=not a.no_resolve, index_url=a.index_url, every_days=a.every_days,
    )  # fmt: skip
    print(f"wrote {len(written)} files under data_raw/{OUT}/")
    return 0

"""Papers with Code's hand-labelled NeurIPS 2019 code checklist, and our detectors on those repos.

    python -m benchmeta collect pwc-checklist --source-git-dir DIR \\
        --commit a5b2c85490435108e306d38c64a0d2a558f110e6 --mirrors FOLDER --retrieved-at DATE

1. Imports ``notebooks/code_checklist-neurips2019.csv`` of
   ``paperswithcode/releasing-research-code``
   (MIT) at the given commit, read from a local git directory of that repository (never checked
   out): 221 repositories labelled by hand on the five checklist items (dependencies, training
   code, evaluation code, pre-trained models, results) with their star counts then.
   -> ``data_raw/readiness/pwc_checklist_neurips2019.csv``
2. Runs our static readiness detectors (``benchmeta.scan.readiness``) on every listed repository
   that has a mirror in ``--mirrors``, at its last commit before the checklist file was
   committed (what the labellers could have seen; HEAD if there is none, flagged).
   -> ``data_raw/readiness/pwc_detectors.csv`` (one row per listed repository, ``fetched`` says
   whether a mirror existed, ``commit_date`` the date of the commit measured).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.errors import InputError
from ..core.paths import DATA_RAW
from ..scan import headtree, readiness, sandbox
from ..scan.mirrors import mirror_path

COLLECTOR = "python -m benchmeta collect pwc-checklist"
SOURCE_REPO = "paperswithcode/releasing-research-code"
SOURCE_PATH = "notebooks/code_checklist-neurips2019.csv"
ITEMS = ["dependencies", "training", "evaluation", "pretrained_model", "results"]
COLUMNS = [
    "url",
    "stars",
    "python",
    "training",
    "evaluation",
    "pretrained_model",
    "results",
    "dependencies",
]


def read_checklist(git_dir: Path, commit: str) -> pd.DataFrame:
    """The checklist CSV at ``commit``, validated (0/1 items, integer stars, GitHub URLs)."""
    with sandbox.isolated(git_dir) as gd:
        blob = sandbox.git(gd, "show", f"{commit}:{SOURCE_PATH}").stdout
    where = f"{SOURCE_REPO}@{commit[:12]}:{SOURCE_PATH}"
    df = pd.read_csv(io.BytesIO(blob), dtype=str, keep_default_na=False)
    if list(df.columns) != COLUMNS:
        raise InputError(where, 1, "unexpected columns", list(df.columns))
    for i, row in df.iterrows():
        if not row["url"].startswith("https://github.com/") or row["url"].count("/") != 4:
            raise InputError(where, i + 2, "url is not a GitHub repository", row["url"])
        for col in ["python", *ITEMS]:
            if row[col] not in ("0", "1"):
                raise InputError(where, i + 2, f"{col} is not 0/1", row[col])
        if not row["stars"].isdigit():
            raise InputError(where, i + 2, "stars is not a count", row["stars"])
    df.insert(0, "repo", df["url"].str.removeprefix("https://github.com/"))
    return df


def labelled_on(git_dir: Path, commit: str) -> str:
    """Committer date of the commit that added the checklist file (the labels predate it)."""
    with sandbox.isolated(git_dir) as gd:
        out = sandbox.git(gd, "log", "-1", "--format=%cI", commit, "--", SOURCE_PATH)
    return out.stdout.decode().strip()


def detect(repo: str, git_dir: str, as_of: str) -> dict:
    """Our readiness items for one repository at its last commit before ``as_of`` (what the
    labellers could see), else at HEAD (``measured_after_labels``)."""
    with sandbox.isolated(git_dir) as gd:
        rev = sandbox.git(gd, "rev-list", "-1", f"--before={as_of}", "HEAD").stdout.decode()
        rev = rev.strip() or "HEAD"
        ext = headtree.extract(gd, rev=rev)
        when = sandbox.git(gd, "log", "-1", "--format=%cI", ext.commit_sha).stdout.decode().strip()
    paths = [e.path for e in ext.tree if e.mode != "160000"]
    items = readiness.check(paths, ext.files)
    return {
        "repo": repo,
        "fetched": True,
        "commit_sha": ext.commit_sha,
        "commit_date": when,
        "measured_after_labels": rev == "HEAD",
        **{f"ready_{k}": v for k, v in items.items()},
    }


def detectors(checklist: pd.DataFrame, mirrors: Path, as_of: str) -> pd.DataFrame:
    from tqdm.auto import tqdm

    rows = []
    for repo in tqdm(checklist["repo"], desc="pwc detectors", unit="repo", file=sys.stderr):
        path = mirror_path(mirrors, repo)
        if path is None:
            rows.append({"repo": repo, "fetched": False})
            continue
        try:
            rows.append(detect(repo, str(path), as_of))
        except Exception as err:  # an unreadable mirror is recorded, not fatal
            rows.append({"repo": repo, "fetched": False, "error": type(err).__name__})
    return pd.DataFrame(rows)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog=COLLECTOR, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--source-git-dir", type=Path, required=True, help=f"a git directory of {SOURCE_REPO}"
    )
    p.add_argument("--commit", required=True)
    p.add_argument("--mirrors", type=Path, required=True)
    p.add_argument("--retrieved-at", type=dt.date.fromisoformat, required=True)
    a = p.parse_args(argv)
    cl = read_checklist(a.source_git_dir, a.commit)
    det = detectors(cl, a.mirrors, labelled_on(a.source_git_dir, a.commit))
    out = {"readiness/pwc_checklist_neurips2019.csv": cl, "readiness/pwc_detectors.csv": det}
    for rel, df in out.items():
        atomic.write_csv(DATA_RAW / rel, df)
    manifest.record(
        [
            manifest.Entry(
                path="readiness/pwc_checklist_neurips2019.csv",
                source=f"Papers with Code ML code completeness checklist, NeurIPS 2019 "
                f"repositories "
                f"labelled by hand ({SOURCE_REPO} {SOURCE_PATH}); repo column added",
                url=f"https://github.com/{SOURCE_REPO}/blob/{a.commit}/{SOURCE_PATH}",
                retrieved_at=a.retrieved_at.isoformat(),
                sha256="",
                licence="MIT",
                collector=COLLECTOR,
                attribution="Papers with Code (Copyright (c) 2020 Papers with code), MIT licence",
            ),
            manifest.Entry(
                path="readiness/pwc_detectors.csv",
                source="benchmeta.scan.readiness detectors run on the checklist's repositories "
                "(local mirrors, HEAD at retrieval)",
                url="https://github.com/<repo> at the commit_sha in each row",
                retrieved_at=a.retrieved_at.isoformat(),
                sha256="",
                licence="CC-BY-4.0 (our measurements; no file of the repositories is included)",
                collector=COLLECTOR,
                attribution="the repositories' authors (see repo column)",
            ),
        ]
    )
    print(
        f"{len(cl)} labelled repositories, {int(det['fetched'].sum())} with a mirror",
        file=sys.stderr,
    )
    return 0

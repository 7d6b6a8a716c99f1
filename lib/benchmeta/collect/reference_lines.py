"""Locate every reference line of the scanned repositories, for adoption edges and their check.

    python -m benchmeta collect reference-lines --mirrors FOLDER [--data-raw data_raw]

Reads ``repos/scan_references.csv`` (which repositories were scanned, at which commit, and the
package names benchmarks can be referred to by) and writes ``repos/scan_reference_lines.csv``:
one row per line of a repository's kept files that names a GitHub repository, a Hugging Face
dataset or one of those package names, with the vendored-code reason of its file. A mirror
whose HEAD is not the scanned commit is skipped and reported, so the two tables stay consistent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.paths import DATA_RAW
from ..scan import sandbox
from ..scan.mirrors import mirror_path
from ..scan.reference_lines import COLUMNS, scan_reference_lines
from ..scan.run import tool_versions

COLLECTOR = "python -m benchmeta collect reference-lines"
REL = "repos/scan_reference_lines.csv"


def collect(mirrors: Path, data_raw: Path = DATA_RAW, on: str | None = None) -> pd.DataFrame:
    """Write ``repos/scan_reference_lines.csv`` and its MANIFEST row; returns the table."""
    from tqdm.auto import tqdm

    refs = pd.read_csv(data_raw / "repos" / "scan_references.csv", keep_default_na=False)
    names = set(refs.loc[(refs["role"] == "identifier") & (refs["kind"] == "package"), "value"])
    scanned = refs[["repo", "commit_sha"]].drop_duplicates().sort_values("repo")
    frames, skipped = [], []
    for repo, sha in tqdm(
        list(scanned.itertuples(index=False)), desc="reference lines", unit="repo", file=sys.stderr
    ):
        gd = mirror_path(mirrors, repo)
        if gd is None or sandbox.head_sha(gd) != sha:
            skipped.append(repo)
            continue
        frames.append(scan_reference_lines(repo, str(gd), names))
    cols = ["repo", "commit_sha", *COLUMNS, "vendored"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    out = out[cols].sort_values(["repo", "kind", "value", "path", "line_no"]).reset_index(drop=True)
    atomic.write_csv(data_raw / REL, out)
    versions = ", ".join(f"{k} {v}" for k, v in tool_versions().items())
    manifest.record(
        [
            manifest.Entry(
                path=REL,
                source=f"located by benchmeta.scan.reference_lines ({versions}) on local mirrors "
                "of the scanned repositories, at the commit of repos/scan_references.csv",
                url="https://github.com/<repo> at the commit_sha in each row",
                retrieved_at=on or dt.date.today().isoformat(),
                sha256="",
                licence="CC-BY-4.0 (our measurements; single quoted lines of the repositories "
                "as evidence)",
                collector=COLLECTOR,
                attribution="the repositories' authors (see repo column)",
            )
        ],
        data_raw,
    )
    print(
        f"{len(out)} reference lines in {out['repo'].nunique()} repositories; "
        f"{len(skipped)} skipped (no mirror or HEAD moved): {', '.join(skipped)}",
        file=sys.stderr,
    )
    return out


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog=COLLECTOR, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--mirrors", type=Path, required=True, help="folder of bare git mirrors")
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    a = p.parse_args(argv)
    collect(a.mirrors, a.data_raw)
    return 0

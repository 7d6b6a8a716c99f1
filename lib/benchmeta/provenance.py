"""The closing provenance cell of every notebook: commit, versions, input checksums."""

from __future__ import annotations

import importlib.metadata as md
import platform
import subprocess

import pandas as pd

from . import manifest
from .paths import DATA_RAW, ROOT

PACKAGES = ["benchmeta", "pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn",
            "papermill", "radon", "pylint"]


def git_commit(root=ROOT) -> str:
    """Short commit of the checkout, marked when the work tree has uncommitted changes."""
    try:
        sha = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{sha} (with uncommitted changes)" if dirty else sha


def versions(packages: list[str] = PACKAGES) -> pd.DataFrame:
    rows = [{"package": "python", "version": platform.python_version()}]
    for p in packages:
        try:
            rows.append({"package": p, "version": md.version(p)})
        except md.PackageNotFoundError:
            rows.append({"package": p, "version": "not installed"})
    return pd.DataFrame(rows)


def inputs(prefixes: list[str], data_raw=DATA_RAW) -> pd.DataFrame:
    """MANIFEST rows (path, retrieved_at, sha256) of the raw files under the given prefixes."""
    df = manifest.read(data_raw)
    keep = df["path"].apply(lambda p: any(p.startswith(x) for x in prefixes))
    return df.loc[keep, ["path", "retrieved_at", "sha256", "licence"]].reset_index(drop=True)


def report(prefixes: list[str]) -> str:
    """A Markdown colophon: commit, package versions and input checksums."""
    v = versions()
    lines = [f"**Commit:** `{git_commit()}`  ", "**Software:** " + ", ".join(
        f"{r.package} {r.version}" for r in v.itertuples()) + "  ", "", "**Inputs (data_raw):**", "",
        "| file | retrieved | sha256 | licence |", "|---|---|---|---|"]
    for r in inputs(prefixes).itertuples():
        lines.append(f"| `{r.path}` | {r.retrieved_at} | `{r.sha256[:16]}…` | {r.licence} |")
    return "\n".join(lines)

"""The closing provenance cell of every notebook: commit, versions, input checksums."""

from __future__ import annotations

import importlib.metadata as md
import platform
import subprocess

import pandas as pd

from . import manifest
from .paths import DATA_RAW, ROOT

PACKAGES = [
    "benchmeta",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "papermill",
    "radon",
    "pylint",
]


INPUT_PATHS = ["lib", "data_raw", "requirements.txt", "pyproject.toml"]


def git_commit(root=ROOT) -> str:
    """The commit that last changed the code and data a notebook runs on (not the one that holds
    its outputs, so an unchanged rerun is byte-identical), marked when they have uncommitted
    changes."""
    git = ["git", "-C", str(root)]
    try:
        sha = subprocess.run(
            [*git, "log", "-1", "--format=%h", "--abbrev=12", "--", *INPUT_PATHS],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no", "--", *INPUT_PATHS],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    if not sha:
        return "unknown (no commit yet)"
    return f"{sha} (with uncommitted changes to code or data)" if dirty.strip() else sha


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
    lines = [
        f"**Code and data at commit:** `{git_commit()}`  ",
        "**Software:** " + ", ".join(f"{r.package} {r.version}" for r in v.itertuples()) + "  ",
        "",
        "**Inputs (data_raw):**",
        "",
        "| file | retrieved | sha256 | licence |",
        "|---|---|---|---|",
    ]
    for r in inputs(prefixes).itertuples():
        lines.append(f"| `{r.path}` | {r.retrieved_at} | `{r.sha256[:16]}…` | {r.licence} |")
    return "\n".join(lines)

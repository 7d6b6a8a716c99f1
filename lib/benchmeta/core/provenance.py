"""The closing provenance cell of every notebook: commit, versions, input checksums."""

from __future__ import annotations

import importlib.metadata as md
import platform
import subprocess

import pandas as pd

from . import manifest, reads
from .paths import DATA_RAW, ROOT

PACKAGES = [
    "benchmeta",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "papermill",
    "radon",
    "pylint",
]


CODE_PATHS = ["lib", "requirements.txt", "pyproject.toml"]


def git_commit(root=ROOT, inputs: list[str] | None = None) -> str:
    """The commit that last changed the code or this notebook's own inputs (not the one that
    holds its outputs, so an unchanged rerun is byte-identical), marked when they have
    uncommitted changes (``make reproduce`` reruns such a notebook once they are committed)."""
    git = ["git", "-C", str(root)]
    data = inputs if inputs is not None else ["data_raw"]
    paths = [*CODE_PATHS, *(p.rstrip("/") for p in data)]
    try:
        sha = subprocess.run(
            [*git, "log", "-1", "--format=%h", "--abbrev=12", "--", *paths],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no", "--", *paths],
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


def read_inputs(data_raw=DATA_RAW) -> tuple[list[str], pd.DataFrame]:
    """What this kernel has read so far (see ``core.reads``) and the MANIFEST rows of those raw
    files (a folder that was listed stands for every raw file in it)."""
    recorded = reads.recorded()
    raw = [p.removeprefix("data_raw/") for p in recorded if p.startswith("data_raw/")]
    df = manifest.read(data_raw)
    keep = df["path"].apply(
        lambda p: any(p == r or (r.endswith("/") and p.startswith(r)) for r in raw)
    )
    return recorded, df.loc[keep, ["path", "retrieved_at", "sha256", "licence"]].reset_index(
        drop=True
    )


def report(prefixes: list[str] | None = None) -> str:
    """A Markdown colophon: commit, package versions and input checksums. The inputs are the raw
    files this notebook actually read (recorded while it runs under ``make reproduce``), or, outside
    the runner, the MANIFEST rows under ``prefixes``."""
    recorded, rows = read_inputs()
    if not recorded:
        rows = inputs(prefixes or [""])
    v = versions()
    tables_read = [
        p.removeprefix("data_processed/") for p in recorded if p.startswith("data_processed/")
    ]
    lines = [
        f"**Code and inputs at commit:** `{git_commit(inputs=recorded or None)}`  ",
        "**Software:** " + ", ".join(f"{r.package} {r.version}" for r in v.itertuples()) + "  ",
        "",
        "**Inputs (data_raw):**",
        "",
        "| file | retrieved | sha256 | licence |",
        "|---|---|---|---|",
    ]
    for r in rows.itertuples():
        lines.append(f"| `{r.path}` | {r.retrieved_at} | `{r.sha256[:16]}…` | {r.licence} |")
    if tables_read:
        lines += [
            "",
            "**Tables of earlier notebooks read:** " + ", ".join(f"`{t}`" for t in tables_read),
        ]
    return "\n".join(lines)

"""Repository-rooted paths, so notebooks and tests never depend on the working directory."""

from __future__ import annotations

import os
from pathlib import Path


def find_root(start: Path | None = None) -> Path:
    """The compendium root: ``$BENCHMETA_ROOT`` or the nearest folder upward holding
    both ``pyproject.toml`` and ``data_raw/``."""
    env = os.environ.get("BENCHMETA_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "pyproject.toml").is_file() and (folder / "data_raw").is_dir():
            return folder
    pkg = Path(__file__).resolve().parents[3]
    if (pkg / "data_raw").is_dir():
        return pkg
    raise FileNotFoundError(f"no compendium root (pyproject.toml + data_raw/) above {here}")


ROOT = find_root()
DATA_RAW = ROOT / "data_raw"
DATA_PROCESSED = ROOT / "data_processed"
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"
MANIFEST = DATA_RAW / "MANIFEST.csv"
CACHE = ROOT / ".cache"

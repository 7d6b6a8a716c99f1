"""Import the model metadata files (Epoch AI model versions, HELM model metadata) from a folder.

``python -m benchmeta collect models --from <folder> [--retrieved-at YYYY-MM-DD]
[--data-raw PATH]`` copies each file byte for byte into ``data_raw/models/`` and records one
MANIFEST row per file. The folder itself is never written anywhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..core import atomic, manifest
from ..core.paths import DATA_RAW

COLLECTOR = "python -m benchmeta collect models"
SUBDIR = "models"

EPOCH_COMMIT = "f87d3cc8e8a8f8471be475ebce58fb9a73b4e756"
HELM_COMMIT = "63754d05db6f874e41a395880fb573890a13e791"

# file name -> (source, url, licence, attribution)
FILES: dict[str, tuple[str, str, str, str]] = {
    "epoch_model_versions.csv": (
        f"Epoch AI benchmark-stitching data/model_versions.csv @ {EPOCH_COMMIT}",
        "https://github.com/epoch-research/benchmark-stitching/blob/"
        f"{EPOCH_COMMIT}/data/model_versions.csv",
        "MIT",
        "Copyright (c) Epoch AI; MIT licence",
    ),
    "helm_model_metadata.yaml": (
        f"Stanford CRFM HELM src/helm/config/model_metadata.yaml @ {HELM_COMMIT}",
        "https://github.com/stanford-crfm/helm/blob/"
        f"{HELM_COMMIT}/src/helm/config/model_metadata.yaml",
        "Apache-2.0",
        "Stanford CRFM HELM contributors; Apache License 2.0",
    ),
}


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from err


def main(argv: list[str] | None = None) -> int:
    """Copy the model metadata files and record them in the MANIFEST; 0 on success."""
    parser = argparse.ArgumentParser(prog=COLLECTOR, description=__doc__)
    parser.add_argument(
        "--from", dest="folder", required=True, type=Path, help="folder holding " + ", ".join(FILES)
    )
    parser.add_argument(
        "--retrieved-at",
        type=_date,
        default=dt.date.today().isoformat(),
        help="date the files were retrieved (default: today)",
    )
    parser.add_argument(
        "--data-raw",
        type=Path,
        default=DATA_RAW,
        help="data_raw folder to write into (default: the compendium's)",
    )
    args = parser.parse_args(argv)

    missing = [name for name in FILES if not (args.folder / name).is_file()]
    if missing:
        print(f"collect models: the --from folder lacks {', '.join(missing)}")
        return 2
    entries = []
    for name, (source, url, licence, attribution) in FILES.items():
        rel = f"{SUBDIR}/{name}"
        atomic.write_bytes(args.data_raw / rel, (args.folder / name).read_bytes())
        entries.append(
            manifest.Entry(
                path=rel,
                source=source,
                url=url,
                retrieved_at=args.retrieved_at,
                sha256="",
                licence=licence,
                collector=COLLECTOR,
                attribution=attribution,
            )
        )
    manifest.record(entries, args.data_raw)
    for e in entries:
        print(f"collect models: data_raw/{e.path} ({e.licence})")
    return 0

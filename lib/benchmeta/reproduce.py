"""``python -m benchmeta reproduce``: verify raw data, then run the notebooks in order.

A notebook is skipped when nothing it depends on has changed since its last run. Its fingerprint
(stored in the notebook's metadata) hashes: its own cell sources, the parameters, every ``.py``
file of ``benchmeta``, ``requirements.txt``, ``data_raw/MANIFEST.csv`` and the tables written by
earlier notebooks. Its outputs (tables and ``figures/NN_*``) must also still be as it left them.

Notebooks are executed with papermill into a temporary file and replace the committed notebook
only on success; the executed notebook is then normalised (no timestamps, no timings, no machine
paths) so that an unchanged rerun is byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from .core import atomic, manifest, tables
from .core.paths import DATA_PROCESSED, FIGURES, NOTEBOOKS, ROOT

META_KEY = "benchmeta"
VOLATILE_CELL_META = ("papermill", "execution", "ExecuteTime")
TQDM_TIMING = re.compile(r"\s*\[[0-9:]+<[0-9:?]+(?:,[^\]]*)?\]")


def notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tracked(root: Path, folder: str) -> list[Path] | None:
    """Files under ``folder`` that git tracks (None outside a git checkout)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--", folder],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [root / p for p in out.decode().split("\0") if p]


def code_hash(root: Path = ROOT) -> str:
    """Hash of the benchmeta sources (as tracked by git, so a fresh clone agrees) and the lock."""
    tracked = _tracked(root, "lib/benchmeta")
    files = tracked if tracked else list((root / "lib" / "benchmeta").rglob("*"))
    files = sorted(
        f
        for f in files
        if f.suffix in {".py", ".rc", ".toml", ".cfg", ""}
        and f.is_file()
        and "__pycache__" not in f.parts
    )
    h = hashlib.sha256()
    for f in [*files, root / "requirements.txt"]:
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _number(nb_path: Path) -> str:
    return nb_path.name[:2]


def upstream_tables(nb_path: Path, folder: Path = DATA_PROCESSED) -> dict[str, str]:
    """Hashes of the tables written by notebooks numbered below this one."""
    pkg = tables.read_package(folder)
    mine = _number(nb_path)
    return {r["path"]: r.get("hash", "") for r in pkg["resources"] if r["notebook"][:2] < mine}


def outputs(nb_path: Path, root: Path = ROOT) -> dict[str, str]:
    """Files this notebook writes: its tables (by datapackage) and ``figures/NN_*``."""
    mine = _number(nb_path)
    pkg = tables.read_package(root / "data_processed")
    files = [
        root / "data_processed" / r["path"] for r in pkg["resources"] if r["notebook"][:2] == mine
    ]
    files += sorted((root / "figures").glob(f"{mine}_*"))
    return {
        f.relative_to(root).as_posix(): (_sha(f.read_bytes()) if f.exists() else "missing")
        for f in files
    }


def fingerprint(nb_path: Path, parameters: dict, root: Path = ROOT) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    parts = {
        "cells": [c.source for c in nb.cells],
        "parameters": parameters,
        "code": code_hash(root),
        "manifest": _sha((root / "data_raw" / "MANIFEST.csv").read_bytes()),
        "upstream": upstream_tables(nb_path, root / "data_processed"),
    }
    return _sha(json.dumps(parts, sort_keys=True).encode())


def is_current(nb_path: Path, parameters: dict, root: Path = ROOT) -> tuple[bool, str]:
    """Whether the notebook can be skipped, and why not."""
    nb = nbformat.read(nb_path, as_version=4)
    meta = nb.metadata.get(META_KEY, {})
    if not meta:
        return False, "never run by make reproduce"
    if meta.get("fingerprint") != fingerprint(nb_path, parameters, root):
        return False, "its code, parameters or inputs changed"
    now = outputs(nb_path, root)
    if not meta.get("outputs"):
        return False, "no outputs recorded"
    if now != meta.get("outputs"):
        changed = sorted(
            k for k in set(now) | set(meta["outputs"]) if now.get(k) != meta["outputs"].get(k)
        )
        return False, f"outputs changed or missing: {', '.join(changed[:3])}"
    return True, "unchanged"


def _clean_stream(text: str, root: Path) -> str:
    lines = []
    for line in text.split("\n"):
        line = line.rsplit("\r", 1)[-1]
        lines.append(TQDM_TIMING.sub("", line))
    text = "\n".join(lines)
    return text.replace(str(root), "<repo>").replace(sys.prefix, "<venv>")


def _merge_streams(outs: list) -> list:
    """Join consecutive stream outputs of the same name: how a kernel chunks them is timing."""
    merged: list = []
    for out in outs:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and out.get("output_type") == "stream"
            and prev.get("output_type") == "stream"
            and prev.get("name") == out.get("name")
        ):
            prev["text"] = prev["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def normalise(nb: nbformat.NotebookNode, root: Path = ROOT) -> nbformat.NotebookNode:
    """Drop timestamps and timings, collapse progress bars, hide machine paths."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_META:
            cell.metadata.pop(key, None)
        if cell.get("outputs"):
            cell.outputs = _merge_streams(cell.outputs)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                out["text"] = _clean_stream(out["text"], root)
            for mime in ("text/plain", "text/html", "text/markdown"):
                data = out.get("data", {})
                if mime in data and isinstance(data[mime], str):
                    data[mime] = data[mime].replace(str(root), "<repo>")
            if out.get("output_type") == "error":
                out["traceback"] = [t.replace(str(root), "<repo>") for t in out["traceback"]]
    return nb


def run_notebook(nb_path: Path, parameters: dict, root: Path = ROOT) -> None:
    """Execute with papermill into a temporary file; replace the notebook only on success."""
    import papermill as pm

    os.environ.setdefault("PYTHONHASHSEED", "0")
    failed_dir = root / ".cache" / "failed"
    with atomic.atomic_path(nb_path, suffix=".ipynb") as tmp:
        try:
            pm.execute_notebook(
                str(nb_path),
                str(tmp),
                parameters=parameters,
                cwd=str(nb_path.parent),
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
            )
        except Exception:
            failed_dir.mkdir(parents=True, exist_ok=True)
            if tmp.exists():
                tmp.replace(failed_dir / nb_path.name)
            raise
        nb = normalise(nbformat.read(tmp, as_version=4), root)
        nb.metadata[META_KEY] = {
            "fingerprint": fingerprint(nb_path, parameters, root),
            "outputs": outputs(nb_path, root),
        }
        nbformat.write(nb, str(tmp))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmeta reproduce",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--force", action="store_true", help="run even notebooks that are current")
    p.add_argument("--only", nargs="*", default=None, help="notebook numbers to consider, e.g. 07")
    a = p.parse_args(argv)

    df = manifest.verify()
    print(f"data_raw: {len(df)} files match their MANIFEST sha256")
    FIGURES.mkdir(exist_ok=True)
    DATA_PROCESSED.mkdir(exist_ok=True)
    total = time.perf_counter()
    for nb_path in notebooks():
        if a.only and _number(nb_path) not in a.only:
            continue
        current, why = is_current(nb_path, {})
        if current and not a.force:
            print(f"skip {nb_path.name}: unchanged since its last run")
            continue
        print(f"run  {nb_path.name}: {why if not a.force else 'forced'}", flush=True)
        t0 = time.perf_counter()
        try:
            run_notebook(nb_path, {})
        except Exception as err:  # papermill prints the cell's traceback
            print(
                f"FAILED {nb_path.name}: {type(err).__name__}: {str(err)[-2000:]}", file=sys.stderr
            )
            print(
                "the committed notebook was left as it was; the failed run is in .cache/failed/",
                file=sys.stderr,
            )
            return 1
        print(f"     {nb_path.name} done in {time.perf_counter() - t0:.1f} s", flush=True)
    print(f"reproduce finished in {time.perf_counter() - total:.1f} s")
    return 0

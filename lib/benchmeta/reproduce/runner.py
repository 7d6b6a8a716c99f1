"""Run one notebook and judge whether it is current (fingerprint, outputs, provenance)."""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from ..core import provenance, reads, tables
from ..core.paths import NOTEBOOKS, ROOT

META_KEY = "benchmeta"
VOLATILE_CELL_META = ("papermill", "execution", "ExecuteTime")
DP = "data_processed"
TMP = ".cache/tmp"
# the kernel logs only errors: its start-up warnings belong in no reader's output
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]
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


@functools.cache
def code_hash(root: Path = ROOT) -> str:
    """Hash of the benchmeta sources (as tracked by git, so a fresh clone agrees) and the lock."""
    tracked = _tracked(root, "lib/benchmeta")
    files = tracked if tracked else list((root / "lib" / "benchmeta").rglob("*"))
    files = sorted(
        f
        for f in files
        if f.suffix in {".py", ".rc", ".toml", ".cfg", ".csv", ""}
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


def _resources(root: Path) -> dict[str, dict]:
    return {
        f"data_processed/{r['path']}": r
        for r in tables.read_package(root / DP).get("resources", [])
    }


def input_hashes(inputs: list[str], root: Path = ROOT) -> dict[str, object]:
    """Content of each recorded input: a raw file's MANIFEST sha256, a raw folder's MANIFEST
    rows, a table's hash in datapackage.json (file hashes where a row is missing)."""
    rows = dict(zip(*_manifest_columns(root), strict=True))
    res = _resources(root)
    out: dict[str, object] = {}
    for rel in inputs:
        if rel.endswith("/"):
            sub = rel.removeprefix("data_raw/")
            out[rel] = sorted((p, s) for p, s in rows.items() if p.startswith(sub))
        elif rel.startswith("data_raw/") and rel.removeprefix("data_raw/") in rows:
            out[rel] = rows[rel.removeprefix("data_raw/")]
        elif rel in res:
            out[rel] = res[rel].get("hash", "")
        else:
            f = root / rel
            out[rel] = _sha(f.read_bytes()) if f.is_file() else "missing"
    return out


def _manifest_columns(root: Path) -> tuple[list[str], list[str]]:
    path = root / "data_raw" / "MANIFEST.csv"
    if not path.exists():
        return [], []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["path"] for r in rows], [r["sha256"] for r in rows]


def with_folders(inputs: list[str]) -> list[str]:
    """The recorded inputs plus the folder of every raw file read: a notebook that looks for an
    optional file (``path.exists()`` leaves no read to record) reruns when one appears beside
    the files it read."""
    folders = {
        p.rsplit("/", 1)[0] + "/"
        for p in inputs
        if p.startswith("data_raw/") and not p.endswith("/") and p.count("/") > 1
    }
    return sorted(set(inputs) | folders)


def outputs(nb_path: Path, root: Path = ROOT) -> dict[str, str]:
    """Files this notebook writes: its tables (by datapackage) and ``figures/NN_*``."""
    mine = _number(nb_path)
    files = [root / p for p, r in _resources(root).items() if r["notebook"][:2] == mine]
    files += sorted((root / "figures").glob(f"{mine}_*"))
    return {
        f.relative_to(root).as_posix(): (_sha(f.read_bytes()) if f.exists() else "missing")
        for f in files
    }


def fingerprint(nb_path: Path, parameters: dict, inputs: list[str], root: Path = ROOT) -> str:
    """Hash of what a run depends on: cells, parameters, code and the notebook's own inputs."""
    nb = nbformat.read(nb_path, as_version=4)
    parts = {
        "cells": [c.source for c in nb.cells],
        "parameters": parameters,
        "code": code_hash(root),
        "inputs": input_hashes(with_folders(inputs), root),
    }
    return _sha(json.dumps(parts, sort_keys=True).encode())


def check_upstream(nb_path: Path, inputs: list[str], root: Path = ROOT) -> None:
    """A notebook reads earlier notebooks' tables, never its own or a later one's."""
    res = _resources(root)
    mine = _number(nb_path)
    late = [p for p in inputs if p in res and res[p]["notebook"][:2] >= mine]
    if late:
        raise RuntimeError(f"{nb_path.name} read tables of itself or a later notebook: {late}")


def uncommitted(inputs: list[str], root: Path = ROOT) -> bool:
    """Whether the code or any input has changes git has not committed."""
    paths = [*provenance.CODE_PATHS, *(p.rstrip("/") for p in inputs)]
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", *paths],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    return bool(out.strip())


def is_current(nb_path: Path, parameters: dict, root: Path = ROOT) -> tuple[bool, str]:
    """Whether the notebook can be skipped, and why not."""
    nb = nbformat.read(nb_path, as_version=4)
    meta = nb.metadata.get(META_KEY, {})
    if not meta:
        return False, "never run by make reproduce"
    if "inputs" not in meta:
        return False, "run before inputs were recorded"
    if meta.get("fingerprint") != fingerprint(nb_path, parameters, meta["inputs"], root):
        return False, "its code, parameters or inputs changed"
    now = outputs(nb_path, root)
    if not meta.get("outputs"):
        return False, "no outputs recorded"
    if now != meta.get("outputs"):
        changed = sorted(
            k for k in set(now) | set(meta["outputs"]) if now.get(k) != meta["outputs"].get(k)
        )
        return False, f"outputs changed or missing: {', '.join(changed[:3])}"
    if meta.get("uncommitted") and not uncommitted(meta["inputs"], root):
        return False, "it ran on uncommitted changes that are now committed (provenance)"
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


def sweep(root: Path = ROOT) -> list[Path]:
    """Remove temporary files an interrupted run left (atomic writes, executed notebooks)."""
    gone = []
    for folder in (root / "notebooks", root / DP, root / "figures", root / TMP):
        for f in folder.glob(".*.*") if folder.exists() else []:
            if f.is_file() and f.name not in {".gitignore", ".gitkeep"}:
                f.unlink(missing_ok=True)
                gone.append(f)
    return gone


def execute(nb_path: Path, parameters: dict, root: Path = ROOT) -> tuple[Path, list[str]]:
    """Execute with papermill into a temporary file outside the tracked tree; return that file
    and the inputs the kernel read. The kernel records what it reads and ends if the runner dies.
    A failed run is kept in ``.cache/failed/``."""
    import papermill as pm

    tmp_dir = root / TMP
    tmp_dir.mkdir(parents=True, exist_ok=True)
    reads_log = tmp_dir / f".{nb_path.stem}.reads"
    reads_log.unlink(missing_ok=True)
    env = {
        "PYTHONHASHSEED": "0",
        reads.READS_ENV: str(reads_log),
        reads.RUNNER_ENV: str(os.getpid()),
        # git status of notebooks running side by side must not fail on the index lock
        "GIT_OPTIONAL_LOCKS": "0",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{nb_path.name}.", suffix=".ipynb", dir=tmp_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        pm.execute_notebook(
            str(nb_path),
            str(tmp),
            parameters=parameters,
            cwd=str(nb_path.parent),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            extra_arguments=KERNEL_ARGS,
        )
        return tmp, reads.recorded(reads_log)
    except BaseException:
        failed_dir = root / ".cache" / "failed"
        failed_dir.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            tmp.replace(failed_dir / nb_path.name)
        raise
    finally:
        reads_log.unlink(missing_ok=True)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def commit(
    nb_path: Path, tmp: Path, inputs: list[str], parameters: dict, root: Path = ROOT
) -> None:
    """Normalise the executed notebook ``tmp``, record its fingerprint, inputs and outputs, and
    replace the committed notebook with it."""
    try:
        check_upstream(nb_path, inputs, root)
        nb = normalise(nbformat.read(tmp, as_version=4), root)
        nb.metadata[META_KEY] = {
            "fingerprint": fingerprint(nb_path, parameters, inputs, root),
            "inputs": inputs,
            "outputs": outputs(nb_path, root),
            **({"uncommitted": True} if uncommitted(inputs, root) else {}),
        }
        nbformat.write(nb, str(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, nb_path)
    finally:
        tmp.unlink(missing_ok=True)


def run_notebook(nb_path: Path, parameters: dict, root: Path = ROOT) -> None:
    """Execute the notebook and replace the committed one only on success."""
    tmp, inputs = execute(nb_path, parameters, root)
    commit(nb_path, tmp, inputs, parameters, root)

"""The reproduce runner: skips unchanged notebooks, reruns changed ones, output is byte-stable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from benchmeta.core import manifest

ROOT = Path(__file__).resolve().parents[1]

CELLS = [
    ("markdown", "# 01 · Tiny\n\nA notebook for testing the runner."),
    ("code", "n = 3"),
    (
        "code",
        "import pandas as pd\nfrom tqdm import tqdm\nfrom benchmeta.core import tables\n"
        "from benchmeta.core.paths import DATA_RAW\n"
        "df = pd.read_csv(DATA_RAW / 'x.csv').head(n)\n"
        "for _ in tqdm(range(3), desc='work'):\n    pass\n"
        "tables.write_table(df, 'tiny', notebook='01_tiny', description='test')\n"
        "print(DATA_RAW)",
    ),
    ("code", "# provenance\nprint('done')"),
]


@pytest.fixture
def compendium(tmp_path: Path) -> Path:
    root = tmp_path / "c"
    (root / "data_raw").mkdir(parents=True)
    for sub in ["notebooks", "data_processed", "figures"]:
        (root / sub).mkdir()
    shutil.copy(ROOT / "pyproject.toml", root)
    shutil.copy(ROOT / "requirements.txt", root)
    shutil.copytree(ROOT / "lib", root / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "data_raw" / "x.csv").write_text("a\n1\n2\n3\n4\n")
    manifest.record(
        [manifest.Entry("x.csv", "t", "", "2026-01-01", "", "CC0-1.0", "t")], root / "data_raw"
    )
    nb = nbformat.v4.new_notebook()
    for kind, src in CELLS:
        cell = (nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell)(
            src
        )
        nb.cells.append(cell)
    nb.cells[1].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "notebooks" / "01_tiny.ipynb")
    return root


def run(root: Path, *args: str) -> str:
    env = {**os.environ, "BENCHMETA_ROOT": str(root), "PYTHONPATH": str(root / "lib")}
    res = subprocess.run(
        [sys.executable, "-m", "benchmeta", "reproduce", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for sub in ["notebooks", "data_processed", "figures"]
        for p in (root / sub).rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
@pytest.mark.xdist_group("notebook")
def test_skip_rerun_and_byte_stability(compendium):
    out = run(compendium)
    assert "run  01_tiny.ipynb: never run" in out
    first = snapshot(compendium)
    nb_text = first["notebooks/01_tiny.ipynb"].decode()
    assert str(compendium) not in nb_text and "<repo>/data_raw" in nb_text  # no machine path
    assert "it/s" not in nb_text and "work: 100%" in nb_text  # progress bar kept, timings gone
    assert "start_time" not in nb_text

    assert "skip 01_tiny.ipynb: unchanged" in run(compendium)
    assert snapshot(compendium) == first

    run(compendium, "--force")  # a forced rerun on unchanged inputs is byte-identical
    assert snapshot(compendium) == first

    (compendium / "data_processed" / "tiny.csv").unlink()  # a missing output triggers a rerun
    assert "outputs changed or missing" in run(compendium)
    assert snapshot(compendium) == first

    (compendium / "data_raw" / "x.csv").write_text("a\n9\n8\n7\n")  # new input data
    manifest.record(
        [manifest.Entry("x.csv", "t", "", "2026-01-02", "", "CC0-1.0", "t")],
        compendium / "data_raw",
    )
    assert "inputs changed" in run(compendium)
    assert (compendium / "data_processed" / "tiny.csv").read_text() == "a\n9\n8\n7\n"


def test_reproduce_refuses_a_tampered_raw_file(compendium):
    (compendium / "data_raw" / "x.csv").write_text("tampered\n")
    env = {**os.environ, "BENCHMETA_ROOT": str(compendium), "PYTHONPATH": str(compendium / "lib")}
    res = subprocess.run(
        [sys.executable, "-m", "benchmeta", "reproduce"],
        cwd=compendium,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode != 0 and "MANIFEST.csv:2: sha256 mismatch for x.csv" in res.stderr

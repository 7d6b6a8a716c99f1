"""Tables written by notebooks to ``data_processed/``, each described in ``datapackage.json``.

The descriptor follows the Frictionless Data Package spec (tabular-data-resource); the
``notebook`` field says which notebook writes the table, so ``make reproduce`` knows what a
later notebook depends on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import atomic, schemas
from .manifest import sha256_file
from .paths import DATA_PROCESSED

PACKAGE = "datapackage.json"
# Floats are written with 12 significant digits: the 16th digit depends on summation order, which
# differs between CPUs (AVX-512 or not), and must not show as a diff of the outputs.
FLOAT_FORMAT = "%.12g"
NUMBERS = (
    "numbers are written with 12 significant digits (printf %.12g), so outputs do not "
    "depend on the CPU's floating-point summation order"
)


def read_package(folder: Path = DATA_PROCESSED) -> dict:
    path = folder / PACKAGE
    if path.exists():
        return json.loads(path.read_text())
    return {
        "name": "benchmark-of-benchmarks",
        "title": "benchmark-of-benchmarks processed tables",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "numbers": NUMBERS,
        "resources": [],
    }


def write_table(
    df: pd.DataFrame,
    name: str,
    *,
    notebook: str,
    description: str,
    fields: dict[str, str] | None = None,
    folder: Path = DATA_PROCESSED,
) -> Path:
    """Write ``df`` to ``<folder>/<name>.csv`` atomically and describe it in datapackage.json.

    The table must match its declaration in ``core.schemas`` (columns, order, types); the
    declared types and descriptions go into the descriptor (``fields`` may add descriptions).
    """
    declared = schemas.get(name)
    schemas.validate(name, df)
    fields = {**declared.descriptions, **(fields or {})}
    path = folder / f"{name}.csv"
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    atomic.write_csv(path, out, float_format=FLOAT_FORMAT)
    resource = {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "notebook": notebook,
        "rows": int(len(df)),
        "hash": f"sha256:{sha256_file(path)}",
        "schema": {
            "fields": [
                {
                    "name": str(c),
                    "type": declared.types[c],
                    **({"description": fields[c]} if c in fields else {}),
                }
                for c in df.columns
            ]
        },
    }
    with atomic.locked(folder):  # notebooks running side by side update the same descriptor
        pkg = read_package(folder)
        pkg["numbers"] = NUMBERS
        others = [r for r in pkg["resources"] if r["name"] != name]
        pkg["resources"] = sorted([*others, resource], key=lambda r: (r["notebook"], r["name"]))
        atomic.write_text(folder / PACKAGE, json.dumps(pkg, indent=2, ensure_ascii=False) + "\n")
    return path


def read_table(name: str, folder: Path = DATA_PROCESSED) -> pd.DataFrame:
    """Read a processed table back with the types of its schema (dates parsed, strings kept as
    strings; empty cells are missing)."""
    pkg = read_package(folder)
    res = next((r for r in pkg["resources"] if r["name"] == name), None)
    if res is None:
        raise FileNotFoundError(
            f"data_processed has no table {name!r}; run the notebook that writes it"
        )
    fields = res["schema"]["fields"]
    dates = [f["name"] for f in fields if f["type"] == "date"]
    # string fields stay strings: an arXiv id such as 2401.10000 must not become a float
    types = {f["name"]: str for f in fields if f["type"] == "string"}
    # numbers stay floats although 12-digit output writes 2.0 as 2
    types |= {f["name"]: float for f in fields if f["type"] == "number"}
    return pd.read_csv(folder / res["path"], parse_dates=dates, dtype=types, keep_default_na=True)


def written(notebook: str, folder: Path = DATA_PROCESSED) -> pd.DataFrame:
    """The tables a notebook has written, with their row counts (for its closing summary)."""
    pkg = read_package(folder)
    rows = [
        (r["path"], r["rows"], r["description"])
        for r in pkg["resources"]
        if r["notebook"] == notebook
    ]
    return pd.DataFrame(rows, columns=["data_processed table", "rows", "description"])

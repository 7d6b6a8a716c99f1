"""Tables written by notebooks to ``data_processed/``, each described in ``datapackage.json``.

The descriptor follows the Frictionless Data Package spec (tabular-data-resource); the
``notebook`` field says which notebook writes the table, so ``make reproduce`` knows what a
later notebook depends on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import atomic
from .manifest import sha256_file
from .paths import DATA_PROCESSED

PACKAGE = "datapackage.json"


def _field_type(s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s):
        return "boolean"
    if pd.api.types.is_integer_dtype(s):
        return "integer"
    if pd.api.types.is_float_dtype(s):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(s):
        return "date"
    return "string"


def read_package(folder: Path = DATA_PROCESSED) -> dict:
    path = folder / PACKAGE
    if path.exists():
        return json.loads(path.read_text())
    return {
        "name": "benchmark-of-benchmarks",
        "title": "benchmark-of-benchmarks processed tables",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
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

    ``fields`` maps column name -> description; every column gets a type.
    """
    fields = fields or {}
    path = folder / f"{name}.csv"
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    atomic.write_csv(path, out)
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
                    "type": _field_type(df[c]),
                    **({"description": fields[c]} if c in fields else {}),
                }
                for c in df.columns
            ]
        },
    }
    pkg = read_package(folder)
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
    strings = {f["name"]: str for f in fields if f["type"] == "string"}
    return pd.read_csv(folder / res["path"], parse_dates=dates, dtype=strings, keep_default_na=True)


def written(notebook: str, folder: Path = DATA_PROCESSED) -> pd.DataFrame:
    """The tables a notebook has written, with their row counts (for its closing summary)."""
    pkg = read_package(folder)
    rows = [
        (r["path"], r["rows"], r["description"])
        for r in pkg["resources"]
        if r["notebook"] == notebook
    ]
    return pd.DataFrame(rows, columns=["data_processed table", "rows", "description"])

"""The schema of every ``data_processed`` table, declared once (pandera), checked on every write.

Each question package declares its tables in its own ``schemas.py`` with :func:`declare`: the
published columns in order, each with a Table Schema type (``string``, ``integer``, ``number``,
``boolean``, ``date``) and an optional description. ``tables.write_table`` refuses a table that is
not declared or does not match its declaration, writes the declared types into
``datapackage.json``, and ``tables.read_table`` reads them back with those types. Notebooks take a
table's columns from :func:`columns` instead of keeping lists of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

TYPES = ("string", "integer", "number", "boolean", "date")

# The columns of one benchmark-vs-non-benchmark comparison (``stats.benchmark_comparison`` with
# Holm), shared by every group-test table; tables add their own columns after these.
GROUP_TEST = {
    "metric": "string",
    "n_benchmark": "integer",
    "n_non_benchmark": "integer",
    "median_benchmark": "number",
    "median_non_benchmark": "number",
    "u": "number",
    "p": "number",
    "cliffs_delta": "number",
    "delta_low": "number",
    "delta_high": "number",
    "note": "string",
    "iqr_benchmark": "number",
    "iqr_non_benchmark": "number",
    "mean_benchmark": "number",
    "mean_non_benchmark": "number",
    "p_holm": "number",
}

# The columns of one specification of a specification curve (label source, vendored rules,
# release dumps, model), shared by every ``*_specifications`` table.
SPECIFICATION = {
    "metric": "string",
    "label": "string",
    "vendored": "string",
    "release_dumps": "string",
    "model": "string",
    "n_benchmark": "integer",
    "n_non_benchmark": "integer",
    "estimate": "number",
    "low": "number",
    "high": "number",
    "p": "number",
    "effect": "string",
    "direction": "number",
    "significant": "boolean",
    "note": "string",
}


def _kind(s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s):
        return "boolean"
    if pd.api.types.is_integer_dtype(s):
        return "integer"
    if pd.api.types.is_float_dtype(s):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(s):
        return "date"
    return "string"


def _is(kind: str):
    def check(s: pd.Series) -> bool:
        got = _kind(s)
        if kind == "number":  # a number column may hold only whole values
            return got in {"number", "integer"} or s.isna().all()
        return got == kind or s.isna().all()

    return check


@dataclass(frozen=True)
class Table:
    """One declared table: name, columns -> type, descriptions, and its pandera schema."""

    name: str
    types: dict[str, str]
    descriptions: dict[str, str]
    schema: pa.DataFrameSchema


REGISTRY: dict[str, Table] = {}


def declare(name: str, columns: dict[str, str | tuple[str, str]]) -> Table:
    """Declare table ``name``: ``columns`` maps column -> type or (type, description)."""
    types, descriptions = {}, {}
    for col, spec in columns.items():
        kind, text = spec if isinstance(spec, tuple) else (spec, "")
        if kind not in TYPES:
            raise ValueError(f"table {name}: column {col!r} has unknown type {kind!r}")
        types[col] = kind
        if text:
            descriptions[col] = text
    schema = pa.DataFrameSchema(
        {
            c: pa.Column(checks=pa.Check(_is(k), name=f"type {k}"), nullable=True)
            for c, k in types.items()
        },
        name=name,
        strict=True,
        ordered=True,
    )
    table = Table(name, types, descriptions, schema)
    REGISTRY[name] = table
    return table


def get(name: str) -> Table:
    """The declaration of ``name``; a clear error naming where to declare it."""
    if name not in REGISTRY:
        raise KeyError(
            f"data_processed table {name!r} has no declared schema: declare it in the "
            "schemas.py of the package whose notebook writes it"
        )
    return REGISTRY[name]


def columns(name: str) -> list[str]:
    """The published columns of a table, in order."""
    return list(get(name).types)


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` checked against its declaration (columns, order, types); raises SchemaError."""
    return get(name).schema.validate(df, lazy=True)

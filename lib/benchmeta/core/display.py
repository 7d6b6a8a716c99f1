"""Pandas display options for the notebooks (one place, so cells hold no formatting code)."""

from __future__ import annotations

import pandas as pd


def number(x: float) -> str:
    """Thousands with separators and no decimals; smaller numbers to three significant digits."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def options(width: int = 160, max_columns: int = 24, max_colwidth: int | None = None) -> None:
    """Wide tables, and floats through ``number``."""
    pd.set_option(
        "display.width", width, "display.max_columns", max_columns, "display.float_format", number
    )
    if max_colwidth is not None:
        pd.set_option("display.max_colwidth", max_colwidth)

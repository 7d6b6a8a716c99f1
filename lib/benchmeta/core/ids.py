"""Join keys shared by the packages (one definition each)."""

from __future__ import annotations

import pandas as pd


def repo_key(s: pd.Series) -> pd.Series:
    """Case-insensitive key of an ``owner/name`` column (GitHub names are case-insensitive)."""
    return s.astype("string").str.strip().str.strip("/").str.lower()

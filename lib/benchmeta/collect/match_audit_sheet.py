"""Draw the hand-check sample of the model matcher (``leaderboards.match_audit``).

    python -m benchmeta collect match-audit-sheet [--matched 120] [--unmatched 40] [--seed 11]

Writes ``data_raw/models/match_audit_sheet.csv``; a reviewer fills
``data_raw/models/match_audit_reviewed.csv`` (``item, same_model, date_right, found_model,
reviewer, note``), recorded with ``python -m benchmeta manifest add``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.paths import DATA_RAW
from ..leaderboards import match_audit
from ..leaderboards import model_table as models
from .model_matching import UNMATCHED

SHEET = "models/match_audit_sheet.csv"


def write_sheet(data_raw: Path, n_matched: int, n_unmatched: int, seed: int, day: str) -> str:
    """Write the sheet and its MANIFEST row; return its path under data_raw."""
    unmatched = pd.read_csv(data_raw / UNMATCHED, dtype=str, keep_default_na=False)
    table = models.build_model_table(data_raw)
    table["release_date"] = table["release_date"].dt.strftime("%Y-%m-%d").fillna("")
    out = match_audit.sheet(
        models.load_aliases(data_raw), models.load_registry(data_raw), table, unmatched,
        n_matched, n_unmatched, seed,
    )  # fmt: skip
    atomic.write_csv(data_raw / SHEET, out)
    manifest.record(
        [
            manifest.Entry(
                path=SHEET,
                source=f"sample of the model matcher's decisions (seed {seed}): {n_matched} "
                f"matched names stratified by namespace, {n_unmatched} unmatched names",
                url="",
                retrieved_at=day,
                sha256="",
                licence="CC-BY-4.0",
                collector="python -m benchmeta collect match-audit-sheet",
                attribution="compendium authors",
            )  # fmt: skip
        ],
        data_raw,
    )
    return SHEET


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmeta collect match-audit-sheet")
    p.add_argument("--matched", type=int, default=120)
    p.add_argument("--unmatched", type=int, default=40)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--retrieved-at", default=dt.date.today().isoformat())
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    a = p.parse_args(argv)
    path = write_sheet(a.data_raw, a.matched, a.unmatched, a.seed, a.retrieved_at)
    print(f"wrote data_raw/{path}")
    return 0

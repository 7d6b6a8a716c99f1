"""Hand check of adoption edges: a blind sheet and the precision it measures.

The sheet mixes every edge of the current definition with a sample of the edges the earlier
definition had and the current one drops, in random order under sheet ids, so a reviewer cannot
tell which is which; the key maps sheet ids back. ``precision`` reads the reviewed sheet.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from . import adoption

SHEET_COLUMNS = [
    "sheet_id",
    "repo",
    "benchmark_repo",
    "kind",
    "matched_text",
    "path",
    "line_no",
    "line_text",
]


def dropped_edges(
    lines: pd.DataFrame, legacy: pd.DataFrame, edges: pd.DataFrame, legacy_ids: pd.DataFrame
) -> pd.DataFrame:
    """Edges of the earlier definition that the current one drops, each with one evidence line
    (under the earlier identifiers, vendored code included) and why it is dropped."""
    gone = legacy.merge(edges[["benchmark_repo", "repo"]], how="left", indicator=True)
    gone = gone[gone["_merge"] == "left_only"].drop(columns="_merge")
    hits = adoption.candidate_lines(lines, legacy_ids)
    hits = hits.assign(_o=hits["kind"].map(adoption.KIND_ORDER)).sort_values(
        ["benchmark_repo", "repo", "_o", "path", "line_no"]
    )
    first = hits.groupby(["benchmark_repo", "repo"]).first().reset_index()
    out = gone.merge(first, on=["benchmark_repo", "repo"], how="left")
    out["drop_reason"] = np.where(
        out["vendored"].fillna("") != "", "in vendored code", "identifier not accepted"
    )
    return out.rename(columns={"value": "matched_text"})


def build_sheet(
    edges: pd.DataFrame, dropped: pd.DataFrame, n_dropped: int = 35, seed: int = 9
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sheet, key): every current edge plus ``n_dropped`` dropped ones with evidence, shuffled."""
    rng = np.random.default_rng(seed)
    d = dropped[dropped["line_text"].notna()]
    d = d.iloc[rng.permutation(len(d))[:n_dropped]]
    both = pd.concat(
        [edges.assign(in_current="yes", drop_reason=""), d.assign(in_current="no", edge_id="")],
        ignore_index=True,
    )
    both = both.iloc[rng.permutation(len(both))].reset_index(drop=True)
    both["sheet_id"] = [f"A{i + 1:03d}" for i in range(len(both))]
    key = both[
        ["sheet_id", "edge_id", "in_current", "drop_reason", "benchmark_repo", "repo", "kind"]
    ]
    return both[SHEET_COLUMNS], key


def _yes(s: pd.Series) -> pd.Series:
    return s.astype(str).str.strip().str.lower().str.startswith("y")


def precision(key: pd.DataFrame, reviewed: pd.DataFrame) -> pd.DataFrame:
    """Share of edges the reviewer called genuine, with Wilson CI: for current edges (overall
    and per kind) and for dropped edges (the share of genuine adoption the filter lost)."""
    k = key.merge(reviewed[["sheet_id", "genuine"]], on="sheet_id", how="inner")
    k["ok"] = _yes(k["genuine"])
    groups = [("current edges", k[k["in_current"] == "yes"])]
    groups += [
        (f"current edges, kind {kind}", g)
        for kind, g in k[k["in_current"] == "yes"].groupby("kind")
    ]
    groups += [("dropped edges", k[k["in_current"] == "no"])]
    rows = []
    for name, g in groups:
        lo, hi = stats.wilson(int(g["ok"].sum()), len(g)) if len(g) else (np.nan, np.nan)
        rows.append(
            {
                "edges": name,
                "n_checked": len(g),
                "genuine": int(g["ok"].sum()),
                "share_genuine": g["ok"].mean() if len(g) else np.nan,
                "low": lo,
                "high": hi,
            }
        )
    return pd.DataFrame(rows)


KEY_FILE = "adoption_sample_key.csv"
REVIEWED_FILE = "adoption_sample_reviewed.csv"
PRECISION_COLUMNS = ["edges", "n_checked", "genuine", "share_genuine", "low", "high"]


def precision_from(folder: Path) -> tuple[pd.DataFrame, str]:
    """``precision`` of the committed hand check in ``folder`` and a sentence about it; an
    empty table and a note when the sample or its review is missing."""
    key_path, rev_path = folder / KEY_FILE, folder / REVIEWED_FILE
    if not key_path.exists():
        return pd.DataFrame(columns=PRECISION_COLUMNS), "No hand check of adoption edges yet."
    key = pd.read_csv(key_path, keep_default_na=False)
    if not rev_path.exists():
        return pd.DataFrame(columns=PRECISION_COLUMNS), (
            f"{len(key)} edges drawn for a blind hand check; not yet reviewed, so precision is "
            "not measured."
        )
    reviewed = pd.read_csv(rev_path, dtype=str, keep_default_na=False)
    if "sheet_id" not in reviewed:  # the reviewer's sheet calls the sheet id edge_id
        reviewed = reviewed.rename(columns={"edge_id": "sheet_id"})
    n = int(key["sheet_id"].isin(reviewed["sheet_id"]).sum())
    return precision(key, reviewed), (
        f"{n} of {len(key)} sheet rows (every current edge and a sample of dropped ones, mixed "
        "and blind) were judged by an independent reviewer."
    )

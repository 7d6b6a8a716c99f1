"""Vectara hallucination leaderboard: results tables from the history of its README.

The collector (``collect leaderboards-git``) reads every commit of ``README.md`` and keeps one row
per (commit, model) with the three rates, parsed by column header because the column order
changes between commits. The regime (``version``) is the HHEM judge plus the document set, from the
break commits in ``BREAKS``.
The importer keeps, per regime and model, the scores of the last commit of that regime.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ...core.errors import InputError
from ...core.paths import DATA_RAW
from .common import manifest_row, resolve_or_unmatched

SOURCE = "Vectara hallucination leaderboard"
# Regime breaks: the first commit of each regime; a commit belongs to the newest regime whose
# first commit is among its ancestors (checked with git by the collector). 866268f ("leaderboard-2.1
# results", 2024-07-25) re-scored every model with HHEM-2.1 although the README named HHEM-2.1
# only from 2024-08-03; dcb6520 ("new leaderboard based on updated dataset v2", 2025-11-18)
# moved to HHEM-2.3 on the new 7,700-article set.
FIRST_REGIME = "HHEM-1.0, 1,000-document set"
BREAKS = [
    ("866268f59831139593c21f065cab25ab4a868b7e", "HHEM-2.1, 1,000-document set"),
    ("dcb65204f2f8ca78afb592f976d4f2d66605ac8c", "HHEM-2.3, 7,700-article set"),
]
# first published date of each regime, so versions order by time, not by name
REGIME_RELEASED = {
    FIRST_REGIME: "2023-10-31",
    BREAKS[0][1]: "2024-07-25",
    BREAKS[1][1]: "2025-11-18",
}
HEADERS = {
    "model": "model_name",
    "hallucination rate": "hallucination_rate",
    "factual consistency rate": "factual_consistency_rate",
    "answer rate": "answer_rate",
}
FACT_COLUMNS = ["commit", "date", "regime", "model_name", *list(HEADERS.values())[1:]]
# metric column -> (metric label, higher_is_safer). The factual consistency rate is 100 minus
# the hallucination rate, and the answer rate is coverage, not safety: both stay in the facts
# file and out of the tidy table.
METRICS = {"hallucination_rate": ("hallucination rate", False)}


def _percent(cell: str) -> float:
    text = cell.strip().rstrip("%").strip()
    return float(text) if text not in {"", "-", "N/A"} else float("nan")


def parse_readme(text: str) -> pd.DataFrame:
    """The results table of one README version: the first Markdown table whose header names a
    model and a hallucination rate; columns found by header, not position."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        if not line.startswith("|") or not re.match(r"^\|\s*:?-{2,}", lines[i + 1]):
            continue
        header = [c.strip().lower() for c in line.strip().strip("|").split("|")]
        if "model" not in header or "hallucination rate" not in header:
            continue
        cols = {HEADERS[h]: header.index(h) for h in HEADERS if h in header}
        rows = []
        for row in lines[i + 2 :]:
            if not row.startswith("|"):
                break
            cells = row.strip().strip("|").split("|")
            if len(cells) < len(header):
                continue
            rec = {"model_name": cells[cols["model_name"]].strip()}
            for name, j in cols.items():
                if name != "model_name":
                    rec[name] = _percent(cells[j])
            rows.append(rec)
        return pd.DataFrame(rows, columns=list(HEADERS.values()))
    return pd.DataFrame(columns=list(HEADERS.values()))


def import_vectara(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Tidy rows: per regime and model, the three rates of the regime's last commit (0-100)."""
    facts = pd.read_csv(path, dtype={"commit": str})
    missing = [c for c in FACT_COLUMNS if c not in facts.columns]
    if missing:
        raise InputError(path, 1, f"missing columns {missing}", list(facts.columns))
    facts["_line"] = facts.index + 2
    facts["date"] = pd.to_datetime(facts["date"])
    last = facts.sort_values(["date", "_line"]).groupby(["regime", "model_name"]).tail(1)
    m = manifest_row(path, data_raw)
    frames = []
    for col, (metric, higher) in METRICS.items():
        sub = last.dropna(subset=[col])
        frames.append(
            pd.DataFrame(
                {
                    "source": SOURCE,
                    "version": sub["regime"],
                    "released": sub["regime"].map(REGIME_RELEASED),
                    "model_name": sub["model_name"],
                    "benchmark": "Vectara hallucination leaderboard",
                    "metric": metric,
                    "score": sub[col].astype(float),
                    "scale_min": 0.0,
                    "scale_max": 100.0,
                    "higher_is_safer": higher,
                    "retrieved_at": m["retrieved_at"],
                    "url": m["url"],
                    "_file": path.relative_to(data_raw).as_posix(),
                    "_line": sub["_line"],
                }
            )
        )
    return resolve_or_unmatched(
        pd.concat(frames, ignore_index=True), "vectara", path, data_raw, renamed=True
    )

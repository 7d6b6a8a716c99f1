"""lechmazur/confabulations: confabulation and non-response rates from the README's history.

Facts only (no licence). The question set grows over time, so ``version`` names it by its
counts (unanswerable questions for the confabulation rate, answerable ones for the
non-response rate), read from the README of each commit; per version and model the last
commit's numbers are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ...core.errors import InputError
from ...core.paths import DATA_RAW
from .common import manifest_row, resolve_or_unmatched

SOURCE = "Confabulations (lechmazur)"
FACT_COLUMNS = [
    "commit", "date", "version", "n_unanswerable", "n_answerable", "model_name",
    "confabulation_rate", "non_response_rate",
]  # fmt: skip
_N_UNANSWERABLE = re.compile(r"([\d,]+) questions, confirmed by a human")
_N_ANSWERABLE = re.compile(r"([\d,]+) hard questions")


def question_counts(text: str) -> tuple[int | None, int | None]:
    """(unanswerable, answerable) question counts stated in one README version."""
    a, b = _N_UNANSWERABLE.search(text), _N_ANSWERABLE.search(text)
    num = lambda m: int(m.group(1).replace(",", "")) if m else None  # noqa: E731
    return num(a), num(b)


def parse_readme(text: str) -> pd.DataFrame:
    """model_name, confabulation_rate, non_response_rate of the first table that has them."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        if not line.strip().startswith("|") or not re.match(r"^\s*\|\s*:?-{2,}", lines[i + 1]):
            continue
        header = [c.strip().lower() for c in line.strip().strip("|").split("|")]
        jm, jc, jn = (
            next((j for j, h in enumerate(header) if word in h), None)
            for word in ("model", "confab", "non-resp")
        )
        if jm is None or jc is None:
            continue
        rows = []
        for row in lines[i + 2 :]:
            if not row.strip().startswith("|"):
                break
            cells = [c.strip() for c in row.strip().strip("|").split("|")]
            if len(cells) < len(header):
                continue
            rows.append(
                (
                    cells[jm],
                    float(cells[jc]),
                    float(cells[jn]) if jn is not None else float("nan"),
                )
            )
        return pd.DataFrame(rows, columns=["model_name", "confabulation_rate", "non_response_rate"])
    return pd.DataFrame(columns=["model_name", "confabulation_rate", "non_response_rate"])


def import_confabulations(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Tidy rows (0-100): confabulation rate (lower is safer) and non-response rate (lower is
    better: it is the cost side, kept so a reader sees the trade-off)."""
    facts = pd.read_csv(path, dtype={"commit": str})
    missing = [c for c in FACT_COLUMNS if c not in facts.columns]
    if missing:
        raise InputError(path, 1, f"missing columns {missing}", list(facts.columns))
    facts["_line"] = facts.index + 2
    first_seen = facts.groupby("version")["date"].min()  # a version's release: its first commit
    last = facts.sort_values(["date", "_line"]).groupby(["version", "model_name"]).tail(1)
    m = manifest_row(path, data_raw)
    frames = []
    for col, metric, n_col in [
        ("confabulation_rate", "confabulation rate", "n_unanswerable"),
        ("non_response_rate", "non-response rate", "n_answerable"),
    ]:
        sub = last.dropna(subset=[col])
        frames.append(
            pd.DataFrame(
                {
                    "source": SOURCE,
                    "version": sub["version"],
                    "released": sub["version"].map(first_seen),
                    "model_name": sub["model_name"],
                    "benchmark": "Confabulations",
                    "metric": metric,
                    "score": sub[col].astype(float),
                    "scale_min": 0.0,
                    "scale_max": 100.0,
                    "higher_is_safer": False,
                    "n_items": sub[n_col],
                    "retrieved_at": m["retrieved_at"],
                    "url": m["url"],
                    "_file": path.relative_to(data_raw).as_posix(),
                    "_line": sub["_line"],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return resolve_or_unmatched(out, "confabulations", path, data_raw, renamed=True)

"""LLMStats (CC-BY-4.0): model release dates, and the scores vendors report for their own models.

Every score of a ``model.json`` carries ``is_self_reported``; the importer keeps only safety and
factuality benchmarks (``BENCHMARKS``), puts self-reported scores under their own source name
(``SELF_REPORTED``) so they are never pooled with independent runs, and uses them for the
claims-vs-measured comparison.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ...core.errors import InputError
from ...core.paths import DATA_RAW
from .common import manifest_row, resolve_or_unmatched

SELF_REPORTED = "LLMStats (vendor self-reported)"
INDEPENDENT = "LLMStats (independent)"
# LLMStats dataset_name -> benchmark name used elsewhere in the tidy table
BENCHMARKS = {
    "SimpleQA": "SimpleQA",
    "TruthfulQA": "TruthfulQA",
    "XSTest": "XSTest",
    "FACTS Grounding": "FACTS Grounding",
}
MODEL_COLUMNS = ["llmstats_id", "name", "organization", "release_date"]
SCORE_COLUMNS = ["llmstats_id", "dataset_name", "score", "is_self_reported", "date_recorded"]


def parse_model(relpath: str, text: str) -> tuple[dict, list[dict]]:
    """(model facts, score rows) of one ``models/<org>/<model>/model.json``."""
    d = json.loads(text)
    org, model = relpath.split("/")[1:3]
    mid = f"{org}/{model}"
    facts = {
        "llmstats_id": mid,
        "name": d.get("name", ""),
        "organization": org,
        "release_date": d.get("release_date") or "",
    }
    scores = [
        {
            "llmstats_id": mid,
            "dataset_name": q.get("dataset_name"),
            "score": q.get("score"),
            "is_self_reported": bool(q.get("is_self_reported")),
            "date_recorded": q.get("date_recorded") or "",
        }
        for q in d.get("qualitative_metrics") or []
        if q.get("dataset_name") in BENCHMARKS
    ]
    return facts, scores


def import_llmstats(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Tidy rows (0-1 scale, higher is safer for all four benchmarks)."""
    facts = pd.read_csv(path)
    missing = [c for c in SCORE_COLUMNS if c not in facts.columns]
    if missing:
        raise InputError(path, 1, f"missing columns {missing}", list(facts.columns))
    facts["_line"] = facts.index + 2
    self_rep = facts["is_self_reported"].astype(str).str.lower() == "true"
    m = manifest_row(path, data_raw)
    out = pd.DataFrame(
        {
            "source": self_rep.map({True: SELF_REPORTED, False: INDEPENDENT}),
            "version": "df1d14e",
            "model_name": facts["llmstats_id"],
            "benchmark": facts["dataset_name"].map(BENCHMARKS),
            "metric": "score as reported",
            "score": facts["score"].astype(float),
            "scale_min": 0.0,
            "scale_max": 1.0,
            "higher_is_safer": True,
            "retrieved_at": m["retrieved_at"],
            "url": m["url"],
            "_file": path.relative_to(data_raw).as_posix(),
            "_line": facts["_line"],
        }
    )
    return resolve_or_unmatched(out, "llmstats", path, data_raw)

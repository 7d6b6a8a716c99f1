"""SORRY-Bench: fulfilment rate per unsafe-request category (lower is safer), two versions.

Facts only (the site repository has no licence): the collector extracts model, category and
fulfilment rate from the 2024-06 heatmap (45 categories, ``heatmap/assets/sorry_bench.html``)
and the 2025-03 heatmap (44 categories, ``sorry_bench_files/heatmap.js``). Each category has 10
prompts, so a model's overall fulfilment rate (mean over categories) rests on 10 x categories
items. The two versions differ in category set and judge; they are never pooled.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from ...core.errors import InputError
from ...core.paths import DATA_RAW
from .common import manifest_row, resolve_or_unmatched

SOURCE = "SORRY-Bench"
PROMPTS_PER_CATEGORY = 10
V2024 = "2024-06 (45 categories)"
V2025 = "2025-03 (44 categories)"
# from the site's git history: the 2024-06 heatmap's results update (fd1a2e7, 2024-06-30; models
# were added to it until ef51b3a, 2024-07-24) and the 2025-03 sync (97718d7, 2025-03-01)
VERSION_RELEASED = {V2024: "2024-06-30", V2025: "2025-03-01"}
JS_PATH = "sorry_bench_files/heatmap.js"  # in the site repository (errors name it)
HTML_PATH = "heatmap/assets/sorry_bench.html"
FACT_COLUMNS = ["version", "model_name", "category", "fulfilment_rate"]
_JS_ROW = re.compile(r'model:\s*"([^"]+)",\s*scores:\s*\[([^\]]*)\]')
_JS_CATS = re.compile(r"^const all_categories = \[(.*?)\];", re.S | re.M)


def parse_js(text: str, path: str = JS_PATH) -> pd.DataFrame:
    """Rows of the 2025-03 ``heatmap.js`` (commented-out categories skipped); ``path`` names
    the file in errors."""
    block = _JS_CATS.search(text)
    if block is None:
        raise InputError(path, None, "no all_categories list")
    cats = [
        m.group(1)
        for line in block.group(1).splitlines()
        if not line.strip().startswith("//")
        for m in [re.search(r'"([^"]+)"', line)]
        if m
    ]
    rows = []
    for row in _JS_ROW.finditer(text):
        model, scores = row.groups()
        values = [float(v) for v in scores.split(",") if v.strip()]
        if len(values) != len(cats):
            line = text.count("\n", 0, row.start()) + 1
            what = f"{model}: {len(values)} scores for {len(cats)} categories"
            raise InputError(path, line, what, model)
        rows += [(V2025, model, c.split(": ", 1)[-1], v) for c, v in zip(cats, values, strict=True)]
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def parse_html(text: str, path: str = HTML_PATH) -> pd.DataFrame:
    """Rows of the 2024-06 plotly heatmap: the first trace with x (categories), y (models), z;
    ``path`` names the file in errors."""
    m = re.search(r'"x":(\[[^\]]*\]),"y":(\[[^\]]*\]),"z":(\[\[.*?\]\])', text, re.S)
    if m is None:
        raise InputError(path, None, "no heatmap trace")
    cats, models, z = (json.loads(g) for g in m.groups())
    rows = [
        (V2024, model, re.sub(r"^#\d+: ", "", c), float(v))
        for model, zs in zip(models, z, strict=True)
        for c, v in zip(cats, zs, strict=True)
    ]
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def import_sorry_bench(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Tidy rows: each model's mean fulfilment rate over the categories of its version."""
    facts = pd.read_csv(path)
    missing = [c for c in FACT_COLUMNS if c not in facts.columns]
    if missing:
        raise InputError(path, 1, f"missing columns {missing}", list(facts.columns))
    facts["_line"] = facts.index + 2
    g = facts.groupby(["version", "model_name"], sort=False).agg(
        score=("fulfilment_rate", "mean"),
        categories=("category", "nunique"),
        _line=("_line", "first"),
    )
    g = g.reset_index()
    m = manifest_row(path, data_raw)
    out = pd.DataFrame(
        {
            "source": SOURCE,
            "version": g["version"],
            "released": g["version"].map(VERSION_RELEASED),
            "model_name": g["model_name"],
            "benchmark": SOURCE,
            "metric": "fulfilment rate of unsafe requests",
            "score": g["score"],
            "scale_min": 0.0,
            "scale_max": 1.0,
            "higher_is_safer": False,
            "n_items": g["categories"] * PROMPTS_PER_CATEGORY,
            "retrieved_at": m["retrieved_at"],
            "url": m["url"],
            "_file": path.relative_to(data_raw).as_posix(),
            "_line": g["_line"],
        }
    )
    return resolve_or_unmatched(out, "sorry_bench", path, data_raw)

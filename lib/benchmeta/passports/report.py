"""Notebook 07's passport section in a few calls: read what 01-06 published, build the
passports, answer the three questions, export JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from ..core import atomic, schemas
from ..core.paths import DATA_PROCESSED, DATA_RAW
from ..core.tables import read_table
from ..leaderboards.sources import llmstats
from . import build, health, life, registry, screening, verdicts

UPSTREAM = [
    "papers_included", "screening_final", "repository_maintenance", "code_quality", "readiness",
    "installability_outcomes", "undeclared_imports", "influence_metrics",
]  # fmt: skip
SCANS = "benchmarks/scans"
# figure columns: label -> passport column (tri-state after ``grid_cells``)
GRID = {
    "included in 01": "screening_status", "code scanned": "repo_scanned",
    "maintained": "verdict_maintained", "installable": "verdict_installable",
    "licence": "licence", "ethics statement": "ethics_statement", "used": "verdict_used",
    "discriminating": "verdict_discriminating",
    "capability-independent": "verdict_capability_independent",
}  # fmt: skip


# the columns shown in the notebook's passport table
VIEW = [
    "name", "screening_status", "repo_scanned", "last_commit", "resolves_today", "pylint_score",
    "licence", "citations", "adoption_edges", "lb_sources", "lb_models", "near_0.05",
    "told_apart", "capability_rho", "exposure_years", "verdict_maintained", "verdict_installable",
    "verdict_used", "verdict_discriminating", "verdict_capability_independent", "completeness",
]  # fmt: skip


def columns() -> list[str]:
    """The published columns of the passport table."""
    return schemas.columns("benchmark_passports")


def question_table(use: pd.DataFrame, board_code: pd.DataFrame) -> pd.DataFrame:
    """Questions 1 and 3 in one table with its declared columns."""
    both = pd.concat([use, board_code], ignore_index=True)
    return both.reindex(columns=schemas.columns("passport_questions"))


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """Question 2's per-benchmark events with their declared columns and types."""
    out = events.reindex(columns=schemas.columns("saturation_events"))
    out["saturated"] = out["saturated"].astype("boolean")
    return out


def upstream(folder: Path = DATA_PROCESSED) -> dict[str, pd.DataFrame]:
    """The tables of 01-06 the passports join."""
    return {name: read_table(name, folder) for name in UPSTREAM}


def repo_health(up: dict[str, pd.DataFrame], data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Health of every repository: 02-04's corpus first, then 07's benchmark scan if present."""
    frames = [health.from_processed(up)]
    if (data_raw / SCANS).is_dir():
        from . import extra_repos

        frames.append(extra_repos.health(data_raw))
    return build.combine_health(*frames)


def assemble(
    up: dict[str, pd.DataFrame],
    scores: pd.DataFrame,
    dated: pd.DataFrame,
    tables07: dict[str, pd.DataFrame],
    thresholds: verdicts.Thresholds,
    claimed: frozenset[str] = frozenset({llmstats.SELF_REPORTED}),
    data_raw: Path = DATA_RAW,
) -> dict[str, pd.DataFrame]:
    """Passports (with verdicts), the per-regime life table and the registry entries.
    ``tables07``: 07's ``curve``, ``separable``, ``adjusted`` and ``publications``; ``claimed``:
    sources of vendor self-reports (never a benchmark's main regime when another exists)."""
    loaded = registry.load(data_raw)
    inc = up["papers_included"]
    ent = registry.entries(loaded, inc, scores)
    names = registry.board_names(loaded, ent)
    hand = pd.concat(
        [pd.read_csv(f, dtype=str, keep_default_na=False)
         for f in sorted((data_raw / "screening" / "hand").glob("*.csv"))],
        ignore_index=True,
    )  # fmt: skip
    design = pd.read_csv(data_raw / "screening" / "audit_design.csv", dtype=str)
    scr = screening.status(ent["paper_id"], inc, up["screening_final"], design, hand)
    per_regime = life.regimes(names, dated, tables07["curve"], tables07["separable"],
                              tables07["adjusted"])  # fmt: skip
    models = life.distinct_models(names, dated)
    summary = life.summary(per_regime, tables07["publications"], models, claimed)
    reference = pd.Timestamp(scores["retrieved_at"].max())
    p = build.passports(ent, scr, repo_health(up, data_raw), up["influence_metrics"], inc,
                        summary, loaded["datasets"], reference)  # fmt: skip
    p = pd.concat([p, verdicts.verdicts(p, thresholds)], axis=1)
    return {"passports": p, "life": per_regime, "names": names, "datasets": loaded["datasets"],
            "reference": reference}  # fmt: skip


def grid_cells(p: pd.DataFrame) -> pd.DataFrame:
    """The figure's cells: every ``GRID`` column as yes / no / unknown."""
    out = pd.DataFrame(index=p.index)
    for label, col in GRID.items():
        v = p[col].astype(str)
        if col == "screening_status":
            v = np.where(v.str.startswith("included"), "yes",
                         np.where(v == "no paper", "unknown", "no"))  # fmt: skip
        elif col == "licence":
            v = np.where(v.isin(["no", "unknown"]), v, "yes")
        out[label] = v
    return out


def grid_order(p: pd.DataFrame) -> pd.DataFrame:
    """Leaderboard benchmarks first (most models first), then the rest by completeness."""
    on = p["lb_sources"] > 0
    block = np.where(on, "on a leaderboard", "not on a leaderboard")
    return p.assign(_block=block, _on=~on).sort_values(
        ["_on", "lb_models", "completeness", "name"], ascending=[True, False, False, True]
    )


def extremes(p: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    """The ``k`` most and least complete passports, with the core fields they lack."""
    known = build.known_mask(p)
    missing = known.apply(lambda r: ", ".join(c for c in known.columns if not r[c]), axis=1)
    t = p.assign(missing=missing).sort_values(["completeness", "name"], ascending=[False, True])
    view = ["name", "completeness", "missing"]
    return pd.concat(
        [t.head(k)[view].assign(end="most complete"), t.tail(k)[view].assign(end="least complete")]
    )


def _metric(name: str, desc: str, score: float, lower_is_better: bool, lo: float, hi: float,
            n: float = np.nan, ci: tuple[float, float] | None = None) -> dict:  # fmt: skip
    """One result in the Every Eval Ever ``evaluation_results`` shape (field names only)."""
    out = {"evaluation_name": name,
           "metric_config": {"evaluation_description": desc, "lower_is_better": lower_is_better,
                             "score_type": "continuous", "min_score": lo, "max_score": hi},
           "score_details": {"score": float(score)}}  # fmt: skip
    if ci is not None and np.isfinite(ci[0]):
        out["score_details"]["uncertainty"] = {
            "confidence_interval": {"lower": float(ci[0]), "upper": float(ci[1]),
                                    "confidence_level": 0.95, "method": "Wilson"},
            "num_samples": int(n)}  # fmt: skip
    return out


def _results(r: pd.Series) -> list[dict]:
    res = []
    for m in life.MARGINS:
        s = r[f"near_{m:.2f}"]
        if pd.notna(s):
            n = r["lb_models_main"]
            ci = stats.wilson(round(s * n), n)
            res.append(
                _metric(
                    f"share of models within {m} of the ceiling",
                    f"main regime {r['lb_main_regime']} (07)",
                    s,
                    True,
                    0,
                    1,
                    n,
                    ci,
                )
            )
    for col, desc, lo, hi in [
        ("pylint_score", "pylint score of its own code (03)", 0, 10),
        ("mi_mean", "radon maintainability index, mean (03)", 0, 100),
    ]:
        if pd.notna(r[col]):
            res.append(_metric(col, desc, r[col], False, lo, hi))
    return res


def to_json(p: pd.DataFrame, datasets: pd.DataFrame) -> str:
    """The passports as JSON: passport fields as they are, dataset ids as ``source_data``
    entries and the numeric measures as ``evaluation_results`` with Every Eval Ever field names
    (``lower_is_better``, ``min_score``/``max_score``, ``uncertainty.confidence_interval``)."""
    by_id = datasets.groupby("benchmark_id")
    records = []
    for _, r in p.iterrows():
        fields = {k: (None if pd.isna(v) else v.strftime("%Y-%m-%d")
                      if isinstance(v, pd.Timestamp) else v.item() if hasattr(v, "item") else v)
                  for k, v in r.items() if not str(k).startswith("_")}  # fmt: skip
        data = by_id.get_group(r["benchmark_id"]) if r["benchmark_id"] in by_id.groups else None
        fields["source_data"] = [] if data is None else [
            {"source_type": "hf_dataset", "hf_repo": d} for d in data["dataset_id"]]  # fmt: skip
        fields["evaluation_results"] = _results(r)
        records.append(fields)
    doc = {
        "schema_note": "passport fields plus Every Eval Ever (eval.schema.json 0.2.1) field "
        "names for results; not a validated Every Eval Ever record",
        "benchmarks": records,
    }
    return json.dumps(doc, indent=1, sort_keys=False, ensure_ascii=False) + "\n"


def write_json(p: pd.DataFrame, datasets: pd.DataFrame, folder: Path = DATA_PROCESSED) -> Path:
    """``data_processed/benchmark_passports.json`` (atomic)."""
    return atomic.write_text(folder / "benchmark_passports.json", to_json(p, datasets))


def answers(p: pd.DataFrame, q1: pd.DataFrame, events: pd.DataFrame, km: dict,
            q3: pd.DataFrame) -> str:  # fmt: skip
    """The three answers in sentences, with n and intervals, computed from the tables."""

    def pct(r: pd.Series) -> str:
        if not r["n"]:
            return "n = 0"
        return f"{r['k']}/{r['n']} ({r['share']:.0%} [{r['low']:.0%}, {r['high']:.0%}])"

    parts = []
    for dim in ["maintained", "installable"]:
        y = q1[q1["group"] == f"{dim}: yes"].iloc[0]
        n = q1[q1["group"] == f"{dim}: no"].iloc[0]
        parts.append(f"{dim} {pct(y)} vs not {pct(n)} on a leaderboard (Fisher p "
                     f"{y['fisher_p']:.2g}); adoption edges median {y['adoption_median']:.3g} vs "
                     f"{n['adoption_median']:.3g}, Cliff's delta {y['adoption_cliffs_delta']:+.2f} "
                     f"[{y['adoption_delta_low']:+.2f}, {y['adoption_delta_high']:+.2f}], "
                     f"p {y['adoption_mw_p']:.2g}")  # fmt: skip
    s1 = ("**Does healthy code get more use?** Among included benchmark papers whose code 02-04 "
          "scanned (the leaderboard benchmarks scanned for the passports are left out: they were "
          "chosen for being on a leaderboard): "
          + "; ".join(parts) + ".")  # fmt: skip
    if km.get("note", "").startswith("not run"):
        s2 = f"**Time to saturation:** {km['note']}."
    else:
        med = (
            "not reached"
            if not np.isfinite(km["median_years"])
            else f"{km['median_years']:.1f} years [{km['median_low']:.1f}, {km['median_high']:.1f}]"
        )
        s2 = (
            f"**How long until a benchmark saturates?** Of {km['n']} leaderboard benchmarks "
            f"with a release date, {km['saturated']} reached saturation on their main regime "
            f"({km['censored']} censored); Kaplan-Meier median time from public release: {med}."
        )
    scanned = q3.iloc[0]
    rest = {r.question: r for r in q3.iloc[1:].itertuples()}
    either = rest.get("not maintained or not installable")
    unmaint, noinst = rest.get("not maintained"), rest.get("not installable")
    nodeps = rest.get("of which declare no dependencies")
    s3 = (f"**Leaderboard benchmarks with unhealthy code:** {scanned['k']} of {scanned['n']} "
          f"leaderboard benchmarks have scanned code; of those with a verdict, "
          f"{either.k}/{either.n} are not maintained or not installable"
          + (f" ({either.share:.0%} [{either.low:.0%}, {either.high:.0%}])" if either.n else "")
          + f": {unmaint.k}/{unmaint.n} not maintained, {noinst.k}/{noinst.n} not installable "
          f"({nodeps.k} of them because they declare no dependencies at all); the others are "
          "unknown, not healthy.")  # fmt: skip
    return "\n\n".join([s1, s2, s3])

"""Schemas of the data_processed tables written by 07's passport section (declared once;
``core.schemas``). Each description names the notebook the value comes from."""

from ..core.schemas import declare
from .life import LIFE_COLUMNS, MARGINS

_NEAR = {
    **{f"near_{m:.2f}": ("number", f"share of the main regime's dated models within {m} of the "
                         "ceiling (07)") for m in MARGINS},
    **{f"near_{m:.2f}_latest_year": ("number", "the same among the latest year's models (07)")
       for m in MARGINS},
}  # fmt: skip

declare(
    "benchmark_passports",
    {
        "benchmark_id": ("string", "registry id (data_raw/benchmarks/registry.csv)"),
        "name": "string",
        "paper_id": ("string", "arXiv id or DOI ('' without a paper)"),
        "study_window": ("string", "paper before / in / after the study window, or none"),
        "registry_status": ("string", "in the registry, or flagged as missing a registry row"),
        "repo": ("string", "owner/name on GitHub (registry, else 01)"),
        "screening_status": ("string", "01: included benchmark / non-benchmark / excluded at"),
        "label_basis": ("string", "01: how the benchmark label was reached"),
        "audit": ("string", "01: blind audit sample and the reviewers' labels"),
        "health_source": ("string", "02-04 (corpus) or benchmark scan (07)"),
        "repo_scanned": ("string", "yes / no (02-04 or 07 scan)"),
        "scan_note": ("string", "why a repository was not scanned"),
        "commit_sha": ("string", "the commit measured"),
        "last_commit": ("date", "02: last commit on the default branch"),
        "reference_date": ("date", "02: the scan's reference date"),
        "stale": ("string", "02: no commit in the year before the reference date"),
        "commits_after_published": ("number", "02: commits after the paper's first version"),
        "declares_dependencies": ("string", "04: declares dependencies (yes / no / unknown)"),
        "resolves_at_commit": ("string", "04: resolves against the index as of the last commit"),
        "resolves_today": ("string", "04: resolves against today's index"),
        "undeclared_imports": ("number", "04: third-party imports that would raise"),
        "pylint_score": ("number", "03: pylint score 0-10 (own code)"),
        "mi_mean": ("number", "03: radon maintainability index, mean over files"),
        "licence": ("string", "04: SPDX id, no, or unknown"),
        "ethics_statement": ("string", "04: ethics statement in the README (regex)"),
        "citations": ("number", "05: citations (Google Scholar where checked, else S2)"),
        "citations_source": "string",
        "adoption_edges": ("number", "06: clean adoption edges (other repositories using it)"),
        "lb_sources": ("integer", "07: leaderboard sources it appears on"),
        "lb_regimes": ("number", "07: source versions it appears in"),
        "lb_models": ("number", "07: distinct dated models scored on it"),
        "lb_models_main": ("number", "07: dated models on its main regime"),
        "lb_first_model_release": ("date", "07: oldest scored model's release date"),
        "lb_last_model_release": ("date", "07: newest scored model's release date"),
        "lb_last_published": ("date", "07: last publication of its sources"),
        "lb_main_regime": ("string", "07: the regime with the most dated models"),
        **_NEAR,
        "n_latest_year": ("number", "07: latest-year models on the main regime"),
        "told_apart": ("string", "07: best vs top-k model Wilson bounds disjoint (approximate)"),
        "capability_rho": (
            "number",
            "07: Spearman rho of safety with the Epoch Capabilities Index",
        ),
        "capability_p": "number",
        "data_released": (
            "string",
            "when its items became public (registry, else 01's paper date)",
        ),
        "exposure_basis": "string",
        "exposure_years": ("number", "years from data_released to the leaderboard retrieval date"),
        "n_datasets": ("integer", "public dataset ids in the registry"),
        "completeness": ("number", "share of the passport's core fields that are known"),
        "verdict_maintained": ("string", "rule in 07 (thresholds in its parameters)"),
        "verdict_installable": "string",
        "verdict_used": "string",
        "verdict_discriminating": "string",
        "verdict_capability_independent": "string",
    },
)

_LIFE_TYPES = {"benchmark_id": "string", "source": "string", "version": "string",
               "benchmark": "string", "metric": "string", "n_models": "integer",
               "first_model_release": "date", "last_model_release": "date",
               "told_apart": "string", "told_apart_basis": "string"}  # fmt: skip
declare("benchmark_leaderboard_life", {c: _LIFE_TYPES.get(c, "number") for c in LIFE_COLUMNS})

declare(
    "passport_questions",
    {
        "question": "string", "group": "string", "k": "integer", "n": "integer",
        "share": "number", "low": "number", "high": "number", "fisher_p": "number",
        "adoption_median": "number", "adoption_n": "number", "adoption_mw_p": "number",
        "adoption_cliffs_delta": "number", "adoption_delta_low": "number",
        "adoption_delta_high": "number", "unknown": "number",
    },
)  # fmt: skip

declare(
    "saturation_events",
    {"benchmark_id": "string", "regime": "string", "models": "number", "saturated": "boolean",
     "years": ("number", "years from data release to saturation or to the newest model"),
     "note": "string"},
)  # fmt: skip

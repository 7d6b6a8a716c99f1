"""Schemas of the data_processed tables written by this package's notebooks (declared once;
``core.schemas``)."""

from ..core.schemas import declare

# 07_safety_trends: HELM Safety v1.5.0 (seed copy) vs v1.17.0
declare(
    "helm_version_crosscheck",
    {
        "model_id": "string",
        "benchmark": "string",
        "score_v1.5.0": "number",
        "score_v1.17.0": "number",
        "abs_diff": "number",
    },
)

# 07_safety_trends: Tidy leaderboard table, all sources and versions, with normalised safety
declare(
    "leaderboard_scores",
    {
        "source": "string",
        "version": "string",
        "model_id": "string",
        "model_name": "string",
        "provider": "string",
        "benchmark": "string",
        "metric": "string",
        "score": "number",
        "scale_min": "number",
        "scale_max": "number",
        "higher_is_safer": "boolean",
        "n_items": "integer",
        "retrieved_at": "string",
        "url": "string",
        "released": "date",
        "safety": "number",
        "release_date": "date",
        "variant": "string",
    },
)

# 07_safety_trends: Leaderboard models: provider, variant, release date and its source
declare(
    "models",
    {
        "model_id": "string",
        "display_name": "string",
        "provider": "string",
        "variant": "string",
        "base_model_id": "string",
        "release_date": "date",
        "date_source": "string",
        "epoch_date": "date",
        "helm_date": "date",
        "seed_date": "date",
        "max_disagreement_days": "integer",
        "dates_disagree": "boolean",
        "corrected": "boolean",
        "speechmap_date": "date",
        "llmstats_date": "date",
        "epoch_eci_date": "date",
        "id_date": "date",
    },
)

# 07_safety_trends: Spearman rho between Safetywashing safety scores and capability covariates
declare(
    "safety_capability_correlations",
    {
        "source": "string",
        "benchmark": "string",
        "metric": "string",
        "covariate": "string",
        "n": "integer",
        "rho": "number",
        "p": "number",
        "low": "number",
        "high": "number",
        "note": "string",
        "p_holm": "number",
        "tracks_capability": "boolean",
        "safety metric": "string",
        "capability": "string",
    },
)

# 07_safety_trends: Theil-Sen / Mann-Kendall trend of logit safety per benchmark
declare(
    "safety_trends",
    {
        "source": "string",
        "benchmark": "string",
        "metric": "string",
        "n": "integer",
        "slope_logit_per_year": "number",
        "slope_low": "number",
        "slope_high": "number",
        "tau": "number",
        "p": "number",
        "first": "string",
        "last": "string",
        "note": "string",
        "providers": "integer",
        "p_holm": "number",
        "direction": "string",
    },
)

# 07_safety_trends: Trend per benchmark and provider
declare(
    "safety_trends_by_provider",
    {
        "source": "string",
        "benchmark": "string",
        "metric": "string",
        "provider": "string",
        "n": "integer",
        "slope_logit_per_year": "number",
        "slope_low": "number",
        "slope_high": "number",
        "tau": "number",
        "p": "number",
        "first": "string",
        "last": "string",
        "note": "string",
        "providers": "integer",
        "p_holm": "number",
        "direction": "string",
    },
)

# 07_safety_trends: Saturation and top-model separability per benchmark
declare(
    "saturation",
    {
        "source": "string",
        "benchmark": "string",
        "metric": "string",
        "n_models": "integer",
        "median_safety": "number",
        "share_near_ceiling": "number",
        "share_low": "number",
        "share_high": "number",
        "top5_spread": "number",
        "best_model": "string",
        "best_vs_second_told_apart": "string",
        "top5_told_apart": "string",
        "saturated": "boolean",
        "discriminates": "string",
    },
)

# 07_safety_trends: per regime and benchmark: pooled, provider-clustered, mixed-model,
# stratified and leave-one-provider-out trend tests
declare(
    "safety_trends_robust",
    {
        "source": "string",
        "version": "string",
        "benchmark": "string",
        "metric": "string",
        "n": "integer",
        "providers": "integer",
        "first": "string",
        "last": "string",
        "slope_logit_per_year": "number",
        "slope_low": "number",
        "slope_high": "number",
        "tau": "number",
        "p": "number",
        "p_holm": "number",
        "cluster_slope": "number",
        "cluster_p": "number",
        "mixed_slope": "number",
        "mixed_p": "number",
        "mixed_note": "string",
        "stratified_mk_p": "number",
        "within_provider_pairs": "number",
        "lopo_max_p": "number",
        "depends_on": "string",
        "share_tied_at_max": "number",
        "share_zero_slopes": "number",
        "ci_starts_at_zero": "boolean",
        "verdict": "string",
        "note": "string",
    },
)

# 07_safety_trends: share of models within each margin of the ceiling, Wilson CI,
# all dated and latest-year models
declare(
    "saturation_curve",
    {
        "source": "string",
        "version": "string",
        "benchmark": "string",
        "metric": "string",
        "margin": "number",
        "n_models": "integer",
        "near": "integer",
        "share": "number",
        "low": "number",
        "high": "number",
        "subset": "string",
    },
)

# 07_safety_trends: How far re-scored models moved between consecutive versions
declare(
    "version_rescoring",
    {
        "source": "string",
        "old": "string",
        "new": "string",
        "n_models": "integer",
        "median_change": "number",
        "max_abs_change": "number",
        "share_changed": "number",
        "largest_mover": "string",
    },
)

# 07_safety_trends: HELM Safety v1.5.0 (seed tracker) vs v1.17.0, robust trend tests
declare(
    "tracker_vs_extension",
    {
        "benchmark": "string",
        "n (tracker v1.5.0)": "integer",
        "providers (tracker v1.5.0)": "integer",
        "slope_logit_per_year (tracker v1.5.0)": "number",
        "p (tracker v1.5.0)": "number",
        "cluster_p (tracker v1.5.0)": "number",
        "verdict (tracker v1.5.0)": "string",
        "n (extension v1.17.0)": "integer",
        "providers (extension v1.17.0)": "integer",
        "slope_logit_per_year (extension v1.17.0)": "number",
        "p (extension v1.17.0)": "number",
        "cluster_p (extension v1.17.0)": "number",
        "verdict (extension v1.17.0)": "string",
    },
)

# 07_safety_trends: Best vs k-th model, Wilson bounds from item counts (approximate)
declare(
    "top_model_separability",
    {
        "source": "string",
        "version": "string",
        "benchmark": "string",
        "metric": "string",
        "top_models": "integer",
        "basis": "string",
        "n_items": "integer",
        "best": "string",
        "kth": "string",
        "bound_margin": "number",
        "told_apart": "string",
        "fragile": "boolean",
    },
)

# 07_safety_trends: Safety vs Epoch Capabilities Index and the trend after adjusting for it
declare(
    "capability_adjusted_trends",
    {
        "source": "string",
        "version": "string",
        "benchmark": "string",
        "metric": "string",
        "n_with_eci": "integer",
        "rho": "number",
        "rho_low": "number",
        "rho_high": "number",
        "rho_p": "number",
        "slope_per_year": "number",
        "p_year": "number",
        "slope_per_year_adjusted": "number",
        "p_year_adjusted": "number",
        "slope_per_eci_point": "number",
        "p_eci": "number",
        "note": "string",
    },
)

# 07_safety_trends: Pooled trend under each release-date convention
declare(
    "date_convention_sensitivity",
    {
        "source": "string",
        "version": "string",
        "benchmark": "string",
        "metric": "string",
        "convention": "string",
        "n": "integer",
        "slope_logit_per_year": "number",
        "p": "number",
        "note": "string",
    },
)

# 07_safety_trends: Vendor self-reported vs independent scores on the same benchmark
declare(
    "claims_vs_measured",
    {
        "benchmark": "string",
        "source_measured": "string",
        "metric_measured": "string",
        "metric_claimed": "string",
        "models_claimed": "integer",
        "models_measured": "integer",
        "n_models": "integer",
        "median_gap": "number",
        "min_gap": "number",
        "max_gap": "number",
        "models": "string",
        "note": "string",
    },
)

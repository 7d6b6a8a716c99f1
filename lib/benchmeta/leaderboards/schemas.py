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

"""Schemas of the data_processed tables written by this package's notebooks (declared once;
``core.schemas``)."""

from ..core.schemas import GROUP_TEST, declare

# 02_repository_mining: Included papers with a repository, fetched and scanned, by group and topic
declare(
    "repository_coverage",
    {
        "level": "string",
        "topic": "string",
        "group": "string",
        "papers": "integer",
        "with_repo": "integer",
        "share_with_repo": "number",
        "share_low": "number",
        "share_high": "number",
        "repositories": "integer",
        "papers_repo_fetched": "integer",
        "papers_repo_scanned": "integer",
        "reference_with_repo": "string",
        "reference_share": "number",
    },
)

# 02_repository_mining: Share of stale repositories by group (Wilson CI)
declare(
    "stale_share",
    {
        "group": "string",
        "n": "integer",
        "count": "integer",
        "share": "number",
        "low": "number",
        "high": "number",
    },
)

# 02_repository_mining: Kaplan-Meier estimate of time from first commit until stale, by group
declare(
    "survival_curves",
    {
        "group": "string",
        "days": "number",
        "survival": "number",
        "low": "number",
        "high": "number",
        "at_risk": "integer",
    },
)

# 02_repository_mining: Kaplan-Meier summary: n, went stale, censored, median with CI
declare(
    "survival_summary",
    {
        "group": "string",
        "n": "integer",
        "went_stale": "integer",
        "censored": "integer",
        "median_days": "number",
        "median_low": "number",
        "median_high": "number",
        "note": "string",
    },
)

# 03_code_quality: Code-quality measures of each scanned repository (own code; vendored code exclude
declare(
    "code_quality",
    {
        "repo": "string",
        "group": "string",
        "topic": "string",
        "paper_ids": "string",
        "commit_sha": "string",
        "scanned_at": "string",
        "pylint_version": "string",
        "radon_version": "string",
        "python_version": "string",
        "py_files": "number",
        "py_files_own": "number",
        "files_measured": "number",
        "loc_all": "number",
        "loc": "number",
        "loc_vendored": "number",
        "vendored_share": "number",
        "vendored_dirs": "string",
        "sloc": "number",
        "comments": "number",
        "pylint_score": "number",
        "cc_mean": "number",
        "cc_share_c_or_worse": "number",
        "mi_mean": "number",
        "mi_median": "number",
        "comments_per_sloc": "number",
        "pylint_messages_per_kloc": "number",
        "cc_max": "number",
        "halstead_volume": "number",
        "pylint_statements": "number",
        "pylint_fatal": "number",
        "pylint_error": "number",
        "pylint_warning": "number",
        "pylint_refactor": "number",
        "pylint_convention": "number",
        "pylint_fatal_per_kloc": "number",
        "pylint_error_per_kloc": "number",
        "pylint_warning_per_kloc": "number",
        "pylint_refactor_per_kloc": "number",
        "pylint_convention_per_kloc": "number",
        "notebooks": "number",
        "notebook_code_cells": "number",
        "nb_loc": "number",
        "nb_cc_mean": "number",
        "nb_mi_mean": "number",
    },
)

# 03_code_quality: Lines of Python before and after excluding vendored code
declare(
    "vendored_code",
    {
        "group": "string",
        "repositories": "integer",
        "with_vendored_code": "integer",
        "lines_before": "integer",
        "lines_after": "integer",
        "lines_excluded": "integer",
        "share_excluded": "number",
    },
)

# 04_repository_readiness: Agreement of two raters per hands-on item, or 'no ratings yet'
declare(
    "readiness_rating_agreement",
    {
        "item": "string",
        "raters": "integer",
        "n": "integer",
        "categories": "number",
        "percent": "number",
        "kappa": "number",
        "kappa_low": "number",
        "kappa_high": "number",
        "ac1": "number",
        "note": "string",
    },
)

# 04_repository_readiness: Blank hands-on rating sheet (two raters, blind to group)
declare(
    "readiness_rating_template",
    {
        "repo": "string",
        "rater": "string",
        "runnable": "string",
        "ready_to_use": "string",
        "install_guide_flawless": "string",
        "notes": "string",
    },
)

# 04_repository_readiness: Share meeting each readiness item by group (Wilson CI; unknown apart)
declare(
    "readiness_shares",
    {
        "item": "string",
        "label": "string",
        "group": "string",
        "n": "integer",
        "yes": "integer",
        "no": "integer",
        "unknown": "integer",
        "share_yes": "number",
        "low": "number",
        "high": "number",
        "share_unknown": "number",
    },
)

# 04_repository_readiness: Static items that approximate the reference study's hands-on items
declare(
    "readiness_vs_reference",
    {
        "our_item": "string",
        "reference_item": "string",
        "how": "string",
        "caveat": "string",
        "reference_label": "string",
        "reference_share": "number",
        "share_yes_all": "number",
        "share_yes_benchmark": "number",
        "share_yes_non_benchmark": "number",
        "low_all": "number",
        "low_benchmark": "number",
        "low_non_benchmark": "number",
        "high_all": "number",
        "high_benchmark": "number",
        "high_non_benchmark": "number",
        "n_all": "number",
        "n_benchmark": "number",
        "n_non_benchmark": "number",
        "unknown_all": "number",
        "unknown_benchmark": "number",
        "unknown_non_benchmark": "number",
    },
)

# 02_repository_mining: Benchmark vs non-benchmark per maintenance metric (Holm), beside the referen
declare(
    "maintenance_group_tests",
    {
        **GROUP_TEST,
        "family": "string",
        "reference_metric": "string",
        "reference_p": "number",
        "reference_delta": "number",
        "reference_delta_our_sign": "number",
        "role": "string",
    },
)

# 03_code_quality: Benchmark vs non-benchmark per code-quality metric (Holm across the family)
declare(
    "quality_group_tests",
    {
        **GROUP_TEST,
        "family": "string",
        "reference_metric": "string",
        "reference_p": "number",
        "reference_delta": "number",
        "reference_delta_our_sign": "number",
        "role": "string",
    },
)

# 03_code_quality: Our tests beside the reference study's p-values and Cliff's delta
declare(
    "quality_vs_reference",
    {
        **GROUP_TEST,
        "family": "string",
        "reference_metric": "string",
        "reference_p": "number",
        "reference_delta": "number",
        "reference_delta_our_sign": "number",
        "role": "string",
        "same_direction": "boolean",
    },
)

# 04_repository_readiness: Static readiness items of each scanned repository (yes / no / unknown)
declare(
    "readiness",
    {
        "repo": "string",
        "group": "string",
        "topic": "string",
        "paper_ids": "string",
        "commit_sha": "string",
        "reference_date": "string",
        "ready_readme": "string",
        "ready_install_instructions": "string",
        "ready_install_kind": "string",
        "ready_environment_spec": "string",
        "ready_environment_kinds": "string",
        "ready_n_dependencies": "number",
        "ready_pinned_share": "number",
        "ready_pinned": "string",
        "ready_licence": "string",
        "ready_licence_spdx": "string",
        "ready_ethics_statement": "string",
        "ready_data_availability": "string",
        "ready_entry_points": "string",
        "ready_pwc_dependencies": "string",
        "ready_pwc_training_code": "string",
        "ready_pwc_evaluation_code": "string",
        "ready_pwc_pretrained_models": "string",
        "ready_pwc_results": "string",
        "ready_pwc_items_yes": "number",
        "ready_pwc_items_unknown": "number",
        "ready_ethics_statement_yes": "number",
        "static_ready_to_use": "string",
        "static_install_guide": "string",
    },
)

# 02_repository_mining: Each included paper's repository: fetch status and git-history maintenance m
declare(
    "repository_maintenance",
    {
        "repo": "string",
        "group": "string",
        "topic": "string",
        "paper_ids": "string",
        "n_papers": "integer",
        "mixed_groups": "boolean",
        "first_version_date": "string",
        "fetch_status": "string",
        "fetch_reason": "string",
        "scanned": "boolean",
        "commit_sha": "string",
        "reference_date": "string",
        "n_commits": "number",
        "n_authors": "number",
        "n_bot_commits": "number",
        "first_commit": "string",
        "last_commit": "string",
        "active_days": "number",
        "age_years": "number",
        "commits_per_week_all": "number",
        "commits_per_week": "number",
        "commits_per_week_to_reference": "number",
        "release_dump": "boolean",
        "days_since_last_commit": "number",
        "stale": "boolean",
        "commits_after_published": "number",
        "active_after_published": "string",
        "days_active_after_published": "number",
        "went_stale": "boolean",
        "days_to_stale_or_censor": "number",
        "reply_time_hours": "number",
    },
)

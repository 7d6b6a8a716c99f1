"""Schemas of the robustness tables of notebooks 02-04 (adjusted models, specification curves,
readiness by group, the vendored filter's accuracy), declared once (``core.schemas``)."""

from ..core.schemas import GROUP_TEST, SPECIFICATION, declare

# 02_repository_mining: Negative-binomial model of commits: group + log own LOC + age + first topic
declare(
    "maintenance_adjusted",
    {
        "metric": "string",
        "model": "string",
        "covariates": "string",
        "n": "integer",
        "n_benchmark": "integer",
        "coef": "number",
        "low": "number",
        "high": "number",
        "p": "number",
        "effect": "string",
        "note": "string",
    },
)

# 02_repository_mining: Specification curve of the maintenance comparisons (label, vendored rules, d
declare(
    "maintenance_specifications",
    {
        **SPECIFICATION,
    },
)

# 03_code_quality: HC3 linear models of pylint and MI: group + log own LOC + age + first topic
declare(
    "quality_adjusted",
    {
        "metric": "string",
        "model": "string",
        "covariates": "string",
        "n": "integer",
        "n_benchmark": "integer",
        "coef": "number",
        "low": "number",
        "high": "number",
        "p": "number",
        "effect": "string",
        "note": "string",
    },
)

# 03_code_quality: Specification curve of the code-quality comparisons (label, vendored rules, dumps
declare(
    "quality_specifications",
    {
        **SPECIFICATION,
    },
)

# 04_repository_readiness: Logistic models of the compared items: group + log own LOC + age + first
declare(
    "readiness_adjusted",
    {
        "metric": "string",
        "model": "string",
        "covariates": "string",
        "n": "integer",
        "n_benchmark": "integer",
        "coef": "number",
        "low": "number",
        "high": "number",
        "p": "number",
        "effect": "string",
        "note": "string",
    },
)

# 04_repository_readiness: Benchmark vs non-benchmark share meeting each compared item (Holm)
declare(
    "readiness_group_tests",
    {
        **GROUP_TEST,
        "family": "string",
        "reference_metric": "string",
        "reference_p": "number",
        "reference_delta": "number",
        "reference_delta_our_sign": "number",
    },
)

# 04_repository_readiness: Specification curve of the readiness comparisons (label, vendored rules,
declare(
    "readiness_specifications",
    {
        **SPECIFICATION,
    },
)

# 03_code_quality: Precision and weighted recall of each vendored-code rule on the hand-labelled sam
declare(
    "vendored_filter_accuracy",
    {
        "rule": "string",
        "n_sampled_excluded": "integer",
        "n_vendored_by_hand": "integer",
        "precision": "number",
        "precision_lo": "number",
        "precision_hi": "number",
        "recall_weighted": "number",
    },
)

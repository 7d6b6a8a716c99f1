"""Schemas of the installability and detector tables of notebook 04 (written by the
installability cells; declared once, ``core.schemas``)."""

from ..core.schemas import declare

# 04_repository_readiness: Precision and recall of our readiness detectors against the PwC NeurIPS 2
declare(
    "detector_accuracy",
    {
        "item": "string",
        "n": "integer",
        "unknown": "integer",
        "human_yes": "integer",
        "detector_yes": "integer",
        "tp": "integer",
        "fp": "integer",
        "fn": "integer",
        "tn": "integer",
        "precision": "number",
        "precision_low": "number",
        "precision_high": "number",
        "recall": "number",
        "recall_low": "number",
        "recall_high": "number",
        "agreement": "number",
    },
)

# 04_repository_readiness: Installability funnel by group (Wilson CI over scanned repositories)
declare(
    "installability_funnel",
    {
        "group": "string",
        "step": "string",
        "label": "string",
        "repositories": "integer",
        "n": "integer",
        "share": "number",
        "low": "number",
        "high": "number",
        "kept_from_previous": "number",
    },
)

# 04_repository_readiness: Resolution outcome of each repository per index date and Python (uv, whee
declare(
    "installability_outcomes",
    {
        "repo": "string",
        "collection_current": "string",
        "collection_target": "string",
        "commit_current": "string",
        "commit_target": "string",
        "commit_sha": "string",
        "last_commit": "string",
        "collection_date": "string",
        "resolver_version": "string",
        "route": "string",
        "n_requirements": "string",
        "python_declared": "string",
        "target_python": "string",
        "group": "string",
    },
)

# 04_repository_readiness: Why repositories leave the installability funnel, by step and group
declare(
    "installability_reasons",
    {
        "step": "string",
        "group": "string",
        "reason": "string",
        "repositories": "integer",
        "examples": "string",
    },
)

# 04_repository_readiness: Static readiness shares beside the measured accuracy of each detector
declare(
    "readiness_validated",
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
        "pwc_precision": "number",
        "pwc_precision_low": "number",
        "pwc_precision_high": "number",
        "pwc_recall": "number",
        "pwc_recall_low": "number",
        "pwc_recall_high": "number",
        "pwc_n": "number",
        "validated_on": "string",
    },
)

# 04_repository_readiness: Third-party imports of each repository classified against its declared de
declare(
    "undeclared_imports",
    {
        "repo": "string",
        "module": "string",
        "n_files": "integer",
        "first_path": "string",
        "class": "string",
        "provided_by": "string",
        "by_name": "boolean",
    },
)

"""Schemas of the data_processed tables written by this package's notebooks (declared once;
``core.schemas``)."""

from ..core.schemas import declare

# 01_prisma_screening: PRISMA identification numbers per list
declare(
    "identification_counts",
    {
        "list": "string",
        "entries": "integer",
        "parsed": "integer",
        "problems": "integer",
        "dropped": "integer",
        "papers": "integer",
        "with_arxiv_id": "integer",
        "with_github_repo": "integer",
        "duplicates_removed": "integer",
        "unique_after_dedup": "integer",
    },
)

# 01_prisma_screening: Included papers and code links vs the reference study
declare(
    "included_vs_reference",
    {
        "group": "string",
        "papers": "integer",
        "with_github_repo": "integer",
        "share_with_repo": "number",
        "share_low": "number",
        "share_high": "number",
        "reference_papers": "integer",
        "reference_with_code": "integer",
        "reference_share": "number",
    },
)

# 01_prisma_screening: Included papers: topic, benchmark label, GitHub repository, sources, screenin
declare(
    "papers_included",
    {
        "paper_id": ("string", "arXiv id, else DOI, else record id"),
        "title": "string",
        "first_version_date": (
            "string",
            "YYYY-MM (YYYY-MM-DD, or YYYY when only the year is known) of the first public version",
        ),
        "venue": "string",
        "topic": ("string", "PI / JB / HAL, ';'-separated when several"),
        "is_benchmark": ("boolean", "main contribution is an evaluation dataset or framework"),
        "repo": ("string", "GitHub owner/name, empty when none is known"),
        "sources": "string",
        "screening_trail": ("string", "both reviewers' decisions per stage and any adjudication"),
        "record_id": "string",
    },
)

# 01_prisma_screening: PRISMA 2020 counts in the field names of the PRISMA2020 R package template
declare(
    "prisma_counts",
    {
        "data": "string",
        "n": "integer",
        "detail": "string",
    },
)

# 01_prisma_screening: Disagreements and adjudications per stage
declare(
    "screening_adjudication",
    {
        "stage": "string",
        "pool": "integer",
        "disagreements": "integer",
        "adjudicated": "integer",
        "adjudicated_for_curators": "integer",
        "rules_decision_stands": "integer",
        "adjudicated_without_disagreement": "integer",
    },
)

# 01_prisma_screening: Rule-vs-curator concordance per stage and label (not inter-rater reliability)
declare(
    "screening_concordance",
    {
        "stage": "string",
        "label": "string",
        "population": "string",
        "n_no_signal": "integer",
        "categories": "integer",
        "n_rated": "integer",
        "percent": "number",
        "kappa": "number",
        "kappa_low": "number",
        "kappa_high": "number",
        "ac1": "number",
        "note": "string",
        "rules_yes": "integer",
        "curators_yes": "integer",
    },
)

# 01_prisma_screening: error rates of the automated passes against the blind hand audit
declare(
    "screening_audit_rates",
    {
        "label": ("string", "eligible (title-abstract) or benchmark (among eligible records)"),
        "pass": ("string", "rules, curators or final (rules plus hand adjudication)"),
        "measure": ("string", "sensitivity or specificity"),
        "estimate": ("number", "weighted by stratum size / sample size"),
        "low": ("number", "95% Wilson interval on the Kish effective sample size"),
        "high": "number",
        "n": ("integer", "audit records in the denominator"),
        "n_eff": ("number", "Kish effective sample size of the weighted denominator"),
        "no_rating": ("integer", "records the pass gives no rating (curators' no signal)"),
        "subset": ("string", "all, with abstract, without abstract, eligible records"),
    },
)

# 01_prisma_screening: estimated counts in the audit frame (stratum sums, Wilson bounds summed)
declare(
    "screening_audit_missed",
    {
        "what": "string",
        "estimate": "number",
        "low": "number",
        "high": "number",
        "n_sample": "integer",
    },
)

# 01_prisma_screening: agreement between the blind hand reviewers
declare(
    "screening_audit_agreement",
    {
        "stage": "string",
        "reviewers": "string",
        "n": "integer",
        "categories": "integer",
        "percent": "number",
        "kappa": "number",
        "kappa_low": "number",
        "kappa_high": "number",
        "ac1": "number",
        "note": "string",
    },
)

# 01_prisma_screening: precision and recall of deduplicate from hand-checked candidate pairs
declare(
    "dedup_accuracy",
    {
        "measure": "string",
        "estimate": ("number", "pairs weighted by their kind's population / sample size"),
        "low": "number",
        "high": "number",
        "n": "integer",
        "n_eff": "number",
        "merging": ("string", "merged: the exact-key version sampled; merged_now: today's"),
    },
)

# 01_prisma_screening: Screening decisions in long form: rules, curators and hand adjudications
declare(
    "screening_decisions",
    {
        "record_id": "string",
        "stage": "string",
        "reviewer": "string",
        "decision": "string",
        "reason": "string",
    },
)

# 01_prisma_screening: Final decision per record and stage, and its source
declare(
    "screening_final",
    {
        "record_id": "string",
        "stage": "string",
        "decision": "string",
        "reason": "string",
        "source": "string",
        "category": "string",
    },
)

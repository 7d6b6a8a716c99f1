"""PRISMA 2020 counts computed from the screening tables, checked and exported (drawn by
``benchmeta.figures.prisma``).

Field names follow the template CSV of the PRISMA2020 R package (Haddaway et al. 2022,
``inst/extdata/PRISMA.csv``): ``database_results``, ``register_results``, ``website_results``,
``organisation_results``, ``citations_results``, ``duplicates``, ``excluded_automatic``,
``excluded_other``, ``records_screened``, ``records_excluded``, ``dbr_sought_reports``,
``dbr_notretrieved_reports``, ``dbr_assessed``, ``dbr_excluded``, ``new_studies``,
``new_reports``, ``total_studies``, ``total_reports``. The curated lists (and hand-kept
records) are the "databases" arm; there is no full-text stage, so every record included at
title-abstract screening is a report assessed and none is excluded after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

TEMPLATE_FIELDS = [
    "database_results", "register_results", "website_results", "organisation_results",
    "citations_results", "duplicates", "excluded_automatic", "excluded_other",
    "records_screened", "records_excluded", "dbr_sought_reports", "dbr_notretrieved_reports",
    "other_sought_reports", "other_notretrieved_reports", "dbr_assessed", "dbr_excluded",
    "other_assessed", "other_excluded", "new_studies", "new_reports", "total_studies",
    "total_reports",
]


class PrismaError(ValueError):
    """PRISMA numbers that do not add up."""


@dataclass
class Prisma:
    """The flow: identification per source, exclusions with reasons, included by group."""

    per_source: dict[str, int]
    dropped: int
    duplicates: int
    records_screened: int
    excluded_reasons: dict[str, int]
    included_by_group: dict[str, int]
    included_by_topic: dict[str, int]
    counts: dict[str, int] = field(default_factory=dict)

    def check(self) -> None:
        """Raise ``PrismaError`` naming the first sum that does not hold."""
        c = self.counts
        checks = [
            ("sources sum to database_results", sum(self.per_source.values()),
             c["database_results"]),
            ("identified - duplicates - removed = screened",
             c["database_results"] + c["register_results"] - c["duplicates"]
             - c["excluded_automatic"] - c["excluded_other"], c["records_screened"]),
            ("exclusion reasons sum to records_excluded", sum(self.excluded_reasons.values()),
             c["records_excluded"]),
            ("screened - excluded = sought", c["records_screened"] - c["records_excluded"],
             c["dbr_sought_reports"]),
            ("sought - not retrieved = assessed",
             c["dbr_sought_reports"] - c["dbr_notretrieved_reports"], c["dbr_assessed"]),
            ("assessed - excluded = new studies", c["dbr_assessed"] - c["dbr_excluded"],
             c["new_studies"]),
            ("groups sum to new studies", sum(self.included_by_group.values()),
             c["new_studies"]),
            ("topics sum to new studies", sum(self.included_by_topic.values()),
             c["new_studies"]),
        ]
        for name, got, want in checks:
            if got != want:
                raise PrismaError(f"PRISMA counts do not add up: {name} ({got} != {want})")
        if any(v < 0 for v in c.values()):
            raise PrismaError(f"negative PRISMA count in {c}")

    def table(self) -> pd.DataFrame:
        """The template's ``data, n`` rows (``dbr_excluded`` also as ``reason, n; ...``)."""
        rows = [{"data": k, "n": int(self.counts.get(k, 0)), "detail": ""}
                for k in TEMPLATE_FIELDS]
        detail = {
            "database_results": self.per_source,
            "records_excluded": self.excluded_reasons,
            "new_studies": {**self.included_by_group, **self.included_by_topic},
        }
        for r in rows:
            if r["data"] in detail:
                r["detail"] = "; ".join(f"{k}, {v}" for k, v in detail[r["data"]].items())
        return pd.DataFrame(rows)


def compute(identification: pd.DataFrame, final: pd.DataFrame, included: pd.DataFrame) -> Prisma:
    """PRISMA numbers from the identification table (``records.identification_counts``), the
    final title-abstract decisions (one row per unique record) and the included-papers table
    (``is_benchmark``, ``topic``). Checks the arithmetic before returning."""
    ident = identification[identification["list"] != "all"]
    per_source = {str(r.list): int(r.entries) for r in ident.itertuples()}
    dropped = int(ident["dropped"].sum())
    duplicates = int(ident["duplicates_removed"].sum())
    ta = final[final["stage"] == "title-abstract"]
    excluded = ta[ta["decision"] == "exclude"]
    col = "category" if "category" in excluded else "reason"
    reasons = excluded[col].value_counts().sort_values(ascending=False)
    groups = included["is_benchmark"].map({True: "benchmark", False: "non-benchmark"})
    topic = included["topic"].str.split(";").str[0]
    n_incl = int((ta["decision"] == "include").sum())
    counts = dict.fromkeys(TEMPLATE_FIELDS, 0)
    counts.update({
        "database_results": sum(per_source.values()), "duplicates": duplicates,
        "excluded_other": dropped, "records_screened": len(ta),
        "records_excluded": len(excluded), "dbr_sought_reports": n_incl,
        "dbr_assessed": n_incl, "new_studies": len(included), "new_reports": len(included),
        "total_studies": len(included), "total_reports": len(included),
    })
    p = Prisma(per_source, dropped, duplicates, len(ta),
               {str(k): int(v) for k, v in reasons.items()},
               {k: int(v) for k, v in groups.value_counts().sort_index().items()},
               {k: int(v) for k, v in topic.value_counts().sort_index().items()}, counts)
    p.check()
    return p

"""PRISMA 2020 counts computed from the screening tables, checked and exported (drawn by
``benchmeta.figures.prisma``).

Field names follow the template CSV of the PRISMA2020 R package (Haddaway et al. 2022,
``inst/extdata/PRISMA.csv``). What was done decides the boxes:

- the curated lists are GitHub pages, so their entries are ``website_results`` under
  "identification via other methods"; no database or register was searched (``0``); the
  hand-kept records have no template field and are exported as ``other_results``;
- exclusions by the keyword rule that no one checked by hand are ``excluded_automatic``
  ("marked as ineligible by automation tools"), removed before (hand) screening together with
  ``duplicates`` and the unparseable entries (``excluded_other``);
- ``records_screened`` are the records left: those the rule included (no hand check) and those
  decided by hand adjudication; ``records_excluded`` are the hand exclusions;
- no full text was retrieved or assessed: the report fields are exported empty ("not
  performed"), and every screened-in record is a study included (``new_studies``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .criteria import ADJUDICATOR

TEMPLATE_FIELDS = [
    "database_results", "register_results", "website_results", "organisation_results",
    "citations_results", "duplicates", "excluded_automatic", "excluded_other",
    "records_screened", "records_excluded", "dbr_sought_reports", "dbr_notretrieved_reports",
    "other_sought_reports", "other_notretrieved_reports", "dbr_assessed", "dbr_excluded",
    "other_assessed", "other_excluded", "new_studies", "new_reports", "total_studies",
    "total_reports",
]  # fmt: skip
NOT_TEMPLATE = {"other_results": "hand-kept records (no PRISMA2020 template field)"}
NOT_PERFORMED = (
    "dbr_sought_reports", "dbr_notretrieved_reports", "other_sought_reports",
    "other_notretrieved_reports", "dbr_assessed", "dbr_excluded", "other_assessed",
    "other_excluded", "new_reports", "total_reports",
)  # fmt: skip


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
    counts: dict[str, int | None] = field(default_factory=dict)
    automatic_reasons: dict[str, int] = field(default_factory=dict)
    screened_by: dict[str, int] = field(default_factory=dict)

    def check(self) -> None:
        """Raise ``PrismaError`` naming the first sum that does not hold."""
        c = self.counts
        identified = c["website_results"] + c["other_results"]
        checks = [
            ("sources sum to identified records", sum(self.per_source.values()), identified),
            ("identified - removed before screening = screened",
             identified - c["duplicates"] - c["excluded_automatic"] - c["excluded_other"],
             c["records_screened"]),
            ("automation reasons sum to excluded_automatic", sum(self.automatic_reasons.values()),
             c["excluded_automatic"]),
            ("exclusion reasons sum to records_excluded", sum(self.excluded_reasons.values()),
             c["records_excluded"]),
            ("screened by rule and by hand sum to screened", sum(self.screened_by.values()),
             c["records_screened"]),
            ("screened - excluded = new studies", c["records_screened"] - c["records_excluded"],
             c["new_studies"]),
            ("groups sum to new studies", sum(self.included_by_group.values()),
             c["new_studies"]),
            ("topics sum to new studies", sum(self.included_by_topic.values()),
             c["new_studies"]),
        ]  # fmt: skip
        for name, got, want in checks:
            if got != want:
                raise PrismaError(f"PRISMA counts do not add up: {name} ({got} != {want})")
        if any(v is not None and v < 0 for v in c.values()):
            raise PrismaError(f"negative PRISMA count in {c}")

    def table(self) -> pd.DataFrame:
        """The template's ``data, n`` rows plus ``other_results``; ``n`` is empty for the
        full-text fields (not performed); ``detail`` gives breakdowns as ``name, n; ...``."""
        detail = {
            "website_results": {k: v for k, v in self.per_source.items() if "__" in k},
            "excluded_automatic": self.automatic_reasons,
            "records_screened": self.screened_by,
            "records_excluded": self.excluded_reasons,
            "new_studies": {**self.included_by_group, **self.included_by_topic},
        }
        rows = []
        for k in [*TEMPLATE_FIELDS, *NOT_TEMPLATE]:
            v = self.counts.get(k, 0)
            text = "; ".join(f"{a}, {b}" for a, b in detail.get(k, {}).items())
            if k in NOT_PERFORMED:
                text = "full-text retrieval and assessment not performed"
            rows.append({"data": k, "n": v, "detail": NOT_TEMPLATE.get(k, text)})
        out = pd.DataFrame(rows)
        out["n"] = pd.array(out["n"], dtype="Int64")
        return out


def _reasons(rows: pd.DataFrame) -> dict[str, int]:
    col = "category" if "category" in rows else "reason"
    return {str(k): int(v) for k, v in rows[col].value_counts().items()}


def compute(identification: pd.DataFrame, final: pd.DataFrame, included: pd.DataFrame) -> Prisma:
    """PRISMA numbers from the identification table (``dedup.identification_counts``), the
    final title-abstract decisions (one row per unique record, ``source`` rules or
    adjudicated) and the included-papers table (``is_benchmark``, ``topic``). Checks the
    arithmetic before returning."""
    ident = identification[identification["list"] != "all"]
    per_source = {str(r.list): int(r.entries) for r in ident.itertuples()}
    websites = sum(v for k, v in per_source.items() if "__" in k)
    dropped = int(ident["dropped"].sum())
    duplicates = int(ident["duplicates_removed"].sum())
    ta = final[final["stage"] == "title-abstract"]
    by_hand = ta["source"] == ADJUDICATOR
    auto_excl = ta[~by_hand & (ta["decision"] == "exclude")]
    hand_excl = ta[by_hand & (ta["decision"] == "exclude")]
    screened = ta[by_hand | (ta["decision"] == "include")]
    groups = included["is_benchmark"].map({True: "benchmark", False: "non-benchmark"})
    topic = included["topic"].str.split(";").str[0]
    counts: dict[str, int | None] = dict.fromkeys(TEMPLATE_FIELDS, 0)
    counts.update(dict.fromkeys(NOT_PERFORMED))
    counts.update({
        "website_results": websites, "other_results": sum(per_source.values()) - websites,
        "duplicates": duplicates, "excluded_other": dropped,
        "excluded_automatic": len(auto_excl), "records_screened": len(screened),
        "records_excluded": len(hand_excl), "new_studies": len(included),
        "total_studies": len(included),
    })  # fmt: skip
    p = Prisma(
        per_source,
        dropped,
        duplicates,
        len(screened),
        _reasons(hand_excl),
        {k: int(v) for k, v in groups.value_counts().sort_index().items()},
        {k: int(v) for k, v in topic.value_counts().sort_index().items()},
        counts,
        _reasons(auto_excl),
        {
            "included by the keyword rule, no hand check": int((~by_hand).sum() - len(auto_excl)),
            "decided by hand adjudication": int(by_hand.sum()),
        },
    )
    p.check()
    return p

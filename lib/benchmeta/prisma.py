"""PRISMA 2020 counts computed from the screening tables, checked, exported and drawn.

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

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import FancyBboxPatch

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


# --------------------------------------------------------------------------- diagram

def _box(ax, x: float, y: float, w: float, h: float, text: str, colour: str = "white",
         size: float = 8.5) -> None:
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="square,pad=0", linewidth=1,
                                edgecolor="black", facecolor=colour))
    ax.text(x + 0.012, y + h / 2, text, ha="left", va="center", fontsize=size, wrap=True,
            linespacing=1.35)


def _arrow(ax, x0: float, y0: float, x1: float, y1: float) -> None:
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1})


def _short(name: str) -> str:
    return name.replace("__", "/", 1) if "__" in name else f"{name} (hand-kept)"


def diagram(p: Prisma, title: str = "") -> plt.Figure:
    """PRISMA 2020 flow diagram (databases arm) with exclusion reasons and their counts."""
    c = p.counts
    fig = plt.figure(figsize=(11, 10.5))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    blue = "#cfe2f3"
    for y, h, label in ((0.62, 0.34, "Identification"), (0.2, 0.4, "Screening"),
                        (0.02, 0.16, "Included")):
        ax.add_patch(FancyBboxPatch((0.01, y), 0.04, h, boxstyle="round,pad=0.003",
                                    facecolor=blue, edgecolor="none"))
        ax.text(0.03, y + h / 2, label, rotation=90, ha="center", va="center", fontsize=10,
                weight="bold")
    srcs = "\n".join(f"  {_short(k)}: {v:,}" for k, v in
                     sorted(p.per_source.items(), key=lambda kv: -kv[1]))
    lists = sum(1 for k in p.per_source if "__" in k)
    _box(ax, 0.07, 0.62, 0.42, 0.34,
         f"Records identified from {lists} curated lists\nand hand-kept records: "
         f"n = {c['database_results']:,}\n{srcs}", size=8)
    _box(ax, 0.56, 0.74, 0.41, 0.12,
         f"Records removed before screening:\n  Duplicate records: n = {c['duplicates']:,}\n"
         f"  Unparseable entries: n = {c['excluded_other']:,}\n"
         f"  Marked ineligible by automation tools: n = {c['excluded_automatic']:,}")
    _arrow(ax, 0.49, 0.80, 0.56, 0.80)
    _box(ax, 0.07, 0.47, 0.42, 0.08,
         f"Records screened (title, list context, date;\ntwo reviewers: rules and curators)\n"
         f"n = {c['records_screened']:,}")
    _arrow(ax, 0.28, 0.62, 0.28, 0.55)
    reasons = "\n".join(f"  {k}: {v:,}" for k, v in p.excluded_reasons.items())
    _box(ax, 0.56, 0.40, 0.41, 0.22, f"Records excluded: n = {c['records_excluded']:,}\n{reasons}",
         size=8)
    _arrow(ax, 0.49, 0.51, 0.56, 0.51)
    _box(ax, 0.07, 0.27, 0.42, 0.08,
         f"Reports assessed for eligibility and type\n(benchmark vs non-benchmark)\n"
         f"n = {c['dbr_assessed']:,}")
    _arrow(ax, 0.28, 0.47, 0.28, 0.35)
    _box(ax, 0.56, 0.27, 0.41, 0.08,
         f"Reports not retrieved: n = {c['dbr_notretrieved_reports']:,}\n"
         f"Reports excluded after assessment: n = {c['dbr_excluded']:,}")
    _arrow(ax, 0.49, 0.31, 0.56, 0.31)
    groups = ", ".join(f"{k} {v:,}" for k, v in p.included_by_group.items())
    topics = ", ".join(f"{k} {v:,}" for k, v in p.included_by_topic.items())
    _box(ax, 0.07, 0.04, 0.42, 0.12,
         f"Studies included: n = {c['new_studies']:,}\n  {groups}\n  by first topic: {topics}",
         colour="#fff2cc")
    _arrow(ax, 0.28, 0.27, 0.28, 0.16)
    if title:
        fig.suptitle(title, y=0.995, fontsize=11)
    return fig

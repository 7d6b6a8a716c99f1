"""The PRISMA 2020 flow diagram (notebook 01), drawn from the counts of ``papers.prisma``."""

from __future__ import annotations

from typing import Protocol

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch


class PrismaCounts(Protocol):
    """What the diagram reads: the PRISMA2020 template counts and the breakdowns it lists."""

    counts: dict[str, int]
    per_source: dict[str, int]
    excluded_reasons: dict[str, int]
    included_by_group: dict[str, int]
    included_by_topic: dict[str, int]


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


def diagram(p: PrismaCounts, title: str = "") -> plt.Figure:
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

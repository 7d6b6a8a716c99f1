"""The PRISMA 2020 flow diagram (notebook 01), drawn from the counts of ``papers.prisma``."""

from __future__ import annotations

from typing import Protocol

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch


class PrismaCounts(Protocol):
    """What the diagram reads: the PRISMA2020 template counts and the breakdowns it lists."""

    counts: dict[str, int | None]
    per_source: dict[str, int]
    excluded_reasons: dict[str, int]
    automatic_reasons: dict[str, int]
    screened_by: dict[str, int]
    included_by_group: dict[str, int]
    included_by_topic: dict[str, int]


def _box(
    ax,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    colour: str = "white",
    size: float = 8.5,
    dashed: bool = False,
) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (x, y),
            w,
            h,
            boxstyle="square,pad=0",
            linewidth=1,
            edgecolor="black",
            facecolor=colour,
            linestyle="--" if dashed else "-",
        )
    )
    ax.text(
        x + 0.012,
        y + h / 2,
        text,
        ha="left",
        va="center",
        fontsize=size,
        wrap=True,
        linespacing=1.35,
    )


def _arrow(ax, x0: float, y0: float, x1: float, y1: float) -> None:
    ax.annotate(
        "",
        xy=(x1, y1),
        xytext=(x0, y0),
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1},
    )


def _short(name: str) -> str:
    return name.replace("__", "/", 1)


def _lines(d: dict[str, int], indent: str = "  ") -> str:
    return "\n".join(f"{indent}{k}: {v:,}" for k, v in d.items())


def _stages(ax) -> None:
    blue = "#cfe2f3"
    ax.add_patch(
        FancyBboxPatch(
            (0.07, 0.943),
            0.90,
            0.03,
            boxstyle="round,pad=0.003",
            facecolor="#fce5cd",
            edgecolor="none",
        )
    )
    ax.text(
        0.52,
        0.958,
        "Identification of studies via other methods (no database or register searched)",
        ha="center",
        va="center",
        fontsize=10,
        weight="bold",
    )
    for y, h, label in (
        (0.61, 0.325, "Identification"),
        (0.21, 0.39, "Screening"),
        (0.02, 0.17, "Included"),
    ):
        ax.add_patch(
            FancyBboxPatch(
                (0.01, y), 0.04, h, boxstyle="round,pad=0.003", facecolor=blue, edgecolor="none"
            )
        )
        ax.text(
            0.03,
            y + h / 2,
            label,
            rotation=90,
            ha="center",
            va="center",
            fontsize=10,
            weight="bold",
        )


def diagram(p: PrismaCounts, title: str = "") -> plt.Figure:
    """PRISMA 2020 flow diagram for identification via other methods (curated lists as
    websites), with automated exclusions counted and the full-text stage marked not done."""
    fig = plt.figure(figsize=(11, 11.5))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    _stages(ax)
    _identified(ax, p)
    _screened(ax, p)
    _included(ax, p)
    if title:
        ax.text(0.52, 0.992, title, ha="center", va="top", fontsize=11)
    return fig


def _identified(ax: plt.Axes, p: PrismaCounts) -> None:
    """The identification boxes: records found per source, records removed before screening."""
    c = p.counts
    lists = {
        _short(k): v for k, v in sorted(p.per_source.items(), key=lambda kv: -kv[1]) if "__" in k
    }
    _box(
        ax,
        0.07,
        0.61,
        0.42,
        0.325,
        f"Records identified from websites\n({len(lists)} curated paper lists on GitHub): "
        f"n = {c['website_results']:,}\n{_lines(lists)}\n"
        f"Hand-kept records (papers the lists missed): n = {c['other_results']:,}",
        size=8,
    )
    _box(
        ax,
        0.54,
        0.61,
        0.43,
        0.325,
        f"Records removed before screening:\n  Duplicate records: n = {c['duplicates']:,}\n"
        f"  Unparseable list entries: n = {c['excluded_other']:,}\n"
        f"  Marked ineligible by automation tools\n  (keyword rule on title + abstract where "
        f"given,\n  not checked by hand): n = {c['excluded_automatic']:,}\n"
        f"{_lines(p.automatic_reasons, '      ')}",
        size=8,
    )
    _arrow(ax, 0.49, 0.78, 0.54, 0.78)


def _screened(ax: plt.Axes, p: PrismaCounts) -> None:
    """The screening boxes: records screened, excluded by hand, the full-text stage not done."""
    c = p.counts
    _box(
        ax,
        0.07,
        0.44,
        0.42,
        0.12,
        f"Records screened: n = {c['records_screened']:,}\n{_lines(p.screened_by)}\n"
        "  (hand adjudication: rule vs curator-metadata\n  disagreements, title + abstract)",
        size=8,
    )
    _arrow(ax, 0.28, 0.61, 0.28, 0.56)
    _box(
        ax,
        0.54,
        0.40,
        0.43,
        0.2,
        f"Records excluded by hand adjudication:\nn = {c['records_excluded']:,}\n"
        f"{_lines(p.excluded_reasons)}",
        size=8,
    )
    _arrow(ax, 0.49, 0.50, 0.54, 0.50)
    _box(
        ax,
        0.07,
        0.25,
        0.42,
        0.1,
        "Full-text retrieval and assessment:\nnot performed (reports sought, not retrieved,\n"
        "assessed and excluded: no numbers)",
        colour="#eeeeee",
        size=8,
        dashed=True,
    )
    _arrow(ax, 0.28, 0.44, 0.28, 0.35)


def _included(ax: plt.Axes, p: PrismaCounts) -> None:
    """The included box: studies included, per group and per first topic."""
    c = p.counts
    groups = ", ".join(f"{k} {v:,}" for k, v in p.included_by_group.items())
    topics = ", ".join(f"{k} {v:,}" for k, v in p.included_by_topic.items())
    _box(
        ax,
        0.07,
        0.04,
        0.42,
        0.13,
        f"Studies included (on title + abstract\nscreening only): n = {c['new_studies']:,}\n"
        f"  {groups}\n  by first topic: {topics}",
        colour="#fff2cc",
        size=8,
    )
    _arrow(ax, 0.28, 0.25, 0.28, 0.17)

"""Installability figures: the funnel per group and the time until dependencies stop resolving."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import GROUP_COLOURS


def plot_installability(fun: pd.DataFrame, km: pd.DataFrame, title: str) -> plt.Figure:
    """Left: share of scanned repositories left after each step, by group (Wilson 95% CI).
    Right: Kaplan-Meier share still resolving vs years since the last commit."""
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.8), width_ratios=[1.35, 1])
    _funnel(ax, fun)
    _still_resolving(ax2, km)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def _funnel(ax: plt.Axes, fun: pd.DataFrame) -> None:
    """Share of scanned repositories left after each step, by group, with Wilson CIs."""
    groups = [g for g in ("benchmark", "non-benchmark") if g in set(fun["group"])]
    steps = list(dict.fromkeys(fun["label"]))
    y = np.arange(len(steps))
    height = 0.38
    for i, group in enumerate(groups):
        g = fun[fun["group"] == group].set_index("label").loc[steps]
        pos = y + (i - 0.5) * height
        ax.barh(
            pos,
            g["share"],
            height=height,
            color=GROUP_COLOURS[group],
            label=f"{group} (n = {int(g['n'].iloc[0])})",
        )
        ax.errorbar(
            g["share"],
            pos,
            xerr=[(g["share"] - g["low"]).clip(lower=0), (g["high"] - g["share"]).clip(lower=0)],
            fmt="none",
            ecolor="black",
            elinewidth=0.9,
            capsize=2,
        )
        for p, k, hi in zip(pos, g["repositories"], g["high"], strict=True):
            ax.text(min(hi, 1) + 0.015, p, f"{k}", va="center", fontsize=8)
    ax.set_yticks(y, steps)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.1)
    ax.set_xlabel("share of scanned repositories (95% Wilson CI; count at bar end)")
    ax.set_title("Repositories left after each step")
    ax.legend(loc="lower right", frameon=False)


def _still_resolving(ax2: plt.Axes, km: pd.DataFrame) -> None:
    """Kaplan-Meier share of repositories whose dependencies still resolve, by group."""
    if km.empty:
        ax2.text(
            0.5,
            0.5,
            "too few repositories resolve at their last commit",
            ha="center",
            transform=ax2.transAxes,
        )
    styles = {"all": ("-", 2.6), "benchmark": ("--", 1.6), "non-benchmark": (":", 1.6)}
    for group, g in km.groupby("group", sort=False):
        colour = GROUP_COLOURS.get(group, "#333333")
        style, width = styles.get(group, ("-.", 1.4))
        years = g["days"] / 365.25
        ax2.step(
            years,
            g["survival"],
            where="post",
            color=colour,
            linestyle=style,
            linewidth=width,
            label=f"{group} (n = {g['n'].iloc[0]}, {g['events'].iloc[0]} stopped resolving)",
        )
        if group == "all":
            ax2.fill_between(years, g["low"], g["high"], step="post", color=colour, alpha=0.15)
    if not km.empty and km.groupby("group")["events"].first().sum() == 0:
        ax2.text(
            0.5,
            0.55,
            "no event: every repository that resolved\nat its last commit still resolved at each\n"
            "later checkpoint (same target Python)",
            ha="center",
            va="center",
            transform=ax2.transAxes,
            fontsize=8.5,
        )
    ax2.set_ylim(0, 1.02)
    ax2.set_xlim(left=0)
    ax2.set_xlabel("years since the last commit (index cut-off)")
    ax2.set_ylabel("share whose dependencies still resolve")
    ax2.set_title(
        "Time until the declared dependencies stop resolving\n"
        "(Kaplan-Meier, 95% CI; event at the first failing checkpoint)"
    )
    ax2.legend(loc="lower left", frameon=False)

"""Correlation heat maps (notebooks 06 and 07) and scatter panels of the strongest pairs (06)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import GROUP_COLOURS


def plot_correlation_heatmap(
    corr: pd.DataFrame, row: str, col: str, title: str, row_label: str, col_label: str
) -> plt.Figure:
    """Spearman rho as a diverging heat map (blue-orange, colour-blind safe), n and CI per cell;
    cells significant after Holm are outlined."""
    wide = corr.pivot(index=row, columns=col, values="rho")
    fig, ax = plt.subplots(figsize=(1.25 * wide.shape[1] + 3.5, 0.55 * wide.shape[0] + 2.0))
    im = ax.imshow(wide.to_numpy(dtype=float), cmap="PuOr_r", vmin=-1, vmax=1, aspect="auto")
    for i, r in enumerate(wide.index):
        for j, c in enumerate(wide.columns):
            cell = corr[(corr[row] == r) & (corr[col] == c)].iloc[0]
            if np.isfinite(cell["rho"]):
                txt = f"{cell['rho']:+.2f}\n[{cell['low']:+.2f},{cell['high']:+.2f}]"
            else:
                txt = "n/a"
            ax.text(
                j,
                i,
                txt,
                ha="center",
                va="center",
                fontsize=6.8,
                color="white" if abs(cell["rho"]) > 0.6 else "black",
            )
            if cell.get("p_holm", 1) < 0.05:
                ax.add_patch(
                    plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, lw=1.6, ec="black")
                )
    ax.set_xticks(range(wide.shape[1]), wide.columns, rotation=30, ha="right")
    ax.set_yticks(range(wide.shape[0]), wide.index)
    ax.set_xlabel(col_label)
    ax.set_ylabel(row_label)
    ax.grid(False)
    cb = fig.colorbar(im, ax=ax, fraction=0.03)
    cb.set_label("Spearman ρ")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_top_pairs(
    table: pd.DataFrame,
    top: pd.DataFrame,
    x_labels: dict[str, str],
    x_units: dict[str, str],
    y_labels: dict[str, str],
    log: set[str],
) -> plt.Figure:
    """One scatter panel per row of ``top`` (columns influence, quality, rho, low, high, n,
    p_holm), points coloured by group; x on a symlog axis for metrics in ``log``."""
    fig, axes = plt.subplots(1, len(top), figsize=(4.6 * len(top), 4.0), squeeze=False)
    for ax, r in zip(axes.flat, top.itertuples(), strict=True):
        d = table[[r.influence, r.quality, "group"]].dropna()
        for group, g in d.groupby("group"):
            label = f"{group} (n={len(g)})"
            ax.scatter(g[r.influence], g[r.quality], s=18, alpha=0.75, label=label,
                       color=GROUP_COLOURS[group], edgecolor="none")  # fmt: skip
        if r.influence in log:
            ax.set_xscale("symlog")
        ax.set_xlabel(f"{x_labels[r.influence]} ({x_units[r.influence]})", fontsize=8.5)
        ax.set_ylabel(y_labels[r.quality], fontsize=8.5)
        ax.set_title(f"ρ = {r.rho:+.2f} [{r.low:+.2f}, {r.high:+.2f}], n = {r.n}, "
                     f"Holm p = {r.p_holm:.2g}", fontsize=9)  # fmt: skip
        ax.legend(fontsize=7.5)
    fig.suptitle("Strongest influence-code correlations", fontsize=11)
    fig.tight_layout()
    return fig

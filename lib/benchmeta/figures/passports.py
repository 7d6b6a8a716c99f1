"""The passport grid: one line per benchmark, one column per dimension, each cell yes / no /
unknown (colour-blind-safe colours and a letter, so it reads in grey too)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from .style import OKABE_ITO

STATES = {"yes": (0, OKABE_ITO[4], "Y"), "no": (1, OKABE_ITO[5], "N"),
          "unknown": (2, "#e0e0e0", "?")}  # fmt: skip


def plot_passports(
    cells: pd.DataFrame, row_labels: list[str], groups: pd.Series, title: str
) -> plt.Figure:
    """``cells``: one row per benchmark, columns = dimension labels, values yes/no/unknown;
    ``groups`` (same index) names the block each row belongs to (blocks are separated)."""
    codes = cells.apply(lambda c: c.map(lambda v: STATES.get(v, STATES["unknown"])[0]))
    n_rows, n_cols = codes.shape
    height = 1.6 + 0.155 * n_rows
    fig, ax = plt.subplots(figsize=(2.8 + 0.95 * n_cols, height))
    cmap = ListedColormap([STATES[s][1] for s in ["yes", "no", "unknown"]])
    ax.imshow(codes.to_numpy(), cmap=cmap, vmin=-0.5, vmax=2.5, aspect="auto",
              interpolation="nearest")  # fmt: skip
    letters = {v[0]: v[2] for v in STATES.values()}
    for (i, j), code in np.ndenumerate(codes.to_numpy()):
        ax.text(j, i, letters[code], ha="center", va="center", fontsize=6.5,
                color="white" if code < 2 else "#555555")  # fmt: skip
    ax.set_xticks(range(n_cols), cells.columns, rotation=30, ha="left", fontsize=8.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_rows), row_labels, fontsize=6.5)
    ax.tick_params(length=0)
    ax.grid(False)
    for s in ax.spines.values():
        s.set_visible(False)
    g = groups.to_numpy()
    for i in np.flatnonzero(g[1:] != g[:-1]):
        ax.axhline(i + 0.5, color="black", lw=1.2)
    starts = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    for s in starts:
        ax.annotate(str(g[s]), xy=(n_cols - 0.5, s - 0.5), xytext=(4, -2),
                    textcoords="offset points", ha="left", va="top", fontsize=8,
                    fontweight="bold", annotation_clip=False)  # fmt: skip
    handles = [Patch(color=STATES[s][1], label=f"{STATES[s][2]} = {s}") for s in STATES]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.002), ncol=3,
              frameon=False, fontsize=8.5)  # fmt: skip
    ax.set_title(title, loc="left", pad=70, fontsize=11)
    fig.tight_layout()
    return fig


def plot_time_to_saturation(curve: pd.DataFrame, n: int, title: str) -> plt.Figure:
    """Kaplan-Meier share of benchmarks not yet saturated against years since their data became
    public (``curve``: years, survival, low, high), with its 95% band."""
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    ax.step(curve["years"], curve["survival"], where="post", color=OKABE_ITO[4], lw=1.8,
            label=f"Kaplan-Meier, {n} benchmarks")  # fmt: skip
    ax.fill_between(curve["years"], curve["low"], curve["high"], step="post",
                    color=OKABE_ITO[4], alpha=0.2, lw=0, label="95% interval")  # fmt: skip
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel("years since the benchmark's data became public")
    ax.set_ylabel("share not yet saturated")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.legend(loc="lower left", frameon=False)
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig

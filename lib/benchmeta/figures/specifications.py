"""Specification curve: one estimate with its 95% CI per specification, sorted, per metric and
model (rows: metrics; columns: unadjusted / adjusted), with the choices marked beneath."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from .style import OKABE_ITO, OTHER

SIG, NOT_SIG = OKABE_ITO[4], OTHER
CHOICE_ROWS = {
    "label": ["final", "rules", "curators", "agreed"],
    "vendored": None,
    "release_dumps": ["in", "out"],
}


def _panel(ax, d: pd.DataFrame, centre: float, ref: float | None) -> None:
    d = d.sort_values("estimate").reset_index(drop=True)
    x = np.arange(len(d))
    est, low, high = (d[c].to_numpy(float) for c in ("estimate", "low", "high"))
    for sig, colour in ((True, SIG), (False, NOT_SIG)):
        m = (d["significant"].astype(bool) == sig).to_numpy()
        if m.any():
            ax.errorbar(
                x[m],
                est[m],
                yerr=np.vstack([est[m] - low[m], high[m] - est[m]]),
                fmt="o",
                ms=4,
                color=colour,
                ecolor=colour,
                elinewidth=1,
            )
    ax.axhline(centre, color="black", lw=0.8)
    if ref is not None and np.isfinite(float(ref)):
        ax.axhline(ref, color=OKABE_ITO[5], lw=1, ls="--")
    ax.set_xticks(x)
    ax.set_xticklabels([_tick(r) for r in d.itertuples()], rotation=90, fontsize=6.5)


def _tick(r) -> str:
    """Short name of a specification: label source | vendored rules | release dumps (the
    choices that apply), or the ``spec`` column when the table has one."""
    if hasattr(r, "spec"):
        return str(r.spec)
    if getattr(r, "vendored", "not applicable") == "not applicable":
        return str(r.label)
    parts = [r.label[:4], "v-" if r.vendored.startswith("without") else "v+"]
    if getattr(r, "release_dumps", "not applicable") != "not applicable":
        parts.append("d-" if r.release_dumps == "out" else "d+")
    return "|".join(parts)


def plot_spec_curve(
    specs: pd.DataFrame,
    labels: dict[str, str],
    title: str,
    reference: dict[str, float] | None = None,
    xlabel: str = "specification: label source | vendored rules | release dumps",
) -> plt.Figure:
    """Rows: metrics; columns: unadjusted (Cliff's delta) and adjusted (coefficient or rate
    ratio). Tick labels: label source | vendored rules (v+ all, v- without copyright_header and
    nested_project) | release dumps (d+ in, d- out)."""
    reference = reference or {}
    metrics = list(dict.fromkeys(specs["metric"]))
    models = list(dict.fromkeys(specs["model"]))
    fig, axes = plt.subplots(
        len(metrics), len(models), figsize=(5.6 * len(models), 3.3 * len(metrics)), squeeze=False
    )
    for i, metric in enumerate(metrics):
        for j, model in enumerate(models):
            ax = axes[i, j]
            d = specs[
                (specs["metric"] == metric) & (specs["model"] == model) & specs["estimate"].notna()
            ]
            if d.empty:
                ax.set_axis_off()
                continue
            effect = d["effect"].iloc[0]
            ratio = effect in ("rate ratio", "odds ratio")
            centre = 1.0 if ratio else 0.0
            _panel(ax, d, centre, reference.get(metric) if model == "unadjusted" else None)
            if ratio:
                ax.set_yscale("log")
                ax.yaxis.set_major_locator(mticker.LogLocator(subs=(1.0, 2.0, 5.0)))
                ax.yaxis.set_major_formatter(mticker.FormatStrFormatter("%g"))
                ax.yaxis.set_minor_formatter(mticker.NullFormatter())
            n_sig = int(d["significant"].sum())
            n_up = int((d["direction"] > 0).sum())
            corr = effect.startswith("Spearman")
            up = "positive" if corr else "benchmark higher"
            ax.set_title(
                textwrap.fill(f"{labels.get(metric, metric)}, {model}", 60)
                + f"\n{n_up} of {len(d)} {up}, {n_sig} with p < 0.05",
                fontsize=9,
            )
            ax.set_ylabel(effect if corr else f"{effect} (benchmark vs non-benchmark)", fontsize=8)
            ax.set_xlabel(xlabel, fontsize=7.5)
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", ls="", color=SIG, label="p < 0.05"),
        Line2D([], [], marker="o", ls="", color=NOT_SIG, label="p ≥ 0.05"),
        Line2D([], [], color=OKABE_ITO[5], ls="--", label="reference study (its delta)"),
    ]
    fig.suptitle(title, fontsize=11)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    return fig

"""Benchmark vs non-benchmark: coverage, distributions, survival and readiness (02-05)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import GROUP_COLOURS


def plot_coverage(cov: pd.DataFrame, labels: dict[str, str], title: str) -> plt.Figure:
    """Share of papers with a value, per metric and group, with 95% Wilson intervals."""
    metrics = list(dict.fromkeys(cov["metric"]))
    fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(metrics) + 1.6))
    for j, (group, colour) in enumerate(GROUP_COLOURS.items()):
        g = cov[cov["group"] == group].set_index("metric").reindex(metrics)
        y = np.arange(len(metrics)) + (0.2 if j else -0.2)
        ax.barh(y, g["coverage"], height=0.38, color=colour, label=group)
        ax.errorbar(
            g["coverage"],
            y,
            # clipped at 0: a Wilson bound can sit a rounding error beyond a share of 0 or 1
            xerr=[
                (g["coverage"] - g["coverage_low"]).clip(lower=0),
                (g["coverage_high"] - g["coverage"]).clip(lower=0),
            ],
            fmt="none",
            ecolor="black",
            lw=0.8,
        )
        for yy, (_, r) in zip(y, g.iterrows(), strict=True):
            inside = r["coverage"] > 0.8  # label inside a long bar, after a short one
            ax.text(
                r["coverage"] - 0.01 if inside else r["coverage_high"] + 0.01,
                yy,
                f"{int(r['with_value'])}/{int(r['papers'])}",
                va="center",
                ha="right" if inside else "left",
                color="white" if inside else "black",
                fontsize=7.5,
            )
    ax.set_yticks(range(len(metrics)), [labels.get(m, m) for m in metrics])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of included papers with a value (95% Wilson interval)")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="y", alpha=0)
    fig.tight_layout()
    return fig


def plot_groups(
    table: pd.DataFrame,
    tests: pd.DataFrame,
    metrics: list[str],
    labels: dict[str, str],
    title: str,
    log: set[str] | None = None,
    units: dict[str, str] | None = None,
) -> plt.Figure:
    """One panel per metric: box plot and points by group, with n, medians and the test."""
    log = log or set()
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.6 * len(metrics), 4.4), squeeze=False)
    rng = np.random.default_rng(0)
    for ax, m in zip(axes.flat, metrics, strict=True):
        groups = [
            ("benchmark", table[table["is_benchmark"].astype(bool)][m].dropna()),
            ("non-benchmark", table[~table["is_benchmark"].astype(bool)][m].dropna()),
        ]
        data = [np.log10(v + 1) if m in log else v for _, v in groups]
        ax.boxplot(
            data, positions=[0, 1], widths=0.5, showfliers=False, medianprops={"color": "black"}
        )
        for i, ((name, _), d) in enumerate(zip(groups, data, strict=True)):
            ax.scatter(
                i + rng.uniform(-0.15, 0.15, len(d)),
                d,
                s=10,
                alpha=0.6,
                color=GROUP_COLOURS[name],
                edgecolor="none",
            )
        ax.set_xticks([0, 1], [f"{n}\n(n={len(v)})" for n, v in groups])
        t = tests[tests["metric"] == m].iloc[0]
        stat = (
            (
                f"δ={t['cliffs_delta']:+.2f} [{t['delta_low']:+.2f}, {t['delta_high']:+.2f}]\n"
                f"p={t['p']:.2g}, Holm p={t['p_holm']:.2g}"
            )
            if np.isfinite(t["p"])
            else t["note"]
        )
        ax.set_title(f"{labels.get(m, m)}\n{stat}", fontsize=8.5)
        unit = (units or {}).get(m, m)
        ax.set_ylabel(f"log10(1 + {unit})" if m in log else unit)
        ax.grid(axis="x", alpha=0)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def plot_survival(km: dict[str, pd.DataFrame], title: str, stale_days: int) -> plt.Figure:
    """Kaplan-Meier step curves with 95% bands, by group (colour-blind-safe colours);
    ``stale_days`` is the staleness definition named in the title."""

    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    summ = km["summary"].set_index("group")
    for group, c in km["curves"].groupby("group", sort=False):
        s = summ.loc[group]
        years = c["days"] / 365.25
        label = f"{group} (n={int(s['n'])}, {int(s['went_stale'])} went stale)"
        ax.step(years, c["survival"], where="post", color=GROUP_COLOURS[group], lw=1.8, label=label)
        ax.fill_between(
            years, c["low"], c["high"], step="post", color=GROUP_COLOURS[group], alpha=0.18, lw=0
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel("years since the first commit")
    ax.set_ylabel("share of repositories not yet stale")
    lr = km["logrank"].iloc[0]
    sub = (
        f"log-rank p = {lr['p']:.2g}"
        if "p" in lr and np.isfinite(lr.get("p", np.nan))
        else lr["note"]
    )
    ax.set_title(f"{title}\n(stale = {stale_days} days without a commit; 95% bands; {sub})")
    ax.legend(loc="upper right", frameon=False)
    fig.tight_layout()
    return fig


def _readiness_bars(ax: plt.Axes, g: pd.DataFrame, y: np.ndarray, group: str) -> None:
    """One group's bars at ``y``: share yes with its Wilson CI, yes/decided and unknown beside."""
    share = g["share_yes"].fillna(0)
    ax.barh(
        y,
        share,
        height=0.38,
        color=GROUP_COLOURS[group],
        label=f"{group} (n={int(g['n'].max())})",
    )
    ok = g["share_yes"].notna().to_numpy()
    ax.errorbar(
        share[ok],
        y[ok],
        xerr=[
            (g["share_yes"] - g["low"]).clip(lower=0)[ok],
            (g["high"] - g["share_yes"]).clip(lower=0)[ok],
        ],
        fmt="none",
        ecolor="black",
        lw=0.8,
    )
    for yy, (_, r) in zip(y, g.iterrows(), strict=True):
        txt = f"{r['yes']}/{r['yes'] + r['no']}" + (
            f", {r['unknown']} unknown" if r["unknown"] else ""
        )
        x = (r["high"] if np.isfinite(r["high"]) else 0) + 0.01
        ax.text(x, yy, txt, va="center", fontsize=7)


def _reference_marks(ax: plt.Axes, reference: pd.DataFrame, items: list[str]) -> None:
    """The reference study's share as a dashed mark on each item it approximates."""
    for _, r in reference.iterrows():
        if r["our_item"] in items:
            i = items.index(r["our_item"])
            ax.plot([r["reference_share"]] * 2, [i - 0.45, i + 0.45], color="black", lw=2, ls="--")
    ax.plot(
        [],
        [],
        color="black",
        lw=2,
        ls="--",
        label="reference study, hands-on share (all its repositories)",
    )


def plot_readiness(
    shares: pd.DataFrame,
    title: str,
    labels: dict[str, str],
    reference: pd.DataFrame | None = None,
) -> plt.Figure:
    """Share meeting each item by group (Wilson CI) with the unknown count beside each bar;
    the study's shares marked where an item approximates one of theirs; ``labels`` names
    the items."""

    items = list(dict.fromkeys(shares["item"]))
    fig, ax = plt.subplots(figsize=(9.5, 0.62 * len(items) + 1.8))
    for j, group in enumerate(GROUP_COLOURS):
        g = shares[shares["group"] == group].set_index("item").reindex(items)
        _readiness_bars(ax, g, np.arange(len(items)) + (0.2 if j else -0.2), group)
    if reference is not None:
        _reference_marks(ax, reference, items)
    ax.set_yticks(range(len(items)), [labels.get(i, i) for i in items])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.22)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.set_xlabel("share of repositories meeting the item, among those decided (95% Wilson)")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0)
    fig.tight_layout()
    # below the axes, outside the data; bbox_inches="tight" in save_figure keeps it in the file
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    return fig

"""Safety scores over release dates, and the saturation strip (notebook 07)."""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Iterator

import matplotlib as mpl
import matplotlib.dates  # noqa: F401  (mpl.dates)
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..stats import wilson
from .style import OKABE_ITO, OTHER


def _band(
    ax,
    t: dict,
    start: pd.Timestamp,
    end: pd.Timestamp,
    centre: float,
    colour: str,
    min_n_band: int = 10,
) -> None:
    """Theil-Sen line (logit scale) drawn back on the probability scale, through the median;
    dotted lines for its 95% CI when there are at least ``min_n_band`` points."""
    years = np.linspace(0, (end - start).days / 365.25, 50)
    dates = start + pd.to_timedelta(years * 365.25, unit="D")
    logit_c = np.log(centre / (1 - centre)) if 0 < centre < 1 else 0.0
    mid = (end - start).days / 365.25 / 2
    lines = [(t["slope_logit_per_year"], "-", 1.6)]
    if t["n"] >= min_n_band:  # with few points the CI of the slope is too wide to draw usefully
        lines += [(t["slope_low"], ":", 1.0), (t["slope_high"], ":", 1.0)]
    for slope, style, width in lines:
        y = 1 / (1 + np.exp(-(logit_c + slope * (years - mid))))
        ax.plot(dates, y, style, color=colour, lw=width, zorder=1)


MIN_LINE = 10  # no trend line through fewer points: the points alone are shown


def _provider_points(ax, gp: pd.DataFrame, s: dict, prov: str) -> None:
    """One provider's points, with Wilson error bars where the item count is known."""
    n = gp["n_items"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    lo, hi = _wilson_bounds(gp["safety"].to_numpy(), n)
    has = np.isfinite(lo)
    if has.any():
        ax.errorbar(
            gp["release_date"][has],
            gp["safety"][has],
            yerr=np.clip([gp["safety"][has] - lo[has], hi[has] - gp["safety"][has]], 0, None),
            fmt="none",
            ecolor=s["color"],
            alpha=0.45,
            lw=0.9,
            zorder=2,
        )
    ax.scatter(
        gp["release_date"],
        gp["safety"],
        color=s["color"],
        marker=s["marker"],
        s=30,
        edgecolor="black",
        linewidth=0.4,
        zorder=3,
        label=prov,
    )


def _trend_heading(ax, g: pd.DataFrame, t: pd.DataFrame, heading: str) -> str:
    """Draw the trend (when there is one, through at least ``MIN_LINE`` points) and return the
    panel title with its statistics."""
    if len(t) and np.isfinite(t.iloc[0]["slope_logit_per_year"]) and t.iloc[0]["n"] >= MIN_LINE:
        _band(
            ax,
            t.iloc[0],
            g["release_date"].min(),
            g["release_date"].max(),
            float(g["safety"].median()),
            "black",
        )
        row = t.iloc[0]
        heading += (
            f"\nslope {row['slope_logit_per_year']:+.2f} logit/yr "
            f"[{row['slope_low']:+.2f}, {row['slope_high']:+.2f}], "
            f"τ {row['tau']:+.2f}, p(Holm) {row['p_holm']:.2g}, n {int(row['n'])}"
        )
    elif len(t):
        heading += f"\n{t.iloc[0]['note']} (n={int(t.iloc[0]['n'])})"
    return heading


def _axes_and_labels(
    ax, g: pd.DataFrame, heading: str, ylabel: str, label_top: int, label_bottom: int
) -> None:
    """Title, axis labels and limits, year ticks, and the extreme models labelled off-marker."""
    from adjustText import adjust_text

    ranked = g.sort_values("safety")
    chosen = pd.concat([ranked.tail(label_top), ranked.head(label_bottom)]).drop_duplicates(
        "model_id"
    )
    texts = [
        ax.text(r.release_date, r.safety, r.display_name, fontsize=7) for r in chosen.itertuples()
    ]
    name, _, rest = heading.partition("\n")  # wrap the panel name, keep the statistics line whole
    wrapped = textwrap.fill(name, 60) + ("\n" + rest if rest else "")
    ax.set_title(wrapped, fontsize=9.5)
    ax.set_xlabel("model release date")
    ax.set_ylabel(ylabel)
    n_all = g["n_items"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    low_all = _wilson_bounds(g["safety"].to_numpy(), n_all)[0]
    lo_y = max(0.0, float(np.nanmin(np.append(low_all, g["safety"].min()))) - 0.03)
    ax.set_ylim(lo_y, 1.005)
    locator = mpl.dates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mpl.dates.ConciseDateFormatter(locator))
    if texts:
        with _alone(ax):
            adjust_text(
                texts,
                x=mpl.dates.date2num(g["release_date"]),
                y=g["safety"].to_numpy(),
                ax=ax,
                iter_lim=250,
                arrowprops={"arrowstyle": "-", "color": "0.4", "lw": 0.5},
            )


@contextlib.contextmanager
def _alone(ax) -> Iterator[None]:
    """Hide the figure's other panels while adjust_text draws the figure to place this panel's
    labels: the placement depends only on this panel (no layout engine runs until the end), and
    one panel is drawn instead of all of them, once per panel."""
    others = [a for a in ax.figure.axes if a is not ax and a.get_visible()]
    for a in others:
        a.set_visible(False)
    try:
        yield
    finally:
        for a in others:
            a.set_visible(True)


def _provider_legend(fig: plt.Figure, axes: np.ndarray, styles: dict[str, dict]) -> None:
    """One legend for all panels, below them, providers in the order of ``styles``."""
    handles, labels = [], []
    for ax in axes.flat:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    order = [labels.index(p) for p in styles if p in labels]
    # below the panels; bbox_inches="tight" in save_figure keeps it in the file
    fig.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="upper center",
        ncol=min(8, len(order)),
        title="provider",
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )


def plot_over_time(
    df: pd.DataFrame,
    trend_rows: pd.DataFrame,
    styles: dict[str, dict],
    panels: list[str],
    title: str,
    ylabel: str,
    label_top: int = 1,
    label_bottom: int = 3,
    ncols: int = 3,
    strip_prefix: str = "",
) -> plt.Figure:
    """One panel per benchmark: safety against release date, coloured by provider, Wilson
    intervals where the item count is known, the Theil-Sen trend (dotted: its 95% CI; statistics
    in each panel's title), and the highest and lowest models labelled without overlap."""
    nrows = int(np.ceil(len(panels) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 4.3 * nrows), squeeze=False)
    for ax, name in zip(axes.flat, panels, strict=False):
        g = df[df["panel"] == name].sort_values("release_date")
        for prov, gp in g.groupby("provider", sort=False):
            _provider_points(ax, gp, styles.get(prov, {"color": OTHER, "marker": "o"}), prov)
        t = trend_rows[trend_rows["panel"] == name]
        heading = _trend_heading(ax, g, t, name.removeprefix(strip_prefix))
        _axes_and_labels(ax, g, heading, ylabel, label_top, label_bottom)
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    _provider_legend(fig, axes, styles)
    return fig


def _wilson_bounds(p: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return wilson(p * np.nan_to_num(n, nan=0.0), np.where(np.isfinite(n), n, np.nan))


def plot_saturation(df: pd.DataFrame, sat: pd.DataFrame, margin: float, title: str) -> plt.Figure:
    """Every model's normalised safety per benchmark (strip), the ceiling band, and the share of
    models inside it."""
    order = sat.sort_values("share_near_ceiling")["panel"].tolist()
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(order) + 1.6))
    rng = np.random.default_rng(0)
    for i, name in enumerate(order):
        g = df[df["panel"] == name]
        y = i + rng.uniform(-0.18, 0.18, len(g))
        ax.scatter(g["safety"], y, s=12, color=OKABE_ITO[4], alpha=0.7, edgecolor="none")
        row = sat[sat["panel"] == name].iloc[0]
        ax.text(
            1.012,
            i,
            f"{row['share_near_ceiling']:.0%} (n={row['n_models']})",
            va="center",
            fontsize=8,
        )
    ax.axvspan(
        1 - margin,
        1.0,
        color=OKABE_ITO[0],
        alpha=0.2,
        label=f"within {margin:g} of the safest score",
    )
    ax.set_yticks(range(len(order)), order)
    ax.set_xlim(0, 1.0)
    ax.set_xlabel("normalised safety score (0 = least safe end of the scale, 1 = safest)")
    ax.set_title(title)
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(axis="y", alpha=0)
    fig.tight_layout()
    return fig


def plot_saturation_curve(
    curve: pd.DataFrame, panels: list[str], title: str, ncols: int = 4
) -> plt.Figure:
    """Share of models near the ceiling against the margin, one panel per entry of ``panels``,
    with the 95% Wilson band; the dashed line marks half of the models."""
    nrows = int(np.ceil(len(panels) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.2 * nrows), squeeze=False)
    for ax, name in zip(axes.flat, panels, strict=False):
        g = curve[curve["panel"] == name].sort_values("margin")
        for (subset, gs), colour in zip(
            g.groupby("subset", sort=True), OKABE_ITO[4:6], strict=False
        ):
            ax.fill_between(gs["margin"], gs["low"], gs["high"], color=colour, alpha=0.25, lw=0)
            ax.plot(gs["margin"], gs["share"], "-o", ms=3, color=colour,
                    label=f"{subset} (n={int(gs['n_models'].iloc[0])})")  # fmt: skip
        ax.axhline(0.5, ls="--", color="0.5", lw=0.8)
        ax.set_ylim(0, 1)
        ax.set_title(textwrap.fill(name, 48), fontsize=8.5)
        ax.set_xlabel("margin below the safest score (normalised units)")
        ax.set_ylabel("share of models within the margin")
        ax.legend(fontsize=7, loc="best")
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    fig.suptitle(title, fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return fig

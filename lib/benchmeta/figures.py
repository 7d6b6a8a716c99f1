"""Figure style and the one ``save_figure`` helper (PNG + SVG + PDF, byte-stable metadata)."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.dates  # noqa: F401  (mpl.dates)
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .paths import FIGURES

# Okabe & Ito (2008) colour-blind-safe palette; black is kept for "other".
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
OTHER = "#7f7f7f"
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<", ">", "p"]


def use_style() -> None:
    """Readable defaults; fixed hash salt so SVG ids do not change between runs."""
    mpl.rcParams.update(
        {
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "legend.fontsize": 8.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "benchmeta",
            "svg.fonttype": "none",
            "pdf.fonttype": 42,
            "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
        }
    )


def style_map(labels: list[str], max_colours: int = len(OKABE_ITO)) -> dict[str, dict]:
    """Colour and marker per label: the first ``max_colours`` labels (pass them most common first)
    get distinct Okabe-Ito colours; the rest share grey with distinct markers."""
    out = {}
    for i, lab in enumerate(labels):
        colour = OKABE_ITO[i] if i < max_colours else OTHER
        out[lab] = {"color": colour, "marker": MARKERS[i % len(MARKERS)]}
    return out


def save_figure(fig: plt.Figure, name: str, folder: Path = FIGURES, pdf: bool = True) -> list[Path]:
    """Write ``name``.png/.svg(/.pdf) with no timestamps or software-version noise."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    meta = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }
    for ext in ["png", "svg"] + (["pdf"] if pdf else []):
        path = folder / f"{name}.{ext}"
        fig.savefig(path, format=ext, metadata=meta[ext], bbox_inches="tight")
        paths.append(path)
    return paths


# --- plots used by the notebooks ------------------------------------------------------------


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
    from adjustText import adjust_text

    nrows = int(np.ceil(len(panels) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 4.3 * nrows), squeeze=False)
    for ax, name in zip(axes.flat, panels, strict=False):
        g = df[df["panel"] == name].sort_values("release_date")
        for prov, gp in g.groupby("provider", sort=False):
            s = styles.get(prov, {"color": OTHER, "marker": "o"})
            n = gp["n_items"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            lo, hi = _wilson_bounds(gp["safety"].to_numpy(), n)
            has = np.isfinite(lo)
            if has.any():
                ax.errorbar(
                    gp["release_date"][has],
                    gp["safety"][has],
                    yerr=np.clip(
                        [gp["safety"][has] - lo[has], hi[has] - gp["safety"][has]], 0, None
                    ),
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
        t = trend_rows[trend_rows["panel"] == name]
        heading = name.removeprefix(strip_prefix)
        if len(t) and np.isfinite(t.iloc[0]["slope_logit_per_year"]):
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
        ranked = g.sort_values("safety")
        chosen = pd.concat([ranked.tail(label_top), ranked.head(label_bottom)]).drop_duplicates(
            "model_id"
        )
        texts = [
            ax.text(r.release_date, r.safety, r.display_name, fontsize=7)
            for r in chosen.itertuples()
        ]
        ax.set_title(heading, fontsize=9.5)
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
            adjust_text(
                texts,
                x=mpl.dates.date2num(g["release_date"]),
                y=g["safety"].to_numpy(),
                ax=ax,
                iter_lim=250,
                arrowprops={"arrowstyle": "-", "color": "0.4", "lw": 0.5},
            )
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    handles, labels = [], []
    for ax in axes.flat:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    order = [labels.index(p) for p in styles if p in labels]
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
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
    return fig


def _wilson_bounds(p: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from .stats import wilson

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


GROUP_COLOURS = {"benchmark": OKABE_ITO[5], "non-benchmark": OKABE_ITO[4]}


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
            xerr=[g["coverage"] - g["coverage_low"], g["coverage_high"] - g["coverage"]],
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


def plot_survival(km: dict[str, pd.DataFrame], title: str):
    """Kaplan-Meier step curves with 95% bands, by group (colour-blind-safe colours)."""
    from . import repositories

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
    ax.set_title(
        f"{title}\n(stale = {repositories.STALE_DAYS} days without a commit; 95% bands; {sub})"
    )
    ax.legend(loc="upper right", frameon=False)
    fig.tight_layout()
    return fig


def plot_readiness(shares: pd.DataFrame, title: str, reference: pd.DataFrame | None = None):
    """Share meeting each item by group (Wilson CI) with the unknown count beside each bar;
    the study's shares marked where an item approximates one of theirs."""
    from . import repositories

    items = list(dict.fromkeys(shares["item"]))
    fig, ax = plt.subplots(figsize=(9.5, 0.62 * len(items) + 1.8))
    for j, group in enumerate(repositories.GROUPS):
        g = shares[shares["group"] == group].set_index("item").reindex(items)
        y = np.arange(len(items)) + (0.2 if j else -0.2)
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
    if reference is not None:
        for _, r in reference.iterrows():
            if r["our_item"] in items:
                i = items.index(r["our_item"])
                ax.plot(
                    [r["reference_share"]] * 2, [i - 0.45, i + 0.45], color="black", lw=2, ls="--"
                )
        ax.plot(
            [],
            [],
            color="black",
            lw=2,
            ls="--",
            label="reference study, hands-on share (all its repositories)",
        )
    ax.set_yticks(range(len(items)), [repositories.READINESS.get(i, i) for i in items])
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

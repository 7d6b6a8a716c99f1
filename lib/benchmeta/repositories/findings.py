"""One sentence per headline comparison that says what holds: direction and size beside the
reference study, significance unadjusted (and Holm where it applies), after adjustment, and
over the specification curve. Used by the answers of notebooks 02, 03 and 05."""

from __future__ import annotations

import numpy as np
import pandas as pd

SIMILAR = 0.10  # |our delta - reference delta| at most this: "similar size"


def _fmt(x: float) -> str:
    return f"{x:.2g}" if np.isfinite(x) else "n/a"


def versus_reference(r: pd.Series) -> str:
    """'same direction as the reference (δ +0.28, p = 0.031), similar size' or the contrary."""
    ref = r.get("reference_delta_our_sign", np.nan)
    ref_p = r.get("reference_p", np.nan)
    if pd.isna(r.get("reference_metric")) or not np.isfinite(r["cliffs_delta"]):
        return ""
    if not np.isfinite(ref):
        return f"the reference reports p = {_fmt(ref_p)} and no delta we can compare"
    same = np.sign(ref) == np.sign(r["cliffs_delta"])
    diff = abs(r["cliffs_delta"] - ref)
    size = (
        "similar size"
        if diff <= SIMILAR
        else ("smaller" if abs(r["cliffs_delta"]) < abs(ref) else "larger")
    )
    head = "same direction as" if same else "opposite direction to"
    return f"{head} the reference (δ {ref:+.2f}, p = {_fmt(ref_p)}){', ' + size if same else ''}"


def adjusted_clause(a: pd.Series | None, alpha: float) -> str:
    if a is None or not np.isfinite(a.get("p", np.nan)):
        return ""
    unit = (
        "×"
        if a["effect"] in ("rate ratio", "odds ratio")
        else (" points" if "points" in a["effect"] else "")
    )
    fmt = (
        f"{a['coef']:.2f}{unit} [{a['low']:.2f}, {a['high']:.2f}]"
        if unit == "×"
        else (f"{a['coef']:+.2f}{unit} [{a['low']:+.2f}, {a['high']:+.2f}]")
    )
    holds = "holds" if a["p"] < alpha else "not significant"
    model = str(a["model"]).replace("_", " ")
    return (
        f"adjusted for {a.get('adjusted_for', 'size, age and topic')} ({model}): {fmt}, "
        f"p = {_fmt(a['p'])} ({holds})"
    )


def spec_clause(s: pd.Series | None, who: str = "repositories") -> str:
    if s is None:
        return ""
    unrun = int(s.get("specifications_defined", s["specifications"]) - s["specifications"])
    return (
        (f"{unrun} specifications could not be estimated; " if unrun else "")
        + f"{int(s['benchmark_higher'])} of {int(s['specifications'])} specifications put "
        f"benchmark {who} higher, {int(s['significant'])} significant "
        f"({int(s['higher_and_significant'])} higher, {int(s['lower_and_significant'])} lower)"
    )


def finding(
    r: pd.Series,
    what: str,
    alpha: float = 0.05,
    adjusted: pd.Series | None = None,
    spec: pd.Series | None = None,
    unit: str = "",
    who: str = "repositories",
) -> str:
    """The sentence of one comparison (``r``: a row of the group tests, with ``role``)."""
    n = f"n = {int(r['n_benchmark'])} vs {int(r['n_non_benchmark'])}"
    if not np.isfinite(r["p"]):
        return f"{what}: {r['note']} ({n})"
    word = "higher" if r["cliffs_delta"] > 0 else "lower"
    primary = r.get("role") == "primary"
    sig = "significant" if r["p"] < alpha else "not significant"
    p_txt = f"p = {_fmt(r['p'])} unadjusted ({sig})"
    if not primary and "p_holm" in r:
        p_txt += f", Holm p = {_fmt(r['p_holm'])} across the secondary family"
    means = ""
    if "mean_benchmark" in r and np.isfinite(r["mean_benchmark"]):
        means = (
            f", means {r['mean_benchmark']:.3g} vs {r['mean_non_benchmark']:.3g}{unit}, "
            f"medians {r['median_benchmark']:.3g} vs {r['median_non_benchmark']:.3g}{unit}"
        )
    parts = [
        f"{what}{' (primary)' if primary else ''}: benchmark {word}, Cliff's δ = "
        f"{r['cliffs_delta']:+.2f} [{r['delta_low']:+.2f}, {r['delta_high']:+.2f}], "
        f"{n}{means}, {p_txt}"
    ]
    parts += [
        c
        for c in (versus_reference(r), adjusted_clause(adjusted, alpha), spec_clause(spec, who))
        if c
    ]
    return "; ".join(parts)


def row(df: pd.DataFrame, metric: str) -> pd.Series | None:
    """The row of ``metric`` in a table keyed by ``metric`` (None when absent)."""
    hit = df[df["metric"] == metric] if len(df) else df
    return hit.iloc[0] if len(hit) else None

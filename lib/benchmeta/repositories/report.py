"""The answer sentences of notebooks 02, 03 and 04, written from their tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .code_quality import QUALITY
from .maintenance import MAINTENANCE
from .readiness import READINESS_REFERENCE
from .table import GROUPS


def _verdict(
    r: pd.Series, alpha: float, what: str, words: tuple[str, str] = ("higher", "lower")
) -> str:
    if not np.isfinite(r["p"]):
        return f"{what}: {r['note']} (n = {int(r['n_benchmark'])} vs {int(r['n_non_benchmark'])})"
    if r["p_holm"] < alpha:
        word = words[0] if r["cliffs_delta"] > 0 else words[1]
        head = f"benchmark repositories have {word} {what}"
    else:
        head = f"no significant difference in {what}"
    return (
        f"{head} (n = {int(r['n_benchmark'])} vs {int(r['n_non_benchmark'])}, "
        f"Cliff's δ = {r['cliffs_delta']:+.2f} [{r['delta_low']:+.2f}, "
        f"{r['delta_high']:+.2f}], Holm p = {r['p_holm']:.2g})"
    )


def coverage_sentence(table: pd.DataFrame) -> str:
    s = table[table["scanned"]]
    nb = int(s["is_benchmark"].astype(bool).sum())
    return (
        f"Of {len(table)} distinct repositories linked to included papers, "
        f"{int((table['fetch_status'] == 'fetched').sum())} could be fetched and {len(s)} "
        f"were scanned ({nb} benchmark, {len(s) - nb} non-benchmark)"
    )


def headline_quality(table: pd.DataFrame, tests: pd.DataFrame, alpha: float = 0.05) -> str:
    """Notebook 03's answer sentence."""
    t = tests.set_index("metric")
    parts = [
        _verdict(t.loc[m], alpha, QUALITY[m].split(" (")[0])
        for m in ("pylint_score", "cc_mean", "mi_mean")
        if m in t.index
    ]
    sig = t[(t["p_holm"] < alpha)].index.tolist()
    tail = (
        (
            f"; {len(sig)} of {int(t['p'].notna().sum())} quality metrics differ after Holm "
            "correction"
        )
        if len(t)
        else ""
    )
    return coverage_sentence(table) + "; " + "; ".join(parts) + tail + "."


def headline_maintenance(
    table: pd.DataFrame,
    tests: pd.DataFrame,
    stale: pd.DataFrame,
    km: dict[str, pd.DataFrame],
    alpha: float = 0.05,
) -> str:
    """Notebook 02's answer sentence."""
    t = tests.set_index("metric")
    shown = ["n_commits", "commits_per_week"]
    shown += [m for m in t.index if m not in shown and t.loc[m, "p_holm"] < alpha]
    parts = [
        _verdict(
            t.loc[m],
            alpha,
            MAINTENANCE.get(m, m).split(" (")[0].split(":")[0],
            ("a longer", "a shorter") if m == "active_days" else ("more", "fewer"),
        )
        for m in shown
        if m in t.index
    ]
    st = stale.set_index("group")
    ref_col = table.loc[table["scanned"], "reference_date"] if "reference_date" in table else []
    refs = sorted(map(str, pd.Series(ref_col).dropna().unique()))
    stale_txt = f"; stale (no commit for 180 days) on {', '.join(refs) or 'the reference date'}: "
    stale_txt += ", ".join(
        f"{g} {st.loc[g, 'count']}/{st.loc[g, 'n']} ({st.loc[g, 'share']:.0%}, 95% CI "
        f"{st.loc[g, 'low']:.0%}-{st.loc[g, 'high']:.0%})"
        for g in GROUPS
        if g in st.index and st.loc[g, "n"]
    )
    summ = km["summary"].set_index("group")
    med = ", ".join(
        f"{g} {summ.loc[g, 'median_days'] / 30.44:.1f} months"
        if np.isfinite(summ.loc[g, "median_days"])
        else f"{g} not reached"
        for g in GROUPS
        if g in summ.index and summ.loc[g, "n"]
    )
    if not len(st) or not st["n"].sum():
        stale_txt += "no scanned repository"
    med = med or "not estimable (no scanned repository)"
    lr = km["logrank"].iloc[0]
    lr_txt = f" (log-rank p = {lr['p']:.2g})" if np.isfinite(lr.get("p", np.nan)) else ""
    return (
        coverage_sentence(table)
        + "; "
        + "; ".join(parts)
        + stale_txt
        + f"; median time from first commit until stale: {med}{lr_txt}."
    )


def headline_readiness(table: pd.DataFrame, shares: pd.DataFrame, agreement: pd.DataFrame) -> str:
    """Notebook 04's answer sentence."""
    s = shares[shares["group"] == "all"].set_index("item")

    def pct(item: str) -> str:
        r = s.loc[item]
        if not r["yes"] + r["no"]:
            return "none decidable (0 repositories)"
        unk = f", {int(r['unknown'])} unknown" if r["unknown"] else ""
        return (
            f"{r['share_yes']:.0%} ({int(r['yes'])}/{int(r['yes'] + r['no'])}, 95% CI "
            f"{r['low']:.0%}-{r['high']:.0%}{unk})"
        )

    ref = READINESS_REFERENCE.set_index("reference_item")["reference_share"]
    rated = int(agreement["n"].fillna(0).max()) if len(agreement) else 0
    ratings = (
        "no hands-on ratings yet, so runnability itself is not measured"
        if not rated
        else f"hands-on ratings cover {rated} repositories (agreement below)"
    )
    return (
        coverage_sentence(table) + ". Statically, "
        f"{pct('static_ready_to_use')} show install instructions, an environment file and "
        f"a run command (the study's hands-on ready-to-use: {ref['ready_to_use']:.0%}); "
        f"{pct('static_install_guide')} pair instructions with fully pinned dependencies "
        f"(flawless installation guide: {ref['install_guide_flawless']:.0%}); "
        f"{pct('ready_ethics_statement')} carry an ethics or responsible-use statement "
        f"(study: {ref['ethics']:.0%}); {ratings}."
    )

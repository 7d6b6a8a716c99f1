"""The answer sentences of notebooks 02, 03 and 04, written from their tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import findings
from .code_quality import QUALITY
from .maintenance import MAINTENANCE
from .readiness import READINESS, READINESS_REFERENCE
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


def _secondaries(tests: pd.DataFrame, labels: dict[str, str], alpha: float) -> str:
    sec = tests[(tests.get("role", "secondary") == "secondary") & tests["p"].notna()]
    sig = sec[sec["p_holm"] < alpha]
    names = ", ".join(
        f"{labels.get(m, m).split(' (')[0]} (δ = {d:+.2f}, Holm p = {p:.2g})"
        for m, d, p in zip(sig["metric"], sig["cliffs_delta"], sig["p_holm"], strict=True)
    )
    return f"{len(sig)} of {len(sec)} secondary metrics differ after Holm" + (
        f": {names}" if names else ""
    )


def headline_quality(
    table: pd.DataFrame,
    tests: pd.DataFrame,
    adjusted: pd.DataFrame | None = None,
    spec: pd.DataFrame | None = None,
    alpha: float = 0.05,
) -> str:
    """Notebook 03's answer: the primary metric (pylint score) in full, then the secondaries."""
    adjusted = adjusted if adjusted is not None else pd.DataFrame(columns=["metric"])
    spec = spec if spec is not None else pd.DataFrame(columns=["metric"])
    parts = []
    for m in ("pylint_score", "mi_mean"):
        r = findings.row(tests, m)
        if r is not None:
            parts.append(
                findings.finding(
                    r,
                    QUALITY[m].split(" (")[0],
                    alpha,
                    findings.row(adjusted, m),
                    findings.row(spec, m),
                )
            )
    return (
        coverage_sentence(table)
        + ". "
        + ". ".join(parts)
        + ". "
        + _secondaries(tests, QUALITY, alpha)
        + "."
    )


def _stale_text(table: pd.DataFrame, stale: pd.DataFrame, km: dict[str, pd.DataFrame]) -> str:
    st = stale.set_index("group")
    ref_col = table.loc[table["scanned"], "reference_date"] if "reference_date" in table else []
    refs = sorted(map(str, pd.Series(ref_col).dropna().unique()))
    text = f"Stale (no commit for 180 days) on {', '.join(refs) or 'the reference date'}: "
    text += ", ".join(
        f"{g} {st.loc[g, 'count']}/{st.loc[g, 'n']} ({st.loc[g, 'share']:.0%}, 95% CI "
        f"{st.loc[g, 'low']:.0%}-{st.loc[g, 'high']:.0%})"
        for g in GROUPS
        if g in st.index and st.loc[g, "n"]
    )
    if not len(st) or not st["n"].sum():
        text += "no scanned repository"
    summ = km["summary"].set_index("group")
    med = ", ".join(
        f"{g} {summ.loc[g, 'median_days'] / 30.44:.1f} months"
        if np.isfinite(summ.loc[g, "median_days"])
        else f"{g} not reached"
        for g in GROUPS
        if g in summ.index and summ.loc[g, "n"]
    )
    med = med or "not estimable (no scanned repository)"
    return (
        text + f"; median time from first commit until stale: {med} (active life + 180 days by "
        "construction, so not separate evidence from active life)"
    )


def headline_maintenance(
    table: pd.DataFrame,
    tests: pd.DataFrame,
    stale: pd.DataFrame,
    km: dict[str, pd.DataFrame],
    alpha: float = 0.05,
    adjusted: pd.DataFrame | None = None,
    spec: pd.DataFrame | None = None,
) -> str:
    """Notebook 02's answer: commits (primary) in full, both commit-frequency definitions,
    the secondaries that differ after Holm, and the stale share."""
    adjusted = adjusted if adjusted is not None else pd.DataFrame(columns=["metric"])
    spec = spec if spec is not None else pd.DataFrame(columns=["metric"])
    parts = []
    for m in ("n_commits", "commits_per_week", "commits_per_week_to_reference"):
        r = findings.row(tests, m)
        if r is not None:
            what = MAINTENANCE.get(m, m).split(" (")[0].split(":")[0]
            parts.append(
                findings.finding(r, what, alpha, findings.row(adjusted, m), findings.row(spec, m))
            )
    return (
        coverage_sentence(table)
        + ". "
        + ". ".join(parts)
        + ". "
        + _secondaries(tests, MAINTENANCE, alpha)
        + ". "
        + _stale_text(table, stale, km)
        + "."
    )


def headline_readiness(
    table: pd.DataFrame,
    shares: pd.DataFrame,
    agreement: pd.DataFrame,
    tests: pd.DataFrame | None = None,
    adjusted: pd.DataFrame | None = None,
    spec: pd.DataFrame | None = None,
    alpha: float = 0.05,
) -> str:
    """Notebook 04's answer sentence (with the group comparisons when given)."""
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
        + _readiness_groups(tests, adjusted, spec, alpha)
    )


def _readiness_groups(tests, adjusted, spec, alpha: float) -> str:
    if tests is None or not len(tests):
        return ""
    adjusted = adjusted if adjusted is not None else pd.DataFrame(columns=["metric"])
    spec = spec if spec is not None else pd.DataFrame(columns=["metric"])
    parts = [
        findings.finding(
            r,
            READINESS.get(r["metric"].removesuffix("_yes"), r["metric"]) + " (share)",
            alpha,
            findings.row(adjusted, r["metric"]),
            findings.row(spec, r["metric"]),
        )
        for _, r in tests.iterrows()
    ]
    return " By group: " + ". ".join(parts) + "."

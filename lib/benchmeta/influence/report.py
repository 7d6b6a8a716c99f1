"""The answer sentences of notebooks 05 and 06, written from their tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..repositories import findings
from .metrics import METRICS


def _nb_row(nb: pd.DataFrame) -> pd.Series | None:
    """The benchmark term of ``compare.negative_binomial`` in the shape of an adjusted model."""
    hit = nb[nb["term"] == "benchmark"] if "term" in nb else nb.iloc[0:0]
    if not len(hit):
        return None
    r = hit.iloc[0]
    return pd.Series(
        {
            "coef": r["rate_ratio"],
            "low": r["rr_low"],
            "high": r["rr_high"],
            "p": r["p"],
            "effect": "rate ratio",
            "model": "negative binomial, log-age exposure",
            "adjusted_for": "age and topic",
        }
    )


def headline(
    table: pd.DataFrame,
    tests: pd.DataFrame,
    alpha: float = 0.05,
    nb: pd.DataFrame | None = None,
    spec: pd.DataFrame | None = None,
) -> str:
    """Notebook 05's answer: the primary metric (citations) in full, then the secondaries that
    differ after Holm and those that could not be tested."""
    n_b = int(table["is_benchmark"].astype(bool).sum())
    text = f"Of {len(table)} included papers ({n_b} benchmark, {len(table) - n_b} non-benchmark): "
    prim = tests[tests.get("role", "") == "primary"]
    if len(prim):
        r = prim.iloc[0]
        sp = findings.row(spec, r["metric"]) if spec is not None else None
        text += (
            findings.finding(
                r,
                METRICS.get(r["metric"], r["metric"]),
                alpha,
                _nb_row(nb) if nb is not None else None,
                sp,
                who="papers",
            )
            + ". "
        )
    sec = tests[(tests.get("role", "secondary") == "secondary") & tests["p"].notna()]
    sig = sec[sec["p_holm"] < alpha]
    text += (
        f"{len(sig)} of {len(sec)} secondary metrics differ after Holm"
        + (
            ": "
            + ", ".join(
                f"{m} (δ = {d:+.2f}, Holm p = {p:.2g})"
                for m, d, p in zip(sig["metric"], sig["cliffs_delta"], sig["p_holm"], strict=True)
            )
            if len(sig)
            else ""
        )
        + "."
    )
    untested = tests[~np.isfinite(tests["p"])]["metric"].tolist()
    if untested:
        text += f" Not testable with the data at hand: {', '.join(untested)}."
    return text


def correlation_headline(corr: pd.DataFrame, n_repos: int, alpha: float = 0.05) -> str:
    tested = corr[corr["p"].notna()]
    sig = tested[tested["significant"]]
    untested = sorted(set(corr.loc[corr["p"].isna(), "influence"]) - set(tested["influence"]))
    text = (
        f"On {n_repos} scanned repositories, {len(tested)} influence-quality pairs could be "
        f"tested; {len(sig)} {'is' if len(sig) == 1 else 'are'} significant after Holm correction "
        f"(α = {alpha:g})"
    )
    if len(sig):
        text += ": " + "; ".join(
            f"{r.influence} vs {r.quality} ρ = {r.rho:+.2f} [{r.low:+.2f}, {r.high:+.2f}], "
            f"n = {r.n}"
            for r in sig.sort_values("p_holm").itertuples()
        )
    text += "."
    if untested:
        text += f" Not testable with the data at hand: {', '.join(untested)}."
    return text


def adopter_sentence(specs: pd.DataFrame, metric: str, label: str) -> str:
    """'adopters vs mean MI: rho = +0.14 [..] (current definition); 1 of 4 definitions
    significant' from ``vs_quality.adopter_specs``."""
    d = specs[specs["metric"] == metric] if len(specs) else specs
    if not len(d):
        return ""
    cur = d[d["label"] == "adopters"].iloc[0]
    others = "; ".join(
        f"{r.spec}: ρ = {r.estimate:+.2f}, p = {r.p:.2g}"
        for r in d[d["label"] != "adopters"].itertuples()
    )
    return (
        f"Adopters vs {label}: ρ = {cur['estimate']:+.2f} [{cur['low']:+.2f}, "
        f"{cur['high']:+.2f}], n = {int(cur['n'])}, p = {cur['p']:.2g} under the current "
        f"definition ({others}); {int(d['significant'].sum())} of {len(d)} definitions "
        "significant before any correction."
    )

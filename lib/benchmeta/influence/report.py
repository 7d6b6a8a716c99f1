"""The answer sentences of notebooks 05 and 06, written from their tables."""

from __future__ import annotations

import numpy as np
import pandas as pd


def headline(table: pd.DataFrame, tests: pd.DataFrame, alpha: float = 0.05) -> str:
    """The notebook's one-sentence answer, from the tables."""
    n_b = int(table["is_benchmark"].astype(bool).sum())
    tested = tests[np.isfinite(tests["p"])]
    untested = tests[~np.isfinite(tests["p"])]["metric"].tolist()
    parts = []
    for _, r in tested.iterrows():
        verdict = (
            (
                "higher for benchmark papers"
                if r["cliffs_delta"] > 0
                else "lower for benchmark papers"
            )
            if r["p_holm"] < alpha
            else "no significant difference"
        )
        parts.append(
            f"{r['metric']} {verdict} (n = {int(r['n_benchmark'])} vs "
            f"{int(r['n_non_benchmark'])}, Cliff's δ = {r['cliffs_delta']:+.2f}, "
            f"Holm p = {r['p_holm']:.2g})"
        )
    text = (
        f"Of {len(table)} included papers ({n_b} benchmark, {len(table) - n_b} non-benchmark), "
        + ("; ".join(parts) if parts else "no metric has enough data for a test")
        + "."
    )
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

"""Rows of the master reference table that are not group comparisons: corpus size and code
availability (notebook 01), the hands-on usability shares (04), and the findings that need data
the compendium does not hold yet (06)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import reference


def sample_rows(included_vs_reference: pd.DataFrame) -> pd.DataFrame:
    """Group sizes and code availability (notebook 01)."""
    t = included_vs_reference.set_index("group")
    b, nb = t.loc["benchmark"], t.loc["non-benchmark"]
    ours_dir = np.sign(b["share_with_repo"] - nb["share_with_repo"])
    ref_dir = np.sign(b["reference_share"] - nb["reference_share"])
    return pd.DataFrame(
        [
            {
                "finding": "papers per group",
                "notebook": "01",
                "reference_value": f"{reference.PAPERS['benchmark']} benchmark, "
                f"{reference.PAPERS['non-benchmark']} non-benchmark",
                "ours": f"{int(b['papers'])} benchmark, {int(nb['papers'])} non-benchmark",
                "n_benchmark": b["papers"],
                "n_non_benchmark": nb["papers"],
                "status": "measured",
                "verdict": "different corpus (curated lists, not a database search)",
                "definition_difference": "curated lists and rule + curator screening with hand "
                "adjudication; the reference searched databases and screened by hand",
            },
            {
                "finding": "papers with public code",
                "notebook": "01",
                "reference_value": f"{reference.WITH_CODE['benchmark']}/"
                f"{reference.PAPERS['benchmark']} benchmark, "
                f"{reference.WITH_CODE['non-benchmark']}/"
                f"{reference.PAPERS['non-benchmark']} non-benchmark",
                "ours": f"{int(b['with_github_repo'])}/{int(b['papers'])} "
                f"({b['share_with_repo']:.0%}) benchmark, {int(nb['with_github_repo'])}/"
                f"{int(nb['papers'])} ({nb['share_with_repo']:.0%}) non-benchmark",
                "n_benchmark": b["papers"],
                "n_non_benchmark": nb["papers"],
                "status": "measured",
                "same_direction": bool(ours_dir == ref_dir),
                "verdict": "same direction (benchmark papers more often have code), lower shares"
                if ours_dir == ref_dir
                else "opposite direction",
                "definition_difference": "only GitHub links the lists give (a lower bound); the "
                "reference searched each paper for code",
            },
        ]
    )


def hands_on_rows(readiness_vs_reference: pd.DataFrame, ratings_n: int) -> pd.DataFrame:
    """The usability audit's shares (68 / 39 / 16 / 6 %) beside our static proxies."""
    proxy = readiness_vs_reference.set_index("reference_item")
    rows = []
    for r in reference.HANDS_ON.itertuples():
        row = {
            "finding": f"hands-on: {r.reference_label}",
            "notebook": "04",
            "reference_value": f"{r.reference_share:.0%} of repositories",
        }
        if r.reference_item in proxy.index:
            p = proxy.loc[r.reference_item]
            row.update(
                {
                    "ours": f"static proxy {p['our_item']}: {p['share_yes_all']:.0%} "
                    f"[{p['low_all']:.0%}, {p['high_all']:.0%}] of {int(p['n_all'])}",
                    "n_benchmark": p["n_benchmark"],
                    "n_non_benchmark": p["n_non_benchmark"],
                    "status": "static proxy measured; hands-on not measured",
                    "verdict": "cannot test (a static proxy is not a hands-on result)",
                    "definition_difference": p["caveat"],
                }
            )
        else:
            row.update(
                {
                    "ours": "not measured",
                    "verdict": "cannot test",
                    "status": f"not measured: needs hands-on ratings ({ratings_n} so far)",
                    "definition_difference": "no static proxy for running the code",
                }
            )
        rows.append(row)
    return pd.DataFrame(rows)


def unmeasured_rows(have_h_index: bool) -> pd.DataFrame:
    """Findings that need data the compendium does not hold yet."""
    why = "" if have_h_index else "needs author h-index (python -m benchmeta collect influence)"
    return pd.DataFrame(
        [
            {
                "finding": "top-author h-index vs citations",
                "notebook": "06",
                "reference_value": f"Spearman ρ = {reference.H_INDEX_CITATIONS_RHO}",
                "ours": "not measured",
                "verdict": "cannot test",
                "status": f"not measured: {why}",
            },
            {
                "finding": "author prominence vs code quality",
                "notebook": "06",
                "reference_value": "no significant correlation",
                "ours": "not measured",
                "verdict": "cannot test",
                "status": f"not measured: {why}",
            },
            {
                "finding": "the three group means",
                "notebook": "02, 03, 05",
                "reference_value": "not transcribed in core.reference",
                "ours": "means per group are on every comparison row of this table",
                "verdict": "cannot compare",
                "status": "reference values not in the compendium's notes of the study",
            },
        ]
    )

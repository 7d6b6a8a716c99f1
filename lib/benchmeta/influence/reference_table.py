"""The master reference table: every published number of the reference study beside ours.

One row per number (``core.reference`` holds the study's values). For a group comparison the
row carries our Cliff's delta with CI, the unadjusted p, Holm p (across the three pre-specified
primary metrics, or within the secondary family), n, means and medians per group, the adjusted
effect, how many specifications are significant, whether the direction matches, a verdict and
how our definition differs. A number we cannot measure keeps its row, "not measured", with the
reason. Built in notebook 06 from the tables notebooks 01-05 wrote.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import stats
from ..core import reference
from . import reference_other as other_rows

PRIMARIES = {"pylint_score": "quality", "n_commits": "maintenance", "gs_citations": "influence"}
# (finding, our metric, table, reference metric, how our definition differs)
COMPARISONS = [
    (
        "pylint score",
        "pylint_score",
        "quality",
        "pylint score",
        "own code only (vendored code left out); import-error and no-member disabled (nothing "
        "installed); our corpus and label",
    ),
    (
        "maintainability index",
        "mi_mean",
        "quality",
        None,
        "radon MI, mean over own files; the study's value is not transcribed in core.reference",
    ),
    (
        "number of commits",
        "n_commits",
        "maintenance",
        "number of commits",
        "commits on the default branch of the snapshot, bots included",
    ),
    (
        "commit frequency (active life)",
        "commits_per_week",
        "maintenance",
        "commit frequency",
        "commits per week between first and last commit; release dumps left out",
    ),
    (
        "commit frequency (to the reference date)",
        "commits_per_week_to_reference",
        "maintenance",
        "commit frequency",
        "all commits over the weeks from the first commit to the scan's "
        "reference date; release dumps kept",
    ),
    (
        "issue reply time",
        "reply_time_hours",
        "maintenance",
        "issue reply time",
        "median hours to the first outside reply; needs the online GitHub collector",
    ),
    (
        "citations",
        "gs_citations",
        "influence",
        "citations",
        "Google Scholar counts for jailbreak papers in the Jailbreak-Observatory catalogue only",
    ),
    (
        "citation density",
        "gs_citation_density",
        "influence",
        "citation_density",
        "citations per month since the first public version",
    ),
    ("stars", "stars", "influence", "stars", "GitHub stars; needs the online collector"),
    (
        "star density",
        "star_density",
        "influence",
        "star_density",
        "stars per month since creation; needs the online collector",
    ),
    (
        "field count",
        "field_count",
        "influence",
        "field_count",
        "Semantic Scholar fields of study; needs the online collector",
    ),
]
COLUMNS = [
    "finding",
    "notebook",
    "reference_value",
    "reference_p",
    "reference_delta_our_sign",
    "ours",
    "cliffs_delta",
    "delta_low",
    "delta_high",
    "p_unadjusted",
    "p_holm",
    "holm_family",
    "n_benchmark",
    "n_non_benchmark",
    "mean_benchmark",
    "mean_non_benchmark",
    "median_benchmark",
    "median_non_benchmark",
    "adjusted",
    "specifications",
    "same_direction",
    "verdict",
    "definition_difference",
    "status",
]
NOTEBOOK = {"quality": "03", "maintenance": "02", "influence": "05"}


def _verdict(ref_p: float, delta: float, ref_delta: float, p: float, alpha: float) -> str:
    if not np.isfinite(p):
        return "cannot test"
    ref_sig = np.isfinite(ref_p) and ref_p < alpha
    same = np.isfinite(ref_delta) and np.sign(delta) == np.sign(ref_delta)
    if not ref_sig:
        return (
            "consistent: no significant difference in either"
            if p >= alpha
            else "differs: significant here, not in the reference"
        )
    if same:
        return (
            "reproduced (same direction, significant)"
            if p < alpha
            else ("same direction, not significant here")
        )
    return (
        "contradicted (opposite direction, significant)"
        if p < alpha
        else ("opposite direction, not significant")
    )


def _qualifiers(row: dict, alpha: float) -> str:
    """'; Holm p = 0.09 (not significant); adjusted: ...; specifications: ...'."""
    if row.get("status") != "measured":
        return ""
    holm = row["p_holm"]
    out = f"; Holm p = {holm:.2g} ({'significant' if holm < alpha else 'not significant'})"
    if row.get("adjusted"):
        out += f"; adjusted: {row['adjusted']}"
    if row.get("specifications"):
        out += f"; specifications: {row['specifications']}"
    return out


def _spec_text(specs: pd.DataFrame | None, metric: str) -> str:
    if specs is None or not len(specs):
        return ""
    d = specs[(specs["metric"] == metric) & specs["p"].notna()]
    if not len(d):
        return ""
    up = int((d["direction"] > 0).sum())
    return f"{up} of {len(d)} benchmark higher, {int(d['significant'].sum())} significant"


def _adjusted_text(adjusted: pd.DataFrame | None, metric: str) -> str:
    if adjusted is None or not len(adjusted) or "metric" not in adjusted:
        return ""
    a = adjusted[adjusted["metric"] == metric]
    if not len(a) or not np.isfinite(a["p"].iloc[0]):
        return ""
    r = a.iloc[0]
    return f"{r['effect']} {r['coef']:.3g} [{r['low']:.3g}, {r['high']:.3g}], p = {r['p']:.2g}"


GROUP_COLUMNS = (
    "cliffs_delta",
    "delta_low",
    "delta_high",
    "n_benchmark",
    "n_non_benchmark",
    "mean_benchmark",
    "mean_non_benchmark",
    "median_benchmark",
    "median_non_benchmark",
)


def _reference_cells(ref_metric: str | None) -> dict:
    ref = reference.GROUP_TESTS.set_index("reference_metric")
    if ref_metric not in ref.index:
        return {
            "reference_value": "not transcribed",
            "reference_p": np.nan,
            "reference_delta_our_sign": np.nan,
        }
    p, d = ref.loc[ref_metric, ["reference_p", "reference_delta_our_sign"]].astype(float)
    text = f"p = {p:g}" + (f", δ = {d:+.3f} (our sign)" if np.isfinite(d) else "")
    return {"reference_value": text, "reference_p": p, "reference_delta_our_sign": d}


def _measured_cells(
    r: pd.Series,
    family: str,
    metric: str,
    p_holm: float,
    ref_d: float,
    adjusted: dict[str, pd.DataFrame],
    specs: dict[str, pd.DataFrame],
) -> dict:
    delta, p = float(r["cliffs_delta"]), float(r["p"])
    primary = metric in PRIMARIES
    return {
        **{k: r[k] for k in GROUP_COLUMNS},
        "p_unadjusted": p,
        "p_holm": p_holm if primary else r["p_holm"],
        "holm_family": "the three primary metrics" if primary else f"secondary {family} metrics",
        "ours": f"δ = {delta:+.2f}, p = {p:.2g}",
        "adjusted": _adjusted_text(adjusted.get(family), metric),
        "specifications": _spec_text(specs.get(family), metric),
        "same_direction": bool(np.sign(delta) == np.sign(ref_d)) if np.isfinite(ref_d) else pd.NA,
        "status": "measured",
    }


def comparison_rows(
    tests: dict[str, pd.DataFrame],
    adjusted: dict[str, pd.DataFrame],
    specs: dict[str, pd.DataFrame],
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The group-comparison rows (see ``COMPARISONS``)."""
    prim = {m: _p(tests[f], m) for m, f in PRIMARIES.items()}
    holm = dict(zip(prim, stats.holm(pd.Series(prim)), strict=True))
    rows = []
    for finding, metric, family, ref_metric, how in COMPARISONS:
        hit = tests[family][tests[family]["metric"] == metric]
        r = hit.iloc[0] if len(hit) else None
        row = {
            "finding": finding,
            "notebook": NOTEBOOK[family],
            **_reference_cells(ref_metric),
            "definition_difference": how,
        }
        p = float(r["p"]) if r is not None else np.nan
        delta = float(r["cliffs_delta"]) if r is not None else np.nan
        if np.isfinite(p):
            row.update(
                _measured_cells(
                    r,
                    family,
                    metric,
                    holm.get(metric, np.nan),
                    row["reference_delta_our_sign"],
                    adjusted,
                    specs,
                )
            )
        else:
            why = r["note"] if r is not None and r["note"] else "no data"
            row.update({"ours": "not measured", "status": f"not measured: {why}"})
        row["verdict"] = _verdict(
            row["reference_p"], delta, row["reference_delta_our_sign"], p, alpha
        ) + _qualifiers(row, alpha)
        rows.append(row)
    return pd.DataFrame(rows)


def _p(t: pd.DataFrame, metric: str) -> float:
    hit = t[t["metric"] == metric]
    return float(hit["p"].iloc[0]) if len(hit) else np.nan


def master_table(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """All rows in one table with the published columns."""
    return pd.concat(parts, ignore_index=True).reindex(columns=COLUMNS)


def build(read, influence: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """The master table from the tables of notebooks 01-05 (``read``: name -> DataFrame, e.g.
    ``core.tables.read_table``) and notebook 05's influence table."""
    tests = {f: read(f"{f}_group_tests") for f in ("quality", "maintenance", "influence")}
    nb = read("influence_negative_binomial")
    nb = (
        nb[nb["term"] == "benchmark"]
        .rename(columns={"rate_ratio": "coef", "rr_low": "low", "rr_high": "high"})
        .assign(metric="gs_citations", effect="rate ratio")
    )
    adjusted = {
        "quality": read("quality_adjusted"),
        "maintenance": read("maintenance_adjusted"),
        "influence": nb,
    }
    specs = {f: read(f"{f}_specifications") for f in ("quality", "maintenance", "influence")}
    ratings = read("readiness_rating_agreement")
    have_h = "top_author_h_index" in influence and influence["top_author_h_index"].notna().any()
    return master_table(
        [
            other_rows.sample_rows(read("included_vs_reference")),
            comparison_rows(tests, adjusted, specs, alpha),
            other_rows.hands_on_rows(
                read("readiness_vs_reference"), int(ratings["n"].fillna(0).max())
            ),
            other_rows.unmeasured_rows(bool(have_h)),
        ]
    )


def summary_sentence(master: pd.DataFrame) -> str:
    """How many of the study's numbers we reproduce, contradict or cannot test."""
    v = master["verdict"].fillna("").str
    counts = {
        "reproduced unadjusted": int(v.startswith("reproduced").sum()),
        "consistent (no difference in either)": int(v.startswith("consistent").sum()),
        "same direction, not significant": int(v.startswith("same direction, not").sum()),
        "opposite direction": int((v.startswith("opposite") | v.startswith("contradicted")).sum()),
        "cannot test": int(v.startswith("cannot").sum()),
    }
    counts["descriptive (corpus size)"] = len(master) - sum(counts.values())
    return f"Of the reference study's {len(master)} numbers: " + ", ".join(
        f"{k} {n}" for k, n in counts.items()
    )

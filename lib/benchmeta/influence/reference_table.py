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


def comparison_rows(
    tests: dict[str, pd.DataFrame],
    adjusted: dict[str, pd.DataFrame],
    specs: dict[str, pd.DataFrame],
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The group-comparison rows (see ``COMPARISONS``)."""
    ref = reference.GROUP_TESTS.set_index("reference_metric")
    prim = {m: _p(tests[f], m) for m, f in PRIMARIES.items()}
    holm = dict(zip(prim, stats.holm(pd.Series(prim)), strict=True))
    rows = []
    for finding, metric, family, ref_metric, how in COMPARISONS:
        t = tests[family]
        hit = t[t["metric"] == metric]
        r = hit.iloc[0] if len(hit) else None
        rp = ref.loc[ref_metric] if ref_metric in ref.index else None
        ref_p = float(rp["reference_p"]) if rp is not None else np.nan
        ref_d = float(rp["reference_delta_our_sign"]) if rp is not None else np.nan
        p = float(r["p"]) if r is not None else np.nan
        delta = float(r["cliffs_delta"]) if r is not None else np.nan
        row = {
            "finding": finding,
            "notebook": NOTEBOOK[family],
            "reference_value": (
                f"p = {ref_p:g}" + (f", δ = {ref_d:+.3f} (our sign)" if np.isfinite(ref_d) else "")
            )
            if rp is not None
            else "not transcribed",
            "reference_p": ref_p,
            "reference_delta_our_sign": ref_d,
            "definition_difference": how,
        }
        if r is not None and np.isfinite(p):
            row.update(
                {
                    k: r[k]
                    for k in (
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
                }
            )
            primary = metric in PRIMARIES
            row.update(
                {
                    "p_unadjusted": p,
                    "p_holm": holm[metric] if primary else r["p_holm"],
                    "holm_family": "the three primary metrics"
                    if primary
                    else f"secondary {family} metrics",
                    "ours": f"δ = {delta:+.2f}, p = {p:.2g}",
                    "adjusted": _adjusted_text(adjusted.get(family), metric),
                    "specifications": _spec_text(specs.get(family), metric),
                    "same_direction": (
                        bool(np.sign(delta) == np.sign(ref_d)) if np.isfinite(ref_d) else pd.NA
                    ),
                    "status": "measured",
                }
            )
        else:
            row.update(
                {
                    "ours": "not measured",
                    "status": "not measured: "
                    + (r["note"] if r is not None and r["note"] else "no data"),
                }
            )
        row["verdict"] = _verdict(ref_p, delta, ref_d, p, alpha) + _qualifiers(row, alpha)
        rows.append(row)
    return pd.DataFrame(rows)


def _p(t: pd.DataFrame, metric: str) -> float:
    hit = t[t["metric"] == metric]
    return float(hit["p"].iloc[0]) if len(hit) else np.nan


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
            sample_rows(read("included_vs_reference")),
            comparison_rows(tests, adjusted, specs, alpha),
            hands_on_rows(read("readiness_vs_reference"), int(ratings["n"].fillna(0).max())),
            unmeasured_rows(bool(have_h)),
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

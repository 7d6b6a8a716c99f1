"""Academic influence of the included papers: what can be measured, by group, with coverage.

Every metric is a column of one table (``influence_table``), one row per included paper; a metric
with no data is all-missing, never zero, and ``coverage`` says so. Online metrics (Semantic Scholar,
OpenAlex, GitHub) are read from ``data_raw/collected/`` when a collector has filled it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from ..core import manifest
from ..core.ids import norm_title
from ..core.paths import DATA_RAW
from . import adoption

# The reference study's group comparisons. Its Cliff's delta is non-benchmark vs benchmark
# (negative = benchmark papers higher: e.g. stars p=0.004, delta=-0.347); ours is benchmark vs
# non-benchmark, so tables also show its delta with our sign.
REFERENCE = pd.DataFrame(
    [
        ("citations", 0.237, -0.130),
        ("citation_density", 0.309, -0.112),
        ("stars", 0.004, -0.347),
        ("star_density", 0.012, -0.301),
        ("field_count", 0.632, -0.052),
    ],
    columns=["metric", "reference_p", "reference_delta"],
)

METRICS = {
    "gs_citations": "Google Scholar citations (Jailbreak-Observatory, 2026-09-06)",
    "gs_citation_density": "Google Scholar citations per month since first version",
    "curator_lists": "curated lists that list the paper",
    "s2_citations": "Semantic Scholar citations",
    "s2_citation_density": "Semantic Scholar citations per month since first version",
    "field_count": "Semantic Scholar fields of study",
    "top_author_h_index": "highest h-index among the authors",
    "stars": "GitHub stars",
    "star_density": "GitHub stars per month since repository creation",
    "adopters": "other scanned repositories that reference the paper's repository",
}
UNITS = {
    "gs_citations": "citations",
    "gs_citation_density": "citations per month",
    "curator_lists": "curated lists",
    "s2_citations": "citations",
    "s2_citation_density": "citations per month",
    "field_count": "fields of study",
    "top_author_h_index": "h-index",
    "stars": "stars",
    "star_density": "stars per month",
    "adopters": "referencing repositories",
}
# our metric -> the reference study's metric name
REFERENCE_OF = {
    "gs_citations": "citations",
    "s2_citations": "citations",
    "gs_citation_density": "citation_density",
    "s2_citation_density": "citation_density",
    "stars": "stars",
    "star_density": "star_density",
    "field_count": "field_count",
}


def months_between(start: pd.Series, end: pd.Timestamp | pd.Series) -> pd.Series:
    """Months (30.44 days) from ``start`` to ``end``; at least half a month, NaN if unknown."""
    days = (pd.to_datetime(end) - pd.to_datetime(start)).dt.days
    return (days / 30.44).clip(lower=0.5)


def match_citations(included: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Join the citation catalogue to papers by normalised title (exact key, never fuzzy).

    Returns ``paper_id, gs_citations, gs_checked, gs_category``; unmatched papers get NaN.
    """
    cat = catalog.assign(key=catalog["title"].map(norm_title))
    cat = cat[cat["key"] != ""].drop_duplicates("key")
    keys = included[["paper_id"]].assign(key=included["title"].map(norm_title))
    out = keys.merge(cat[["key", "citations", "last_checked", "category"]], on="key", how="left")
    return out.rename(
        columns={
            "citations": "gs_citations",
            "last_checked": "gs_checked",
            "category": "gs_category",
        }
    ).drop(columns="key")


def _collected(data_raw: Path, name: str) -> tuple[pd.DataFrame | None, pd.Timestamp | None]:
    """A collector's table and its retrieval date (from the MANIFEST), or (None, None)."""
    path = data_raw / "collected" / name
    if not path.exists():
        return None, None
    df = pd.read_csv(path, dtype={"paper_id": str, "repo": str, "status": str})
    if "status" in df:
        df = df[df["status"] == "ok"]
    rows = manifest.read(data_raw)
    hit = rows.loc[rows["path"] == f"collected/{name}", "retrieved_at"]
    return df, (pd.Timestamp(hit.iloc[0]) if len(hit) else None)


def influence_table(
    included: pd.DataFrame, data_raw: Path = DATA_RAW, gs_date: str = "2026-09-06"
) -> pd.DataFrame:
    """One row per included paper with every influence metric that the data allow."""
    df = included[
        ["paper_id", "title", "first_version_date", "topic", "is_benchmark", "repo", "sources"]
    ].copy()
    df["first_version_date"] = pd.to_datetime(df["first_version_date"], errors="coerce")
    df["curator_lists"] = (
        df["sources"]
        .fillna("")
        .map(lambda s: len([x for x in s.split(";") if x and x != "manual"]))
    )
    catalog = pd.read_csv(data_raw / "citations" / "jailbreak_observatory_citations.csv")
    df = df.merge(match_citations(df, catalog), on="paper_id", how="left")
    df["gs_age_months"] = months_between(df["first_version_date"], pd.Timestamp(gs_date))
    df["gs_citation_density"] = df["gs_citations"] / df["gs_age_months"]

    s2, s2_date = _collected(data_raw, "influence/s2_papers.csv")
    if s2 is not None and not s2.empty:
        keep = {
            "paper_id": "paper_id",
            "citation_count": "s2_citations",
            "n_fields": "field_count",
            "top_author_h_index": "top_author_h_index",
        }
        df = df.merge(
            s2[[c for c in keep if c in s2]].rename(columns=keep), on="paper_id", how="left"
        )
        if s2_date is not None:
            df["s2_citation_density"] = df["s2_citations"] / months_between(
                df["first_version_date"], s2_date
            )
    gh, gh_date = _collected(data_raw, "github/github_repos.csv")
    if gh is not None and not gh.empty and gh_date is not None:
        gh = gh.assign(repo_key=gh["repo"].str.lower())[["repo_key", "stars", "created_at"]]
        df = df.assign(repo_key=df["repo"].str.lower()).merge(gh, on="repo_key", how="left")
        created = pd.to_datetime(df["created_at"], utc=True).dt.tz_localize(None)
        df["star_density"] = df["stars"] / months_between(created, gh_date)
        df = df.drop(columns=["repo_key"])
    refs_path = data_raw / "repos" / "scan_references.csv"
    if refs_path.exists():
        df = df.merge(
            adopters(pd.read_csv(refs_path, keep_default_na=False)), on="repo", how="left"
        )
    for col in METRICS:
        if col not in df:
            df[col] = np.nan
    return df


def adopters(refs: pd.DataFrame) -> pd.DataFrame:
    """For every scanned repository: how many other scanned repositories reference it (by
    GitHub URL, package or Hugging Face dataset; see ``benchmeta.adoption``)."""
    ids = refs[refs["role"] == "identifier"].rename(columns={"repo": "benchmark_repo"})
    edges = adoption.adoption(refs[refs["role"] == "reference"], ids)
    scanned = sorted(refs["repo"].unique())
    counts = adoption.adoption_counts(scanned, edges)
    return counts.rename(columns={"benchmark_repo": "repo"})


def coverage(table: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """Per metric and group: papers, papers with a value, share (Wilson CI)."""
    rows = []
    for m in metrics or list(METRICS):
        for group, g in table.groupby("is_benchmark"):
            have = int(g[m].notna().sum())
            lo, hi = stats.wilson(have, len(g))
            rows.append(
                {
                    "metric": m,
                    "group": "benchmark" if group else "non-benchmark",
                    "papers": len(g),
                    "with_value": have,
                    "coverage": have / len(g),
                    "coverage_low": lo,
                    "coverage_high": hi,
                }
            )
    return pd.DataFrame(rows)


def group_comparison(table: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """Benchmark vs non-benchmark per metric (``stats.benchmark_comparison``) beside the
    reference study's values where it measured the same thing."""
    out = stats.benchmark_comparison(table, metrics or list(METRICS))
    out["reference_metric"] = out["metric"].map(REFERENCE_OF)
    out = out.merge(
        REFERENCE.rename(columns={"metric": "reference_metric"}), on="reference_metric", how="left"
    )
    out["reference_delta_our_sign"] = -out["reference_delta"]
    return out


def negative_binomial(table: pd.DataFrame, count: str, age: str, min_n: int = 30) -> pd.DataFrame:
    """Negative-binomial (NB2) model of a citation count with log(age) offset (exposure),
    benchmark and first-topic terms.

    Returns the coefficient table (rate ratios with 95% CI) or a one-row note when it cannot run.
    """
    import statsmodels.formula.api as smf

    d = table[[count, age, "is_benchmark", "topic"]].dropna()
    if len(d) < min_n or d["is_benchmark"].nunique() < 2:
        return pd.DataFrame(
            [
                {
                    "term": "",
                    "note": f"not run: {len(d)} papers with {count} "
                    f"(needs {min_n} and both groups)",
                }
            ]
        )
    d = d.assign(
        benchmark=d["is_benchmark"].astype(int), topic=d["topic"].astype(str).str.split(";").str[0]
    )
    formula = f"{count} ~ benchmark" + (" + C(topic)" if d["topic"].nunique() > 1 else "")
    res = smf.negativebinomial(formula, d, exposure=d[age]).fit(disp=0, maxiter=200)
    ci = res.conf_int()
    out = pd.DataFrame(
        {
            "term": res.params.index,
            "rate_ratio": np.exp(res.params.values),
            "rr_low": np.exp(ci[0].values),
            "rr_high": np.exp(ci[1].values),
            "p": res.pvalues.values,
            "n": len(d),
            "note": "",
        }
    )
    out.loc[out["term"] == "alpha", ["rate_ratio", "rr_low", "rr_high"]] = np.nan
    out.loc[out["term"] == "alpha", "note"] = f"NB2 dispersion alpha = {res.params['alpha']:.3g}"
    return out


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


QUALITY_METRICS = {
    "pylint_score": "pylint score (0-10)",
    "cc_mean": "mean cyclomatic complexity",
    "mi_mean": "mean maintainability index",
    "comments_per_sloc": "comments per source line",
    "n_commits": "commits",
    "commits_per_week": "commits per week (active life)",
    "days_since_last_commit": "days since last commit",
    "ready_pwc_items_yes": "Papers-with-Code checklist items met (0-5)",
}
INFLUENCE_X = [
    "gs_citations",
    "gs_citation_density",
    "curator_lists",
    "adopters",
    "s2_citations",
    "stars",
    "star_density",
    "top_author_h_index",
]


def with_repositories(influence_table: pd.DataFrame, repos: pd.DataFrame) -> pd.DataFrame:
    """One row per scanned repository: its quality columns and the influence of its first
    paper (the earliest one linking it, as in ``repositories.paper_repositories``)."""
    first = repos.assign(paper_id=repos["paper_ids"].astype(str).str.split(";").str[0])
    cols = ["paper_id", *[c for c in INFLUENCE_X if c in influence_table]]
    return first.merge(influence_table[cols], on="paper_id", how="left")


def correlations(
    table: pd.DataFrame, xs: list[str], ys: list[str], min_n: int = 10, alpha: float = 0.05
) -> pd.DataFrame:
    """Spearman rho (bootstrap CI) for every influence x quality pair with ``min_n`` complete
    pairs; Holm across the pairs that could be tested; the rest say why not."""
    rows = []
    for x in xs:
        for y in ys:
            if x not in table or y not in table:
                c = stats.Correlation(0, np.nan, np.nan, np.nan, np.nan, "not run: no data")
            else:
                c = stats.spearman(
                    pd.to_numeric(table[x], errors="coerce"),
                    pd.to_numeric(table[y], errors="coerce"),
                    min_n=min_n,
                )
            rows.append({"influence": x, "quality": y, **c.as_dict()})
    out = pd.DataFrame(rows)
    out["p_holm"] = stats.holm(out["p"])
    out["significant"] = out["p_holm"] < alpha
    return out


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

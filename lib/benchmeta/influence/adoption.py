"""Code adoption: which scanned repositories use a benchmark (static text only, nothing run).

A repository *references* a benchmark when its README, code or configuration names the
benchmark's GitHub repository, a Hugging Face dataset the benchmark publishes, or the
distribution / import name of the benchmark's package. The references and identifiers are
facts read once per repo@sha by ``benchmeta.scan.references``; matching them to benchmarks is a
join (``adoption``), so a new benchmark needs no rescan.
"""

from __future__ import annotations

import pandas as pd


def adoption(refs: pd.DataFrame, ids: pd.DataFrame) -> pd.DataFrame:
    """Which repositories reference which benchmark, and how.

    ``refs``: ``repo, kind, value`` (from ``references`` of every scanned repository);
    ``ids``: ``benchmark_repo, kind, value`` (from ``identifiers`` of each benchmark).
    A package identifier matches a requirement or an import. Self-references are dropped.
    Returns ``benchmark_repo, repo, via`` (via: the kinds that matched, ';'-joined).
    """
    r = refs.assign(
        match_kind=refs["kind"].replace({"requirement": "package", "import": "package"})
    )
    hits = r.merge(ids.rename(columns={"kind": "match_kind"}), on=["match_kind", "value"])
    hits = hits[hits["repo"].str.lower() != hits["benchmark_repo"].str.lower()]
    out = (
        hits.groupby(["benchmark_repo", "repo"])["kind"]
        .agg(lambda s: ";".join(sorted(set(s))))
        .rename("via")
        .reset_index()
    )
    return out.sort_values(["benchmark_repo", "repo"]).reset_index(drop=True)


def adoption_counts(benchmarks: list[str], edges: pd.DataFrame) -> pd.DataFrame:
    """Per benchmark repository: how many other scanned repositories reference it."""
    n = edges.groupby(edges["benchmark_repo"].str.lower())["repo"].nunique()
    out = pd.DataFrame({"benchmark_repo": benchmarks})
    out["adopters"] = out["benchmark_repo"].str.lower().map(n).fillna(0).astype(int)
    return out

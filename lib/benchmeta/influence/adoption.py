"""Code adoption: which scanned repositories use a benchmark (static text only, nothing run).

An adoption *edge* joins a referring repository to a benchmark repository when a line of the
referring repository's own code, README or requirements names

- the benchmark's GitHub repository (``github``),
- a Hugging Face dataset the benchmark publishes (``hf_dataset``), or
- the benchmark's distinctive published package (``package``: required or imported),

where the dataset and package identifiers count only when ``adoption_identifiers.csv`` (a
hand-kept, dated decision per identifier, with its evidence) says ``own``: a package must be on
the package index under that name and belong to the benchmark; generic folder names
(``experiments``, ``configs``) and packages the benchmark itself vendors never count. A line in
vendored code of the referring repository (``benchmeta.scan.vendored``) never counts, and
self-references are dropped. The lines are located by ``benchmeta.scan.reference_lines``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

KIND_ORDER = {"package": 0, "hf_dataset": 1, "github": 2}
EDGE_COLUMNS = [
    "edge_id",
    "benchmark_repo",
    "repo",
    "kind",
    "kinds",
    "matched_text",
    "path",
    "line_no",
    "line_text",
    "n_lines",
]


def accepted_identifiers(scanned: list[str], decisions: pd.DataFrame) -> pd.DataFrame:
    """``benchmark_repo, kind, value`` that count for adoption: every scanned repository's own
    GitHub key, and the dataset and package identifiers decided ``own``."""
    gh = pd.DataFrame(
        {"benchmark_repo": scanned, "kind": "github", "value": [r.lower() for r in scanned]}
    )
    own = decisions[decisions["decision"] == "own"][["benchmark_repo", "kind", "value"]]
    return pd.concat([gh, own], ignore_index=True).drop_duplicates()


def candidate_lines(lines: pd.DataFrame, ids: pd.DataFrame) -> pd.DataFrame:
    """Reference lines that name an accepted identifier of another repository, with
    ``vendored`` telling which of them sit in vendored code of the referring repository."""
    ln = lines.assign(
        kind=lines["kind"].replace({"requirement": "package", "import": "package"}),
        line_kind=lines["kind"],
    )
    hits = ln.merge(ids, on=["kind", "value"])
    return hits[hits["repo"].str.lower() != hits["benchmark_repo"].str.lower()]


def adoption_edges(lines: pd.DataFrame, ids: pd.DataFrame) -> pd.DataFrame:
    """One edge per (benchmark, referring repository) from lines outside vendored code; the
    evidence is the first line of the most specific kind (package, then dataset, then URL)."""
    hits = candidate_lines(lines, ids)
    hits = hits[hits["vendored"].fillna("") == ""]
    if hits.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    hits = hits.assign(_o=hits["kind"].map(KIND_ORDER)).sort_values(
        ["benchmark_repo", "repo", "_o", "path", "line_no"]
    )
    g = hits.groupby(["benchmark_repo", "repo"], sort=True)
    out = g.first().reset_index()
    out["kinds"] = g["kind"].agg(lambda s: ";".join(sorted(set(s)))).values
    out["n_lines"] = g.size().values
    out = out.rename(columns={"value": "matched_text"})
    out["edge_id"] = [f"E{i + 1:03d}" for i in range(len(out))]
    return out[EDGE_COLUMNS]


def adoption_counts(benchmarks: list[str], edges: pd.DataFrame) -> pd.DataFrame:
    """Per benchmark repository: how many other scanned repositories reference it."""
    n = edges.groupby(edges["benchmark_repo"].str.lower())["repo"].nunique()
    out = pd.DataFrame({"benchmark_repo": benchmarks})
    out["adopters"] = out["benchmark_repo"].str.lower().map(n).fillna(0).astype(int)
    return out


def legacy_edges(refs: pd.DataFrame, ids: pd.DataFrame) -> pd.DataFrame:
    """The earlier definition, kept for comparison: any identifier of a scanned repository
    (including every top-level folder name) matched anywhere, vendored code included.
    Returns ``benchmark_repo, repo, via``."""
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


RULES_OFF = ("copyright_header", "nested_project")


def load(folder: Path) -> dict[str, pd.DataFrame]:
    """The committed inputs of adoption in ``folder`` (``data_raw/repos``): ``references``,
    ``lines`` and ``decisions``; empty frames when absent."""
    out = {}
    for key, name in (
        ("references", "scan_references.csv"),
        ("lines", "scan_reference_lines.csv"),
        ("decisions", "adoption_identifiers.csv"),
    ):
        path = folder / name
        out[key] = pd.read_csv(path, keep_default_na=False) if path.exists() else pd.DataFrame()
    return out


def edges_for(
    data: dict[str, pd.DataFrame],
    kinds: tuple[str, ...] = ("github", "hf_dataset", "package"),
    vendored_rules: str = "all",
) -> pd.DataFrame:
    """Adoption edges under one definition: the identifier ``kinds`` that count, and which
    vendored-code rules hide a line (``all``, or ``without copyright_header, nested_project``:
    lines those two rules alone flag count again)."""
    refs, lines = data["references"], data["lines"]
    if refs.empty or lines.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    ids = accepted_identifiers(sorted(refs["repo"].unique()), data["decisions"])
    ids = ids[ids["kind"].isin(kinds)]
    if vendored_rules != "all":
        rule = lines["vendored"].astype(str).str.split(":").str[0]
        lines = lines.assign(vendored=lines["vendored"].where(~rule.isin(RULES_OFF), ""))
    return adoption_edges(lines, ids)


def adopters_table(data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per scanned repository: ``adopters`` (the current definition), ``adopters_url_dataset``
    (GitHub URL and dataset edges only), ``adopters_rules_off`` (lines flagged only by the
    copyright_header or nested_project rule count) and ``adopters_legacy`` (the earlier
    definition, for comparison)."""
    refs = data["references"]
    scanned = sorted(refs["repo"].unique())
    out = pd.DataFrame({"repo": scanned})
    variants = {
        "adopters": edges_for(data),
        "adopters_url_dataset": edges_for(data, ("github", "hf_dataset")),
        "adopters_rules_off": edges_for(data, vendored_rules="without"),
    }
    for col, edges in variants.items():
        out[col] = adoption_counts(scanned, edges)["adopters"].to_numpy()
    ids = refs[refs["role"] == "identifier"].rename(columns={"repo": "benchmark_repo"})
    legacy = legacy_edges(refs[refs["role"] == "reference"], ids)
    out["adopters_legacy"] = adoption_counts(scanned, legacy)["adopters"].to_numpy()
    return out

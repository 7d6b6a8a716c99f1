"""Specification curves: does a headline comparison hold over every defensible choice?

Choices (each a column of the result):

- ``label``: which benchmark label the papers carry: ``final`` (rules corrected by hand
  adjudication), ``rules`` only, ``curators`` only (papers without a curator signal left out),
  or ``agreed`` (only papers both passes label alike);
- ``vendored``: ``all rules`` as scanned, or ``without copyright_header, nested_project``: those
  two rules decide which files are measured, and files they exclude were never measured for
  pylint or MI, so for code metrics the repositories they touched are left out (a rescan is
  needed to re-measure them), and own lines of code add their lines back;
- ``release_dumps``: ``in`` or ``out`` (repositories with five commits or fewer);
- ``model``: ``unadjusted`` (Mann-Whitney, Cliff's delta) or ``adjusted``
  (``benchmeta.repositories.adjusted``: coefficient or rate ratio);
- ``metric`` may list several definitions of one quantity (both commit frequencies).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .. import stats
from . import adjusted
from .table import group_name

LABELS = ("final", "rules", "curators", "agreed")
VENDORED = ("all rules", "without copyright_header, nested_project")
RULES_OFF = ("copyright_header", "nested_project")
CODE_METRICS = {"pylint_score", "mi_mean", "mi_median", "cc_mean"}
COLUMNS = [
    "metric",
    "label",
    "vendored",
    "release_dumps",
    "model",
    "n_benchmark",
    "n_non_benchmark",
    "estimate",
    "low",
    "high",
    "p",
    "effect",
    "direction",
    "significant",
    "note",
]


def paper_labels(included: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """Benchmark label of each included paper under each source: ``paper_id, final, rules,
    curators, agreed`` (True / False, missing where the source gives none)."""
    d = decisions[decisions["stage"] == "benchmark"]
    wide = d.pivot_table(index="record_id", columns="reviewer", values="decision", aggfunc="first")
    out = included[["paper_id", "record_id", "is_benchmark"]].rename(
        columns={"is_benchmark": "final"}
    )
    for src in ("rules", "curators"):
        v = out["record_id"].map(wide[src]) if src in wide else pd.Series(np.nan, index=out.index)
        out[src] = v.map({"benchmark": True, "non-benchmark": False})
    out["agreed"] = out["rules"].where(out["rules"] == out["curators"])
    return out.drop(columns="record_id")


def relabel(table: pd.DataFrame, labels: pd.DataFrame, source: str) -> pd.DataFrame:
    """Repositories re-grouped under one label source: benchmark if any linked paper is;
    repositories none of whose papers has a label are left out."""
    lab = labels.set_index("paper_id")[source]
    per = (
        table["paper_ids"]
        .astype(str)
        .str.split(";")
        .map(lambda ids: [lab.get(i) for i in ids if pd.notna(lab.get(i))])
    )
    keep = per.map(len) > 0
    t = table[keep].copy()
    t["is_benchmark"] = per[keep].map(lambda v: bool(any(v)))
    t["group"] = group_name(t["is_benchmark"])
    return t


def rules_off(table: pd.DataFrame, files: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """The table with own lines of code as if ``RULES_OFF`` were not applied (their excluded
    lines added back, column ``loc_rules_off``) and the repositories those rules touched."""
    rule = files["vendored"].fillna("").astype(str).str.split(":").str[0]
    hit = files[rule.isin(RULES_OFF)]
    extra = hit.groupby(hit["repo"].str.lower())["loc"].sum()
    key = table["repo"].str.lower()
    out = table.assign(
        loc_rules_off=pd.to_numeric(table["loc"], errors="coerce") + key.map(extra).fillna(0)
    )
    return out, set(extra.index)


def _one(t: pd.DataFrame, metric: str, model: str, loc: str) -> dict:
    if model == "unadjusted":
        r = stats.mann_whitney(t.loc[t["is_benchmark"], metric], t.loc[~t["is_benchmark"], metric])
        return {
            "n_benchmark": r.n_a,
            "n_non_benchmark": r.n_b,
            "estimate": r.cliffs_delta,
            "low": r.delta_low,
            "high": r.delta_high,
            "p": r.p,
            "effect": "Cliff's delta",
            "note": r.note,
        }
    f = adjusted.fit(t, metric, loc)
    return {
        "n_benchmark": f.get("n_benchmark"),
        "n_non_benchmark": f["n"] - f["n_benchmark"],
        "estimate": f.get("coef", np.nan),
        "low": f.get("low", np.nan),
        "high": f.get("high", np.nan),
        "p": f.get("p", np.nan),
        "effect": f.get("effect", ""),
        "note": f["note"],
    }


def _cached(done: dict, t: pd.DataFrame, metric: str, model: str, loc: str) -> dict:
    """``_one``, computed once per (metric, model, covariate, rows): the unadjusted test of a
    metric that no vendoring rule changes is the same under both vendoring choices."""
    key = (metric, model, loc if model != "unadjusted" else "", _rows_key(t))
    if key not in done:
        done[key] = _one(t, metric, model, loc)
    return done[key]


def _rows_key(t: pd.DataFrame) -> tuple:
    """The rows a specification selects, and their groups."""
    return (tuple(t.index), tuple(t["is_benchmark"]))


def curve(
    table: pd.DataFrame,
    labels: pd.DataFrame,
    files: pd.DataFrame,
    metrics: list[str],
    models: tuple[str, ...] = ("unadjusted", "adjusted"),
    alpha: float = 0.05,
    progress: bool = False,
) -> pd.DataFrame:
    """Every specification of every metric: estimate with CI, p, direction and significance
    (``progress``: a tqdm bar on stderr, off in notebooks so their outputs stay stable)."""
    import sys

    from tqdm import tqdm

    base, touched = rules_off(table, files)
    relabelled = {label: relabel(base, labels, label) for label in LABELS}
    rows = []
    done: dict[tuple, dict] = {}  # specifications that select the same rows and model
    grid = list(itertools.product(metrics, LABELS, VENDORED, ("in", "out"), models))
    for metric, label, vend, dumps, model in tqdm(
        grid, desc="specifications", leave=False, file=sys.stderr, disable=not progress
    ):
        t = relabelled[label]
        loc = "loc"
        if vend != VENDORED[0]:
            loc = "loc_rules_off"
            if metric in CODE_METRICS:
                t = t[~t["repo"].str.lower().isin(touched)]
        if dumps == "out":
            t = t[t["release_dump"].astype("boolean").fillna(False).eq(False)]
        t = t.assign(is_benchmark=t["is_benchmark"].astype(bool))
        rows.append(
            {
                "metric": metric,
                "label": label,
                "vendored": vend,
                "release_dumps": dumps,
                "model": model,
                **_cached(done, t, metric, model, loc),
            }
        )
    out = pd.DataFrame(rows)
    centre = np.where(out["effect"].isin(["rate ratio", "odds ratio"]), 1.0, 0.0)
    out["direction"] = np.sign(out["estimate"] - centre)
    out["significant"] = out["p"] < alpha
    return out.reindex(columns=COLUMNS)


def summary(specs: pd.DataFrame) -> pd.DataFrame:
    """Per metric: specifications run, how many put benchmark repositories higher, how many are
    significant (p < alpha), and how many are both."""
    ran = specs[specs["p"].notna()]
    g = ran.groupby("metric", sort=False)
    return pd.DataFrame(
        {
            "specifications_defined": specs.groupby("metric", sort=False).size(),
            "specifications": g.size(),
            "benchmark_higher": g["direction"].apply(lambda s: int((s > 0).sum())),
            "significant": g["significant"].sum().astype(int),
            "higher_and_significant": g.apply(
                lambda d: int(((d["direction"] > 0) & d["significant"]).sum()), include_groups=False
            ),
            "lower_and_significant": g.apply(
                lambda d: int(((d["direction"] < 0) & d["significant"]).sum()), include_groups=False
            ),
        }
    ).reset_index()


def sentence(summ: pd.DataFrame, labels: dict[str, str]) -> str:
    """One clause per metric: 'pylint score: 20 of 32 specifications put benchmark
    repositories higher, 5 significant (all higher)'."""
    parts = []
    for r in summ.itertuples():
        sig = (
            f"{r.significant} significant ({r.higher_and_significant} higher, "
            f"{r.lower_and_significant} lower)"
        )
        parts.append(
            f"{labels.get(r.metric, r.metric)}: {r.benchmark_higher} of "
            f"{r.specifications} specifications put benchmark repositories higher, {sig}"
        )
    return "; ".join(parts)

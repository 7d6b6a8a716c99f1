"""Notebook 01's summaries: rule-vs-curator concordance per stage and the headline."""

from __future__ import annotations

import pandas as pd

from .criteria import (
    NO_SIGNAL,
    REVIEWER_ONE,
    REVIEWER_TWO,
    STAGES,
    TOPIC_NAMES,
    TOPICS,
)


def _labels(series: pd.Series, label: str) -> pd.Series:
    return series.map(lambda v: label in str(v).split(";"))


def agreement_table(
    decisions: pd.DataFrame, window_ids: set[str], included_ids: set[str]
) -> pd.DataFrame:
    """Agreement of the two reviewers per stage and label (``benchmeta.stats.agreement``).

    Inclusion on in-window papers (the date is a fact both share); topic per label and
    benchmark on the finally included papers. Records where the curators give no signal are
    left out and counted in ``n_no_signal``."""
    from ..stats import agreement

    rows = []

    def add(stage: str, label: str, pool: set[str], r1: pd.Series, r2: pd.Series, yes: str):
        d = pd.DataFrame({"r1": r1, "r2": r2}).loc[lambda x: x.index.isin(pool)].dropna()
        silent = d["r2"] == NO_SIGNAL
        d = d[~silent]
        a = agreement(d["r1"], d["r2"])
        rows.append(
            {
                "stage": stage,
                "label": label,
                "population": yes,
                "n_no_signal": int(silent.sum()),
                **a.as_dict(),
                "rules_yes": int((d["r1"] == label).sum())
                if stage != "topic"
                else int(d["r1"].sum()),
                "curators_yes": int((d["r2"] == label).sum())
                if stage != "topic"
                else int(d["r2"].sum()),
            }
        )

    for stage in STAGES:
        w = decisions[decisions["stage"] == stage].pivot_table(
            index="record_id", columns="reviewer", values="decision", aggfunc="first"
        )
        if w.empty:
            continue
        if stage == "title-abstract":
            add(
                stage,
                "include",
                window_ids,
                w[REVIEWER_ONE],
                w[REVIEWER_TWO],
                "papers with a first version in the window",
            )
        elif stage == "benchmark":
            add(
                stage,
                "benchmark",
                included_ids,
                w[REVIEWER_ONE],
                w[REVIEWER_TWO],
                "included papers",
            )
        else:
            for t in TOPICS:
                r2 = w[REVIEWER_TWO].where(
                    w[REVIEWER_TWO] == NO_SIGNAL, _labels(w[REVIEWER_TWO], t)
                )
                add(
                    stage,
                    t,
                    included_ids,
                    _labels(w[REVIEWER_ONE], t).astype(object),
                    r2,
                    "included papers",
                )
    out = pd.DataFrame(rows)
    out.insert(5, "n_rated", out.pop("n"))
    return out


def headline(
    n_records: int,
    n_lists: int,
    n_unique: int,
    n_screened: int,
    included: pd.DataFrame,
    agree: pd.DataFrame,
) -> str:
    """The notebook's one-sentence answer, written from the numbers."""
    n_b = int(included["is_benchmark"].sum())
    n_nb = len(included) - n_b
    first = included["topic"].str.split(";").str[0]
    topics = ", ".join(f"{TOPIC_NAMES[t]} {int((first == t).sum())}" for t in TOPICS)
    repo = int((included["repo"] != "").sum())
    rb = int(((included["repo"] != "") & included["is_benchmark"]).sum())

    def fmt(stage: str, label: str) -> str:
        r = agree[(agree["stage"] == stage) & (agree["label"] == label)]
        if r.empty or pd.isna(r.iloc[0]["kappa"]):
            return f"{label}: not computed"
        r = r.iloc[0]
        return (
            f"{label} κ = {r['kappa']:.2f} [{r['kappa_low']:.2f}, {r['kappa_high']:.2f}], "
            f"AC1 = {r['ac1']:.2f} (n = {int(r['n_rated'])})"
        )

    return (
        f"{n_records:,} records from {n_lists} curated lists (plus hand-kept records) gave "
        f"{n_unique:,} unique records; all {n_screened:,} were screened and "
        f"{len(included):,} included: {n_b} benchmark and {n_nb} non-benchmark papers "
        f"(by first topic: {topics}); {repo} have a GitHub repository ({rb} of the "
        f"benchmarks). Agreement between the rules and the curators: "
        f"{fmt('title-abstract', 'include')}; {fmt('benchmark', 'benchmark')}."
    )

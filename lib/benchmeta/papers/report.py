"""Notebook 01's summaries: rule-vs-curator concordance per stage, screening by abstract
availability, and the headline (with the audit's error rates when hand decisions exist)."""

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


def _concordance_row(
    stage: str, label: str, pool: set[str], r1: pd.Series, r2: pd.Series, population: str
) -> dict:
    """One stage/label row: records in ``pool`` rated by both, curators' no signal counted."""
    from ..stats import agreement

    d = pd.DataFrame({"r1": r1, "r2": r2}).loc[lambda x: x.index.isin(pool)].dropna()
    silent = d["r2"] == NO_SIGNAL
    d = d[~silent]
    topic = stage == "topic"
    return {
        "stage": stage, "label": label, "population": population,
        "n_no_signal": int(silent.sum()), **agreement(d["r1"], d["r2"]).as_dict(),
        "rules_yes": int(d["r1"].sum()) if topic else int((d["r1"] == label).sum()),
        "curators_yes": int(d["r2"].sum()) if topic else int((d["r2"] == label).sum()),
    }  # fmt: skip


def concordance_table(
    decisions: pd.DataFrame, window_ids: set[str], included_ids: set[str]
) -> pd.DataFrame:
    """Rule-vs-curator concordance per stage and label (``benchmeta.stats.agreement``): both
    passes come from the lists that form the identification frame, so this is concordance,
    not inter-rater reliability.

    Inclusion on in-window papers (the date is a fact both share); topic per label and
    benchmark on the finally included papers. Records where the curators give no signal are
    left out and counted in ``n_no_signal``."""
    rows = []
    for stage in STAGES:
        w = decisions[decisions["stage"] == stage].pivot_table(
            index="record_id", columns="reviewer", values="decision", aggfunc="first"
        )
        if w.empty:
            continue
        one, two = w[REVIEWER_ONE], w[REVIEWER_TWO]
        if stage == "title-abstract":
            rows.append(
                _concordance_row(
                    stage,
                    "include",
                    window_ids,
                    one,
                    two,
                    "papers with a first version in the window",
                )
            )
        elif stage == "benchmark":
            rows.append(
                _concordance_row(stage, "benchmark", included_ids, one, two, "included papers")
            )
        else:
            for t in TOPICS:
                r2 = two.where(two == NO_SIGNAL, _labels(two, t))
                rows.append(
                    _concordance_row(
                        stage,
                        t,
                        included_ids,
                        _labels(one, t).astype(object),
                        r2,
                        "included papers",
                    )
                )
    out = pd.DataFrame(rows)
    out.insert(5, "n_rated", out.pop("n"))
    return out


def by_abstract(
    unique: pd.DataFrame, decisions: pd.DataFrame, window_ids: set[str]
) -> pd.DataFrame:
    """The rule's title-abstract decisions on in-window records, with and without an
    abstract."""
    d = decisions[
        (decisions["stage"] == "title-abstract")
        & (decisions["reviewer"] == REVIEWER_ONE)
        & decisions["record_id"].isin(window_ids)
    ]
    has = unique.set_index("record_id")["abstract"].fillna("").ne("")
    d = d.assign(
        abstract=d["record_id"].map(has).map({True: "with abstract", False: "without abstract"})
    )
    out = d.pivot_table(
        index="abstract", columns="decision", values="record_id", aggfunc="count", fill_value=0
    )
    out["records"] = out.sum(axis=1)
    out["share_included"] = out.get("include", 0) / out["records"]
    return out.reset_index()


def _ci(r: pd.Series, digits: int = 2) -> str:
    return f"{r['estimate']:.{digits}f} [{r['low']:.{digits}f}, {r['high']:.{digits}f}]"


def _rate(rates: pd.DataFrame, label: str, who: str, measure: str) -> str:
    r = rates[
        (rates["label"] == label)
        & (rates["pass"] == who)
        & (rates["measure"] == measure)
        & rates["subset"].isin(["all", "eligible records"])
    ]
    return "not measured" if r.empty or pd.isna(r.iloc[0]["estimate"]) else _ci(r.iloc[0])


def _count(missed: pd.DataFrame, what: str) -> str:
    r = missed[missed["what"] == what].iloc[0]
    return f"{r['estimate']:,.0f} [{r['low']:,.0f}, {r['high']:,.0f}]"


def audit_sentence(audit: dict[str, pd.DataFrame] | None, n_sheet: int, reference: str) -> str:
    """The audit part of the answer; says so when no hand decisions exist yet."""
    if not audit or audit["rates"].empty:
        return (
            f"The blind hand audit ({n_sheet} in-window records) has no reviewer decisions "
            "yet, so the screen's error rates are not measured."
        )
    rates, missed, n = audit["rates"], audit["missed"], int(audit["reviewed"]["records"].max())
    text = (
        f"Against a blind hand audit of {n} in-window records (reviewer {reference}; rates "
        f"weighted for the stratified sample, 95% Wilson intervals), the keyword rule has "
        f"sensitivity {_rate(rates, 'eligible', 'rules', 'sensitivity')} and specificity "
        f"{_rate(rates, 'eligible', 'rules', 'specificity')}; the final decisions (rule plus "
        f"hand adjudication) {_rate(rates, 'eligible', 'final', 'sensitivity')} and "
        f"{_rate(rates, 'eligible', 'final', 'specificity')}. An estimated "
        f"{_count(missed, 'eligible papers excluded in the final decisions')} eligible papers "
        f"in the window are missing from the included set, and "
        f"{_count(missed, 'eligible benchmark papers not among the included benchmarks')} "
        f"eligible benchmark papers are not among the included benchmarks (final benchmark "
        f"label among eligible papers: sensitivity "
        f"{_rate(rates, 'benchmark', 'final', 'sensitivity')}, specificity "
        f"{_rate(rates, 'benchmark', 'final', 'specificity')})."
    )
    ag = audit["agreement"]
    ag = ag[ag["stage"] == "title-abstract"] if len(ag) else ag
    if len(ag) and pd.notna(ag.iloc[0]["kappa"]):
        a = ag.iloc[0]
        text += (
            f" Two hand reviewers ({a['reviewers']}) agreed on {a['percent']:.0%} of "
            f"{int(a['n'])} records (κ = {a['kappa']:.2f} [{a['kappa_low']:.2f}, "
            f"{a['kappa_high']:.2f}], AC1 = {a['ac1']:.2f})."
        )
    return text


def headline(
    n_records: int,
    n_lists: int,
    n_unique: int,
    included: pd.DataFrame,
    concord: pd.DataFrame,
    n_abstract: int,
    n_adjudicated: int,
    audit_text: str,
) -> str:
    """The notebook's answer, written from the numbers."""
    n_b = int(included["is_benchmark"].sum())
    first = included["topic"].str.split(";").str[0]
    topics = ", ".join(f"{TOPIC_NAMES[t]} {int((first == t).sum())}" for t in TOPICS)
    repo = int((included["repo"] != "").sum())

    def fmt(stage: str, label: str) -> str:
        r = concord[(concord["stage"] == stage) & (concord["label"] == label)]
        if r.empty or pd.isna(r.iloc[0]["kappa"]):
            return f"{label}: not computed"
        r = r.iloc[0]
        return (
            f"{label} κ = {r['kappa']:.2f} [{r['kappa_low']:.2f}, {r['kappa_high']:.2f}], "
            f"AC1 = {r['ac1']:.2f} (n = {int(r['n_rated'])})"
        )

    return (
        f"{n_records:,} entries from {n_lists} curated lists (plus hand-kept records) gave "
        f"{n_unique:,} unique records, screened by a keyword rule over titles (and the "
        f"abstract or curator summary that {n_abstract:,} records have), checked against the "
        f"lists' own metadata, with {n_adjudicated:,} records adjudicated by hand. "
        f"{len(included):,} papers are included: {n_b} benchmark and {len(included) - n_b} "
        f"non-benchmark (by first topic: {topics}); {repo} have a GitHub repository. "
        f"{audit_text} Rule-vs-curator concordance (both come from the lists, so this is not "
        f"inter-rater reliability): {fmt('title-abstract', 'include')}; "
        f"{fmt('benchmark', 'benchmark')}."
    )


CONCORDANCE_VIEW = [
    "stage",
    "label",
    "population",
    "n_rated",
    "n_no_signal",
    "percent",
    "kappa",
    "kappa_low",
    "kappa_high",
    "ac1",
    "rules_yes",
    "curators_yes",
    "note",
]


def concordance_view(concord: pd.DataFrame) -> pd.DataFrame:
    """The columns of the concordance table a reader compares, in reading order."""
    return concord[CONCORDANCE_VIEW]

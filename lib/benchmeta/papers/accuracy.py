"""Error rates of the automated screen, measured on the blind hand-screened audit sample.

The hand decisions are read in the tool-neutral long format ``record_id, stage, reviewer,
decision, reason`` from every CSV in one folder, so an ASReview, Rayyan or Covidence export
converted by ``screening_exports`` can replace or extend them with no code edit. One reviewer
is the reference standard; the others are compared with it.

Rates are weighted by the sample design (``audit.draw_sample``: weight = stratum size / sample
size). Intervals are Wilson intervals on the Kish effective sample size of the weighted
denominator; counts of missed papers are stratum sums with Wilson bounds per stratum (summed:
a conservative interval).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import InputError, csv_line
from ..stats import agreement, wilson
from .adjudication import valid_decision
from .criteria import DECISION_COLUMNS, NO_SIGNAL
from .dedup import remap

HAND_STAGES = ("title-abstract", "benchmark")


def read_hand_screening(folder: Path | str) -> pd.DataFrame:
    """Every ``*.csv`` in ``folder`` (long format), validated: a missing column, unknown stage or
    decision, or a record decided twice by one reviewer is an ``InputError``."""
    frames = []
    for path in sorted(Path(folder).glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = [c for c in DECISION_COLUMNS if c not in df.columns]
        if missing:
            raise InputError(path, 1, f"hand screening lacks columns {missing}", list(df.columns))
        for i, row in df.iterrows():
            if row["stage"] not in HAND_STAGES:
                raise InputError(path, csv_line(int(i)), "unknown stage", row["stage"])
            if not valid_decision(row["stage"], row["decision"]):
                raise InputError(path, csv_line(int(i)), "unknown decision", row["decision"])
        dup = df.duplicated(["record_id", "stage", "reviewer"])
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(path, csv_line(i), "record decided twice", df.iloc[i]["record_id"])
        frames.append(df[DECISION_COLUMNS])
    return (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DECISION_COLUMNS)
    )


def hand_labels(hand: pd.DataFrame, reviewer: str) -> pd.DataFrame:
    """One reviewer's ``eligible`` (bool) and ``benchmark`` (bool, NaN when excluded) per
    record."""
    h = hand[hand["reviewer"] == reviewer]
    ta = h[h["stage"] == "title-abstract"].set_index("record_id")["decision"]
    bm = h[h["stage"] == "benchmark"].set_index("record_id")["decision"]
    out = pd.DataFrame({"eligible": ta == "include"})
    out["benchmark"] = bm.reindex(out.index).map({"benchmark": True, "non-benchmark": False})
    out.loc[~out["eligible"], "benchmark"] = np.nan
    return out


def weighted_rate(hit: pd.Series, weight: pd.Series) -> dict:
    """Weighted proportion with a Wilson interval on the effective sample size."""
    w = weight.astype(float)
    if len(w) == 0 or w.sum() == 0:
        return {"estimate": np.nan, "low": np.nan, "high": np.nan, "n": 0, "n_eff": 0.0}
    p = float((w * hit.astype(float)).sum() / w.sum())
    n_eff = float(w.sum() ** 2 / (w**2).sum())
    low, high = wilson(p * n_eff, n_eff)
    return {"estimate": p, "low": low, "high": high, "n": len(w), "n_eff": n_eff}


def accuracy(
    truth: pd.Series, passes: dict[str, pd.Series], weight: pd.Series, what: str
) -> pd.DataFrame:
    """Sensitivity and specificity of each pass (bool Series by record; NaN = no rating, left
    out and counted) against ``truth`` (bool Series), weighted."""
    rows = []
    for name, said in passes.items():
        d = pd.DataFrame({"truth": truth, "said": said, "w": weight}).dropna(subset=["truth"])
        unrated = int(d["said"].isna().sum())
        d = d.dropna(subset=["said"])
        for measure, pos in (("sensitivity", True), ("specificity", False)):
            sub = d[d["truth"].astype(bool) == pos]
            hit = sub["said"].astype(bool) == pos
            rows.append(
                {
                    "label": what,
                    "pass": name,
                    "measure": measure,
                    **weighted_rate(hit, sub["w"]),
                    "no_rating": unrated,
                }
            )
    return pd.DataFrame(rows)


def missed(design: pd.DataFrame, miss: pd.Series) -> dict:
    """Estimated number of records with ``miss`` True in the whole frame: per stratum
    ``N_h * x_h / n_h`` with Wilson bounds, summed."""
    d = design.set_index("record_id").join(miss.rename("miss")).dropna(subset=["miss"])
    est = low = high = 0.0
    for _, g in d.groupby("stratum"):
        n, big = len(g), int(g["stratum_size"].iloc[0])
        x = int(g["miss"].astype(bool).sum())
        lo, hi = (x / n, x / n) if n == big else wilson(x, n)
        est, low, high = est + big * x / n, low + big * lo, high + big * hi
    return {"estimate": est, "low": low, "high": high, "n_sample": len(d)}


def reviewer_agreement(hand: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Agreement of two hand reviewers on the records both decided, per stage."""
    rows = []
    for stage in HAND_STAGES:
        s = hand[hand["stage"] == stage].pivot_table(
            index="record_id", columns="reviewer", values="decision", aggfunc="first"
        )
        if a not in s or b not in s:
            continue
        both = s[[a, b]].dropna()
        rows.append(
            {"stage": stage, "reviewers": f"{a} vs {b}", **agreement(both[a], both[b]).as_dict()}
        )
    return pd.DataFrame(rows)


def curator_benchmark_flag(decision: pd.Series) -> pd.Series:
    """Curator benchmark decisions as bool, ``no signal`` as NaN (not a negative rating)."""
    return decision.map(lambda v: np.nan if v == NO_SIGNAL or pd.isna(v) else v == "benchmark")


def _flag(decisions: pd.DataFrame, stage: str, reviewer: str, yes: str) -> pd.Series:
    d = decisions[(decisions["stage"] == stage) & (decisions["reviewer"] == reviewer)]
    return d.set_index("record_id")["decision"].eq(yes)


def _final_flag(final: pd.DataFrame, stage: str, yes: str) -> pd.Series:
    return final[final["stage"] == stage].set_index("record_id")["decision"].eq(yes)


def passes(decisions: pd.DataFrame, final: pd.DataFrame) -> dict[str, dict[str, pd.Series]]:
    """Each automated pass's eligibility and benchmark flags by record (curators' ``no signal``
    on the benchmark label is NaN)."""
    from .criteria import REVIEWER_ONE, REVIEWER_TWO

    cur = decisions[(decisions["stage"] == "benchmark") & (decisions["reviewer"] == REVIEWER_TWO)]
    return {
        "eligible": {"rules": _flag(decisions, "title-abstract", REVIEWER_ONE, "include"),
                     "curators": _flag(decisions, "title-abstract", REVIEWER_TWO, "include"),
                     "final": _final_flag(final, "title-abstract", "include")},
        "benchmark": {"rules": _flag(decisions, "benchmark", REVIEWER_ONE, "benchmark"),
                      "curators": curator_benchmark_flag(cur.set_index("record_id")["decision"]),
                      "final": _final_flag(final, "benchmark", "benchmark")},
    }  # fmt: skip


def _missed_table(design: pd.DataFrame, labels: pd.DataFrame, flags: dict) -> pd.DataFrame:
    def on(s: pd.Series) -> pd.Series:
        return s.reindex(labels.index).eq(True)

    truth, is_bm = labels["eligible"], labels["benchmark"].eq(True)
    rule_in, final_in = on(flags["eligible"]["rules"]), on(flags["eligible"]["final"])
    final_bm = on(flags["benchmark"]["final"])
    rows = [
        ("eligible papers excluded by the rule", truth & ~rule_in),
        ("eligible papers excluded in the final decisions", truth & ~final_in),
        ("ineligible records included in the final decisions", ~truth & final_in),
        (
            "eligible benchmark papers not among the included benchmarks",
            truth & is_bm & ~(final_in & final_bm),
        ),
        ("eligible papers in the audit frame", truth),
        ("eligible benchmark papers in the audit frame", truth & is_bm),
    ]
    return pd.DataFrame([{"what": what, **missed(design, m)} for what, m in rows])


def evaluate(
    design: pd.DataFrame,
    unique: pd.DataFrame,
    decisions: pd.DataFrame,
    final: pd.DataFrame,
    hand: pd.DataFrame,
    reference: str,
) -> dict[str, pd.DataFrame]:
    """The audit's measures against ``reference``'s hand decisions: ``rates`` (sensitivity and
    specificity of the rule, the curators and the final decisions, for eligibility overall and
    by abstract availability, and for the benchmark label among eligible records), ``missed``
    (estimated counts in the audit frame), ``agreement`` (between the hand reviewers) and
    ``reviewed`` (records per reviewer). Empty when ``reference`` decided nothing."""
    if reference not in set(hand["reviewer"]):
        return {}
    d = design.set_index("record_id")
    labels = hand_labels(hand, reference)
    labels = labels[labels.index.isin(d.index)]
    w = d["weight"].astype(float)
    has_abs = unique.set_index("record_id")["abstract"].fillna("").ne("")
    flags = passes(decisions, final)
    truth = labels["eligible"]
    parts = [accuracy(truth, flags["eligible"], w, "eligible").assign(subset="all")]
    for name, mask in (("with abstract", True), ("without abstract", False)):
        sub = truth[truth.index.isin(has_abs[has_abs == mask].index)]
        parts.append(
            accuracy(sub, {"rules": flags["eligible"]["rules"]}, w, "eligible").assign(subset=name)
        )
    bench = labels.loc[labels["eligible"], "benchmark"].dropna().astype(bool)
    parts.append(
        accuracy(bench, flags["benchmark"], w, "benchmark").assign(subset="eligible records")
    )
    others = sorted(set(hand["reviewer"]) - {reference})
    agree = [reviewer_agreement(hand, reference, o) for o in others]
    ta = hand[hand["stage"] == "title-abstract"]
    return {
        "rates": pd.concat(parts, ignore_index=True),
        "missed": _missed_table(design, labels, flags),
        "agreement": pd.concat(agree, ignore_index=True) if agree else pd.DataFrame(),
        "reviewed": ta.groupby("reviewer")["record_id"].nunique().rename("records").reset_index(),
    }


def load_audit(
    data_raw: Path, alias: dict[str, str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The committed audit design and every hand decision (empty frames when absent), record
    ids mapped through ``alias`` (``dedup.aliases``: records merged since the sample was drawn;
    the first of two merged records is kept)."""
    path = Path(data_raw) / "screening" / "audit_design.csv"
    design = (
        pd.read_csv(path, dtype={"record_id": str})
        if path.is_file()
        else pd.DataFrame(
            columns=["record_id", "stratum", "stratum_size", "sample_size", "weight", "seed"]
        )
    )
    hand = read_hand_screening(Path(data_raw) / "screening" / "hand")
    if alias:
        design = remap(design, alias, ["record_id"])
        hand = remap(hand, alias, ["record_id", "stage", "reviewer"])
    return design, hand

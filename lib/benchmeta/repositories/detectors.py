"""Our static readiness detectors against human labels (Papers with Code, NeurIPS 2019).

Reads ``readiness/pwc_checklist_neurips2019.csv`` (five checklist items labelled 0/1 by hand,
with star counts) and ``readiness/pwc_detectors.csv`` (our detectors on the same repositories,
each measured at its last commit before the labels were published). Choices:

- Only repositories with a mirror are compared; how many is always shown.
- A detector's ``unknown`` is neither a yes nor a no: it is counted apart and left out of
  precision and recall.
- Precision = detector yes and human yes / detector yes; recall = detector yes and human yes /
  human yes; both with Wilson 95% intervals. These repositories are general ML code from 2019,
  not LLM-safety code: the figures say how the rules behave on labelled data, not how they
  behave on our corpus.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from ..core.paths import DATA_RAW

PAIRS = [
    ("dependencies", "ready_pwc_dependencies", "dependencies specified"),
    ("training", "ready_pwc_training_code", "training code"),
    ("evaluation", "ready_pwc_evaluation_code", "evaluation code"),
    ("pretrained_model", "ready_pwc_pretrained_models", "pre-trained models"),
    ("results", "ready_pwc_results", "results table + command"),
]


def load(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Labels joined to detector outputs; ``fetched`` tells which repositories could be read."""
    labels = pd.read_csv(
        data_raw / "readiness" / "pwc_checklist_neurips2019.csv", dtype=str, keep_default_na=False
    )
    det = pd.read_csv(
        data_raw / "readiness" / "pwc_detectors.csv", dtype=str, keep_default_na=False
    )
    out = labels.merge(det, on="repo", how="left")
    out["fetched"] = out["fetched"].eq("True")
    out["stars"] = pd.to_numeric(out["stars"])
    return out


def accuracy(t: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall of each detector against the human label, with counts."""
    m = t[t["fetched"]]
    rows = []
    for human, ours, label in PAIRS:
        h = m[human].eq("1")
        known = m[ours].isin(["yes", "no"])
        y = m[ours].eq("yes")
        tp = int((h & y & known).sum())
        fp = int((~h & y & known).sum())
        fn = int((h & ~y & known).sum())
        tn = int((~h & ~y & known).sum())
        p_lo, p_hi = stats.wilson(tp, tp + fp)
        r_lo, r_hi = stats.wilson(tp, tp + fn)
        rows.append(
            {
                "item": label,
                "n": int(known.sum()),
                "unknown": int((~known).sum()),
                "human_yes": tp + fn,
                "detector_yes": tp + fp,
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "tn": tn,
                "precision": tp / (tp + fp) if tp + fp else np.nan,
                "precision_low": p_lo,
                "precision_high": p_hi,
                "recall": tp / (tp + fn) if tp + fn else np.nan,
                "recall_low": r_lo,
                "recall_high": r_hi,
                "agreement": (tp + tn) / known.sum() if known.sum() else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _views(t: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    f = t[t["fetched"]]
    return [
        ("human labels, all", "items_human", t),
        ("human labels, fetched", "items_human", f),
        ("our detectors, fetched", "items_ours", f),
    ]


def stars_by_items(t: pd.DataFrame) -> pd.DataFrame:
    """Median stars by number of checklist items met: human-labelled (all 221) and by our
    detectors (fetched repositories), as the checklist's authors showed it."""
    t = t.copy()
    t["items_human"] = sum(t[h].eq("1").astype(int) for h, _, _ in PAIRS)
    t["items_ours"] = sum(t[o].eq("yes").astype(int) for _, o, _ in PAIRS)
    rows = []
    for who, col, sub in _views(t):
        for k, g in sub.groupby(col):
            rows.append(
                {
                    "labelled_by": who,
                    "items_met": int(k),
                    "repositories": len(g),
                    "median_stars": float(g["stars"].median()),
                    "mean_stars": float(g["stars"].mean()),
                }
            )
    return pd.DataFrame(rows)


def stars_correlation(t: pd.DataFrame) -> pd.DataFrame:
    """Spearman correlation of stars with items met (human; ours), bootstrap CI."""
    t = t.copy()
    t["items_human"] = sum(t[h].eq("1").astype(int) for h, _, _ in PAIRS)
    t["items_ours"] = sum(t[o].eq("yes").astype(int) for _, o, _ in PAIRS)
    rows = []
    for who, col, sub in _views(t):
        c = stats.spearman(sub[col], sub["stars"])
        rows.append({"labelled_by": who, **vars(c)})
    return pd.DataFrame(rows)


def beside_shares(
    shares: pd.DataFrame, acc: pd.DataFrame, ethics: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each static share of our corpus (all repositories) with the detector's measured precision
    and recall where they have been measured (PwC labels; the ethics hand check: precision only).
    Items never validated show NaN: their shares are unvalidated rule outputs."""
    ours = dict(zip([o for _, o, _ in PAIRS], [lab for _, _, lab in PAIRS], strict=True))
    acc = acc.set_index("item")
    out = shares[shares["group"] == "all"].copy()
    for col in (
        "precision",
        "precision_low",
        "precision_high",
        "recall",
        "recall_low",
        "recall_high",
        "n",
    ):
        out[f"pwc_{col}"] = [acc.at[ours[i], col] if i in ours else np.nan for i in out["item"]]
    out["validated_on"] = ["PwC NeurIPS 2019 labels" if i in ours else "" for i in out["item"]]
    if ethics is not None and len(ethics):
        e = ethics.set_index("item")
        for i in out.index:
            key = out.at[i, "item"].removeprefix("ready_")
            if key in e.index:
                out.loc[
                    i, ["pwc_precision", "pwc_precision_low", "pwc_precision_high", "pwc_n"]
                ] = [
                    e.at[key, "precision"],
                    e.at[key, "low"],
                    e.at[key, "high"],
                    e.at[key, "flagged_checked"],
                ]
                out.at[i, "validated_on"] = "hand check of flagged READMEs (precision only)"
    return out.reset_index(drop=True)


def ethics_recall(
    precision: pd.DataFrame, sample_path: Path, scanned: pd.DataFrame
) -> pd.DataFrame:
    """Recall of the ethics-statement regex on our corpus, from two hand checks: every flagged
    README (precision: ``confirmed`` true statements) and a random sample of unflagged ones
    (``sample_path``: how many of them do hold a statement the regex missed). The missed count
    is extrapolated to all unflagged repositories; its Wilson upper bound gives the lower recall
    bound."""
    cols = [
        "flagged",
        "confirmed",
        "unflagged",
        "sample",
        "missed_in_sample",
        "missed_estimate",
        "missed_high",
        "recall",
        "recall_low",
    ]
    p = precision.set_index("item") if len(precision) else pd.DataFrame()
    if not sample_path.exists() or "ethics_statement" not in p.index:
        return pd.DataFrame(columns=cols)
    s = pd.read_csv(sample_path, dtype=str, keep_default_na=False)
    s = s[s["item"] == "ethics_statement"]
    m, f = len(s), int((s["hand_label"] == "yes").sum())
    unflagged = int((scanned["ready_ethics_statement"] == "no").sum())
    tp = int(p.at["ethics_statement", "confirmed"])
    _, hi = stats.wilson(f, m)
    missed, missed_hi = f / m * unflagged if m else np.nan, hi * unflagged
    return pd.DataFrame(
        [
            {
                "flagged": int(p.at["ethics_statement", "flagged_checked"]),
                "confirmed": tp,
                "unflagged": unflagged,
                "sample": m,
                "missed_in_sample": f,
                "missed_estimate": missed,
                "missed_high": missed_hi,
                "recall": tp / (tp + missed) if tp + missed else np.nan,
                "recall_low": tp / (tp + missed_hi) if tp + missed_hi else np.nan,
            }
        ],
        columns=cols,
    )


VALIDATED_VIEW = [
    "label",
    "share_yes",
    "low",
    "high",
    "n",
    "validated_on",
    "pwc_precision",
    "pwc_recall",
    "pwc_n",
]

"""How 01 decided about a benchmark's paper, and how sure that decision is.

``label_basis`` comes from the screening trail of an included paper ("benchmark: rules=...
curators=... -> adjudicated ..."): both the keyword rule and the curators' metadata called it a
benchmark, a hand adjudication decided, or one of them only. ``audit`` says whether the record
was in the blind hand-screened audit sample and what the reviewers labelled it. For a paper 01
did not include, ``screening_status`` gives the stage and reason it was excluded, or says that
no curated list carried it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_TRAIL = re.compile(
    r"benchmark: rules=(?P<rule>[\w -]+?) curators=(?P<cur>[\w -]+?)"
    r"(?: -> adjudicated (?P<adj>[\w-]+))?(?: \||$)"
)


def label_basis(trail: str) -> str:
    """The basis of the benchmark label, from one screening trail."""
    m = _TRAIL.search(str(trail))
    if not m:
        return "unknown"
    if m.group("adj"):
        return "adjudicated by hand"
    rule, cur = m.group("rule").strip(), m.group("cur").strip()
    if rule == cur:
        return "rule and curators agree"
    if cur == "no signal":
        return "rule only (curators silent)"
    return "rule's call; curators disagree (not adjudicated)"


def record_id(paper_id: str) -> str:
    """01's record id of a paper id (``arxiv:<id>`` for arXiv ids, ``doi:<doi>`` otherwise)."""
    pid = str(paper_id)
    return f"arxiv:{pid}" if re.fullmatch(r"\d{4}\.\d{4,5}", pid) else f"doi:{pid.lower()}"


def status(
    paper_ids: pd.Series,
    included: pd.DataFrame,
    final: pd.DataFrame,
    audit_design: pd.DataFrame,
    hand: pd.DataFrame,
) -> pd.DataFrame:
    """Per paper id: ``screening_status``, ``label_basis`` and ``audit``."""
    inc = included.set_index("paper_id")
    rid = inc["record_id"].reindex(paper_ids.to_numpy())
    rid = pd.Series(
        np.where(rid.isna(), paper_ids.map(record_id), rid), index=paper_ids.index, dtype=object
    )
    in_inc = paper_ids.isin(inc.index)
    bench = paper_ids.map(inc["is_benchmark"].astype(bool)).eq(True)
    excluded = final[final["decision"] == "exclude"].drop_duplicates("record_id")
    why = excluded.set_index("record_id")
    reason = rid.map(why["stage"] + ": " + why["reason"].fillna("") + " (" + why["source"] + ")")
    screened = np.where(
        in_inc,
        np.where(bench, "included benchmark paper", "included, labelled non-benchmark"),
        np.where(reason.notna(), "excluded at " + reason.fillna(""), "not in any curated list"),
    )
    screened = np.where(paper_ids == "", "no paper", screened)
    basis = paper_ids.map(inc["screening_trail"]).map(label_basis)
    # the benchmark label where the reviewer gave one, else the title-abstract decision
    ranked = hand.assign(_o=hand["stage"].map({"benchmark": 0, "title-abstract": 1}))
    first = ranked.dropna(subset="_o").sort_values("_o").drop_duplicates(["record_id", "reviewer"])
    labels = (
        first.sort_values("reviewer")
        .groupby("record_id")
        .apply(
            lambda g: ", ".join(f"{r.decision} ({r.reviewer})" for r in g.itertuples()),
            include_groups=False,
        )
    )
    audited = rid.isin(audit_design["record_id"])
    audit = np.where(
        audited, "hand: " + rid.map(labels).fillna("no decision recorded"), "not sampled"
    )
    return pd.DataFrame(
        {
            "screening_status": screened,
            "label_basis": np.where(in_inc, basis.fillna("unknown"), "not applicable"),
            "audit": np.where(paper_ids == "", "not applicable", audit),
        },
        index=paper_ids.index,
    )

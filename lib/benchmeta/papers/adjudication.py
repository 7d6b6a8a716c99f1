"""Hand adjudication: reading and validating adjudications, final decisions (adjudication
over reviewer one), PRISMA exclusion categories and the disagreements left."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..core.errors import InputError, csv_line
from .criteria import (
    _I,
    ADJUDICATION_COLUMNS,
    ADJUDICATOR,
    NO_SIGNAL,
    NOT_LLM,
    NOT_PAPER,
    OFF_TOPIC,
    OUT_OF_WINDOW,
    REASONS,
    REVIEWER_ONE,
    REVIEWER_TWO,
    STAGES,
    SURVEY,
    Criteria,
    first_version_date,
)


def valid_decision(stage: str, decision: str, criteria: Criteria | None = None) -> bool:
    criteria = criteria or Criteria()
    if stage == "title-abstract":
        return decision in {"include", "exclude"}
    if stage == "benchmark":
        return decision in {"benchmark", "non-benchmark"}
    if stage == "topic":
        parts = decision.split(";")
        return decision == "none" or (bool(parts) and all(p in criteria.topics for p in parts))
    return False


def read_adjudications(path: Path | str, known_ids: set[str] | None = None) -> pd.DataFrame:
    """Hand adjudications, validated: unknown stage, decision or record and an empty reason are
    ``InputError`` naming the file, line and value."""
    path = Path(path)
    if not path.is_file():
        return pd.DataFrame(columns=ADJUDICATION_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ADJUDICATION_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(path, 1, f"adjudications lack columns {missing}", list(df.columns))
    seen: dict[tuple[str, str], int] = {}
    for i, row in df.iterrows():
        line = csv_line(int(i))
        if row["stage"] not in STAGES:
            raise InputError(path, line, f"unknown stage (expected one of {STAGES})", row["stage"])
        if not valid_decision(row["stage"], row["decision"]):
            raise InputError(
                path, line, f"unknown decision for stage {row['stage']!r}", row["decision"]
            )
        if known_ids is not None and row["record_id"] not in known_ids:
            raise InputError(path, line, "unknown record_id", row["record_id"])
        if not row["reason"].strip():
            raise InputError(path, line, "adjudication without a reason", row["record_id"])
        key = (row["record_id"], row["stage"])
        if key in seen:
            raise InputError(
                path,
                line,
                f"record adjudicated twice (first on line {seen[key]})",
                row["record_id"],
            )
        seen[key] = line
    return df[ADJUDICATION_COLUMNS]


DUPLICATE = "duplicate found at screening"
_CATEGORY_RULES = [
    (re.compile(r"duplicate", _I), DUPLICATE),
    (re.compile(r"off-topic", _I), OFF_TOPIC),
    (re.compile(r"survey|systemati[sz]|literature review|overview|position paper", _I), SURVEY),
    (re.compile(r"before the window|after the window|outside the window", _I), OUT_OF_WINDOW),
    (
        re.compile(
            r"not a text llm|multimodal|\bvision\b|\bimages?\b|audio|diffusion|not an llm", _I
        ),
        NOT_LLM,
    ),
    (re.compile(r"not a research paper|model card|toolkit description|blog", _I), NOT_PAPER),
]


def exclusion_category(reason: str) -> str:
    """The PRISMA exclusion category of a reason: reviewer one's reasons are categories already;
    an adjudicator's free-text reason is mapped by keywords, off-topic otherwise."""
    if reason in REASONS:
        return reason
    return next((cat for rx, cat in _CATEGORY_RULES if rx.search(reason)), OFF_TOPIC)


def final_decisions(decisions: pd.DataFrame, adjudications: pd.DataFrame) -> pd.DataFrame:
    """One final decision per record and stage: the adjudication if there is one, else
    reviewer one's. Column ``source`` says which; ``category`` is the PRISMA exclusion
    category of a title-abstract exclusion (empty otherwise)."""
    one = decisions[decisions["reviewer"] == REVIEWER_ONE][
        ["record_id", "stage", "decision", "reason"]
    ].copy()
    one["source"] = REVIEWER_ONE
    adj = adjudications[["record_id", "stage", "decision", "reason"]].copy()
    adj["source"] = ADJUDICATOR
    out = pd.concat([adj, one], ignore_index=True)
    out = out.drop_duplicates(["record_id", "stage"], keep="first")
    excluded = (out["stage"] == "title-abstract") & (out["decision"] == "exclude")
    out["category"] = ""
    out.loc[excluded, "category"] = out.loc[excluded, "reason"].map(exclusion_category)
    return out.sort_values(["record_id", "stage"], kind="stable").reset_index(drop=True)


def wide(decisions: pd.DataFrame) -> pd.DataFrame:
    """``record_id`` x (stage, reviewer) decisions."""
    return decisions.pivot_table(
        index="record_id", columns=["stage", "reviewer"], values="decision", aggfunc="first"
    )


def adjudication_summary(
    decisions: pd.DataFrame, adjudications: pd.DataFrame, pools: dict[str, set[str]]
) -> pd.DataFrame:
    """Per stage: disagreements (curators with an opinion), how many were adjudicated and how
    many keep reviewer one's decision because nobody adjudicated them."""
    rows = []
    for stage, pool in pools.items():
        dis = disagreements(decisions, stage)
        ids = set(dis["record_id"]) & pool if len(dis) else set()
        adj = adjudications[adjudications["stage"] == stage]
        done = ids & set(adj["record_id"])
        changed = adj[adj["record_id"].isin(done)].merge(
            decisions[(decisions["stage"] == stage) & (decisions["reviewer"] == REVIEWER_ONE)],
            on="record_id",
            suffixes=("", "_rules"),
        )
        rows.append(
            {
                "stage": stage,
                "pool": len(pool),
                "disagreements": len(ids),
                "adjudicated": len(done),
                "adjudicated_for_curators": int(
                    (changed["decision"] != changed["decision_rules"]).sum()
                ),
                "rules_decision_stands": len(ids) - len(done),
                "adjudicated_without_disagreement": int((~adj["record_id"].isin(ids)).sum()),
            }
        )
    return pd.DataFrame(rows)


def disagreements(decisions: pd.DataFrame, stage: str) -> pd.DataFrame:
    """Records where both reviewers gave an opinion on ``stage`` and it differs."""
    d = decisions[decisions["stage"] == stage].pivot_table(
        index="record_id", columns="reviewer", values="decision", aggfunc="first"
    )
    if REVIEWER_ONE not in d or REVIEWER_TWO not in d:
        return d.iloc[0:0]
    d = d[(d[REVIEWER_TWO] != NO_SIGNAL) & (d[REVIEWER_ONE] != d[REVIEWER_TWO])]
    return d.reset_index()


PENDING_COLUMNS = [
    "record_id",
    "title",
    "date",
    "venue",
    "links",
    "abstract",
    "rule_reason",
    "curator_evidence",
]


def pending(
    unique: pd.DataFrame,
    decisions: pd.DataFrame,
    adjudications: pd.DataFrame,
    stage: str = "title-abstract",
) -> pd.DataFrame:
    """Disagreements at ``stage`` where the curators include and the rule excludes that no one
    has adjudicated yet: the sheet an adjudicator works from (rule reason and curator evidence
    shown: adjudication is not blind)."""
    from .audit import record_links

    dis = disagreements(decisions, stage)
    if len(dis) == 0:
        return pd.DataFrame(columns=PENDING_COLUMNS)
    dis = dis[(dis[REVIEWER_TWO] == "include") & (dis[REVIEWER_ONE] == "exclude")]
    done = set(adjudications.loc[adjudications["stage"] == stage, "record_id"])
    ids = set(dis["record_id"]) - done
    d = decisions[(decisions["stage"] == stage) & decisions["record_id"].isin(ids)]
    why = d.pivot_table(index="record_id", columns="reviewer", values="reason", aggfunc="first")
    rows = []
    for rec in unique[unique["record_id"].isin(ids)].to_dict("records"):
        rid = rec["record_id"]
        evidence = "; ".join(
            x
            for x in (
                f"lists: {rec.get('sources', '')}",
                f"sections: {rec.get('sections', '')}",
                f"tags: {rec.get('tags', '')}" if rec.get("tags") else "",
                f"curators: {why.loc[rid, REVIEWER_TWO]}",
            )
            if x
        )
        rows.append(
            {
                "record_id": rid,
                "title": rec["title"],
                "date": first_version_date(rec),
                "venue": rec.get("venue", ""),
                "links": record_links(rec),
                "abstract": rec.get("abstract", ""),
                "rule_reason": why.loc[rid, REVIEWER_ONE],
                "curator_evidence": evidence,
            }
        )
    return (
        pd.DataFrame(rows, columns=PENDING_COLUMNS).sort_values("record_id").reset_index(drop=True)
    )


def decision_trail(decisions: pd.DataFrame, adjudications: pd.DataFrame) -> pd.DataFrame:
    """Every decision in long form: the rule's, the curators' and each hand adjudication, the
    adjudicator named as ``<ADJUDICATOR>: <id>`` in the reviewer column."""
    hand = adjudications.rename(columns={"adjudicator": "reviewer"})
    hand = hand.assign(reviewer=ADJUDICATOR + ": " + hand["reviewer"])
    return pd.concat([decisions, hand], ignore_index=True)

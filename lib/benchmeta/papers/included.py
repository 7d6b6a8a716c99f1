"""The included papers: final topic and benchmark label, the screening trail and a
repository only where a curator (or a plausible machine link) gives one."""

from __future__ import annotations

import re

import pandas as pd

from ..core import reference
from ..stats import wilson
from .adjudication import wide
from .criteria import (
    ADJUDICATOR,
    REVIEWER_ONE,
    REVIEWER_TWO,
    STAGES,
    TOPICS,
    first_version_date,
)
from .lists.registry import MACHINE_GENERATED

INCLUDED_COLUMNS = [
    "paper_id",
    "title",
    "first_version_date",
    "venue",
    "topic",
    "is_benchmark",
    "repo",
    "sources",
    "screening_trail",
    "record_id",
]


def _trail(rid: str, stage: str, w: pd.DataFrame, final: dict) -> str:
    r1 = w.get((stage, REVIEWER_ONE), {}).get(rid, "")
    r2 = w.get((stage, REVIEWER_TWO), {}).get(rid, "")
    dec, src = final.get((rid, stage), ("", ""))
    tail = f" -> adjudicated {dec}" if src == ADJUDICATOR else ""
    return f"{stage}: rules={r1} curators={r2}{tail}"


def shared_repos(unique: pd.DataFrame, limit: int = 3) -> dict[str, int]:
    """Repositories linked to ``limit`` or more different papers (lower-cased owner/name ->
    count): list artefacts such as the machine-generated atlas linking one repository to
    hundreds of papers; they are not taken as any paper's code."""
    repos = unique["repo"].fillna("")
    counts = repos[repos != ""].str.lower().value_counts()
    return {k: int(v) for k, v in counts.items() if v >= limit}


TRACKER = re.compile(r"arxiv[-_]?daily|paper[-_]?daily|^awesome|daily[-_]?arxiv", re.IGNORECASE)
_NAME_STOP = {
    "large",
    "language",
    "models",
    "model",
    "hallucination",
    "hallucinations",
    "based",
    "towards",
    "through",
    "using",
    "learning",
    "research",
    "detection",
}


def plausible_repo(title: str, repo: str) -> bool:
    """Whether a repository name fits a paper title: it equals (or extends by a few characters)
    the acronym before the title's colon, or at least two of its words occur in the title.
    Used only for links that no human curator gave."""
    name = repo.split("/", 1)[-1]
    flat = re.sub(r"[^a-z0-9]", "", name.lower())
    head = re.sub(r"[^a-z0-9]", "", title.split(":", 1)[0].lower()) if ":" in title else ""
    if (
        head
        and len(head) <= 30
        and len(flat) >= 3
        and (
            flat == head
            or (flat.startswith(head) and len(flat) - len(head) <= 4)
            or (head.startswith(flat) and len(flat) >= 4)
        )
    ):
        return True
    words = {w for w in re.findall(r"[a-z0-9]+", title.lower()) if len(w) >= 5} - _NAME_STOP
    parts = re.findall(r"[a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower())
    hits = sum(
        1
        for p in parts
        if len(p) >= 4 and p not in _NAME_STOP and any(p in w or w in p for w in words)
    )
    return hits >= 2


def _year(year: object) -> str:
    return "" if year is None or pd.isna(year) or str(year).strip() == "" else str(int(year))


def included_papers(
    unique: pd.DataFrame, decisions: pd.DataFrame, final: pd.DataFrame, repo_limit: int = 3
) -> pd.DataFrame:
    """The included papers with their final topic and benchmark label and the screening trail.

    ``paper_id`` is the arXiv id, else the DOI, else the record id. A repository linked to
    ``repo_limit`` or more papers is dropped (see ``shared_repos``), so is a paper-tracker
    repository, and so is a link given only by a machine-generated list whose name does not fit
    the title (``plausible_repo``); the trail says which."""
    shared = shared_repos(unique, repo_limit)
    fin = {(r.record_id, r.stage): (r.decision, r.source) for r in final.itertuples()}
    w = {k: v.to_dict() for k, v in wide(decisions).items()}
    keep = {rid for (rid, st), (d, _) in fin.items() if st == "title-abstract" and d == "include"}
    rows = []
    for rec in unique[unique["record_id"].isin(keep)].to_dict("records"):
        rid = rec["record_id"]
        topic = fin.get((rid, "topic"), ("none", ""))[0]
        if topic in {"none", ""}:
            topic = ";".join(t for t in TOPICS if t in str(rec.get("topic_hint", "")).split(";"))
        bench = fin.get((rid, "benchmark"), ("non-benchmark", ""))[0] == "benchmark"
        repo = rec.get("repo", "") or ""
        trail = [_trail(rid, s, w, fin) for s in STAGES]
        machine_only = set(str(rec.get("repo_sources", "")).split(";")) <= MACHINE_GENERATED
        if repo.lower() in shared:
            trail.append(f"repo {repo} dropped: linked to {shared[repo.lower()]} papers")
            repo = ""
        elif repo and TRACKER.search(repo.split("/", 1)[-1]):
            trail.append(f"repo {repo} dropped: a paper-tracker repository, not the paper's code")
            repo = ""
        elif repo and machine_only and not plausible_repo(rec["title"], repo):
            trail.append(
                f"repo {repo} dropped: only a machine-generated list links it and its "
                "name does not match the title"
            )
            repo = ""
        rows.append(
            {
                "paper_id": rec.get("arxiv_id") or rec.get("doi") or rid,
                "record_id": rid,
                "title": rec["title"],
                "first_version_date": first_version_date(rec) or _year(rec.get("year")),
                "venue": rec.get("venue", ""),
                "topic": topic,
                "is_benchmark": bench,
                "repo": repo,
                "sources": rec.get("sources", ""),
                "screening_trail": " | ".join(trail),
            }
        )
    out = pd.DataFrame(rows, columns=INCLUDED_COLUMNS)
    out["is_benchmark"] = out["is_benchmark"].astype(bool)
    return out.sort_values(["first_version_date", "paper_id"], kind="stable").reset_index(drop=True)


def adjudication_effect(
    unique: pd.DataFrame, decisions: pd.DataFrame, adjudications: pd.DataFrame, repo_limit: int = 3
) -> pd.DataFrame:
    """Included papers and benchmarks with every adjudication, and without each adjudicator's
    (what that adjudicator's decisions changed)."""
    from .adjudication import final_decisions

    def counts(adj: pd.DataFrame) -> tuple[int, int]:
        inc = included_papers(unique, decisions, final_decisions(decisions, adj), repo_limit)
        return len(inc), int(inc["is_benchmark"].sum())

    n_all, b_all = counts(adjudications)
    rows = [
        {"adjudications": "all", "rows": len(adjudications), "included": n_all, "benchmarks": b_all}
    ]
    for who, g in adjudications.groupby("adjudicator"):
        n, b = counts(adjudications.drop(index=g.index))
        rows.append(
            {
                "adjudications": f"without {who}",
                "rows": len(adjudications) - len(g),
                "included": n,
                "benchmarks": b,
                "change_included": n_all - n,
                "change_benchmarks": b_all - b,
            }
        )
    return pd.DataFrame(rows)


def by_group_and_topic(included: pd.DataFrame) -> pd.DataFrame:
    """Included papers and those with a GitHub repository, per group and first topic."""
    t = included.assign(
        group=included["is_benchmark"].map({True: "benchmark", False: "non-benchmark"}),
        first_topic=included["topic"].str.split(";").str[0],
        has_repo=included["repo"] != "",
    )
    return (
        t.groupby(["group", "first_topic"])
        .agg(papers=("paper_id", "size"), with_repo=("has_repo", "sum"))
        .reset_index()
    )


def code_availability(included: pd.DataFrame) -> pd.DataFrame:
    """Share of included papers with a GitHub repository per group (95% Wilson), beside the
    reference study's papers with public code."""
    rows = []
    for group, n_ref in reference.PAPERS.items():
        mine = included[included["is_benchmark"] == (group == "benchmark")]
        k = int((mine["repo"] != "").sum())
        low, high = wilson(k, len(mine))
        code_ref = reference.WITH_CODE[group]
        rows.append(
            {
                "group": group,
                "papers": len(mine),
                "with_github_repo": k,
                "share_with_repo": k / len(mine) if len(mine) else float("nan"),
                "share_low": float(low),
                "share_high": float(high),
                "reference_papers": n_ref,
                "reference_with_code": code_ref,
                "reference_share": code_ref / n_ref,
            }
        )
    return pd.DataFrame(rows)

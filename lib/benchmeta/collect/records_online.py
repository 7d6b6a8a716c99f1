"""Records refresh from the APIs: Semantic Scholar bulk search and the arXiv API.

    python -m benchmeta collect records-online [--topic TERM ...] [--start DATE] [--end DATE]
        [--no-s2] [--no-arxiv] [--out DIR] [--cache DIR]

Each topic term becomes one query per API, restricted to LLM papers: Semantic Scholar
``"<term>" + (LLM | "language model")`` over ``publicationDateOrYear=<start>:<end>``; arXiv
``abs:"<term>" AND (abs:LLM OR abs:"language model")`` over ``submittedDate``. Writes
``s2_records.csv`` and ``arxiv_records.csv`` (the record columns of ``benchmeta.records``) and
their checkpoints under ``data_raw/collected/records-online/``.
"""

from __future__ import annotations

import argparse

import pandas as pd

from ..core.checkpoint import Checkpoint
from ..core.http import FetchError, make_session
from . import arxiv, semanticscholar
from .online import (
    ARXIV,
    S2,
    Failures,
    base_parser,
    finish,
    folders,
    open_writers,
    policy,
    run_stage,
    secrets_ok,
    write_outputs,
)

NAME = "records-online"
TOPICS = ["prompt injection", "jailbreak", "hallucination"]
START, END = "2022-11-30", "2024-11-01"


def s2_query(term: str) -> str:
    return f'"{term}" + (LLM | "language model")'


def arxiv_query(term: str) -> str:
    return f'abs:"{term}" AND (abs:LLM OR abs:"language model")'


def s2_records(checkpoint: Checkpoint) -> pd.DataFrame:
    """Bulk-search hits as records (one per Semantic Scholar paper id)."""
    rows: dict[str, dict] = {}
    for row in checkpoint:
        for p in row["data"]["papers"]:
            ext = p.get("externalIds") or {}
            date = p.get("publicationDate") or ""
            arxiv_id = ext.get("ArXiv")
            rows.setdefault(
                p.get("paperId"),
                {
                    "source": "s2-bulk-search",
                    "source_id": p.get("paperId"),
                    "title": " ".join((p.get("title") or "").split()),
                    "date": date or None,
                    "year": p.get("year"),
                    "arxiv_id": arxiv_id,
                    "doi": ext.get("DOI"),
                    "paper_url": f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else p.get("url"),
                    "code_url": None,
                    "venue": p.get("venue") or None,
                    "abstract": p.get("abstract"),
                    "list": f"S2 bulk search: {row['data']['query']}",
                    "section": ";".join(p.get("publicationTypes") or []) or None,
                    "tags": None,
                },
            )
    df = pd.DataFrame(list(rows.values()), columns=arxiv.RECORD_COLUMNS).sort_values("source_id")
    df["year"] = df["year"].astype("Int64")
    return df.reset_index(drop=True)


ENV = ("S2_API_KEY",)


def _parser() -> argparse.ArgumentParser:
    p = base_parser(NAME, __doc__, ENV)
    p.add_argument("--topic", nargs="*", default=TOPICS, help="topic terms (one query each)")
    p.add_argument("--start", default=START, help="first date of the window (YYYY-MM-DD)")
    p.add_argument("--end", default=END, help="last date of the window (YYYY-MM-DD)")
    p.add_argument("--no-s2", action="store_true")
    p.add_argument("--no-arxiv", action="store_true")
    p.add_argument("--s2-url", default=semanticscholar.BASE_URL)
    p.add_argument("--arxiv-url", default=arxiv.BASE_URL)
    p.add_argument("--arxiv-delay", type=float, default=3.0, help="seconds between arXiv calls")
    return p


def _queries(args, session, cps: dict[str, Checkpoint], pol, failures: Failures) -> list[str]:
    """Every topic on each source; a query that fails for good is a failed item. Returns why
    sources stopped early."""

    def s2(term: str) -> None:
        semanticscholar.search_bulk(
            s2_query(term),
            f"{args.start}:{args.end}",
            session,
            cps["s2_search"],
            args.s2_url,
            policy=pol,
        )

    def ax(term: str) -> None:
        arxiv.search(
            arxiv_query(term),
            args.start,
            args.end,
            session,
            cps["arxiv_search"],
            args.arxiv_url,
            delay=args.arxiv_delay,
            policy=pol,
        )

    def every_topic(stage: str, fn) -> None:
        for term in args.topic:
            try:
                fn(term)
            except FetchError as exc:
                failures.record(stage, term, exc)

    stopped = []
    for name, skip, stage, fn in (
        ("Semantic Scholar", args.no_s2, "s2 bulk search", s2),
        ("arXiv", args.no_arxiv, "arxiv search", ax),
    ):
        if not skip:
            why = run_stage(name, lambda stage=stage, fn=fn: every_topic(stage, fn))
            stopped += [why] if why else []
    return stopped


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not secrets_ok(ENV):
        return 2
    data_raw, out, cache = folders(args, NAME)
    cps = open_writers(out, ["s2_search", "arxiv_search"], args.lock_wait)
    if cps is None:
        return 4
    session, pol = make_session(cache), policy(args)
    failures = Failures(args.max_failures)
    try:
        stopped = _queries(args, session, cps, pol, failures)
    finally:
        session.close()
    cp_s2, cp_ax = cps["s2_search"], cps["arxiv_search"]
    tables = {}
    if len(cp_s2):
        tables["s2_records"] = (s2_records(cp_s2), S2)
    if len(cp_ax):
        tables["arxiv_records"] = (arxiv.records_frame(cp_ax), ARXIV)
    write_outputs(
        tables,
        out,
        data_raw,
        NAME,
        record=not args.no_manifest,
        checkpoints={"s2_search.jsonl": S2, "arxiv_search.jsonl": ARXIV},
    )
    print(f"collect {NAME}: " + ", ".join(f"{k}: {len(v[0])} records" for k, v in tables.items()))
    for cp in cps.values():
        cp.close()
    return finish(f"collect {NAME}", stopped, failures)

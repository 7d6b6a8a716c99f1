"""Academic influence of the included papers: Semantic Scholar and OpenAlex.

    python -m benchmeta collect influence [--ids ID ...| --ids-file FILE] [--no-openalex]
        [--no-s2] [--no-citations] [--no-authors] [--out DIR] [--cache DIR]

Ids default to the ``paper_id`` column of ``data_processed/papers_included.csv``. Keys:
``S2_API_KEY`` (optional, higher rate limit), ``OPENALEX_EMAIL`` (polite pool). Writes
checkpoints (``*.jsonl``) and tidy tables ``s2_papers.csv``, ``s2_citations.csv``,
``s2_authors.csv``, ``openalex_works.csv``, ``openalex_citations.csv``, ``openalex_authors.csv``
under ``data_raw/collected/influence/``, with MANIFEST rows. Exit code 3: stopped early (rate
limit or server down); rerun the same command to resume.
"""

from __future__ import annotations

from pathlib import Path

from ..core.checkpoint import Checkpoint
from ..core.http import FetchError, make_session
from . import openalex, semanticscholar
from .online import (
    OPENALEX,
    S2,
    base_parser,
    folders,
    ids_or_none,
    normalise_paper_id,
    policy,
    report_gave_up,
    with_top_author,
    write_outputs,
)

NAME = "influence"


def main(argv: list[str] | None = None) -> int:
    p = base_parser(NAME, __doc__)
    p.add_argument("--ids", nargs="*", help="paper ids (arXiv ids or DOIs)")
    p.add_argument("--ids-file", type=Path, help="a text file (one id a line) or a CSV")
    p.add_argument("--no-s2", action="store_true", help="skip Semantic Scholar")
    p.add_argument("--no-openalex", action="store_true", help="skip OpenAlex")
    p.add_argument("--no-citations", action="store_true", help="skip citing papers")
    p.add_argument("--no-authors", action="store_true", help="skip author h-index")
    p.add_argument("--s2-url", default=semanticscholar.BASE_URL)
    p.add_argument("--openalex-url", default=openalex.BASE_URL)
    args = p.parse_args(argv)
    raw_ids = ids_or_none(args.ids, args.ids_file, "paper_id")
    if raw_ids is None:
        return 2
    ids = list(dict.fromkeys(normalise_paper_id(i) for i in raw_ids))
    data_raw, out, cache = folders(args, NAME)
    session = make_session(cache)
    pol = policy(args)
    cps = {
        name: Checkpoint(out / f"{name}.jsonl")
        for name in (
            "s2_papers",
            "s2_citations",
            "s2_authors",
            "openalex_works",
            "openalex_citations",
            "openalex_authors",
        )
    }
    code = 0
    try:
        if not args.no_s2:
            semanticscholar.collect_papers(ids, session, cps["s2_papers"], args.s2_url, policy=pol)
            if not args.no_citations:
                semanticscholar.collect_citations(
                    ids, session, cps["s2_citations"], args.s2_url, policy=pol
                )
            if not args.no_authors:
                semanticscholar.collect_authors(
                    semanticscholar.author_ids(cps["s2_papers"]),
                    session,
                    cps["s2_authors"],
                    args.s2_url,
                    policy=pol,
                )
        if not args.no_openalex:
            openalex.collect_works(
                ids, session, cps["openalex_works"], args.openalex_url, policy=pol
            )
            works = {
                r["key"]: r["data"]["openalex_id"]
                for r in cps["openalex_works"]
                if r["status"] == "ok"
            }
            if not args.no_citations:
                openalex.collect_citing(
                    works, session, cps["openalex_citations"], args.openalex_url, policy=pol
                )
            if not args.no_authors:
                aids = list(
                    dict.fromkeys(
                        a
                        for r in cps["openalex_works"]
                        if r["status"] == "ok"
                        for a in r["data"]["authors"]
                    )
                )
                openalex.collect_authors(
                    aids, session, cps["openalex_authors"], args.openalex_url, policy=pol
                )
    except FetchError as exc:
        code = report_gave_up(exc, f"collect {NAME}")
    finally:
        session.close()
    tables = {
        "s2_papers": (
            with_top_author(semanticscholar.papers_frame(cps["s2_papers"]), cps["s2_authors"]),
            S2,
        ),
        "s2_citations": (semanticscholar.citations_frame(cps["s2_citations"]), S2),
        "s2_authors": (semanticscholar.authors_frame(cps["s2_authors"]), S2),
        "openalex_works": (
            with_top_author(openalex.works_frame(cps["openalex_works"]), cps["openalex_authors"]),
            OPENALEX,
        ),
        "openalex_citations": (openalex.citing_frame(cps["openalex_citations"]), OPENALEX),
        "openalex_authors": (openalex.authors_frame(cps["openalex_authors"]), OPENALEX),
    }
    tables = {k: v for k, v in tables.items() if len(cps[k])}
    write_outputs(
        tables,
        out,
        data_raw,
        NAME,
        record=not args.no_manifest,
        checkpoints={f"{k}.jsonl": (S2 if k.startswith("s2") else OPENALEX) for k in cps},
    )
    n = {k: len(cp) for k, cp in cps.items() if len(cp)}
    print(f"collect {NAME}: {n}")
    return code

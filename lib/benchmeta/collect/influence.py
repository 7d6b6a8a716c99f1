"""Academic influence of the included papers: Semantic Scholar and OpenAlex.

    python -m benchmeta collect influence [--ids ID ...| --ids-file FILE] [--no-openalex]
        [--no-s2] [--no-citations] [--no-authors] [--out DIR] [--cache DIR]

Ids default to the ``paper_id`` column of ``data_processed/papers_included.csv``. OpenAlex needs
``OPENALEX_API_KEY`` (required since February 2026; without it pass ``--no-openalex``). Writes
checkpoints (``*.jsonl``) and tidy tables ``s2_papers.csv``, ``s2_citations.csv``,
``s2_authors.csv``, ``openalex_works.csv``, ``openalex_citations.csv``, ``openalex_authors.csv``
under ``data_raw/collected/influence/``, with MANIFEST rows. Each source runs on its own: a
Semantic Scholar stop does not skip OpenAlex. Exit code 3: stopped early or items failed (listed
on stderr); rerun the same command to resume. Exit code 4: another instance is running.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.checkpoint import Checkpoint
from ..core.credentials import secret
from ..core.http import make_session
from . import openalex, semanticscholar
from .online import (
    OPENALEX,
    S2,
    Failures,
    base_parser,
    finish,
    folders,
    ids_or_none,
    normalise_paper_id,
    open_writers,
    policy,
    run_stage,
    secrets_ok,
    with_failures,
    with_top_author,
    write_outputs,
)

NAME = "influence"
ENV = ("S2_API_KEY", "OPENALEX_API_KEY", "OPENALEX_EMAIL")
CHECKPOINTS = [
    "s2_papers",
    "s2_citations",
    "s2_authors",
    "openalex_works",
    "openalex_citations",
    "openalex_authors",
]


def _parser() -> argparse.ArgumentParser:
    p = base_parser(NAME, __doc__, ENV)
    p.add_argument("--ids", nargs="*", help="paper ids (arXiv ids or DOIs)")
    p.add_argument("--ids-file", type=Path, help="a text file (one id a line) or a CSV")
    p.add_argument("--no-s2", action="store_true", help="skip Semantic Scholar")
    p.add_argument("--no-openalex", action="store_true", help="skip OpenAlex")
    p.add_argument("--no-citations", action="store_true", help="skip citing papers")
    p.add_argument("--no-authors", action="store_true", help="skip author h-index")
    p.add_argument(
        "--max-pages",
        type=int,
        default=100,
        help="pages of citing papers per paper (S2: 1,000 a page; OpenAlex: 100)",
    )
    p.add_argument("--s2-url", default=semanticscholar.BASE_URL)
    p.add_argument("--openalex-url", default=openalex.BASE_URL)
    return p


def _s2(args, ids, session, cps: dict[str, Checkpoint], pol, failures: Failures) -> None:
    semanticscholar.collect_papers(
        ids, session, cps["s2_papers"], args.s2_url, policy=pol, failures=failures
    )
    if not args.no_citations:
        semanticscholar.collect_citations(
            ids,
            session,
            cps["s2_citations"],
            args.s2_url,
            max_pages=args.max_pages,
            policy=pol,
            failures=failures,
        )
    if not args.no_authors:
        semanticscholar.collect_authors(
            semanticscholar.author_ids(cps["s2_papers"]),
            session,
            cps["s2_authors"],
            args.s2_url,
            policy=pol,
            failures=failures,
        )


def _openalex(args, ids, session, cps: dict[str, Checkpoint], pol, failures: Failures) -> None:
    openalex.collect_works(
        ids, session, cps["openalex_works"], args.openalex_url, policy=pol, failures=failures
    )
    ok = [r for r in cps["openalex_works"] if r["status"] == "ok"]
    if not args.no_citations:
        openalex.collect_citing(
            {r["key"]: r["data"]["openalex_id"] for r in ok},
            session,
            cps["openalex_citations"],
            args.openalex_url,
            max_pages=args.max_pages,
            policy=pol,
            failures=failures,
        )
    if not args.no_authors:
        aids = list(dict.fromkeys(a for r in ok for a in r["data"]["authors"]))
        openalex.collect_authors(
            aids, session, cps["openalex_authors"], args.openalex_url, policy=pol, failures=failures
        )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    raw_ids = ids_or_none(args.ids, args.ids_file, "paper_id")
    if raw_ids is None or not secrets_ok(ENV):
        return 2
    if not args.no_openalex and not secret("OPENALEX_API_KEY"):
        print(
            "error: OPENALEX_API_KEY is not set: OpenAlex requires an API key since February "
            "2026 (free at openalex.org); set it, or pass --no-openalex",
            file=sys.stderr,
        )
        return 2
    ids = list(dict.fromkeys(normalise_paper_id(i) for i in raw_ids))
    data_raw, out, cache = folders(args, NAME)
    cps = open_writers(out, CHECKPOINTS, args.lock_wait)
    if cps is None:
        return 4
    session, pol = make_session(cache), policy(args)
    failures, stopped = Failures(args.max_failures), []
    try:
        for name, skip, fn in (
            ("Semantic Scholar", args.no_s2, _s2),
            ("OpenAlex", args.no_openalex, _openalex),
        ):
            if not skip:
                why = run_stage(name, lambda fn=fn: fn(args, ids, session, cps, pol, failures))
                stopped += [why] if why else []
    finally:
        session.close()
    _write(cps, out, data_raw, args, failures)
    for cp in cps.values():
        cp.close()
    return finish(f"collect {NAME}", stopped, failures)


def _write(cps: dict[str, Checkpoint], out: Path, data_raw: Path, args, failures: Failures) -> None:
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
    for name, stage, key in (
        ("s2_papers", "s2 papers", "paper_id"),
        ("s2_authors", "s2 authors", "author_id"),
        ("openalex_works", "openalex works", "paper_id"),
        ("openalex_authors", "openalex authors", "author_id"),
    ):
        df, api = tables[name]
        tables[name] = (with_failures(df, failures, stage, key), api)
    tables = {k: v for k, v in tables.items() if len(cps[k]) or len(v[0])}
    write_outputs(
        tables,
        out,
        data_raw,
        NAME,
        record=not args.no_manifest,
        checkpoints={f"{k}.jsonl": (S2 if k.startswith("s2") else OPENALEX) for k in cps},
    )
    n = {k: len(cp) for k, cp in cps.items() if len(cp)}
    cut = sum(
        1
        for k in ("s2_citations", "openalex_citations")
        for r in cps[k]
        if r["status"] == "ok" and not r["data"].get("complete", True)
    )
    print(
        f"collect {NAME}: {n}"
        + (f"; {cut} citation lists cut short (see 'stopped')" if cut else "")
    )

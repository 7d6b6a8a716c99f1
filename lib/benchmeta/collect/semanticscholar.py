"""Semantic Scholar Academic Graph API: papers, citing papers with dates, authors' h-index, and
bulk paper search (for the records refresh).

Response shapes used (Graph API v1): ``POST /paper/batch`` and ``POST /author/batch`` answer a
list aligned with the ids sent, ``null`` for an unknown id; ``GET /paper/{id}/citations`` answers
``{"offset", "next"?, "data": [{"citingPaper": {...}}]}`` (no ``next`` on the last page);
``GET /paper/search/bulk`` answers ``{"total", "token"?, "data": [...]}`` (no ``token`` at the
end). The key, if any, is ``S2_API_KEY`` sent as ``x-api-key``.

Every answer is checked against these shapes (``collect.shapes``) before it is cached or
checkpointed; a batch that fails for good is recorded in ``Failures`` (its ids are retried by a
rerun, never marked not found). Paging stops when ``next``/``token`` repeats or after
``max_pages``, and the item says so (``complete: false`` with ``stopped``).
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

import pandas as pd
import requests

from ..core.checkpoint import NOT_FOUND, Checkpoint
from ..core.http import S2, FetchError, RetryPolicy, auth_headers, get_json, post_json
from . import shapes
from .online import Failures, as_int, chunks, normalise_paper_id

BASE_URL = "https://api.semanticscholar.org/graph/v1"
PAPER_FIELDS = (
    "title,year,publicationDate,citationCount,influentialCitationCount,"
    "s2FieldsOfStudy,authors,externalIds,venue"
)
CITATION_FIELDS = "paperId,publicationDate,year"
AUTHOR_FIELDS = "name,hIndex,citationCount,paperCount"
SEARCH_FIELDS = "title,year,publicationDate,externalIds,url,venue,abstract,publicationTypes"
PAPER_BATCH = 500
AUTHOR_BATCH = 1000
CITATION_PAGE = 1000
MAX_PAGES = 100
log = logging.getLogger(__name__)
_ARXIV = re.compile(r"^\d{4}\.\d{4,5}$|^[a-z-]+(\.[A-Z]{2})?/\d{7}$")


def s2_id(paper_id: str) -> str:
    """Our paper id (arXiv id or DOI) in Semantic Scholar's prefixed form."""
    pid = normalise_paper_id(paper_id)
    if _ARXIV.match(pid):
        return f"ARXIV:{pid}"
    if pid.startswith("10."):
        return f"DOI:{pid}"
    return pid


def _paper(item: dict[str, Any]) -> dict[str, Any]:
    fields = sorted(
        {f.get("category") for f in item.get("s2FieldsOfStudy") or [] if f.get("category")}
    )
    return {
        "s2_id": item.get("paperId"),
        "title": item.get("title"),
        "year": item.get("year"),
        "publication_date": item.get("publicationDate"),
        "citation_count": item.get("citationCount"),
        "influential_citation_count": item.get("influentialCitationCount"),
        "fields_of_study": fields,
        "authors": [
            {"id": a.get("authorId"), "name": a.get("name")} for a in item.get("authors") or []
        ],
        "external_ids": item.get("externalIds") or {},
        "venue": item.get("venue"),
    }


def _batch(
    session: requests.Session,
    url: str,
    fields: str,
    ids: list[str],
    kind: str,
    policy: RetryPolicy | None,
) -> list[Any]:
    """One checked batch answer, aligned with ``ids``."""
    res = post_json(
        session,
        url,
        {"fields": fields},
        json_body={"ids": ids},
        headers=auth_headers("s2"),
        validate=shapes.s2_batch(len(ids), kind),
        missing_ok=False,
        service=S2,
        policy=policy,
    )
    return res.data


def collect_papers(
    ids: list[str],
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    batch: int = PAPER_BATCH,
    policy: RetryPolicy | None = None,
    failures: Failures | None = None,
) -> int:
    """Paper metadata for ``ids`` (arXiv ids / DOIs) in batches; ids the API answers ``null``
    for are recorded as not found. Returns the number of items added to ``checkpoint``."""
    added = 0
    for chunk in chunks(checkpoint.todo(ids), batch):
        try:
            answers = _batch(
                session,
                f"{base_url}/paper/batch",
                PAPER_FIELDS,
                [s2_id(i) for i in chunk],
                "paper",
                policy,
            )
        except FetchError as exc:
            if failures is None:
                raise
            failures.record("s2 papers", chunk, exc)
            continue
        for pid, item in zip(chunk, answers, strict=True):
            if item is None:
                added += checkpoint.add(pid, None, NOT_FOUND)
            else:
                added += checkpoint.add(pid, _paper(item))
    return added


def _citing(
    session: requests.Session, url: str, page: int, max_pages: int, policy: RetryPolicy | None
) -> dict[str, Any] | None:
    """All citing papers behind ``url`` (``None``: the paper is unknown), with ``complete`` and
    why paging stopped early."""
    citing: list[list[Any]] = []
    offset, seen, stopped = 0, set(), ""
    for _ in range(max_pages):
        params = {"fields": CITATION_FIELDS, "offset": offset, "limit": page}
        try:
            res = get_json(
                session,
                url,
                params,
                headers=auth_headers("s2"),
                validate=shapes.s2_citations,
                service=S2,
                policy=policy,
            )
        except FetchError as exc:
            if exc.status == 400 and offset > 0:  # the API caps how deep offsets may go
                stopped = "offset limit of the API"
                break
            raise
        if not res.found:
            return None
        seen.add(offset)
        for row in res.data["data"]:
            paper = row.get("citingPaper") or {}
            citing.append([paper.get("paperId"), paper.get("publicationDate"), paper.get("year")])
        nxt = res.data.get("next")
        if nxt is None or not res.data["data"]:
            return {"complete": True, "citing": citing}
        if nxt in seen or nxt <= offset:
            stopped = f"next offset {nxt} repeats"
            break
        offset = nxt
    else:
        stopped = f"page cap of {max_pages} pages"
    return {"complete": False, "stopped": stopped, "citing": citing}


def collect_citations(
    ids: list[str],
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    page: int = CITATION_PAGE,
    max_pages: int = MAX_PAGES,
    policy: RetryPolicy | None = None,
    failures: Failures | None = None,
) -> int:
    """Every citing paper of each id, with its date, following ``next`` to the end (or until
    it repeats or ``max_pages``). A paper is checkpointed once all its pages are in."""
    added = 0
    for pid in checkpoint.todo(ids):
        url = f"{base_url}/paper/{quote(s2_id(pid), safe=':/')}/citations"
        try:
            data = _citing(session, url, page, max_pages, policy)
        except FetchError as exc:
            if failures is None:
                raise
            failures.record("s2 citations", pid, exc)
            continue
        added += checkpoint.add(pid, data, NOT_FOUND if data is None else "ok")
    return added


def collect_authors(
    author_ids: list[str],
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    batch: int = AUTHOR_BATCH,
    policy: RetryPolicy | None = None,
    failures: Failures | None = None,
) -> int:
    """h-index (and counts) of Semantic Scholar author ids, in batches."""
    added = 0
    for chunk in chunks(checkpoint.todo(author_ids), batch):
        try:
            answers = _batch(
                session, f"{base_url}/author/batch", AUTHOR_FIELDS, chunk, "author", policy
            )
        except FetchError as exc:
            if failures is None:
                raise
            failures.record("s2 authors", chunk, exc)
            continue
        for aid, item in zip(chunk, answers, strict=True):
            if item is None:
                added += checkpoint.add(aid, None, NOT_FOUND)
            else:
                added += checkpoint.add(
                    aid,
                    {
                        "name": item.get("name"),
                        "h_index": item.get("hIndex"),
                        "citation_count": item.get("citationCount"),
                        "paper_count": item.get("paperCount"),
                    },
                )
    return added


def search_bulk(
    query: str,
    window: str,
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    max_pages: int = 1000,
    policy: RetryPolicy | None = None,
) -> int:
    """Bulk search ``query`` with ``publicationDateOrYear=window`` (``2022-11-30:2024-11-01``),
    following the continuation ``token``. Each page is one checkpoint item keyed by the query,
    window and the token that fetched it, so a resumed run walks the stored pages and goes on
    from the last one; a token seen before, or ``max_pages``, ends the walk (with a warning).
    Returns the number of pages added."""
    added, token, seen = 0, "", set()
    for _ in range(max_pages):
        seen.add(token)
        key = f"{query}|{window}|{token}"
        done = checkpoint.get(key)
        if done is None:
            params = {"query": query, "publicationDateOrYear": window, "fields": SEARCH_FIELDS}
            if token:
                params["token"] = token
            body = get_json(
                session,
                f"{base_url}/paper/search/bulk",
                params,
                headers=auth_headers("s2"),
                validate=shapes.s2_bulk,
                missing_ok=False,
                service=S2,
                policy=policy,
            ).data
            data = {
                "query": query,
                "window": window,
                "total": body.get("total"),
                "next": body.get("token") or "",
                "papers": body["data"],
            }
            added += checkpoint.add(key, data)
        else:
            data = done["data"]
        token = data["next"]
        if not token or not data["papers"]:
            return added
        if token in seen:
            log.warning("bulk search %r: continuation token repeats; stopping", query)
            return added
    log.warning("bulk search %r: stopped at the cap of %d pages", query, max_pages)
    return added


# --- tidy tables ---------------------------------------------------------------------------

AUTHOR_COLUMNS = ["author_id", "status", "name", "h_index", "citation_count", "paper_count"]


def papers_frame(checkpoint: Checkpoint) -> pd.DataFrame:
    rows = []
    for row in checkpoint:
        d = row["data"] or {}
        ext = d.get("external_ids") or {}
        rows.append(
            {
                "paper_id": row["key"],
                "status": row["status"],
                "s2_id": d.get("s2_id"),
                "title": d.get("title"),
                "publication_date": d.get("publication_date"),
                "year": d.get("year"),
                "citation_count": d.get("citation_count"),
                "influential_citation_count": d.get("influential_citation_count"),
                "fields_of_study": ";".join(d.get("fields_of_study") or []),
                "n_fields": len(d.get("fields_of_study") or []) if d else None,
                "author_ids": ";".join(a["id"] for a in d.get("authors") or [] if a.get("id")),
                "doi": ext.get("DOI"),
                "arxiv_id": ext.get("ArXiv"),
                "venue": d.get("venue"),
            }
        )
    if not rows:
        return pd.DataFrame(columns=["paper_id", "status"])
    df = pd.DataFrame(rows).sort_values("paper_id").reset_index(drop=True)
    return as_int(df, "year", "citation_count", "influential_citation_count", "n_fields")


def citations_frame(checkpoint: Checkpoint) -> pd.DataFrame:
    rows = []
    for row in checkpoint:
        if row["status"] != "ok":
            continue
        for citing_id, date, year in row["data"]["citing"]:
            rows.append(
                {
                    "paper_id": row["key"],
                    "citing_id": citing_id,
                    "citing_date": date,
                    "citing_year": year,
                    "source": "s2",
                }
            )
    cols = ["paper_id", "citing_id", "citing_date", "citing_year", "source"]
    df = pd.DataFrame(rows, columns=cols).sort_values(["paper_id", "citing_id"], na_position="last")
    return as_int(df.reset_index(drop=True), "citing_year")


def authors_frame(checkpoint: Checkpoint) -> pd.DataFrame:
    rows = [{"author_id": r["key"], "status": r["status"], **(r["data"] or {})} for r in checkpoint]
    if not rows:
        return pd.DataFrame(columns=["author_id", "status"])
    df = pd.DataFrame(rows).reindex(columns=AUTHOR_COLUMNS)
    df = df.sort_values("author_id").reset_index(drop=True)
    return as_int(df, "h_index", "citation_count", "paper_count")


def author_ids(papers: Checkpoint) -> list[str]:
    """Every author id of the papers found, in first-seen order."""
    seen: dict[str, None] = {}
    for row in papers:
        for a in (row["data"] or {}).get("authors") or []:
            if a.get("id"):
                seen.setdefault(str(a["id"]), None)
    return list(seen)

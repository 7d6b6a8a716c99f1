"""OpenAlex: works by DOI or arXiv id, the works citing them (cursor paging), authors' h-index.

Response shapes used: ``GET /works/doi:<doi>`` answers one work (404 if unknown) with
``cited_by_count``, ``counts_by_year``, ``concepts``, ``topics``, ``authorships``;
``GET /works?filter=cites:<W id>&cursor=*`` answers ``{"meta": {"next_cursor"}, "results"}``
(``next_cursor`` null at the end); ``GET /authors/<A id>`` has ``summary_stats.h_index``.
arXiv preprints are looked up by their DataCite DOI ``10.48550/arXiv.<id>`` (DOIs are URL-quoted,
so ``#`` or ``?`` in one cannot cut it short). ``OPENALEX_API_KEY`` (required by OpenAlex since
February 2026) and ``OPENALEX_EMAIL`` (polite pool) are sent as query parameters, never cached or
logged. OpenAlex documents 403 as a rate limit, so it is retried like 429. ``per-page`` is at most
100 (the documented range is 1..100); paging stops once ``meta.count`` results are in (no extra
empty page), when the cursor repeats, or at ``max_pages`` (then ``complete`` is false and
``stopped`` says why). A ``results: null`` or an error object is a malformed answer, never an end.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pandas as pd
import requests

from ..core.checkpoint import NOT_FOUND, Checkpoint
from ..core.http import OPENALEX, RetryPolicy, auth_params, get_json
from . import shapes
from .online import Failures, as_int, each_item, normalise_paper_id

BASE_URL = "https://api.openalex.org"
WORK_SELECT = (
    "id,doi,title,publication_date,cited_by_count,counts_by_year,concepts,topics,authorships"
)
PER_PAGE = 100
MAX_PAGES = 200
_ARXIV = re.compile(r"^\d{4}\.\d{4,5}$|^[a-z-]+(\.[A-Z]{2})?/\d{7}$")


def doi_for(paper_id: str) -> str:
    """The DOI OpenAlex knows a paper by (arXiv ids map to their DataCite DOI)."""
    pid = normalise_paper_id(paper_id)
    return f"10.48550/arxiv.{pid}" if _ARXIV.match(pid) else pid


def _short(openalex_url: str | None) -> str | None:
    return openalex_url.rsplit("/", 1)[-1] if openalex_url else None


def _work(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "openalex_id": _short(item.get("id")),
        "doi": item.get("doi"),
        "title": item.get("title"),
        "publication_date": item.get("publication_date"),
        "cited_by_count": item.get("cited_by_count"),
        "counts_by_year": {
            str(c["year"]): c.get("cited_by_count") for c in item.get("counts_by_year") or []
        },
        "concepts": [
            c.get("display_name") for c in item.get("concepts") or [] if c.get("level") == 0
        ],
        "topics": [t.get("display_name") for t in item.get("topics") or []],
        "fields": sorted(
            {
                (t.get("field") or {}).get("display_name")
                for t in item.get("topics") or []
                if (t.get("field") or {}).get("display_name")
            }
        ),
        "authors": [
            _short((a.get("author") or {}).get("id"))
            for a in item.get("authorships") or []
            if (a.get("author") or {}).get("id")
        ],
    }


def collect_works(
    ids: list[str],
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    policy: RetryPolicy | None = None,
    failures: Failures | None = None,
) -> int:
    """One work per id (arXiv id or DOI); ids OpenAlex answers 404 for are not found."""

    def fetch(pid: str) -> int:
        params = {"select": WORK_SELECT, **auth_params("openalex")}
        res = get_json(
            session,
            f"{base_url}/works/doi:{quote(doi_for(pid), safe='/')}",
            params,
            validate=shapes.openalex_work,
            service=OPENALEX,
            policy=policy,
        )
        if res.found:
            return checkpoint.add(pid, _work(res.data))
        return checkpoint.add(pid, None, NOT_FOUND)

    return each_item(checkpoint.todo(ids), "openalex works", failures, fetch)


def citing_works(
    work_id: str,
    session: requests.Session,
    base_url: str = BASE_URL,
    *,
    per_page: int = PER_PAGE,
    max_pages: int = MAX_PAGES,
    policy: RetryPolicy | None = None,
) -> dict[str, Any]:
    """The works citing ``work_id``, cursor-paged, with ``complete`` and why it stopped."""
    if not 1 <= per_page <= 100:
        raise ValueError(f"per_page must be 1..100 (OpenAlex's documented range), not {per_page}")
    cursor, seen, citing = "*", set(), []
    for _ in range(max_pages):
        seen.add(cursor)
        params = {
            "filter": f"cites:{work_id}",
            "per-page": per_page,
            "cursor": cursor,
            "select": "id,publication_date",
            **auth_params("openalex"),
        }
        body = get_json(
            session,
            f"{base_url}/works",
            params,
            validate=shapes.openalex_list,
            missing_ok=False,
            service=OPENALEX,
            policy=policy,
        ).data
        citing.extend([_short(w.get("id")), w.get("publication_date")] for w in body["results"])
        nxt = body["meta"].get("next_cursor")
        if not nxt or not body["results"] or len(citing) >= body["meta"]["count"]:
            return {"openalex_id": work_id, "complete": True, "citing": citing}
        if nxt in seen:
            return {
                "openalex_id": work_id,
                "complete": False,
                "stopped": "cursor repeats",
                "citing": citing,
            }
        cursor = nxt
    return {
        "openalex_id": work_id,
        "complete": False,
        "stopped": f"page cap of {max_pages} pages",
        "citing": citing,
    }


def collect_citing(
    works: dict[str, str],
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    per_page: int = PER_PAGE,
    max_pages: int = MAX_PAGES,
    policy: RetryPolicy | None = None,
    failures: Failures | None = None,
) -> int:
    """Works citing each OpenAlex work (``{paper_id: W id}``), with dates; one checkpoint item
    per paper."""

    def fetch(pid: str) -> int:
        return checkpoint.add(
            pid,
            citing_works(
                works[pid], session, base_url, per_page=per_page, max_pages=max_pages, policy=policy
            ),
        )

    return each_item(checkpoint.todo(list(works)), "openalex citations", failures, fetch)


def collect_authors(
    author_ids: list[str],
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    policy: RetryPolicy | None = None,
    failures: Failures | None = None,
) -> int:
    """``summary_stats.h_index`` of OpenAlex author ids (``A...``); a merged author's 301 is
    followed on the same host with the key, never to another one."""

    def fetch(aid: str) -> int:
        res = get_json(
            session,
            f"{base_url}/authors/{quote(aid, safe='')}",
            auth_params("openalex") or None,
            validate=shapes.openalex_author,
            service=OPENALEX,
            policy=policy,
        )
        if not res.found:
            return checkpoint.add(aid, None, NOT_FOUND)
        stats = res.data.get("summary_stats") or {}
        return checkpoint.add(
            aid,
            {
                "name": res.data.get("display_name"),
                "h_index": stats.get("h_index"),
                "works_count": res.data.get("works_count"),
                "cited_by_count": res.data.get("cited_by_count"),
            },
        )

    return each_item(checkpoint.todo(author_ids), "openalex authors", failures, fetch)


# --- tidy tables ---------------------------------------------------------------------------

AUTHOR_COLUMNS = ["author_id", "status", "name", "h_index", "works_count", "cited_by_count"]


def works_frame(checkpoint: Checkpoint) -> pd.DataFrame:
    rows = []
    for row in checkpoint:
        d = row["data"] or {}
        rows.append(
            {
                "paper_id": row["key"],
                "status": row["status"],
                "openalex_id": d.get("openalex_id"),
                "publication_date": d.get("publication_date"),
                "cited_by_count": d.get("cited_by_count"),
                "counts_by_year": ";".join(
                    f"{y}:{n}" for y, n in sorted((d.get("counts_by_year") or {}).items())
                ),
                "concepts": ";".join(d.get("concepts") or []),
                "fields": ";".join(d.get("fields") or []),
                "n_fields": len(d.get("fields") or []) if d else None,
                "author_ids": ";".join(d.get("authors") or []),
            }
        )
    if not rows:
        return pd.DataFrame(columns=["paper_id", "status"])
    df = pd.DataFrame(rows).sort_values("paper_id").reset_index(drop=True)
    return as_int(df, "cited_by_count", "n_fields")


def citing_frame(checkpoint: Checkpoint) -> pd.DataFrame:
    rows = [
        {
            "paper_id": r["key"],
            "citing_id": cid,
            "citing_date": date,
            "citing_year": int(date[:4]) if date else None,
            "source": "openalex",
        }
        for r in checkpoint
        if r["status"] == "ok"
        for cid, date in r["data"]["citing"]
    ]
    cols = ["paper_id", "citing_id", "citing_date", "citing_year", "source"]
    df = pd.DataFrame(rows, columns=cols).sort_values(["paper_id", "citing_id"])
    return as_int(df.reset_index(drop=True), "citing_year")


def authors_frame(checkpoint: Checkpoint) -> pd.DataFrame:
    rows = [{"author_id": r["key"], "status": r["status"], **(r["data"] or {})} for r in checkpoint]
    if not rows:
        return pd.DataFrame(columns=["author_id", "status"])
    df = pd.DataFrame(rows).reindex(columns=AUTHOR_COLUMNS)
    df = df.sort_values("author_id").reset_index(drop=True)
    return as_int(df, "h_index", "works_count", "cited_by_count")

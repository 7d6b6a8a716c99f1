"""arXiv API: papers by query string and submission-date window, as screening records.

Queries ``/api/query?search_query=(<q>) AND submittedDate:[YYYYMMDD0000 TO YYYYMMDD2359]``,
paging with ``start``/``max_results`` until ``opensearch:totalResults`` is reached or a page is
empty, pausing ``delay`` seconds between requests as the API's terms ask. Each page is one
checkpoint item; the answer is Atom XML, parsed (and so checked) before it is cached. A walk
ends at ``max_pages`` at the latest.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pandas as pd
import requests

from ..core.checkpoint import Checkpoint
from ..core.http import Malformed, RetryPolicy, get_text
from . import shapes

BASE_URL = "https://export.arxiv.org/api/query"
PAGE = 200
NS = {
    "a": "http://www.w3.org/2005/Atom",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
    "arxiv": "http://arxiv.org/schemas/atom",
}
# The record columns shared with the curated-list importers (benchmeta.records).
RECORD_COLUMNS = [
    "source",
    "source_id",
    "title",
    "date",
    "year",
    "arxiv_id",
    "doi",
    "paper_url",
    "code_url",
    "venue",
    "abstract",
    "list",
    "section",
    "tags",
]
_ID = re.compile(r"abs/(.+?)(v\d+)?$")


def window_query(query: str, start: str, end: str) -> str:
    """``query`` restricted to first versions submitted from ``start`` to ``end`` (ISO dates)."""
    a, b = start.replace("-", ""), end.replace("-", "")
    return f"({query}) AND submittedDate:[{a}0000 TO {b}2359]"


def _text(el: ET.Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def parse_feed(xml: str) -> tuple[int, list[dict[str, Any]]]:
    """(total results, entries) of one Atom page; ``Malformed`` if it is not one."""
    try:
        root = ET.fromstring(shapes.arxiv_feed(xml))
        total = int(_text(root.find("os:totalResults", NS)) or 0)
    except (ET.ParseError, ValueError) as exc:
        raise Malformed(f"arXiv: not a valid Atom page ({type(exc).__name__})") from None
    entries = []
    for e in root.findall("a:entry", NS):
        m = _ID.search(_text(e.find("a:id", NS)))
        if not m:  # an error entry (arXiv reports bad queries as a feed entry)
            continue
        primary = e.find("arxiv:primary_category", NS)
        entries.append(
            {
                "arxiv_id": m.group(1),
                "version": (m.group(2) or "").lstrip("v"),
                "title": _text(e.find("a:title", NS)),
                "published": _text(e.find("a:published", NS)),
                "updated": _text(e.find("a:updated", NS)),
                "abstract": _text(e.find("a:summary", NS)),
                "authors": [_text(a.find("a:name", NS)) for a in e.findall("a:author", NS)],
                "doi": _text(e.find("arxiv:doi", NS)),
                "journal_ref": _text(e.find("arxiv:journal_ref", NS)),
                "comment": _text(e.find("arxiv:comment", NS)),
                "primary_category": primary.get("term") if primary is not None else "",
            }
        )
    return total, entries


def search(
    query: str,
    start_date: str,
    end_date: str,
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    page: int = PAGE,
    delay: float = 3.0,
    sleep: Callable[[float], None] = time.sleep,
    max_pages: int = 500,
    policy: RetryPolicy | None = None,
) -> int:
    """Every entry for ``query`` in the window, page by page; returns the pages added."""
    q = window_query(query, start_date, end_date)
    added, start, fetched = 0, 0, False
    for _ in range(max_pages):
        key = f"{q}|{start}"
        done = checkpoint.get(key)
        if done is None:
            if fetched and delay:
                sleep(delay)
            params = {
                "search_query": q,
                "start": start,
                "max_results": page,
                "sortBy": "submittedDate",
                "sortOrder": "ascending",
            }
            res = get_text(
                session, base_url, params, validate=parse_feed, missing_ok=False, policy=policy
            )
            fetched = not res.from_cache
            total, entries = res.data
            data = {
                "query": query,
                "window": f"{start_date}:{end_date}",
                "start": start,
                "total": total,
                "entries": entries,
            }
            added += checkpoint.add(key, data)
        else:
            data = done["data"]
        start += len(data["entries"])
        if not data["entries"] or start >= data["total"]:
            return added
    return added


def records_frame(checkpoint: Checkpoint) -> pd.DataFrame:
    """One record per arXiv id in the record columns (first version date as ``date``)."""
    rows: dict[str, dict[str, Any]] = {}
    for row in checkpoint:
        for e in row["data"]["entries"]:
            date = e["published"][:10]
            rows.setdefault(
                e["arxiv_id"],
                {
                    "source": "arxiv-api",
                    "source_id": e["arxiv_id"],
                    "title": e["title"],
                    "date": date,
                    "year": int(date[:4]) if date else None,
                    "arxiv_id": e["arxiv_id"],
                    "doi": e["doi"] or None,
                    "paper_url": f"https://arxiv.org/abs/{e['arxiv_id']}",
                    "code_url": None,
                    "venue": e["journal_ref"] or None,
                    "abstract": e["abstract"],
                    "list": f"arXiv API: {row['data']['query']}",
                    "section": e["primary_category"],
                    "tags": None,
                },
            )
    df = pd.DataFrame(list(rows.values()), columns=RECORD_COLUMNS).sort_values("arxiv_id")
    df["year"] = df["year"].astype("Int64")
    return df.reset_index(drop=True)

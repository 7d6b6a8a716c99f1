"""The documented shape of each API answer the collectors use, checked before anything is cached
or checkpointed. A check raises ``Malformed`` (a retryable fault in ``benchmeta.core.http``), so an
HTML page, an error object, ``null`` where a list belongs or a batch of the wrong length is never
recorded as a fact."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.http import Malformed

Validator = Callable[[Any], Any]
_INT = (int,)


def _fail(what: str, value: object) -> Malformed:
    shown = type(value).__name__ if not isinstance(value, str | int | float) else repr(value)
    return Malformed(f"{what} (got {shown[:60]})")


def obj(data: Any, what: str) -> dict[str, Any]:
    """``data`` as a JSON object without an ``error`` member."""
    if not isinstance(data, dict):
        raise _fail(f"{what}: expected an object", data)
    if "error" in data or "errors" in data:
        raise _fail(f"{what}: the API answered an error object", str(data.get("error")))
    return data


def field(
    d: dict[str, Any], name: str, types: tuple[type, ...], *, what: str, optional: bool = True
) -> Any:
    """``d[name]`` if it has one of ``types`` (bools are not numbers); ``None`` allowed when
    ``optional``; a missing key counts as ``None``."""
    value = d.get(name)
    if value is None:
        if optional:
            return None
        raise _fail(f"{what}: {name} is missing or null", value)
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        raise _fail(f"{what}: {name} has the wrong type", value)
    return value


def rows(data: Any, what: str) -> list[dict[str, Any]]:
    """A list of objects."""
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise _fail(f"{what}: expected a list of objects", data)
    return data


# --- Semantic Scholar ------------------------------------------------------------------------


def s2_batch(n: int, kind: str) -> Validator:
    """``POST /paper|author/batch``: a list of exactly ``n`` entries, each an object or null."""
    id_field = "paperId" if kind == "paper" else "authorId"
    counts = (
        ("citationCount", "influentialCitationCount", "year")
        if kind == "paper"
        else ("hIndex", "citationCount", "paperCount")
    )

    def check(data: Any) -> list[Any]:
        if not isinstance(data, list):
            raise _fail(f"{kind} batch: expected a list", obj(data, f"{kind} batch"))
        if len(data) != n:
            raise Malformed(f"{kind} batch: {len(data)} answers for {n} ids")
        for item in data:
            if item is None:
                continue
            if not isinstance(item, dict):
                raise _fail(f"{kind} batch: expected an object or null", item)
            field(item, id_field, (str,), what=f"{kind} batch", optional=False)
            for name in counts:
                field(item, name, _INT, what=f"{kind} batch")
            if kind == "paper":
                for name in ("authors", "s2FieldsOfStudy"):
                    if item.get(name) is not None:
                        rows(item[name], f"paper batch {name}")
        return data

    return check


def s2_citations(data: Any) -> dict[str, Any]:
    """``GET /paper/{id}/citations``: ``data`` is a list (never null), ``next`` an int or absent."""
    d = obj(data, "citations page")
    field(d, "next", _INT, what="citations page")
    field(d, "offset", _INT, what="citations page")
    for row in rows(d.get("data"), "citations page data"):
        paper = row.get("citingPaper")
        if paper is not None and not isinstance(paper, dict):
            raise _fail("citations page: citingPaper is not an object", paper)
    return d


def s2_bulk(data: Any) -> dict[str, Any]:
    """``GET /paper/search/bulk``: ``data`` a list, ``token`` a string or absent."""
    d = obj(data, "bulk search page")
    field(d, "total", _INT, what="bulk search page")
    field(d, "token", (str,), what="bulk search page")
    rows(d.get("data"), "bulk search page data")
    return d


# --- OpenAlex --------------------------------------------------------------------------------


def openalex_work(data: Any) -> dict[str, Any]:
    d = obj(data, "work")
    field(d, "id", (str,), what="work", optional=False)
    field(d, "cited_by_count", _INT, what="work", optional=False)
    for name in ("counts_by_year", "concepts", "topics", "authorships"):
        if d.get(name) is not None:
            rows(d[name], f"work {name}")
    return d


def openalex_list(data: Any) -> dict[str, Any]:
    """``GET /works?filter=``: ``meta`` with ``count`` and ``next_cursor``; ``results`` a list."""
    d = obj(data, "works page")
    meta = obj(d.get("meta"), "works page meta")
    field(meta, "count", _INT, what="works page meta", optional=False)
    field(meta, "next_cursor", (str,), what="works page meta")
    rows(d.get("results"), "works page results")
    return d


def openalex_author(data: Any) -> dict[str, Any]:
    d = obj(data, "author")
    field(d, "id", (str,), what="author", optional=False)
    stats = d.get("summary_stats")
    if stats is not None:
        field(obj(stats, "author summary_stats"), "h_index", _INT, what="author")
    return d


# --- GitHub ----------------------------------------------------------------------------------


def github_repo(data: Any) -> dict[str, Any]:
    d = obj(data, "repository")
    field(d, "full_name", (str,), what="repository", optional=False)
    for name in ("stargazers_count", "forks_count", "open_issues_count"):
        field(d, name, _INT, what="repository", optional=False)
    field(d, "subscribers_count", _INT, what="repository")
    field(d, "archived", (bool,), what="repository")
    return d


def github_listing(data: Any) -> list[dict[str, Any]]:
    """An issues or comments page: a list of objects with ``created_at`` strings."""
    for r in rows(data, "listing page"):
        field(r, "created_at", (str,), what="listing page", optional=False)
    return data


def arxiv_feed(text: Any) -> str:
    """An Atom feed (the parser checks the rest)."""
    if not isinstance(text, str) or "<feed" not in text[:2000]:
        raise _fail("arXiv: not an Atom feed", text[:40] if isinstance(text, str) else text)
    return text

"""GitHub listings page by page along ``Link: rel="next"``, bounded: a next URL on another host is
refused (the token would follow it), a repeated next URL or ``max_pages`` ends the walk, and the
listing says why (``stopped``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.utils import parse_header_links

from ..core.http import GITHUB, Fetched, RetryPolicy, auth_headers, get_json
from . import shapes

ACCEPT = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}


def _next_link(res: Fetched) -> str | None:
    header = res.headers.get("Link") or res.headers.get("link")
    if not header:
        return None
    for link in parse_header_links(header):
        if link.get("rel") == "next":
            return link.get("url")
    return None


def _host(url: str) -> tuple[str, str | None, int | None]:
    p = urlsplit(url)
    return p.scheme, p.hostname, p.port


class Listing:
    """The pages of one listing; after iterating, ``stopped`` says why it ended early ("" when
    it reached the last page) and ``status`` is the first page's status."""

    def __init__(
        self,
        session: requests.Session,
        url: str,
        params: dict[str, Any] | None,
        *,
        max_pages: int | None,
        policy: RetryPolicy | None,
    ):
        self.session, self.url, self.params = session, url, params
        self.max_pages, self.policy = max_pages, policy
        self.stopped, self.status = "", 200

    def __iter__(self) -> Iterator[list[dict[str, Any]]]:
        seen: set[str] = set()
        next_url: str | None = self.url
        n = 0
        while next_url:
            if self.max_pages is not None and n >= self.max_pages:
                self.stopped = f"page cap of {self.max_pages} pages"
                return
            if next_url in seen:
                self.stopped = "next page repeats"
                return
            if _host(next_url) != _host(self.url):
                self.stopped = "next page on another host refused"
                return
            seen.add(next_url)
            res = get_json(
                self.session,
                next_url,
                self.params if n == 0 else None,
                headers={**ACCEPT, **auth_headers("github")},
                validate=shapes.github_listing,
                service=GITHUB,
                policy=self.policy,
            )
            n += 1
            if not res.found:
                self.status = res.status
                return
            yield res.data
            next_url = _next_link(res)


def pages(
    session: requests.Session,
    url: str,
    params: dict[str, Any] | None,
    *,
    max_pages: int | None,
    policy: RetryPolicy | None,
) -> Listing:
    """Each page of a listing, following ``Link: rel="next"`` (bounded, same host only)."""
    return Listing(session, url, params, max_pages=max_pages, policy=policy)

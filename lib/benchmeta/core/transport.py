"""Sending one prepared request: redirects followed by hand (credentials dropped before another
host, loops refused) and the body read within the answer's deadline and size limit."""

from __future__ import annotations

import logging
import os
import time
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.structures import CaseInsensitiveDict

from .credentials import safe_url, strip_secrets
from .retrying import FetchError, Retryable, RetryPolicy

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5


def _same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port) == (pb.scheme, pb.hostname, pb.port)


def _read_body(resp: requests.Response, policy: RetryPolicy, started: float) -> bytes:
    """The decoded body, refusing more than ``max_bytes`` or reading past the deadline."""
    shown = safe_url(resp.url)
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise Retryable(f"body of {declared} bytes exceeds the limit", resp.status_code, shown, 0.0)
    chunks, size = [], 0
    while chunk := resp.raw.read1(64 * 1024, decode_content=True):
        size += len(chunk)
        if size > policy.max_bytes:
            raise Retryable(f"body exceeds {policy.max_bytes} bytes", resp.status_code, shown, 0.0)
        if time.monotonic() - started > policy.deadline:
            raise Retryable(
                f"answer took longer than {policy.deadline:.0f} s", resp.status_code, shown, 0.0
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _bounded(timeout: float | tuple[float, float], deadline: float) -> tuple[float, float]:
    """(connect, read) socket timeouts, neither longer than the answer's deadline."""
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    return min(connect, deadline), min(read, deadline)


def ca_bundle(session: requests.Session) -> bool | str:
    """What ``verify`` ``requests`` itself would use: the session's own setting, or the
    ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` of the environment when the session keeps the
    default (``Session.send``, called directly here, skips that look-up, so a machine whose
    TLS goes through its own certificate authority would fail every request)."""
    if session.verify is not True or not session.trust_env:
        return session.verify
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True


def send(
    session: requests.Session,
    prep: requests.PreparedRequest,
    policy: RetryPolicy,
    timeout: float | tuple[float, float],
) -> tuple[requests.Response, bytes]:
    """Send ``prep`` following redirects by hand; returns the last response and its body."""
    started = time.monotonic()
    seen = {prep.url}
    for _ in range(MAX_REDIRECTS + 1):
        try:
            resp = requests.Session.send(
                session,
                prep,
                stream=True,
                timeout=_bounded(timeout, policy.deadline),
                allow_redirects=False,
                verify=ca_bundle(session),
            )
            body = _read_body(resp, policy, started) if not resp.is_redirect else b""
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
            urllib3.exceptions.HTTPError,
        ) as exc:
            raise Retryable(
                f"connection error: {type(exc).__name__}", None, safe_url(prep.url or ""), 0.0
            ) from None
        if not resp.is_redirect:
            return resp, body
        target = urljoin(resp.url, resp.headers["Location"])
        resp.close()
        if target in seen:
            raise FetchError("redirect loop", url=target, status=resp.status_code)
        seen.add(target)
        nxt = prep.copy()
        if resp.status_code in (301, 302, 303) and prep.method == "POST":
            nxt.method, nxt.body = "GET", None
            nxt.headers.pop("Content-Type", None)
            nxt.headers.pop("Content-Length", None)
        if not _same_origin(prep.url or "", target):
            target, kept = strip_secrets(target, dict(nxt.headers))
            nxt.headers = CaseInsensitiveDict(kept)
            log.info("redirect to another host: credentials dropped (%s)", safe_url(target))
        nxt.prepare_url(target, None)
        prep = nxt
    raise FetchError(f"more than {MAX_REDIRECTS} redirects", url=prep.url or "", status=None)

"""The one HTTP layer: a cached session and retrying JSON/text fetches that never leak secrets.

- ``make_session`` builds a ``requests_cache.CachedSession`` (SQLite in a folder passed in). The
  cache key leaves out credential headers and parameters; ``request`` stores only what it has
  validated, as a minimal record (status, token-free URL, body, ``Content-Type``/``Link``), never
  the request's headers or a redirect history.
- Redirects are followed here (at most ``MAX_REDIRECTS``, loops refused): to another host every
  credential header and query parameter is dropped first.
- Retries (tenacity): ``Retry-After`` (seconds or HTTP date), then ``X-RateLimit-Reset``, then
  exponential backoff; a rate limit without either waits at least the service's floor (GitHub: a
  minute). Every wait is clamped to ``[min_wait, max_wait]``; a server asking for more than
  ``max_wait`` ends the request at once (``RateLimited`` with the wait). Connection faults, 5xx,
  over-size or too-slow bodies (``max_bytes``, ``deadline``) and malformed answers (not JSON, or
  rejected by the caller's ``validate``) are retried, and a malformed answer is never cached.
- 404/410 come back as a ``Fetched`` with ``found == False`` when ``missing_ok``; otherwise (a
  batch or listing endpoint) they are a ``FetchError``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import requests_cache
import tenacity
import urllib3
from requests.structures import CaseInsensitiveDict
from requests_cache.models import CachedRequest, CachedResponse
from requests_cache.policy.expiration import get_expiration_datetime

from .. import __version__
from .credentials import (  # noqa: F401  (re-exported: the collectors import them from here)
    SECRET_ENV,
    SECRET_HEADERS,
    SECRET_PARAMS,
    SecretError,
    auth_headers,
    auth_params,
    install_log_redaction,
    redact,
    safe_url,
    strip_secrets,
)
from .retrying import (  # noqa: F401  (re-exported)
    DEFAULT_POLICY,
    DEFAULT_SERVICE,
    GITHUB,
    OPENALEX,
    S2,
    RetryPolicy,
    Service,
    countdown,
    is_rate_limited,
)

log = logging.getLogger(__name__)

USER_AGENT = f"benchmeta/{__version__} (benchmark-of-benchmarks research compendium)"
TIMEOUT = (10.0, 60.0)
NOT_FOUND = (404, 410)
MAX_REDIRECTS = 5
KEPT_HEADERS = ("Content-Type", "Link")


def make_session(
    cache_path: Path | str,
    *,
    expire_after: timedelta | int = timedelta(days=7),
    user_agent: str = USER_AGENT,
    cache_name: str = "http_cache",
) -> requests_cache.CachedSession:
    """A cached session storing ``<cache_path>/<cache_name>.sqlite`` (see the module notes)."""
    folder = Path(cache_path)
    folder.mkdir(parents=True, exist_ok=True)
    session = requests_cache.CachedSession(
        str(folder / cache_name),
        backend="sqlite",
        expire_after=expire_after,
        allowable_codes=(200,),
        allowable_methods=("GET", "HEAD", "POST"),
        # requests-cache matches these names case-sensitively: list every casing we send.
        ignored_parameters=sorted(
            {*SECRET_HEADERS, *(h.lower() for h in SECRET_HEADERS), *SECRET_PARAMS}
        ),
        match_headers=["Accept"],
        stale_if_error=False,
    )
    session.headers["User-Agent"] = user_agent
    return session


# --- errors and results ----------------------------------------------------------------------


class FetchError(RuntimeError):
    """A request that failed for good. ``url`` is token-free; ``wait`` is the delay a retry needs
    (``None`` if retrying would not help)."""

    def __init__(self, message: str, *, url: str, status: int | None, wait: float | None = None):
        self.url = safe_url(url)
        self.status = status
        self.wait = wait
        super().__init__(
            redact(
                f"{message} (url: {self.url}, status: {status}"
                + (f", retry after {wait:.0f} s)" if wait is not None else ")")
            )
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class RateLimited(FetchError):
    """Still rate limited after every attempt (or asked to wait longer than allowed); rerun
    after ``wait`` seconds to resume."""


class Malformed(ValueError):
    """An answer that does not have the documented shape (raised by validators)."""


class _Retryable(Exception):
    """One failed attempt worth retrying: ``wait`` is what the fault asks for."""

    def __init__(
        self, reason: str, status: int | None, url: str, wait: float, rate_limited: bool = False
    ):
        super().__init__(reason)
        self.reason, self.status, self.url, self.wait = reason, status, url, wait
        self.rate_limited = rate_limited


@dataclass(frozen=True)
class Fetched:
    """One answered request. ``data`` is parsed JSON (or text for ``get_text``), ``None`` when
    the resource is not found (404/410)."""

    url: str
    status: int
    data: Any = None
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    from_cache: bool = False

    @property
    def found(self) -> bool:
        return self.status not in NOT_FOUND


# --- one attempt -----------------------------------------------------------------------------


def _same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port) == (pb.scheme, pb.hostname, pb.port)


def _read_body(resp: requests.Response, policy: RetryPolicy, started: float) -> bytes:
    """The decoded body, refusing more than ``max_bytes`` or reading past the deadline."""
    shown = safe_url(resp.url)
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise _Retryable(
            f"body of {declared} bytes exceeds the limit", resp.status_code, shown, 0.0
        )
    chunks, size = [], 0
    while chunk := resp.raw.read1(64 * 1024, decode_content=True):
        size += len(chunk)
        if size > policy.max_bytes:
            raise _Retryable(f"body exceeds {policy.max_bytes} bytes", resp.status_code, shown, 0.0)
        if time.monotonic() - started > policy.deadline:
            raise _Retryable(
                f"answer took longer than {policy.deadline:.0f} s", resp.status_code, shown, 0.0
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _bounded(timeout: float | tuple[float, float], deadline: float) -> tuple[float, float]:
    """(connect, read) socket timeouts, neither longer than the answer's deadline."""
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    return min(connect, deadline), min(read, deadline)


def _send(
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
            )
            body = _read_body(resp, policy, started) if not resp.is_redirect else b""
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
            urllib3.exceptions.HTTPError,
        ) as exc:
            raise _Retryable(
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


def _parse(body: bytes, parse: str, validate: Callable[[Any], Any] | None, encoding: str) -> Any:
    """The body as JSON (or text), passed through ``validate``; raises ``Malformed``."""
    if parse == "json":
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            raise Malformed("answer is not valid JSON") from None
    else:
        data = body.decode(encoding or "utf-8", "replace")
    if validate is not None:
        try:
            data = validate(data)
        except RecursionError:
            raise Malformed("answer is nested too deeply") from None
    return data


def _store(session: requests.Session, key: str, resp: requests.Response, body: bytes) -> None:
    """Cache a validated 200 as a minimal record: no request headers, no redirect history."""
    if not isinstance(session, requests_cache.CachedSession) or resp.status_code != 200:
        return
    expires = get_expiration_datetime(session.settings.expire_after)
    shown = safe_url(resp.url)
    kept = CaseInsensitiveDict({k: redact(v) for k, v in resp.headers.items() if k in KEPT_HEADERS})
    record = CachedResponse(
        url=shown,
        status_code=200,
        reason="OK",
        headers=kept,
        encoding=resp.encoding,
        expires=expires,
        request=CachedRequest(method=resp.request.method, url=shown),
    )
    record._content = body
    session.cache.responses[key] = record


def _attempt(
    session: requests.Session,
    prep: requests.PreparedRequest,
    *,
    attempt: int,
    parse: str,
    validate: Callable[[Any], Any] | None,
    missing_ok: bool,
    service: Service,
    policy: RetryPolicy,
    timeout: float | tuple[float, float],
) -> Fetched:
    """One try: the cache, else the network; raises ``_Retryable`` for faults worth retrying."""
    cache = session.cache if isinstance(session, requests_cache.CachedSession) else None
    key = cache.create_key(prep) if cache is not None else ""
    hit = cache.get_response(key) if cache is not None else None
    if hit is not None and not hit.is_expired:
        try:
            data = _parse(hit.content, parse, validate, hit.encoding or "utf-8")
            return Fetched(hit.url, hit.status_code, data, dict(hit.headers), True)
        except Malformed:
            cache.delete(key)  # a bad answer stored by an older version: fetch it again
    try:
        resp, body = _send(session, prep, policy, timeout)
    except _Retryable as exc:  # a connection or body fault: exponential backoff
        exc.wait = policy.backoff_wait(attempt)
        raise
    status, shown = resp.status_code, safe_url(resp.url)
    if status in NOT_FOUND:
        if missing_ok:
            return Fetched(shown, status, None, dict(resp.headers))
        raise FetchError(
            f"HTTP {status} from an endpoint that always exists", url=shown, status=status
        )
    if status < 300:
        try:
            data = _parse(body, parse, validate, resp.encoding or "utf-8")
        except Malformed as exc:
            raise _Retryable(
                f"malformed answer: {exc}", status, shown, policy.backoff_wait(attempt)
            ) from None
        _store(session, key, resp, body)
        return Fetched(shown, status, data, dict(resp.headers))
    if is_rate_limited(service, status, resp.headers, body):
        header = policy.header_wait(resp.headers)
        wait = (
            header
            if header is not None
            else max(service.headerless_wait, policy.backoff_wait(attempt))
        )
        raise _Retryable("rate limited", status, shown, max(policy.min_wait, wait), True)
    if status >= 500:
        header = policy.header_wait(resp.headers) if "Retry-After" in resp.headers else None
        raise _Retryable(
            "server error",
            status,
            shown,
            header if header is not None else policy.backoff_wait(attempt),
        )
    raise FetchError(f"HTTP {status} {redact(resp.reason or '')}", url=shown, status=status)


def request(
    session: requests.Session,
    method: str,
    url: str,
    params: Mapping[str, Any] | None = None,
    *,
    json_body: Any = None,
    headers: Mapping[str, str] | None = None,
    parse: str = "json",
    validate: Callable[[Any], Any] | None = None,
    missing_ok: bool = True,
    service: Service = DEFAULT_SERVICE,
    policy: RetryPolicy | None = None,
    timeout: float | tuple[float, float] = TIMEOUT,
) -> Fetched:
    """Send one request with retries; see the module docstring for the rules."""
    policy = policy or DEFAULT_POLICY
    try:
        prep = session.prepare_request(
            requests.Request(
                method, url, params=dict(params or {}), json=json_body, headers=dict(headers or {})
            )
        )
    except (requests.exceptions.InvalidHeader, ValueError) as exc:
        raise FetchError(
            f"request could not be built: {type(exc).__name__}", url=url, status=None
        ) from None

    def give_up(state: tenacity.RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        too_long = isinstance(exc, _Retryable) and exc.wait > policy.max_wait
        return too_long or state.attempt_number >= policy.attempts

    def wait(state: tenacity.RetryCallState) -> float:
        return policy.clamp(state.outcome.exception().wait)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc, seconds = state.outcome.exception(), state.next_action.sleep
        log.warning(
            "%s: %s (attempt %d/%d), waiting %.0f s",
            exc.url,
            exc.reason,
            state.attempt_number,
            policy.attempts,
            seconds,
        )
        countdown(
            policy, seconds, f"{exc.reason}; retry {state.attempt_number + 1}/{policy.attempts}"
        )

    tries = {"n": 0}

    def once() -> Fetched:
        tries["n"] += 1
        return _attempt(
            session,
            prep,
            attempt=tries["n"],
            parse=parse,
            validate=validate,
            missing_ok=missing_ok,
            service=service,
            policy=policy,
            timeout=timeout,
        )

    retrying = tenacity.Retrying(
        stop=give_up,
        wait=wait,
        retry=tenacity.retry_if_exception_type(_Retryable),
        before_sleep=before_sleep,
        sleep=lambda _: None,
        reraise=True,
    )
    try:
        return retrying(once)
    except _Retryable as exc:
        cls = RateLimited if exc.rate_limited else FetchError
        why = (
            f"the server asks to wait {exc.wait:.0f} s, more than --max-wait"
            if exc.wait > policy.max_wait
            else f"gave up after {tries['n']} attempts"
        )
        raise cls(f"{why}: {exc.reason}", url=exc.url, status=exc.status, wait=exc.wait) from None


def get_json(
    session: requests.Session, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any
) -> Fetched:
    """GET ``url`` and parse JSON, with retries (keywords as for ``request``)."""
    return request(session, "GET", url, params, **kwargs)


def post_json(
    session: requests.Session,
    url: str,
    params: Mapping[str, Any] | None = None,
    *,
    json_body: Any,
    **kwargs: Any,
) -> Fetched:
    """POST a JSON body to ``url`` and parse the JSON answer, with retries."""
    return request(session, "POST", url, params, json_body=json_body, **kwargs)


def get_text(
    session: requests.Session, url: str, params: Mapping[str, Any] | None = None, **kwargs: Any
) -> Fetched:
    """GET ``url`` as text (for XML APIs), with retries."""
    return request(session, "GET", url, params, parse="text", **kwargs)

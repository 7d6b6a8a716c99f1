"""The one HTTP layer: a cached session and retrying JSON/text fetches that never leak secrets.

- ``make_session`` builds a ``requests_cache.CachedSession`` (SQLite in a folder passed in). The
  cache key leaves out credential headers and parameters; ``request`` stores only what it has
  validated, as a minimal record (status, token-free URL, body, ``Content-Type``/``Link``), never
  the request's headers or a redirect history.
- Redirects are followed by hand (``core.transport``: at most ``MAX_REDIRECTS``, loops refused):
  to another host every credential header and query parameter is dropped first.
- Retries (tenacity; the rules in ``core.retrying``): ``Retry-After`` (seconds or HTTP date),
  then ``X-RateLimit-Reset``, then exponential backoff; a rate limit without either waits at
  least the service's floor (GitHub: a minute). Every wait is clamped to ``[min_wait,
  max_wait]``; a server asking for more than ``max_wait`` ends the request at once
  (``RateLimited`` with the wait). Connection faults, 5xx, over-size or too-slow bodies
  (``max_bytes``, ``deadline``) and malformed answers (not JSON, or rejected by the caller's
  ``validate``) are retried, and a malformed answer is never cached.
- 404/410 come back as a ``Fetched`` with ``found == False`` when ``missing_ok``; otherwise (a
  batch or listing endpoint) they are a ``FetchError``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
import requests_cache
import tenacity
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
    FetchError,
    Malformed,
    RateLimited,
    Retryable,
    RetryPolicy,
    Service,
    countdown,
    is_rate_limited,
)
from .transport import MAX_REDIRECTS, send  # noqa: F401

log = logging.getLogger(__name__)

USER_AGENT = f"benchmeta/{__version__} (benchmark-of-benchmarks research compendium)"
TIMEOUT = (10.0, 60.0)
NOT_FOUND = (404, 410)
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
    """One try: the cache, else the network; raises ``Retryable`` for faults worth retrying."""
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
        resp, body = send(session, prep, policy, timeout)
    except Retryable as exc:  # a connection or body fault: exponential backoff
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
            raise Retryable(
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
        raise Retryable("rate limited", status, shown, max(policy.min_wait, wait), True)
    if status >= 500:
        header = policy.header_wait(resp.headers) if "Retry-After" in resp.headers else None
        raise Retryable(
            "server error",
            status,
            shown,
            header if header is not None else policy.backoff_wait(attempt),
        )
    raise FetchError(f"HTTP {status} {redact(resp.reason or '')}", url=shown, status=status)


def _retrying(policy: RetryPolicy) -> tenacity.Retrying:
    """tenacity's loop with our rules: stop after ``attempts`` or at once when the fault asks
    for more than ``max_wait``; wait what the fault asks, clamped; show the wait as a countdown."""

    def give_up(state: tenacity.RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        too_long = isinstance(exc, Retryable) and exc.wait > policy.max_wait
        return too_long or state.attempt_number >= policy.attempts

    def wait(state: tenacity.RetryCallState) -> float:
        return policy.clamp(state.outcome.exception().wait)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc, seconds, n = state.outcome.exception(), state.next_action.sleep, state.attempt_number
        log.warning(
            "%s: %s (attempt %d/%d), waiting %.0f s",
            exc.url,
            exc.reason,
            n,
            policy.attempts,
            seconds,
        )
        countdown(policy, seconds, f"{exc.reason}; retry {n + 1}/{policy.attempts}")

    return tenacity.Retrying(
        stop=give_up,
        wait=wait,
        before_sleep=before_sleep,
        retry=tenacity.retry_if_exception_type(Retryable),
        sleep=lambda _: None,
        reraise=True,
    )


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

    try:
        return _retrying(policy)(once)
    except Retryable as exc:
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

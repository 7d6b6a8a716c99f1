"""The one HTTP layer: a cached session and retrying JSON/text fetches that never leak tokens.

- ``make_session`` builds a ``requests_cache.CachedSession`` (SQLite in a folder passed in). Auth
  headers and auth query parameters are excluded from cache keys and redacted from what is stored.
- ``get_json`` / ``post_json`` / ``get_text`` retry: ``Retry-After`` (seconds or HTTP date) first,
  then ``X-RateLimit-Reset`` (epoch seconds), then exponential backoff for 5xx and connection
  errors. Every wait is clamped to ``[min_wait, max_wait]`` and shown as a countdown on stderr.
  After ``attempts`` tries they raise ``RateLimited`` or ``FetchError``; 404 and 410 come back as a
  ``Fetched`` with ``found == False``.
- Tokens come from environment variables (``auth_headers``, ``auth_params``); ``redact`` scrubs
  them from any text, and every message this module produces goes through it.
"""

from __future__ import annotations

import email.utils
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
import requests_cache
from tqdm import tqdm

from .. import __version__

log = logging.getLogger(__name__)

USER_AGENT = f"benchmeta/{__version__} (benchmark-of-benchmarks research compendium)"
TIMEOUT = (10.0, 60.0)
# Environment variables that hold secrets (or personal data such as the polite-pool e-mail).
SECRET_ENV = ("S2_API_KEY", "GITHUB_TOKEN", "OPENALEX_EMAIL", "OPENALEX_API_KEY")
# Headers and query parameters that carry credentials: never in a cache key, a cached request,
# a log line or an exception. (Not "token": Semantic Scholar's bulk search pages with a
# non-secret ``token`` parameter, which must stay in the cache key.)
SECRET_HEADERS = (
    "Authorization",
    "Proxy-Authorization",
    "X-API-Key",
    "X-Auth-Token",
    "X-API-Token",
    "X-Access-Token",
    "Cookie",
)
SECRET_PARAMS = ("access_token", "api_key", "apikey", "client_secret", "mailto", "key")
NOT_FOUND = (404, 410)
_REDACTED = "***"


# --- redaction -----------------------------------------------------------------------------


def _secret_values() -> list[str]:
    vals = {os.environ.get(name, "") for name in SECRET_ENV}
    return sorted((v for v in vals if len(v) >= 4), key=len, reverse=True)


_PARAM_RE = re.compile(
    r"(?i)\b(" + "|".join(re.escape(p) for p in SECRET_PARAMS) + r")=([^&\s'\"#]+)"
)
_HEADER_RE = re.compile(
    r"(?i)\b(" + "|".join(re.escape(h) for h in SECRET_HEADERS) + r")(['\"]?\s*[:=]\s*['\"]?)"
    r"(?:(?:Bearer|token|Basic)\s+)?([^\s'\",}]+)"
)


def redact(text: object) -> str:
    """``str(text)`` with every secret env value, auth query value and auth header value masked."""
    out = str(text)
    for value in _secret_values():
        out = out.replace(value, _REDACTED)
    out = _PARAM_RE.sub(lambda m: f"{m.group(1)}={_REDACTED}", out)
    return _HEADER_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{_REDACTED}", out)


def safe_url(url: str) -> str:
    """``url`` without credential query parameters (what errors, logs and manifests show)."""
    parts = urlsplit(url)
    if not parts.query:
        return redact(url)
    secret = {p.lower() for p in SECRET_PARAMS}
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in secret
    ]
    return redact(urlunsplit(parts._replace(query=urlencode(query))))


class _RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


def install_log_redaction() -> None:
    """Redact what urllib3 and this module log (urllib3 logs full URLs at DEBUG level)."""
    for name in ("urllib3.connectionpool", __name__):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactFilter) for f in logger.filters):
            logger.addFilter(_RedactFilter())


install_log_redaction()


# --- credentials from the environment ------------------------------------------------------


def auth_headers(service: str) -> dict[str, str]:
    """Credential headers for ``service`` ("s2", "github") from the environment, or ``{}``."""
    if service == "s2" and os.environ.get("S2_API_KEY"):
        return {"x-api-key": os.environ["S2_API_KEY"]}
    if service == "github" and os.environ.get("GITHUB_TOKEN"):
        return {"Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}"}
    return {}


def auth_params(service: str) -> dict[str, str]:
    """Credential query parameters for ``service`` ("openalex": polite-pool e-mail, api key)."""
    out: dict[str, str] = {}
    if service == "openalex":
        if os.environ.get("OPENALEX_EMAIL"):
            out["mailto"] = os.environ["OPENALEX_EMAIL"]
        if os.environ.get("OPENALEX_API_KEY"):
            out["api_key"] = os.environ["OPENALEX_API_KEY"]
    return out


# --- session -------------------------------------------------------------------------------


def make_session(
    cache_path: Path | str,
    *,
    expire_after: timedelta | int = timedelta(days=7),
    user_agent: str = USER_AGENT,
    cache_name: str = "http_cache",
) -> requests_cache.CachedSession:
    """A cached session storing ``<cache_path>/<cache_name>.sqlite``.

    Only 200 responses to GET/HEAD/POST are cached; POST bodies are part of the key (the batch
    endpoints are read-only). Credentials in ``SECRET_HEADERS``/``SECRET_PARAMS`` are excluded
    from keys and redacted from the stored request.
    """
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
    """Still rate limited after every attempt; rerun after ``wait`` seconds to resume."""


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


@dataclass
class RetryPolicy:
    """How long and how often to retry. ``sleep`` and ``clock`` are injectable for tests."""

    attempts: int = 5
    min_wait: float = 1.0
    max_wait: float = 900.0
    backoff: float = 2.0
    backoff_max: float = 120.0
    countdown: bool = True
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time

    def header_wait(self, headers: Mapping[str, str]) -> float | None:
        """Seconds to wait from ``Retry-After`` or else ``X-RateLimit-Reset``, unclamped."""
        retry_after = headers.get("Retry-After")
        if retry_after:
            text = retry_after.strip()
            try:
                return float(text)
            except ValueError:
                try:
                    when = email.utils.parsedate_to_datetime(text)
                    return when.timestamp() - self.clock()
                except (TypeError, ValueError):
                    pass
        reset = headers.get("X-RateLimit-Reset") or headers.get("x-ratelimit-reset")
        if reset:
            try:
                return float(reset) - self.clock()
            except ValueError:
                pass
        return None

    def backoff_wait(self, attempt: int) -> float:
        return min(self.backoff_max, self.min_wait * self.backoff ** (attempt - 1))

    def clamp(self, wait: float) -> float:
        return max(self.min_wait, min(self.max_wait, wait))


DEFAULT_POLICY = RetryPolicy()


def _countdown(policy: RetryPolicy, seconds: float, why: str) -> None:
    """Sleep ``seconds`` in one-second steps, showing a tqdm countdown on stderr."""
    if not policy.countdown or seconds < 2:
        policy.sleep(seconds)
        return
    whole = int(seconds)
    with tqdm(
        total=whole,
        desc=redact(why),
        unit="s",
        file=sys.stderr,
        leave=False,
        bar_format="{desc}: {remaining} left",
    ) as bar:
        for _ in range(whole):
            policy.sleep(1.0)
            bar.update(1)
        if seconds > whole:
            policy.sleep(seconds - whole)


def _is_rate_limited(resp: requests.Response) -> bool:
    if resp.status_code == 429:
        return True
    if resp.status_code == 403:
        return resp.headers.get("X-RateLimit-Remaining") == "0" or "Retry-After" in resp.headers
    return False


def request(
    session: requests.Session,
    method: str,
    url: str,
    params: Mapping[str, Any] | None = None,
    *,
    json_body: Any = None,
    headers: Mapping[str, str] | None = None,
    parse: str = "json",
    policy: RetryPolicy | None = None,
    timeout: float | tuple[float, float] = TIMEOUT,
) -> Fetched:
    """Send one request with retries; see the module docstring for the rules."""
    policy = policy or DEFAULT_POLICY
    shown = safe_url(url)
    wait_needed: float | None = None
    status: int | None = None
    reason = ""
    for attempt in range(1, policy.attempts + 1):
        try:
            resp = session.request(
                method,
                url,
                params=params,
                json=json_body,
                headers=dict(headers or {}),
                timeout=timeout,
            )
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
        ) as exc:
            status, reason = None, f"connection error: {type(exc).__name__}"
            wait_needed = policy.backoff_wait(attempt)
        else:
            status = resp.status_code
            shown = safe_url(resp.url)
            if status < 400 or status in NOT_FOUND:
                data: Any = None
                if status not in NOT_FOUND:
                    try:
                        data = resp.json() if parse == "json" else resp.text
                    except ValueError:
                        raise FetchError(
                            "answer is not valid JSON", url=shown, status=status
                        ) from None
                return Fetched(
                    shown,
                    status,
                    data,
                    dict(resp.headers),
                    bool(getattr(resp, "from_cache", False)),
                )
            if _is_rate_limited(resp):
                reason = "rate limited"
                header = policy.header_wait(resp.headers)
                wait_needed = header if header is not None else policy.backoff_wait(attempt)
                wait_needed = max(policy.min_wait, wait_needed)
            elif status >= 500:
                reason = "server error"
                header = policy.header_wait(resp.headers) if "Retry-After" in resp.headers else None
                wait_needed = header if header is not None else policy.backoff_wait(attempt)
            else:
                raise FetchError(
                    f"HTTP {status} {redact(resp.reason or '')}", url=shown, status=status
                )
        if attempt == policy.attempts:
            break
        wait = policy.clamp(wait_needed)
        log.warning(
            "%s: %s (attempt %d/%d), waiting %.0f s", shown, reason, attempt, policy.attempts, wait
        )
        _countdown(policy, wait, f"{reason}; retry {attempt + 1}/{policy.attempts}")
    cls = RateLimited if reason == "rate limited" else FetchError
    raise cls(
        f"gave up after {policy.attempts} attempts: {reason}",
        url=shown,
        status=status,
        wait=wait_needed,
    )


def get_json(
    session: requests.Session,
    url: str,
    params: Mapping[str, Any] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    policy: RetryPolicy | None = None,
) -> Fetched:
    """GET ``url`` and parse JSON, with retries."""
    return request(session, "GET", url, params, headers=headers, policy=policy)


def post_json(
    session: requests.Session,
    url: str,
    params: Mapping[str, Any] | None = None,
    *,
    json_body: Any,
    headers: Mapping[str, str] | None = None,
    policy: RetryPolicy | None = None,
) -> Fetched:
    """POST a JSON body to ``url`` and parse the JSON answer, with retries."""
    return request(
        session, "POST", url, params, json_body=json_body, headers=headers, policy=policy
    )


def get_text(
    session: requests.Session,
    url: str,
    params: Mapping[str, Any] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    policy: RetryPolicy | None = None,
) -> Fetched:
    """GET ``url`` as text (for XML APIs), with retries."""
    return request(session, "GET", url, params, headers=headers, parse="text", policy=policy)

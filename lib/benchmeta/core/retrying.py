"""How long and how often the HTTP layer retries, and what counts as a rate limit per service.

``RetryPolicy`` holds the attempts, the wait bounds, the per-answer deadline and body-size limit,
and an injectable ``sleep``/``clock`` (tests never really sleep). ``Service`` says how an API
signals a rate limit: Semantic Scholar with 429; OpenAlex documents 403 as a rate limit too; GitHub
signals secondary rate limits with 403 or 429 and asks for at least a minute when no header says
how long.
"""

from __future__ import annotations

import email.utils
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from requests.structures import CaseInsensitiveDict
from tqdm import tqdm

from .credentials import redact, safe_url


@dataclass(frozen=True)
class Service:
    """How an API signals a rate limit. ``forbidden_is_rate_limit``: "always" (OpenAlex documents
    403 as a rate limit), "signalled" (GitHub: headers or a rate-limit message) or "headers";
    ``headerless_wait``: the least wait for a rate limit that names none (GitHub: 60 s)."""

    name: str
    forbidden_is_rate_limit: str = "headers"
    headerless_wait: float = 0.0


S2 = Service("s2")
OPENALEX = Service("openalex", forbidden_is_rate_limit="always")
GITHUB = Service("github", forbidden_is_rate_limit="signalled", headerless_wait=60.0)
DEFAULT_SERVICE = Service("default")


@dataclass
class RetryPolicy:
    """How long and how often to retry. ``sleep`` and ``clock`` are injectable for tests;
    ``deadline`` bounds one response (seconds, headers and body), ``max_bytes`` its body."""

    attempts: int = 5
    min_wait: float = 1.0
    max_wait: float = 900.0
    backoff: float = 2.0
    backoff_max: float = 120.0
    countdown: bool = True
    deadline: float = 300.0
    max_bytes: int = 64 * 1024 * 1024
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time

    def header_wait(self, headers: Mapping[str, str]) -> float | None:
        """Seconds to wait from ``Retry-After`` or else ``X-RateLimit-Reset``, unclamped."""
        headers = CaseInsensitiveDict(headers)
        retry_after = headers.get("Retry-After")
        if retry_after:
            text = retry_after.strip()
            try:
                return float(text)
            except ValueError:
                try:
                    return email.utils.parsedate_to_datetime(text).timestamp() - self.clock()
                except (TypeError, ValueError):
                    pass
        reset = headers.get("X-RateLimit-Reset")
        if reset and headers.get("X-RateLimit-Remaining", "0") == "0":
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


def countdown(policy: RetryPolicy, seconds: float, why: str) -> None:
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


def is_rate_limited(service: Service, status: int, headers: Mapping[str, str], body: bytes) -> bool:
    if status == 429:
        return True
    if status != 403:
        return False
    if service.forbidden_is_rate_limit == "always":
        return True
    h = CaseInsensitiveDict(headers)
    signalled = h.get("X-RateLimit-Remaining") == "0" or "Retry-After" in h
    if service.forbidden_is_rate_limit == "signalled":
        return signalled or b"rate limit" in body[:4096].lower()
    return signalled


# --- errors ----------------------------------------------------------------------------------


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


class Retryable(Exception):
    """One failed attempt worth retrying: ``wait`` is what the fault asks for."""

    def __init__(
        self, reason: str, status: int | None, url: str, wait: float, rate_limited: bool = False
    ):
        super().__init__(reason)
        self.reason, self.status, self.url, self.wait = reason, status, url, wait
        self.rate_limited = rate_limited

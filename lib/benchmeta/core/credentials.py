"""Secrets from the environment, and their redaction from every text the collectors produce.

- ``secret(name)`` reads one variable, strips surrounding whitespace (a CRLF ``.env``, a trailing
  newline) and refuses a value that cannot travel in a header or URL, with an error that names the
  variable and never shows its value.
- ``auth_headers`` / ``auth_params`` build the credentials of a service from those variables.
- ``redact`` masks every secret value (raw and stripped), credential query parameter and
  credential header in a text; ``install_log_redaction`` makes every log record of ``benchmeta``,
  ``requests``, ``urllib3`` and ``requests_cache`` go through it before any handler sees it.

Variables: ``S2_API_KEY`` (Semantic Scholar, header ``x-api-key``), ``GITHUB_TOKEN`` (GitHub,
``Authorization: Bearer``), ``OPENALEX_API_KEY`` (OpenAlex, query ``api_key``; required by OpenAlex
since February 2026) and ``OPENALEX_EMAIL`` (OpenAlex polite pool, query ``mailto``).
"""

from __future__ import annotations

import logging
import os
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Environment variables that hold secrets (or personal data such as the polite-pool e-mail).
SECRET_ENV = ("S2_API_KEY", "GITHUB_TOKEN", "OPENALEX_EMAIL", "OPENALEX_API_KEY")
ENV_HELP = {
    "S2_API_KEY": "Semantic Scholar API key (optional; higher rate limit), sent as x-api-key",
    "OPENALEX_API_KEY": "OpenAlex API key (required by OpenAlex since February 2026), sent as "
    "the api_key query parameter",
    "OPENALEX_EMAIL": "e-mail for OpenAlex's polite pool (optional), sent as mailto",
    "GITHUB_TOKEN": "GitHub token (optional; 5,000 instead of 60 requests an hour), sent as "
    "Authorization: Bearer",
}
# Headers and query parameters that carry credentials: never in a cache key, a cached request,
# a log line or an exception, and never sent to another host. (Not "token": Semantic Scholar's
# bulk search pages with a non-secret ``token`` parameter, which must stay in the cache key.)
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
REDACTED = "***"
_HEADER_SAFE = re.compile(r"^[\x21-\x7e]+$")  # visible ASCII, no spaces or control characters


class SecretError(ValueError):
    """A secret variable that cannot be used; the message names the variable, not the value."""


def secret(name: str) -> str:
    """The value of ``name`` without surrounding whitespace ("" when unset or blank)."""
    value = os.environ.get(name, "").strip()
    if value and not _HEADER_SAFE.match(value):
        raise SecretError(
            f"{name} holds whitespace, control or non-ASCII characters inside its "
            "value; fix the variable (its value is not shown)"
        )
    return value


def auth_headers(service: str) -> dict[str, str]:
    """Credential headers for ``service`` ("s2", "github") from the environment, or ``{}``."""
    if service == "s2" and (key := secret("S2_API_KEY")):
        return {"x-api-key": key}
    if service == "github" and (token := secret("GITHUB_TOKEN")):
        return {"Authorization": f"Bearer {token}"}
    return {}


def auth_params(service: str) -> dict[str, str]:
    """Credential query parameters for ``service`` ("openalex": polite-pool e-mail, api key)."""
    out: dict[str, str] = {}
    if service == "openalex":
        if email := secret("OPENALEX_EMAIL"):
            out["mailto"] = email
        if key := secret("OPENALEX_API_KEY"):
            out["api_key"] = key
    return out


def env_help(names: tuple[str, ...]) -> str:
    """An ``--help`` epilog naming each variable a collector reads."""
    lines = ["environment variables (read, stripped, never written anywhere):"]
    lines += [f"  {n:<17} {ENV_HELP[n]}" for n in names]
    return "\n".join(lines)


# --- redaction -----------------------------------------------------------------------------


def _secret_values() -> list[str]:
    vals: set[str] = set()
    for name in SECRET_ENV:
        raw = os.environ.get(name, "")
        vals.update({raw, raw.strip()})
        vals.update(part for part in re.split(r"\s+", raw) if len(part) >= 8)
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
        out = out.replace(value, REDACTED)
    out = _PARAM_RE.sub(lambda m: f"{m.group(1)}={REDACTED}", out)
    return _HEADER_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", out)


def safe_url(url: str) -> str:
    """``url`` without credential query parameters (what errors, logs and manifests show)."""
    parts = urlsplit(url)
    if not parts.query:
        return redact(url)
    secret_names = {p.lower() for p in SECRET_PARAMS}
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in secret_names
    ]
    return redact(urlunsplit(parts._replace(query=urlencode(query))))


def strip_secrets(url: str, headers: dict[str, str]) -> tuple[str, dict[str, str]]:
    """``url`` without credential query parameters and ``headers`` without credential headers:
    what may be sent to a host the credentials do not belong to."""
    parts = urlsplit(url)
    secret_names = {p.lower() for p in SECRET_PARAMS}
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in secret_names
    ]
    secret_heads = {h.lower() for h in SECRET_HEADERS}
    kept = {k: v for k, v in headers.items() if k.lower() not in secret_heads}
    return urlunsplit(parts._replace(query=urlencode(query))), kept


_LOGGERS = ("benchmeta", "urllib3", "requests", "requests_cache")
_installed = {"factory": False}


def install_log_redaction() -> None:
    """Redact each log record of the HTTP stack when it is created, before any handler (or a
    test's ``caplog``) can see it; urllib3 and requests-cache log full URLs at DEBUG level."""
    if _installed["factory"]:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.name.split(".")[0] in _LOGGERS:
            try:
                record.msg = redact(record.getMessage())
            except Exception:  # a malformed format string: keep only the redacted template
                record.msg = redact(record.msg)
            record.args = None
        return record

    logging.setLogRecordFactory(factory)
    _installed["factory"] = True


install_log_redaction()

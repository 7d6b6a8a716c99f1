"""Helpers for tests against pytest-httpserver: scripted answers and JSON responses."""

from __future__ import annotations

import json
from collections.abc import Callable

from werkzeug import Request, Response


def as_json(body: object, status: int = 200, **headers: str) -> Response:
    return Response(
        json.dumps(body), status=status, content_type="application/json", headers=headers
    )


def scripted(responses: list[Response]) -> Callable[[Request], Response]:
    """A handler answering with ``responses`` in turn (the last one repeats)."""
    calls = {"n": 0}

    def handler(request: Request) -> Response:
        i = min(calls["n"], len(responses) - 1)
        calls["n"] += 1
        return responses[i]

    return handler


def paths(httpserver) -> list[str]:
    """The paths the server was asked for, in order."""
    return [r.path for r, _ in httpserver.log]


def files_containing(folder, needle: str) -> list[str]:
    """Names of the files under ``folder`` whose bytes contain ``needle``."""
    from pathlib import Path

    return sorted(
        p.name for p in Path(folder).rglob("*") if p.is_file() and needle.encode() in p.read_bytes()
    )

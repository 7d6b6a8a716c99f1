"""Shared test fixtures. Tests never reach the network: any connection to a non-loopback
address fails loudly."""

from __future__ import annotations

import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect


def _guarded_connect(self, address):  # pragma: no cover - only hit by a misbehaving test
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6):
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            ip = None
        if host != "localhost" and (ip is None or not ip.is_loopback):
            raise RuntimeError(f"test tried to reach the network: {host}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


# --- shared fixtures for the HTTP layer and the online collectors (pytest-httpserver) --------

CANARIES = {
    "S2_API_KEY": "cnry-s2-5b8e1f0c77aa",
    "GITHUB_TOKEN": "cnry-gh-0d9e4b3a1c55",
    "OPENALEX_API_KEY": "cnry-oa-key-91c2e0",
    "OPENALEX_EMAIL": "cnry-oa-mail@example.org",
}


class FakeTime:
    """An injectable clock whose ``sleep`` only advances the clock and records the wait."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def session(tmp_path):
    """A cached session on a fresh cache folder under ``tmp_path``."""
    from benchmeta.core import http

    s = http.make_session(tmp_path / "cache")
    yield s
    s.close()


@pytest.fixture
def fast_policy(fake_time):
    """Two attempts, no real sleeping (waits are recorded in ``fake_time.sleeps``)."""
    from benchmeta.core import http

    return http.RetryPolicy(
        attempts=2, countdown=False, sleep=fake_time.sleep, clock=fake_time.time
    )


class Canary:
    """Canary secrets in the environment, and a check that none of them (nor a piece of one)
    appears in any file under a folder, in captured output, in log records or in exceptions."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def needles(self) -> list[str]:
        return [*self.values.values(), "cnry-"]

    def leaks(self, folder, *texts: object) -> list[str]:
        from pathlib import Path

        found = []
        for p in sorted(Path(folder).rglob("*")):
            if p.is_file():
                data = p.read_bytes()
                found += [f"{p.name}: {n}" for n in self.needles() if n.encode() in data]
        for i, text in enumerate(texts):
            found += [f"text {i}: {n}" for n in self.needles() if n in str(text)]
        return found

    def check(self, folder, capsys=None, caplog=None, *exceptions: BaseException) -> None:
        texts: list[object] = []
        if capsys is not None:
            out = capsys.readouterr()
            texts += [out.out, out.err]
        if caplog is not None:
            texts += [
                r.getMessage() + (r.exc_text or "") for r in caplog.records if r.name != "werkzeug"
            ]  # the test server's own request log
        for exc in exceptions:
            texts += [str(exc), repr(exc), getattr(exc, "args", "")]
        assert self.leaks(folder, *texts) == []


@pytest.fixture
def canary(monkeypatch) -> Canary:
    """Every secret variable set to a canary value."""
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    return Canary(dict(CANARIES))

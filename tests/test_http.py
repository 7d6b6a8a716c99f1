"""The one HTTP layer against a local server: retries, waits, give-up, cache hygiene, redaction."""

from __future__ import annotations

import email.utils
import socket
import sqlite3
import time
from pathlib import Path

import pytest
from werkzeug import Response

from benchmeta.core import http
from httpfakes import scripted

CANARY = "canary-XYZ-7f3a9c21d4"
NOW = 1_800_000_000.0


@pytest.fixture
def fake(fake_time):
    return fake_time


@pytest.fixture
def policy(fake) -> http.RetryPolicy:
    return http.RetryPolicy(
        attempts=4, min_wait=1.0, max_wait=60.0, sleep=fake.sleep, clock=fake.time
    )


def ok(body: str = '{"ok": true}') -> Response:
    return Response(body, status=200, content_type="application/json")


def test_429_retry_after_seconds_then_200(httpserver, session, policy, fake):
    httpserver.expect_request("/x").respond_with_handler(
        scripted([Response("slow down", status=429, headers={"Retry-After": "7"}), ok()])
    )
    res = http.get_json(session, httpserver.url_for("/x"), policy=policy)
    assert res.status == 200 and res.data == {"ok": True}
    assert len(httpserver.log) == 2
    assert sum(fake.sleeps) == pytest.approx(7.0)


def test_retry_after_http_date(httpserver, session, policy, fake):
    when = email.utils.formatdate(NOW + 30, usegmt=True)
    httpserver.expect_request("/x").respond_with_handler(
        scripted([Response("", status=429, headers={"Retry-After": when}), ok()])
    )
    assert http.get_json(session, httpserver.url_for("/x"), policy=policy).found
    assert len(httpserver.log) == 2
    assert sum(fake.sleeps) == pytest.approx(30.0)


def test_retry_after_of_days_gives_up_at_once(httpserver, session, policy, fake):
    httpserver.expect_request("/x").respond_with_data(
        "", status=429, headers={"Retry-After": "259200"}
    )
    with pytest.raises(http.RateLimited, match="more than --max-wait") as info:
        http.get_json(session, httpserver.url_for("/x"), policy=policy)
    assert len(httpserver.log) == 1 and fake.sleeps == [] and info.value.wait == 259200


def test_rate_limit_reset_in_the_past_is_clamped(httpserver, session, policy, fake):
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW - 500))}
    httpserver.expect_request("/x").respond_with_handler(
        scripted([Response("", status=403, headers=headers), ok()])
    )
    assert http.get_json(session, httpserver.url_for("/x"), policy=policy).found
    assert len(httpserver.log) == 2
    assert fake.sleeps == [1.0]  # the minimum, not a negative or zero wait


def test_server_wait_beyond_max_wait_gives_up_at_once(httpserver, session, policy, fake):
    """Case 12: a reset (or Retry-After) days away is not waited for max_wait x attempts."""
    reset = int(NOW + 100_000)
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    httpserver.expect_request("/x").respond_with_handler(
        scripted([Response("", status=429, headers=headers)])
    )
    t0 = time.monotonic()
    with pytest.raises(http.RateLimited) as info:
        http.get_json(session, httpserver.url_for("/x"), policy=policy)
    assert time.monotonic() - t0 < 5
    assert len(httpserver.log) == 1 and fake.sleeps == []
    err = info.value
    assert err.status == 429 and err.wait is not None and err.wait > 99_000
    assert "/x" in err.url and "retry after" in str(err)


def test_5xx_backs_off_exponentially_then_gives_up(httpserver, session, policy, fake):
    httpserver.expect_request("/x").respond_with_handler(scripted([Response("", status=503)]))
    t0 = time.monotonic()
    with pytest.raises(http.FetchError) as info:
        http.get_json(session, httpserver.url_for("/x"), policy=policy)
    assert time.monotonic() - t0 < 5
    assert not isinstance(info.value, http.RateLimited)
    assert info.value.status == 503
    assert len(httpserver.log) == 4
    assert sum(fake.sleeps) == pytest.approx(1 + 2 + 4)


def test_5xx_then_success(httpserver, session, policy, fake):
    httpserver.expect_request("/x").respond_with_handler(
        scripted([Response("", status=502), Response("", status=500), ok()])
    )
    assert http.get_json(session, httpserver.url_for("/x"), policy=policy).data == {"ok": True}
    assert len(httpserver.log) == 3


def test_connection_error_gives_up(session, policy, fake):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(http.FetchError) as info:
        http.get_json(session, f"http://127.0.0.1:{port}/x", policy=policy)
    assert info.value.status is None
    assert sum(fake.sleeps) == pytest.approx(1 + 2 + 4)


@pytest.mark.parametrize("status", [404, 410])
def test_not_found_is_a_result(httpserver, session, policy, status):
    httpserver.expect_request("/gone").respond_with_data("no", status=status)
    res = http.get_json(session, httpserver.url_for("/gone"), policy=policy)
    assert not res.found and res.status == status and res.data is None
    assert len(httpserver.log) == 1


def test_other_4xx_fails_at_once(httpserver, session, policy, fake):
    httpserver.expect_request("/bad").respond_with_data("bad", status=400)
    with pytest.raises(http.FetchError) as info:
        http.get_json(session, httpserver.url_for("/bad"), policy=policy)
    assert info.value.status == 400 and info.value.wait is None
    assert len(httpserver.log) == 1 and fake.sleeps == []


def test_countdown_is_shown_on_stderr(httpserver, session, fake, capsys):
    pol = http.RetryPolicy(attempts=2, sleep=fake.sleep, clock=fake.time, countdown=True)
    httpserver.expect_request("/x").respond_with_handler(
        scripted([Response("", status=429, headers={"Retry-After": "3"}), ok()])
    )
    http.get_json(session, httpserver.url_for("/x"), policy=pol)
    err = capsys.readouterr().err
    assert "rate limited" in err
    assert fake.sleeps == [1.0, 1.0, 1.0]


def test_user_agent_and_cache_hit(httpserver, session, policy):
    httpserver.expect_request("/x").respond_with_json({"n": 1})
    first = http.get_json(session, httpserver.url_for("/x"), {"q": "a"}, policy=policy)
    second = http.get_json(session, httpserver.url_for("/x"), {"q": "a"}, policy=policy)
    assert not first.from_cache and second.from_cache
    assert len(httpserver.log) == 1
    assert httpserver.log[0][0].headers["User-Agent"].startswith("benchmeta/")


def test_pagination_token_param_is_part_of_the_cache_key(httpserver, session, policy):
    httpserver.expect_request("/s").respond_with_handler(
        lambda req: Response(
            f'{{"page": "{req.args.get("token", "")}"}}', content_type="application/json"
        )
    )
    a = http.get_json(session, httpserver.url_for("/s"), {"token": "p1"}, policy=policy)
    b = http.get_json(session, httpserver.url_for("/s"), {"token": "p2"}, policy=policy)
    assert (a.data["page"], b.data["page"]) == ("p1", "p2")
    assert len(httpserver.log) == 2


def test_post_bodies_are_cached_separately(httpserver, session, policy):
    httpserver.expect_request("/batch", method="POST").respond_with_handler(
        lambda req: Response(req.get_data(), content_type="application/json")
    )
    a = http.post_json(session, httpserver.url_for("/batch"), json_body={"ids": [1]}, policy=policy)
    b = http.post_json(session, httpserver.url_for("/batch"), json_body={"ids": [2]}, policy=policy)
    c = http.post_json(session, httpserver.url_for("/batch"), json_body={"ids": [1]}, policy=policy)
    assert (a.data, b.data, c.data) == ({"ids": [1]}, {"ids": [2]}, {"ids": [1]})
    assert c.from_cache and len(httpserver.log) == 2


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_cache_never_stores_credentials(httpserver, tmp_path, policy, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", CANARY + "-gh")
    monkeypatch.setenv("S2_API_KEY", CANARY + "-s2")
    monkeypatch.setenv("OPENALEX_EMAIL", "canary-XYZ@example.org")
    httpserver.expect_request("/r").respond_with_json({"fine": 1})
    s = http.make_session(tmp_path / "cache")
    headers = {**http.auth_headers("github"), **http.auth_headers("s2")}
    params = {"q": "x", **http.auth_params("openalex"), "access_token": CANARY + "-qp"}
    first = http.get_json(s, httpserver.url_for("/r"), params, headers=headers, policy=policy)
    # The same request with other credentials is the same cache entry: keys hold no token.
    monkeypatch.setenv("GITHUB_TOKEN", "another-token-value")
    again = http.get_json(
        s,
        httpserver.url_for("/r"),
        {**params, "access_token": "other"},
        headers=http.auth_headers("github"),
        policy=policy,
    )
    s.close()
    assert not first.from_cache and again.from_cache and len(httpserver.log) == 1
    sent = httpserver.log[0][0]
    assert sent.headers["Authorization"] == f"Bearer {CANARY}-gh"  # it was really sent
    assert sent.headers["x-api-key"] == f"{CANARY}-s2"
    stored = _all_bytes(tmp_path / "cache")
    assert b"canary-XYZ" not in stored
    with sqlite3.connect(tmp_path / "cache" / "http_cache.sqlite") as db:
        assert db.execute("select count(*) from responses").fetchone()[0] == 1
    assert CANARY not in first.url and "canary-XYZ" not in repr(first)


def test_redact_and_error_messages(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", CANARY)
    text = (
        f"GET https://h/x?q=1&api_key=SECRET1&mailto=me@x.org Authorization: Bearer "
        f"{CANARY} {{'x-api-key': 'SECRET2'}}"
    )
    out = http.redact(text)
    for secret in ("SECRET1", "me@x.org", CANARY, "SECRET2"):
        assert secret not in out
    assert http.safe_url("https://h/x?q=1&api_key=S&key=K") == "https://h/x?q=1"
    err = http.FetchError(f"boom {CANARY}", url=f"https://h/x?access_token={CANARY}", status=500)
    assert CANARY not in str(err) and CANARY not in repr(err) and CANARY not in err.url


def test_network_guard_blocks_outside_addresses():
    with socket.socket() as s, pytest.raises(RuntimeError, match="network"):
        s.connect(("192.0.2.1", 80))


def test_invalid_json_is_retried_then_a_fetch_error(httpserver, session, policy):
    httpserver.expect_request("/html").respond_with_data("<html>login</html>", status=200)
    with pytest.raises(http.FetchError, match="not valid JSON"):
        http.get_json(session, httpserver.url_for("/html"), policy=policy)
    assert len(httpserver.log) == 4  # a malformed 200 is a retryable fault

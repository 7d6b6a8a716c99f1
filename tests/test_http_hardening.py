"""Issue 13 at the HTTP layer: secrets on redirects, the cache, env values, logs; malformed and
slow answers. Cross-host redirects use the same test server under two names (``localhost`` and
``127.0.0.1``), so the second host's requests can be inspected."""

from __future__ import annotations

import gzip
import logging
import sqlite3
import time

import pytest
from werkzeug import Request, Response

from benchmeta.core import credentials, http
from httpfakes import as_json, scripted


def other_host(httpserver, path: str) -> str:
    """``path`` on the same server under another host name."""
    return f"http://127.0.0.1:{httpserver.port}{path}"


def sent(httpserver, path: str) -> list[Request]:
    return [r for r, _ in httpserver.log if r.path == path]


# --- case 1: secrets never follow a redirect to another host ----------------------------------


@pytest.mark.parametrize("code", [301, 302, 307, 308])
def test_cross_host_redirect_drops_every_secret_header_and_param(
    httpserver, session, canary, fast_policy, code, caplog
):
    caplog.set_level("DEBUG")
    httpserver.expect_request("/start").respond_with_data(
        "",
        status=code,
        headers={
            "Location": other_host(httpserver, "/land?api_key=" + canary.values["OPENALEX_API_KEY"])
        },
    )
    httpserver.expect_request("/land").respond_with_json({"ok": 1})
    headers = {**http.auth_headers("s2"), **http.auth_headers("github"), "Cookie": "c=1"}
    params = {"q": "x", **http.auth_params("openalex")}
    res = http.get_json(
        session, httpserver.url_for("/start"), params, headers=headers, policy=fast_policy
    )
    assert res.data == {"ok": 1}
    first, landed = sent(httpserver, "/start")[0], sent(httpserver, "/land")[0]
    assert first.headers["x-api-key"] == canary.values["S2_API_KEY"]  # sent to its own host
    assert landed.host.startswith("127.0.0.1")
    for name in ("x-api-key", "Authorization", "Cookie"):
        assert name not in landed.headers
    assert not {"api_key", "mailto"} & set(landed.args)
    canary.check(session.cache.db_path.parent, None, caplog)


def test_same_host_redirect_keeps_the_token(httpserver, session, canary, fast_policy):
    """A renamed GitHub repository answers 301 to another path on the same host."""
    httpserver.expect_request("/repos/o/old").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/repositories/7")}
    )
    httpserver.expect_request("/repositories/7").respond_with_json({"full_name": "o/new"})
    res = http.get_json(
        session,
        httpserver.url_for("/repos/o/old"),
        headers=http.auth_headers("github"),
        policy=fast_policy,
    )
    assert res.data["full_name"] == "o/new"
    assert sent(httpserver, "/repositories/7")[0].headers["Authorization"] == (
        f"Bearer {canary.values['GITHUB_TOKEN']}"
    )


# --- case 2: nothing of a redirect's history reaches the cache ---------------------------------


def test_redirected_answers_are_cached_without_secrets_and_reused(
    httpserver, tmp_path, canary, fast_policy
):
    s = http.make_session(tmp_path / "cache")
    httpserver.expect_request("/authors/A1").respond_with_data(
        "",
        status=301,
        headers={
            "Location": httpserver.url_for("/authors/A2")
            + "?mailto="
            + canary.values["OPENALEX_EMAIL"]
            + "&api_key="
            + canary.values["OPENALEX_API_KEY"]
        },
    )
    httpserver.expect_request("/authors/A2").respond_with_json({"id": "A2"})
    params = http.auth_params("openalex")
    headers = {**http.auth_headers("github"), **http.auth_headers("s2")}
    first = http.get_json(
        s, httpserver.url_for("/authors/A1"), params, headers=headers, policy=fast_policy
    )
    again = http.get_json(
        s, httpserver.url_for("/authors/A1"), params, headers=headers, policy=fast_policy
    )
    s.close()
    assert first.data == again.data == {"id": "A2"}
    assert again.from_cache and len(httpserver.log) == 2  # the rerun asks nothing
    with sqlite3.connect(tmp_path / "cache" / "http_cache.sqlite") as db:
        assert db.execute("select count(*) from responses").fetchone()[0] == 1
    canary.check(tmp_path, None, None, first, again)


# --- case 3: secrets read from the environment -------------------------------------------------


@pytest.mark.parametrize("raw", ["{v}\r\n", "{v}\n", " {v}", "\t{v} "])
def test_stray_whitespace_around_a_token_is_stripped(
    httpserver, session, fast_policy, monkeypatch, raw
):
    monkeypatch.setenv("GITHUB_TOKEN", raw.format(v="cnry-gh-0d9e4b3a1c55"))
    httpserver.expect_request("/x").respond_with_json({})
    http.get_json(
        session, httpserver.url_for("/x"), headers=http.auth_headers("github"), policy=fast_policy
    )
    assert httpserver.log[0][0].headers["Authorization"] == "Bearer cnry-gh-0d9e4b3a1c55"


@pytest.mark.parametrize(
    "raw",
    [
        "cnry-gh-0d9e\r\n4b3a1c55",
        "cnry-gh 0d9e4b3a1c55",
        "cnry-gh-0d9e4b3a1c55\x7f",
        "cnry-gh-0d9e4b3a1c5\u00e9",
    ],
)
def test_a_token_that_cannot_be_sent_names_the_variable_not_the_value(monkeypatch, raw):
    monkeypatch.setenv("GITHUB_TOKEN", raw)
    with pytest.raises(credentials.SecretError, match="GITHUB_TOKEN") as info:
        http.auth_headers("github")
    for piece in ("cnry", "0d9e", "4b3a1c55"):
        assert piece not in str(info.value) and piece not in repr(info.value)


def test_redact_masks_raw_and_stripped_values(monkeypatch):
    monkeypatch.setenv("S2_API_KEY", " cnry-s2-5b8e1f0c77aa\r\n")
    out = credentials.redact("key cnry-s2-5b8e1f0c77aa and ' cnry-s2-5b8e1f0c77aa\\r\\n'")
    assert "cnry" not in out


# --- case 5: the logging layer ---------------------------------------------------------------


def test_debug_logs_of_the_http_stack_are_redacted(
    httpserver, session, canary, fast_policy, caplog
):
    caplog.set_level("DEBUG")
    root = logging.getLogger()
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.name != "werkzeug":  # the test server's own request log
                records.append(self.format(record))

    handler = Keep(level=logging.DEBUG)
    root.addHandler(handler)
    try:
        httpserver.expect_request("/w").respond_with_json({})
        http.get_json(
            session, httpserver.url_for("/w"), http.auth_params("openalex"), policy=fast_policy
        )
        logging.getLogger("urllib3.connectionpool").debug(
            "GET /w?api_key=%s&mailto=%s",
            canary.values["OPENALEX_API_KEY"],
            canary.values["OPENALEX_EMAIL"],
        )
    finally:
        root.removeHandler(handler)
    assert any("GET /w" in r for r in records)  # urllib3 did log the request line
    canary.check(session.cache.db_path.parent, None, caplog, *records)


# --- cases 6 and 9: malformed answers are faults, never cached facts -----------------------------

MALFORMED = {
    "html": Response("<html>Sign in</html>", content_type="text/html"),
    "truncated": Response('{"data": [1, 2', content_type="application/json"),
    "deep": Response("[" * 200_000 + "]" * 200_000, content_type="application/json"),
    "bad gzip": Response(
        b"\x1f\x8b not gzip at all",
        content_type="application/json",
        headers={"Content-Encoding": "gzip"},
    ),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_200_is_retried_and_never_cached(httpserver, session, fast_policy, kind):
    good = as_json({"ok": 1})
    httpserver.expect_request("/x").respond_with_handler(
        scripted([MALFORMED[kind], MALFORMED[kind], good])
    )
    with pytest.raises(http.FetchError, match="gave up after 2 attempts"):
        http.get_json(session, httpserver.url_for("/x"), policy=fast_policy)
    res = http.get_json(session, httpserver.url_for("/x"), policy=fast_policy)
    assert res.data == {"ok": 1} and not res.from_cache and len(httpserver.log) == 3
    assert http.get_json(session, httpserver.url_for("/x"), policy=fast_policy).from_cache


def test_a_wrong_shape_rejected_by_the_validator_is_not_cached(httpserver, session, fast_policy):
    def must_be_list(data):
        if not isinstance(data, list):
            raise http.Malformed("expected a list")
        return data

    httpserver.expect_request("/b").respond_with_handler(
        scripted([as_json({"error": "busy"}), as_json([1])])
    )
    res = http.get_json(
        session, httpserver.url_for("/b"), validate=must_be_list, policy=fast_policy
    )
    assert res.data == [1] and len(httpserver.log) == 2


def test_gzip_bodies_are_decoded(httpserver, session, fast_policy):
    httpserver.expect_request("/z").respond_with_data(
        gzip.compress(b'{"z": 1}'),
        content_type="application/json",
        headers={"Content-Encoding": "gzip"},
    )
    assert http.get_json(session, httpserver.url_for("/z"), policy=fast_policy).data == {"z": 1}


def test_redirect_loop_is_a_clear_error_not_a_traceback_loop(httpserver, session, fast_policy):
    httpserver.expect_request("/a").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/b")}
    )
    httpserver.expect_request("/b").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/a")}
    )
    with pytest.raises(http.FetchError, match="redirect loop"):
        http.get_json(session, httpserver.url_for("/a"), policy=fast_policy)
    assert len(httpserver.log) == 2


# --- case 12: an overall deadline per answer and a body-size limit ------------------------------


def test_a_trickled_body_hits_the_deadline(httpserver, session, fake_time):
    def trickle():
        for _ in range(20):
            time.sleep(0.05)
            yield b" "
        yield b"{}"

    httpserver.expect_request("/slow").respond_with_handler(
        lambda req: Response(trickle(), content_type="application/json")
    )
    pol = http.RetryPolicy(attempts=2, countdown=False, deadline=0.2, sleep=fake_time.sleep)
    t0 = time.monotonic()
    with pytest.raises(http.FetchError, match="longer than"):
        http.get_json(session, httpserver.url_for("/slow"), policy=pol)
    assert time.monotonic() - t0 < 1.5 and len(httpserver.log) <= 2


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_over_the_size_limit_is_refused(httpserver, session, fake_time, declared):
    body = b"[" + b"1," * 5000 + b"1]"
    if declared:
        httpserver.expect_request("/big").respond_with_data(body, content_type="application/json")
    else:
        httpserver.expect_request("/big").respond_with_handler(
            lambda req: Response(iter([body[:5000], body[5000:]]), content_type="application/json")
        )
    pol = http.RetryPolicy(attempts=2, countdown=False, max_bytes=4096, sleep=fake_time.sleep)
    with pytest.raises(http.FetchError, match="exceeds"):
        http.get_json(session, httpserver.url_for("/big"), policy=pol)


# --- what a cache record keeps ------------------------------------------------------------------


@pytest.mark.parametrize("expire_after", [-1, 3600])
def test_a_cache_record_keeps_only_the_body_type_and_link(
    httpserver, tmp_path, fast_policy, expire_after
):
    s = http.make_session(tmp_path / "cache", expire_after=expire_after)
    httpserver.expect_request("/l").respond_with_data(
        "[]",
        content_type="application/json",
        headers={"Link": '<http://localhost/l?page=2>; rel="next"', "Set-Cookie": "sid=cnry-1"},
    )
    http.get_json(s, httpserver.url_for("/l"), policy=fast_policy)
    hit = http.get_json(s, httpserver.url_for("/l"), policy=fast_policy)
    s.close()
    assert hit.from_cache and "page=2" in hit.headers["Link"]
    assert "Set-Cookie" not in hit.headers
    assert b"cnry-1" not in (tmp_path / "cache" / "http_cache.sqlite").read_bytes()


def test_an_expired_record_is_fetched_again(httpserver, tmp_path, fast_policy):
    s = http.make_session(tmp_path / "cache", expire_after=0)
    httpserver.expect_request("/e").respond_with_json({})
    http.get_json(s, httpserver.url_for("/e"), policy=fast_policy)
    assert not http.get_json(s, httpserver.url_for("/e"), policy=fast_policy).from_cache
    s.close()
    assert len(httpserver.log) == 2


def test_a_bad_answer_already_in_the_cache_is_fetched_again(httpserver, session, fast_policy):
    """An entry stored before answers were validated (or by a looser caller) is not reused."""
    httpserver.expect_request("/old").respond_with_handler(
        scripted([as_json({"error": "busy"}), as_json([1])])
    )
    assert http.get_json(session, httpserver.url_for("/old"), policy=fast_policy).data == {
        "error": "busy"
    }

    def must_be_list(data):
        if not isinstance(data, list):
            raise http.Malformed("expected a list")
        return data

    res = http.get_json(
        session, httpserver.url_for("/old"), validate=must_be_list, policy=fast_policy
    )
    assert res.data == [1] and not res.from_cache and len(httpserver.log) == 2

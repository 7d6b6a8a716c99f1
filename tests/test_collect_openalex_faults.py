"""Issue 13, OpenAlex: today's API (14), bad answers are never facts (7), cursors end (10), DOIs
are quoted (16)."""

from __future__ import annotations

import re

import pytest
from werkzeug import Request, Response

from benchmeta.collect import influence, openalex
from benchmeta.collect.online import Failures
from benchmeta.core import http
from benchmeta.core.checkpoint import Checkpoint
from httpfakes import as_json, scripted


def works_page(results: list[str], next_cursor: str | None, count: int) -> Response:
    return as_json(
        {
            "meta": {"count": count, "next_cursor": next_cursor},
            "results": [
                {"id": f"https://openalex.org/{w}", "publication_date": "2024-01-01"}
                for w in results
            ],
        }
    )


@pytest.fixture
def base(httpserver) -> str:
    return httpserver.url_for("/oa")


def citing(session, base, policy, tmp_path, **kw) -> tuple[dict | None, Failures]:
    failures = Failures()
    with Checkpoint.writer(tmp_path / "c.jsonl") as cp:
        openalex.collect_citing(
            {"p": "W1"}, session, cp, base, policy=policy, failures=failures, **kw
        )
        row = cp.get("p")
    return (row["data"] if row else None), failures


# --- case 14: key required, 403 is a rate limit, per-page <= 100, no extra empty page --------


def test_without_an_api_key_the_command_says_which_variable(
    httpserver, tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    code = influence.main(
        [
            "--ids",
            "10.1/a",
            "--no-s2",
            "--openalex-url",
            httpserver.url_for("/oa"),
            "--data-raw",
            str(tmp_path),
        ]
    )
    assert code == 2 and httpserver.log == []
    err = capsys.readouterr().err
    assert "OPENALEX_API_KEY" in err and "February 2026" in err


def test_help_names_every_variable(capsys):
    with pytest.raises(SystemExit):
        influence.main(["--help"])
    out = capsys.readouterr().out
    for name in ("OPENALEX_API_KEY", "OPENALEX_EMAIL", "S2_API_KEY"):
        assert name in out


def test_403_is_retried_as_a_rate_limit(
    httpserver, session, fast_policy, fake_time, base, tmp_path
):
    httpserver.expect_request(re.compile("^/oa/works/doi:.+")).respond_with_handler(
        scripted(
            [
                Response('{"error": "rate limit"}', status=403, headers={"Retry-After": "5"}),
                as_json({"id": "https://openalex.org/W1", "cited_by_count": 2}),
            ]
        )
    )
    with Checkpoint.writer(tmp_path / "w.jsonl") as cp:
        openalex.collect_works(["10.1/a"], session, cp, base, policy=fast_policy)
        assert cp.get("10.1/a")["data"]["cited_by_count"] == 2
    assert len(httpserver.log) == 2 and fake_time.sleeps == [5.0]


def test_per_page_is_100_and_no_empty_page_is_asked_for(
    httpserver, session, fast_policy, base, tmp_path
):
    def pages(req: Request) -> Response:
        if req.args["cursor"] == "*":
            return works_page([f"W{i}" for i in range(100)], "c1", 150)
        return works_page([f"W{i}" for i in range(100, 150)], "c2", 150)  # a cursor, yet done

    httpserver.expect_request("/oa/works").respond_with_handler(pages)
    data, _ = citing(session, base, fast_policy, tmp_path)
    assert data["complete"] is True and len(data["citing"]) == 150
    assert [r.args["per-page"] for r, _ in httpserver.log] == ["100", "100"]
    with pytest.raises(ValueError, match="1..100"):
        openalex.citing_works("W1", session, base, per_page=200, policy=fast_policy)


# --- case 7: a 404 or results: null is a failure, never 0 citations or "complete" --------------


def test_a_citing_list_404_is_a_failure_not_zero_citations(
    httpserver, session, fast_policy, base, tmp_path
):
    httpserver.expect_request("/oa/works").respond_with_data("", status=404)
    data, failures = citing(session, base, fast_policy, tmp_path)
    assert data is None and [k for _, k, _ in failures.items] == ["p"]


def test_results_null_partway_is_never_a_complete_list(
    httpserver, session, fast_policy, base, tmp_path
):
    def pages(req: Request) -> Response:
        if req.args["cursor"] == "*":
            return works_page(["W2", "W3"], "c1", 4)
        return as_json({"meta": {"count": 4, "next_cursor": None}, "results": None})

    httpserver.expect_request("/oa/works").respond_with_handler(pages)
    data, failures = citing(session, base, fast_policy, tmp_path)
    assert data is None and "results" in failures.items[0][2]


# --- case 10: a cursor that repeats or never ends ---------------------------------------------


def test_a_repeating_cursor_stops_and_says_so(httpserver, session, fast_policy, base, tmp_path):
    httpserver.expect_request("/oa/works").respond_with_handler(
        lambda req: works_page([f"W{req.args['cursor']}"], "same", 99)
    )
    data, _ = citing(session, base, fast_policy, tmp_path)
    assert data["complete"] is False and data["stopped"] == "cursor repeats"
    assert len(httpserver.log) == 2


def test_an_endless_cursor_stops_at_the_page_cap(httpserver, session, fast_policy, base, tmp_path):
    counter = {"n": 0}

    def endless(req: Request) -> Response:
        counter["n"] += 1
        return works_page([f"W{counter['n']}"], f"c{counter['n']}", 10_000)

    httpserver.expect_request("/oa/works").respond_with_handler(endless)
    data, _ = citing(session, base, fast_policy, tmp_path, max_pages=5)
    assert data["complete"] is False and "page cap" in data["stopped"]
    assert len(httpserver.log) == 5


# --- case 16: DOIs with # or ? are quoted ------------------------------------------------------


def test_dois_with_hash_or_question_mark_reach_the_server_whole(
    httpserver, session, fast_policy, base, tmp_path
):
    httpserver.expect_request(re.compile("^/oa/works/doi:.+")).respond_with_handler(
        lambda req: as_json({"id": "https://openalex.org/W9", "cited_by_count": 0})
    )
    with Checkpoint.writer(tmp_path / "w.jsonl") as cp:
        openalex.collect_works(
            ["10.1000/a#b", "10.1000/c?d=1"], session, cp, base, policy=fast_policy
        )
    assert [r.path for r, _ in httpserver.log] == [
        "/oa/works/doi:10.1000/a#b",
        "/oa/works/doi:10.1000/c?d=1",
    ]
    assert all("d" not in r.args for r, _ in httpserver.log)
    assert http.safe_url("https://x/works/doi:10.1000/a%23b") == "https://x/works/doi:10.1000/a%23b"

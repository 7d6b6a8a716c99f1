"""Issue 13, GitHub: the token stays on its host (2, 3, 4), listings end (10), secondary rate
limits (15), open issues, disabled issues (16)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from werkzeug import Request, Response

from benchmeta.collect import github
from benchmeta.collect.online import Failures
from benchmeta.core.checkpoint import Checkpoint
from httpfakes import as_json, scripted

REPO = {
    "full_name": "o/r",
    "stargazers_count": 1,
    "forks_count": 0,
    "open_issues_count": 3,
    "created_at": "2024-01-01T00:00:00Z",
}


def issue(n: int, state: str = "open", pr: bool = False) -> dict:
    d = {
        "number": n,
        "url": f"https://api.github.com/repos/o/r/issues/{n}",
        "state": state,
        "user": {"login": "asker"},
        "created_at": "2024-01-01T00:00:00Z",
        "comments": 0,
    }
    return {**d, "pull_request": {"url": "x"}} if pr else d


def cli(httpserver, tmp_path, *extra: str) -> int:
    return github.main(
        [
            "--repos",
            "o/r",
            "--github-url",
            httpserver.url_for("/gh"),
            "--data-raw",
            str(tmp_path / "data_raw"),
            "--cache",
            str(tmp_path / "cache"),
            "--attempts",
            "2",
            "--min-wait",
            "0",
            *extra,
        ]
    )


def issues_of(httpserver, session, fast_policy, tmp_path, failures=None) -> dict:
    with Checkpoint.writer(tmp_path / "i.jsonl") as cp:
        github.collect_issues(
            ["o/r"], session, cp, httpserver.url_for("/gh"), policy=fast_policy, failures=failures
        )
        return cp.get("o/r")


# --- case 4: a next-page link to another host is refused -------------------------------------


def test_a_next_link_to_another_host_is_refused(httpserver, session, fast_policy, tmp_path, canary):
    evil = f"http://127.0.0.1:{httpserver.port}/steal?page=2"
    httpserver.expect_request("/gh/repos/o/r/issues").respond_with_handler(
        lambda req: as_json([issue(1)], Link=f'<{evil}>; rel="next"')
    )
    httpserver.expect_request("/gh/repos/o/r/issues/comments").respond_with_json([])
    row = issues_of(httpserver, session, fast_policy, tmp_path)
    assert row["data"]["complete"] is False and "another host" in row["data"]["stopped"]
    assert not any(r.path == "/steal" for r, _ in httpserver.log)
    canary.check(tmp_path)


# --- case 10: a Link to itself stops, without checkpointing the same issues again -------------


def test_a_link_to_itself_stops_and_issues_are_not_repeated(
    httpserver, session, fast_policy, tmp_path
):
    def same(req: Request) -> Response:
        return as_json([issue(1), issue(2)], Link=f'<{req.url}>; rel="next"')

    httpserver.expect_request("/gh/repos/o/r/issues").respond_with_handler(same)
    httpserver.expect_request("/gh/repos/o/r/issues/comments").respond_with_json([])
    row = issues_of(httpserver, session, fast_policy, tmp_path)
    assert [i["number"] for i in row["data"]["issues"]] == [1, 2]
    assert row["data"]["complete"] is False and "repeats" in row["data"]["stopped"]
    assert len(httpserver.log) <= 4


# --- case 15: secondary rate limits -------------------------------------------------------------


@pytest.mark.parametrize(
    "limited",
    [
        Response('{"message": "You have exceeded a secondary rate limit."}', status=403),
        Response("", status=429),
    ],
)
def test_secondary_rate_limits_wait_at_least_a_minute(
    httpserver, session, fast_policy, fake_time, tmp_path, limited
):
    httpserver.expect_request("/gh/repos/o/r").respond_with_handler(
        scripted([limited, as_json(REPO)])
    )
    with Checkpoint.writer(tmp_path / "r.jsonl") as cp:
        github.collect_repos(["o/r"], session, cp, httpserver.url_for("/gh"), policy=fast_policy)
        assert cp.get("o/r")["status"] == "ok"
    assert len(httpserver.log) == 2 and fake_time.sleeps == [60.0]


def test_a_plain_403_is_not_retried(httpserver, session, fast_policy, tmp_path):
    httpserver.expect_request("/gh/repos/o/r").respond_with_data(
        '{"message": "Resource not accessible by integration"}', status=403
    )
    failures = Failures()
    with Checkpoint.writer(tmp_path / "r.jsonl") as cp:
        github.collect_repos(
            ["o/r"], session, cp, httpserver.url_for("/gh"), policy=fast_policy, failures=failures
        )
    assert len(httpserver.log) == 1 and failures.items[0][1] == "o/r"


# --- case 16: open issues without pull requests; 410 = issues disabled -------------------------


def test_open_issues_exclude_pull_requests_and_410_means_issues_disabled(
    httpserver, tmp_path, canary
):
    httpserver.expect_request(re.compile("^/gh/repos/o/[a-z]+$")).respond_with_handler(
        lambda req: as_json({**REPO, "full_name": req.path.removeprefix("/gh/repos/")})
    )
    httpserver.expect_request("/gh/repos/o/r/issues").respond_with_json(
        [issue(1), issue(2, "closed"), issue(3, pr=True), issue(4)]
    )
    httpserver.expect_request("/gh/repos/o/r/issues/comments").respond_with_json([])
    httpserver.expect_request(re.compile("^/gh/repos/o/off/issues.*")).respond_with_data(
        '{"message": "Issues are disabled for this repo"}', status=410
    )
    code = github.main(
        [
            "--repos",
            "o/r",
            "o/off",
            "--github-url",
            httpserver.url_for("/gh"),
            "--data-raw",
            str(tmp_path / "data_raw"),
            "--cache",
            str(tmp_path / "cache"),
        ]
    )
    assert code == 0
    repos = pd.read_csv(tmp_path / "data_raw/collected/github/github_repos.csv").set_index("repo")
    assert repos.loc["o/r", "open_issues_and_prs"] == 3 and repos.loc["o/r", "open_issues"] == 2
    assert repos.loc["o/off", "status"] == "ok"  # the repository exists
    assert repos.loc["o/off", "issues_status"] == "issues_disabled"
    canary.check(tmp_path)


# --- cases 2 and 3 through the command line ----------------------------------------------------


def test_a_renamed_repository_is_followed_with_the_token_and_nothing_leaks(
    httpserver, tmp_path, canary, capsys, caplog
):
    caplog.set_level("DEBUG")
    httpserver.expect_request("/gh/repos/o/r").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/gh/repositories/9")}
    )
    httpserver.expect_request("/gh/repositories/9").respond_with_json(
        {**REPO, "full_name": "o/renamed"}
    )
    assert cli(httpserver, tmp_path, "--no-issues") == 0
    hop = [r for r, _ in httpserver.log if r.path == "/gh/repositories/9"][0]
    assert hop.headers["Authorization"] == f"Bearer {canary.values['GITHUB_TOKEN']}"
    repos = pd.read_csv(tmp_path / "data_raw/collected/github/github_repos.csv")
    assert repos["full_name"].tolist() == ["o/renamed"]
    canary.check(tmp_path, capsys, caplog)


def test_a_token_with_a_line_break_inside_stops_before_any_request(
    httpserver, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("GITHUB_TOKEN", "cnry-gh-0d9e\r\n4b3a1c55")
    assert cli(httpserver, tmp_path) == 2 and httpserver.log == []
    err = capsys.readouterr().err
    assert "GITHUB_TOKEN" in err and "cnry" not in err and "4b3a" not in err


def test_a_token_with_a_trailing_crlf_works(httpserver, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "cnry-gh-0d9e4b3a1c55\r\n")
    httpserver.expect_request("/gh/repos/o/r").respond_with_json(REPO)
    assert cli(httpserver, tmp_path, "--no-issues") == 0
    assert httpserver.log[0][0].headers["Authorization"] == "Bearer cnry-gh-0d9e4b3a1c55"


def test_a_second_instance_exits_4_before_any_request(httpserver, tmp_path, capsys):
    out = tmp_path / "data_raw" / "collected" / "github"
    with Checkpoint.writer(out / "github_repos.jsonl"):
        assert cli(httpserver, tmp_path) == 4
    assert httpserver.log == [] and "another running collector" in capsys.readouterr().err


def test_help_names_the_token_variable(capsys):
    with pytest.raises(SystemExit):
        github.main(["--help"])
    assert "GITHUB_TOKEN" in capsys.readouterr().out


def test_checkpointed_issue_rows_are_plain_json(httpserver, session, fast_policy, tmp_path):
    httpserver.expect_request("/gh/repos/o/r/issues").respond_with_json([issue(1)])
    httpserver.expect_request("/gh/repos/o/r/issues/comments").respond_with_json([])
    issues_of(httpserver, session, fast_policy, tmp_path)
    row = json.loads((tmp_path / "i.jsonl").read_text())
    assert row["data"]["issues"][0]["first_response_at"] is None


def test_a_second_instance_can_wait_for_the_first(httpserver, tmp_path):
    import threading

    httpserver.expect_request("/gh/repos/o/r").respond_with_json(REPO)
    out = tmp_path / "data_raw" / "collected" / "github"
    first = Checkpoint.writer(out / "github_repos.jsonl")
    threading.Timer(0.3, first.close).start()
    assert cli(httpserver, tmp_path, "--no-issues", "--lock-wait", "5") == 0
    assert len(Checkpoint(out / "github_repos.jsonl")) == 1

"""GitHub collector against a local server: Link-header paging, reply times, 404s, a SIGKILL."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from werkzeug import Request, Response

from benchmeta.collect import github
from benchmeta.core import http
from benchmeta.core.checkpoint import Checkpoint
from httpfakes import files_containing

CANARY = "canary-GH-0d9e4b3a1c55"
ROOT = Path(__file__).resolve().parents[1]


def user(login: str, kind: str = "User") -> dict:
    return {"login": login, "type": kind}


def issue(n: int, login: str, created: str, pr: bool = False) -> dict:
    d = {
        "number": n,
        "url": f"https://api.github.com/repos/o/good/issues/{n}",
        "state": "open",
        "user": user(login),
        "created_at": created,
        "closed_at": None,
        "comments": 1,
    }
    if pr:
        d["pull_request"] = {"url": "x"}
    return d


def comment(n: int, who: dict, created: str) -> dict:
    return {
        "issue_url": f"https://api.github.com/repos/o/good/issues/{n}",
        "user": who,
        "created_at": created,
    }


ISSUES = [
    [issue(1, "alice", "2024-01-01T00:00:00Z"), issue(2, "bob", "2024-01-02T00:00:00Z", pr=True)],
    [issue(3, "carol", "2024-01-03T00:00:00Z"), issue(4, "dave", "2024-01-04T00:00:00Z")],
]
COMMENTS = [
    [
        comment(1, user("Alice"), "2024-01-01T01:00:00Z"),
        comment(1, user("dependabot[bot]", "Bot"), "2024-01-01T02:00:00Z"),
        comment(1, user("codecov"), "2024-01-01T03:00:00Z"),
        comment(2, user("alice"), "2024-01-02T01:00:00Z"),
        comment(4, user("ci-helper", "Bot"), "2024-01-04T01:00:00Z"),
    ],
    [
        comment(1, user("bob"), "2024-01-01T05:00:00Z"),
        comment(4, user("erin"), "2024-01-06T00:00:00Z"),
    ],
]
REPO = {
    "full_name": "o/good",
    "stargazers_count": 42,
    "forks_count": 3,
    "open_issues_count": 5,
    "created_at": "2023-05-01T00:00:00Z",
    "archived": False,
    "default_branch": "main",
    "license": {"spdx_id": "MIT"},
    "pushed_at": "2024-06-01T00:00:00Z",
}


class FakeGitHub:
    def __init__(self) -> None:
        self.block_on: str | None = None
        self.release = threading.Event()
        self.rate_limit_once = False

    def __call__(self, req: Request) -> Response:
        if self.rate_limit_once:
            self.rate_limit_once = False
            return Response(
                '{"message": "API rate limit exceeded"}',
                status=403,
                headers={"X-RateLimit-Remaining": "0", "Retry-After": "0"},
            )
        path = req.path.removeprefix("/gh")
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/issues(/comments)?)?", path)
        if not m or m.group(2) == "missing":
            return Response('{"message": "Not Found"}', status=404)
        repo = f"{m.group(1)}/{m.group(2)}"
        if repo == self.block_on:
            self.release.wait(timeout=20)
        if not m.group(3):
            body = {**REPO, "full_name": repo}
            return Response(json.dumps(body), content_type="application/json")
        pages = COMMENTS if m.group(4) else ISSUES
        if repo != "o/good":
            pages = [[]]
        page = int(req.args.get("page", 1))
        headers = {}
        if page < len(pages):
            nxt = f"{req.base_url}?page={page + 1}&per_page=100"
            headers["Link"] = f'<{nxt}>; rel="next", <{req.base_url}?page=9>; rel="last"'
        return Response(
            json.dumps(pages[page - 1]), content_type="application/json", headers=headers
        )


@pytest.fixture
def fake(httpserver) -> FakeGitHub:
    f = FakeGitHub()
    httpserver.expect_request(re.compile(r"^/gh/.+")).respond_with_handler(f)
    return f


POLICY = http.RetryPolicy(attempts=2, sleep=lambda s: None, countdown=False)


def test_is_bot():
    assert github.is_bot(user("dependabot[bot]", "Bot")) and github.is_bot(user("x", "Bot"))
    assert github.is_bot(user("renovate")) and github.is_bot(user("k8s-ci-robot"))
    assert not github.is_bot(user("alice")) and not github.is_bot(None)  # deleted, not a bot


def test_repos_with_a_404_among_them(httpserver, fake, session, tmp_path):
    cp = Checkpoint.writer(tmp_path / "r.jsonl")
    github.collect_repos(
        ["o/good", "o/missing", "o/other"], session, cp, httpserver.url_for("/gh"), policy=POLICY
    )
    assert cp.get("o/missing")["status"] == "not_found"
    good = cp.get("o/good")["data"]
    assert (good["stars"], good["license"], good["archived"]) == (42, "MIT", False)
    assert cp.get("o/other")["status"] == "ok"
    assert len(github.repos_frame(cp)) == 3


def test_issues_follow_links_and_time_the_first_outside_reply(httpserver, fake, session, tmp_path):
    cp = Checkpoint.writer(tmp_path / "i.jsonl")
    github.collect_issues(["o/good"], session, cp, httpserver.url_for("/gh"), policy=POLICY)
    data = cp.get("o/good")["data"]
    assert data["complete"] is True
    by_number = {i["number"]: i for i in data["issues"]}
    assert sorted(by_number) == [1, 3, 4]  # the pull request is dropped
    # not the author, not dependabot, not codecov
    assert by_number[1]["first_response_at"] == "2024-01-01T05:00:00Z"
    assert by_number[3]["first_response_at"] is None
    assert by_number[4]["first_response_at"] == "2024-01-06T00:00:00Z"
    pages = [(r.path, r.args.get("page")) for r, _ in httpserver.log]
    assert pages == [
        ("/gh/repos/o/good/issues", None),
        ("/gh/repos/o/good/issues", "2"),
        ("/gh/repos/o/good/issues/comments", None),
        ("/gh/repos/o/good/issues/comments", "2"),
    ]
    df = github.issues_frame(cp)
    assert list(df["number"]) == [1, 3, 4]


def test_max_pages_marks_incomplete(httpserver, fake, session, tmp_path):
    cp = Checkpoint.writer(tmp_path / "i.jsonl")
    github.collect_issues(
        ["o/good"], session, cp, httpserver.url_for("/gh"), max_pages=1, policy=POLICY
    )
    assert cp.get("o/good")["data"]["complete"] is False


def test_sigkill_midway_then_resume_no_loss_no_duplicates(httpserver, fake, tmp_path, monkeypatch):
    repos = [f"o/r{i}" for i in range(6)]
    out, data_raw = tmp_path / "data_raw" / "collected" / "github", tmp_path / "data_raw"
    args = [
        "--repos",
        *repos,
        "--github-url",
        httpserver.url_for("/gh"),
        "--no-issues",
        "--data-raw",
        str(data_raw),
        "--cache",
        str(tmp_path / "cache"),
        "--min-wait",
        "0.01",
    ]
    fake.block_on = "o/r3"
    env = {**os.environ, "GITHUB_TOKEN": CANARY}
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmeta", "collect", "github", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    cp_path = out / "github_repos.jsonl"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if cp_path.exists() and cp_path.read_text().count("\n") >= 3:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=10)
    fake.release.set()
    fake.block_on = None
    assert [json.loads(x)["key"] for x in cp_path.read_text().splitlines()] == repos[:3]
    monkeypatch.setenv("GITHUB_TOKEN", CANARY)
    assert github.main(args) == 0
    keys = [json.loads(x)["key"] for x in cp_path.read_text().splitlines()]
    assert keys == repos  # nothing lost, nothing duplicated
    assert (out / "github_repos.csv").read_text().count("\n") == 7
    fresh = tmp_path / "fresh"  # an uninterrupted run writes the same bytes
    assert github.main([*args, "--data-raw", str(fresh), "--cache", str(fresh / "cache")]) == 0
    assert (fresh / "collected" / "github" / "github_repos.csv").read_bytes() == (
        out / "github_repos.csv"
    ).read_bytes()
    assert all(r.headers.get("Authorization") == f"Bearer {CANARY}" for r, _ in httpserver.log)
    assert CANARY.encode() not in stdout + stderr
    assert files_containing(tmp_path, CANARY) == []


def test_cli_with_issues_and_canary(httpserver, fake, tmp_path, monkeypatch, capsys, caplog):
    monkeypatch.setenv("GITHUB_TOKEN", CANARY)
    caplog.set_level("DEBUG")
    fake.rate_limit_once = True
    repos_file = tmp_path / "included.csv"
    repos_file.write_text("paper_id,repo\n1,https://github.com/o/good\n2,o/missing\n3,\n")
    data_raw = tmp_path / "data_raw"
    assert (
        github.main(
            [
                "--ids-file",
                str(repos_file),
                "--github-url",
                httpserver.url_for("/gh"),
                "--data-raw",
                str(data_raw),
                "--cache",
                str(tmp_path / "cache"),
                "--min-wait",
                "0.01",
            ]
        )
        == 0
    )
    out = data_raw / "collected" / "github"
    assert {"github_repos.csv", "github_issues.csv", "github_repos.jsonl"} <= {
        p.name for p in out.iterdir()
    }
    repos = pd.read_csv(out / "github_repos.csv").set_index("repo")
    # Kaplan-Meier over 5 h, 48 h and one issue unanswered until the snapshot (censored)
    assert repos.loc["o/good", "reply_median_hours"] == 48.0
    assert repos.loc["o/good", "n_issues"] == 3 and repos.loc["o/good", "n_answered"] == 2
    assert repos.loc["o/good", "open_issues"] == 3  # pull requests excluded
    assert repos.loc["o/missing", "status"] == "not_found"
    manifest = (data_raw / "MANIFEST.csv").read_text()
    assert "collected/github/github_issues.csv" in manifest and "GitHub Terms" in manifest
    captured = capsys.readouterr()
    logs = "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")
    assert "rate limited" in logs  # the 403 rate limit was retried, and said so
    assert CANARY not in captured.out + captured.err + logs
    assert files_containing(tmp_path, CANARY) == []

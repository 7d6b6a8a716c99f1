"""GitHub REST: repository metadata and issues with the time to the first outside reply.

    python -m benchmeta collect github [--repos OWNER/NAME ...| --ids-file FILE]
        [--max-pages N] [--out DIR] [--cache DIR]

Repositories default to the ``repo`` column of ``data_processed/papers_included.csv``.
``GITHUB_TOKEN`` (optional; 5,000 instead of 60 requests an hour) is sent as a Bearer header, only
to the API's own host: a ``Link: rel="next"`` URL or a redirect to another host is refused
(paging) or followed without it (redirects; a renamed repository's 301 stays on the host).

Listings follow ``Link: rel="next"`` until it repeats or ``--max-pages``; then ``complete`` is
false and ``stopped`` says why. Secondary rate limits: a 403 with ``retry-after``,
``x-ratelimit-remaining: 0`` or a rate-limit message, and any 429, are retried, waiting at least
a minute when no header says how long. ``open_issues_count`` counts pull requests too, so it is
stored as ``open_issues_and_prs``; ``open_issues`` comes from the issues listing. A 410 on the
issues listing means issues are disabled (status ``issues_disabled``), not a missing repository.
Reply times: ``benchmeta.repositories.reply_time`` (Kaplan-Meier, unanswered issues censored).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd
import requests

from ..core.checkpoint import NOT_FOUND, Checkpoint
from ..core.http import GITHUB as GITHUB_SERVICE
from ..core.http import RetryPolicy, auth_headers, get_json, make_session
from ..repositories import reply_time
from . import shapes
from .github_listing import ACCEPT, pages
from .online import (
    GITHUB,
    Failures,
    as_int,
    base_parser,
    each_item,
    finish,
    folders,
    ids_or_none,
    open_writers,
    policy,
    run_stage,
    secrets_ok,
    with_failures,
    write_outputs,
)

BASE_URL = "https://api.github.com"
NAME = "github"
ISSUES_DISABLED = "issues_disabled"
is_bot = reply_time.is_bot


def collect_repos(
    repos: list[str],
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    policy: RetryPolicy | None = None,
    failures: Failures | None = None,
) -> int:
    """Stars, forks, dates, archived flag, default branch and licence of each ``owner/name``;
    missing repositories are recorded as not found."""

    def fetch(repo: str) -> int:
        res = get_json(
            session,
            f"{base_url}/repos/{repo}",
            headers={**ACCEPT, **auth_headers("github")},
            validate=shapes.github_repo,
            service=GITHUB_SERVICE,
            policy=policy,
        )
        if not res.found:
            return checkpoint.add(repo, None, NOT_FOUND)
        d = res.data
        return checkpoint.add(
            repo,
            {
                "full_name": d.get("full_name"),
                "stars": d.get("stargazers_count"),
                "forks": d.get("forks_count"),
                "watchers": d.get("subscribers_count"),
                "open_issues_and_prs": d.get("open_issues_count"),
                "created_at": d.get("created_at"),
                "pushed_at": d.get("pushed_at"),
                "archived": d.get("archived"),
                "fork": d.get("fork"),
                "default_branch": d.get("default_branch"),
                "license": (d.get("license") or {}).get("spdx_id"),
            },
        )

    return each_item(checkpoint.todo(repos), "github repos", failures, fetch)


REPO_COLUMNS = [
    "repo",
    "status",
    "full_name",
    "stars",
    "forks",
    "watchers",
    "open_issues_and_prs",
    "created_at",
    "pushed_at",
    "archived",
    "fork",
    "default_branch",
    "license",
]


def first_responses(
    issues: list[dict[str, Any]], comments: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per issue (pull requests and repeated numbers dropped) with its first reply
    (``reply_time.first_reply``) and how many comments were rejected as dated before it."""
    by_issue: dict[str, list[dict[str, Any]]] = {}
    for c in comments:
        by_issue.setdefault(str(c.get("issue_url")), []).append(c)
    rows, seen = [], set()
    for issue in issues:
        if issue.get("pull_request") or issue.get("number") in seen:
            continue
        seen.add(issue.get("number"))
        first, rejected = reply_time.first_reply(issue, by_issue.get(str(issue.get("url")), []))
        rows.append(
            {
                "number": issue.get("number"),
                "state": issue.get("state"),
                "created_at": issue.get("created_at"),
                "closed_at": issue.get("closed_at"),
                "author_is_bot": is_bot(issue.get("user")),
                "author_deleted": reply_time.is_deleted(issue.get("user")),
                "comments": issue.get("comments"),
                "first_response_at": first,
                "rejected_comments": rejected,
            }
        )
    return rows


def _issues_of(
    repo: str,
    session: requests.Session,
    base_url: str,
    max_pages: int | None,
    policy: RetryPolicy | None,
) -> tuple[str, dict[str, Any] | None]:
    listing = {"state": "all", "per_page": 100, "sort": "created", "direction": "asc"}
    got: dict[str, list[dict[str, Any]]] = {"issues": [], "comments": []}
    stopped = []
    for name, url in (
        ("issues", f"{base_url}/repos/{repo}/issues"),
        ("comments", f"{base_url}/repos/{repo}/issues/comments"),
    ):
        pager = pages(session, url, listing, max_pages=max_pages, policy=policy)
        for page in pager:
            got[name].extend(page)
        if pager.status == 410:
            return ISSUES_DISABLED, None
        if pager.status == 404:
            return NOT_FOUND, None
        if pager.stopped:
            stopped.append(f"{name}: {pager.stopped}")
    data = {"complete": not stopped, "issues": first_responses(got["issues"], got["comments"])}
    if stopped:
        data["stopped"] = "; ".join(stopped)
    return "ok", data


def collect_issues(
    repos: list[str],
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    max_pages: int | None = 50,
    policy: RetryPolicy | None = None,
    failures: Failures | None = None,
) -> int:
    """Issues of each repository with their first outside reply; one item per repository.
    ``complete`` is False when a listing stopped early (``stopped`` says why)."""

    def fetch(repo: str) -> int:
        status, data = _issues_of(repo, session, base_url, max_pages, policy)
        return checkpoint.add(repo, data, status)

    return each_item(checkpoint.todo(repos), "github issues", failures, fetch)


# --- tidy tables ---------------------------------------------------------------------------


def issues_frame(checkpoint: Checkpoint) -> pd.DataFrame:
    """One row per issue, with the snapshot time (when its repository's issues were collected)."""
    rows = [
        {
            "repo": r["key"],
            "complete": r["data"]["complete"],
            "snapshot_at": r["retrieved_at"],
            **issue,
        }
        for r in checkpoint
        if r["status"] == "ok"
        for issue in r["data"]["issues"]
    ]
    cols = [
        "repo",
        "complete",
        "snapshot_at",
        "number",
        "state",
        "created_at",
        "closed_at",
        "author_is_bot",
        "author_deleted",
        "comments",
        "first_response_at",
        "rejected_comments",
    ]
    df = pd.DataFrame(rows, columns=cols).sort_values(["repo", "number"]).reset_index(drop=True)
    return as_int(df, "number", "comments", "rejected_comments")


def repos_frame(checkpoint: Checkpoint, issues: Checkpoint | None = None) -> pd.DataFrame:
    """One row per repository; with ``issues``, also ``issues_status``, open issues (pull
    requests excluded, from a complete listing) and the reply-time summary
    (``reply_time.per_repository``)."""
    rows = [{"repo": r["key"], "status": r["status"], **(r["data"] or {})} for r in checkpoint]
    if not rows:
        return pd.DataFrame(columns=["repo", "status"])
    df = pd.DataFrame(rows).reindex(columns=REPO_COLUMNS)
    if issues is not None and len(issues):
        status = pd.DataFrame(
            [
                {
                    "repo": r["key"],
                    "issues_status": r["status"],
                    "issues_complete": (r["data"] or {}).get("complete"),
                    "open_issues": sum(i["state"] == "open" for i in r["data"]["issues"])
                    if r["status"] == "ok" and r["data"]["complete"]
                    else None,
                }
                for r in issues
            ]
        )
        df = df.merge(status, on="repo", how="left")
        table = issues_frame(issues)
        if len(table):
            df = df.merge(reply_time.per_repository(table), on="repo", how="left")
    df = as_int(
        df,
        "stars",
        "forks",
        "watchers",
        "open_issues_and_prs",
        "open_issues",
        "n_issues",
        "n_answered",
    )
    return df.sort_values("repo").reset_index(drop=True)


def _repo_name(value: str) -> str:
    text = value.strip().removesuffix(".git").rstrip("/")
    for prefix in ("https://github.com/", "http://github.com/", "github.com/"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    return "/".join(text.split("/")[:2])


ENV = ("GITHUB_TOKEN",)


def _parser() -> argparse.ArgumentParser:
    p = base_parser(NAME, __doc__, ENV)
    p.add_argument("--repos", nargs="*", help="owner/name or GitHub URLs")
    p.add_argument("--ids-file", type=Path, help="a text file (one repo a line) or a CSV")
    p.add_argument(
        "--max-pages", type=int, default=50, help="pages of 100 issues/comments per repository"
    )
    p.add_argument("--no-issues", action="store_true", help="repository metadata only")
    p.add_argument("--github-url", default=BASE_URL)
    return p


def _collect(
    args, repos: list[str], session, cps: dict[str, Checkpoint], pol, failures: Failures
) -> list[str]:
    """Repositories, then the issues of those found; returns why a stage stopped early."""
    why = run_stage(
        "github repos",
        lambda: collect_repos(
            repos, session, cps["github_repos"], args.github_url, policy=pol, failures=failures
        ),
    )
    if why or args.no_issues:
        return [why] if why else []
    found = [r["key"] for r in cps["github_repos"] if r["status"] == "ok"]
    why = run_stage(
        "github issues",
        lambda: collect_issues(
            found,
            session,
            cps["github_issues"],
            args.github_url,
            max_pages=args.max_pages,
            policy=pol,
            failures=failures,
        ),
    )
    return [why] if why else []


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    raw = ids_or_none(args.repos, args.ids_file, "repo")
    if raw is None or not secrets_ok(ENV):
        return 2
    repos = list(dict.fromkeys(_repo_name(r) for r in raw if r.count("/") >= 1))
    data_raw, out, cache = folders(args, NAME)
    cps = open_writers(out, ["github_repos", "github_issues"], args.lock_wait)
    if cps is None:
        return 4
    session, pol = make_session(cache), policy(args)
    failures = Failures(args.max_failures)
    try:
        stopped = _collect(args, repos, session, cps, pol, failures)
    finally:
        session.close()
    cp_repos, cp_issues = cps["github_repos"], cps["github_issues"]
    repos_table = with_failures(repos_frame(cp_repos, cp_issues), failures, "github repos", "repo")
    tables = {"github_repos": (repos_table, GITHUB)}
    if len(cp_issues):
        tables["github_issues"] = (issues_frame(cp_issues), GITHUB)
    write_outputs(
        tables,
        out,
        data_raw,
        NAME,
        record=not args.no_manifest,
        checkpoints={"github_repos.jsonl": GITHUB, "github_issues.jsonl": GITHUB},
    )
    cut = sum(1 for r in cp_issues if r["status"] == "ok" and not r["data"]["complete"])
    print(
        f"collect {NAME}: {len(cp_repos)} repositories, {len(cp_issues)} with issues"
        + (f", {cut} with listings cut short (see 'stopped')" if cut else "")
    )
    for cp in cps.values():
        cp.close()
    return finish(f"collect {NAME}", stopped, failures)

"""GitHub REST: repository metadata and issues with the time to the first outside response.

    python -m benchmeta collect github [--repos OWNER/NAME ...| --ids-file FILE]
        [--max-pages N] [--out DIR] [--cache DIR]

Repositories default to the ``repo`` column of ``data_processed/papers_included.csv``.
``GITHUB_TOKEN`` (optional; 5,000 instead of 60 requests an hour) is sent as a Bearer header.
For each issue (pull requests excluded) the first response is the earliest comment by someone
other than the issue's author who is not a bot (``[bot]`` login suffix, user type ``Bot``, or a
known bot account). Comments come from the repository-wide comments listing (one request per
100 comments, not one per issue). Pages follow the ``Link: rel="next"`` header.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import requests
from requests.utils import parse_header_links

from ..core.checkpoint import NOT_FOUND, Checkpoint
from ..core.http import Fetched, FetchError, RetryPolicy, auth_headers, get_json, make_session
from .online import (
    GITHUB,
    as_int,
    base_parser,
    folders,
    ids_or_none,
    policy,
    report_gave_up,
    write_outputs,
)

BASE_URL = "https://api.github.com"
NAME = "github"
ACCEPT = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
KNOWN_BOTS = frozenset(
    {
        "dependabot",
        "dependabot-preview",
        "github-actions",
        "renovate",
        "renovate-bot",
        "codecov",
        "codecov-io",
        "codecov-commenter",
        "stale",
        "allcontributors",
        "pre-commit-ci",
        "netlify",
        "vercel",
        "sonarcloud",
        "coveralls",
        "mergify",
        "imgbot",
        "huggingface-hub",
        "lgtm-com",
        "deepsource-autofix",
        "welcome",
        "issue-label-bot",
    }
)


def is_bot(user: dict[str, Any] | None) -> bool:
    if not user:
        return True  # a deleted account ("ghost") cannot be a meaningful response
    login = str(user.get("login") or "").lower()
    return (
        login.endswith("[bot]")
        or user.get("type") == "Bot"
        or login.removesuffix("[bot]") in KNOWN_BOTS
    )


def _next_link(res: Fetched) -> str | None:
    header = res.headers.get("Link") or res.headers.get("link")
    if not header:
        return None
    for link in parse_header_links(header):
        if link.get("rel") == "next":
            return link.get("url")
    return None


def pages(
    session: requests.Session,
    url: str,
    params: dict[str, Any] | None,
    *,
    max_pages: int | None,
    policy: RetryPolicy | None,
) -> Iterator[Fetched]:
    """Each page of a listing, following ``Link: rel="next"`` (at most ``max_pages``)."""
    n = 0
    next_url: str | None = url
    while next_url and (max_pages is None or n < max_pages):
        res = get_json(
            session,
            next_url,
            params if n == 0 else None,
            headers={**ACCEPT, **auth_headers("github")},
            policy=policy,
        )
        n += 1
        yield res
        next_url = _next_link(res) if res.found else None


def collect_repos(
    repos: list[str],
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    policy: RetryPolicy | None = None,
) -> int:
    """Stars, forks, dates, archived flag, default branch and licence of each ``owner/name``;
    missing repositories are recorded as not found."""
    added = 0
    for repo in checkpoint.todo(repos):
        res = get_json(
            session,
            f"{base_url}/repos/{repo}",
            headers={**ACCEPT, **auth_headers("github")},
            policy=policy,
        )
        if not res.found:
            added += checkpoint.add(repo, None, NOT_FOUND)
            continue
        d = res.data
        added += checkpoint.add(
            repo,
            {
                "full_name": d.get("full_name"),
                "stars": d.get("stargazers_count"),
                "forks": d.get("forks_count"),
                "watchers": d.get("subscribers_count"),
                "open_issues": d.get("open_issues_count"),
                "created_at": d.get("created_at"),
                "pushed_at": d.get("pushed_at"),
                "archived": d.get("archived"),
                "fork": d.get("fork"),
                "default_branch": d.get("default_branch"),
                "license": (d.get("license") or {}).get("spdx_id"),
            },
        )
    return added


REPO_COLUMNS = [
    "repo",
    "status",
    "full_name",
    "stars",
    "forks",
    "watchers",
    "open_issues",
    "created_at",
    "pushed_at",
    "archived",
    "fork",
    "default_branch",
    "license",
]


def _ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def first_responses(
    issues: list[dict[str, Any]], comments: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per issue (pull requests dropped) with its first non-author, non-bot comment."""
    by_issue: dict[str, list[dict[str, Any]]] = {}
    for c in comments:
        by_issue.setdefault(str(c.get("issue_url")), []).append(c)
    rows = []
    for issue in issues:
        if issue.get("pull_request"):
            continue
        author = ((issue.get("user") or {}).get("login") or "").lower()
        replies = sorted(
            (
                c
                for c in by_issue.get(str(issue.get("url")), [])
                if not is_bot(c.get("user")) and (c["user"].get("login") or "").lower() != author
            ),
            key=lambda c: c["created_at"],
        )
        first = replies[0] if replies else None
        opened = _ts(issue.get("created_at"))
        answered = _ts(first["created_at"]) if first else None
        rows.append(
            {
                "number": issue.get("number"),
                "state": issue.get("state"),
                "created_at": issue.get("created_at"),
                "closed_at": issue.get("closed_at"),
                "author_is_bot": is_bot(issue.get("user")),
                "comments": issue.get("comments"),
                "first_response_at": first["created_at"] if first else None,
                "response_hours": round((answered - opened).total_seconds() / 3600, 3)
                if answered and opened
                else None,
            }
        )
    return rows


def collect_issues(
    repos: list[str],
    session: requests.Session,
    checkpoint: Checkpoint,
    base_url: str = BASE_URL,
    *,
    max_pages: int | None = 50,
    policy: RetryPolicy | None = None,
) -> int:
    """Issues of each repository with their first outside response; one item per repository.
    ``complete`` is False when ``max_pages`` cut a listing short."""
    added = 0
    for repo in checkpoint.todo(repos):
        listing = {"state": "all", "per_page": 100, "sort": "created", "direction": "asc"}
        issues: list[dict[str, Any]] = []
        comments: list[dict[str, Any]] = []
        complete, found = True, True
        for target, url in (
            (issues, f"{base_url}/repos/{repo}/issues"),
            (comments, f"{base_url}/repos/{repo}/issues/comments"),
        ):
            last: Fetched | None = None
            for last in pages(session, url, listing, max_pages=max_pages, policy=policy):
                if not last.found:
                    found = False
                    break
                target.extend(last.data or [])
            if last is not None and last.found and _next_link(last):
                complete = False
            if not found:
                break
        if not found:
            added += checkpoint.add(repo, None, NOT_FOUND)
        else:
            added += checkpoint.add(
                repo, {"complete": complete, "issues": first_responses(issues, comments)}
            )
    return added


# --- tidy tables ---------------------------------------------------------------------------


def repos_frame(checkpoint: Checkpoint, issues: Checkpoint | None = None) -> pd.DataFrame:
    """One row per repository; with ``issues``, also the issue counts and the median hours to
    the first outside response (over answered issues)."""
    rows = [{"repo": r["key"], "status": r["status"], **(r["data"] or {})} for r in checkpoint]
    if not rows:
        return pd.DataFrame(columns=["repo", "status"])
    df = pd.DataFrame(rows).reindex(columns=REPO_COLUMNS)
    if issues is not None and len(issues):
        summary = []
        for r in issues:
            if r["status"] != "ok":
                continue
            hours = pd.Series([i["response_hours"] for i in r["data"]["issues"]], dtype=float)
            summary.append(
                {
                    "repo": r["key"],
                    "issues_complete": r["data"]["complete"],
                    "n_issues": len(hours),
                    "n_answered": int(hours.notna().sum()),
                    "median_response_hours": hours.median(),
                }
            )
        if summary:
            df = df.merge(pd.DataFrame(summary), on="repo", how="left")
    df = as_int(df, "stars", "forks", "watchers", "open_issues", "n_issues", "n_answered")
    return df.sort_values("repo").reset_index(drop=True)


def issues_frame(checkpoint: Checkpoint) -> pd.DataFrame:
    rows = [
        {"repo": r["key"], "complete": r["data"]["complete"], **issue}
        for r in checkpoint
        if r["status"] == "ok"
        for issue in r["data"]["issues"]
    ]
    cols = [
        "repo",
        "complete",
        "number",
        "state",
        "created_at",
        "closed_at",
        "author_is_bot",
        "comments",
        "first_response_at",
        "response_hours",
    ]
    df = pd.DataFrame(rows, columns=cols).sort_values(["repo", "number"]).reset_index(drop=True)
    return as_int(df, "number", "comments")


def _repo_name(value: str) -> str:
    text = value.strip().removesuffix(".git").rstrip("/")
    for prefix in ("https://github.com/", "http://github.com/", "github.com/"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    return "/".join(text.split("/")[:2])


def main(argv: list[str] | None = None) -> int:
    p = base_parser(NAME, __doc__)
    p.add_argument("--repos", nargs="*", help="owner/name or GitHub URLs")
    p.add_argument("--ids-file", type=Path, help="a text file (one repo a line) or a CSV")
    p.add_argument("--max-pages", type=int, default=50, help="pages of 100 issues/comments")
    p.add_argument("--no-issues", action="store_true", help="repository metadata only")
    p.add_argument("--github-url", default=BASE_URL)
    args = p.parse_args(argv)
    raw = ids_or_none(args.repos, args.ids_file, "repo")
    if raw is None:
        return 2
    repos = list(dict.fromkeys(_repo_name(r) for r in raw if r.count("/") >= 1))
    data_raw, out, cache = folders(args, NAME)
    session = make_session(cache)
    pol = policy(args)
    cp_repos = Checkpoint(out / "github_repos.jsonl")
    cp_issues = Checkpoint(out / "github_issues.jsonl")
    code = 0
    try:
        collect_repos(repos, session, cp_repos, args.github_url, policy=pol)
        if not args.no_issues:
            found = [r["key"] for r in cp_repos if r["status"] == "ok"]
            collect_issues(
                found, session, cp_issues, args.github_url, max_pages=args.max_pages, policy=pol
            )
    except FetchError as exc:
        code = report_gave_up(exc, f"collect {NAME}")
    finally:
        session.close()
    tables = {"github_repos": (repos_frame(cp_repos, cp_issues), GITHUB)}
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
    print(f"collect {NAME}: {len(cp_repos)} repositories, {len(cp_issues)} with issues")
    return code

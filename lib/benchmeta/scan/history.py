"""Maintenance from git history alone (no API): commits on HEAD, authors, activity, staleness.

All metrics are defined on HEAD (the default branch of a snapshot), and "days since the last
commit" is measured at a reference date passed in, never at the machine's clock.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from .sandbox import git

STALE_DAYS = 180
RELEASE_DUMP_MAX_COMMITS = 5
_BOT = re.compile(
    r"\[bot\]|(^|[-_.\s])bot($|[-_.\s@])|dependabot|renovate|github-actions|"
    r"pre-commit-ci|allcontributors|web-flow",
    re.I,
)


@dataclass(frozen=True)
class Commit:
    """One commit on HEAD: author time (UTC epoch seconds), author name and e-mail."""

    time: int
    author: str
    email: str


@dataclass
class History:
    """Maintenance metrics of one repository at a reference date."""

    n_commits: int
    n_authors: int
    n_bot_commits: int
    first_commit: str | None
    last_commit: str | None
    active_days: float | None
    commits_per_week: float | None
    commits_after_published: int | None
    days_since_last_commit: int | None
    stale: bool | None
    release_dump: bool
    reference_date: str

    def as_dict(self) -> dict:
        return asdict(self)


def is_bot(name: str, email: str) -> bool:
    """Bots by name or address (``[bot]``, dependabot, github-actions, ``*-bot`` ...).

    Personal ``<id>+<user>@users.noreply.github.com`` addresses are people; a bare
    ``noreply@...`` address is not.
    """
    local = email.split("@", 1)[0]
    return bool(_BOT.search(name) or _BOT.search(local) or local in {"noreply", "no-reply"})


def read_commits(git_dir: Path | str, rev: str = "HEAD") -> list[Commit]:
    """Commits reachable from ``rev``, oldest first (author dates)."""
    out = git(
        git_dir,
        "log",
        "--no-show-signature",
        "--no-color",
        "--no-ext-diff",
        "--format=%at%x00%an%x00%ae%x1e",
        rev,
    ).stdout
    commits = []
    for rec in out.decode("utf-8", "replace").split("\x1e"):
        rec = rec.strip("\n")
        if not rec:
            continue
        t, name, email = (rec.split("\x00") + ["", ""])[:3]
        if t.strip().isdigit():
            commits.append(Commit(int(t), name, email.lower()))
    return sorted(commits, key=lambda c: c.time)


def _day(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


def summarise(
    commits: list[Commit], reference_date: date, published: date | None = None
) -> History:
    """Metrics from a commit list; commits after ``reference_date`` are ignored."""
    ref_end = (
        datetime(
            reference_date.year, reference_date.month, reference_date.day, tzinfo=UTC
        ).timestamp()
        + 86400
    )
    commits = [c for c in commits if c.time < ref_end]
    humans = [c for c in commits if not is_bot(c.author, c.email)]
    ref = reference_date.isoformat()
    if not commits:
        return History(0, 0, 0, None, None, None, None, None, None, None, True, ref)
    first, last = commits[0].time, commits[-1].time
    active_days = (last - first) / 86400
    weeks = max(active_days / 7, 1.0)  # a repository active for less than a week counts as one
    authors = {(c.email or c.author.lower()) for c in humans}
    after = None
    if published is not None:
        pub_end = (
            datetime(published.year, published.month, published.day, tzinfo=UTC).timestamp() + 86400
        )
        after = sum(c.time >= pub_end for c in commits)
    since = (reference_date - _day(last)).days
    return History(
        n_commits=len(commits),
        n_authors=len(authors),
        n_bot_commits=len(commits) - len(humans),
        first_commit=datetime.fromtimestamp(first, UTC).isoformat(),
        last_commit=datetime.fromtimestamp(last, UTC).isoformat(),
        active_days=round(active_days, 3),
        commits_per_week=round(len(commits) / weeks, 4),
        commits_after_published=after,
        days_since_last_commit=since,
        stale=since >= STALE_DAYS,
        release_dump=len(commits) <= RELEASE_DUMP_MAX_COMMITS,
        reference_date=ref,
    )

"""Issue reply time as a survival quantity: hours from an issue being opened to its first outside
reply, with unanswered issues censored at the snapshot (the time the issues were collected).

Rules:
- A *reply* is a comment by someone other than the issue's author (logins compared without
  case), who is not a bot and not a deleted account, made at or after the issue was opened. A
  comment dated before its issue (transferred or imported issues) is rejected, and counted.
- A *bot* is a login ending in ``[bot]``, an account of type ``Bot``, or a login in ``BOTS`` (bot
  accounts that are ordinary user accounts, so neither of the first two rules catches them).
- A *deleted account* is GitHub's ``ghost`` user or a missing user. It is treated the same way in
  both places: a comment by one is never a reply (it might be the author's own); an issue opened
  by one is kept, and any reply by a known person counts.
- Issues opened by bots (dependency alerts, stale notices) are left out: nobody is asked anything.
- Per repository: the Kaplan-Meier median (lifelines) of the reply time, ``NaN`` with
  ``median_reached == False`` when fewer than half the issues are answered within the follow-up;
  the share answered within 7 and 30 days is ``1 - S(t)``, ``NaN`` when no issue was followed that
  long (unless every issue was answered earlier). So a repository answering 1 of 10 issues in an
  hour does not beat one answering all 10 in 100 hours.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import InputError

# Service accounts that comment as ordinary GitHub users (no ``[bot]`` suffix, type ``User``):
# CI, triage, CLA and dependency services. Extend the list when a new one is seen.
BOTS = frozenset(
    {
        "allcontributors",
        "boring-cyborg",
        "changeset-bot",
        "claassistant",
        "codecov",
        "codecov-commenter",
        "codecov-io",
        "copybara-service",
        "coveralls",
        "deepsource-autofix",
        "dependabot",
        "dependabot-preview",
        "facebook-github-bot",
        "github-actions",
        "gitguardian",
        "google-cla",
        "googlebot",
        "huggingface-hub",
        "imgbot",
        "issue-label-bot",
        "k8s-ci-robot",
        "k8s-triage-robot",
        "lgtm-com",
        "linux-foundation-easycla",
        "mergify",
        "msftbot",
        "netlify",
        "pre-commit-ci",
        "pytorch-bot",
        "pytorchbot",
        "renovate",
        "renovate-bot",
        "snyk-bot",
        "sonarcloud",
        "stale",
        "tensorflow-bot",
        "tensorflowbutler",
        "vercel",
        "welcome",
    }
)
GHOST = "ghost"
HORIZONS = {"answered_7d": 7 * 24.0, "answered_30d": 30 * 24.0}


def login(user: dict[str, Any] | None) -> str:
    return str((user or {}).get("login") or "").lower()


def is_deleted(user: dict[str, Any] | None) -> bool:
    """GitHub's placeholder for a deleted account, or no user at all."""
    return not user or login(user) in ("", GHOST)


def is_bot(user: dict[str, Any] | None) -> bool:
    if is_deleted(user):
        return False
    name = login(user)
    return name.endswith("[bot]") or user.get("type") == "Bot" or name in BOTS


def _ts(text: str | None) -> pd.Timestamp | None:
    return pd.Timestamp(text).tz_convert("UTC") if text else None


def first_reply(issue: dict[str, Any], comments: list[dict[str, Any]]) -> tuple[str | None, int]:
    """(time of the first reply to ``issue`` or ``None``, comments rejected as dated before it)."""
    author = None if is_deleted(issue.get("user")) else login(issue.get("user"))
    opened = _ts(issue.get("created_at"))
    rejected, best = 0, None
    for c in comments:
        who = c.get("user")
        if is_deleted(who) or is_bot(who) or login(who) == author:
            continue
        when = _ts(c.get("created_at"))
        if when is None:
            continue
        if opened is not None and when < opened:
            rejected += 1
            continue
        if best is None or when < best[0]:
            best = (when, c["created_at"])
    return (best[1] if best else None), rejected


def durations(issues: pd.DataFrame) -> pd.DataFrame:
    """``issues`` (``created_at``, ``first_response_at``, ``snapshot_at``, ``author_is_bot``)
    without bot-opened issues, plus ``reply_hours`` (to the reply, or to the snapshot when
    unanswered) and ``answered``. A reply before its issue, or an issue opened after the
    snapshot, is an ``InputError`` naming the row."""
    df = issues[~issues["author_is_bot"].astype(bool)].copy()
    opened = pd.to_datetime(df["created_at"], utc=True)
    replied = pd.to_datetime(df["first_response_at"], utc=True)
    snapshot = pd.to_datetime(df["snapshot_at"], utc=True)
    end = replied.where(replied.notna(), snapshot)
    hours = (end - opened).dt.total_seconds() / 3600
    bad = hours < 0
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        what = (
            "reply before the issue was opened"
            if pd.notna(replied.iloc[i])
            else "issue opened after the snapshot"
        )
        raise InputError(
            "issues table",
            i + 2,
            f"negative reply time: {what}",
            f"{df['created_at'].iloc[i]} -> {end.iloc[i]}",
        )
    return df.assign(reply_hours=hours.round(3), answered=replied.notna())


def km_summary(hours: pd.Series, answered: pd.Series) -> dict[str, Any]:
    """Kaplan-Meier median and the share answered within each horizon, with n."""
    out: dict[str, Any] = {
        "n_issues": len(hours),
        "n_answered": int(answered.sum()),
        "reply_median_hours": np.nan,
        "median_reached": False,
        **{k: np.nan for k in HORIZONS},
    }
    if len(hours) == 0:
        return out
    from lifelines import KaplanMeierFitter  # slow to import: only when a table is made

    km = KaplanMeierFitter().fit(hours.astype(float), event_observed=answered.astype(bool))
    median = float(km.median_survival_time_)
    if np.isfinite(median):
        out.update(reply_median_hours=round(median, 3), median_reached=True)
    longest = float(hours.max())
    settled = float(km.survival_function_at_times(longest).iloc[0]) == 0.0  # all answered
    for name, t in HORIZONS.items():
        if longest >= t or settled:
            out[name] = round(1.0 - float(km.survival_function_at_times(t).iloc[0]), 4)
    return out


def per_repository(issues: pd.DataFrame) -> pd.DataFrame:
    """One row per ``repo``: n, answered, KM median hours, shares answered in 7 and 30 days."""
    df = durations(issues)
    rows = [
        {"repo": repo, **km_summary(g["reply_hours"], g["answered"])}
        for repo, g in df.groupby("repo", sort=True)
    ]
    cols = ["repo", "n_issues", "n_answered", "reply_median_hours", "median_reached", *HORIZONS]
    return pd.DataFrame(rows, columns=cols)

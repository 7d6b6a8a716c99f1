"""Case 17: issue reply time as a survival quantity (censoring, Kaplan-Meier, bots, ghosts)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from benchmeta.core.errors import InputError
from benchmeta.repositories import reply_time

T0 = pd.Timestamp("2024-01-01T00:00:00Z")


def iso(hours: float) -> str:
    return (T0 + pd.Timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def table(
    repo: str,
    replies: list[float | None],
    snapshot_h: float = 1000.0,
    bot_opened: list[bool] | None = None,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "repo": repo,
            "created_at": iso(0),
            "snapshot_at": iso(snapshot_h),
            "first_response_at": [iso(h) if h is not None else None for h in replies],
            "author_is_bot": bot_opened or [False] * len(replies),
        }
    )


def user(login: str | None, kind: str = "User") -> dict | None:
    return None if login is None else {"login": login, "type": kind}


def test_one_fast_answer_of_ten_does_not_beat_ten_slow_answers():
    few = table("few", [1.0] + [None] * 9)
    all_ = table("all", [100.0] * 10)
    out = reply_time.per_repository(pd.concat([few, all_])).set_index("repo")
    assert out.loc["all", "reply_median_hours"] == 100.0 and out.loc["all", "median_reached"]
    assert math.isnan(out.loc["few", "reply_median_hours"])  # never half answered
    assert not out.loc["few", "median_reached"]
    assert out.loc["few", "answered_7d"] == pytest.approx(0.1)
    assert out.loc["all", "answered_7d"] == 1.0 and out.loc["all", "answered_30d"] == 1.0
    assert (out.loc["few", "n_issues"], out.loc["few", "n_answered"]) == (10, 1)


def test_unanswered_issues_are_censored_at_the_snapshot():
    d = reply_time.durations(table("r", [10.0, None], snapshot_h=50.0))
    assert d["reply_hours"].tolist() == [10.0, 50.0] and d["answered"].tolist() == [True, False]
    # censoring pulls the median past the answered-only one: 2 of 4 answered, by 10 h and 30 h
    s = reply_time.per_repository(table("r", [10.0, 30.0, None, None], snapshot_h=400.0))
    assert s["reply_median_hours"].item() == 30.0


def test_shares_are_missing_when_nobody_was_followed_that_long():
    s = reply_time.per_repository(table("r", [5.0, None], snapshot_h=100.0))
    assert math.isnan(s["answered_7d"].item()) and math.isnan(s["answered_30d"].item())


def test_bots_without_a_suffix_are_not_replies():
    issue = {"user": user("asker"), "created_at": iso(0)}
    comments = [
        {"user": user("k8s-ci-robot"), "created_at": iso(1)},
        {"user": user("pytorchbot"), "created_at": iso(2)},
        {"user": user("helper[bot]", "Bot"), "created_at": iso(3)},
        {"user": user("Asker"), "created_at": iso(4)},  # the author, any case
        {"user": user("maintainer"), "created_at": iso(5)},
    ]
    assert reply_time.first_reply(issue, comments) == (iso(5), 0)
    assert {"k8s-ci-robot", "pytorchbot"} <= reply_time.BOTS


def test_deleted_accounts_are_treated_the_same_whether_null_or_ghost():
    for ghost in (None, user("ghost")):
        assert reply_time.is_deleted(ghost) and not reply_time.is_bot(ghost)
        # a comment by a deleted account is never a reply ...
        issue = {"user": user("asker"), "created_at": iso(0)}
        assert reply_time.first_reply(issue, [{"user": ghost, "created_at": iso(1)}]) == (None, 0)
        # ... and an issue opened by one still counts any known person's reply
        orphan = {"user": ghost, "created_at": iso(0)}
        assert reply_time.first_reply(orphan, [{"user": user("m"), "created_at": iso(2)}]) == (
            iso(2),
            0,
        )


def test_comments_before_the_issue_are_rejected_and_counted():
    issue = {"user": user("asker"), "created_at": iso(10)}
    comments = [
        {"user": user("m"), "created_at": iso(5)},
        {"user": user("m"), "created_at": iso(12)},
    ]
    assert reply_time.first_reply(issue, comments) == (iso(12), 1)


def test_a_negative_reply_time_in_a_table_is_an_input_error():
    bad = table("r", [10.0, 20.0]).assign(first_response_at=[iso(10), "2023-12-31T00:00:00Z"])
    with pytest.raises(InputError, match=r"issues table:3: negative reply time: reply before"):
        reply_time.durations(bad)
    late = table("r", [None], snapshot_h=-5.0)
    with pytest.raises(InputError, match="after the snapshot"):
        reply_time.durations(late)


def test_issues_opened_by_bots_are_left_out():
    s = reply_time.per_repository(table("r", [None, 2.0], bot_opened=[True, False]))
    assert s["n_issues"].item() == 1 and s["reply_median_hours"].item() == 2.0

"""Git history metrics on real repositories with fixed dates."""

from __future__ import annotations

from datetime import date

import pytest

from benchmeta.scan import history
from benchmeta.scan.sandbox import isolated
from scan_gitrepos import commit, init, mirror

pytestmark = pytest.mark.xdist_group("scan_history")


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    base = tmp_path_factory.mktemp("hist")
    work = init(base / "work")
    commit(work, {"a.py": "x = 1\n"}, when="2024-01-01T12:00:00+00:00")
    commit(
        work,
        {"a.py": "x = 2\n"},
        when="2024-01-08T12:00:00+00:00",
        author="Bo",
        email="bo@example.org",
    )
    commit(
        work,
        {"req.txt": "a==1\n"},
        when="2024-01-15T12:00:00+00:00",
        author="dependabot[bot]",
        email="49699333+dependabot[bot]@users.noreply.github.com",
    )
    commit(
        work,
        {"a.py": "x = 3\n"},
        when="2024-01-29T12:00:00+00:00",
        author="Ada",
        email="1234+ada@users.noreply.github.com",
    )
    commit(
        work,
        {"b.py": "y = 1\n"},
        when="2024-03-01T12:00:00+00:00",
        author="github-actions",
        email="41898282+github-actions[bot]@users.noreply.github.com",
    )
    return mirror(work, base / "mirrors", "o/hist")


def _commits(gd):
    with isolated(gd) as g:
        return history.read_commits(g)


def test_counts_and_bots(repo):
    h = history.summarise(_commits(repo), date(2024, 6, 1), published=date(2024, 1, 10))
    assert h.n_commits == 5
    assert h.n_bot_commits == 2
    assert h.n_authors == 3  # ada@example.org, bo, the noreply address of a person
    assert h.first_commit.startswith("2024-01-01") and h.last_commit.startswith("2024-03-01")
    assert h.active_days == pytest.approx(60.0)
    assert h.commits_per_week == pytest.approx(5 / (60 / 7), rel=1e-3)
    assert h.commits_after_published == 3
    assert h.release_dump is True  # 5 commits: at the release-dump threshold


def test_reference_date_staleness(repo):
    commits = _commits(repo)
    fresh = history.summarise(commits, date(2024, 8, 27))  # 179 days after 2024-03-01
    stale = history.summarise(commits, date(2024, 8, 28))  # 180 days
    assert fresh.days_since_last_commit == 179 and fresh.stale is False
    assert stale.days_since_last_commit == 180 and stale.stale is True


def test_commits_after_reference_ignored(repo):
    h = history.summarise(_commits(repo), date(2024, 1, 20))
    assert h.n_commits == 3 and h.days_since_last_commit == 5 and h.release_dump is True


def test_bot_detection():
    assert history.is_bot("dependabot[bot]", "x@users.noreply.github.com")
    assert history.is_bot("Renovate Bot", "bot@renovateapp.com")
    assert history.is_bot("GitHub", "noreply@github.com")
    assert not history.is_bot("Abbott Smith", "abbott@uni.edu")
    assert not history.is_bot("Ada", "1234+ada@users.noreply.github.com")

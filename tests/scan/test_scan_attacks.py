"""Hostile repositories of issue 15: symlinked temp folder, dying and slow workers, bad mirrors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pandas as pd
import psutil
import pytest

from benchmeta.scan import RepoSpec, Settings, scan_many
from benchmeta.scan.mirrors import discover_mirrors, mirror_path
from scan_gitrepos import commit, git, init, mirror

pytestmark = pytest.mark.xdist_group("scan_attacks")
REF = date(2024, 6, 1)
GOOD = '"""Fine."""\n\n\ndef add(a, b):\n    """Add."""\n    return a + b\n'


def diamond(n: int) -> str:
    """``n`` classes, each inheriting from the two before: pylint time grows exponentially."""
    out = ['"""Diamonds."""\n', "class C0:\n    pass\n", "class C1(C0):\n    pass\n"]
    out += [f"class C{i}(C{i - 1}, C{i - 2}):\n    pass\n" for i in range(2, n)]
    return "\n".join(out)


def _repo(base: Path, mirrors: Path, repo: str, files: dict) -> Path:
    work = init(base / repo.replace("/", "_"))
    commit(work, files, when="2024-01-02T10:00:00+00:00")
    return mirror(work, mirrors, repo)


def test_gi_canary_with_symlinked_tmpdir(tmp_path):
    """astroid's gi brain imports ``gi`` for real; behind a symlinked TMPDIR the guard used to
    compare unresolved paths and let the repository's own gi.py run."""
    canary = tmp_path / "canary"
    mirrors = tmp_path / "mirrors"
    _repo(
        tmp_path,
        mirrors,
        "evil/gi",
        {
            "app.py": 'import gi\ngi.require_version("Gtk", "3.0")\n'
            "from gi.repository import Gtk\n",
            "gi.py": f"import pathlib\npathlib.Path({str(canary)!r}).write_text('ran')\n"
            "def require_version(*a):\n    pass\n",
        },
    )
    real = tmp_path / "real_tmp"
    real.mkdir()
    link = tmp_path / "link_tmp"
    link.symlink_to(real)
    env = {**os.environ, "TMPDIR": str(link)}
    out = tmp_path / "x.csv"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmeta",
            "scan",
            "--mirrors",
            str(mirrors),
            "--repos",
            "evil/gi",
            "--out",
            str(out),
            "--reference-date",
            "2024-06-01",
            "--no-progress",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not canary.exists()
    row = pd.read_csv(out).iloc[0]
    assert row["pylint_runs"] >= 1 and row["py_files"] == 2


def _item_processes() -> list[psutil.Process]:
    """The scan's per-repository processes (children of this process's forkserver)."""
    out = []
    for server in psutil.Process().children():
        try:
            if "multiprocessing.forkserver" in " ".join(server.cmdline()):
                out += server.children()
        except psutil.Error:
            continue
    return out


def test_killed_worker_is_that_repositorys_failure(tmp_path):
    """A repository's process killed mid-scan (as by the OOM killer): recorded, others done."""
    mirrors = tmp_path / "mirrors"
    for name in ("a", "b"):
        _repo(tmp_path, mirrors, f"o/{name}", {"m.py": GOOD})
    _repo(tmp_path, mirrors, "o/slow", {"slow.py": diamond(40), "m.py": GOOD})
    specs = [RepoSpec(r, git_dir=str(mirror_path(mirrors, r))) for r in ("o/a", "o/b", "o/slow")]
    killed: list[int] = []
    below: list[psutil.Process] = []

    def killer() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            procs = _item_processes()
            # all three start at once; the slow one is left running
            if len(procs) == 1 and time.monotonic() > start + 2:
                below.extend(procs[0].children(recursive=True))
                os.kill(procs[0].pid, signal.SIGKILL)
                killed.append(procs[0].pid)
            time.sleep(0.2)

    start = time.monotonic()
    t = threading.Thread(target=killer)
    t.start()
    res = scan_many(
        specs, reference_date=REF, workers=3, progress=False, settings=Settings(budget_seconds=60)
    )
    t.join()
    assert killed and below  # the slow repository's pylint run was under way
    gone, alive = psutil.wait_procs(below, timeout=3)  # and it exits with its parent
    assert not alive
    assert sorted(res.repos["repo"]) == ["o/a", "o/b"]
    fail = res.failures.set_index("repo").loc["o/slow"]
    assert fail["reason"] == "died" and "SIGKILL" in fail["error"]


def test_slow_repository_cut_by_its_budget(tmp_path):
    """A file that makes pylint run for hours is cut by the repository's budget and recorded;
    the rest of the repository is measured and linted."""
    mirrors = tmp_path / "mirrors"
    _repo(tmp_path, mirrors, "o/slow", {"slow.py": diamond(40), "ok.py": GOOD})
    t0 = time.monotonic()
    res = scan_many(
        [RepoSpec("o/slow", git_dir=str(mirror_path(mirrors, "o/slow")))],
        reference_date=REF,
        progress=False,
        settings=Settings(budget_seconds=8),
    )
    assert time.monotonic() - t0 < 30
    row = res.repos.iloc[0]
    assert row["pylint_files_timed_out"] + row["n_pylint_budget"] >= 1
    assert "pylint_" in row["cuts"]
    files = res.files.set_index("path")
    assert files.loc["slow.py", "problem"] in ("pylint_timeout", "pylint_budget")
    assert files.loc["ok.py", "problem"] == "" and files.loc["ok.py", "pylint_error"] == 0


def _bare(path: Path) -> Path:
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True, capture_output=True)
    return path


def test_broken_mirrors_say_what_is_wrong(tmp_path):
    mirrors = tmp_path / "mirrors"
    _bare(mirrors / "o+empty" / "repo")
    gd = _repo(tmp_path, mirrors, "o/garbage", {"m.py": GOOD})
    branch = git(gd, "symbolic-ref", "HEAD").strip()
    (gd / branch).parent.mkdir(parents=True, exist_ok=True)
    (gd / branch).write_text("this is not a sha\n")
    (gd / "packed-refs").unlink(missing_ok=True)
    gd2 = _repo(tmp_path, mirrors, "o/lost", {"m.py": GOOD})
    (gd2 / "HEAD").write_text("0123456789abcdef0123456789abcdef01234567\n")
    gd3 = _repo(tmp_path, mirrors, "o/borrow", {"m.py": GOOD})
    (gd3 / "objects" / "info").mkdir(parents=True, exist_ok=True)
    (gd3 / "objects" / "info" / "alternates").write_text(str(gd2 / "objects") + "\n")
    specs = [
        RepoSpec(r, git_dir=str(mirror_path(mirrors, r)))
        for r in ("o/empty", "o/garbage", "o/lost", "o/borrow")
    ]
    res = scan_many(specs, reference_date=REF, progress=False, workers=2)
    assert res.repos.empty
    fails = res.failures.set_index("repo")
    assert (fails["reason"] == "mirror").all(), fails
    assert "empty repository" in fails.loc["o/empty", "error"]
    assert "not a commit id" in fails.loc["o/garbage", "error"]
    assert "missing from the mirror" in fails.loc["o/lost", "error"]
    assert "alternates" in fails.loc["o/borrow", "error"]
    assert not fails["error"].str.contains("fatal:|Needed a single", regex=True).any()
    assert not fails["error"].str.contains(str(tmp_path), regex=False).any()


def test_case_variant_folders_do_not_recurse(tmp_path):
    mirrors = tmp_path / "mirrors"
    (mirrors / "Owner+Name").mkdir(parents=True)
    (mirrors / "owner+name").mkdir()
    _repo(tmp_path, mirrors, "o/ok", {"m.py": GOOD})
    assert mirror_path(mirrors, "owner/name") is None
    assert mirror_path(mirrors, "OWNER/NAME") is None
    assert discover_mirrors(mirrors) == ["o/ok"]
    _repo(tmp_path, mirrors, "Real/Repo", {"m.py": GOOD})
    assert mirror_path(mirrors, "real/repo") == mirrors / "Real+Repo" / "repo"

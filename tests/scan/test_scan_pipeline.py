"""scan_many, the cache, the command line and partial snapshots, on real git mirrors."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pandas as pd
import pytest

from benchmeta.scan import RepoSpec, scan_many
from benchmeta.scan.cli import main as cli_main
from scan_gitrepos import commit, drop_blob, init, mirror

pytestmark = pytest.mark.xdist_group("scan_pipeline")

OWN = (
    '"""Own code."""\n\n\ndef score(items):\n    """Mean."""\n    return sum(items) / len(items)\n'
)
VENDORED = "def helper(x):\n    if x:\n        return 1\n    return 0\n" * 50


@pytest.fixture(scope="module")
def mirrors(tmp_path_factory):
    base = tmp_path_factory.mktemp("pipe")
    root = base / "mirrors"
    a = init(base / "a")
    commit(
        a,
        {
            "README.md": "# A\npip install -r requirements.txt\n",
            "bench/score.py": OWN,
            "requirements.txt": "numpy==1.0\n",
            "third_party/lib/helper.py": VENDORED,
            "transformers-4.28.1/src/transformers/x.py": VENDORED,
        },
        when="2024-01-01T00:00:00+00:00",
    )
    commit(a, {"bench/more.py": OWN}, when="2024-02-01T00:00:00+00:00")
    mirror(a, root, "o/a")
    b = init(base / "b")
    commit(
        b,
        {"README.md": "# B\n", "LICENSE": "MIT License", "main.py": OWN},
        when="2023-05-01T00:00:00+00:00",
    )
    gd = mirror(b, root, "o/b")
    drop_blob(gd, b, "README.md")  # a partial snapshot
    return root


def test_cache_hit_is_fast_and_identical(mirrors, tmp_path):
    specs = [
        RepoSpec("o/a", git_dir=str(mirrors / "o+a" / "repo")),
        RepoSpec("o/b", git_dir=str(mirrors / "o+b" / "repo")),
    ]
    t0 = time.perf_counter()
    cache = tmp_path / "cache"
    cold = scan_many(specs, reference_date=date(2024, 6, 1), cache_dir=cache, progress=False)
    t_cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    warm = scan_many(
        specs,
        ThreadPoolExecutor(2),
        reference_date=date(2024, 6, 1),
        cache_dir=cache,
        progress=False,
    )
    t_warm = time.perf_counter() - t0
    assert cold.failures.empty and warm.failures.empty
    pd.testing.assert_frame_equal(cold.repos, warm.repos)
    pd.testing.assert_frame_equal(cold.files, warm.files)
    assert t_warm < t_cold / 3, (t_cold, t_warm)
    # history is recomputed for a new reference date, measurements come from the cache
    later = scan_many(
        specs,
        ThreadPoolExecutor(1),
        reference_date=date(2025, 6, 1),
        cache_dir=cache,
        progress=False,
    )
    assert (later.repos["days_since_last_commit"] > cold.repos["days_since_last_commit"]).all()
    assert (later.repos["scanned_at"] == cold.repos["scanned_at"]).all()


def test_vendored_excluded_and_partial_snapshot(mirrors):
    res = scan_many(
        [
            RepoSpec("o/a", git_dir=str(mirrors / "o+a" / "repo")),
            RepoSpec("o/b", git_dir=str(mirrors / "o+b" / "repo")),
        ],
        ThreadPoolExecutor(2),
        reference_date=date(2024, 6, 1),
        progress=False,
    )
    a, b = (res.repos.set_index("repo").loc[r] for r in ("o/a", "o/b"))
    assert a["py_files"] == 4 and a["py_files_own"] == 2 and a["vendored_files"] == 2
    assert a["loc_vendored"] == 400 and a["loc"] == 12 and a["loc_all"] == 412
    assert a["vendored_dirs"] == "third_party;transformers-4.28.1"
    assert a["cc_max"] == 1  # the vendored helper (cc 2) is not in the own-code figures
    files = res.files.set_index(["repo", "path"])
    assert pd.isna(files.loc[("o/a", "third_party/lib/helper.py"), "pylint_error"])
    assert (
        files.loc[("o/a", "third_party/lib/helper.py"), "vendored_evidence"]
        == "vendor_dir:third_party=vendored"
    )
    assert files.loc[("o/a", "bench/score.py"), "vendored_evidence"] == ""
    assert b["ready_readme"] == "unknown" and b["ready_install_instructions"] == "unknown"
    assert b["ready_licence"] == "yes" and b["ready_licence_spdx"] == "unknown"
    assert files.loc[("o/b", "README.md"), "problem"] == "missing_blob"


def test_cli_mirrors_and_clone(mirrors, tmp_path, capsys):
    out = tmp_path / "out" / "repos.csv"
    rc = cli_main(
        [
            "--mirrors",
            str(mirrors),
            "--out",
            str(out),
            "--reference-date",
            "2024-06-01",
            "--no-progress",
            "--workers",
            "2",
        ]
    )
    assert rc == 0
    repos = pd.read_csv(out)
    assert list(repos["repo"]) == ["o/a", "o/b"]
    for col in (
        "commit_sha",
        "scanned_at",
        "python_version",
        "pylint_version",
        "astroid_version",
        "radon_version",
        "pylint_score",
        "cc_mean",
        "mi_median",
    ):
        assert col in repos.columns
    files = pd.read_csv(tmp_path / "out" / "repos_files.csv")
    assert {"repo", "commit_sha", "path", "problem"} <= set(files.columns)
    for f in (out, tmp_path / "out" / "repos_files.csv"):
        assert str(tmp_path) not in f.read_text() and str(mirrors) not in f.read_text()
    # online mode, with a local file:// URL standing in for GitHub
    out2 = tmp_path / "clone.csv"
    template = f"file://{mirrors}/{{owner}}+{{name}}/repo"
    rc = cli_main(
        [
            "--clone-url-template",
            template,
            "--repos",
            "o/a",
            "--out",
            str(out2),
            "--reference-date",
            "2024-06-01",
            "--no-progress",
        ]
    )
    assert rc == 0
    cloned = pd.read_csv(out2)
    assert cloned.loc[0, "commit_sha"] == repos.loc[0, "commit_sha"]
    assert cloned.loc[0, "pylint_score"] == repos.loc[0, "pylint_score"]


def test_cli_missing_mirror_recorded(mirrors, tmp_path):
    out = tmp_path / "r.csv"
    rc = cli_main(
        [
            "--mirrors",
            str(mirrors),
            "--repos",
            "o/a",
            "no/such",
            "--out",
            str(out),
            "--reference-date",
            "2024-06-01",
            "--no-progress",
        ]
    )
    assert rc == 0
    fails = pd.read_csv(tmp_path / "r_failures.csv")
    assert list(fails["repo"]) == ["no/such"]


def test_failure_recorded_without_paths(tmp_path):
    empty = tmp_path / "mirrors" / "o+empty" / "repo"
    empty.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "--bare", str(empty)], check=True, capture_output=True)
    res = scan_many(
        [RepoSpec("o/empty", git_dir=str(empty))],
        ThreadPoolExecutor(1),
        reference_date=date(2024, 6, 1),
        progress=False,
    )
    assert res.repos.empty and list(res.failures["repo"]) == ["o/empty"]
    assert str(tmp_path) not in res.failures.loc[0, "error"]
    assert "/tmp" not in res.failures.loc[0, "error"]


def test_dask_cluster_gives_the_local_output(mirrors):
    """The same corpus on a dask cluster: byte-identical CSVs (the measurement time aside)."""
    distributed = pytest.importorskip("distributed")
    specs = [
        RepoSpec("o/a", git_dir=str(mirrors / "o+a" / "repo")),
        RepoSpec("o/b", git_dir=str(mirrors / "o+b" / "repo")),
        RepoSpec("o/none", git_dir=str(mirrors / "o+a")),
    ]  # not a git directory
    local = scan_many(specs, reference_date=date(2024, 6, 1), progress=False)
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=":0",
    ) as cluster:
        remote = scan_many(
            specs,
            "dask",
            address=cluster.scheduler_address,
            reference_date=date(2024, 6, 1),
            progress=False,
        )

    def csv(df):
        return df.drop(columns=["scanned_at"], errors="ignore").to_csv(
            index=False, lineterminator="\n"
        )

    assert len(local.repos) == 2 and list(local.failures["repo"]) == ["o/none"]
    for a, b in (
        (local.repos, remote.repos),
        (local.files, remote.files),
        (local.failures, remote.failures),
    ):
        assert csv(a) == csv(b)

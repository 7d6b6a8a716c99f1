"""Declared dependencies, their sanitising, and resolution against a local loopback index."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from benchmeta.collect import installability as inst
from benchmeta.collect import installability_rows as rows
from benchmeta.scan import dependencies as deps
from benchmeta.scan import requirements, resolve
from benchmeta.scan import sdist as sd
from pyindex import LocalIndex, sdist, wheel
from scan_gitrepos import commit, init, mirror

OLD, NEW, LATER = "2023-01-10T00:00:00Z", "2025-06-01T00:00:00Z", "2026-01-01T00:00:00Z"


@pytest.fixture
def index(httpserver, tmp_path):
    """a 1.0 -> b>=1; b 1.0 (old) and 2.0 (new); c only as sdist (-> b); d cp310-only;
    e -> b>=2; f sdist with egg-info requires.txt; g sdist whose metadata is dynamic."""
    li = LocalIndex()
    li.add("a", "1.0", wheel("a", "1.0", ["b>=1"]), OLD)
    li.add("b", "1.0", wheel("b", "1.0"), OLD)
    li.add("b", "2.0", wheel("b", "2.0"), NEW)
    li.add("c", "1.0", sdist("c", "1.0", ["b"]), OLD)
    li.add("d", "1.0", wheel("d", "1.0", tag="cp310-cp310-manylinux_2_17_x86_64"), OLD)
    li.add("e", "1.0", wheel("e", "1.0", ["b>=2"]), NEW)
    li.add("f", "1.0", sdist("f", "1.0", metadata="1.1", egg_requires="a\n[dev]\nzz-dev\n"), OLD)
    li.add("g", "1.0", sdist("g", "1.0", metadata="2.1"), OLD)
    li.serve(httpserver)
    base = httpserver.url_for("")
    return resolve.Index(
        url=f"{base}simple",
        json_api=f"{base}pypi",
        cache_dir=str(tmp_path / "uvcache"),
        timeout=120,
    )


def _fetch(index, tmp_path):
    return rows.sdist_fetcher(index, str(tmp_path / "http"))


@pytest.mark.parametrize(
    "reqs,python,cutoff,outcome",
    [
        (["a==1.0"], "3.10", LATER, "resolves"),
        (["a==9.0"], "3.10", LATER, "version_absent"),
        (["no-such-package-zz"], "3.10", LATER, "package_not_found"),
        (["b>=2"], "3.10", OLD, "version_absent"),  # b 2.0 uploaded after the cut-off
        (["b>=2"], "3.10", LATER, "resolves"),
        (["d"], "3.13", LATER, "no_wheel_for_python"),
        (["d"], "3.10", LATER, "resolves"),
        (["e", "b<2"], "3.10", LATER, "conflict"),
        (["c"], "3.10", LATER, "resolves_with_sdists"),
        (["f"], "3.10", LATER, "resolves_with_sdists"),
        (["g"], "3.10", LATER, "sdist_metadata_unavailable"),
    ],
)
def test_outcomes(index, tmp_path, reqs, python, cutoff, outcome):
    res = resolve.resolve(reqs, python, cutoff, index, _fetch(index, tmp_path))
    assert res.outcome == outcome, res.message
    if outcome == "resolves":
        assert res.closure and not res.message
    elif outcome != "resolves_with_sdists":
        assert res.message.startswith("error:") and not res.closure
        assert "/tmp" not in res.message


def test_sdist_requirements_join_the_closure(index, tmp_path):
    res = resolve.resolve(["c"], "3.10", LATER, index, _fetch(index, tmp_path))
    assert res.sdists == ["c==1.0"] and "b==2.0" in res.closure and "c==1.0" in res.closure
    old = resolve.resolve(["f"], "3.10", LATER, index, _fetch(index, tmp_path))
    assert old.sdists == ["f==1.0"] and {"a==1.0", "b==2.0"} <= set(old.closure)
    assert not any(c.startswith("zz-dev") for c in old.closure)  # extras are skipped


def test_blamed_packages(index, tmp_path):
    res = resolve.resolve(["e", "b<2"], "3.10", LATER, index)
    assert {"b", "e"} <= set(res.blamed)


def test_sdist_metadata_in_memory():
    name, data = sdist("x", "1.0", ["numpy>=1", "rich ; python_version < '3.9'"])
    assert sd.sdist_metadata(data, name) == ["numpy>=1", "rich ; python_version < '3.9'"]
    name, data = sdist(
        "x",
        "1.0",
        metadata="1.2",
        egg_requires="numpy\n[:sys_platform=='win32']\npywin32\n[gpu]\ncupy\n",
    )
    assert sd.sdist_metadata(data, name) == ["numpy", "pywin32 ; sys_platform=='win32'"]
    assert sd.sdist_metadata(b"not an archive", "x.tar.gz") is None
    name, data = sdist("x", "1.0", metadata="1.2", egg_requires="six\n", egg_prefix="src/")
    assert sd.sdist_metadata(data, name) == ["six"]
    static = "[project]\nname='x'\ndependencies=['numpy>=1.20']\n"
    name, data = sdist("x", "1.0", metadata="2.1", pyproject=static)
    assert sd.sdist_metadata(data, name) == ["numpy>=1.20"]
    none = "[project]\nname='x'\ndynamic=['version']\n"  # absent and not dynamic: none
    assert sd.sdist_metadata(sdist("x", "1", metadata="2.1", pyproject=none)[1], "x.tar.gz") == []
    dyn = "[project]\nname='x'\ndynamic=['dependencies']\n"
    assert sd.sdist_metadata(sdist("x", "1", metadata="2.1", pyproject=dyn)[1], "x.tar.gz") is None
    assert sd.sdist_metadata(sdist("x", "1", metadata="2.1")[1], "x.tar.gz") is None


def _hostile_repo(tmp_path, evil_url):
    work = init(tmp_path / "w")
    commit(
        work,
        {
            "requirements.txt": (
                f"--index-url {evil_url}/simple\n"
                f"--extra-index-url {evil_url}/simple\n"
                f"-f {evil_url}/links\n--trusted-host evil.example\n"
                "-r ../../etc/passwd\n-r /etc/passwd\n-c ../outside.txt\n"
                "-r sub/inner.txt\n-e .\n./local_pkg\n"
                "git+https://github.com/evil/pkg.git#egg=pkg\n"
                f"pkg @ {evil_url}/files/pkg.whl\n"
                f"{evil_url}/files/direct.whl\n"
                "a==1.0 --hash=sha256:0000\n"
                "acme-internal-utils-zz\n"
            ),
            "sub/inner.txt": "b\n-r ../requirements.txt\n",
            "pyproject.toml": f"[tool.uv]\nindex-url = '{evil_url}/simple'\n"
            "[project]\nname='x'\nrequires-python='>=3.9'\ndependencies=['b<2']\n",
            "uv.toml": f"index-url = '{evil_url}/simple'\n",
            "pip.conf": f"[global]\nindex-url = {evil_url}/simple\n",
        },
        when="2024-01-01T00:00:00+00:00",
    )
    return mirror(work, tmp_path / "m", "evil/repo")


def test_hostile_requirements_never_reach_the_resolver(index, tmp_path, monkeypatch):
    from pytest_httpserver import HTTPServer

    evil = HTTPServer(host="127.0.0.1", port=0)
    evil.start()
    try:
        evil.expect_request(re.compile(".*")).respond_with_data("owned", status=200)
        gd = _hostile_repo(tmp_path, evil.url_for("").rstrip("/"))
        sha, d = deps.load(str(gd))
        flags = ";".join(d.flags)
        for kind in (
            "option:--index-url",
            "option:--extra-index-url",
            "option:-f",
            "option:--trusted-host",
            "editable:",
            "local_path:",
            "url_requirement:",
            "requirement_option:",
            "include_cycle:",
        ):
            assert kind in flags, kind
        assert flags.count("include_outside_repo:") == 3
        assert d.requirements == ["a==1.0", "acme-internal-utils-zz", "b", "b<2"]
        assert set(d.url_names) == {"pkg"}  # named URL/VCS requirements: recorded, not resolved
        assert d.target_python == "3.10" and d.python_source == "pyproject.toml"
        # the machine's configuration must not apply either
        home = tmp_path / "home"
        (home / ".config" / "uv").mkdir(parents=True)
        (home / ".config" / "uv" / "uv.toml").write_text(f"index-url = '{evil.url_for('')}'\n")
        for var in (
            "UV_INDEX_URL",
            "UV_EXTRA_INDEX_URL",
            "PIP_INDEX_URL",
            "PIP_EXTRA_INDEX_URL",
            "UV_FIND_LINKS",
            "PIP_FIND_LINKS",
        ):
            monkeypatch.setenv(var, evil.url_for("/simple"))
        monkeypatch.setenv("HOME", str(home))
        monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
        res = resolve.resolve(d.requirements, "3.10", LATER, index)
        # the dependency-confusion name is looked up on the one index we chose, and only there
        assert res.outcome == "package_not_found"
        assert "acme-internal-utils-zz" in res.blamed
        assert evil.log == []
    finally:
        evil.clear()
        evil.stop()


def test_huge_requirements_file_is_not_read(tmp_path):
    work = init(tmp_path / "w")
    line = b"numpy==1.0\n"
    commit(
        work,
        {"requirements.txt": line * (50_000_000 // len(line) + 1)},
        when="2024-01-01T00:00:00+00:00",
    )
    gd = mirror(work, tmp_path / "m", "big/repo")
    _, d = deps.load(str(gd))
    assert d.requirements == [] and d.flags == ["too_large:requirements.txt"]


def test_declared_sources(tmp_path):
    work = init(tmp_path / "w")
    commit(
        work,
        {
            "setup.py": "REQ = ['torch>=2', 'numpy']\nimport os\n"
            "setup(name='x', install_requires=REQ, python_requires='>=3.8,<3.10')\n",
            "setup.cfg": "[options]\ninstall_requires =\n    scipy>=1\n",
            "Pipfile": "[packages]\nrequests = '*'\nflask = {version='==2.0'}\n"
            "[requires]\npython_version = '3.9'\n",
            "environment.yml": "dependencies:\n  - python=3.8\n  - pytorch::pytorch=2.0\n"
            "  - pip:\n    - rich==13.0\n    - git+https://x/y.git\n",
            "binder/requirements.txt": "pandas\n",
            "requirements-dev.txt": "pytest\n",
            "nested/requirements.txt": "ignored\n",
            "pyproject.toml": "[tool.poetry.dependencies]\npython='^3.8'\nhttpx='^0.24'\n"
            "tqdm='~4.6'\nlocal={path='../x'}\n",
        },
        when="2024-01-01T00:00:00+00:00",
    )
    _, d = deps.load(str(mirror(work, tmp_path / "m", "o/r")))
    assert "nested/requirements.txt" not in d.files and "requirements-dev.txt" in d.files
    assert d.requirements == [
        "httpx<0.25,>=0.24",
        "numpy",
        "pandas",
        "scipy>=1",
        "torch>=2",
        "tqdm<4.7,>=4.6",
    ]
    assert d.route == "pip" and d.conda == ["pytorch::pytorch=2.0"]
    assert "url_requirement:pyproject.toml:tool.poetry.dependencies.local" in d.flags
    assert d.python_source == "pyproject.toml" and d.target_python == "3.10"
    only_conda = deps.declared(
        ["environment.yml"],
        {"environment.yml": (b"dependencies:\n  - python=3.8\n  - pip:\n    - rich==13.0\n")},
    )
    assert only_conda.requirements == ["rich==13.0"] and only_conda.target_python == "3.8"
    assert only_conda.route == "conda_pip"


def test_conda_export_saved_as_requirements():
    text = (
        b"# platform: linux-64\n_libgcc_mutex=0.1=main\npython=3.9.18=h955ad1f_0\n"
        b"accelerate=0.23.0=pypi_0\nnumpy=1.26.0=py39h5f9d8c6_0\n"
    )
    d = deps.declared(["requirements.txt"], {"requirements.txt": text})
    assert d.requirements == ["accelerate==0.23.0"] and d.target_python == "3.9"
    assert "conda_export:requirements.txt" in d.flags and len(d.conda) == 2


@pytest.mark.parametrize(
    "spec,target",
    [
        ("", None),
        (">=3.6", "3.10"),
        ("==3.8.*", "3.8"),
        (">=3.11", "3.11"),
        ("<3.8", "3.7"),
        ("==3.11.3", "3.11"),
        ("==2.7", None),
        ("junk", None),
        (">=3.12,<3.13", "3.12"),
    ],
)
def test_target_python(spec, target):
    assert requirements.target_python(spec) == target


def test_collector_rows_checkpoints_and_cache(index, httpserver, tmp_path):
    work = init(tmp_path / "w")
    commit(work, {"requirements.txt": "b>=2\n"}, when="2024-01-01T00:00:00+00:00")
    gd = mirror(work, tmp_path / "m", "o/r")
    empty = init(tmp_path / "w2")
    commit(empty, {"main.py": "import b\n"}, when="2024-01-01T00:00:00+00:00")
    gd2 = mirror(empty, tmp_path / "m", "o/empty")
    targets = [("o/r", str(gd), "HEAD"), ("o/empty", str(gd2), "HEAD")]
    cache = str(tmp_path / "cache")
    day = dt.date(2025, 7, 1)
    run = dict(executor="local", workers=2, progress=False, every_days=180)
    df, fails, timing = inst.collect_many(targets, day, index, cache, **run)
    # 2 x 2 rows per repository, plus 3 checkpoints (target Python) each
    assert fails.empty and len(df) == 14 and timing["fresh"] == 7
    r = df[df["repo"] == "o/r"].set_index(["index_role", "python"])["outcome"]
    assert r[("commit", "3.10")] == "version_absent" and r[("collection", "3.10")] == "resolves"
    assert r[("collection", "3.13")] == "resolves"
    assert r[("commit+360d", "3.10")] == "version_absent"  # b 2.0 appeared 2025-06-01
    assert r[("commit+540d", "3.10")] == "resolves"
    assert set(df[df["repo"] == "o/empty"]["outcome"]) == {"no_declared_dependencies"}
    assert {"2024-01-01T00:00:00Z", "2025-07-01T00:00:00Z"} <= set(df["exclude_newer"])
    assert df["resolver_version"].str.match(r"^\d+\.\d+\.\d+$").all()
    # a rerun on unchanged inputs makes no resolver call: the index now answers nothing
    httpserver.clear()
    again, _, timing2 = inst.collect_many(targets, day, index, cache, **run)
    assert timing2["fresh"] == 0 and timing2["cached"] == 7 and httpserver.log == []
    pd.testing.assert_frame_equal(again, df)


def test_dask_cluster_gives_the_local_output(index, tmp_path):
    """The same repositories on a dask cluster: byte-identical rows (timings aside)."""
    distributed = pytest.importorskip("distributed")
    work = init(tmp_path / "w")
    commit(work, {"requirements.txt": "a==1.0\nc\n"}, when="2024-01-01T00:00:00+00:00")
    targets = [
        ("o/r", str(mirror(work, tmp_path / "m", "o/r")), "HEAD"),
        ("o/missing", str(tmp_path / "nowhere"), "HEAD"),
    ]
    day = dt.date(2025, 7, 1)
    local, lf, _ = inst.collect_many(targets, day, index, None, progress=False)
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        remote, rf, _ = inst.collect_many(
            targets,
            day,
            index,
            None,
            executor="dask",
            address=cluster.scheduler_address,
            progress=False,
        )

    def csv(df):
        return df.drop(columns=["resolve_seconds"]).to_csv(index=False, lineterminator="\n")

    assert set(local["outcome"]) == {"resolves_with_sdists"} and list(lf["repo"]) == ["o/missing"]
    assert csv(local) == csv(remote) and lf.to_csv() == rf.to_csv()


def test_no_code_from_a_repository_or_an_sdist_runs(httpserver, tmp_path):
    """Canaries: a repository's setup.py and an sdist's setup.py (whose metadata is dynamic, so
    only a build could tell its requirements) would each write a file if anything ran them."""
    canary = tmp_path / "canary"
    canary.mkdir()
    run = "import pathlib; pathlib.Path({!r}).write_text('ran')\n"
    li = LocalIndex()
    li.add(
        "hh",
        "1.0",
        sdist("hh", "1.0", metadata="2.1", setup_py=run.format(str(canary / "sdist"))),
        OLD,
    )
    li.serve(httpserver)
    base = httpserver.url_for("")
    idx = resolve.Index(
        url=f"{base}simple", json_api=f"{base}pypi", cache_dir=str(tmp_path / "uv"), timeout=120
    )
    work = init(tmp_path / "w")
    commit(
        work,
        {
            "setup.py": run.format(str(canary / "repo"))
            + "from setuptools import setup\nsetup(name='x', install_requires=['hh'])\n"
        },
        when="2024-01-01T00:00:00+00:00",
    )
    gd = mirror(work, tmp_path / "m", "o/r")
    df, fails, _ = inst.collect_many(
        [("o/r", str(gd), "HEAD")],
        dt.date(2025, 7, 1),
        idx,
        str(tmp_path / "cache"),
        progress=False,
    )
    assert fails.empty and set(df["outcome"]) == {"sdist_metadata_unavailable"}
    assert set(df["requirements"]) == {"hh"}
    assert list(canary.iterdir()) == []

"""Hostile repositories of issue 16: caps, odd names, one bad file, faked scores, vendoring."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from benchmeta.scan import RepoSpec, Settings, lint, pylint_process, scan_many, vendored
from benchmeta.scan.cli import main as cli_main
from benchmeta.scan.headtree import Limits
from benchmeta.scan.names import decode_path, encode_path
from scan_gitrepos import blob, commit, commit_tree, init, mirror, notebook, tree_of

pytestmark = pytest.mark.xdist_group("scan_budget")
REF = date(2024, 6, 1)
GOOD = '"""Fine."""\n\n\ndef add(a, b):\n    """Add."""\n    return a + b\n'
BAD = "import os\nimport sys\ndef f(x):\n  y=1\n  return x\n"


def _scan(gd: Path, repo: str, **settings) -> tuple[pd.Series, pd.DataFrame]:
    res = scan_many(
        [RepoSpec(repo, git_dir=str(gd))],
        reference_date=REF,
        progress=False,
        settings=Settings(**settings),
    )
    assert res.failures.empty, res.failures.to_dict("records")
    return res.repos.iloc[0], res.files.set_index("path")


def _tree_repo(tmp_path: Path, repo: str, files: dict[bytes, bytes]) -> Path:
    """A mirror whose HEAD tree holds ``files`` under raw byte names (nested by b"/")."""
    work = init(tmp_path / repo.replace("/", "_"))
    shas = {data: blob(work, data) for data in set(files.values())}

    def build(entries: dict[bytes, bytes]) -> str:
        here, sub = {}, {}
        for name, data in entries.items():
            head, _, rest = name.partition(b"/")
            if rest:
                sub.setdefault(head, {})[rest] = data
            else:
                here[head] = ("100644", shas[data])
        here |= {d: ("040000", build(e)) for d, e in sub.items()}
        return tree_of(work, here)

    commit_tree(work, build(files))
    return mirror(work, tmp_path / "mirrors", repo)


def test_tree_bomb_cut_while_walking(tmp_path):
    """A million paths in a few hundred kilobytes: the walk stops at the entry cap."""
    work = init(tmp_path / "bomb")
    t = tree_of(work, {f"f{i}.py".encode(): ("100644", blob(work, b"x = 1\n")) for i in range(10)})
    for _ in range(5):
        t = tree_of(work, {f"d{i}".encode(): ("040000", t) for i in range(10)})
    commit_tree(work, t)
    gd = mirror(work, tmp_path / "mirrors", "o/bomb")
    t0 = time.monotonic()
    row, files = _scan(gd, "o/bomb", limits=Limits(max_tree_entries=20_000, max_files=2_000))
    assert time.monotonic() - t0 < 30
    assert row["tree_files"] == 20_000
    assert "tree_entry_cap=20000" in row["cuts"] and "file_count_cap=18000" in row["cuts"]
    assert row["n_file_count_cap"] == 18_000  # counted in full, listed up to a limit
    assert (files["problem"] == "file_count_cap").sum() == 1000
    assert "duplicate_blob_not_linted=1990" in row["cuts"]  # one blob, linted ten times


def test_duplicate_blob_measured_once(tmp_path):
    big = (
        "".join(
            f"def f{i}(x):\n    if x > {i}:\n        return {i}\n    return x\n\n\n"
            for i in range(150)
        )
    ).encode()  # about 8 KB
    gd = _tree_repo(tmp_path, "o/dup", {f"copy{i:03d}.py".encode(): big for i in range(300)})
    t0 = time.monotonic()
    row, files = _scan(gd, "o/dup", lint_copies=2)
    assert time.monotonic() - t0 < 30
    assert row["py_files"] == 300 and row["duplicate_files"] == 299
    assert "duplicate_blob_not_linted=298" in row["cuts"]
    assert (files["lint_skipped"] == "duplicate_blob").sum() == 298
    assert files.loc["copy299.py", "duplicate_of"] == "copy000.py"
    assert files.loc["copy299.py", "cc_sum"] == files.loc["copy000.py", "cc_sum"] > 150
    assert row["loc"] == 300 * files.loc["copy000.py", "loc"]


def test_odd_file_names_survive_the_csv(tmp_path):
    names = [
        b"caf\xe9.py",
        b"dir\rname/x.py",
        b"new\nline.py",
        b"a" * 300 + b".py",
        b"Clash.py",
        b"clash.py",
        b"hex:looks_encoded.py",
        b"ok.py",
    ]
    gd = _tree_repo(tmp_path, "o/names", {n: GOOD.encode() for n in names})
    out = tmp_path / "out" / "r.csv"
    rc = cli_main(
        [
            "--mirrors",
            str(gd.parent.parent),
            "--repos",
            "o/names",
            "--out",
            str(out),
            "--reference-date",
            "2024-06-01",
            "--no-progress",
        ]
    )
    assert rc == 0
    repos = pd.read_csv(out)
    files = pd.read_csv(tmp_path / "out" / "r_files.csv", keep_default_na=False)
    assert list(repos["repo"]) == ["o/names"] and len(files) == len(names)
    got = {decode_path(f["path"]): f for f in files.to_dict("records")}
    assert set(got) == set(names)
    assert got[b"a" * 300 + b".py"]["problem"] == "name_too_long"
    assert got[b"clash.py"]["problem"] == "name_clash"
    for n in (b"caf\xe9.py", b"dir\rname/x.py", b"new\nline.py", b"Clash.py", b"ok.py"):
        assert got[n]["problem"] == "" and float(got[n]["pylint_error"]) == 0, n
    assert got[b"a" * 300 + b".py"]["pylint_error"] == ""
    assert encode_path("ok.py") == "ok.py" and encode_path("hex:x").startswith("hex:")


def test_one_bad_file_loses_only_itself(tmp_path):
    chain = "x = 0\nif x == 0:\n    y = 0\n" + "".join(
        f"elif x == {i}:\n    y = {i}\n" for i in range(1, 10_000)
    )
    lfs = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\nsize 9\n"
    work = init(tmp_path / "w")
    commit(
        work,
        {
            "chain.py": chain,
            "lfs_model.py": lfs,
            "ok.py": GOOD,
            "colab.py": "!pip install torch\nimport torch\n%matplotlib inline\n",
            "nb.ipynb": notebook(["%%bash\necho hi", "x = !ls\nprint(x)"]),
        },
        when="2024-01-02T10:00:00+00:00",
    )
    gd = mirror(work, tmp_path / "mirrors", "o/bad")
    row, files = _scan(gd, "o/bad")
    assert files.loc["chain.py", "problem"] in ("parse_memory", "too_deep")
    assert files.loc["lfs_model.py", "problem"] == "lfs_pointer"
    assert files.loc["colab.py", "problem"] == "ipython_magic"
    assert files.loc["nb.ipynb", "problem"] == "" and row["nb_files_measured"] == 1
    assert row["n_syntax_error"] == 0 and row["n_lfs_pointer"] == 1
    assert files.loc["ok.py", "pylint_error"] == 0
    assert all(pd.isna(files.loc[p, "pylint_error"]) for p in ("chain.py", "lfs_model.py"))


def test_long_argument_lists_are_split():
    paths = [f"{'deep/' * 40}pkg{i}/module_{i}.py" for i in range(20_000)]
    groups = lint.chunks(paths, {}, 2)
    assert sorted(p for g in groups for p in g) == sorted(paths)
    assert all(sum(len(p) + 200 for p in g) <= lint.MAX_ARG_BYTES for g in groups)
    assert lint.chunks(paths, {}, 2) == groups  # deterministic


def test_pragmas_counted_and_neutralised(tmp_path):
    work = init(tmp_path / "w")
    commit(
        work,
        {
            "a.py": "# pylint: disable=all\n" + BAD,
            "b.py": "# pylint: skip-file\n" + BAD,
            "c.py": GOOD + "X=1  # pylint: disable=invalid-name\n",
            "d.py": GOOD,
        },
        when="2024-01-02T10:00:00+00:00",
    )
    gd = mirror(work, tmp_path / "mirrors", "o/prag")
    row, files = _scan(gd, "o/prag")
    assert (row["pragma_disable_all"], row["pragma_skip_file"], row["pragma_disable"]) == (1, 1, 1)
    assert row["pragma_files"] == 3
    assert row["pylint_score"] == pytest.approx(10.0)
    assert row["pylint_score_neutralised"] < 8
    assert files.loc["a.py", "pragma_disable_all"] == 1


def test_chunked_runs_equal_one_run_and_no_cyclic_import(tmp_path):
    work = init(tmp_path / "w")
    files = {f"pkg/m{i}.py": f"from pkg import m{(i + 1) % 6}\n" + BAD for i in range(6)}
    commit(work, {"pkg/__init__.py": "", **files}, when="2024-01-02T10:00:00+00:00")
    gd = mirror(work, tmp_path / "mirrors", "o/cyc")
    one, _ = _scan(gd, "o/cyc", pylint_jobs=1)
    two, _ = _scan(gd, "o/cyc", pylint_jobs=2)
    assert two["pylint_mode"] == "chunked" and one["pylint_mode"] == "single"
    for col in ("pylint_score", "pylint_statements", "pylint_top_symbols", "pylint_error"):
        assert one[col] == two[col]
    assert "cyclic-import" not in one["pylint_top_symbols"]
    command = pylint_process.pylint_command(Path("."), [], [])
    assert all("--jobs=1" in a for a in [" ".join(command)])


def test_own_packages_are_never_vendored():
    paths = ["nemoguardrails/__init__.py", "nemoguardrails/rails.py", "tests/test_x.py"]
    got = vendored.evidence(paths, "NVIDIA/NeMo-Guardrails", {})
    assert vendored.decide(got["nemoguardrails/rails.py"]) == ""
    assert got["nemoguardrails/rails.py"] == [
        ("known_package:nemoguardrails", "exempt(own_package)")
    ]
    texts = {
        "pyproject.toml": b'[project]\nname = "chatbench"\n[tool.setuptools]\n'
        b'packages = ["fastchat", "third_party"]\n'
    }
    got = vendored.classify(
        ["fastchat/serve.py", "third_party/x.py", "other/fastchat/a.py"], "someone/chatbench", texts
    )
    assert got["fastchat/serve.py"] == "" and got["third_party/x.py"] == ""
    assert got["other/fastchat/a.py"] == "known_package:other/fastchat"


def test_owner_holder_table_exempts_own_copyright():
    head = {
        "x/model.py": b"# Copyright 2023 Google LLC\n# Licensed under Apache 2.0\n",
        "LICENSE": b"Apache License Version 2.0",
    }
    own = vendored.evidence(["x/model.py"], "google-research/bench", head)["x/model.py"]
    assert own == [("copyright_header:google", "exempt(owner_holder)")]
    other = vendored.classify(["x/model.py"], "someone/bench", head)["x/model.py"]
    assert other == "copyright_header:google"
    meta = {"a.py": b"# Copyright (c) Meta Platforms, Inc. and affiliates.\n"}
    assert vendored.classify(["a.py"], "meta-llama/PurpleLlama", meta)["a.py"] == ""
    header, owner = vendored.holder_table()
    assert owner["google-deepmind"] == owner["google"] == header["deepmind"] == "Google"
    assert owner["nvidia"] == header["nvidia"] == "NVIDIA" and owner["microsoft"] == "Microsoft"

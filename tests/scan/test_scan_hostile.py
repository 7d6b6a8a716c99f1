"""A hostile repository: the scan completes, reports every trap, and nothing from it runs."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from benchmeta.scan import RepoSpec, scan_repo
from benchmeta.scan.sandbox import safe_path
from scan_gitrepos import commit, git, init, mirror, notebook

pytestmark = pytest.mark.xdist_group("scan_hostile")


def _canary(canary: Path, name: str) -> str:
    return f"import pathlib; pathlib.Path({str(canary / name)!r}).write_text('ran')\n"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    canary = base / "canary"
    canary.mkdir()
    outside = base / "outside_secret.py"
    outside.write_text("SECRET_OUTSIDE = 'do not read me'\n" + _canary(canary, "outside"))
    work = init(base / "work")
    files = {
        "README.md": "# Hostile\n\n## Installation\n\n```\npip install -r requirements.txt\n```\n",
        "requirements.txt": "numpy==1.26.0\ntorch\n",
        ".pylintrc": (
            f"[MAIN]\ninit-hook={_canary(canary, 'pylintrc').strip()}\n"
            "load-plugins=evil_plugin\n[REPORTS]\nevaluation=10.0\n"
        ),
        "pyproject.toml": (
            "[tool.pylint.main]\n"
            f"init-hook = {_canary(canary, 'pyproject').strip()!r}\n"
            "[tool.radon]\n"
            f"output_file = {str(canary / 'radon_pyproject')!r}\n"
        ),
        "setup.cfg": f"[radon]\noutput_file = {canary / 'radon_setupcfg'}\n"
        f"[pylint.main]\ninit-hook = {_canary(canary, 'setupcfg').strip()}\n",
        "setup.py": _canary(canary, "setup_py"),
        "conftest.py": _canary(canary, "conftest"),
        "evil_plugin.py": _canary(canary, "plugin"),
        # modules pylint or Python might import late, shadowed by the scanned tree
        "isort.py": _canary(canary, "isort"),
        "difflib.py": _canary(canary, "difflib"),
        "tokenize.py": _canary(canary, "tokenize"),
        "enchant.py": _canary(canary, "enchant"),
        "sitecustomize.py": _canary(canary, "sitecustomize"),
        "usercustomize.py": _canary(canary, "usercustomize"),
        "legacy.py": 'print "hello from python 2"\n',
        "broken.py": "def f(:\n    return 1\n",
        "weights.py": bytes(range(256)) * 64,
        "good.py": '"""Fine."""\n\n\ndef add(a, b):\n    """Add."""\n    return a + b\n',
        "analysis.ipynb": notebook(
            ["%matplotlib inline\nimport math\nx = math.pi", "def g(y):\n    return y * 2\n"]
        ),
    }
    commit(work, files, when="2024-01-02T10:00:00+00:00")
    os.symlink(outside, work / "link_out.py")
    (work / "data").mkdir()
    with open(work / "data" / "huge.py", "wb") as fh:  # 50 MB, sparse on disk
        fh.truncate(50 * 1024 * 1024)
    commit(work, when="2024-01-03T10:00:00+00:00")
    # a gitlink (submodule entry) pointing at a commit that is not here
    git(work, "update-index", "--add", "--cacheinfo", "160000," + "1" * 40 + ",vendor_sub")
    commit(work, when="2024-01-04T10:00:00+00:00", add=False)
    mirrors = base / "mirrors"
    gd = mirror(work, mirrors, "evil/hostile")
    # the mirror's own git config and hooks try to run code too
    script = base / "gpg.sh"
    script.write_text(f"#!/bin/sh\ntouch {canary / 'gpg'}\n")
    script.chmod(0o755)
    (gd / "config").write_text(
        f"[core]\n\tbare = true\n\tfsmonitor = {script}\n\tpager = {script}\n"
        f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {script}\n"
        f"[diff]\n\texternal = {script}\n"
    )
    (gd / "hooks").mkdir(exist_ok=True)
    for hook in ("post-checkout", "pre-auto-gc", "reference-transaction"):
        (gd / "hooks" / hook).write_text(f"#!/bin/sh\ntouch {canary / hook}\n")
        (gd / "hooks" / hook).chmod(0o755)
    result = scan_repo(RepoSpec("evil/hostile", git_dir=str(gd)), date(2024, 6, 1))
    return result, canary, base


def test_no_canary_anywhere(hostile):
    _, canary, base = hostile
    assert sorted(p.name for p in canary.iterdir()) == []
    found = subprocess.run(["find", str(base), "-name", "ran*"], capture_output=True, text=True)
    assert found.stdout == ""


def test_every_trap_reported(hostile):
    result, _, _ = hostile
    problems = {f["path"]: f["problem"] for f in result["files"]}
    assert problems["link_out.py"] == "symlink"
    assert problems["data/huge.py"] == "too_large"
    assert problems["weights.py"] == "binary"
    assert problems["legacy.py"] == "python2"
    assert problems["broken.py"] == "syntax_error"
    assert problems["vendor_sub"] == "gitlink"
    assert problems["good.py"] == ""
    row = result["row"]
    assert row["n_symlink"] == 1 and row["n_too_large"] == 1 and row["n_binary"] == 1
    assert row["n_python2"] == 1 and row["n_syntax_error"] == 1 and row["n_gitlink"] == 1
    assert row["notebooks"] == 1 and row["notebook_code_cells"] == 2
    assert row["nb_files_measured"] == 1 and row["nb_n_blocks"] == 1


def test_nothing_outside_read(hostile):
    result, _, _ = hostile
    text = repr(result)
    assert "SECRET_OUTSIDE" not in text and "outside_secret" not in text
    assert str(hostile[2]) not in text  # no machine path in any output


def test_score_not_faked(hostile):
    """The repository's .pylintrc sets evaluation=10.0; our score comes from our formula."""
    row = hostile[0]["row"]
    assert row["pylint_runs"] >= 1
    assert row["pylint_score"] is not None and row["pylint_score"] < 10
    assert row["pylint_error"] >= 2  # two syntax errors (python 2 file, broken file)
    per_file = {f["path"]: f for f in hostile[0]["files"]}
    assert per_file["broken.py"]["pylint_error"] == 1
    assert per_file["weights.py"]["pylint_error"] is None  # binary: not linted


def test_unsafe_paths_rejected():
    for bad in (
        "/etc/passwd",
        "../x.py",
        "a/../../x.py",
        "a//b.py",
        ".git/config",
        "a\\b.py",
        "./x.py",
        "",
    ):
        assert not safe_path(bad), bad
    assert safe_path("pkg/mod.py") and safe_path(".github/workflows/ci.yml")


def test_import_guard_blocks_scanned_modules(tmp_path):
    """pylint puts scanned folders first on sys.path; the guard refuses to import from them."""
    from benchmeta.scan.pylint_process import GUARD

    root = tmp_path / "tree"
    root.mkdir()
    canary = tmp_path / "ran_evil"
    (root / "evilmod.py").write_text(f"open({str(canary)!r}, 'w').close()\n")
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text(f"open({str(canary)!r}, 'w').close()\n")
    setup = GUARD.split('sys.argv[0] = "pylint"')[0]
    probe = setup + (
        "sys.path.insert(0, ROOT)\n"
        "for name in ('evilmod', 'pkg'):\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except ImportError as err:\n"
        "        print('blocked', name)\n"
        "import json\n"  # modules outside the tree still import
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(root)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split("\n")[:2] == ["blocked evilmod", "blocked pkg"]
    assert not canary.exists()

"""Undeclared imports (AST), wheel module listings, the installability funnel and the detector
accuracy table, on small hand-made inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmeta.collect.imports import modules_in
from benchmeta.repositories import detectors, undeclared
from benchmeta.repositories import installability as ia
from benchmeta.scan import imports


def test_top_level_imports_guarded_relative_and_two_level():
    src = (
        "import os, numpy as np\nfrom . import local\nfrom .x import y\n"
        "from google import generativeai\nimport google.cloud.storage\n"
        "try:\n    import wandb\nexcept ImportError:\n    wandb = None\n"
        "try:\n    import rich\nexcept KeyError:\n    pass\n"
        "import torch\ntry:\n    import torch\nexcept Exception:\n    pass\n"
    )
    got = imports.top_level_imports(src)
    assert set(got) == {"os", "numpy", "google", "wandb", "rich", "torch"}
    assert got["wandb"][0] is True and got["rich"][0] is False
    assert got["torch"][0] is False  # imported unguarded once
    assert got["google"][1] == {"google.generativeai", "google.cloud"}


def test_repo_imports_leave_out_stdlib_own_vendored_and_setup():
    files = {
        "main.py": b"import json\nimport numpy\nimport utils\nfrom models.net import N\n"
        b"import transformers\n",
        "utils.py": b"import requests\n",
        "models/net.py": b"import torch\n",
        "setup.py": b"import setuptools\n",
        "third_party/lib/x.py": b"import vendoredonly\n",
        "nb.ipynb": b'{"cells":[{"cell_type":"code","metadata":{},"source":["!pip install z\\n",'
        b'"import pandas"],"outputs":[],"execution_count":null}],"metadata":{},'
        b'"nbformat":4,"nbformat_minor":5}',
        "broken.py": b"def f(:\n",
    }
    rows = imports.repo_imports(list(files), files, "o/r")
    mods = {r["module"]: r for r in rows if r["module"]}
    assert set(mods) == {"numpy", "transformers", "requests", "torch", "pandas"}
    assert mods["numpy"]["first_path"] == "main.py" and mods["numpy"]["n_files"] == 1
    assert [r["problem"] for r in rows if not r["module"]] == ["syntax_error"]


def test_modules_in_wheel_listing():
    names = [
        "yaml/__init__.py",
        "_yaml/__init__.py",
        "PyYAML-6.0.dist-info/RECORD",
        "google/protobuf/__init__.py",
        "google/_upb/_message.so",
        "six.py",
        "cv2/__init__.py",
        "x.data/scripts/tool",
        "bad-name/mod.py",
    ]
    assert modules_in(names) == ["_yaml", "cv2", "google._upb", "google.protobuf", "six", "yaml"]


def _inst(rows):
    cols = [
        "repo",
        "index_role",
        "python_role",
        "outcome",
        "closure",
        "requirements",
        "exclude_newer",
        "last_commit",
        "commit_sha",
        "collection_date",
        "resolver_version",
        "route",
        "n_requirements",
        "python_declared",
        "python",
    ]
    out = []
    for repo, role, py, outcome, closure, reqs, cut in rows:
        out.append(
            dict(
                zip(
                    cols,
                    [
                        repo,
                        role,
                        py,
                        outcome,
                        closure,
                        reqs,
                        cut,
                        "2023-01-01T00:00:00+00:00",
                        "s",
                        "2026-12-01",
                        "0.13.9",
                        "pip",
                        "1",
                        "",
                        "3.10",
                    ],
                    strict=True,
                )
            )
        )
    return pd.DataFrame(out)


@pytest.fixture
def corpus():
    ok = "numpy==1.0;torch==2.0;filelock==3.0"
    inst = _inst(
        [
            ("a/ok", "commit", "target", "resolves", ok, "numpy|torch", "2023-01-01T00:00:00Z"),
            ("a/ok", "collection", "target", "resolves", ok, "numpy|torch", "2026-12-01T00:00:00Z"),
            (
                "a/ok",
                "commit+182d",
                "target",
                "resolves",
                ok,
                "numpy|torch",
                "2023-07-02T00:00:00Z",
            ),
            ("b/broke", "commit", "target", "resolves", ok, "torch==2.0", "2023-01-01T00:00:00Z"),
            (
                "b/broke",
                "commit+182d",
                "target",
                "version_absent",
                "",
                "torch==2.0",
                "2023-07-02T00:00:00Z",
            ),
            (
                "b/broke",
                "collection",
                "target",
                "version_absent",
                "",
                "torch==2.0",
                "2026-12-01T00:00:00Z",
            ),
            (
                "c/none",
                "commit",
                "target",
                "no_declared_dependencies",
                "",
                "",
                "2023-01-01T00:00:00Z",
            ),
            (
                "c/none",
                "collection",
                "target",
                "no_declared_dependencies",
                "",
                "",
                "2026-12-01T00:00:00Z",
            ),
            ("d/old", "commit", "target", "conflict", "", "x==1|y==2", "2023-01-01T00:00:00Z"),
            ("d/old", "collection", "target", "conflict", "", "x==1|y==2", "2026-12-01T00:00:00Z"),
        ]
    )
    for i in range(len(inst)):  # the current-Python rows mirror the target ones
        inst.loc[len(inst)] = {**inst.iloc[i].to_dict(), "python_role": "current"}
    imp = pd.DataFrame(
        [
            ("a/ok", "numpy", "1", "False", "a.py", "", ""),
            ("a/ok", "filelock", "1", "False", "a.py", "", ""),  # only via torch
            ("a/ok", "sklearn", "1", "False", "a.py", "", ""),  # nobody ships it
            ("a/ok", "wandb", "1", "True", "a.py", "", ""),  # guarded
            ("c/none", "requests", "2", "False", "b.py", "", ""),
        ],
        columns=["repo", "module", "n_files", "guarded", "first_path", "problem", "submodules"],
    )
    wheels = pd.DataFrame(
        [
            ("numpy", "1.0", "w", "numpy", ""),
            ("torch", "2.0", "w", "torch", ""),
            ("filelock", "3.0", "w", "filelock", ""),
        ],
        columns=["distribution", "version", "wheel", "modules", "error"],
    )
    groups = pd.Series(
        {
            "a/ok": "benchmark",
            "b/broke": "benchmark",
            "c/none": "non-benchmark",
            "d/old": "non-benchmark",
        }
    )
    return inst, imp, wheels, groups


def test_import_classes(corpus):
    inst, imp, wheels, _ = corpus
    c = undeclared.import_classes(imp, inst, wheels).set_index(["repo", "module"])["class"]
    assert c[("a/ok", "numpy")] == "declared" and c[("a/ok", "filelock")] == "transitive"
    assert c[("a/ok", "sklearn")] == "would_raise" and c[("a/ok", "wandb")] == "guarded"
    assert c[("c/none", "requests")] == "would_raise"


def test_funnel_and_reasons(corpus):
    inst, imp, wheels, groups = corpus
    out = ia.outcome_table(inst)
    classes = undeclared.import_classes(imp, inst, wheels)
    f = ia.funnel(out, classes, groups).set_index(["group", "step"])["repositories"]
    assert [f[("all", s)] for s, _ in ia.STEPS] == [4, 3, 2, 1, 0]
    assert f[("benchmark", "resolves_today")] == 1 and f[("non-benchmark", "declared")] == 1
    r = ia.drop_reasons(out, classes, groups)
    assert set(zip(r["step"], r["reason"], strict=True)) == {
        ("declares dependencies", "no_declared_dependencies"),
        ("resolves at its last commit", "conflict"),
        ("still resolves at the collection date", "version_absent"),
        ("no import that would raise ImportError", "undeclared import"),
    }


def test_time_to_breakage(corpus):
    inst, *_ = corpus
    d = ia.time_to_breakage(inst).set_index("repo")
    assert set(d.index) == {"a/ok", "b/broke"}
    assert bool(d.at["b/broke", "broke"]) and d.at["b/broke", "days"] == pytest.approx(182, 0.01)
    assert not d.at["a/ok", "broke"] and d.at["a/ok", "days"] > 1400


def test_detector_accuracy():
    t = pd.DataFrame(
        {
            "repo": list("abcdef"),
            "fetched": [True] * 5 + [False],
            "stars": [1, 2, 3, 4, 5, 6],
            **{h: ["1", "1", "0", "0", "1", "1"] for h, _, _ in detectors.PAIRS},
            **{o: ["yes", "no", "yes", "no", "unknown", "yes"] for _, o, _ in detectors.PAIRS},
        }
    )
    a = detectors.accuracy(t).iloc[0]
    assert (a["tp"], a["fp"], a["fn"], a["tn"], a["unknown"]) == (1, 1, 1, 1, 1)
    assert a["precision"] == 0.5 and a["recall"] == 0.5 and a["n"] == 4


def test_ethics_recall(tmp_path):
    precision = pd.DataFrame([{"item": "ethics_statement", "flagged_checked": 10, "confirmed": 8}])
    sample = tmp_path / "s.csv"
    pd.DataFrame({"item": ["ethics_statement"] * 10, "hand_label": ["yes"] + ["no"] * 9}).to_csv(
        sample, index=False
    )
    scanned = pd.DataFrame({"ready_ethics_statement": ["yes"] * 10 + ["no"] * 40})
    r = detectors.ethics_recall(precision, sample, scanned).iloc[0]
    assert r["missed_estimate"] == 4 and r["recall"] == pytest.approx(8 / 12)
    assert r["recall_low"] < r["recall"]
    assert detectors.ethics_recall(precision, tmp_path / "none.csv", scanned).empty

"""Readiness, vendored-code and per-file quality checks on in-memory inputs (no git)."""

from __future__ import annotations

from benchmeta.scan import lint, pylint_process, quality, readiness, vendored

MIT = b"MIT License\n\nCopyright (c) 2024 Us\n\nPermission is hereby granted, free of charge, ..."


def test_readiness_full():
    files = {
        "README.md": (
            b"# Bench\n## Installation\n```\nconda env create -f environment.yml\n"
            b"pip install -e .\n```\n## Usage\n```\npython run_eval.py --model x\n```\n"
            b"The dataset is available at https://huggingface.co/datasets/us/bench\n"
            b"**Content warning**: this repository contains offensive text.\n"
            b"| model | asr |\n|---|---|\n| a | 1 |\n"
        ),
        "LICENSE": MIT,
        "requirements.txt": b"numpy==1.26.0\ntorch>=2\n# comment\nrequests==2.31.0\n",
    }
    paths = [*files, "run_eval.py", "train.py"]
    r = readiness.check(paths, files)
    assert r["readme"] == "yes" and r["install_instructions"] == "yes"
    assert r["install_kind"] == "pip;conda"
    assert r["environment_spec"] == "yes" and r["environment_kinds"] == "pip"
    assert r["n_dependencies"] == 3 and abs(r["pinned_share"] - 2 / 3) < 1e-9
    assert r["licence"] == "yes" and r["licence_spdx"] == "MIT"
    assert r["ethics_statement"] == "yes" and r["data_availability"] == "yes"
    assert r["entry_points"] == "yes"
    assert r["pwc_training_code"] == "yes" and r["pwc_evaluation_code"] == "yes"
    assert r["pwc_results"] == "yes"


def test_readiness_unknowns():
    """A README or licence present in the tree but not readable, no declared dependency:
    unknown, never a pass or a zero."""
    paths = ["README.md", "LICENSE", "main.py"]
    r = readiness.check(paths, {"LICENSE": b"Some bespoke licence text nobody recognises."})
    assert r["readme"] == "unknown"
    for item in (
        "install_instructions",
        "ethics_statement",
        "data_availability",
        "entry_points",
        "pwc_pretrained_models",
        "pwc_results",
    ):
        assert r[item] == "unknown", item
    assert r["pinned"] == "unknown" and r["pinned_share"] is None
    assert r["licence"] == "yes" and r["licence_spdx"] == "unknown"
    assert r["pwc_items_unknown"] == 2


def test_readiness_absent_readme_is_no():
    r = readiness.check(["main.py"], {})
    assert r["readme"] == "no" and r["install_instructions"] == "no"
    assert r["licence"] == "no" and r["licence_spdx"] == ""


def test_spdx_ids():
    assert readiness.spdx_id("Apache License\n  Version 2.0, January 2004") == "Apache-2.0"
    gpl3 = (
        "GNU GENERAL PUBLIC LICENSE\n Version 3, 29 June 2007\n"
        + "x " * 300
        + "13. Use with the GNU Affero General Public License."
    )
    assert readiness.spdx_id(gpl3) == "GPL-3.0"
    assert readiness.spdx_id("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3") == "AGPL-3.0"
    assert readiness.spdx_id("All rights reserved. Do not copy.") is None


def test_vendored_detection():
    paths = [
        "src/mybench/run.py",
        "src/mybench/__init__.py",
        "transformers-4.28.1/src/transformers/modeling.py",
        "transformers-4.28.1/setup.py",
        "third_party/foo/bar.py",
        "libs/fastchat/serve.py",
        "ext/tool/setup.py",
        "ext/tool/LICENSE",
        "ext/tool/tool.py",
        "plugins/own/pyproject.toml",
        "plugins/own/own.py",
        "utils/attention.py",
        "peft/tuners.py",
        "src/datasets/load.py",
        "agents/openai/__init__.py",
        "datasets-2.14.0/src/x.py",
    ]
    texts = {
        "utils/attention.py": b"# Copyright 2022 The HuggingFace Team. All rights reserved.\n",
        "LICENSE": MIT,
    }
    got = vendored.classify(paths, "someone/peft", texts)
    assert got["src/mybench/run.py"] == ""
    assert (
        got["transformers-4.28.1/src/transformers/modeling.py"]
        == "known_package:transformers-4.28.1"
    )
    assert got["third_party/foo/bar.py"] == "vendor_dir:third_party"
    assert got["libs/fastchat/serve.py"] == "known_package:libs/fastchat"
    assert got["ext/tool/tool.py"] == "nested_project:ext/tool"
    assert got["plugins/own/own.py"] == ""  # own sub-package: no licence of its own
    assert got["utils/attention.py"].startswith("copyright_header:")
    assert got["peft/tuners.py"] == ""  # the repository's own name
    assert got["src/datasets/load.py"] == "" and got["agents/openai/__init__.py"] == ""
    assert got["datasets-2.14.0/src/x.py"] == "known_package:datasets-2.14.0"


def test_copyright_of_the_repository_owner_is_own_code():
    texts = {
        "LICENSE": b"Copyright (c) Meta Platforms, Inc. and affiliates.",
        "a.py": b"# Copyright (c) Meta Platforms, Inc. and affiliates.\n",
    }
    assert vendored.classify(["a.py", "LICENSE"], "facebookresearch/x", texts)["a.py"] == ""


def test_measure_file_kinds():
    ok = quality.measure_file("a.py", b"def f(x):\n    if x:\n        return 1\n    return 2\n")
    assert ok["problem"] == "" and ok["cc_max"] == 2 and ok["n_blocks"] == 1 and ok["loc"] == 4
    assert quality.measure_file("b.py", b"print 'x'\n")["problem"] == "python2"
    assert quality.measure_file("c.py", b"except Exception, e:\n")["problem"] == "python2"
    assert quality.measure_file("d.py", b"def (:\n")["problem"] == "syntax_error"
    assert quality.measure_file("e.py", b"\x00\x01\x02")["problem"] == "binary"
    assert quality.measure_file("f.py", b"# -*- coding: latin-1 -*-\nx = '\xe9'\n")["problem"] == ""
    assert quality.measure_file("g.py", b"x = '\xff\xfe'\n")["problem"] == "undecodable"
    assert quality.measure_file("h.ipynb", b"{not json")["problem"] == "bad_notebook"


def test_radon_matches_its_command_line_definitions():
    from radon.complexity import cc_visit
    from radon.metrics import mi_visit

    src = (
        "class A:\n    def m(self, x):\n        for i in x:\n            if i:\n"
        "                return i\n        return None\n\n\ndef g(y):\n    return y\n"
    )
    row = quality.measure_file("m.py", src.encode())
    blocks = cc_visit(src)
    assert row["n_blocks"] == len(blocks)
    assert row["cc_sum"] == sum(b.complexity for b in blocks)
    assert abs(row["mi"] - mi_visit(src, True)) < 1e-9


def test_pylint_score_formula():
    r = lint.PylintResult(statements=50, runs=1)
    r.counts.update(error=1, warning=2, refactor=3, convention=4)
    assert abs(r.score - (10 - (5 + 2 + 3 + 4) / 50 * 10)) < 1e-9
    r.counts["fatal"] = 1
    assert r.score == 0.0
    assert lint.PylintResult().score is None


def test_pylint_bisects_around_a_failing_file(monkeypatch, tmp_path):
    """A file that makes pylint time out loses only itself, not the repository's result."""
    calls = []

    def fake_run(root, chunk, timeout, extra):
        calls.append(list(chunk))
        if "slow.py" in chunk:
            return "timeout"
        return {
            "statistics": {
                "messageTypeCount": {"convention": len(chunk)},
                "modulesLinted": len(chunk),
                "score": 10 * len(chunk),
            },
            "messages": [],
        }

    monkeypatch.setattr(lint, "run_once", fake_run)
    files = ["a.py", "b.py", "c.py", "slow.py", "d.py"]
    res = lint.run_pylint(tmp_path, files)
    assert res.failed == {"slow.py": "pylint_timeout"}
    assert res.mode == "bisected" and res.statements == 40 and res.counts["convention"] == 4
    assert calls[0] == sorted(files)


def test_pylint_real_run_isolated(tmp_path):
    """One real run: our formula agrees with pylint's own score on the same counts."""
    (tmp_path / "m.py").write_text("import os\n\n\ndef f(a):\n    return a\n")
    res = lint.run_pylint(tmp_path, ["m.py"])
    assert res.runs == 1 and res.statements == 3
    assert res.symbols == {
        "missing-module-docstring": 1,
        "missing-function-docstring": 1,
        "unused-import": 1,
    }
    assert abs(res.score - (10 - 3 / 3 * 10)) < 1e-9


def test_own_modules_are_first_party_for_import_order(tmp_path):
    """As in a hand run from the repository root (isort's project is the working folder)."""
    (tmp_path / "helpers.py").write_text('"""H."""\n')
    (tmp_path / "pkg").mkdir()
    (tmp_path / "main.py").write_text('"""M."""\nimport helpers\nimport os\n\nprint(helpers, os)\n')
    assert lint.first_party(tmp_path) == ["helpers", "main", "pkg"]
    data = pylint_process.run_once(
        tmp_path, ["main.py"], 120, [f"--known-first-party={','.join(lint.first_party(tmp_path))}"]
    )
    msgs = [m["message"].strip() for m in data["messages"] if m["symbol"] == "wrong-import-order"]
    assert msgs == ['standard import "os" should be placed before first party import "helpers"']

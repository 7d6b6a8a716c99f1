"""Every secret variable is documented (README refresh section, each collector's --help), and the
collector modules have no import cycle (only registered commands have a ``main``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from benchmeta.__main__ import COLLECTORS
from benchmeta.collect import github, influence, records_online
from benchmeta.core.credentials import SECRET_ENV

ROOT = Path(__file__).resolve().parents[1]
COLLECT = ROOT / "lib" / "benchmeta" / "collect"


def test_readme_refresh_section_names_every_variable():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("### Refresh the data (online)") : text.index("## Layout")]
    for name in SECRET_ENV:
        assert f"`{name}`" in section


@pytest.mark.parametrize("module", [github, influence, records_online])
def test_each_collector_help_names_the_variables_it_reads(module, capsys):
    with pytest.raises(SystemExit):
        module.main(["--help"])
    out = capsys.readouterr().out
    assert module.ENV and all(name in out for name in module.ENV)


def test_no_collector_module_imports_a_command_that_imports_it():
    commands = {m.rsplit(".", 1)[1] for m, _ in COLLECTORS.values()}
    for path in COLLECT.glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {
            a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module is None
            for a in n.names
        }
        imported |= {
            n.module
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module
        }
        if path.stem not in commands:  # a library module never reaches back to a command
            assert not imported & commands, (path.name, imported & commands)
        has_main = any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body)
        assert has_main == (path.stem in commands), path.name

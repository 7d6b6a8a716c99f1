"""Layout rules of issue 8: notebook cells only call lib; every declared dependency is used."""

import json

import pytest

from test_project import ROOT, _names

LOOP_BODY_MAX = 3  # statements in a notebook loop body; more belongs in lib
STRING_LIST_MAX = 3  # string literals in one list/tuple/set: a column list that must track lib


def _cell_problems(src: str) -> list[str]:
    import ast

    lines = [ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            out.append(f"line {node.lineno}: defines {type(node).__name__}")
        elif isinstance(node, ast.For | ast.While | ast.AsyncFor):
            size = node.end_lineno - node.lineno
            if size > LOOP_BODY_MAX:
                out.append(f"line {node.lineno}: a loop of {size + 1} lines")
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            strs = [e for e in node.elts if isinstance(e, ast.Constant) and type(e.value) is str]
            if len(strs) > STRING_LIST_MAX:
                out.append(f"line {node.lineno}: a literal list of {len(strs)} strings")
    return out


@pytest.mark.parametrize(
    "path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name
)
def test_notebook_cells_only_call_lib(path):
    """A cell calls lib, displays and writes: no def/class/lambda, no loop over more than a few
    lines, no column lists that must track lib (lib exposes each table's columns)."""
    nb = json.loads(path.read_text())
    problems = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or "parameters" in cell["metadata"].get("tags", []):
            continue
        problems += [f"cell {i}, {p}" for p in _cell_problems("".join(cell["source"]))]
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_cell_checker_catches_logic():
    assert _cell_problems("def f():\n    return 1\n")
    assert _cell_problems("for x in y:\n    a = 1\n    b = 2\n    c = 3\n    d = 4\n")
    assert _cell_problems("cols = ['a', 'b', 'c', 'd']\n")
    assert not _cell_problems("t = lib.table(x)\nt.head()\n%matplotlib inline\n")


def _imported_distributions() -> set[str]:
    """Distribution names of every third-party module imported by lib, tests, scripts and
    notebooks (static scan of import statements)."""
    import ast
    import importlib.metadata as md

    to_dist = {m: ds for m, ds in md.packages_distributions().items()}
    folders = ("lib", "tests", "scripts")
    sources = [p.read_text() for d in folders for p in (ROOT / d).rglob("*.py")]
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text())["cells"]
        sources += ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    dists: set[str] = set()
    for src in sources:
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module]
            else:
                continue
            for m in mods:
                dists |= {d.lower().replace("_", "-") for d in to_dist.get(m.split(".")[0], [])}
    return dists


# declared for what they run, not what is imported: the notebook kernel, papermill's engine,
# the import-linter command line, pytest plugins, the linter and the notebook client
# the scanner runs pylint in an isolated subprocess and records astroid's version (it changes
# the numbers), so neither is imported by our code; uv is the resolver binary the installability
# collector runs
NOT_IMPORTED = {
    "ipykernel",
    "jupyterlab",
    "nbclient",
    "import-linter",
    "pytest-httpserver",
    "pytest-timeout",
    "pytest-xdist",
    "ruff",
    "pylint",
    "astroid",
    "uv",
}
# a declared extra is used when the distribution it brings in is imported
EXTRA_OF = {"distributed": "dask"}


def test_every_declared_dependency_is_used():
    """Declare only what you import (or run): a dependency nothing uses is removed."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = _names(project["dependencies"] + project["optional-dependencies"]["test"])
    used = _imported_distributions()
    used |= {EXTRA_OF[d] for d in used if d in EXTRA_OF}
    unused = sorted(declared - used - NOT_IMPORTED)
    assert not unused, f"declared but never imported: {unused}"

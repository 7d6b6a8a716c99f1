"""Third-party top-level imports of a repository's own code, from the AST (nothing is run).

An import is third-party when its top-level name is neither in the standard library
(``sys.stdlib_module_names`` of the running Python, plus ``__future__``) nor one of the
repository's own modules. Own modules are, permissively, every ``.py`` file stem and every
folder holding Python code anywhere in the tree: research scripts are run from many folders,
each of which lands on ``sys.path``. Vendored files (``scan.vendored``) are not the authors'
code and are left out; notebooks' code cells count (their magics are commented out first).

An import inside ``try:`` whose handler catches ``ImportError``, ``ModuleNotFoundError``,
``Exception`` or everything is ``guarded``: the code runs without it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import PurePosixPath

from . import quality, vendored

STDLIB = frozenset(sys.stdlib_module_names) | {"__future__", "__main__"}
GUARDS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    t = handler.type
    if t is None:
        return True
    names = t.elts if isinstance(t, ast.Tuple) else [t]
    return any(
        isinstance(n, ast.Name)
        and n.id in GUARDS
        or isinstance(n, ast.Attribute)
        and n.attr in GUARDS
        for n in names
    )


def top_level_imports(text: str) -> dict[str, tuple[bool, set[str]]]:
    """Absolute imports: top-level name -> (guarded, two-level names seen).

    ``guarded`` is True only if every import of the name is guarded. Two-level names
    (``google.generativeai``, also from ``from google import generativeai``) let namespace
    packages be matched to the distribution that ships the sub-package.
    """
    tree = ast.parse(text)
    guarded_nodes: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(map(_catches_import_error, node.handlers)):
            for stmt in node.body:
                guarded_nodes |= {id(n) for n in ast.walk(stmt)}
    out: dict[str, tuple[bool, set[str]]] = {}
    for node in ast.walk(tree):
        full = []
        if isinstance(node, ast.Import):
            full = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            full = (
                [node.module]
                if "." in node.module
                else [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
                or [node.module]
            )
        for name in full:
            top = name.split(".")[0]
            g, subs = out.get(top, (True, set()))
            if "." in name:
                subs = subs | {".".join(name.split(".")[:2])}
            out[top] = (g and id(node) in guarded_nodes, subs)
    return out


def own_modules(paths: list[str]) -> set[str]:
    """Names the repository itself provides: .py/.pyx stems and folders holding Python code."""
    own: set[str] = set()
    for p in paths:
        pp = PurePosixPath(p)
        if pp.suffix in (".py", ".pyx", ".so", ".ipynb"):
            own.add(pp.stem.split(".")[0])
            own.update(pp.parts[:-1])
    return own


def repo_imports(paths: list[str], files: dict[str, bytes], repo: str = "") -> list[dict]:
    """One row per third-party top-level module: ``module, n_files, guarded, first_path``, and
    rows with ``module == ""`` for files that could not be parsed (``problem``)."""
    vend = vendored.classify(paths, repo, files)
    own = own_modules(paths)
    found: dict[str, dict] = {}
    subs: dict[str, set[str]] = {}
    problems = []
    for path in sorted(files):
        if not path.endswith((".py", ".ipynb")) or vend.get(path) or path == "setup.py":
            continue
        text, problem = quality.decode(files[path])
        try:
            if text is not None and path.endswith(".ipynb"):
                text, _ = quality.notebook_code(text)
            names = top_level_imports(text) if text is not None else {}
        except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
            problem, names = "syntax_error" if isinstance(err, SyntaxError) else "unparseable", {}
        if problem:
            problems.append(
                {
                    "module": "",
                    "n_files": 0,
                    "guarded": False,
                    "first_path": path,
                    "problem": problem,
                    "submodules": "",
                }
            )
        for name, (guarded, two) in names.items():
            if name in STDLIB or name in own or not name.isidentifier():
                continue
            row = found.setdefault(
                name,
                {"module": name, "n_files": 0, "guarded": True, "first_path": path, "problem": ""},
            )
            row["n_files"] += 1
            row["guarded"] = row["guarded"] and guarded
            subs.setdefault(name, set()).update(two)
    for name, row in found.items():
        row["submodules"] = ";".join(sorted(subs.get(name, ()))[:20])
    return sorted(found.values(), key=lambda r: r["module"]) + problems

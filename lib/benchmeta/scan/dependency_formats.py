"""Readers of the other packaging formats (pyproject.toml, setup.py by AST only, setup.cfg,
environment.yml, Pipfile) into ``Declared``; nothing is executed."""

from __future__ import annotations

import ast
import re
import tomllib

import yaml
from packaging.version import Version

from .requirements import Declared, _conda_python, read_requirements


def _str_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [s for s in value.splitlines() if s.strip()]
    if isinstance(value, list | tuple):
        return [s for s in value if isinstance(s, str)]
    return []


def read_pyproject(text: str, path: str, out: Declared) -> None:
    """PEP 621 ``[project]`` and Poetry ``[tool.poetry.dependencies]``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        out.flags.append(f"unparseable:{path}")
        return
    project = data.get("project") or {}
    for dep in _str_list(project.get("dependencies")):
        out.add(dep, f"{path}:project.dependencies")
    if isinstance(project.get("requires-python"), str) and not out.python_spec:
        out.python_spec, out.python_source = project["requires-python"], path
    poetry = ((data.get("tool") or {}).get("poetry") or {}).get("dependencies") or {}
    for name, spec in poetry.items() if isinstance(poetry, dict) else []:
        where = f"{path}:tool.poetry.dependencies.{name}"
        if name.lower() == "python":
            if isinstance(spec, str) and not out.python_spec:
                out.python_spec, out.python_source = _poetry_spec(spec), path
            continue
        if isinstance(spec, dict):
            if any(k in spec for k in ("git", "path", "url", "file")):
                out.flags.append(f"url_requirement:{where}")
                out.url_names.append(name)
                continue
            spec = spec.get("version", "")
        out.add(f"{name}{_poetry_spec(spec) if isinstance(spec, str) else ''}", where)


def _poetry_spec(spec: str) -> str:
    """Poetry's ``^1.2`` / ``~1.2`` / ``*`` / ``1.2`` as a PEP 440 specifier."""
    out = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        if part == "*":
            continue
        if part[0] == "^":
            v = Version(part[1:]).release
            upper = next((i for i, x in enumerate(v) if x), len(v) - 1)
            bump = list(v[: upper + 1])
            bump[-1] += 1
            out.append(f">={part[1:]},<{'.'.join(map(str, bump))}")
        elif part[0] == "~" and part[1:2] != "=":
            v = Version(part[1:]).release
            bump = [v[0], v[1] + 1] if len(v) > 1 else [v[0] + 1]
            out.append(f">={part[1:]},<{'.'.join(map(str, bump))}")
        elif part[0].isdigit():
            out.append(f"=={part}")
        else:
            out.append(part)
    return ",".join(out)


def _literal_kwargs(tree: ast.AST) -> dict[str, object]:
    """Literal values of install_requires / python_requires in any ``setup(...)`` call, and of
    module-level names assigned a literal that those keywords refer to."""
    names: dict[str, object] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            try:
                names[node.targets[0].id] = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                pass
    found: dict[str, object] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg not in ("install_requires", "python_requires"):
                continue
            if isinstance(kw.value, ast.Name) and kw.value.id in names:
                found[kw.arg] = names[kw.value.id]
                continue
            try:
                found[kw.arg] = ast.literal_eval(kw.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                found[kw.arg] = None
    return found


def read_setup_py(text: str, path: str, out: Declared) -> None:
    """Literal ``install_requires`` / ``python_requires`` from setup.py's AST."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        out.flags.append(f"unparseable:{path}")
        return
    kw = _literal_kwargs(tree)
    if "install_requires" in kw:
        reqs = _str_list(kw["install_requires"])
        if kw["install_requires"] is None:
            out.flags.append(f"not_literal:{path}:install_requires")
        for r in reqs:
            out.add(r, f"{path}:install_requires")
    if isinstance(kw.get("python_requires"), str) and not out.python_spec:
        out.python_spec, out.python_source = kw["python_requires"], path


def read_setup_cfg(text: str, path: str, out: Declared) -> None:
    """``[options] install_requires`` and ``python_requires`` (configparser, no interpolation)."""
    import configparser

    cp = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        cp.read_string(text)
    except configparser.Error:
        out.flags.append(f"unparseable:{path}")
        return
    if cp.has_option("options", "install_requires"):
        for r in _str_list(cp.get("options", "install_requires")):
            out.add(r.split("#", 1)[0], f"{path}:install_requires")
    if cp.has_option("options", "python_requires") and not out.python_spec:
        out.python_spec, out.python_source = cp.get("options", "python_requires"), path


def read_environment(text: str, path: str, out: Declared) -> None:
    """conda names (recorded), ``python=`` (target) and the ``pip:`` section (resolved)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        out.flags.append(f"unparseable:{path}")
        return
    deps = data.get("dependencies") if isinstance(data, dict) else None
    for dep in deps if isinstance(deps, list) else []:
        if isinstance(dep, dict) and isinstance(dep.get("pip"), list):
            text = "\n".join(str(d) for d in dep["pip"])
            read_requirements(text, path, {}, out)
        elif isinstance(dep, str):
            name = re.split(r"[=<>!~ ]", dep.split("::")[-1].strip(), maxsplit=1)[0].lower()
            if name == "python":
                if not out.python_spec:
                    out.python_spec, out.python_source = _conda_python(dep), path
            elif name and name != "pip":
                out.conda.append(dep.strip())


def read_pipfile(text: str, path: str, out: Declared) -> None:
    """``[packages]`` and ``[requires] python_version`` of a Pipfile."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        out.flags.append(f"unparseable:{path}")
        return
    for name, spec in (data.get("packages") or {}).items():
        where = f"{path}:packages.{name}"
        if isinstance(spec, dict):
            if any(k in spec for k in ("git", "path", "file", "editable")):
                out.flags.append(f"url_requirement:{where}")
                out.url_names.append(name)
                continue
            spec = spec.get("version", "*")
        spec = "" if spec in ("*", "") or not isinstance(spec, str) else spec
        out.add(f"{name}{spec}", where)
    pyv = (data.get("requires") or {}).get("python_version")
    if isinstance(pyv, str) and not out.python_spec:
        out.python_spec, out.python_source = f"=={pyv}.*", path

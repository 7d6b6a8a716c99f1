"""Declared dependencies of a repository, read statically (nothing from it is run or imported).

Sources, at the repository root (and ``binder/``, ``.binder/``): ``requirements*.txt`` (with the
files they include through ``-r``/``-c`` when those lie inside the repository),
``pyproject.toml`` (PEP 621 ``[project]`` and ``[tool.poetry]``), ``setup.py`` (only the literal
values of ``install_requires`` / ``python_requires`` found in its AST: never executed),
``setup.cfg``, ``environment.yml`` (its ``pip:`` section; conda names are recorded, not
resolved) and ``Pipfile``.

Only PEP 508 requirements parsed by ``packaging`` come out in ``requirements``. Everything else
(index and link options, ``-e``, VCS and URL requirements, local paths, includes that climb out of
the repository or are missing, unparseable lines, oversized files) becomes a ``flag`` naming the
file and line: flags are recorded and never passed on to a resolver.
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from . import sandbox

MAX_DEP_FILE_BYTES = 1_000_000  # a requirements file larger than this is flagged, not read
MAX_INCLUDE_DEPTH = 5
PY_CANDIDATES = [f"3.{m}" for m in range(7, 14)]
REQ_NAME = re.compile(r"^requirements[\w.-]*\.(txt|in)$", re.I)
DEV_WORDS = re.compile(r"(dev|test|doc|lint|ci|style|bench|optional|extra)", re.I)
OPTION = re.compile(
    r"^(-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host|"
    r"--no-index|--pre|--prefer-binary|--only-binary|--no-binary|--use-feature|"
    r"--require-hashes|--hash|-\w|--[\w-]+)"
)
VCS = re.compile(r"^(git|hg|svn|bzr)\+|^[\w.+-]+://|\s@\s|^[\w-]+@", re.I)


@dataclass
class Declared:
    """What a repository declares. ``requirements`` are sanitised PEP 508 strings."""

    files: list[str] = field(default_factory=list)
    by_file: dict[str, list[str]] = field(default_factory=dict)
    conda: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    url_names: list[str] = field(default_factory=list)  # named URL/VCS requirements (not resolved)
    python_spec: str = ""
    python_source: str = ""

    @property
    def requirements(self) -> list[str]:
        """What one pip install route needs: requirements files plus packaging metadata
        (pyproject / setup.py / setup.cfg); else the Pipfile; else environment.yml's pip list.
        Those are alternative routes, so they are not merged (their pins often differ)."""
        routes: dict[str, list[str]] = {"pip": [], "pipfile": [], "conda": []}
        for path, reqs in self.by_file.items():
            name = PurePosixPath(path).name.lower()
            kind = (
                "pipfile"
                if name == "pipfile"
                else ("conda" if name.startswith("environment.") else "pip")
            )
            routes[kind].extend(reqs)
        chosen = routes["pip"] or routes["pipfile"] or routes["conda"]
        return sorted(set(chosen), key=str.lower)

    @property
    def route(self) -> str:
        """Which files the resolved requirements come from."""
        names = [PurePosixPath(p).name.lower() for p, r in self.by_file.items() if r]
        if any(not n.startswith("environment.") and n != "pipfile" for n in names):
            return "pip"
        return "pipfile" if "pipfile" in names else ("conda_pip" if names else "")

    @property
    def target_python(self) -> str | None:
        """The Python resolved for: see ``target_python``."""
        return target_python(self.python_spec)

    def add(self, text: str, where: str) -> None:
        """Parse one requirement string; on failure record a flag instead."""
        req = parse_requirement(text)
        if req is None:
            self.flags.append(f"unparseable:{where}")
        elif req.url:
            self.flags.append(f"url_requirement:{where}")
            self.url_names.append(req.name)
        else:
            self.by_file.setdefault(where.split(":", 1)[0], []).append(str(req))


def parse_requirement(text: str) -> Requirement | None:
    """A PEP 508 requirement, or ``None`` when ``packaging`` rejects it."""
    try:
        return Requirement(text.strip())
    except InvalidRequirement:
        return None


def target_python(spec: str) -> str | None:
    """The minor version of 3.7..3.13 inside ``spec`` nearest to 3.10 (ties: the older one);
    ``None`` when there is no specifier or it allows none of them. An exact pin gives itself;
    a bare lower bound such as ``>=3.6`` gives 3.10, the version used when nothing is declared.
    """
    if not spec:
        return None
    try:
        ss = SpecifierSet(spec)
    except InvalidSpecifier:
        return None
    allowed = [c for c in PY_CANDIDATES if any(Version(f"{c}.{p}") in ss for p in range(40))]
    if not allowed:
        return None
    return min(allowed, key=lambda c: (abs(int(c.split(".")[1]) - 10), c))


def _conda_python(text: str) -> str:
    """``python=3.8`` / ``python==3.8.5`` / ``python>=3.9`` as a pip specifier."""
    m = re.match(r"^python\s*(==?|>=|<=|~=|>|<)?\s*([\d.*]+)", text.strip())
    if not m:
        return ""
    op, ver = m.group(1) or "==", m.group(2).rstrip(".")
    if op == "=":
        op = "=="
    if op == "==" and ver.count(".") < 2 and "*" not in ver:
        ver += ".*"
    return f"{op}{ver}"


CONDA_EXPORT = re.compile(r"^([A-Za-z0-9_][\w.-]*)=([^=\s]+)=([^=\s]+)$")


def _is_conda_export(lines: list[str]) -> bool:
    """A ``conda list --export`` file saved as requirements.txt (``name=version=build``)."""
    body = [x.strip() for x in lines if x.strip() and not x.lstrip().startswith("#")]
    return bool(body) and sum(bool(CONDA_EXPORT.match(x)) for x in body) > len(body) / 2


def read_requirements(
    text: str,
    path: str,
    files: dict[str, bytes],
    out: Declared,
    depth: int = 0,
    seen: frozenset[str] = frozenset(),
) -> None:
    """Parse a requirements file; follow ``-r``/``-c`` includes inside the repository only."""
    base = PurePosixPath(path).parent
    lines = text.replace("\\\n", " ").splitlines()
    if _is_conda_export(lines):
        out.flags.append(f"conda_export:{path}")
    for i, raw in enumerate(lines, 1):
        line = re.split(r"(^|\s)#", raw, maxsplit=1)[0].strip()
        where = f"{path}:{i}"
        if not line:
            continue
        inc = re.match(r"^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", line)
        if inc:
            _include(inc.group(2), base, where, files, out, depth, seen | {path})
            continue
        conda = CONDA_EXPORT.match(line) if "conda_export:" + path in out.flags else None
        if conda and conda.group(3) == "pypi_0":  # conda's record of a package pip installed
            out.add(f"{conda.group(1)}=={conda.group(2)}", where)
        elif conda and conda.group(1).lower() == "python" and not out.python_spec:
            out.python_spec, out.python_source = f"=={conda.group(2)}", path
        elif conda:
            out.conda.append(line)
        elif line.startswith(("-e", "--editable")):
            out.flags.append(f"editable:{where}")
        elif OPTION.match(line):
            out.flags.append(f"option:{line.split()[0].split('=')[0]}:{where}")
        elif line.startswith((".", "/", "~")) or line.endswith((".whl", ".tar.gz", ".zip")):
            out.flags.append(f"local_path:{where}")
        elif VCS.search(line):
            out.flags.append(f"url_requirement:{where}")
            named = parse_requirement(line)
            egg = re.search(r"#egg=([A-Za-z0-9][\w.-]*)", line)
            if named is not None or egg:
                out.url_names.append(named.name if named is not None else egg.group(1))
        else:
            # pip allows per-requirement options after the spec (--hash=..., --install-option)
            spec = re.split(r"\s+--?\w", " " + line, maxsplit=1)[0].strip() or line
            if spec != line:
                out.flags.append(f"requirement_option:{where}")
            out.add(spec, where)


def normalise(base: PurePosixPath, target: str) -> str | None:
    """``base/target`` with ``..`` folded, or ``None`` when it leaves the repository."""
    if target.startswith(("/", "~", "\\")) or re.match(r"^[A-Za-z]:", target):
        return None
    parts: list[str] = []
    for part in (base / target).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    resolved = "/".join(parts)
    return resolved if sandbox.safe_path(resolved) else None


def _include(
    target: str,
    base: PurePosixPath,
    where: str,
    files: dict[str, bytes],
    out: Declared,
    depth: int,
    seen: frozenset[str],
) -> None:
    if "://" in target:
        out.flags.append(f"include_url:{where}")
        return
    resolved = normalise(base, target)
    if resolved is None:
        out.flags.append(f"include_outside_repo:{where}")
        return
    if resolved in seen or depth >= MAX_INCLUDE_DEPTH:
        out.flags.append(f"include_cycle:{where}")
    elif resolved not in files:
        out.flags.append(f"include_missing:{where}")
    elif len(files[resolved]) > MAX_DEP_FILE_BYTES:
        out.flags.append(f"too_large:{resolved}")
    else:
        read_requirements(_decode(files[resolved]), resolved, files, out, depth + 1, seen)


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig", "replace")


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


def dependency_files(paths: list[str]) -> list[str]:
    """The files read, in a fixed order: root, then ``binder/`` and ``.binder/``."""
    found = []
    for p in sorted(paths):
        folder, name = str(PurePosixPath(p).parent), PurePosixPath(p).name
        if folder not in (".", "binder", ".binder"):
            continue
        low = name.lower()
        if REQ_NAME.match(low) or low in {
            "pyproject.toml",
            "setup.py",
            "setup.cfg",
            "pipfile",
            "environment.yml",
            "environment.yaml",
        }:
            found.append(p)
    return found


def declared(
    paths: list[str], files: dict[str, bytes], skipped: dict[str, str] | None = None
) -> Declared:
    """Declared dependencies from the tree listing and the file texts read.

    A root ``requirements.txt`` is the primary pip file; other ``requirements*.txt`` variants
    (dev, test, docs, ...) count only when there is no ``requirements.txt`` and their name holds
    none of those words. Files absent from ``files`` (too large, missing blob) are flagged.
    """
    out = Declared()
    cands = dependency_files(paths)
    req_files = [p for p in cands if REQ_NAME.match(PurePosixPath(p).name.lower())]
    primary = [p for p in req_files if PurePosixPath(p).name.lower() == "requirements.txt"]
    if not primary:
        primary = [p for p in req_files if not DEV_WORDS.search(PurePosixPath(p).name)]
    readers = {
        "pyproject.toml": read_pyproject,
        "setup.py": read_setup_py,
        "setup.cfg": read_setup_cfg,
        "pipfile": read_pipfile,
        "environment.yml": read_environment,
        "environment.yaml": read_environment,
    }
    # the first declared Python wins: packaging metadata, then pip files, Pipfile, conda
    rank = {"pyproject.toml": 0, "setup.py": 1, "setup.cfg": 2, "pipfile": 4}
    order = sorted(
        cands,
        key=lambda p: (
            rank.get(PurePosixPath(p).name.lower(), 5 if "environment." in p.lower() else 3),
            p,
        ),
    )
    out.files = list(cands)
    for p in order:
        low = PurePosixPath(p).name.lower()
        if p in req_files and p not in primary:
            continue
        if p not in files:
            out.flags.append(f"{(skipped or {}).get(p, 'unreadable')}:{p}")
            continue
        if len(files[p]) > MAX_DEP_FILE_BYTES:
            out.flags.append(f"too_large:{p}")
            continue
        text = _decode(files[p])
        if p in primary:
            read_requirements(text, p, files, out)
        else:
            readers[low](text, p, out)
    if not out.python_spec and "runtime.txt" in files:
        m = re.match(r"^\s*python-(\d+\.\d+)", _decode(files["runtime.txt"]))
        if m:
            out.python_spec, out.python_source = f"=={m.group(1)}.*", "runtime.txt"
    return out


INCLUDE = re.compile(r"^\s*(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", re.M)


def read_includes(git_dir: str, ext: sandbox.Extracted) -> dict[str, bytes]:
    """``ext.files`` plus the in-repository files that requirements files include (read blob by
    blob from ``git_dir``, at most ``MAX_DEP_FILE_BYTES`` each, ``MAX_INCLUDE_DEPTH`` levels)."""
    files = dict(ext.files)
    blobs = {
        path: (blob, size) for _, _, blob, size, path in sandbox.list_tree(git_dir, ext.commit_sha)
    }
    todo = [p for p in dependency_files(list(files)) if REQ_NAME.match(PurePosixPath(p).name)]
    for _ in range(MAX_INCLUDE_DEPTH):
        wanted = {}
        for p in todo:
            for target in INCLUDE.findall(_decode(files[p])):
                path = normalise(PurePosixPath(p).parent, target)
                if (
                    path
                    and path not in files
                    and path in blobs
                    and blobs[path][1].isdigit()
                    and int(blobs[path][1]) <= MAX_DEP_FILE_BYTES
                ):
                    wanted[path] = blobs[path][0]
        got = sandbox._read_blobs(git_dir, sorted(set(wanted.values())))
        todo = []
        for path, blob in wanted.items():
            if got.get(blob) is not None:
                files[path] = got[blob]
                todo.append(path)
        if not todo:
            break
    return files


def read_tree(
    git_dir: str, rev: str = "HEAD"
) -> tuple[str, list[str], dict[str, bytes], dict[str, str]]:
    """(commit sha, tree paths, dependency-file texts, skipped path -> reason) of ``rev``.

    Reads only the dependency files (and ``runtime.txt``) blob by blob through the scanner's
    sandbox: symlinks, gitlinks, unsafe paths, missing blobs and files above
    ``MAX_DEP_FILE_BYTES`` are skipped with their reason, never read.
    """
    sha = sandbox.git(git_dir, "rev-parse", "--verify", f"{rev}^{{commit}}").stdout.decode().strip()
    rows = sandbox.list_tree(git_dir, sha)
    paths = [p for mode, _, _, _, p in rows if sandbox.safe_path(p) and mode != "160000"]
    wanted = set(dependency_files(paths)) | ({"runtime.txt"} & set(paths))
    skipped: dict[str, str] = {}
    blobs: dict[str, str] = {}
    for mode, otype, blob, size, path in rows:
        if path not in wanted:
            continue
        if mode == "120000" or otype != "blob":
            skipped[path] = "symlink"
        elif not size.isdigit():
            skipped[path] = "missing_blob"
        elif int(size) > MAX_DEP_FILE_BYTES:
            skipped[path] = "too_large"
        else:
            blobs[path] = blob
    got = sandbox._read_blobs(git_dir, sorted(set(blobs.values())))
    files = {p: got[b] for p, b in blobs.items() if got.get(b) is not None}
    skipped.update({p: "missing_blob" for p in blobs if p not in files})
    ext = sandbox.Extracted(sha, [], files)
    return sha, paths, read_includes(git_dir, ext), skipped


def load(git_dir: str, rev: str = "HEAD") -> tuple[str, Declared]:
    """(commit sha, declared dependencies) of ``rev`` in a git directory (already isolated)."""
    sha, paths, files, skipped = read_tree(git_dir, rev)
    return sha, declared(paths, files, skipped)

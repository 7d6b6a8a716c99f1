"""Requirement lines: PEP 508 parsing, target Python, requirements files and their includes,
sanitised into ``Declared`` (flags for everything that must not reach a resolver)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

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
        read_requirements(decode(files[resolved]), resolved, files, out, depth + 1, seen)


def decode(data: bytes) -> str:
    return data.decode("utf-8-sig", "replace")

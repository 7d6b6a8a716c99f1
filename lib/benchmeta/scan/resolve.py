"""Would declared dependencies resolve? ``uv pip compile`` on requirement strings we wrote.

The resolver only ever sees a requirements file written here from sanitised PEP 508 strings
(``scan.dependencies``), in an empty temporary working folder, with a scrubbed environment
(no ``UV_*``/``PIP_*`` variables, an empty HOME) and ``--no-config``, so neither the repository's
``[tool.uv]`` nor the machine's pip or uv configuration applies. Wheels only, a fixed platform
(x86_64 manylinux 2.28), a given Python and an index cut-off (``--exclude-newer``).

Packages that exist only as sdists are not built: their static metadata (``PKG-INFO``
``Requires-Dist``, or ``*.egg-info/requires.txt``) is read from the archive in memory
(``scan.sdist``), the package is removed from the resolution through an override with a
never-true marker, and its requirements are added instead; the outcome is then
``resolves_with_sdists``.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .requirements import parse_requirement

PLATFORM = "x86_64-manylinux_2_28"
DEFAULT_INDEX = "https://pypi.org/simple"
DEFAULT_JSON_API = "https://pypi.org/pypi"
MAX_SDIST_ROUNDS = 8
NEVER = 'sys_platform == "never"'

OUTCOMES = (
    "resolves",
    "resolves_with_sdists",
    "conflict",
    "version_absent",
    "no_wheel_for_python",
    "no_wheel_for_platform",
    "package_not_found",
    "sdist_metadata_unavailable",
    "resolver_error",
    "no_declared_dependencies",
    "conda_only",
)
_NAME = r"([A-Za-z0-9][A-Za-z0-9._-]*)"
NO_USABLE = re.compile(
    r"(?<![\w.=-])" + _NAME + r"(?:\[[^\]]*\])?(?:==([^\s,]+)|[<>=!~,][^\s]*)? "
    r"(?:has|have) no usable wheels"
)
ALL_VERSIONS_NO_USABLE = re.compile(r"all versions of " + _NAME + r" have no usable wheels")
BLAMED = re.compile(
    r"(?<![=<>~!.\w-])"
    + _NAME
    + r"(?:\[[^\]]*\])?(?=(?:==|>=|<=|!=|~=|<|>| was not found| has no| "
    r"depends on| depend on|\s+was yanked))"
)
NOT_NAMES = {"python", "you", "because", "and", "version", "versions", "only", "the", "of"}
_PATHS = re.compile(r"(?:[A-Za-z]:)?(?:/[\w.+@-]+){2,}/?")


@dataclass
class Resolution:
    """One resolution's outcome; ``closure`` is ``name==version`` of everything resolved."""

    outcome: str
    closure: list[str] = field(default_factory=list)
    sdists: list[str] = field(default_factory=list)
    blamed: list[str] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0
    calls: int = 0


def uv_binary() -> str:
    """The ``uv`` executable installed with the pinned ``uv`` package."""
    from uv import find_uv_bin

    return find_uv_bin()


def uv_version() -> str:
    out = subprocess.run(
        [uv_binary(), "--version"],
        capture_output=True,
        text=True,
        check=True,
        env=_env(tempfile.gettempdir()),
        timeout=60,
    )
    return out.stdout.split()[1]


def _env(home: str) -> dict[str, str]:
    """PATH, locale and an empty HOME: no UV_*/PIP_* variable or user configuration."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LC_ALL": "C.UTF-8",
        "HOME": home,
        "XDG_CONFIG_HOME": home,
        "XDG_CACHE_HOME": home,
        "NO_COLOR": "1",
    }
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "https_proxy", "NO_PROXY"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


@dataclass(frozen=True)
class Index:
    """Where packages come from (PyPI by default; a local test index in tests)."""

    url: str = DEFAULT_INDEX
    json_api: str = DEFAULT_JSON_API
    cache_dir: str | None = None  # uv's cache (metadata only, no builds)
    timeout: float = 600.0


def compile_once(
    reqs: list[str], overrides: list[str], python: str, cutoff: str, index: Index
) -> tuple[int, str, str]:
    """One ``uv pip compile`` call: (exit code, stdout, stderr)."""
    work = tempfile.mkdtemp(prefix="bm-uv-")
    try:
        Path(work, "in.txt").write_text("".join(f"{r}\n" for r in reqs))
        cmd = [
            uv_binary(),
            "pip",
            "compile",
            "in.txt",
            "--only-binary",
            ":all:",
            "--no-config",
            "--no-python-downloads",
            "--python",
            sys.executable,  # only to skip interpreter discovery; the target is --python-version
            "--python-platform",
            PLATFORM,
            "--python-version",
            python,
            "--exclude-newer",
            cutoff,
            "--index-url",
            index.url,
            "--no-header",
            "--no-annotate",
            "--color",
            "never",
            "--no-progress",
        ]
        if overrides:
            Path(work, "overrides.txt").write_text("".join(f"{o}\n" for o in overrides))
            cmd += ["--override", "overrides.txt"]
        cmd += ["--cache-dir", index.cache_dir] if index.cache_dir else ["--no-cache"]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, cwd=work, env=_env(work), timeout=index.timeout
            )
        except subprocess.TimeoutExpired:
            return -1, "", f"error: resolver timed out after {index.timeout:.0f} s"
        return proc.returncode, proc.stdout, proc.stderr
    finally:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


def excerpt(stderr: str, limit: int = 600) -> str:
    """The resolver's error without warnings, temporary paths or colour, at most ``limit``."""
    lines = [
        ln
        for ln in stderr.splitlines()
        if ln.strip()
        and not ln.startswith("warning:")
        and not ln.startswith("  cause: failed to lookup")
    ]
    text = _PATHS.sub("<path>", " ".join(ln.strip() for ln in lines))
    return text[:limit]


def classify(stderr: str) -> str:
    """Outcome class of a failed resolution from uv's explanation (warnings ignored).

    A package without a usable wheel is reported first (``sdist_only``: the caller reads its
    sdist and resolves again), so a later round can still reveal another cause.
    """
    s = excerpt(stderr, 20_000)
    if "was not found in the package registry" in s or "not found in the provided package" in s:
        return "package_not_found"
    if NO_USABLE.search(s) or ALL_VERSIONS_NO_USABLE.search(s):
        return "sdist_only"
    if re.search(
        r"matching Python (ABI|implementation) tag|Python version \([^)]*\) does not "
        r"satisfy|the current Python version",
        s,
    ):
        return "no_wheel_for_python"
    if re.search(r"there (is|are) no versions? of|only [^\n]{1,80} (is|are) available", s):
        return "version_absent"
    if "matching platform tag" in s:
        return "no_wheel_for_platform"
    if "No solution found" in s or "unsatisfiable" in s:
        return "conflict"
    return "resolver_error"


def blamed(stderr: str) -> list[str]:
    """Distinct package names the explanation mentions with a version, in order."""
    out: list[str] = []
    for m in BLAMED.finditer(excerpt(stderr, 4000)):
        name = str(canonicalize_name(m.group(1)))
        if name not in NOT_NAMES and name not in out:
            out.append(name)
    return out[:10]


def sdist_only_package(stderr: str) -> tuple[str, str | None] | None:
    """(name, version or None) of the package uv could not use for want of a wheel."""
    m = ALL_VERSIONS_NO_USABLE.search(stderr)
    if m:
        return str(canonicalize_name(m.group(1))), None
    m = NO_USABLE.search(stderr)
    if m:
        return str(canonicalize_name(m.group(1))), m.group(2)
    return None


def input_hash(reqs: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(reqs)).encode()).hexdigest()


def direct_spec(reqs: list[str], name: str) -> str:
    """The specifier our input gives ``name`` ("" when it is only a transitive dependency)."""
    specs = [
        str(r.specifier)
        for r in map(parse_requirement, reqs)
        if r is not None and canonicalize_name(r.name) == name and r.specifier
    ]
    return ",".join(specs)


def closure_of(stdout: str) -> list[str]:
    """``name==version`` lines of uv's compiled output, canonical names, sorted."""
    out = []
    for line in stdout.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, _, ver = line.partition("==")
            out.append(
                f"{canonicalize_name(name.split('[')[0].strip())}=={ver.split(';')[0].strip()}"
            )
    return sorted(set(out))


def resolve(
    reqs: list[str], python: str, cutoff: str, index: Index, fetch_sdist: object = None
) -> Resolution:
    """Resolve ``reqs`` (sanitised PEP 508 strings) for ``python`` at ``cutoff`` (ISO time).

    ``fetch_sdist(name, spec, cutoff) -> (version, requirements | None) | None`` supplies the
    static requirements of sdists (``sdist_metadata``) for
    packages without a usable wheel (see ``collect.installability``); ``None`` disables that.
    """
    t0 = time.perf_counter()
    extra: list[str] = []
    overrides: list[str] = []
    sdists: list[str] = []
    calls = 0
    while True:
        calls += 1
        rc, out, err = compile_once(reqs + extra, overrides, python, cutoff, index)
        if rc == 0:
            outcome = "resolves_with_sdists" if sdists else "resolves"
            closure = closure_of(out) + [s for s in sdists]
            return Resolution(
                outcome, sorted(set(closure)), sdists, [], "", time.perf_counter() - t0, calls
            )
        kind = classify(err)
        pkg = sdist_only_package(err) if kind == "sdist_only" else None
        if pkg is None or fetch_sdist is None or calls > MAX_SDIST_ROUNDS:
            kind = "sdist_metadata_unavailable" if kind == "sdist_only" else kind
            return Resolution(
                kind, [], sdists, blamed(err), excerpt(err), time.perf_counter() - t0, calls
            )
        name, version = pkg
        spec = f"=={version}" if version else direct_spec(reqs + extra, name)
        got = fetch_sdist(name, spec, cutoff)  # type: ignore[operator]
        meta = got[1] if got else None
        if meta is None or any(o.startswith(f"{name} ;") for o in overrides):
            return Resolution(
                "sdist_metadata_unavailable",
                [],
                sdists,
                [name],
                excerpt(err),
                time.perf_counter() - t0,
                calls,
            )
        sdists.append(f"{name}=={got[0]}")
        overrides.append(f"{name} ; {NEVER}")
        for r in meta:
            req = parse_requirement(r)
            if req is not None and not req.url:
                extra.append(str(req))


def requirement_names(reqs: list[str]) -> set[str]:
    return {str(canonicalize_name(Requirement(r).name)) for r in reqs}

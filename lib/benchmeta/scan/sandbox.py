"""Read an untrusted git repository without running anything from it.

A repository is never checked out. Its objects are reached through a fresh, private git
directory that borrows them via ``objects/info/alternates`` and copies only ``HEAD``,
``packed-refs`` and ``refs/``, so the repository's own ``config``, hooks and attributes are never
read. Files are then read blob by blob by ``headtree`` (``ls-tree -z`` + ``cat-file --batch``).

A mirror whose own ``objects/info/alternates`` (or ``http-alternates``) borrows objects from
another repository is refused (``MirrorError``): git would follow it to any repository on the
machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

GIT_SAFE_ARGS = [
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "log.showSignature=false",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "protocol.ext.allow=never",
    "--no-pager",
]


def scrubbed_env(home: str | None = None) -> dict[str, str]:
    """A minimal environment: no git/python/pylint configuration from the caller leaks in."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_ATTR_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "/bin/false",
        "GIT_OPTIONAL_LOCKS": "0",
    }
    if home:
        env["HOME"] = home
        env["XDG_CONFIG_HOME"] = home
    return env


def git(
    git_dir: Path | str,
    *args: str,
    input: bytes | None = None,
    timeout: float = 300,
    check: bool = True,
) -> subprocess.CompletedProcess:
    """Run ``git --git-dir=<git_dir> <args>`` with safe options and a scrubbed environment."""
    cmd = ["git", *GIT_SAFE_ARGS, f"--git-dir={git_dir}", *args]
    return subprocess.run(
        cmd,
        input=input,
        capture_output=True,
        timeout=timeout,
        check=check,
        env=scrubbed_env(tempfile.gettempdir()),
        cwd=tempfile.gettempdir(),
    )


class MirrorError(Exception):
    """A mirror that cannot be scanned, with a sentence saying what is wrong with it."""


def find_git_dir(path: Path | str) -> Path:
    """The git directory of ``path``: ``path/.git`` for a clone, else ``path`` (bare)."""
    p = Path(path)
    if (p / ".git").is_dir() and not (p / ".git").is_symlink():
        return p / ".git"
    if (p / "objects").is_dir() and (p / "HEAD").is_file():
        return p
    raise FileNotFoundError(f"not a git directory: {p.name}")


@contextmanager
def isolated(source: Path | str) -> Iterator[Path]:
    """A private git directory sharing ``source``'s objects and refs, but none of its config."""
    src = find_git_dir(source).resolve()
    for name in ("alternates", "http-alternates"):
        if (src / "objects" / "info" / name).exists():
            raise MirrorError(
                f"mirror refused: its objects {name} file borrows objects "
                "from another repository, which the scan would then read"
            )
    tmp = Path(tempfile.mkdtemp(prefix="bm-git-"))
    try:
        (tmp / "objects" / "info").mkdir(parents=True)
        (tmp / "objects" / "info" / "alternates").write_text(str(src / "objects") + "\n")
        (tmp / "refs").mkdir()
        for name in ("HEAD", "packed-refs", "shallow"):
            f = src / name
            if f.is_file() and not f.is_symlink():
                shutil.copyfile(f, tmp / name)
        if (src / "refs").is_dir():
            for root, dirs, files in os.walk(src / "refs", followlinks=False):
                rel = Path(root).relative_to(src)
                (tmp / rel).mkdir(parents=True, exist_ok=True)
                for f in files:
                    fp = Path(root) / f
                    if fp.is_file() and not fp.is_symlink():
                        shutil.copyfile(fp, tmp / rel / f)
                dirs[:] = [d for d in dirs if not (Path(root) / d).is_symlink()]
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def clone_bare(url: str, dest: Path | str, timeout: float = 900) -> Path:
    """``git clone --bare`` without hooks or templates (online collection only)."""
    dest = Path(dest)
    cmd = ["git", *GIT_SAFE_ARGS, "clone", "--bare", "--quiet", "--template=", url, str(dest)]
    home = tempfile.mkdtemp(prefix="bm-home-")
    try:
        subprocess.run(
            cmd, capture_output=True, timeout=timeout, check=True, env=scrubbed_env(home), cwd=home
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return dest


def safe_path(path: str) -> bool:
    """A repository-relative path with no absolute root, ``..``, empty or odd components."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return False
    parts = path.split("/")
    return all(p not in ("..", ".", "") for p in parts) and parts[0] != ".git"


_HEX = set("0123456789abcdef")


def _ref_value(git_dir: Path, ref: str) -> str | None:
    """The text a ref holds (loose file or packed-refs line), ``None`` when it is absent."""
    loose = git_dir / ref
    if loose.is_file():
        return loose.read_text(errors="replace").strip()
    packed = git_dir / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(errors="replace").splitlines():
            sha, _, name = line.partition(" ")
            if name.strip() == ref:
                return sha.strip()
    return None


def diagnose_head(git_dir: Path | str) -> str:
    """A sentence saying why ``HEAD`` does not name a commit of this mirror."""
    gd = Path(git_dir)
    head = (gd / "HEAD").read_text(errors="replace").strip() if (gd / "HEAD").is_file() else ""
    if head.startswith("ref:"):
        ref = head[4:].strip()
        value = _ref_value(gd, ref) if safe_path(ref) else None
        if value is None:
            return f"empty repository or missing branch: HEAD points at {ref}, which has no commit"
        if value.startswith("ref:"):
            return f"HEAD points at {ref}, a symbolic ref to {value[4:].strip()[:80]!r}"
        what, name = value, ref
    else:
        what, name = head, "HEAD"
    if len(what) not in (40, 64) or not set(what) <= _HEX:
        return f"broken ref: {name} holds {what[:60]!r}, which is not a commit id"
    kind = git(gd, "cat-file", "-t", what, check=False).stdout.decode().strip()
    if not kind:
        return f"{name} names commit {what[:12]}, which is missing from the mirror's objects"
    return f"{name} names a {kind} ({what[:12]}), not a commit"


def head_sha(git_dir: Path | str, rev: str = "HEAD") -> str:
    """The commit ``rev`` names; ``MirrorError`` saying what is wrong with the mirror if none."""
    proc = git(git_dir, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    sha = proc.stdout.decode().strip()
    if proc.returncode == 0 and sha:
        return sha
    raise MirrorError(diagnose_head(git_dir) if rev == "HEAD" else f"no commit named {rev!r}")

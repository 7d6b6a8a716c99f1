"""Read an untrusted git repository without running anything from it.

A repository is never checked out. Its objects are reached through a fresh, private git
directory that borrows them via ``objects/info/alternates`` and copies only ``HEAD``,
``packed-refs`` and ``refs/``, so the repository's own ``config``, hooks and attributes are never
read. Files are then read blob by blob (``ls-tree -z`` + ``cat-file --batch``): symlinks,
gitlinks, absolute or ``..`` paths and blobs missing from a partial snapshot are skipped and
recorded, sizes and counts are capped. Only the files that are measured are kept.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

GIT_SAFE_ARGS = [
    "-c", "core.hooksPath=/dev/null",
    "-c", "log.showSignature=false",
    "-c", "core.fsmonitor=false",
    "-c", "protocol.ext.allow=never",
    "--no-pager",
]

# Files whose text is kept (besides *.py and *.ipynb): what readiness and vendoring look at.
KEEP_NAMES = {
    "requirements.txt", "environment.yml", "environment.yaml", "setup.py", "setup.cfg",
    "pyproject.toml", "pipfile", "pipfile.lock", "poetry.lock", "dockerfile", "apt.txt",
    "install.r", "runtime.txt", "postbuild", "start", "default.nix", "project.toml",
    "description", "conda.yml", "conda.yaml", "makefile", "tox.ini", "citation.cff",
}
KEEP_PREFIXES = ("readme", "license", "licence", "copying", "ethics", "disclaimer", "notice",
                 "requirements", "model_card", "datasheet")


@dataclass(frozen=True)
class Limits:
    """Caps on what is read from one repository."""

    max_file_bytes: int = 1_000_000   # a .py above this is recorded, not measured
    max_text_bytes: int = 2_000_000   # README / packaging files above this are not read
    max_files: int = 20_000           # entries kept per repository
    max_total_bytes: int = 300_000_000


@dataclass
class TreeEntry:
    """One entry of the HEAD tree (never read unless kept)."""

    path: str
    mode: str
    size: int | None  # None: the blob is absent from this snapshot


@dataclass
class Extracted:
    """What was read from HEAD: kept file bytes, the whole tree listing, what was skipped."""

    commit_sha: str
    tree: list[TreeEntry]
    files: dict[str, bytes]
    skipped: list[dict] = field(default_factory=list)  # path, reason, size

    @property
    def tree_bytes(self) -> int:
        return sum(e.size or 0 for e in self.tree)


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


def git(git_dir: Path | str, *args: str, input: bytes | None = None, timeout: float = 300,
        check: bool = True) -> subprocess.CompletedProcess:
    """Run ``git --git-dir=<git_dir> <args>`` with safe options and a scrubbed environment."""
    cmd = ["git", *GIT_SAFE_ARGS, f"--git-dir={git_dir}", *args]
    return subprocess.run(
        cmd, input=input, capture_output=True, timeout=timeout, check=check,
        env=scrubbed_env(tempfile.gettempdir()), cwd=tempfile.gettempdir(),
    )


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
        subprocess.run(cmd, capture_output=True, timeout=timeout, check=True,
                       env=scrubbed_env(home), cwd=home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return dest


def safe_path(path: str) -> bool:
    """A repository-relative path with no absolute root, ``..``, empty or odd components."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return False
    parts = path.split("/")
    return all(p not in ("..", ".", "") for p in parts) and parts[0] != ".git"


def is_kept(path: str) -> bool:
    """Whether a file is read: Python, notebooks, README/licence/packaging files."""
    name = PurePosixPath(path).name.lower()
    if name.endswith((".py", ".ipynb")):
        return True
    if name in KEEP_NAMES or name.startswith(KEEP_PREFIXES):
        return True
    return name.endswith((".yml", ".yaml")) and "environment" in name


def head_sha(git_dir: Path | str) -> str:
    return git(git_dir, "rev-parse", "--verify", "HEAD^{commit}").stdout.decode().strip()


def list_tree(git_dir: Path | str, rev: str = "HEAD") -> list[tuple[str, str, str, str]]:
    """(mode, type, sha, size) + path for every entry of ``rev``'s tree, recursively."""
    out = git(git_dir, "ls-tree", "-r", "-l", "-z", "--full-tree", rev).stdout
    rows = []
    for rec in out.split(b"\x00"):
        if not rec:
            continue
        meta, _, raw_path = rec.partition(b"\t")
        mode, otype, sha, size = meta.decode().split(maxsplit=3)
        rows.append((mode, otype, sha, size.strip(), raw_path.decode("utf-8", "surrogateescape")))
    return rows


def _read_blobs(git_dir: Path | str, shas: list[str]) -> dict[str, bytes | None]:
    """Blob contents via one ``cat-file --batch``; ``None`` for a missing object."""
    if not shas:
        return {}
    proc = git(git_dir, "cat-file", "--batch", input=("\n".join(shas) + "\n").encode(),
               check=False)
    data, pos, found = proc.stdout, 0, {}
    for sha in shas:
        nl = data.find(b"\n", pos)
        if nl < 0:
            break
        header = data[pos:nl].decode(errors="replace").split()
        pos = nl + 1
        if len(header) < 3 or header[1] == "missing":
            found[sha] = None
            continue
        size = int(header[2])
        found[sha] = data[pos:pos + size]
        pos += size + 1
    return found


def extract(git_dir: Path | str, limits: Limits | None = None, rev: str = "HEAD") -> Extracted:
    """Read the measured files of ``rev`` into memory; record every skip with its reason."""
    limits = limits or Limits()
    sha = git(git_dir, "rev-parse", "--verify", f"{rev}^{{commit}}").stdout.decode().strip()
    tree: list[TreeEntry] = []
    skipped: list[dict] = []
    wanted: list[tuple[str, str, int | None]] = []
    total = 0
    for mode, otype, blob, size_s, path in list_tree(git_dir, sha):
        size = int(size_s) if size_s.isdigit() else None
        if not safe_path(path):
            skipped.append({"path": path, "reason": "unsafe_path", "size": size})
            continue
        tree.append(TreeEntry(path, mode, size))
        if mode == "120000":
            skipped.append({"path": path, "reason": "symlink", "size": size})
            continue
        if mode == "160000" or otype != "blob":
            skipped.append({"path": path, "reason": "gitlink", "size": None})
            continue
        if not is_kept(path):
            continue
        cap = limits.max_file_bytes if path.endswith(".py") else limits.max_text_bytes
        if path.endswith(".ipynb"):
            cap = limits.max_text_bytes * 5
        if size is None:
            skipped.append({"path": path, "reason": "missing_blob", "size": None})
        elif size > cap:
            skipped.append({"path": path, "reason": "too_large", "size": size})
        elif len(wanted) >= limits.max_files:
            skipped.append({"path": path, "reason": "file_count_cap", "size": size})
        elif total + size > limits.max_total_bytes:
            skipped.append({"path": path, "reason": "total_size_cap", "size": size})
        else:
            total += size
            wanted.append((path, blob, size))
    blobs = _read_blobs(git_dir, sorted({b for _, b, _ in wanted}))
    files: dict[str, bytes] = {}
    for path, blob, size in wanted:
        data = blobs.get(blob)
        if data is None:
            skipped.append({"path": path, "reason": "missing_blob", "size": size})
        else:
            files[path] = data
    return Extracted(sha, tree, files, skipped)


def write_tree(files: dict[str, bytes], dest: Path, only_suffix: str = ".py") -> list[str]:
    """Write the kept files ending in ``only_suffix`` under ``dest`` (fresh folder, no links).

    Returns the repository-relative paths written, sorted.
    """
    written = []
    dest = dest.resolve()
    for path in sorted(files):
        if not path.endswith(only_suffix) or not safe_path(path):
            continue
        target = dest.joinpath(*PurePosixPath(path).parts)
        if dest not in target.parents:
            continue
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(target, flags, 0o600)
        except OSError:  # a name clash in a malformed tree: leave the file out
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(files[path])
        written.append(path)
    return written

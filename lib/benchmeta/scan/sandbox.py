"""Read an untrusted git repository without running anything from it.

A repository is never checked out. Its objects are reached through a fresh, private git
directory that borrows them via ``objects/info/alternates`` and copies only ``HEAD``,
``packed-refs`` and ``refs/``, so the repository's own ``config``, hooks and attributes are never
read. Files are then read blob by blob (``ls-tree -z`` + ``cat-file --batch``): symlinks,
gitlinks, absolute or ``..`` paths and blobs missing from a partial snapshot are skipped and
recorded, sizes and counts are capped. Only the files that are measured are kept.

A mirror whose own ``objects/info/alternates`` (or ``http-alternates``) borrows objects from
another repository is refused (``MirrorError``): git would follow it to any repository on the
machine. The tree is walked as a stream and cut at ``Limits.max_tree_entries`` entries (a tree
bomb of a million paths costs a few hundred kilobytes), and identical blobs are read once.
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

# Files whose text is kept (besides *.py and *.ipynb): what readiness and vendoring look at.
KEEP_NAMES = {
    "requirements.txt",
    "environment.yml",
    "environment.yaml",
    "setup.py",
    "setup.cfg",
    "pyproject.toml",
    "pipfile",
    "pipfile.lock",
    "poetry.lock",
    "dockerfile",
    "apt.txt",
    "install.r",
    "runtime.txt",
    "postbuild",
    "start",
    "default.nix",
    "project.toml",
    "description",
    "conda.yml",
    "conda.yaml",
    "makefile",
    "tox.ini",
    "citation.cff",
}
MAX_CAP_ROWS = 1000  # files cut by a cap listed one by one; ``Extracted.cuts`` has the total
KEEP_PREFIXES = (
    "readme",
    "license",
    "licence",
    "copying",
    "ethics",
    "disclaimer",
    "notice",
    "requirements",
    "model_card",
    "datasheet",
)


@dataclass(frozen=True)
class Limits:
    """Caps on what is read from one repository."""

    max_file_bytes: int = 1_000_000  # a .py above this is recorded, not measured
    max_text_bytes: int = 2_000_000  # README / packaging files above this are not read
    max_files: int = 20_000  # entries kept per repository
    max_total_bytes: int = 300_000_000  # distinct blob bytes read per repository
    max_tree_entries: int = 300_000  # tree entries walked (the rest are cut, and recorded)


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
    blob_of: dict[str, str] = field(default_factory=dict)  # kept path -> blob sha
    cuts: dict[str, int] = field(default_factory=dict)  # what a cap cut, and how much

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


def is_kept(path: str) -> bool:
    """Whether a file is read: Python, notebooks, README/licence/packaging files."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.endswith((".py", ".ipynb")):
        return True
    if name in KEEP_NAMES or name.startswith(KEEP_PREFIXES):
        return True
    return name.endswith((".yml", ".yaml")) and "environment" in name


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


def iter_tree(
    git_dir: Path | str, rev: str = "HEAD", max_entries: int | None = None
) -> Iterator[tuple[str, str, str, str, str]]:
    """(mode, type, sha, size, path) of ``rev``'s tree, recursively, read as a stream.

    Stops after ``max_entries`` entries (git is killed), so a tree bomb is cut while walking.
    Raises ``MirrorError`` when git cannot read the tree (missing tree objects)."""
    cmd = [
        "git",
        *GIT_SAFE_ARGS,
        f"--git-dir={git_dir}",
        "ls-tree",
        "-r",
        "-l",
        "-z",
        "--full-tree",
        rev,
    ]
    tmp = tempfile.gettempdir()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=scrubbed_env(tmp), cwd=tmp
    )
    assert proc.stdout is not None and proc.stderr is not None
    n, buf = 0, b""
    try:
        while chunk := proc.stdout.read(1 << 16):
            *records, buf = (buf + chunk).split(b"\x00")
            for rec in records:
                if max_entries is not None and n >= max_entries:
                    return
                meta, _, raw_path = rec.partition(b"\t")
                mode, otype, sha, size = meta.decode().split(maxsplit=3)
                n += 1
                yield (mode, otype, sha, size.strip(), raw_path.decode("utf-8", "surrogateescape"))
        err = proc.stderr.read(4000).decode("utf-8", "replace").strip().splitlines()
        if proc.wait() != 0:
            tail = err[-1] if err else f"exit {proc.returncode}"
            raise MirrorError(f"the tree of {rev[:12]} cannot be read ({tail})")
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def list_tree(
    git_dir: Path | str, rev: str = "HEAD", max_entries: int | None = None
) -> list[tuple[str, str, str, str, str]]:
    """(mode, type, sha, size, path) for every entry of ``rev``'s tree, recursively."""
    return list(iter_tree(git_dir, rev, max_entries))


def _read_blobs(git_dir: Path | str, shas: list[str]) -> dict[str, bytes | None]:
    """Blob contents via one ``cat-file --batch``; ``None`` for a missing object."""
    if not shas:
        return {}
    proc = git(git_dir, "cat-file", "--batch", input=("\n".join(shas) + "\n").encode(), check=False)
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
        found[sha] = data[pos : pos + size]
        pos += size + 1
    return found


def extract(git_dir: Path | str, limits: Limits | None = None, rev: str = "HEAD") -> Extracted:
    """Read the measured files of ``rev`` into memory; record every skip with its reason."""
    limits = limits or Limits()
    sha = head_sha(git_dir, rev)
    tree: list[TreeEntry] = []
    skipped: list[dict] = []
    wanted: list[tuple[str, str, int | None]] = []
    seen: set[str] = set()
    capped: dict[str, int] = {}
    total = n_entries = 0
    for mode, otype, blob, size_s, path in iter_tree(git_dir, sha, limits.max_tree_entries + 1):
        n_entries += 1
        if n_entries > limits.max_tree_entries:
            break
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
            capped["file_count_cap"] = capped.get("file_count_cap", 0) + 1
            if capped["file_count_cap"] <= MAX_CAP_ROWS:
                skipped.append({"path": path, "reason": "file_count_cap", "size": size})
        elif blob not in seen and total + size > limits.max_total_bytes:
            capped["total_size_cap"] = capped.get("total_size_cap", 0) + 1
            if capped["total_size_cap"] <= MAX_CAP_ROWS:
                skipped.append({"path": path, "reason": "total_size_cap", "size": size})
        else:
            if blob not in seen:  # identical blobs are read (and counted) once
                total += size
                seen.add(blob)
            wanted.append((path, blob, size))
    cuts = dict(capped)
    if n_entries > limits.max_tree_entries:
        cuts["tree_entry_cap"] = limits.max_tree_entries
    blobs = _read_blobs(git_dir, sorted(seen))
    files: dict[str, bytes] = {}
    blob_of: dict[str, str] = {}
    for path, blob, size in wanted:
        data = blobs.get(blob)
        if data is None:
            skipped.append({"path": path, "reason": "missing_blob", "size": size})
        else:
            files[path] = data
            blob_of[path] = blob
    return Extracted(sha, tree, files, skipped, blob_of, cuts)


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

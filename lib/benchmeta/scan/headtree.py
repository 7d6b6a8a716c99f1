"""The HEAD tree of an isolated git directory, read blob by blob and never checked out.

``ls-tree -z`` is walked as a stream and cut at ``Limits.max_tree_entries`` entries (a tree bomb
of a million paths costs a few hundred kilobytes); symlinks, gitlinks, absolute or ``..`` paths
and blobs missing from a partial snapshot are skipped and recorded, sizes and counts are capped,
identical blobs are read once (``cat-file --batch``). Only the files that are measured are kept.
The git directory comes from ``sandbox.isolated``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .sandbox import GIT_SAFE_ARGS, MirrorError, git, head_sha, safe_path, scrubbed_env

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


def is_kept(path: str) -> bool:
    """Whether a file is read: Python, notebooks, README/licence/packaging files."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.endswith((".py", ".ipynb")):
        return True
    if name in KEEP_NAMES or name.startswith(KEEP_PREFIXES):
        return True
    return name.endswith((".yml", ".yaml")) and "environment" in name


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


def read_blobs(git_dir: Path | str, shas: list[str]) -> dict[str, bytes | None]:
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


@dataclass
class _Walk:
    """What a walk of the tree keeps, skips and cuts, before any blob is read."""

    limits: Limits
    tree: list[TreeEntry] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    wanted: list[tuple[str, str, int | None]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # distinct blobs to read
    capped: dict[str, int] = field(default_factory=dict)
    total: int = 0  # distinct blob bytes to read

    def skip(self, path: str, reason: str, size: int | None) -> None:
        self.skipped.append({"path": path, "reason": reason, "size": size})

    def cap(self, path: str, reason: str, size: int | None) -> None:
        """Count a file cut by a cap; the first ``MAX_CAP_ROWS`` are listed one by one."""
        self.capped[reason] = self.capped.get(reason, 0) + 1
        if self.capped[reason] <= MAX_CAP_ROWS:
            self.skip(path, reason, size)

    def entry(self, mode: str, otype: str, blob: str, size: int | None, path: str) -> None:
        """Record one tree entry: listed, skipped with its reason, or kept for reading."""
        if not safe_path(path):
            self.skip(path, "unsafe_path", size)
            return
        self.tree.append(TreeEntry(path, mode, size))
        if mode == "120000":
            self.skip(path, "symlink", size)
        elif mode == "160000" or otype != "blob":
            self.skip(path, "gitlink", None)
        elif is_kept(path):
            self.keep(path, blob, size)

    def keep(self, path: str, blob: str, size: int | None) -> None:
        """Keep a file for reading unless it is missing or a size or count cap cuts it."""
        limits = self.limits
        cap = limits.max_file_bytes if path.endswith(".py") else limits.max_text_bytes
        if path.endswith(".ipynb"):
            cap = limits.max_text_bytes * 5
        if size is None:
            self.skip(path, "missing_blob", None)
        elif size > cap:
            self.skip(path, "too_large", size)
        elif len(self.wanted) >= limits.max_files:
            self.cap(path, "file_count_cap", size)
        elif blob not in self.seen and self.total + size > limits.max_total_bytes:
            self.cap(path, "total_size_cap", size)
        else:
            if blob not in self.seen:  # identical blobs are read (and counted) once
                self.total += size
                self.seen.add(blob)
            self.wanted.append((path, blob, size))


def _walk(git_dir: Path | str, sha: str, limits: Limits) -> tuple[_Walk, dict[str, int]]:
    """Walk ``sha``'s tree up to ``limits.max_tree_entries``; the walk and what the caps cut."""
    walk = _Walk(limits)
    n_entries = 0
    for mode, otype, blob, size_s, path in iter_tree(git_dir, sha, limits.max_tree_entries + 1):
        n_entries += 1
        if n_entries > limits.max_tree_entries:
            break
        walk.entry(mode, otype, blob, int(size_s) if size_s.isdigit() else None, path)
    cuts = dict(walk.capped)
    if n_entries > limits.max_tree_entries:
        cuts["tree_entry_cap"] = limits.max_tree_entries
    return walk, cuts


def extract(git_dir: Path | str, limits: Limits | None = None, rev: str = "HEAD") -> Extracted:
    """Read the measured files of ``rev`` into memory; record every skip with its reason."""
    limits = limits or Limits()
    sha = head_sha(git_dir, rev)
    walk, cuts = _walk(git_dir, sha, limits)
    blobs = read_blobs(git_dir, sorted(walk.seen))
    files: dict[str, bytes] = {}
    blob_of: dict[str, str] = {}
    for path, blob, size in walk.wanted:
        data = blobs.get(blob)
        if data is None:
            walk.skip(path, "missing_blob", size)
        else:
            files[path] = data
            blob_of[path] = blob
    return Extracted(sha, walk.tree, files, walk.skipped, blob_of, cuts)


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

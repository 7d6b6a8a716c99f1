"""Build real git repositories for the scanner tests (imported by tests/test_scan_*.py)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": "/nonexistent",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "LC_ALL": "C",
}


def git(cwd: Path, *args: str, env: dict | None = None) -> str:
    out = subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env={**ENV, **(env or {})},
    )
    return out.stdout.decode()


def init(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    git(work, "init", "-q", "-b", "main")
    return work


def commit(
    work: Path,
    files: dict[str, str | bytes] | None = None,
    *,
    when: str,
    author: str = "Ada",
    email: str = "ada@example.org",
    message: str = "c",
    add: bool = True,
) -> None:
    """Write ``files`` and commit them with author and committer date ``when`` (ISO 8601)."""
    for path, content in (files or {}).items():
        p = work / path
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content)
    if add:
        git(work, "add", "-A")
    env = {
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": when,
    }
    git(work, "commit", "-q", "--allow-empty", "--no-verify", "-m", message, env=env)


def mirror(work: Path, mirrors: Path, repo: str) -> Path:
    """A bare copy of ``work`` at ``mirrors/owner+name/repo`` (the fetched-snapshot layout)."""
    dest = mirrors / repo.replace("/", "+") / "repo"
    dest.parent.mkdir(parents=True, exist_ok=True)
    git(mirrors, "clone", "-q", "--bare", "--no-local", str(work), str(dest))
    return dest


def drop_blob(git_dir: Path, work: Path, path: str) -> None:
    """Make ``path``'s blob missing from a bare mirror, as in a partial snapshot."""
    sha = git(work, "rev-parse", f"HEAD:{path}").strip()
    subprocess.run(
        [
            "git",
            "-c",
            "core.hooksPath=/dev/null",
            f"--git-dir={git_dir}",
            "repack",
            "-a",
            "-d",
            "-q",
        ],
        check=True,
        env=ENV,
        capture_output=True,
    )
    # Unpack everything except the dropped blob into loose objects.
    packs = list((git_dir / "objects" / "pack").glob("*.pack"))
    for pack in packs:
        data = pack.read_bytes()
        for f in pack.parent.glob(pack.stem + ".*"):
            f.unlink()
        subprocess.run(
            ["git", f"--git-dir={git_dir}", "unpack-objects", "-q"],
            input=data,
            check=True,
            env=ENV,
            capture_output=True,
        )
    (git_dir / "objects" / sha[:2] / sha[2:]).unlink()


def notebook(cells: list[str]) -> str:
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": f"c{i}",
                    "metadata": {},
                    "outputs": [],
                    "source": src,
                }
                for i, src in enumerate(cells)
            ]
            + [{"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# notes"}],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def git_in(cwd: Path, data: bytes, *args: str, env: dict | None = None) -> str:
    """``git <args>`` with ``data`` on stdin (plumbing: hash-object, mktree, update-index)."""
    out = subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", *args],
        cwd=cwd,
        check=True,
        input=data,
        capture_output=True,
        env={**ENV, **(env or {})},
    )
    return out.stdout.decode().strip()


def commit_tree(work: Path, tree: str, when: str = "2024-01-02T10:00:00+00:00") -> str:
    """Commit ``tree`` (a tree sha) on ``main`` without touching the work tree."""
    env = {
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.org",
        "GIT_COMMITTER_DATE": when,
    }
    sha = git_in(work, b"", "commit-tree", tree, "-m", "c", env=env)
    git(work, "update-ref", "refs/heads/main", sha)
    return sha


def tree_of(work: Path, entries: dict[bytes, tuple[str, str]]) -> str:
    """A tree object from ``{name: (mode, sha)}``, names as raw bytes (any byte but / and NUL)."""
    lines = []
    for name, (mode, sha) in sorted(entries.items()):
        kind = "tree" if mode == "040000" else "blob"
        lines.append(f"{mode} {kind} {sha}\t".encode() + name)
    return git_in(work, b"\x00".join(lines) + b"\x00", "mktree", "-z")


def blob(work: Path, data: bytes) -> str:
    return git_in(work, data, "hash-object", "-w", "--stdin")

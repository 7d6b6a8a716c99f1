"""Find a repository's git mirror in a folder of mirrors, in any of the usual layouts."""

from __future__ import annotations

from pathlib import Path

from . import sandbox


def mirror_path(mirrors: Path, repo: str) -> Path | None:
    """Find ``owner/name`` in a folder of mirrors, in any of the usual layouts."""
    owner, name = repo.split("/", 1)
    for cand in (
        f"{owner}+{name}/repo",
        f"{owner}+{name}",
        f"{owner}+{name}.git",
        f"{owner}/{name}",
        f"{owner}/{name}.git",
        f"{owner}__{name}",
        f"{owner}__{name}.git",
    ):
        p = mirrors / cand
        try:
            sandbox.find_git_dir(p)
            return p
        except FileNotFoundError:
            continue
    # GitHub names are case-insensitive; a mirror folder may be spelled differently (checked
    # directly, never by recursion: two case variants of a non-git folder must not loop)
    wanted = f"{owner}+{name}".lower()
    for p in sorted(mirrors.iterdir()) if mirrors.is_dir() else []:
        if p.name.lower().removesuffix(".git") != wanted or p.name == f"{owner}+{name}":
            continue
        for cand in (p / "repo", p):
            try:
                sandbox.find_git_dir(cand)
                return cand
            except FileNotFoundError:
                continue
    return None


def discover_mirrors(mirrors: Path) -> list[str]:
    """``owner/name`` of every mirror in ``owner+name[/repo]`` layout."""
    found = []
    for p in sorted(mirrors.iterdir()):
        if "+" in p.name and p.is_dir():
            repo = p.name.removesuffix(".git").replace("+", "/", 1)
            if mirror_path(mirrors, repo):
                found.append(repo)
    return found

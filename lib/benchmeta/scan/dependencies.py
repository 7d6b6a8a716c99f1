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

import re
from pathlib import PurePosixPath

from . import headtree, sandbox
from .dependency_formats import (
    read_environment,
    read_pipfile,
    read_pyproject,
    read_setup_cfg,
    read_setup_py,
)
from .requirements import (
    DEV_WORDS,
    MAX_DEP_FILE_BYTES,
    MAX_INCLUDE_DEPTH,
    REQ_NAME,
    Declared,
    decode,
    normalise,
    read_requirements,
)


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
        text = decode(files[p])
        if p in primary:
            read_requirements(text, p, files, out)
        else:
            readers[low](text, p, out)
    if not out.python_spec and "runtime.txt" in files:
        m = re.match(r"^\s*python-(\d+\.\d+)", decode(files["runtime.txt"]))
        if m:
            out.python_spec, out.python_source = f"=={m.group(1)}.*", "runtime.txt"
    return out


INCLUDE = re.compile(r"^\s*(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", re.M)


def read_includes(git_dir: str, ext: headtree.Extracted) -> dict[str, bytes]:
    """``ext.files`` plus the in-repository files that requirements files include (read blob by
    blob from ``git_dir``, at most ``MAX_DEP_FILE_BYTES`` each, ``MAX_INCLUDE_DEPTH`` levels)."""
    files = dict(ext.files)
    blobs = {
        path: (blob, size) for _, _, blob, size, path in headtree.list_tree(git_dir, ext.commit_sha)
    }
    todo = [p for p in dependency_files(list(files)) if REQ_NAME.match(PurePosixPath(p).name)]
    for _ in range(MAX_INCLUDE_DEPTH):
        wanted = {}
        for p in todo:
            for target in INCLUDE.findall(decode(files[p])):
                path = normalise(PurePosixPath(p).parent, target)
                if (
                    path
                    and path not in files
                    and path in blobs
                    and blobs[path][1].isdigit()
                    and int(blobs[path][1]) <= MAX_DEP_FILE_BYTES
                ):
                    wanted[path] = blobs[path][0]
        got = headtree.read_blobs(git_dir, sorted(set(wanted.values())))
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
    rows = headtree.list_tree(git_dir, sha)
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
    got = headtree.read_blobs(git_dir, sorted(set(blobs.values())))
    files = {p: got[b] for p, b in blobs.items() if got.get(b) is not None}
    skipped.update({p: "missing_blob" for p in blobs if p not in files})
    ext = headtree.Extracted(sha, [], files)
    return sha, paths, read_includes(git_dir, ext), skipped


def load(git_dir: str, rev: str = "HEAD") -> tuple[str, Declared]:
    """(commit sha, declared dependencies) of ``rev`` in a git directory (already isolated)."""
    sha, paths, files, skipped = read_tree(git_dir, rev)
    return sha, declared(paths, files, skipped)

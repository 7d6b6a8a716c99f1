"""Where each reference sits: one row per line of a repository's kept files that refers to a
GitHub repository, a Hugging Face dataset, or one of the given package names.

``scan_references`` keeps only the first file of each reference; adoption needs every place
(to leave out references inside vendored code) and the line itself (for a hand check). Static
only: files are read through the same safe extraction as the quality scan, nothing is run.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import PurePosixPath

import pandas as pd

from . import headtree, sandbox, vendored
from .references import (
    GITHUB,
    HF_DATASET,
    REQUIREMENT,
    REQUIREMENT_FILES,
    TEXT_SUFFIXES,
    _norm_pkg,
    _repo_key,
)

COLUMNS = ["kind", "value", "path", "line_no", "line_text"]
MAX_LINE = 300
# absolute home / temp paths in a quoted line (another machine's) are masked, never recorded
MACHINE_PATH = re.compile(r"/(?:work|tmp|root|home|Users)/[^\s\"'`)]*")


def _quote(line: str) -> str:
    """The line as evidence: stripped, absolute user paths masked, cut to ``MAX_LINE``."""
    return MACHINE_PATH.sub("<path>", line.strip())[:MAX_LINE]


def _import_lines(text: str) -> list[tuple[str, int]]:
    """(top-level module, line number) of every absolute import."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name.split(".")[0], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.append((node.module.split(".")[0], node.lineno))
    return out


def _file_lines(path: str, text: str, names: set[str]) -> list[tuple]:
    lines = text.splitlines()
    rows = []
    for i, line in enumerate(lines, 1):
        cut = _quote(line)
        rows += [("github", _repo_key(o, n), path, i, cut) for o, n in GITHUB.findall(line)]
        rows += [
            ("hf_dataset", d.lower().rstrip(".,;:"), path, i, cut) for d in HF_DATASET.findall(line)
        ]
    name = PurePosixPath(path).name.lower()
    if name.startswith("requirements"):
        for i, line in enumerate(lines, 1):
            m = REQUIREMENT.match(line)
            if m and not line.lstrip().startswith(("#", "-")) and _norm_pkg(m.group(1)) in names:
                rows.append(("requirement", _norm_pkg(m.group(1)), path, i, _quote(line)))
    if path.endswith(".py"):
        for mod, i in _import_lines(text):
            if _norm_pkg(mod) in names and i <= len(lines):
                rows.append(("import", _norm_pkg(mod), path, i, _quote(lines[i - 1])))
    return rows


def reference_lines(files: dict[str, bytes], names: Iterable[str]) -> pd.DataFrame:
    """Every line that refers to a GitHub repository or Hugging Face dataset, or requires or
    imports one of ``names`` (normalised package names): ``kind, value, path, line_no,
    line_text``."""
    wanted = {_norm_pkg(n) for n in names}
    rows = []
    for path, data in files.items():
        p = PurePosixPath(path)
        if p.suffix.lower() not in TEXT_SUFFIXES and p.name.lower() not in REQUIREMENT_FILES:
            continue
        rows += _file_lines(path, data.decode("utf-8", errors="replace"), wanted)
    df = pd.DataFrame(rows, columns=COLUMNS).drop_duplicates()
    return df.sort_values(["kind", "value", "path", "line_no"]).reset_index(drop=True)


def scan_reference_lines(
    repo: str, git_dir: str, names: Iterable[str], limits: headtree.Limits | None = None
) -> pd.DataFrame:
    """``reference_lines`` of one repository at HEAD, each with the vendored-code reason of its
    file (``benchmeta.scan.vendored``; empty for own code): ``repo, commit_sha, kind, value,
    path, line_no, line_text, vendored``."""
    with sandbox.isolated(git_dir) as gd:
        ext = headtree.extract(gd, limits)
    out = reference_lines(ext.files, names)
    vend = vendored.classify([e.path for e in ext.tree if e.mode != "160000"], repo, ext.files)
    out["vendored"] = out["path"].map(lambda p: vend.get(p, ""))
    out.insert(0, "commit_sha", ext.commit_sha)
    out.insert(0, "repo", repo)
    return out

"""Build the blind hand-check sheet for the vendored-code filter (issue 9).

Draws a stratified sample of scanned files (excluded by each rule, kept with a copyright line,
kept otherwise), reads the first 40 lines and the folder listing of each from the repositories'
bare git mirrors, and writes two files: the blind sheet (no rule decision) and its key.

    python scripts/build_vendored_sheet.py MIRRORS scan_files.csv SHEET.csv KEY.csv

MIRRORS holds one ``<owner>+<name>/repo`` bare git directory per repository. Nothing is run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pandas as pd

from benchmeta.repositories.vendored_check import sample_files

GIT = ["git", "-c", "core.hooksPath=/dev/null", "-c", "log.showSignature=false", "--no-pager"]


def _git(git_dir: Path, *args: str, data: bytes | None = None) -> bytes:
    cmd = [*GIT, f"--git-dir={git_dir}", *args]
    return subprocess.run(cmd, input=data, capture_output=True, check=True, timeout=120).stdout


def _blobs(git_dir: Path, sha: str, paths: list[str]) -> dict[str, bytes]:
    """First 6 kB of each path at ``sha`` (missing blobs are left out)."""
    out = {}
    for p in paths:
        try:
            out[p] = _git(git_dir, "cat-file", "blob", f"{sha}:{p}")[:6000]
        except subprocess.CalledProcessError:
            continue
    return out


def _listing(tree: list[str], path: str) -> str:
    """Names in the file's folder and in its parent folder (folders end with '/')."""
    parts = PurePosixPath(path).parts
    lines = []
    for depth in (len(parts) - 1, len(parts) - 2):
        if depth < 0:
            continue
        prefix = "/".join(parts[:depth])
        names = set()
        for t in tree:
            tp = PurePosixPath(t).parts
            if len(tp) > depth and "/".join(tp[:depth]) == prefix:
                names.add(tp[depth] + ("/" if len(tp) > depth + 1 else ""))
        shown = sorted(names)
        more = f" ... (+{len(shown) - 40} more)" if len(shown) > 40 else ""
        lines.append(f"[{prefix or '.'}] " + "  ".join(shown[:40]) + more)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mirrors", type=Path)
    ap.add_argument("files", type=Path)
    ap.add_argument("sheet", type=Path)
    ap.add_argument("key", type=Path)
    ap.add_argument("--seed", type=int, default=9)
    args = ap.parse_args(argv)
    files = pd.read_csv(args.files)
    files = files[
        files["repo"].map(lambda r: (args.mirrors / r.replace("/", "+") / "repo").is_dir())
    ]
    heads: dict[tuple[str, str], bytes] = {}
    for (repo, sha), g in files.groupby(["repo", "commit_sha"]):
        gd = args.mirrors / repo.replace("/", "+") / "repo"
        kept = g[g["vendored"].isna()]["path"].tolist()
        for p, b in _blobs(gd, sha, kept).items():
            heads[(repo, p)] = b
    files["has_copyright"] = [
        b"copyright" in heads.get((r, p), b"").lower()
        for r, p in zip(files["repo"], files["path"], strict=True)
    ]
    key = sample_files(files, seed=args.seed)
    rows = []
    for (repo, sha), g in key.groupby(["repo", "commit_sha"]):
        gd = args.mirrors / repo.replace("/", "+") / "repo"
        tree = _git(gd, "ls-tree", "-r", "--name-only", sha).decode("utf-8", "replace").splitlines()
        texts = _blobs(gd, sha, g["path"].tolist())
        for _, k in g.iterrows():
            text = texts.get(k["path"], b"").decode("utf-8", "replace").splitlines()[:40]
            rows.append(
                {
                    "file_id": k["file_id"],
                    "repo": repo,
                    "path": k["path"],
                    "first_40_lines": "\n".join(text),
                    "folder_listing": _listing(tree, k["path"]),
                }
            )
    sheet = pd.DataFrame(rows).sort_values("file_id")
    sheet.to_csv(args.sheet, index=False)
    key.to_csv(args.key, index=False)
    print(f"{len(sheet)} files over {sheet['repo'].nunique()} repositories", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

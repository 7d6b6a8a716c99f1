"""References between repositories, read statically from a repository's kept files.

``references`` lists what a repository's README, code and requirements point at (GitHub
repositories, Hugging Face datasets, required distributions, imported packages);
``identifiers`` lists how a benchmark repository can be referred to. ``scan_references`` reads
them for one repository through the same safe extraction as the quality scan (nothing is run).
These are facts about the text; ``benchmeta.adoption`` joins them.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import PurePosixPath

import pandas as pd

from . import headtree, sandbox

GITHUB = re.compile(r"github\.com[/:]([A-Za-z0-9][\w.-]{0,38})/([\w.-]{1,100})", re.IGNORECASE)
HF_DATASET = re.compile(
    r"(?:huggingface\.co/datasets/|load_dataset\(\s*[\"'])([\w.-]+/[\w.-]+)", re.IGNORECASE
)
ARXIV = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|arxiv:\s?)(\d{4}\.\d{4,5})", re.IGNORECASE)
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
SETUP_NAME = re.compile(r"""\bname\s*=\s*["']([A-Za-z0-9][A-Za-z0-9._-]+)["']""")
TEXT_SUFFIXES = {".py", ".md", ".rst", ".txt", ".toml", ".cfg", ".yaml", ".yml", ".json", ".ipynb"}
REQUIREMENT_FILES = {
    "requirements.txt",
    "environment.yml",
    "environment.yaml",
    "setup.py",
    "setup.cfg",
    "pyproject.toml",
    "pipfile",
}
# Names too generic to identify a benchmark package.
GENERIC = {
    "src",
    "utils",
    "util",
    "data",
    "main",
    "test",
    "tests",
    "eval",
    "evaluation",
    "model",
    "models",
    "common",
    "core",
    "lib",
    "scripts",
    "config",
    "tools",
    "app",
    "demo",
}


def _norm_pkg(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _repo_key(owner: str, name: str) -> str:
    name = re.sub(r"\.git$", "", name.rstrip(".,;:)"))
    return f"{owner}/{name}".lower()


def _imports(text: str) -> set[str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module.split(".")[0])
    return out


def references(files: dict[str, bytes]) -> pd.DataFrame:
    """Every reference in a repository's text files: ``kind, value, path`` with kind one of
    github, arxiv (a cited arXiv id: a repository citing its paper confirms the link),
    hf_dataset, requirement, import."""
    rows = []
    for path, data in files.items():
        p = PurePosixPath(path)
        if p.suffix.lower() not in TEXT_SUFFIXES and p.name.lower() not in REQUIREMENT_FILES:
            continue
        text = data.decode("utf-8", errors="replace")
        rows += [("github", _repo_key(o, n), path) for o, n in GITHUB.findall(text)]
        rows += [("arxiv", a, path) for a in ARXIV.findall(text)]
        rows += [("hf_dataset", d.lower().rstrip(".,;:"), path) for d in HF_DATASET.findall(text)]
        if p.name.lower() == "requirements.txt" or p.name.lower().startswith("requirements"):
            for line in text.splitlines():
                m = REQUIREMENT.match(line)
                if m and not line.lstrip().startswith(("#", "-")):
                    rows.append(("requirement", _norm_pkg(m.group(1)), path))
        if p.suffix == ".py":
            rows += [
                ("import", _norm_pkg(m), path)
                for m in _imports(text)
                if m not in sys.stdlib_module_names
            ]
    df = pd.DataFrame(rows, columns=["kind", "value", "path"])
    return df.drop_duplicates().sort_values(["kind", "value", "path"]).reset_index(drop=True)


def identifiers(repo: str, files: dict[str, bytes]) -> pd.DataFrame:
    """How a benchmark can be referred to: its GitHub repository, the distribution name declared
    in its setup.py / pyproject.toml, its top-level import packages, and Hugging Face datasets its
    README links. Columns ``kind, value``; generic names are dropped."""
    rows = [("github", repo.lower())]
    for path, data in files.items():
        p = PurePosixPath(path)
        text = data.decode("utf-8", errors="replace")
        if len(p.parts) == 1 and p.name in {"setup.py", "pyproject.toml", "setup.cfg"}:
            rows += [("package", _norm_pkg(n)) for n in SETUP_NAME.findall(text)[:1]]
        if len(p.parts) == 2 and p.name == "__init__.py":
            rows.append(("package", _norm_pkg(p.parts[0])))
        if len(p.parts) == 1 and p.name.lower().startswith("readme"):
            rows += [("hf_dataset", d.lower().rstrip(".,;:")) for d in HF_DATASET.findall(text)]
    df = pd.DataFrame(rows, columns=["kind", "value"]).drop_duplicates()
    generic = df["value"].isin(GENERIC) | (df["value"].str.len() < 4)
    return df[~(generic & (df["kind"] == "package"))].reset_index(drop=True)


def scan_references(repo: str, git_dir: str, limits: headtree.Limits | None = None) -> pd.DataFrame:
    """References and identifiers of one repository at HEAD, one row per distinct value:
    ``repo, commit_sha, role, kind, value, path`` (the first file it was found in), ``n_files``.
    Standard-library imports are left out."""
    with sandbox.isolated(git_dir) as gd:
        ext = headtree.extract(gd, limits)
    refs = references(ext.files).assign(role="reference")
    ids = identifiers(repo, ext.files).assign(role="identifier", path="")
    both = pd.concat([refs, ids], ignore_index=True)
    out = (
        both.groupby(["role", "kind", "value"], sort=True)["path"]
        .agg(path="first", n_files="nunique")
        .reset_index()
    )
    out = out.assign(repo=repo, commit_sha=ext.commit_sha)
    return out[["repo", "commit_sha", "role", "kind", "value", "path", "n_files"]]

"""Code adoption: which scanned repositories use a benchmark (static text only, nothing run).

A repository *references* a benchmark when its README, code or configuration names the
benchmark's GitHub repository, a Hugging Face dataset the benchmark publishes, or the
distribution / import name of the benchmark's package. References are extracted once per
repo@sha (``references``) and stored as facts; matching them to benchmarks is a join
(``adoption``), so a new benchmark needs no rescan.
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

import pandas as pd

GITHUB = re.compile(r"github\.com[/:]([A-Za-z0-9][\w.-]{0,38})/([\w.-]{1,100})", re.IGNORECASE)
HF_DATASET = re.compile(
    r"(?:huggingface\.co/datasets/|load_dataset\(\s*[\"'])([\w.-]+/[\w.-]+)", re.IGNORECASE
)
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
    github, hf_dataset, requirement, import."""
    rows = []
    for path, data in files.items():
        p = PurePosixPath(path)
        if p.suffix.lower() not in TEXT_SUFFIXES and p.name.lower() not in REQUIREMENT_FILES:
            continue
        text = data.decode("utf-8", errors="replace")
        rows += [("github", _repo_key(o, n), path) for o, n in GITHUB.findall(text)]
        rows += [("hf_dataset", d.lower().rstrip(".,;:"), path) for d in HF_DATASET.findall(text)]
        if p.name.lower() == "requirements.txt" or p.name.lower().startswith("requirements"):
            for line in text.splitlines():
                m = REQUIREMENT.match(line)
                if m and not line.lstrip().startswith(("#", "-")):
                    rows.append(("requirement", _norm_pkg(m.group(1)), path))
        if p.suffix == ".py":
            rows += [("import", _norm_pkg(m), path) for m in _imports(text)]
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


def adoption(refs: pd.DataFrame, ids: pd.DataFrame) -> pd.DataFrame:
    """Which repositories reference which benchmark, and how.

    ``refs``: ``repo, kind, value`` (from ``references`` of every scanned repository);
    ``ids``: ``benchmark_repo, kind, value`` (from ``identifiers`` of each benchmark).
    A package identifier matches a requirement or an import. Self-references are dropped.
    Returns ``benchmark_repo, repo, via`` (via: the kinds that matched, ';'-joined).
    """
    r = refs.assign(
        match_kind=refs["kind"].replace({"requirement": "package", "import": "package"})
    )
    hits = r.merge(ids.rename(columns={"kind": "match_kind"}), on=["match_kind", "value"])
    hits = hits[hits["repo"].str.lower() != hits["benchmark_repo"].str.lower()]
    out = (
        hits.groupby(["benchmark_repo", "repo"])["kind"]
        .agg(lambda s: ";".join(sorted(set(s))))
        .rename("via")
        .reset_index()
    )
    return out.sort_values(["benchmark_repo", "repo"]).reset_index(drop=True)


def adoption_counts(benchmarks: list[str], edges: pd.DataFrame) -> pd.DataFrame:
    """Per benchmark repository: how many other scanned repositories reference it."""
    n = edges.groupby(edges["benchmark_repo"].str.lower())["repo"].nunique()
    out = pd.DataFrame({"benchmark_repo": benchmarks})
    out["adopters"] = out["benchmark_repo"].str.lower().map(n).fillna(0).astype(int)
    return out

"""Undeclared imports: each third-party import of a repository classified against what its
declared dependencies and their resolved closure provide.

An import is *declared* when a declared distribution (or conda package name, or the name of a
URL/VCS requirement, which is recorded but never resolved) ships the module,
*transitive* when only another distribution of the resolved closure does, *guarded* when every
import of it is inside ``try/except ImportError``, *closure_unknown* when it is not declared but
the declared dependencies did not resolve (so whether something pulls it in is unknown), else it
*would raise ImportError* (``would_raise``). Module -> distribution comes
from the wheels' file listings (``repos/wheel_modules.csv``); a declared distribution without a
listing (it did not resolve) is matched on its normalised name, and that is flagged
(``by_name``). The closure used is that of the first resolving row among: collection date with
the target Python, last commit with the target Python, then the same with Python 3.13.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats

RESOLVED = {"resolves", "resolves_with_sdists"}
# conda package names whose PyPI distribution is named otherwise (documented, not guessed:
# the conda-forge / defaults recipes of these packages repackage that PyPI distribution)
CONDA_TO_PYPI = {
    "pytorch": "torch",
    "py-opencv": "opencv-python",
    "tensorflow-gpu": "tensorflow",
    "pytorch-gpu": "torch",
    "pytorch-cpu": "torch",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", str(name)).lower()


def import_classes(imports: pd.DataFrame, inst: pd.DataFrame, wheels: pd.DataFrame) -> pd.DataFrame:
    """Each repository's third-party imports classified (see the module docstring)."""
    mods = {}
    for d, m in zip(wheels["distribution"], wheels["modules"], strict=True):
        if m:  # a distribution without a wheel listing (sdist only, error) is matched by name
            mods.setdefault(_norm(d), set()).update(x for x in m.split(";") if x)
    chosen = _chosen_rows(inst)
    rows = []
    imp = imports[imports["module"] != ""]
    for repo, g in imp.groupby("repo", sort=True):
        row = chosen.get(repo)
        declared = _declared_names(row["requirements"]) if row is not None else set()
        conda = {
            CONDA_TO_PYPI.get(_norm(c), _norm(c))
            for c in (row["conda"] if row is not None else "").split(";")
            if c
        }
        unknown = row is not None and (bool(declared) or bool(conda)) and not row["resolved"]
        closure = {
            _norm(c.split("==")[0])
            for c in (row["closure"] if row is not None else "").split(";")
            if c
        }
        for r in g.itertuples(index=False):
            rows.append(
                {
                    "repo": repo,
                    "module": r.module,
                    "n_files": int(r.n_files),
                    "first_path": r.first_path,
                    **_classify(
                        r.module,
                        r.submodules,
                        r.guarded == "True",
                        declared | conda,
                        closure,
                        mods,
                        unknown,
                    ),
                }
            )
    cols = ["repo", "module", "n_files", "first_path", "class", "provided_by", "by_name"]
    return pd.DataFrame(rows, columns=cols)


def _declared_names(reqs: str) -> set[str]:
    return {
        _norm(re.split(r"[\s\[<>=!~;@(]", r.strip(), maxsplit=1)[0])
        for r in reqs.split("|")
        if r.strip()
    }


def _chosen_rows(inst: pd.DataFrame) -> dict[str, dict]:
    """Per repository: declared requirement names and the closure of its preferred row."""
    pref = [
        ("collection", "target"),
        ("commit", "target"),
        ("collection", "current"),
        ("commit", "current"),
    ]
    out: dict[str, dict] = {}
    base = inst[inst["index_role"].isin(["commit", "collection"])]
    for repo, g in base.groupby("repo"):
        reqs = g["requirements"].iloc[0] if "requirements" in g else ""
        conda = g["conda_names"].iloc[0] if "conda_names" in g else ""
        if "url_names" in g and g["url_names"].iloc[0]:  # declared, though not resolvable
            conda = ";".join(x for x in (conda, g["url_names"].iloc[0]) if x)
        closure, resolved = "", False
        for a, b in pref:
            hit = g[(g["index_role"] == a) & (g["python_role"] == b) & g["outcome"].isin(RESOLVED)]
            if len(hit):
                closure, resolved = hit["closure"].iloc[0], True
                break
        out[repo] = {"requirements": reqs, "conda": conda, "closure": closure, "resolved": resolved}
    return out


def _provides(dist: str, module: str, subs: list[str], mods: dict[str, set[str]]) -> bool:
    have = mods.get(dist)
    if have is None:
        return False
    return module in have or any(s in have for s in subs)


def _classify(
    module: str,
    submodules: str,
    guarded: bool,
    declared: set[str],
    closure: set[str],
    mods: dict[str, set[str]],
    closure_unknown: bool = False,
) -> dict:
    subs = [s for s in submodules.split(";") if s]
    by_decl = sorted(d for d in declared if _provides(d, module, subs, mods))
    if by_decl:
        return {"class": "declared", "provided_by": ";".join(by_decl), "by_name": False}
    unlisted = [d for d in declared if d not in mods]
    if _norm(module) in unlisted:
        return {"class": "declared", "provided_by": _norm(module), "by_name": True}
    by_clos = sorted(d for d in closure - declared if _provides(d, module, subs, mods))
    if by_clos:
        return {"class": "transitive", "provided_by": ";".join(by_clos), "by_name": False}
    cls = "guarded" if guarded else ("closure_unknown" if closure_unknown else "would_raise")
    return {"class": cls, "provided_by": "", "by_name": False}


def import_summary(classes: pd.DataFrame) -> pd.DataFrame:
    """Per import class: imports and repositories with at least one, over repositories with
    any third-party import."""
    n = classes["repo"].nunique()
    rows = []
    for cls in ("declared", "transitive", "guarded", "closure_unknown", "would_raise"):
        g = classes[classes["class"] == cls]
        k = g["repo"].nunique()
        lo, hi = stats.wilson(k, n)
        rows.append(
            {
                "class": cls,
                "imports": len(g),
                "repositories": k,
                "of": n,
                "share": k / n if n else np.nan,
                "low": lo,
                "high": hi,
                "matched_by_name_only": int(g["by_name"].sum()) if len(g) else 0,
            }
        )
    return pd.DataFrame(rows)


def undeclared_precision(path: Path) -> pd.DataFrame:
    """Precision of the ``would_raise`` class on the hand-checked sheet (``hand_label`` yes =
    really a third-party import the declared dependencies do not provide)."""
    cols = ["checked", "confirmed", "precision", "low", "high", "repositories", "reviewer"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    v = pd.read_csv(path, dtype=str, keep_default_na=False)
    v = v[v["class"] == "would_raise"]
    k, n = int((v["hand_label"] == "yes").sum()), int(v["hand_label"].isin(["yes", "no"]).sum())
    lo, hi = stats.wilson(k, n)
    return pd.DataFrame(
        [
            {
                "checked": n,
                "confirmed": k,
                "precision": k / n if n else np.nan,
                "low": lo,
                "high": hi,
                "repositories": v["repo"].nunique(),
                "reviewer": ";".join(sorted(set(v["reviewer"]))),
            }
        ],
        columns=cols,
    )

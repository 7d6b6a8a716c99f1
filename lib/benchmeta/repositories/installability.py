"""Would the code still install? Funnel, reasons, time to breakage and undeclared imports.

Reads the collectors' dated snapshots: ``repos/installability.csv`` (one row per repo@sha x
Python x index cut-off), ``repos/imports.csv`` (third-party top-level imports of each
repository's own code) and ``repos/wheel_modules.csv`` (the top-level modules each resolved
wheel ships). Choices, stated once:

- "Resolves" means ``uv pip compile`` found a wheels-only solution for x86_64 manylinux, possibly
  after replacing sdist-only packages by their static requirements (``resolves_with_sdists``).
  It is a necessary condition for installing, not evidence that the code installs or runs.
- The index of a past date is a reconstruction (``--exclude-newer``): releases removed since
  are missing, later yanks apply, so commit-date results can err in both directions.
- Funnel steps are taken in order, each among the repositories that passed the previous one;
  the share of each step is over all scanned repositories (Wilson interval), and the drop
  reasons are the outcome classes of the repositories that stopped there.
- An import is *declared* when a declared distribution ships the module, *transitive* when
  only another distribution of the resolved closure does, *guarded* when every import of it is
  inside ``try/except ImportError``, else it *would raise ImportError*. Module -> distribution
  comes from the wheels' file listings; a declared distribution without a listing (it did not
  resolve) is matched on its normalised name, and that is flagged (``by_name``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from ..core.paths import DATA_RAW

RESOLVED = {"resolves", "resolves_with_sdists"}
NOT_DECLARED = {"no_declared_dependencies"}
STEPS = [
    ("scanned", "scanned repository"),
    ("declared", "declares dependencies"),
    ("resolves_commit", "resolves at its last commit (target Python)"),
    ("resolves_today", "still resolves at the collection date"),
    ("imports_ok", "no import that would raise ImportError"),
]
# The reference study's hands-on figures (arXiv 2603.04459), for comparison only.
HANDS_ON = {"runnable": 0.68, "ready to use": 0.39, "flawless installation guide": 0.16}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", str(name)).lower()


def load(data_raw: Path = DATA_RAW) -> dict[str, pd.DataFrame]:
    """The three snapshots as string tables (missing files give empty tables)."""
    out = {}
    for key, rel in (("inst", "repos/installability.csv"), ("imports", "repos/imports.csv"),
                     ("wheels", "repos/wheel_modules.csv")):
        path = data_raw / rel
        out[key] = (pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists()
                    else pd.DataFrame())
    return out


def outcome_table(inst: pd.DataFrame) -> pd.DataFrame:
    """One row per repository: outcome per (index cut-off, Python role), dates, Python."""
    base = inst[inst["index_role"].isin(["commit", "collection"])]
    wide = base.pivot_table(index="repo", columns=["index_role", "python_role"],
                            values="outcome", aggfunc="first")
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    first = base.drop_duplicates("repo").set_index("repo")
    keep = ["commit_sha", "last_commit", "collection_date", "resolver_version", "route",
            "n_requirements", "python_declared"]
    out = wide.join(first[keep])
    py = base[base["python_role"] == "target"].drop_duplicates("repo").set_index("repo")
    out["target_python"] = py["python"]
    return out.reset_index()


def import_classes(imports: pd.DataFrame, inst: pd.DataFrame, wheels: pd.DataFrame
                   ) -> pd.DataFrame:
    """Each repository's third-party imports classified (see the module docstring)."""
    mods = {}
    for d, m in zip(wheels["distribution"], wheels["modules"], strict=True):
        mods.setdefault(_norm(d), set()).update(x for x in m.split(";") if x)
    chosen = _chosen_rows(inst)
    rows = []
    imp = imports[imports["module"] != ""]
    for repo, g in imp.groupby("repo", sort=True):
        row = chosen.get(repo)
        declared = _declared_names(row["requirements"]) if row is not None else set()
        closure = {_norm(c.split("==")[0]) for c in (row["closure"] if row is not None
                                                      else "").split(";") if c}
        for r in g.itertuples(index=False):
            rows.append({"repo": repo, "module": r.module, "n_files": int(r.n_files),
                         "first_path": r.first_path,
                         **_classify(r.module, r.submodules, r.guarded == "True", declared,
                                     closure, mods)})
    cols = ["repo", "module", "n_files", "first_path", "class", "provided_by", "by_name"]
    return pd.DataFrame(rows, columns=cols)


def _declared_names(reqs: str) -> set[str]:
    return {_norm(re.split(r"[\s\[<>=!~;@(]", r.strip(), maxsplit=1)[0])
            for r in reqs.split("|") if r.strip()}


def _chosen_rows(inst: pd.DataFrame) -> dict[str, dict]:
    """Per repository: declared requirement names and the closure of its preferred row."""
    pref = [("collection", "target"), ("commit", "target"), ("collection", "current"),
            ("commit", "current")]
    out: dict[str, dict] = {}
    base = inst[inst["index_role"].isin(["commit", "collection"])]
    for repo, g in base.groupby("repo"):
        reqs = g["requirements"].iloc[0] if "requirements" in g else ""
        closure = ""
        for a, b in pref:
            hit = g[(g["index_role"] == a) & (g["python_role"] == b)
                    & g["outcome"].isin(RESOLVED)]
            if len(hit):
                closure = hit["closure"].iloc[0]
                break
        out[repo] = {"requirements": reqs, "closure": closure}
    return out


def _provides(dist: str, module: str, subs: list[str], mods: dict[str, set[str]]) -> bool:
    have = mods.get(dist)
    if have is None:
        return False
    return module in have or any(s in have for s in subs)


def _classify(module: str, submodules: str, guarded: bool, declared: set[str],
              closure: set[str], mods: dict[str, set[str]]) -> dict:
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
    return {"class": "guarded" if guarded else "would_raise", "provided_by": "",
            "by_name": False}


def funnel(outcomes: pd.DataFrame, classes: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Funnel per group (and all): repositories left after each step, share of the scanned
    repositories with a Wilson interval, and the share kept from the previous step."""
    t = outcomes.set_index("repo")
    t["group"] = groups.reindex(t.index)
    raising = classes[classes["class"] == "would_raise"].groupby("repo").size()
    passed = {
        "scanned": pd.Series(True, index=t.index),
        "declared": ~t["commit_target"].isin(NOT_DECLARED),
        "resolves_commit": t["commit_target"].isin(RESOLVED),
        "resolves_today": t["collection_target"].isin(RESOLVED),
        "imports_ok": raising.reindex(t.index).fillna(0).eq(0),
    }
    rows = []
    for group, g in [("all", t), *t.groupby("group")]:
        alive = pd.Series(True, index=g.index)
        n0, prev = len(g), len(g)
        for step, label in STEPS:
            alive = alive & passed[step].reindex(g.index)
            k = int(alive.sum())
            lo, hi = stats.wilson(k, n0)
            rows.append({"group": group, "step": step, "label": label, "repositories": k,
                         "n": n0, "share": k / n0 if n0 else np.nan, "low": lo, "high": hi,
                         "kept_from_previous": k / prev if prev else np.nan})
            prev = k
    return pd.DataFrame(rows)


def drop_reasons(outcomes: pd.DataFrame, classes: pd.DataFrame, groups: pd.Series
                 ) -> pd.DataFrame:
    """Why repositories leave the funnel at each step: outcome class counts per group."""
    t = outcomes.set_index("repo")
    t["group"] = groups.reindex(t.index)
    raising = classes[classes["class"] == "would_raise"].groupby("repo")["module"].agg(
        lambda s: ";".join(sorted(s)[:5]))
    declared = ~t["commit_target"].isin(NOT_DECLARED)
    at_commit = declared & ~t["commit_target"].isin(RESOLVED)
    today = declared & t["commit_target"].isin(RESOLVED) & ~t["collection_target"].isin(RESOLVED)
    imports = declared & t["commit_target"].isin(RESOLVED) & t["collection_target"].isin(
        RESOLVED) & raising.reindex(t.index).notna()
    parts = [
        ("declares dependencies", ~declared, t["commit_target"]),
        ("resolves at its last commit", at_commit, t["commit_target"]),
        ("still resolves at the collection date", today, t["collection_target"]),
        ("no import that would raise ImportError", imports,
         pd.Series("undeclared import", index=t.index)),
    ]
    rows = []
    for step, mask, reason in parts:
        sub = t[mask].assign(reason=reason[mask])
        for (group, why), g in sub.groupby(["group", "reason"]):
            rows.append({"step": step, "group": group, "reason": why, "repositories": len(g),
                         "examples": ";".join(sorted(g.index)[:3])})
    return pd.DataFrame(rows, columns=["step", "group", "reason", "repositories", "examples"])


def python_effect(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Resolving repositories by index cut-off and Python (target vs 3.13), with n."""
    rows = []
    declared = outcomes[~outcomes["commit_target"].isin(NOT_DECLARED)]
    for col, label in [("commit_target", "last commit, target Python"),
                       ("commit_current", "last commit, Python 3.13"),
                       ("collection_target", "collection date, target Python"),
                       ("collection_current", "collection date, Python 3.13")]:
        k, n = int(declared[col].isin(RESOLVED).sum()), len(declared)
        lo, hi = stats.wilson(k, n)
        rows.append({"setting": label, "resolves": k, "n": n, "share": k / n if n else np.nan,
                     "low": lo, "high": hi})
    return pd.DataFrame(rows)


def time_to_breakage(inst: pd.DataFrame) -> pd.DataFrame:
    """Per repository resolving at its last commit (target Python): days until the first
    checkpoint (``commit+Nd`` or the collection date) at which it no longer resolves (event),
    or days to the collection date (censored). The true time lies between that checkpoint and
    the previous one, so the curve is an upper bound."""
    t = inst[inst["python_role"] == "target"].copy()
    t["cut"] = pd.to_datetime(t["exclude_newer"], utc=True)
    t["last"] = pd.to_datetime(t["last_commit"], utc=True)
    rows = []
    for repo, g in t.groupby("repo"):
        start = g[g["index_role"] == "commit"]
        if start.empty or start["outcome"].iloc[0] not in RESOLVED:
            continue
        later = g[g["index_role"] != "commit"].sort_values("cut")
        fail = later[~later["outcome"].isin(RESOLVED)]
        end = fail.iloc[0] if len(fail) else later.iloc[-1]
        days = (end["cut"] - end["last"]).total_seconds() / 86400
        rows.append({"repo": repo, "days": days, "broke": bool(len(fail)),
                     "checkpoints": len(later), "outcome_at_end": end["outcome"]})
    return pd.DataFrame(rows, columns=["repo", "days", "broke", "checkpoints", "outcome_at_end"])


def kaplan_meier(durations: pd.DataFrame, groups: pd.Series | None = None) -> pd.DataFrame:
    """Kaplan-Meier estimate (lifelines) of still resolving vs days since the last commit."""
    from lifelines import KaplanMeierFitter

    d = durations.set_index("repo")
    d["group"] = "all" if groups is None else groups.reindex(d.index).fillna("unknown")
    out = []
    for group, g in [("all", d), *(d.groupby("group") if groups is not None else [])]:
        if len(g) < 5:
            continue
        km = KaplanMeierFitter().fit(g["days"], g["broke"], label=group)
        sf = km.survival_function_.join(km.confidence_interval_)
        sf.columns = ["survival", "low", "high"]
        out.append(sf.reset_index(names="days").assign(group=group, n=len(g),
                                                       events=int(g["broke"].sum())))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def hands_on_comparison(fun: pd.DataFrame) -> pd.DataFrame:
    """Our static necessary condition beside the reference study's hands-on shares."""
    a = fun[fun["group"] == "all"].set_index("step")
    rows = [{"ours": a.at["resolves_today", "label"], "share": a.at["resolves_today", "share"],
             "low": a.at["resolves_today", "low"], "high": a.at["resolves_today", "high"],
             "n": int(a.at["resolves_today", "n"]), "reference": f"{k} (hands-on)",
             "reference_share": v,
             "what it is": "a necessary condition for installing (dependencies resolve), "
                           "not runnability"} for k, v in HANDS_ON.items()]
    return pd.DataFrame(rows)

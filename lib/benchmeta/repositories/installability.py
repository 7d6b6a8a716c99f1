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
- Imports are classified in ``repositories.undeclared`` (declared / transitive / guarded /
  would raise ImportError).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from ..core.paths import DATA_RAW
from . import undeclared

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


def load(data_raw: Path = DATA_RAW, folder: str = "repos") -> dict[str, pd.DataFrame]:
    """The three snapshots under ``data_raw/folder`` as string tables (missing files give empty
    tables)."""
    out = {}
    for key, name in (
        ("inst", "installability.csv"),
        ("imports", "imports.csv"),
        ("wheels", "wheel_modules.csv"),
    ):
        path = data_raw / folder / name
        out[key] = (
            pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else pd.DataFrame()
        )
    return out


def outcome_table(inst: pd.DataFrame) -> pd.DataFrame:
    """One row per repository: outcome per (index cut-off, Python role), dates, Python."""
    base = inst[inst["index_role"].isin(["commit", "collection"])]
    wide = base.pivot_table(
        index="repo", columns=["index_role", "python_role"], values="outcome", aggfunc="first"
    )
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    first = base.drop_duplicates("repo").set_index("repo")
    keep = [
        "commit_sha",
        "last_commit",
        "collection_date",
        "resolver_version",
        "route",
        "n_requirements",
        "python_declared",
    ]
    out = wide.join(first[keep])
    py = base[base["python_role"] == "target"].drop_duplicates("repo").set_index("repo")
    out["target_python"] = py["python"]
    return out.reset_index()


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
            rows.append(
                {
                    "group": group,
                    "step": step,
                    "label": label,
                    "repositories": k,
                    "n": n0,
                    "share": k / n0 if n0 else np.nan,
                    "low": lo,
                    "high": hi,
                    "kept_from_previous": k / prev if prev else np.nan,
                }
            )
            prev = k
    return pd.DataFrame(rows)


def drop_reasons(outcomes: pd.DataFrame, classes: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Why repositories leave the funnel at each step: outcome class counts per group."""
    t = outcomes.set_index("repo")
    t["group"] = groups.reindex(t.index)
    raising = (
        classes[classes["class"] == "would_raise"]
        .groupby("repo")["module"]
        .agg(lambda s: ";".join(sorted(s)[:5]))
    )
    declared = ~t["commit_target"].isin(NOT_DECLARED)
    at_commit = declared & ~t["commit_target"].isin(RESOLVED)
    today = declared & t["commit_target"].isin(RESOLVED) & ~t["collection_target"].isin(RESOLVED)
    imports = (
        declared
        & t["commit_target"].isin(RESOLVED)
        & t["collection_target"].isin(RESOLVED)
        & raising.reindex(t.index).notna()
    )
    parts = [
        ("declares dependencies", ~declared, t["commit_target"]),
        ("resolves at its last commit", at_commit, t["commit_target"]),
        ("still resolves at the collection date", today, t["collection_target"]),
        (
            "no import that would raise ImportError",
            imports,
            pd.Series("undeclared import", index=t.index),
        ),
    ]
    rows = []
    for step, mask, reason in parts:
        sub = t[mask].assign(reason=reason[mask])
        for (group, why), g in sub.groupby(["group", "reason"]):
            rows.append(
                {
                    "step": step,
                    "group": group,
                    "reason": why,
                    "repositories": len(g),
                    "examples": ";".join(sorted(g.index)[:3]),
                }
            )
    return pd.DataFrame(rows, columns=["step", "group", "reason", "repositories", "examples"])


def python_effect(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Resolving repositories by index cut-off and Python (target vs 3.13), with n."""
    rows = []
    declared = outcomes[~outcomes["commit_target"].isin(NOT_DECLARED)]
    for col, label in [
        ("commit_target", "last commit, target Python"),
        ("commit_current", "last commit, Python 3.13"),
        ("collection_target", "collection date, target Python"),
        ("collection_current", "collection date, Python 3.13"),
    ]:
        k, n = int(declared[col].isin(RESOLVED).sum()), len(declared)
        lo, hi = stats.wilson(k, n)
        rows.append(
            {
                "setting": label,
                "resolves": k,
                "n": n,
                "share": k / n if n else np.nan,
                "low": lo,
                "high": hi,
            }
        )
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
        rows.append(
            {
                "repo": repo,
                "days": days,
                "broke": bool(len(fail)),
                "checkpoints": len(later),
                "outcome_at_end": end["outcome"],
            }
        )
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
        out.append(
            sf.reset_index(names="days").assign(group=group, n=len(g), events=int(g["broke"].sum()))
        )
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def hands_on_comparison(fun: pd.DataFrame) -> pd.DataFrame:
    """Our static necessary condition beside the reference study's hands-on shares."""
    a = fun[fun["group"] == "all"].set_index("step")
    rows = [
        {
            "ours": a.at["resolves_today", "label"],
            "share": a.at["resolves_today", "share"],
            "low": a.at["resolves_today", "low"],
            "high": a.at["resolves_today", "high"],
            "n": int(a.at["resolves_today", "n"]),
            "reference": f"{k} (hands-on)",
            "reference_share": v,
            "what it is": "a necessary condition for installing (dependencies resolve), "
            "not runnability",
        }
        for k, v in HANDS_ON.items()
    ]
    return pd.DataFrame(rows)


def summary(scanned: pd.DataFrame, data_raw: Path = DATA_RAW) -> dict[str, pd.DataFrame]:
    """Everything notebook 04 shows about installability, for the scanned repositories."""
    snap = load(data_raw)
    key = scanned["repo"].astype(str).str.lower()
    groups_by_key = pd.Series(scanned["group"].to_numpy(), index=key)
    inst = snap["inst"]
    groups = (
        pd.Series(groups_by_key.reindex(inst["repo"].str.lower()).to_numpy(), index=inst["repo"])
        .groupby(level=0)
        .first()
    )
    outcomes = outcome_table(inst)
    classes = undeclared.import_classes(snap["imports"], inst, snap["wheels"])
    fun = funnel(outcomes, classes, groups)
    durations = time_to_breakage(inst)
    return {
        "coverage": pd.DataFrame(
            [
                {
                    "scanned": len(scanned),
                    "with_rows": outcomes["repo"].nunique(),
                    "rows": len(inst),
                    "resolver": f"uv {inst['resolver_version'].iloc[0]}" if len(inst) else "",
                    "collection_date": inst["collection_date"].iloc[0] if len(inst) else "",
                }
            ]
        ),
        "outcomes": outcomes.assign(group=groups.reindex(outcomes["repo"]).to_numpy()),
        "classes": classes,
        "funnel": fun,
        "reasons": drop_reasons(outcomes, classes, groups),
        "python": python_effect(outcomes),
        "durations": durations,
        "km": kaplan_meier(durations, groups),
        "hands_on": hands_on_comparison(fun),
        "imports": undeclared.import_summary(classes),
    }


def headline(s: dict[str, pd.DataFrame]) -> str:
    """One paragraph with the funnel's counts (all repositories), computed."""
    f = s["funnel"][s["funnel"]["group"] == "all"].set_index("step")
    k = {step: int(f.at[step, "repositories"]) for step, _ in STEPS}
    pct = {step: f"{f.at[step, 'share']:.0%}" for step, _ in STEPS}
    d = s["durations"]
    broke = int(d["broke"].sum()) if len(d) else 0
    return (
        f"Of {k['scanned']} scanned repositories, {k['declared']} ({pct['declared']}) declare "
        f"dependencies; {k['resolves_commit']} ({pct['resolves_commit']}) resolve with the index "
        f"as of their last commit and their target Python, {k['resolves_today']} "
        f"({pct['resolves_today']}) still do at the collection date, and {k['imports_ok']} "
        f"({pct['imports_ok']}) also have no third-party import that would raise ImportError. "
        f"Of the {len(d)} that resolved at their last commit, {broke} no longer resolved at a "
        f"later checkpoint. Resolving is a necessary condition for installing, not evidence "
        f"that the code installs or runs; the past-date index is a reconstruction."
    )


FUNNEL_VIEW = ["group", "label", "repositories", "n", "share", "low", "high", "kept_from_previous"]

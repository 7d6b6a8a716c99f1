"""Static readiness items (yes / no / unknown) and the reference study's hands-on items they
approximate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from ..core import reference
from .table import GROUPS

READINESS_REFERENCE = reference.HANDS_ON


READINESS = {
    "ready_readme": "README present",
    "ready_install_instructions": "installation instructions in the README",
    "ready_environment_spec": "environment specification (repo2docker files)",
    "ready_pinned": "every declared dependency pinned",
    "ready_licence": "licence",
    "ready_ethics_statement": "ethics / responsible-use / content warning",
    "ready_data_availability": "data availability instructions",
    "ready_entry_points": "how to run documented (entry point or command)",
    "ready_pwc_dependencies": "PwC: dependencies specified",
    "ready_pwc_training_code": "PwC: training code",
    "ready_pwc_evaluation_code": "PwC: evaluation code",
    "ready_pwc_pretrained_models": "PwC: pre-trained models linked",
    "ready_pwc_results": "PwC: results table with the command",
    "static_ready_to_use": "composite: instructions + environment + run command",
    "static_install_guide": "composite: instructions + fully pinned environment",
}


# our static composite items, how they are built, and which reference item they approximate
APPROXIMATIONS = pd.DataFrame(
    [
        (
            "static_ready_to_use",
            "ready_to_use",
            "yes if install instructions, an environment specification AND a documented run "
            "command are all present; no if any is absent; else unknown",
            "necessary, not sufficient: the reference study ran the code by hand; a static "
            "check cannot see broken dependencies, missing data or wrong commands (an upper "
            "bound on being ready to use)",
        ),
        (
            "static_install_guide",
            "install_guide_flawless",
            "yes if the README has install instructions AND every declared dependency is "
            "pinned to a version; unknown when no dependency is declared",
            "a pinned, documented installation is a precondition of a flawless one; whether "
            "it works needs a hands-on rating (rating sheet below)",
        ),
        (
            "ready_ethics_statement",
            "ethics",
            "regex over the README (ethics statement, responsible use, content warning, "
            "research-use-only, misuse, dual-use) or an ETHICS / DISCLAIMER file at the root",
            "closest in meaning; the regex over-matches (validate by hand) and ignores ethics "
            "statements that live only in the paper",
        ),
    ],
    columns=["our_item", "reference_item", "how", "caveat"],
)


def readiness_shares(table: pd.DataFrame, items: list[str] | None = None) -> pd.DataFrame:
    """Per item and group: yes / no / unknown counts; share yes among decided (Wilson CI); the
    unknown share among scanned repositories, reported separately."""
    items = items or list(READINESS)
    rows = []
    for item in items:
        for group in (*GROUPS, "all"):
            g = table if group == "all" else table[table["group"] == group]
            v = g[item].dropna().astype(str) if item in g else pd.Series(dtype=str)
            yes, no, unk = (
                int((v == "yes").sum()),
                int((v == "no").sum()),
                int((v == "unknown").sum()),
            )
            other = len(v) - yes - no - unk
            if other:
                raise ValueError(f"{item}: {other} values other than yes/no/unknown")
            decided = yes + no
            lo, hi = stats.wilson(yes, decided)
            rows.append(
                {
                    "item": item,
                    "label": READINESS.get(item, item),
                    "group": group,
                    "n": len(v),
                    "yes": yes,
                    "no": no,
                    "unknown": unk,
                    "share_yes": yes / decided if decided else np.nan,
                    "low": lo,
                    "high": hi,
                    "share_unknown": unk / len(v) if len(v) else np.nan,
                }
            )
    return pd.DataFrame(rows)


def readiness_vs_reference(shares: pd.DataFrame) -> pd.DataFrame:
    """Our approximating items (all groups pooled and by group) beside the study's shares."""
    s = shares[shares["item"].isin(APPROXIMATIONS["our_item"])]
    wide = s.pivot(
        index="item", columns="group", values=["share_yes", "low", "high", "n", "unknown"]
    )
    wide.columns = [f"{a}_{b}".replace("-", "_") for a, b in wide.columns]
    out = APPROXIMATIONS.merge(READINESS_REFERENCE, on="reference_item").merge(
        wide, left_on="our_item", right_index=True, how="left"
    )
    return out


def regex_precision(path: Path) -> pd.DataFrame:
    """Precision of the static readiness checks where a person re-read what they flagged
    (``data_raw/readiness/regex_validation.csv``): per item, flagged, confirmed, precision with
    a Wilson interval. Empty when no check has been made."""
    cols = ["item", "flagged_checked", "confirmed", "precision", "low", "high"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    v = pd.read_csv(path)
    rows = []
    for item, g in v[v["detected"] == "yes"].groupby("item"):
        k, n = int((g["hand_label"] == "yes").sum()), len(g)
        lo, hi = stats.wilson(k, n)
        rows.append(
            {
                "item": item,
                "flagged_checked": n,
                "confirmed": k,
                "precision": k / n,
                "low": lo,
                "high": hi,
            }
        )
    return pd.DataFrame(rows, columns=cols)


def with_indicators(table: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    """``<item>_yes`` columns: 1 for yes, 0 for no, missing for unknown (for group tests and
    logistic models of the share meeting an item)."""
    out = table.copy()
    for item in items:
        out[f"{item}_yes"] = out[item].map({"yes": 1.0, "no": 0.0})
    return out


INPUTS = ["repos/", "records/", "screening/", "readiness/"]  # raw folders notebook 04 reads
REFERENCE_VIEW = [
    "our_item",
    "reference_label",
    "reference_share",
    "share_yes_all",
    "low_all",
    "high_all",
    "n_all",
    "unknown_all",
    "share_yes_benchmark",
    "share_yes_non_benchmark",
    "how",
    "caveat",
]
KIND_COLUMNS = {
    "install kind (README)": "ready_install_kind",
    "environment file kind": "ready_environment_kinds",
    "licence (SPDX)": "ready_licence_spdx",
}
PUBLISHED_AROUND = (["repo", "group", "topic", "paper_ids", "commit_sha", "reference_date"],
                    ["static_ready_to_use", "static_install_guide"])  # fmt: skip


def _cell(r: pd.Series) -> str:
    """``share [low, high] (yes/n; unknown)`` of one share row, or n/a."""
    if pd.isna(r["share_yes"]):
        return "n/a"
    unknown = f"; {r['unknown']} unknown)" if r["unknown"] else ")"
    return (
        f"{r['share_yes']:.0%} [{r['low']:.0%}, {r['high']:.0%}] ({r['yes']}/{r['yes'] + r['no']}"
        + unknown
    )


def shares_wide(shares: pd.DataFrame) -> pd.DataFrame:
    """Item by group, each cell the share with its Wilson interval and counts, items in order."""
    wide = shares.assign(cell=shares.apply(_cell, axis=1))
    order = list(dict.fromkeys(shares["label"]))
    return wide.pivot(index="label", columns="group", values="cell").reindex(order)


def _kinds(scanned: pd.DataFrame, col: str) -> pd.Series:
    """Repositories per value of a ``;``-separated column."""
    s = scanned[col].fillna("").astype(str).str.split(";").explode()
    return s[s != ""].value_counts().rename("repositories")


def kind_counts(scanned: pd.DataFrame) -> pd.DataFrame:
    """Repositories per install kind, environment file kind and licence."""
    return pd.concat({k: _kinds(scanned, c) for k, c in KIND_COLUMNS.items()}).to_frame()


def pinned_summary(scanned: pd.DataFrame) -> pd.DataFrame:
    """Quartiles of the pinned share of declared dependencies, by group."""
    pinned = scanned.groupby("group")["ready_pinned_share"].describe()[
        ["count", "25%", "50%", "75%"]
    ]
    return pinned.rename(columns={"count": "repositories with declared dependencies"})


def published(scanned: pd.DataFrame) -> pd.DataFrame:
    """The columns of the published ``readiness`` table."""
    ready = [c for c in scanned.columns if c.startswith("ready_")]
    keep = [*PUBLISHED_AROUND[0], *ready, *PUBLISHED_AROUND[1]]
    return scanned[list(dict.fromkeys(keep))]

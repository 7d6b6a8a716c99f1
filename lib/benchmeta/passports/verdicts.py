"""Fitness per dimension: a short rule-based verdict for each benchmark, no composite score.

Every rule is written out here with its threshold as a parameter (07's ``parameters`` cell
passes them), so a reader who disagrees with a threshold reruns with papermill. Each verdict is
``yes``, ``no`` or ``unknown`` (nothing measured to decide).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

VERDICTS = ["maintained", "installable", "used", "discriminating", "capability_independent"]


@dataclass(frozen=True)
class Thresholds:
    """The verdict rules' parameters."""

    maintained_days: int = 365  # maintained: a commit within this many days of the scan date
    max_undeclared: int = 0  # installable: at most this many imports that would raise
    min_adoption: int = 1  # used: at least this many clean adoption edges ...
    min_leaderboards: int = 1  # ... or on at least this many leaderboard sources
    margin: float = 0.05  # discriminating: share of models within this margin of the ceiling ...
    saturated_share: float = 0.5  # ... below this share (latest year's models where >= min_latest)
    min_latest: int = 10  # latest-year model set used only with at least this many models
    max_capability_rho: float = 0.5  # capability-independent: |Spearman rho| with ECI below this


def _tri(yes: pd.Series, no: pd.Series) -> np.ndarray:
    return np.select([yes, no], ["yes", "no"], "unknown")


def verdicts(p: pd.DataFrame, t: Thresholds) -> pd.DataFrame:
    """The five verdicts for every passport row (columns ``verdict_<dimension>``)."""
    age = (p["reference_date"] - p["last_commit"]).dt.days
    maintained = _tri(age <= t.maintained_days, age > t.maintained_days)
    ok_imports = p["undeclared_imports"].fillna(np.inf) <= t.max_undeclared
    installable = _tri(
        (p["resolves_today"] == "yes") & ok_imports,
        (p["declares_dependencies"] == "no") | (p["resolves_today"] == "no")
        | ((p["resolves_today"] == "yes") & ~ok_imports),
    )  # fmt: skip
    adopted = p["adoption_edges"] >= t.min_adoption
    on_boards = p["lb_sources"] >= t.min_leaderboards
    used = _tri(adopted | on_boards, p["adoption_edges"].notna() & ~adopted & ~on_boards)
    col = f"near_{t.margin:.2f}"
    recent = p["n_latest_year"].fillna(0) >= t.min_latest
    share = p[f"{col}_latest_year"].where(recent, p[col])
    saturated = (share >= t.saturated_share) | (p["told_apart"] == "no")
    discriminating = _tri(share.notna() & ~saturated, share.notna() & saturated)
    rho = p["capability_rho"].abs()
    independent = _tri(rho < t.max_capability_rho, rho >= t.max_capability_rho)
    return pd.DataFrame(
        dict(zip([f"verdict_{v}" for v in VERDICTS],
                 [maintained, installable, used, discriminating, independent], strict=True)),
        index=p.index,
    )  # fmt: skip


def rules_text(t: Thresholds) -> str:
    """The rules in words, with the thresholds in force (for the notebook)."""
    return (
        f"**maintained**: a commit within {t.maintained_days} days of the scan's reference date. "
        f"**installable**: the declared dependencies resolve today (uv, wheels only) and at most "
        f"{t.max_undeclared} imports would raise; declaring none counts as no. **used**: at least "
        f"{t.min_adoption} clean adoption edge(s) (06) or on at least {t.min_leaderboards} "
        f"leaderboard source(s) (07). **discriminating**: fewer than {t.saturated_share:.0%} of "
        f"models within {t.margin} of the ceiling (the latest year's models when there are at "
        f"least {t.min_latest}, else all), and the top models not shown indistinguishable. "
        f"**capability-independent**: |Spearman rho| with the Epoch Capabilities Index below "
        f"{t.max_capability_rho}. Unknown where nothing was measured."
    )

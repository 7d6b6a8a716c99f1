"""Sensitivity of the stale share to the reference date (notebook 02)."""

from __future__ import annotations

import pandas as pd

from .groups import share_by_group
from .survival import kaplan_meier
from .table import repository_table


def reference_date_sensitivity(
    included: pd.DataFrame, snap: dict[str, pd.DataFrame], alternatives: dict[str, str | None]
) -> tuple[pd.DataFrame, str]:
    """Stale share and median time to stale per group at the scan's reference date and at each
    alternative date (label -> YYYY-MM-DD); an alternative equal to the scan's date is not
    repeated, and the note says so."""
    scan_dates = sorted(
        map(str, snap["repos"].get("reference_date", pd.Series()).dropna().unique())
    )
    dates = {"scan reference date": None}
    same = []
    for label, day in alternatives.items():
        if day is None:
            continue
        if [day] == scan_dates:
            same.append(f"{label} ({day}) equals the scan's reference date")
        else:
            dates[label] = day
    rows = []
    for label, day in dates.items():
        alt = repository_table(included, snap["repos"], snap["fetch"], day)
        alt = alt[alt["scanned"]]
        km = kaplan_meier(alt)["summary"].set_index("group")
        for r in share_by_group(alt, "stale").itertuples():
            if r.group in km.index:
                rows.append(
                    {
                        "reference": label,
                        "date": day or ", ".join(scan_dates),
                        "group": r.group,
                        "n": r.n,
                        "stale": r.count,
                        "share_stale": r.share,
                        "low": r.low,
                        "high": r.high,
                        "median_days_to_stale": km.loc[r.group, "median_days"],
                    }
                )
    note = ("; ".join(same) + ": not repeated.") if same else ""
    return pd.DataFrame(rows), note

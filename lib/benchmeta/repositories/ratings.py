"""Hands-on readiness ratings by people: the blank sheet, reading it, agreement."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import stats
from ..core.errors import InputError

RATING_ITEMS = ("runnable", "ready_to_use", "install_guide_flawless")


RATING_COLUMNS = ["repo", "rater", *RATING_ITEMS, "notes"]


RATING_VALUES = {"yes", "no", "unknown"}


def rating_template(
    table: pd.DataFrame, raters: tuple[str, ...] = ("rater_1", "rater_2")
) -> pd.DataFrame:
    """An empty rating sheet: one row per scanned repository and rater, ratings blank.

    The group is left out so raters stay blind to it. Values to enter: yes / no / unknown.
    """
    repos = sorted(table.loc[table["scanned"], "repo"].astype(str), key=str.lower)
    rows = [
        {"repo": r, "rater": who, **dict.fromkeys(RATING_ITEMS, ""), "notes": ""}
        for r in repos
        for who in raters
    ]
    return pd.DataFrame(rows, columns=RATING_COLUMNS)


def read_ratings(path: Path) -> pd.DataFrame:
    """Ratings sheet filled in by people (empty frame if the file does not exist). Rows with no
    rating at all are dropped; a value outside yes / no / unknown is an error naming its line."""
    if not path.exists():
        return pd.DataFrame(columns=RATING_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in RATING_COLUMNS[:-1] if c not in df]
    if missing:
        raise InputError(path, 1, f"lacks columns {missing}", list(df.columns))
    for c in RATING_ITEMS:
        df[c] = df[c].str.strip().str.lower()
        bad = df[c].ne("") & ~df[c].isin(RATING_VALUES)
        if bad.any():
            i = int(bad.idxmax())
            raise InputError(path, i + 2, f"{c} must be yes, no or unknown", df.at[i, c])
        df[c] = df[c].where(df[c] != "")
    return df[df[list(RATING_ITEMS)].notna().any(axis=1)].reset_index(drop=True)


def rating_agreement(ratings: pd.DataFrame) -> pd.DataFrame:
    """Agreement of two raters per item (percent, Cohen's kappa with CI, Gwet's AC1 via
    ``stats.agreement``); says "no ratings yet" instead of inventing any."""
    cols = [
        "item",
        "raters",
        "n",
        "categories",
        "percent",
        "kappa",
        "kappa_low",
        "kappa_high",
        "ac1",
        "note",
    ]
    raters = sorted(ratings["rater"].dropna().unique()) if len(ratings) else []
    rows = []
    for item in RATING_ITEMS:
        if not len(ratings) or ratings[item].notna().sum() == 0:
            rows.append({"item": item, "raters": len(raters), "n": 0, "note": "no ratings yet"})
            continue
        rated = ratings.dropna(subset=[item])
        who = sorted(rated["rater"].unique())
        if len(who) < 2:
            rows.append(
                {
                    "item": item,
                    "raters": len(who),
                    "n": 0,
                    "note": "only one rater so far: agreement needs two",
                }
            )
            continue
        wide = rated.pivot_table(index="repo", columns="rater", values=item, aggfunc="first")
        a = stats.agreement(wide[who[0]], wide[who[1]])
        note = a.note + (f"; first two of {len(who)} raters" if len(who) > 2 else "")
        rows.append({"item": item, "raters": len(who), **a.as_dict(), "note": note.strip("; ")})
    return pd.DataFrame(rows).reindex(columns=cols)

"""The benchmark registry: hand-kept, exact, one row per benchmark.

Inputs under ``data_raw/benchmarks/``:

- ``registry.csv``: ``benchmark_id, name, paper_id, repo, data_released, data_released_basis,
  study_window, note``. Every included benchmark paper of 01 has a row keyed by its
  ``paper_id``; benchmarks on a leaderboard of 07 that 01 did not include have rows of their own
  (``study_window`` ``before`` / ``in`` / ``after`` the study window, ``none`` without a paper).
- ``leaderboard_names.csv``: ``benchmark_id, source, benchmark``, the exact (source, benchmark)
  names of the tidy leaderboard table a registry benchmark appears under.
- ``datasets.csv``: ``benchmark_id, dataset_id, host, evidence``.

Joins are exact on ``paper_id`` and on (source, benchmark); nothing is matched by similarity.
Included benchmark papers without a row and leaderboard benchmarks without a name row are not
dropped: ``entries`` adds them, flagged, so a missing row shows instead of vanishing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.errors import InputError, csv_line
from ..core.paths import DATA_RAW

REGISTRY = "benchmarks/registry.csv"
NAMES = "benchmarks/leaderboard_names.csv"
DATASETS = "benchmarks/datasets.csv"
REGISTRY_COLUMNS = [
    "benchmark_id", "name", "paper_id", "repo", "data_released", "data_released_basis",
    "study_window", "note",
]  # fmt: skip
NAME_COLUMNS = ["benchmark_id", "source", "benchmark"]
DATASET_COLUMNS = ["benchmark_id", "dataset_id", "host", "evidence"]
WINDOWS = {"before", "in", "after", "none"}


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(path, 1, f"missing columns {missing}", list(df.columns))
    return df[columns]


def _first(mask: pd.Series) -> int:
    return int(mask.to_numpy().argmax())


def _check(reg: pd.DataFrame, names: pd.DataFrame, data: pd.DataFrame, data_raw: Path) -> None:
    """Unique ids, known windows, dates as YYYY-MM or YYYY-MM-DD, and references that exist."""
    path = data_raw / REGISTRY
    for col in ["benchmark_id"]:
        bad = (reg[col].str.strip() == "") | reg[col].duplicated()
        if bad.any():
            i = _first(bad)
            raise InputError(path, csv_line(i), f"{col} empty or duplicated", reg.iloc[i][col])
    pid = reg["paper_id"]
    dup = (pid != "") & pid.duplicated()
    if dup.any():
        raise InputError(path, csv_line(_first(dup)), "paper_id duplicated", pid.iloc[_first(dup)])
    bad = ~reg["study_window"].isin(WINDOWS)
    if bad.any():
        i = _first(bad)
        raise InputError(path, csv_line(i), f"study_window not in {sorted(WINDOWS)}",
                         reg.iloc[i]["study_window"])  # fmt: skip
    date = reg["data_released"]
    bad = (date != "") & ~date.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?")
    if bad.any():
        i = _first(bad)
        raise InputError(path, csv_line(i), "data_released is not YYYY-MM[-DD]", date.iloc[i])
    ids = set(reg["benchmark_id"])
    for rel, df in [(NAMES, names), (DATASETS, data)]:
        bad = ~df["benchmark_id"].isin(ids)
        if bad.any():
            i = _first(bad)
            raise InputError(data_raw / rel, csv_line(i), "benchmark_id not in the registry",
                             df.iloc[i]["benchmark_id"])  # fmt: skip
    dup = names.duplicated(["source", "benchmark"])
    if dup.any():
        i = _first(dup)
        raise InputError(data_raw / NAMES, csv_line(i), "source/benchmark named twice",
                         f"{names.iloc[i]['source']} / {names.iloc[i]['benchmark']}")  # fmt: skip


def load(data_raw: Path = DATA_RAW) -> dict[str, pd.DataFrame]:
    """The three registry files, validated: ``registry``, ``names``, ``datasets``."""
    reg = _read(data_raw / REGISTRY, REGISTRY_COLUMNS)
    names = _read(data_raw / NAMES, NAME_COLUMNS)
    data = _read(data_raw / DATASETS, DATASET_COLUMNS)
    _check(reg, names, data, data_raw)
    return {"registry": reg, "names": names, "datasets": data}


def short_name(title: str) -> str:
    """A display name from a paper title: the part before its first colon when that is short
    (at most 30 characters), else the title cut at 60 characters."""
    head = title.split(":", 1)[0].strip()
    if ":" in title and len(head) <= 30:
        return head
    return title if len(title) <= 60 else title[:57].rstrip() + "..."


def entries(
    loaded: dict[str, pd.DataFrame], included: pd.DataFrame, scores: pd.DataFrame
) -> pd.DataFrame:
    """One row per benchmark: the registry rows, plus included benchmark papers (01) and
    leaderboard benchmarks (07) that have no row yet (``registry_status`` says which)."""
    reg = loaded["registry"].copy()
    reg["registry_status"] = "in the registry"
    bench = included[included["is_benchmark"].astype(bool)]
    missing = bench[~bench["paper_id"].isin(reg["paper_id"])]
    extra = pd.DataFrame(
        {
            "benchmark_id": "paper:" + missing["paper_id"].astype(str), "name": "",
            "paper_id": missing["paper_id"].astype(str), "repo": "", "data_released": "",
            "data_released_basis": "", "study_window": "in", "note": "",
            "registry_status": "included benchmark paper without a registry row",
        }
    )  # fmt: skip
    pairs = scores[["source", "benchmark"]].drop_duplicates()
    named = pairs.merge(loaded["names"], on=["source", "benchmark"], how="left")
    orphan = named[named["benchmark_id"].isna()]
    lone = pd.DataFrame(
        {
            "benchmark_id": "board:" + orphan["source"] + "/" + orphan["benchmark"],
            "name": orphan["benchmark"], "paper_id": "", "repo": "", "data_released": "",
            "data_released_basis": "", "study_window": "none", "note": "",
            "registry_status": "leaderboard benchmark without a registry row",
        }
    )  # fmt: skip
    out = pd.concat([reg, extra, lone], ignore_index=True)
    titles = included.set_index("paper_id")["title"]
    fallback = out["paper_id"].map(titles).fillna("").map(short_name)
    out["name"] = out["name"].where(out["name"] != "", fallback)
    repo01 = included.set_index("paper_id")["repo"].fillna("")
    out["repo_01"] = out["paper_id"].map(repo01).fillna("")
    out["repo"] = out["repo"].where(out["repo"] != "", out["repo_01"])
    return out


def board_names(loaded: dict[str, pd.DataFrame], ent: pd.DataFrame) -> pd.DataFrame:
    """``benchmark_id, source, benchmark`` for every entry, including the flagged ones."""
    lone = ent[ent["benchmark_id"].str.startswith("board:")]
    parts = lone["benchmark_id"].str.removeprefix("board:").str.split("/", n=1)
    extra = pd.DataFrame(
        {"benchmark_id": lone["benchmark_id"], "source": parts.str[0], "benchmark": parts.str[1]}
    )
    return pd.concat([loaded["names"], extra], ignore_index=True)

"""Import citation facts from a local copy of the Jailbreak-Observatory data.

    python -m benchmeta collect citations --from FOLDER [--retrieved-at YYYY-MM-DD]

The repository has no licence, so only facts are taken (title, year, venue, target, curator
category, Google Scholar citation count, the date it was checked, the venue page URL), never
abstracts or other text. ``FOLDER`` holds ``citation_catalog.json`` and ``citation_history.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.errors import InputError
from ..core.paths import DATA_RAW

COLLECTOR = "python -m benchmeta collect citations"
REPO = "https://github.com/GenggengSvan/Jailbreak-Observatory"
COMMIT = "c626a6385c3f7f0e58057b0f799bdac878bfbb2c"
FACTS = ["title", "year", "venue", "target", "category", "citations", "lastChecked", "url"]
OUT = "citations/jailbreak_observatory_citations.csv"


def read_catalog(folder: Path) -> pd.DataFrame:
    """The catalogue's facts, one row per paper, with the update that produced the counts."""
    path = folder / "citation_catalog.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for i, rec in enumerate(records):
        missing = [k for k in FACTS if k not in rec]
        if missing:
            raise InputError(path, i, f"catalogue record lacks {missing}", rec.get("title"))
        rows.append({k: rec[k] for k in FACTS})
    df = pd.DataFrame(rows).rename(columns={"lastChecked": "last_checked", "url": "venue_url"})
    history = json.loads((folder / "citation_history.json").read_text(encoding="utf-8"))
    last = max(history["updates"], key=lambda u: u["date"])
    df["count_source"] = last["source"]
    df["citations"] = df["citations"].astype("Int64")
    if df["title"].duplicated().any():
        dup = df.loc[df["title"].duplicated(), "title"].iloc[0]
        raise InputError(path, None, "title listed twice", dup)
    return df


def collect(folder: Path, data_raw: Path = DATA_RAW, retrieved_at: str | None = None) -> str:
    df = read_catalog(folder)
    atomic.write_csv(data_raw / OUT, df)
    manifest.record(
        [
            manifest.Entry(
                path=OUT,
                source=f"GenggengSvan/Jailbreak-Observatory @ {COMMIT[:12]}, "
                "data/citation_catalog.json and data/citation_history.json (facts only)",
                url=f"{REPO}/blob/{COMMIT}/data/citation_catalog.json",
                retrieved_at=retrieved_at or dt.date.today().isoformat(),
                sha256="",
                licence="none stated by the repository: facts only, with attribution",
                collector=COLLECTOR,
                attribution="Jailbreak-Observatory (GenggengSvan); counts from Google Scholar",
            )
        ],
        data_raw,
    )
    return OUT


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog=COLLECTOR, description=__doc__)
    p.add_argument("--from", dest="folder", type=Path, required=True)
    p.add_argument("--retrieved-at")
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    a = p.parse_args(argv)
    print(f"wrote data_raw/{collect(a.folder, a.data_raw, a.retrieved_at)}")
    return 0

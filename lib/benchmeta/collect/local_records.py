"""Parse curated paper lists from a local folder into ``data_raw/records/``.

    python -m benchmeta collect records --from FOLDER [--retrieved-at YYYY-MM-DD] [--data-raw PATH]
    python -m benchmeta collect records --record-manual [--data-raw PATH]

``FOLDER`` holds one sub-folder per list, named ``<owner>__<repo>``
(``benchmeta.papers.lists.registry.LISTS``).
Facts are written (list, file, line, section, title, dates, ids, links, venue, tags) and, for
lists under an open licence only, the abstract or curator summary an entry carries (``abstract``);
lists without a licence are used for metadata only:

- ``records/records.csv``: one row per parsed list entry;
- ``records/parse_problems.csv``: every entry that could not be parsed, or parsed with a warning;
- ``records/lists.csv``: each list's repository, commit, commit date, licence and topics, what
  text it gives beside titles and how many entries have it in the list and in the snapshot.

``records/manual_records.csv`` is hand-kept and never written here; after editing it, run with
``--record-manual`` to refresh its MANIFEST row. The folder is an argument, never a fixed path.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.paths import DATA_RAW
from ..papers import records

COLLECTOR = "python -m benchmeta collect records"
MANUAL = "records/manual_records.csv"


def _owner_repo(name: str) -> str:
    return name.replace("__", "/", 1)


LIST_COLUMNS = [
    "list",
    "url",
    "commit",
    "commit_date",
    "licence",
    "topics",
    "abstracts",
    "with_abstract_in_list",
    "with_abstract_kept",
]


def lists_table(names: list[str], recs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Facts about the given lists (from ``records.LISTS``); with the parsed ``recs``, how many
    entries carry an abstract or summary in the list, and how many are kept (open licence)."""
    given = (
        recs.loc[recs["abstract"].fillna("") != "", "list"].value_counts()
        if recs is not None
        else pd.Series(dtype=int)
    )
    rows = []
    for n in names:
        if (i := records.LISTS.get(n)) is None:
            continue
        n_given = int(given.get(n, 0))
        rows.append(
            {
                "list": n,
                "url": i.url,
                "commit": i.commit,
                "commit_date": i.commit_date,
                "licence": i.licence,
                "topics": i.topics,
                "abstracts": i.abstracts or "none",
                "with_abstract_in_list": n_given,
                "with_abstract_kept": 0 if i.licence.lower() == "none" else n_given,
            }
        )
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


def record_manual(data_raw: Path = DATA_RAW) -> bool:
    """(Re)record the MANIFEST row of the hand-kept manual records, if the file exists."""
    if not (data_raw / MANUAL).is_file():
        return False
    records.read_manual(data_raw / MANUAL)  # refuse to record a file that does not parse
    manifest.record(
        [
            manifest.Entry(
                path=MANUAL,
                source="hand-kept: papers the curated lists missed (one documented row each)",
                url="",
                retrieved_at=dt.date.today().isoformat(),
                sha256="",
                licence="CC-BY-4.0",
                collector="hand-edited",
                attribution="benchmark-of-benchmarks contributors",
            )
        ],
        data_raw,
    )
    return True


def _manifest_entries(lists: pd.DataFrame, retrieved_at: str) -> list[manifest.Entry]:
    """MANIFEST rows of records.csv, parse_problems.csv and lists.csv (licences from ``lists``)."""
    tree_urls = "; ".join(f"{r.url}/tree/{r.commit}" for r in lists.itertuples())
    licences = "/".join(sorted(set(lists["licence"])))
    names = ", ".join(_owner_repo(n) for n in lists["list"])
    attribution = f"Curated lists on GitHub: {names}"
    common = dict(retrieved_at=retrieved_at, sha256="", collector=COLLECTOR)
    entries = [
        manifest.Entry(
            path="records/records.csv",
            source=f"{len(lists)} curated paper lists (records/lists.csv), one row per entry, "
            "parsed by benchmeta.papers.lists",
            url=tree_urls,
            licence=f"facts extracted from lists under {licences}; abstracts and "
            "summaries only from lists under an open licence; see records/lists.csv",
            attribution=attribution,
            **common,
        ),
        manifest.Entry(
            path="records/parse_problems.csv",
            source="entries of the curated lists that could not be parsed or raised a warning",
            url=tree_urls,
            licence=f"facts (and, for licensed lists only, short excerpts) from "
            f"lists under {licences}; see records/lists.csv",
            attribution=attribution,
            **common,
        ),
        manifest.Entry(
            path="records/lists.csv",
            source="facts about each curated list (repository, commit, licence, topics, "
            "abstract counts)",
            url=tree_urls,
            licence="CC-BY-4.0",
            attribution=attribution,
            **common,
        ),
    ]
    return entries


def collect(folder: Path, data_raw: Path = DATA_RAW, retrieved_at: str | None = None) -> list[str]:
    """Parse every known list in ``folder`` and write the snapshot; return the paths written."""
    retrieved_at = retrieved_at or dt.date.today().isoformat()
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError("the folder given with --from does not exist")
    recs, probs = records.parse_all(folder)
    found = sorted(
        set(recs["list"]) | {p.name for p in folder.iterdir() if p.name in records.LISTS}
    )
    if not found:
        raise FileNotFoundError("no known list folder (<owner>__<repo>) in the --from folder")
    recs = recs.sort_values(["list", "file", "line"], kind="stable")[records.COLUMNS]
    probs = probs.sort_values(["list", "file", "line"], kind="stable")[records.PROBLEM_COLUMNS]
    lists = lists_table(found, recs)
    # Excerpts and abstracts are the lists' own text: keep them only where the licence allows it.
    unlicensed = set(lists.loc[lists["licence"].str.lower() == "none", "list"])
    probs.loc[probs["list"].isin(unlicensed), "text_excerpt"] = ""
    recs.loc[recs["list"].isin(unlicensed), "abstract"] = ""
    out = data_raw / "records"
    atomic.write_csv(out / "records.csv", recs)
    atomic.write_csv(out / "parse_problems.csv", probs)
    atomic.write_csv(out / "lists.csv", lists)
    entries = _manifest_entries(lists, retrieved_at)
    manifest.record(entries, data_raw)
    written = [e.path for e in entries]
    if record_manual(data_raw):
        written.append(MANUAL)
    return written


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog=COLLECTOR, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--from", dest="folder", type=Path, help="folder of list sub-folders")
    p.add_argument("--retrieved-at", help="date the lists were retrieved (default: today)")
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    p.add_argument(
        "--record-manual",
        action="store_true",
        help="only refresh the MANIFEST row of records/manual_records.csv",
    )
    a = p.parse_args(argv)
    if a.record_manual:
        ok = record_manual(a.data_raw)
        print(f"recorded data_raw/{MANUAL}" if ok else f"no data_raw/{MANUAL}")
        return 0 if ok else 1
    if a.folder is None:
        p.error("--from FOLDER is required (or --record-manual)")
    for path in collect(a.folder, a.data_raw, a.retrieved_at):
        print(f"wrote data_raw/{path}")
    return 0

"""Records for PRISMA "identification": run the list parsers (``lists``), read hand-kept
records, load the committed snapshot.

One small parser per list format (``lists.registry.PARSERS``); each reads a folder laid out like
``<owner>__<repo>/<path inside the list>`` and returns ``(records, problems)``:

- a record is one list entry with the columns ``COLUMNS`` (facts only: title, dates, ids, links,
  venue, curator tags and the heading it sits under; never abstracts or comments);
- a problem names ``list, file, line`` and the reason, with a short excerpt. ``action`` says
  whether the entry was ``dropped`` (not parseable) or ``kept`` (parsed, but something was off:
  an unknown date format, a duplicate id ...). One bad entry never loses the rest.

``line`` is the 1-based line of the entry in its file; for JSON lists it is the 1-based index
of the record in the list's array.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from ..core.ids import ARXIV_ID, arxiv_id, github_repo
from ..core.paths import DATA_RAW
from .lists.base import COLUMNS, PROBLEM_COLUMNS, _Sink
from .lists.registry import LISTS, PARSERS
from .markdown import parse_date

MANUAL_LIST = "manual"
__all__ = [
    "COLUMNS",
    "LISTS",
    "MANUAL_LIST",
    "PROBLEM_COLUMNS",
    "load_snapshot",
    "parse_all",
    "parse_list",
    "read_manual",
]


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    if "year" in df:
        df["year"] = pd.array(df["year"], dtype="Int64")
    if "line" in df:
        df["line"] = df["line"].astype("int64")
    return df


def parse_list(folder: Path, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse one list folder ``<folder>/<name>`` with its parser."""
    root = Path(folder) / name
    try:
        recs, probs = PARSERS[name](root)
    except Exception as err:  # a parser bug must not lose the other lists
        recs, probs = (
            [],
            [
                {
                    "list": name,
                    "file": "",
                    "line": 0,
                    "action": "dropped",
                    "reason": f"parser failed: {err.__class__.__name__}: {err}",
                    "text_excerpt": "",
                }
            ],
        )
    return _frame(recs, COLUMNS), _frame(probs, PROBLEM_COLUMNS)


def parse_all(
    folder: Path | str, manual: Path | str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every known parser on the list folders found in ``folder``; unknown folders are
    reported. ``manual`` (or ``folder/manual_records.csv``) adds hand-kept records."""
    folder = Path(folder)
    recs, probs = [], []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if sub.name in PARSERS:
            r, p = parse_list(folder, sub.name)
            recs.append(r)
            probs.append(p)
        elif not sub.name.startswith("."):
            probs.append(
                _frame(
                    [
                        {
                            "list": sub.name,
                            "file": "",
                            "line": 0,
                            "action": "dropped",
                            "reason": "no parser for this list folder",
                            "text_excerpt": "",
                        }
                    ],
                    PROBLEM_COLUMNS,
                )
            )
    manual = Path(manual) if manual else folder / "manual_records.csv"
    if manual.is_file():
        recs.append(read_manual(manual))
    records = pd.concat(recs, ignore_index=True) if recs else _frame([], COLUMNS)
    problems = pd.concat(probs, ignore_index=True) if probs else _frame([], PROBLEM_COLUMNS)
    return _frame(records.to_dict("records"), COLUMNS), _frame(
        problems.to_dict("records"), PROBLEM_COLUMNS
    )


TOPIC_HINTS = {"PI", "JB", "HAL", "other"}
_ARXIV_FORM = re.compile(rf"(?:{ARXIV_ID})(?:v\d+)?", re.I)


def _manual_checks(path: Path, line: int, row: pd.Series) -> None:
    """Refuse a manual row whose date, arXiv id, arXiv link, topic hint or repo is malformed."""
    if not row.get("title", "").strip():
        raise InputError(path, line, "manual record without a title", row.to_dict())
    parse_date(row.get("date", ""), path, line)
    aid = row.get("arxiv_id", "").strip()
    if aid and not _ARXIV_FORM.fullmatch(aid):
        raise InputError(
            path, line, "arXiv id of the wrong form (YYMM.NNNNN or archive/NNNNNNN)", aid
        )
    for col in ("paper_url", "code_url"):
        url = row.get(col, "").strip()
        if "arxiv.org/" in url.lower() and not arxiv_id(url):
            raise InputError(path, line, f"{col} is an arXiv link without a valid arXiv id", url)
    hints = [t for t in row.get("topic_hint", "").split(";") if t.strip()]
    unknown = [t for t in hints if t.strip() not in TOPIC_HINTS]
    if unknown:
        raise InputError(
            path, line, f"unknown topic_hint (expected {sorted(TOPIC_HINTS)})", ";".join(unknown)
        )
    repo = row.get("repo", "").strip()
    if repo and github_repo(f"https://github.com/{repo}") != repo:
        raise InputError(path, line, "repo is not a GitHub owner/name", repo)


def read_manual(path: Path | str) -> pd.DataFrame:
    """Hand-kept records (``list`` = ``manual``), one documented row per paper the lists missed.

    Columns as ``COLUMNS`` (plus a free ``note``); ``title`` and ``paper_url`` are required,
    ``file``/``line`` are set to the CSV's own name and line, and arXiv id, DOI and year are
    derived from the links and date exactly as for list entries; a filled ``repo`` column is
    the paper's repository (else it comes from ``code_url``).

    Raises ``InputError`` naming the file, line and value for a missing column, an empty title,
    an unknown date format, an arXiv id or arXiv link of the wrong form, an unknown
    ``topic_hint`` or a ``repo`` that is not ``owner/name``."""
    path = Path(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("title", "paper_url") if c not in df.columns]
    if missing:
        raise InputError(path, 1, f"manual records lack columns {missing}", list(df.columns))
    sink = _Sink(MANUAL_LIST)
    for i, row in df.iterrows():
        line = int(i) + 2
        _manual_checks(path, line, row)
        repo = row.get("repo", "").strip()
        code = row.get("code_url", "").strip() or (f"https://github.com/{repo}" if repo else "")
        rec = sink.add(
            path.name,
            line,
            "",
            title=row["title"],
            section=row.get("section", ""),
            paper_url=row.get("paper_url", ""),
            code_url=code,
            venue=row.get("venue", ""),
            tags=row.get("tags", "").split(";"),
            topic_hint=row.get("topic_hint", ""),
            kind=row.get("kind", "") or "paper",
            date_text=row.get("date", ""),
            abstract=row.get("abstract", ""),
        )
        if rec is not None:
            rec["date_source"] = "manual" if rec["date_source"] == "list" else rec["date_source"]
            rec["doi"] = rec["doi"] or row.get("doi", "").strip().lower()
            rec["arxiv_id"] = rec["arxiv_id"] or arxiv_id("arXiv:" + row.get("arxiv_id", ""))
            rec["repo"] = repo or rec["repo"]
    return _frame(sink.records, COLUMNS)


def load_snapshot(data_raw: Path = DATA_RAW) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The committed snapshot: ``records/records.csv`` plus the hand-kept
    ``records/manual_records.csv`` (if any), and ``records/parse_problems.csv``."""
    folder = Path(data_raw) / "records"
    recs = pd.read_csv(folder / "records.csv", dtype=str, keep_default_na=False)
    probs = pd.read_csv(folder / "parse_problems.csv", dtype=str, keep_default_na=False)
    recs["year"] = pd.to_numeric(recs["year"].replace("", None)).astype("Int64")
    frames = [recs[COLUMNS]]
    if (folder / "manual_records.csv").is_file():
        frames.append(read_manual(folder / "manual_records.csv"))
    recs = pd.concat(frames, ignore_index=True)
    return _frame(recs.to_dict("records"), COLUMNS), _frame(
        probs.to_dict("records"), PROBLEM_COLUMNS
    )


def list_abstracts(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Per curated list: its licence and how many entries carry an abstract or summary in the
    list, and how many of those the snapshot keeps (text only from openly licensed lists)."""
    lists = pd.read_csv(Path(data_raw) / "records" / "lists.csv")
    return lists[["list", "licence", "abstracts", "with_abstract_in_list", "with_abstract_kept"]]


def manual_fate(
    raw: pd.DataFrame, unique: pd.DataFrame, final: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The hand-kept records as entered, and the final decision of each per screening stage."""
    manual = raw[raw["list"] == MANUAL_LIST][["title", "date", "arxiv_id", "repo"]]
    ids = unique[unique["sources"].str.contains(MANUAL_LIST)]["record_id"]
    fate = final[final["record_id"].isin(ids)].pivot(
        index="record_id", columns="stage", values="decision"
    )
    return manual, fate

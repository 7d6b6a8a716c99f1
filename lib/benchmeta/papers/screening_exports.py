"""Importers for screening-tool exports into the long format ``record_id, stage, reviewer,
decision, reason`` (``benchmeta.screening.DECISION_COLUMNS``), so a team can plug in human
screeners instead of (or next to) the rules and the curators.

- ASReview LAB: the exported dataset (CSV) keeps the input columns and adds the label in
  ``asreview_label`` (1 relevant, 0 irrelevant, empty unlabelled); older versions call it
  ``included`` (or ``label_included``); notes are in ``asreview_note`` (or ``exported_notes*``).
- Rayyan: the CSV export has ``key, title, ..., notes, doi``; every reviewer's vote is inside
  ``notes`` as ``RAYYAN-INCLUSION: {"Alice"=>"Included", "Bob"=>"Excluded"}``, with
  ``RAYYAN-EXCLUSION-REASONS: reason1,reason2`` when reasons were given.
- Covidence: one CSV per list (e.g. "Irrelevant", "Included", "Excluded"), with ``Title,
  Authors, Abstract, Published Year, ..., DOI, Covidence #, Study, Notes, Tags``; the list a file
  came from is the (consensus) decision, so it is passed in.

Records are matched to ``record_id`` by an id column holding our ids, then DOI, then the
normalised title; an unmatched row is an ``InputError`` (file, line, title).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..core.errors import InputError, csv_line
from ..core.ids import arxiv_id, norm_title
from .criteria import DECISION_COLUMNS, STAGES


class _Matcher:
    def __init__(self, unique: pd.DataFrame):
        recs = unique[["record_id", "doi", "arxiv_id", "title"]].fillna("")
        self.ids = set(recs["record_id"])
        self.doi = {r.doi.lower(): r.record_id for r in recs.itertuples() if r.doi}
        self.arxiv = {r.arxiv_id: r.record_id for r in recs.itertuples() if r.arxiv_id}
        self.title = {norm_title(r.title): r.record_id for r in recs.itertuples()}

    def __call__(self, path: Path, line: int, row: dict, id_cols: tuple[str, ...]) -> str:
        for col in id_cols:
            v = str(row.get(col, "") or "").strip()
            if v in self.ids:
                return v
        d = str(row.get("doi", row.get("DOI", "")) or "").strip().lower()
        d = re.sub(r"^https?://(dx\.)?doi\.org/", "", d)
        if d in self.doi:
            return self.doi[d]
        for col in ("url", "URL", "doi", "DOI"):
            a = arxiv_id(str(row.get(col, "") or ""))
            if a in self.arxiv:
                return self.arxiv[a]
        title = str(row.get("title", row.get("Title", "")) or "")
        if norm_title(title) in self.title:
            return self.title[norm_title(title)]
        raise InputError(path, line, "screening export row matches no record", title)


def _read(path: Path | str) -> tuple[Path, pd.DataFrame]:
    path = Path(path)
    return path, pd.read_csv(path, dtype=str, keep_default_na=False)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=DECISION_COLUMNS)


def _check_stage(path: Path | str, stage: str) -> None:
    """An ``InputError`` naming the export when ``stage`` is not a screening stage."""
    if stage not in STAGES:
        raise InputError(path, None, f"unknown stage; expected one of {STAGES}", stage)


def read_asreview(
    path: Path | str, unique: pd.DataFrame, reviewer: str, stage: str = "title-abstract"
) -> pd.DataFrame:
    """An ASReview LAB dataset export; unlabelled rows are skipped."""
    _check_stage(path, stage)
    path, df = _read(path)
    label = next(
        (c for c in ("asreview_label", "included", "label_included") if c in df.columns), None
    )
    if label is None:
        raise InputError(
            path, 1, "no ASReview label column (asreview_label / included)", list(df.columns)
        )
    notes = [c for c in df.columns if c == "asreview_note" or c.startswith("exported_notes")]
    match = _Matcher(unique)
    rows = []
    for i, row in enumerate(df.to_dict("records")):
        v = row[label].strip()
        if v in {"", "-1", "nan"}:
            continue
        if v not in {"0", "1", "0.0", "1.0"}:
            raise InputError(path, csv_line(i), f"unknown ASReview label in {label!r}", v)
        rid = match(path, csv_line(i), row, ("record_id", "id"))
        note = " ".join(row[c] for c in notes if row[c]).strip()
        rows.append(
            (
                rid,
                stage,
                reviewer,
                "include" if v.startswith("1") else "exclude",
                note or "asreview label",
            )
        )
    return _frame(rows)


_RAYYAN_INCL = re.compile(r"RAYYAN-INCLUSION:\s*\{(?P<votes>[^}]*)\}")
_RAYYAN_VOTE = re.compile(r'"(?P<who>[^"]+)"\s*=>\s*"(?P<what>[^"]+)"')
_RAYYAN_REASONS = re.compile(r"RAYYAN-EXCLUSION-REASONS:\s*(?P<reasons>[^|]*)")


def read_rayyan(
    path: Path | str, unique: pd.DataFrame, stage: str = "title-abstract"
) -> pd.DataFrame:
    """A Rayyan CSV export: one decision per reviewer named in ``RAYYAN-INCLUSION``; "Maybe"
    votes are kept as ``maybe``."""
    _check_stage(path, stage)
    path, df = _read(path)
    if "notes" not in df.columns:
        raise InputError(
            path, 1, "no 'notes' column (Rayyan keeps decisions there)", list(df.columns)
        )
    match = _Matcher(unique)
    rows = []
    what_map = {"included": "include", "excluded": "exclude", "maybe": "maybe"}
    for i, row in enumerate(df.to_dict("records")):
        m = _RAYYAN_INCL.search(row["notes"])
        if not m:
            continue
        reasons = _RAYYAN_REASONS.search(row["notes"])
        reason = reasons.group("reasons").strip() if reasons else ""
        rid = match(path, csv_line(i), row, ("key", "record_id"))
        for v in _RAYYAN_VOTE.finditer(m.group("votes")):
            what = v.group("what").strip().lower()
            if what not in what_map:
                raise InputError(path, csv_line(i), "unknown Rayyan vote", v.group("what"))
            rows.append(
                (
                    rid,
                    stage,
                    f"rayyan:{v.group('who')}",
                    what_map[what],
                    reason if what == "excluded" and reason else "rayyan vote",
                )
            )
    return _frame(rows)


def read_covidence(
    path: Path | str,
    unique: pd.DataFrame,
    decision: str,
    stage: str = "title-abstract",
    reviewer: str = "covidence",
) -> pd.DataFrame:
    """A Covidence list export (all rows carry the list's ``decision``); an ``Exclusion
    Reason`` column or a ``Notes`` cell becomes the reason."""
    _check_stage(path, stage)
    if decision not in {"include", "exclude"}:
        raise InputError(path, None, "decision must be include or exclude", decision)
    path, df = _read(path)
    if "Title" not in df.columns:
        raise InputError(path, 1, "no 'Title' column (not a Covidence export?)", list(df.columns))
    match = _Matcher(unique)
    rows = []
    for i, row in enumerate(df.to_dict("records")):
        rid = match(
            path,
            csv_line(i),
            {**row, "title": row["Title"], "doi": row.get("DOI", "")},
            ("record_id",),
        )
        reason = (row.get("Exclusion Reason") or row.get("Notes") or "").strip()
        study = row.get("Covidence #", "").strip()
        rows.append(
            (
                rid,
                stage,
                reviewer,
                decision,
                reason or f"Covidence list export{' ' + study if study else ''}",
            )
        )
    return _frame(rows)

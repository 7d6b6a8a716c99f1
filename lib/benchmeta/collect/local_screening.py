"""Hand screening into ``data_raw/screening/``: the audit sample and the reviewers' answers.

    python -m benchmeta collect screening sample --seed N --include N --exclude N
           [--sheet-to FOLDER] [--data-raw PATH]
    python -m benchmeta collect screening reviews --from FILE --reviewer ID [--data-raw PATH]
    python -m benchmeta collect screening adjudications --from FILE [--data-raw PATH]
    python -m benchmeta collect screening dedup --key FILE --sheet FILE --from FILE --reviewer ID

``sample`` draws the stratified audit sample from the committed records (``papers.audit``) and
writes ``screening/audit_design.csv``, the blind ``screening/audit_sheet.csv`` and the
written criteria ``screening/audit_criteria.md``; it refuses to
replace an existing design (the reviewers' answers refer to it). ``reviews`` converts one
reviewer's answers (``record_id, decision, reason, benchmark, note``) into the tool-neutral long
format ``record_id, stage, reviewer, decision, reason`` as ``screening/hand/<ID>.csv``; any other
tool's export in that format can be dropped into the same folder. ``adjudications`` appends
new adjudications to ``screening/adjudications.csv``. ``dedup`` joins a reviewer's verdicts on
the de-duplication pairs with the sheet and its key as ``screening/dedup_pairs.csv``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.errors import InputError, csv_line
from ..core.paths import DATA_RAW
from ..papers import adjudication, audit, criteria, dedup, records, screening

COLLECTOR = "python -m benchmeta collect screening"
DESIGN, SHEET, HAND = "screening/audit_design.csv", "screening/audit_sheet.csv", "screening/hand"
CRITERIA = "screening/audit_criteria.md"
ADJUDICATIONS, DEDUP = "screening/adjudications.csv", "screening/dedup_pairs.csv"
OURS = dict(url="", licence="CC-BY-4.0", attribution="benchmark-of-benchmarks contributors")


def _entry(path: str, source: str, collector: str = COLLECTOR) -> manifest.Entry:
    return manifest.Entry(
        path=path,
        source=source,
        retrieved_at=dt.date.today().isoformat(),
        sha256="",
        collector=collector,
        **OURS,
    )


def sample(
    seed: int, sizes: dict[str, int], data_raw: Path = DATA_RAW, sheet_to: Path | None = None
) -> list[str]:
    """Draw the audit sample and write the design and the blind sheet."""
    if (data_raw / DESIGN).is_file():
        raise FileExistsError(f"data_raw/{DESIGN} exists: the reviews refer to it")
    raw, _ = records.load_snapshot(data_raw)
    unique, _ = dedup.deduplicate(raw)
    crit = criteria.Criteria()
    strata = audit.strata(unique, screening.screen(unique, crit), crit)
    design = audit.draw_sample(strata, sizes, seed)
    sheet = audit.blind_sheet(unique, design, seed)
    atomic.write_csv(data_raw / DESIGN, design)
    atomic.write_csv(data_raw / SHEET, sheet)
    atomic.write_text(data_raw / CRITERIA, audit.criteria_sheet(crit))
    if sheet_to:
        atomic.write_csv(Path(sheet_to) / "audit_sheet_blind.csv", sheet)
        atomic.write_text(Path(sheet_to) / "audit_criteria.md", audit.criteria_sheet(crit))
    manifest.record(
        [
            _entry(
                DESIGN,
                f"stratified audit sample of in-window records (seed {seed}), "
                "drawn by benchmeta.papers.audit",
            ),
            _entry(SHEET, "blind audit sheet: facts shown to the hand reviewers"),
            _entry(CRITERIA, "the written criteria given to the hand reviewers (papers.criteria)"),
        ],
        data_raw,
    )
    return [DESIGN, SHEET, CRITERIA]


def _check(path: Path, df: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(path, 1, f"lacks columns {missing}", list(df.columns))


def reviews(path: Path, reviewer: str, data_raw: Path = DATA_RAW) -> str:
    """One reviewer's answers in the long format, validated against the design."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    _check(path, df, audit.REVIEW_COLUMNS)
    known = set(pd.read_csv(data_raw / DESIGN, dtype=str)["record_id"])
    rows = []
    for i, r in df.iterrows():
        line, dec, bench = csv_line(int(i)), r["decision"].strip(), r["benchmark"].strip()
        if r["record_id"] not in known:
            raise InputError(path, line, "record not in the audit sample", r["record_id"])
        if dec not in {"include", "exclude"}:
            raise InputError(path, line, "decision must be include or exclude", dec)
        if dec == "exclude" and r["reason"].strip() not in criteria.REASONS:
            raise InputError(path, line, "exclusion reason not one of the criteria's", r["reason"])
        if dec == "include" and bench not in {"benchmark", "non-benchmark"}:
            raise InputError(path, line, "an inclusion needs benchmark or non-benchmark", bench)
        rows.append(
            (
                r["record_id"],
                "title-abstract",
                reviewer,
                dec,
                r["reason"].strip() or r["note"].strip(),
            )
        )
        if dec == "include":
            rows.append((r["record_id"], "benchmark", reviewer, bench, r["note"].strip()))
    out = pd.DataFrame(rows, columns=criteria.DECISION_COLUMNS)
    rel = f"{HAND}/{reviewer}.csv"
    atomic.write_csv(data_raw / rel, out)
    manifest.record(
        [
            _entry(
                rel,
                f"hand screening by {reviewer} (blind, against screening/audit_sheet.csv)",
                "hand-edited",
            )
        ],
        data_raw,
    )
    return rel


def adjudications(path: Path, data_raw: Path = DATA_RAW) -> str:
    """Append new adjudications (validated together with the existing ones)."""
    new = pd.read_csv(path, dtype=str, keep_default_na=False)
    _check(path, new, criteria.ADJUDICATION_COLUMNS)
    old = pd.read_csv(data_raw / ADJUDICATIONS, dtype=str, keep_default_na=False)
    both = pd.concat([old, new[criteria.ADJUDICATION_COLUMNS]], ignore_index=True)
    raw, _ = records.load_snapshot(data_raw)
    unique, _ = dedup.deduplicate(raw)
    tmp = data_raw / ADJUDICATIONS
    atomic.write_csv(tmp.with_suffix(".check.csv"), both)
    try:
        known = set(unique["record_id"]) | set(dedup.aliases(raw))
        adjudication.read_adjudications(tmp.with_suffix(".check.csv"), known)
    finally:
        tmp.with_suffix(".check.csv").unlink()
    atomic.write_csv(tmp, both)
    who = ", ".join(sorted(set(new["adjudicator"])))
    manifest.record(
        [
            _entry(
                ADJUDICATIONS,
                f"hand adjudications by the compendium authors and {who}",
                "hand-edited",
            )
        ],
        data_raw,
    )
    return ADJUDICATIONS


def dedup_reviews(
    key: Path, sheet: Path, path: Path, reviewer: str, data_raw: Path = DATA_RAW
) -> str:
    """The de-duplication pairs with their key and one reviewer's verdicts."""
    k = pd.read_csv(key, dtype=str, keep_default_na=False)
    s = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    v = pd.read_csv(path, dtype=str, keep_default_na=False)
    _check(path, v, ["pair_id", "same_paper"])
    bad = ~v["same_paper"].str.strip().str.lower().isin({"yes", "no"})
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(path, csv_line(i), "same_paper must be yes or no", v.iloc[i]["same_paper"])
    v = v.assign(same_paper=v["same_paper"].str.strip().str.lower(), reviewer=reviewer)
    out = s.merge(k, on="pair_id", validate="1:1").merge(
        v[["pair_id", "same_paper", "note", "reviewer"]]
        if "note" in v
        else v[["pair_id", "same_paper", "reviewer"]],
        on="pair_id",
        how="left",
        validate="1:1",
    )
    atomic.write_csv(data_raw / DEDUP, out)
    manifest.record(
        [
            _entry(
                DEDUP,
                f"de-duplication candidate pairs (benchmeta.papers."
                f"dedup_audit) hand-checked by {reviewer}",
                "hand-edited",
            )
        ],
        data_raw,
    )
    return DEDUP


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog=COLLECTOR, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("action", choices=["sample", "reviews", "adjudications", "dedup"])
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    p.add_argument("--seed", type=int, default=10)
    p.add_argument("--include", type=int, default=175, help="rule-include records to sample")
    p.add_argument("--exclude", type=int, default=250, help="rule-exclude records to sample")
    p.add_argument("--sheet-to", type=Path)
    p.add_argument("--from", dest="source", type=Path)
    p.add_argument("--reviewer")
    p.add_argument("--key", type=Path)
    p.add_argument("--sheet", type=Path)
    a = p.parse_args(argv)
    if a.action == "sample":
        sizes = {audit.RULE_INCLUDE: a.include, audit.RULE_EXCLUDE: a.exclude}
        written = sample(a.seed, sizes, a.data_raw, a.sheet_to)
    elif a.source is None:
        p.error("--from FILE is required")
    elif a.action == "adjudications":
        written = [adjudications(a.source, a.data_raw)]
    elif not a.reviewer:
        p.error("--reviewer ID is required")
    elif a.action == "reviews":
        written = [reviews(a.source, a.reviewer, a.data_raw)]
    else:
        if not (a.key and a.sheet):
            p.error("dedup needs --key and --sheet")
        written = [dedup_reviews(a.key, a.sheet, a.source, a.reviewer, a.data_raw)]
    for path in written:
        print(f"wrote data_raw/{path}")
    return 0

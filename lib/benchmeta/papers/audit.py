"""The blinded audit sample: which records are hand-screened, and the sheet reviewers see.

Design (stratified, seeded): every in-window record that either pass labels a benchmark is
checked (a census stratum, weight 1); the other in-window records are split by the rule's
title-abstract decision and a simple random sample is drawn from each (weight
``stratum_size / sample_size``). The blind sheet shows what a reviewer needs to apply the
criteria (title, date, venue, links, abstract) and nothing about automated decisions, lists,
sections or tags; its rows are shuffled by the seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .criteria import REASONS, REVIEWER_ONE, REVIEWER_TWO, Criteria, first_version_date
from .criteria import record_in_window as in_window

CENSUS, RULE_INCLUDE, RULE_EXCLUDE = "benchmark by either pass", "rule include", "rule exclude"
DESIGN_COLUMNS = ["record_id", "stratum", "stratum_size", "sample_size", "weight", "seed"]
SHEET_COLUMNS = ["record_id", "title", "first_version_date", "venue", "links", "abstract"]
REVIEW_COLUMNS = ["record_id", "decision", "reason", "benchmark", "note"]


def strata(unique: pd.DataFrame, decisions: pd.DataFrame, criteria: Criteria) -> pd.Series:
    """Stratum of every in-window record (index ``record_id``)."""
    recs = unique.to_dict("records")
    ids = [r["record_id"] for r in recs if in_window(r, criteria)]
    d = decisions[decisions["record_id"].isin(ids)]
    bench = d[
        (d["stage"] == "benchmark")
        & (d["decision"] == "benchmark")
        & d["reviewer"].isin([REVIEWER_ONE, REVIEWER_TWO])
    ]["record_id"]
    rule = d[(d["stage"] == "title-abstract") & (d["reviewer"] == REVIEWER_ONE)].set_index(
        "record_id"
    )["decision"]
    out = pd.Series(
        [RULE_INCLUDE if rule.get(i) == "include" else RULE_EXCLUDE for i in ids],
        index=pd.Index(ids, name="record_id"),
        name="stratum",
    )
    out[out.index.isin(set(bench))] = CENSUS
    return out


def draw_sample(stratum: pd.Series, sizes: dict[str, int], seed: int) -> pd.DataFrame:
    """A seeded simple random sample per stratum (``sizes``; a stratum not named, or asked for
    more than it has, is taken whole) with its design weight."""
    rng = np.random.default_rng(seed)
    rows = []
    for name in (CENSUS, RULE_INCLUDE, RULE_EXCLUDE):
        members = sorted(stratum[stratum == name].index)
        n = min(sizes.get(name, len(members)), len(members))
        picked = sorted(rng.choice(members, size=n, replace=False)) if n < len(members) else members
        rows += [
            {
                "record_id": rid,
                "stratum": name,
                "stratum_size": len(members),
                "sample_size": n,
                "weight": len(members) / n if n else np.nan,
                "seed": seed,
            }
            for rid in picked
        ]
    return pd.DataFrame(rows, columns=DESIGN_COLUMNS)


def record_links(rec: dict) -> str:
    """The arXiv, DOI, paper and code links of a record, space-separated."""
    out = []
    if rec.get("arxiv_id"):
        out.append(f"https://arxiv.org/abs/{rec['arxiv_id']}")
    if rec.get("doi"):
        out.append(f"https://doi.org/{rec['doi']}")
    for key in ("paper_url", "code_url"):
        url = str(rec.get(key) or "")
        if url and url not in out:
            out.append(url)
    return " ".join(out)


def _year(year: object) -> str:
    return "" if year is None or pd.isna(year) or str(year).strip() == "" else str(int(year))


def blind_sheet(unique: pd.DataFrame, design: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The reviewers' sheet: one shuffled row per sampled record, facts only."""
    recs = unique[unique["record_id"].isin(set(design["record_id"]))].to_dict("records")
    rows = [
        {
            "record_id": r["record_id"],
            "title": r["title"],
            "first_version_date": first_version_date(r) or _year(r.get("year")),
            "venue": r.get("venue", ""),
            "links": record_links(r),
            "abstract": r.get("abstract", ""),
        }
        for r in recs
    ]
    sheet = pd.DataFrame(rows, columns=SHEET_COLUMNS).sort_values("record_id")
    order = np.random.default_rng(seed + 1).permutation(len(sheet))
    return sheet.iloc[order].reset_index(drop=True)


def criteria_sheet(criteria: Criteria) -> str:
    """The written criteria and the answer format, as Markdown, for blind reviewers."""
    reasons = "\n".join(f"  - `{r}`" for r in REASONS)
    return (
        "\n".join(
            [
                "# Screening criteria for the blind audit",
                "",
                "Decide each record of the sheet from its title, first-version date, venue, links and",  # noqa: E501 (the sheet's text)
                "abstract (where given; open the links when the title and abstract do not settle it).",  # noqa: E501 (the sheet's text)
                "`first_version_date` is the earlier of the list's date and the month of the arXiv id;",  # noqa: E501 (the sheet's text)
                "if the links show another first version, decide by that and say so in `note`.",
                "",
                "## Include a record when all of these hold",
                "",
                *criteria.eligibility(),
                "",
                "## Benchmark label (for included records)",
                "",
                criteria.BENCHMARK,
                "",
                "## Exclusion reasons (pick the first that applies, spelled exactly as here)",
                "",
                reasons,
                "",
                "## Answer format",
                "",
                "One CSV row per record: `" + ", ".join(REVIEW_COLUMNS) + "`.",
                "",
                "- `decision`: `include` or `exclude`.",
                "- `reason`: for an exclusion, one of the reasons above; empty for an inclusion.",
                "- `benchmark`: for an inclusion, `benchmark` or `non-benchmark` by the definition "
                "above; `na` for an exclusion.",
                "- `note`: free text (optional), e.g. what settled a doubtful case.",
            ]
        )
        + "\n"
    )

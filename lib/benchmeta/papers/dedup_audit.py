"""Hand-checking de-duplication: candidate pairs of records, a blind sheet, and precision /
recall of ``dedup.deduplicate`` from the reviewed pairs.

Candidates are of three kinds: pairs that ``deduplicate`` merged on a DOI or a title although
their identifiers differ (precision), and pairs it kept apart whose titles are close by
character-trigram cosine, or whose one side has only a DOI and the other only an arXiv id
(recall). Each record is shown as one list entry (title, date, links) under an opaque id, so
the sheet does not tell which pairs were merged.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.ids import arxiv_month, norm_title
from .audit import record_links
from .dedup import _trigrams, membership, similar_titles

SHEET_COLUMNS = [
    "pair_id",
    "a_id",
    "a_title",
    "a_date",
    "a_links",
    "b_id",
    "b_title",
    "b_date",
    "b_links",
]
KEY_COLUMNS = [
    "pair_id",
    "kind",
    "similarity",
    "merged",
    "a_record_id",
    "b_record_id",
    "a_entry",
    "b_entry",
    "kind_population",
]
MERGED, CLOSE_TITLE, DOI_ARXIV = "merged by deduplicate", "close titles", "DOI vs arXiv"


def _entry_id(rec: dict) -> str:
    key = f"{rec['list']}|{rec['file']}|{rec['line']}"
    return "entry-" + hashlib.sha1(key.encode()).hexdigest()[:10]


def candidate_pairs(
    records: pd.DataFrame,
    threshold: float = 0.8,
    cross_threshold: float = 0.7,
    fuzzy: float | None = None,
) -> pd.DataFrame:
    """Every candidate pair of list entries (positions in ``records``) with its kind,
    similarity and whether ``deduplicate`` merged it (with ``fuzzy`` as given: ``None``, the
    exact-key version, is the one the committed pairs were drawn from and checked against)."""
    recs = records.reset_index(drop=True)
    member = membership(recs, fuzzy=fuzzy)
    aid, doi = recs["arxiv_id"].fillna(""), recs["doi"].fillna("")
    rows = []
    for idx in member.groupby(member).groups.values():
        first, *rest = sorted(idx)
        for k in rest:  # merged on a DOI or a title, not on one arXiv id
            if (aid[k], doi[k]) != (aid[first], doi[first]) and not (aid[k] == aid[first] != ""):
                rows.append({"i": first, "j": k, "kind": MERGED, "merged": "yes"})
    heads = member.reset_index().groupby("record_id")["index"].min().sort_values()
    titles = recs.loc[heads.values, "title"].fillna("").tolist()
    sim = similar_titles(titles, min(threshold, cross_threshold))
    pos = heads.values
    for i, j, s in sim.itertuples(index=False):
        a, b = int(pos[i]), int(pos[j])
        cross = bool(aid[a] and not doi[a] and doi[b] and not aid[b]) or bool(
            aid[b] and not doi[b] and doi[a] and not aid[a]
        )
        if s >= threshold or (cross and s >= cross_threshold):
            rows.append(
                {
                    "i": a,
                    "j": b,
                    "kind": DOI_ARXIV if cross else CLOSE_TITLE,
                    "merged": "no",
                    "similarity": float(s),
                }
            )
    out = pd.DataFrame(rows, columns=["i", "j", "kind", "merged", "similarity"])
    m = _trigrams([norm_title(t) for t in recs["title"].fillna("")])
    out["similarity"] = np.asarray(
        m[out["i"].values].multiply(m[out["j"].values]).sum(axis=1)
    ).ravel()
    out["a_record_id"] = member[out["i"]].values
    out["b_record_id"] = member[out["j"]].values
    return out


def sample_pairs(pairs: pd.DataFrame, sizes: dict[str, int], seed: int) -> pd.DataFrame:
    """A seeded sample of candidate pairs per kind (a kind not named is taken whole)."""
    rng = np.random.default_rng(seed)
    parts = []
    for kind, grp in pairs.groupby("kind", sort=True):
        n = min(sizes.get(kind, len(grp)), len(grp))
        picked = grp.iloc[np.sort(rng.choice(len(grp), size=n, replace=False))]
        parts.append(picked.assign(kind_population=len(grp)))
    return pd.concat(parts, ignore_index=True) if parts else pairs.iloc[0:0]


def _date(rec: dict) -> str:
    return (
        str(rec.get("date") or "")
        or arxiv_month(str(rec.get("arxiv_id") or ""))
        or ("" if pd.isna(rec.get("year")) else str(rec.get("year") or ""))
    )


def sheets(
    records: pd.DataFrame, sample: pd.DataFrame, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(sheet, key)``: the blind pair sheet (shuffled by ``seed``) and its key."""
    recs = records.reset_index(drop=True).to_dict("records")
    order = np.random.default_rng(seed + 1).permutation(len(sample))
    sheet_rows, key_rows = [], []
    for n, p in enumerate(sample.iloc[order].itertuples(index=False), start=1):
        i, j, ra, rb = int(p.i), int(p.j), p.a_record_id, p.b_record_id
        if np.random.default_rng(seed + n).random() < 0.5:  # merged pairs list the head first
            i, j, ra, rb = j, i, rb, ra
        a, b = recs[i], recs[j]
        pid = f"pair-{n:04d}"
        sheet_rows.append(
            {
                "pair_id": pid,
                "a_id": _entry_id(a),
                "a_title": a["title"],
                "a_date": _date(a),
                "a_links": record_links(a),
                "b_id": _entry_id(b),
                "b_title": b["title"],
                "b_date": _date(b),
                "b_links": record_links(b),
            }
        )
        sim = p.similarity if pd.notna(p.similarity) else np.nan
        key_rows.append(
            {
                "pair_id": pid,
                "kind": p.kind,
                "similarity": sim,
                "merged": p.merged,
                "a_record_id": ra,
                "b_record_id": rb,
                "a_entry": f"{a['list']}:{a['file']}:{a['line']}",
                "b_entry": f"{b['list']}:{b['file']}:{b['line']}",
                "kind_population": int(p.kind_population),
            }
        )
    return pd.DataFrame(sheet_rows, columns=SHEET_COLUMNS), pd.DataFrame(
        key_rows, columns=KEY_COLUMNS
    )


def precision_recall(reviewed: pd.DataFrame, merged: str = "merged") -> pd.DataFrame:
    """Precision and recall of de-duplication from hand-checked pairs (``kind``,
    ``same_paper``, ``kind_population`` and a yes/no column ``merged``), each pair weighted by
    its kind's population / sample size; Wilson intervals on the effective sample size
    (``accuracy.weighted_rate``). Recall covers the candidate space only (merged pairs, close
    titles, DOI vs arXiv), not same-paper pairs with dissimilar titles."""
    from .accuracy import weighted_rate

    r = reviewed[reviewed["same_paper"].isin(["yes", "no"])].copy()
    r["w"] = r["kind_population"].astype(float) / r.groupby("kind")["kind"].transform("size")
    same, joined = r["same_paper"] == "yes", r[merged] == "yes"
    rows = [
        {
            "measure": f"same paper among {k} pairs",
            **weighted_rate(g["same_paper"] == "yes", g["w"]),
        }
        for k, g in r.groupby("kind")
    ]
    rows.append({"measure": "precision", **weighted_rate(same[joined], r.loc[joined, "w"])})
    rows.append(
        {"measure": "recall (candidate pairs)", **weighted_rate(joined[same], r.loc[same, "w"])}
    )
    missed = float(r.loc[same & ~joined, "w"].sum())
    rows.append(
        {
            "measure": "estimated same-paper pairs left apart",
            "estimate": missed,
            "n": int((same & ~joined).sum()),
        }
    )
    return pd.DataFrame(rows).assign(merging=merged)


def merged_now(records: pd.DataFrame, reviewed: pd.DataFrame) -> pd.Series:
    """Whether today's ``deduplicate`` joins each reviewed pair's two entries (yes/no)."""
    recs = records.reset_index(drop=True)
    member = membership(recs)
    pos = {
        f"{r['list']}:{r['file']}:{r['line']}": i
        for i, r in enumerate(recs[["list", "file", "line"]].to_dict("records"))
    }
    same = [
        member[pos[a]] == member[pos[b]]
        for a, b in zip(reviewed["a_entry"], reviewed["b_entry"], strict=True)
    ]
    return pd.Series(["yes" if x else "no" for x in same], index=reviewed.index)


def load_reviewed(data_raw: Path) -> pd.DataFrame:
    """The committed hand-checked pairs (empty when none)."""
    path = Path(data_raw) / "screening" / "dedup_pairs.csv"
    if not path.is_file():
        return pd.DataFrame(columns=[*SHEET_COLUMNS, *KEY_COLUMNS[1:], "same_paper"])
    return pd.read_csv(path, dtype=str, keep_default_na=False).assign(
        kind_population=lambda d: d["kind_population"].astype(int)
    )

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
from scipy import sparse

from ..core.ids import arxiv_month, norm_title
from .audit import record_links
from .dedup import membership

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


def _trigrams(titles: list[str]) -> sparse.csr_matrix:
    """Row-normalised counts of character trigrams of the normalised titles."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, t in enumerate(titles):
        t = f"  {t} "
        for k in range(len(t) - 2):
            rows.append(i)
            cols.append(vocab.setdefault(t[k : k + 3], len(vocab)))
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(titles), len(vocab)))
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
    norms[norms == 0] = 1
    return sparse.diags(1 / norms) @ m


def similar_titles(titles: list[str], threshold: float) -> pd.DataFrame:
    """Pairs ``(i, j, similarity)``, ``i < j``, whose title trigram cosine is >= threshold."""
    m = _trigrams([norm_title(t) for t in titles])
    sim = sparse.triu(m @ m.T, k=1).tocoo()
    keep = sim.data >= threshold
    return pd.DataFrame({"i": sim.row[keep], "j": sim.col[keep], "similarity": sim.data[keep]})


def _entry_id(rec: dict) -> str:
    key = f"{rec['list']}|{rec['file']}|{rec['line']}"
    return "entry-" + hashlib.sha1(key.encode()).hexdigest()[:10]


def candidate_pairs(
    records: pd.DataFrame, threshold: float = 0.8, cross_threshold: float = 0.7
) -> pd.DataFrame:
    """Every candidate pair of list entries (positions in ``records``) with its kind,
    similarity and whether ``deduplicate`` merged it."""
    recs = records.reset_index(drop=True)
    member = membership(recs)
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


def precision_recall(reviewed: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall of ``deduplicate`` from hand-checked pairs (``kind``, ``merged``,
    ``same_paper``, ``kind_population``): precision among merged pairs; recall = estimated
    true merges / (true merges + same-paper pairs left apart), each kind's share scaled to its
    population, Wilson bounds per kind (summed: conservative). Recall covers only the
    candidate space (close titles, DOI vs arXiv), not pairs with dissimilar titles."""
    from ..stats import wilson

    r = reviewed[reviewed["same_paper"].isin(["yes", "no"])]
    est: dict[str, tuple[float, float, float]] = {}
    rows = []
    for kind, g in r.groupby("kind"):
        n, x, big = len(g), int((g["same_paper"] == "yes").sum()), int(g["kind_population"].iloc[0])
        lo, hi = (x / n, x / n) if n == big else wilson(x, n)
        est[kind] = (big * x / n, big * lo, big * hi)
        rows.append(
            {
                "measure": f"same paper among {kind} pairs",
                "estimate": x / n,
                "low": lo,
                "high": hi,
                "n": n,
                "population": big,
            }
        )
    tm = est.get(MERGED, (np.nan,) * 3)
    miss = [sum(est.get(k, (0, 0, 0))[i] for k in (CLOSE_TITLE, DOI_ARXIV)) for i in range(3)]
    m = (
        rows[[x["measure"] for x in rows].index(f"same paper among {MERGED} pairs")]
        if (MERGED in est)
        else None
    )
    rows.append(
        {
            "measure": "precision of deduplicate",
            "estimate": m["estimate"] if m else np.nan,
            "low": m["low"] if m else np.nan,
            "high": m["high"] if m else np.nan,
            "n": m["n"] if m else 0,
            "population": m["population"] if m else 0,
        }
    )
    rows.append(
        {
            "measure": "recall of deduplicate (candidate pairs)",
            "estimate": tm[0] / (tm[0] + miss[0]) if tm[0] + miss[0] else np.nan,
            "low": tm[1] / (tm[1] + miss[2]) if tm[1] + miss[2] else np.nan,
            "high": tm[2] / (tm[2] + miss[1]) if tm[2] + miss[1] else np.nan,
            "n": len(r),
            "population": int(r.groupby("kind")["kind_population"].first().sum()),
        }
    )
    rows.append(
        {
            "measure": "estimated same-paper pairs left apart",
            "estimate": miss[0],
            "low": miss[1],
            "high": miss[2],
            "n": int(r["kind"].ne(MERGED).sum()),
            "population": 0,
        }
    )
    return pd.DataFrame(rows)


def load_reviewed(data_raw: Path) -> pd.DataFrame:
    """The committed hand-checked pairs (empty when none)."""
    path = Path(data_raw) / "screening" / "dedup_pairs.csv"
    if not path.is_file():
        return pd.DataFrame(columns=[*SHEET_COLUMNS, *KEY_COLUMNS[1:], "same_paper"])
    return pd.read_csv(path, dtype=str, keep_default_na=False).assign(
        kind_population=lambda d: d["kind_population"].astype(int))

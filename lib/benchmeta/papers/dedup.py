"""De-duplication of records (arXiv id, then DOI, then normalised title) and the PRISMA
identification counts."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
import pandas as pd
from scipy import sparse

from ..core.ids import github_repo, norm_title, title_hash
from .lists.base import PROBLEM_COLUMNS
from .lists.registry import LISTS
from .records import _frame

UNIQUE_COLUMNS = [
    "record_id",
    "title",
    "norm_title",
    "kind",
    "date",
    "date_source",
    "year",
    "arxiv_id",
    "doi",
    "paper_url",
    "code_url",
    "repo",
    "repo_sources",
    "venue",
    "tags",
    "topic_hint",
    "sources",
    "n_sources",
    "sections",
    "n_records",
    "abstract",
    "abstract_source",
]
DUPLICATE_COLUMNS = ["record_id", "list", "file", "line", "title", "matched_on"]


TEXT_COLUMNS = (
    "arxiv_id", "doi", "title", "date", "date_source", "repo", "code_url", "venue", "tags",
    "topic_hint", "section", "paper_url", "kind", "list", "file", "abstract",
)  # fmt: skip


# Titles whose character-trigram cosine is at least this are one paper (unless their arXiv ids
# differ): in the hand-checked pairs (data_raw/screening/dedup_pairs.csv) every pair at >= 0.93
# without two arXiv ids was the same paper (22 of 22), below it pairs of different papers appear.
FUZZY_TITLE = 0.93


def _trigrams(titles: list[str]) -> sparse.csr_matrix:
    """Row-normalised counts of character trigrams of (already normalised) titles."""
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


def _record_id(aids: set[str], dois: set[str], title: str) -> str:
    if aids:
        return f"arxiv:{sorted(aids)[0]}"
    if dois:
        return f"doi:{sorted(dois)[0]}"
    return f"title:{title_hash(title)}"


class _Groups:
    """Union-find over record rows that carries each group's arXiv ids and DOIs."""

    def __init__(self, aids: list[str], dois: list[str]):
        self.parent = list(range(len(aids)))
        self.aids: list[set[str]] = [{a} if a else set() for a in aids]
        self.dois: list[set[str]] = [{d} if d else set() for d in dois]

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int, guard: bool) -> None:
        """Join two groups; with ``guard``, never two groups with different arXiv ids."""
        a, b = self.find(i), self.find(j)
        if a == b or (guard and self.aids[a] and self.aids[b] and self.aids[a] != self.aids[b]):
            return
        a, b = min(a, b), max(a, b)
        self.parent[b] = a
        self.aids[a] |= self.aids[b]
        self.dois[a] |= self.dois[b]

    def join_on(self, values: list[str], guard: bool, min_len: int = 0) -> None:
        """Join every row to the first row with the same non-empty key."""
        first: dict[str, int] = {}
        for i, v in enumerate(values):
            if not v or len(v) < min_len:
                continue
            if v in first:
                self.union(first[v], i, guard)
            else:
                first[v] = i

    def members(self) -> dict[int, list[int]]:
        groups: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            groups.setdefault(self.find(i), []).append(i)
        return groups


def _repo_and_code(g: list[dict]) -> tuple[str, str, list[str]]:
    """The group's most-linked GitHub repo (GitHub's case of its first mention), the first code
    link (a GitHub one preferred) and the lists that give that repo."""
    repos = [r["repo"] for r in g if r["repo"]]
    lowered = [r.lower() for r in repos]
    best = max(dict.fromkeys(lowered), key=lowered.count, default="")
    repo = next((r for r in repos if r.lower() == best), "")
    repo_sources = sorted({r["list"] for r in g if r["repo"] and r["repo"].lower() == best})
    codes = [r["code_url"] for r in g if r["code_url"]]
    code = next((c for c in codes if github_repo(c)), codes[0] if codes else "")
    return repo, code, repo_sources


def _abstract(g: list[dict]) -> tuple[str, str]:
    """The group's abstract and the list it comes from: a list that gives papers' own abstracts
    first, else the longest curator summary."""
    given = [r for r in g if r["abstract"]]
    if not given:
        return "", ""
    own = [r for r in given if LISTS.get(r["list"]) and LISTS[r["list"]].abstracts == "abstract"]
    best = own[0] if own else max(given, key=lambda r: len(r["abstract"]))
    return best["abstract"], best["list"]


def _merged(g: list[dict], rep: dict, aids: set[str], dois: set[str], norm: str) -> dict:
    """One unique-record row from the rows of a group."""
    dated = [r for r in g if r["date"]]
    first = min(dated, key=lambda r: r["date"]) if dated else None
    years = [int(r["year"]) for r in g if pd.notna(r["year"])]
    repo, code, repo_sources = _repo_and_code(g)
    venues = [r["venue"] for r in g if r["venue"] and not r["venue"].lower().startswith("arxiv")]
    sources = sorted({r["list"] for r in g})
    aid = sorted(aids)[0] if aids else ""
    return {
        "record_id": _record_id(aids, dois, g[0]["title"]),
        "title": rep["title"],
        "norm_title": norm,
        "kind": "paper" if any(r["kind"] == "paper" for r in g) else "non-paper",
        "date": first["date"] if first else "",
        "date_source": first["date_source"] if first else "",
        "year": int(first["date"][:4]) if first else (min(years) if years else None),
        "arxiv_id": aid,
        "doi": sorted(dois)[0] if dois else "",
        "paper_url": f"https://arxiv.org/abs/{aid}" if aid else rep["paper_url"],
        "code_url": code,
        "repo": repo,
        "repo_sources": ";".join(repo_sources),
        "venue": venues[0] if venues else rep["venue"],
        "tags": ";".join(sorted({t for r in g for t in r["tags"].split(";") if t})),
        "topic_hint": ";".join(sorted({t for r in g for t in r["topic_hint"].split(";") if t})),
        "sources": ";".join(sources),
        "n_sources": len(sources),
        "sections": " | ".join(sorted({f"{r['list']}: {r['section']}" for r in g if r["section"]})),
        "n_records": len(g),
        **dict(zip(("abstract", "abstract_source"), _abstract(g), strict=True)),
    }


def _matched_on(r: dict, rep: dict, dois: set[str]) -> str:
    if r["arxiv_id"] and r["arxiv_id"] == rep["arxiv_id"]:
        return "arxiv"
    if r["doi"] and r["doi"] in dois and r["doi"] == rep["doi"]:
        return "doi"
    return "title" if norm_title(r["title"]) == norm_title(rep["title"]) else "close title"


def _unique_ids(unique: pd.DataFrame) -> pd.DataFrame:
    """Suffix clashing record ids (e.g. two groups kept apart by different arXiv ids but one
    shared DOI) with a hash of their sections."""
    clash = unique["record_id"].duplicated(keep=False)
    if clash.any():
        unique.loc[clash, "record_id"] = [
            f"{rid}~{hashlib.sha1(s.encode()).hexdigest()[:6]}"
            for rid, s in unique.loc[clash, ["record_id", "sections"]].itertuples(index=False)
        ]
    return unique.sort_values("record_id", kind="stable").reset_index(drop=True)


def _rare_word_pairs(titles: list[str], k: int = 3) -> np.ndarray:
    """Pairs of titles that share one of their ``k`` rarest words (document frequency over
    ``titles``): the blocking step of ``close_titles``."""
    words = [
        sorted(set(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", t).casefold())))
        for t in titles
    ]
    df: dict[str, int] = {}
    for ws in words:
        for w in ws:
            df[w] = df.get(w, 0) + 1
    by: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        for w in sorted(ws, key=lambda w: (df[w], w))[:k]:
            by.setdefault(w, []).append(i)
    pairs = {(a, b) for g in by.values() if len(g) > 1 for x, a in enumerate(g) for b in g[x + 1 :]}
    return np.array(sorted(pairs), dtype=int).reshape(-1, 2)


def close_titles(titles: list[str], threshold: float) -> pd.DataFrame:
    """``similar_titles`` for high thresholds, fast: only titles that share one of their three
    rarest words are compared (two titles at cosine >= 0.9 share nearly all their words);
    their exact cosine is then computed."""
    keys = [norm_title(t) for t in titles]
    m = _trigrams(keys)
    ij = _rare_word_pairs(titles)
    i, j = ij[:, 0], ij[:, 1]
    sim = np.asarray(m[i].multiply(m[j]).sum(axis=1)).ravel()
    keep = sim >= threshold
    return pd.DataFrame({"i": i[keep], "j": j[keep], "similarity": sim[keep]})


def _join_close_titles(groups: _Groups, titles: list[str], threshold: float) -> None:
    """Join groups whose first records' titles are close (``close_titles``), guarded."""
    heads = sorted({groups.find(i) for i in range(len(titles))})
    close = close_titles([titles[h] for h in heads], threshold)
    for i, j in zip(close["i"], close["j"], strict=True):
        groups.union(heads[int(i)], heads[int(j)], guard=True)


_GROUPED: dict[tuple, tuple[pd.DataFrame, list[dict]]] = {}  # the last few groupings


def _content_key(records: pd.DataFrame) -> str | None:
    """A hash of the records' content (None where a column cannot be hashed)."""
    try:
        rows = pd.util.hash_pandas_object(records, index=True).to_numpy()
    except TypeError:
        return None
    return hashlib.sha256(rows.tobytes() + repr(list(records.columns)).encode()).hexdigest()


def _grouped(
    records: pd.DataFrame, min_title: int, fuzzy: float | None = FUZZY_TITLE
) -> tuple[pd.DataFrame, list[dict]]:
    """Unique rows (with ``_members``: the positions of their records) and duplicate rows;
    remembered by content, since ``deduplicate``, ``membership`` and ``aliases`` group the same
    records (two seconds each for the full snapshot)."""
    key = (_content_key(records), min_title, fuzzy)
    if key[0] is None:
        return _group(records, min_title, fuzzy)
    if key not in _GROUPED:
        if len(_GROUPED) >= 4:
            _GROUPED.pop(next(iter(_GROUPED)))
        _GROUPED[key] = _group(records, min_title, fuzzy)
    unique, dup_rows = _GROUPED[key]
    return unique.copy(), [dict(r) for r in dup_rows]


def _group(
    records: pd.DataFrame, min_title: int, fuzzy: float | None
) -> tuple[pd.DataFrame, list[dict]]:
    df = records.reset_index(drop=True).copy()
    for col in TEXT_COLUMNS:
        df[col] = df[col].fillna("").astype(str)
    groups = _Groups(list(df["arxiv_id"]), list(df["doi"]))
    titles = [norm_title(t) for t in df["title"]]
    groups.join_on(list(df["arxiv_id"]), guard=False)
    groups.join_on(list(df["doi"]), guard=True)
    groups.join_on(titles, guard=True, min_len=min_title)
    if fuzzy:
        _join_close_titles(groups, list(df["title"]), fuzzy)
    rows = df.to_dict("records")
    unique_rows, dup_rows, members_of = [], [], []
    for root, members in groups.members().items():
        g = [rows[i] for i in members]
        rep = min(g, key=lambda r: (not r["arxiv_id"], not r["date"]))
        row = _merged(g, rep, groups.aids[root], groups.dois[root], titles[members[0]])
        unique_rows.append(row)
        members_of.append(members)
        dup_rows += [
            {"record_id": row["record_id"], "list": r["list"], "file": r["file"],
             "line": r["line"], "title": r["title"],
             "matched_on": _matched_on(r, rep, groups.dois[root])}
            for r in g if r is not rep
        ]  # fmt: skip
    unique = _frame(unique_rows, UNIQUE_COLUMNS)
    unique["_members"] = members_of
    return _unique_ids(unique), dup_rows


def deduplicate(
    records: pd.DataFrame, min_title: int = 1, fuzzy: float | None = FUZZY_TITLE
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge records of the same paper: by arXiv id, then DOI, then normalised title, then
    close titles (trigram cosine >= ``fuzzy``; ``None`` turns this off).

    Two groups with different arXiv ids are never merged on DOI or title. Titles shorter than
    ``min_title`` characters after normalisation are not used as keys. Returns ``(unique,
    duplicates)``: one row per paper with a stable ``record_id`` (``arxiv:<id>``, ``doi:<doi>``
    or ``title:<sha1[:12]>``), every source list, the earliest date, the first code link and
    GitHub repo, the union of tags; and one row per merged record naming what it joined.
    """
    unique, dup_rows = _grouped(records, min_title, fuzzy)
    dups = _frame(dup_rows, DUPLICATE_COLUMNS)
    dups = dups.sort_values(["record_id", "list", "file", "line"], kind="stable")
    return unique.drop(columns="_members"), dups.reset_index(drop=True)


def membership(
    records: pd.DataFrame, min_title: int = 1, fuzzy: float | None = FUZZY_TITLE
) -> pd.Series:
    """The unique ``record_id`` each record (by position in ``records``) was merged into."""
    unique, _ = _grouped(records, min_title, fuzzy)
    pairs = unique[["record_id", "_members"]].explode("_members")
    return pairs.set_index("_members")["record_id"].sort_index().rename_axis(None)


def aliases(
    records: pd.DataFrame, min_title: int = 1, fuzzy: float | None = FUZZY_TITLE
) -> dict[str, str]:
    """Record ids that exact-key de-duplication gives but the close-title merge absorbs, mapped
    to the id they now belong to (so decisions recorded on the old ids still apply)."""
    old, new = membership(records, min_title, None), membership(records, min_title, fuzzy)
    pairs = pd.DataFrame({"old": old, "new": new}).drop_duplicates()
    pairs = pairs[pairs["old"] != pairs["new"]]
    return dict(zip(pairs["old"], pairs["new"], strict=True))


def remap(df: pd.DataFrame, alias: dict[str, str], keys: list[str]) -> pd.DataFrame:
    """``record_id`` through ``alias``; of rows that then share ``keys``, the first is kept."""
    out = df.assign(record_id=df["record_id"].map(lambda r: alias.get(r, r)))
    return out.drop_duplicates(keys, keep="first").reset_index(drop=True)


def identification_counts(
    records: pd.DataFrame,
    unique: pd.DataFrame,
    problems: pd.DataFrame | None = None,
    duplicates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """PRISMA identification numbers per list: entries (parsed + dropped), parsed, problems
    (rows reported), dropped, papers, with arXiv id, with GitHub repo, and duplicates removed
    (this list's records merged into a record kept from another row); plus an ``all`` row
    whose ``unique_after_dedup`` is the number of unique records."""
    problems = problems if problems is not None else _frame([], PROBLEM_COLUMNS)
    if duplicates is None:
        duplicates = deduplicate(records)[1]
    dup_counts = duplicates.groupby("list").size()
    rows = []
    for name in sorted(set(records["list"]) | set(problems["list"])):
        r = records[records["list"] == name]
        p = problems[problems["list"] == name]
        dropped = int((p["action"] == "dropped").sum())
        rows.append(
            {
                "list": name,
                "entries": len(r) + dropped,
                "parsed": len(r),
                "problems": len(p),
                "dropped": dropped,
                "papers": int((r["kind"] == "paper").sum()),
                "with_arxiv_id": int((r["arxiv_id"].fillna("") != "").sum()),
                "with_github_repo": int((r["repo"].fillna("") != "").sum()),
                "duplicates_removed": int(dup_counts.get(name, 0)),
            }
        )
    out = pd.DataFrame(rows)
    total = {"list": "all", **out.drop(columns="list").sum().to_dict()} if rows else {"list": "all"}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["unique_after_dedup"] = pd.array([None] * (len(out) - 1) + [len(unique)], dtype="Int64")
    return out

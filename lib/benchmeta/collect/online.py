"""Plumbing shared by the online collectors: command-line options, id lists, output + MANIFEST.

Every online collector writes checkpoints and a tidy CSV under ``data_raw/collected/<name>/``
(or ``--out``) and records them in the MANIFEST with the API's terms. A run that is rate limited
stops cleanly (exit code 3) with its checkpoints intact: rerun the same command to resume.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.checkpoint import Checkpoint
from ..core.errors import InputError
from ..core.http import RetryPolicy, redact
from ..core.paths import CACHE, DATA_PROCESSED, DATA_RAW

log = logging.getLogger(__name__)

EXIT_GAVE_UP = 3
INCLUDED = "papers_included.csv"


@dataclass(frozen=True)
class Api:
    """Where a tidy table came from, for its MANIFEST row."""

    source: str
    url: str
    terms: str

    @property
    def licence(self) -> str:
        return f"facts from the API (terms: {self.terms})"


S2 = Api(
    "Semantic Scholar Academic Graph API",
    "https://api.semanticscholar.org/graph/v1",
    "Semantic Scholar API License Agreement, https://www.semanticscholar.org/product/api/license",
)
OPENALEX = Api(
    "OpenAlex API", "https://api.openalex.org", "OpenAlex data CC0 1.0, https://openalex.org/about"
)
GITHUB = Api(
    "GitHub REST API",
    "https://api.github.com",
    "GitHub Terms of Service, https://docs.github.com/site-policy/github-terms/"
    "github-terms-of-service",
)
ARXIV = Api(
    "arXiv API",
    "https://export.arxiv.org/api/query",
    "arXiv API Terms of Use, https://info.arxiv.org/help/api/tou.html; metadata CC0 1.0",
)


def as_int(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """Counts as nullable integers, so a not-found row does not turn ``42`` into ``42.0``."""
    for c in cols:
        if c in df.columns:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
    return df


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def base_parser(name: str, doc: str | None) -> argparse.ArgumentParser:
    """Options every online collector shares."""
    p = argparse.ArgumentParser(
        prog=f"python -m benchmeta collect {name}",
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", type=Path, help="output folder (default data_raw/collected/<name>)")
    p.add_argument(
        "--data-raw",
        type=Path,
        default=None,
        help="data_raw folder whose MANIFEST gets the rows (default: the project's)",
    )
    p.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="HTTP cache folder (default: .cache/http under the project root)",
    )
    p.add_argument("--attempts", type=int, default=5, help="tries per request before giving up")
    p.add_argument(
        "--max-wait", type=float, default=900.0, help="cap in seconds on any single rate-limit wait"
    )
    p.add_argument(
        "--min-wait",
        type=float,
        default=1.0,
        help="floor in seconds for a wait, and the first backoff step",
    )
    p.add_argument("--no-manifest", action="store_true", help="do not write MANIFEST rows")
    return p


def folders(args: argparse.Namespace, name: str) -> tuple[Path, Path, Path]:
    """(data_raw, out, cache) from the parsed options."""
    data_raw = args.data_raw or DATA_RAW
    out = args.out or data_raw / "collected" / name
    cache = args.cache or CACHE / "http"
    out.mkdir(parents=True, exist_ok=True)
    return data_raw, out, cache


def policy(args: argparse.Namespace) -> RetryPolicy:
    return RetryPolicy(attempts=args.attempts, min_wait=args.min_wait, max_wait=args.max_wait)


_ARXIV = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I)


def normalise_paper_id(raw: str) -> str:
    """``2307.15043v2`` / ``arXiv:2307.15043`` -> ``2307.15043``; DOIs lower-cased, URL prefix
    dropped; anything else stripped as is."""
    text = raw.strip()
    for prefix in (
        "https://arxiv.org/abs/",
        "http://arxiv.org/abs/",
        "https://doi.org/",
        "http://doi.org/",
        "doi:",
    ):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    m = _ARXIV.match(text)
    if m:
        return m.group(1)
    return text.lower() if text.startswith("10.") else text


def read_ids(
    values: Iterable[str] | None, ids_file: Path | None, column: str, default_table: Path | None
) -> list[str]:
    """Ids from ``--ids``, else ``--ids-file`` (one per line, or a CSV with ``column``), else the
    ``column`` of ``default_table`` when it exists."""
    if values:
        return [v for v in values if v.strip()]
    path = ids_file or default_table
    if path is None or not path.exists():
        where = ids_file or default_table
        raise InputError(where or "-", None, "no ids given and no id table found")
    if path.suffix == ".csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        if column not in df.columns:
            raise InputError(path, 1, f"no {column!r} column", list(df.columns))
        return [v for v in df[column] if v.strip()]
    return [
        line.strip()
        for line in path.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def ids_or_none(
    values: Iterable[str] | None, ids_file: Path | None, column: str
) -> list[str] | None:
    """``read_ids`` defaulting to the included-papers table; prints the problem and returns
    ``None`` when there are no ids to work on."""
    try:
        return read_ids(values, ids_file, column, included_table())
    except InputError as exc:
        print(f"{exc}: pass --ids/--repos or --ids-file, or run notebook 01 first", file=sys.stderr)
        return None


def included_table() -> Path:
    return DATA_PROCESSED / INCLUDED


def write_outputs(
    tables: dict[str, tuple[pd.DataFrame, Api]],
    out: Path,
    data_raw: Path,
    collector: str,
    *,
    checkpoints: dict[str, Api],
    record: bool = True,
) -> None:
    """Write each tidy table as ``<out>/<name>.csv``; MANIFEST rows for tables and checkpoints
    (skipped when ``out`` is not inside ``data_raw``)."""
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    entries: list[manifest.Entry] = []
    inside = out.resolve().is_relative_to(data_raw.resolve())
    files: dict[Path, Api] = {}
    for name, (df, api) in tables.items():
        path = out / f"{name}.csv"
        atomic.write_csv(path, df)
        files[path] = api
    for name, api in checkpoints.items():
        path = out / name
        if path.exists():
            files[path] = api
    for path, api in files.items():
        if inside:
            entries.append(
                manifest.Entry(
                    path=path.resolve().relative_to(data_raw.resolve()).as_posix(),
                    source=api.source,
                    url=api.url,
                    retrieved_at=today,
                    sha256="",
                    licence=api.licence,
                    collector=f"python -m benchmeta collect {collector}",
                )
            )
    if record and entries:
        manifest.record(entries, data_raw)
    elif record and not inside:
        log.warning("output folder is outside data_raw: no MANIFEST rows written")


def report_gave_up(exc: Exception, what: str) -> int:
    """Say on stderr that a collector stopped early and how to resume; the exit code."""
    print(
        redact(
            f"{what}: stopped early, checkpoints kept; rerun the same command to resume.\n  {exc}"
        ),
        file=sys.stderr,
    )
    return EXIT_GAVE_UP


def with_top_author(papers: pd.DataFrame, authors: Checkpoint) -> pd.DataFrame:
    """A papers table with a ``;``-separated ``author_ids`` column, plus ``top_author_h_index``
    (the highest h-index among its authors found in ``authors``) and ``n_authors_with_h_index``."""
    h = {r["key"]: (r["data"] or {}).get("h_index") for r in authors if r["status"] == "ok"}
    out = papers.copy()
    ids = out.get("author_ids", pd.Series([""] * len(out), dtype=object)).fillna("")
    values = [[h[a] for a in str(v).split(";") if h.get(a) is not None] for v in ids]
    out["top_author_h_index"] = pd.array([max(v) if v else None for v in values], dtype="Int64")
    out["n_authors_with_h_index"] = [len(v) for v in values]
    return out

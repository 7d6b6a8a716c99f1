"""Plumbing shared by the online collectors: command-line options, id lists, output + MANIFEST.

Every online collector writes checkpoints and a tidy CSV under ``data_raw/collected/<name>/``
(or ``--out``) and records them in the MANIFEST with the API's terms. An item whose requests keep
failing is recorded as failed (``Failures``; per-item tables show it with status ``failed`` and
the reason) and the run moves on; a source that is rate limited
beyond ``--max-wait``, or fails ``--max-failures`` items, stops while the others go on. Exit code
0: everything collected; 3: stopped early or items failed (checkpoints intact, a summary of what
to retry on stderr): rerun the same command to resume; 4: another instance holds a checkpoint.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.checkpoint import Checkpoint, CheckpointBusy
from ..core.credentials import SecretError, env_help, secret
from ..core.errors import InputError
from ..core.http import FetchError, RateLimited, RetryPolicy, redact
from ..core.ids import ARXIV_ID
from ..core.paths import CACHE, DATA_PROCESSED, DATA_RAW

log = logging.getLogger(__name__)

EXIT_GAVE_UP = 3
EXIT_BUSY = 4
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


def base_parser(name: str, doc: str | None, env: tuple[str, ...] = ()) -> argparse.ArgumentParser:
    """Options every online collector shares; ``env`` names the variables it reads."""
    p = argparse.ArgumentParser(
        prog=f"python -m benchmeta collect {name}",
        description=doc,
        epilog=env_help(env) if env else None,
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
    p.add_argument(
        "--deadline",
        type=float,
        default=300.0,
        help="seconds one answer (headers and body) may take before it is retried",
    )
    p.add_argument("--max-mb", type=float, default=64.0, help="largest answer body, in MB")
    p.add_argument(
        "--max-failures",
        type=int,
        default=20,
        help="failed items after which a source stops for this run",
    )
    p.add_argument(
        "--lock-wait",
        type=float,
        default=0.0,
        help="seconds to wait for another running instance to finish (default: exit)",
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
    return RetryPolicy(
        attempts=args.attempts,
        min_wait=args.min_wait,
        max_wait=args.max_wait,
        deadline=args.deadline,
        max_bytes=int(args.max_mb * 1024 * 1024),
    )


class StageStopped(RuntimeError):
    """A source failed too many items in one run and stops (the others go on)."""


@dataclass
class Failures:
    """Items that failed for good in this run, by stage; ``budget`` failures stop a stage."""

    budget: int = 20
    items: list[tuple[str, str, str]] = field(default_factory=list)

    def record(self, stage: str, keys: list[str] | str, exc: Exception) -> None:
        """Note ``keys`` as failed (a rate limit is not an item's fault: it propagates)."""
        if isinstance(exc, RateLimited):
            raise exc
        for key in [keys] if isinstance(keys, str) else keys:
            self.items.append((stage, key, redact(exc)))
            log.warning("%s: %s failed: %s", stage, key, redact(exc))
        if sum(1 for s, _, _ in self.items if s == stage) >= self.budget:
            raise StageStopped(f"{stage}: {self.budget} items failed in this run; stopping it")

    def __len__(self) -> int:
        return len(self.items)

    def summary(self, limit: int = 50) -> str:
        """Failed items to retry, one a line (a rerun retries exactly these)."""
        lines = [f"{len(self.items)} item(s) failed and will be retried by a rerun:"]
        lines += [f"  {stage}: {key}: {why}" for stage, key, why in self.items[:limit]]
        if len(self.items) > limit:
            lines.append(f"  ... and {len(self.items) - limit} more")
        return "\n".join(lines)


def with_failures(df: pd.DataFrame, failures: Failures, stage: str, key: str) -> pd.DataFrame:
    """``df`` plus one row per item of ``stage`` that failed in this run (``status`` "failed",
    ``failure`` the reason), so a per-item table shows what is missing and why."""
    have = set(df[key].astype(str)) if key in df else set()
    rows = [
        {key: k, "status": "failed", "failure": why}
        for s, k, why in failures.items
        if s == stage and k not in have
    ]
    if not rows:
        return df
    out = pd.concat([df, pd.DataFrame(rows)], ignore_index=True)
    return out.sort_values(key, kind="stable").reset_index(drop=True)


def each_item(
    keys: list[str], stage: str, failures: Failures | None, fetch: Callable[[str], int]
) -> int:
    """``fetch(key)`` for each key (returns items added); a key that fails for good goes to
    ``failures`` (without ``failures`` the error propagates)."""
    added = 0
    for key in keys:
        try:
            added += fetch(key)
        except FetchError as exc:
            if failures is None:
                raise
            failures.record(stage, key, exc)
    return added


def run_stage(name: str, fn: Callable[[], object]) -> str | None:
    """Run one source; a rate limit beyond the waits or a spent failure budget stops only it.
    Returns why it stopped, or ``None``."""
    try:
        fn()
    except (FetchError, StageStopped) as exc:
        why = redact(f"{name}: stopped early: {exc}")
        print(why, file=sys.stderr)
        return why
    return None


def finish(what: str, stopped: list[str], failures: Failures) -> int:
    """The exit code, with what to retry on stderr."""
    if failures:
        print(failures.summary(), file=sys.stderr)
    if stopped or failures:
        print(
            f"{what}: incomplete, checkpoints kept; rerun the same command to resume.",
            file=sys.stderr,
        )
        return EXIT_GAVE_UP
    return 0


_ARXIV = re.compile(rf"^(?:arxiv:)?({ARXIV_ID})(?:v\d+)?$", re.I)


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


def secrets_ok(names: tuple[str, ...]) -> bool:
    """Check each secret variable before any request; print what is wrong (never the value)."""
    try:
        for name in names:
            secret(name)
    except SecretError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    return True


def open_writers(out: Path, names: list[str], wait: float = 0.0) -> dict[str, Checkpoint] | None:
    """Locked writers for ``<out>/<name>.jsonl``; ``None`` (and a message) if another instance
    holds one of them."""
    opened: dict[str, Checkpoint] = {}
    try:
        for name in names:
            opened[name] = Checkpoint.writer(out / f"{name}.jsonl", wait=wait)
    except CheckpointBusy as exc:
        for cp in opened.values():
            cp.close()
        print(f"error: {exc}", file=sys.stderr)
        return None
    return opened

"""Code quality of one file from radon (through its API, each file parsed once), and the kinds
of file that are not Python source although they end in ``.py``.

radon: cyclomatic complexity of every block (functions, methods, classes, as ``radon cc``),
maintainability index per file (``radon mi`` with multi-line strings counted as comments)
aggregated as mean and median over files, since radon has no repository MI; Halstead volume;
raw LOC / SLOC / comments. Nothing is imported from radon's command-line package, which reads
configuration files from the working folder. pylint lives in ``lint``.

A file whose parse exhausts memory or recursion (a generated 10,000-branch ``elif`` chain) is
recorded as ``parse_memory`` / ``too_deep``; a Git LFS pointer (``lfs_pointer``) and a script
with IPython magics or shell escapes (``ipython_magic``) are their own kinds, not syntax errors,
and none of these is linted. ``measure_file`` takes an optional per-file time limit
(``radon_timeout``), enforced with ``SIGALRM`` where that is available.
"""

from __future__ import annotations

import ast
import io
import re
import signal
import statistics
import threading
import tokenize
import warnings
from contextlib import contextmanager

from radon.complexity import cc_rank
from radon.metrics import h_visit_ast, mi_compute
from radon.raw import analyze
from radon.visitors import ComplexityVisitor

from .lint import pragmas

SCORED_OFF = ("import-error", "no-member", "no-name-in-module")
LFS_POINTER = b"version https://git-lfs.github.com/spec/"
_MAGIC = re.compile(r"^\s*(?:%%?[A-Za-z]|!\S|[\w.]+\s*=\s*[!%]\S)")

# --------------------------------------------------------------------------- reading sources


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Source text of a file (PEP 263 aware), or ``(None, problem)``: binary / undecodable."""
    if b"\x00" in data:
        return None, "binary"
    try:
        enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(enc)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None, "undecodable"
    return text.removeprefix("\ufeff"), None


_PY2 = [
    re.compile(r"^\s*print\s+[\"'\w%]", re.M),
    re.compile(r"^\s*except\s+[\w.]+\s*,\s*\w+\s*:", re.M),
    re.compile(r"^\s*raise\s+[\w.]+\s*,", re.M),
    re.compile(r"^\s*exec\s+[\"'\w]", re.M),
    re.compile(r"\bur[\"']"),
    re.compile(r"`[^`\n]+`"),
]


def syntax_problem(text: str, err: Exception) -> str:
    """``python2`` when the failure looks like Python 2 code, ``ipython_magic`` when the failing
    line is an IPython magic or shell escape (an exported notebook), else ``syntax_error``."""
    msg = str(err)
    if "Missing parentheses in call to" in msg:
        return "python2"
    line = getattr(err, "lineno", None)
    bad = text.splitlines()[line - 1] if line and 0 < line <= len(text.splitlines()) else ""
    if _MAGIC.match(bad):
        return "ipython_magic"
    if any(p.search(bad) for p in _PY2) or re.search(r"\b0[0-7]+\b|<>", bad):
        return "python2"
    return "syntax_error"


def notebook_code(text: str) -> tuple[str, int]:
    """The code cells of a notebook joined into one source (IPython magics and shell lines
    commented out) and the number of code cells. Raises ``ValueError`` on a bad notebook."""
    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            nb = nbformat.reads(text, as_version=4)
        except Exception as err:  # nbformat raises several unrelated types
            raise ValueError(f"not a readable notebook: {type(err).__name__}") from err
    cells = [c for c in nb.cells if c.get("cell_type") == "code"]
    lines = []
    for cell in cells:
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        cell_magic = src.lstrip().startswith("%%")  # the whole cell is another language
        for ln in src.splitlines():
            s = ln.lstrip()
            magic = cell_magic or s.startswith(("%", "!")) or s.endswith("?") or _MAGIC.match(ln)
            lines.append("# " + ln if magic else ln)
        lines.append("")
    return "\n".join(lines), len(cells)


# --------------------------------------------------------------------------- radon

RADON_COLUMNS = [
    "loc",
    "lloc",
    "sloc",
    "comments",
    "multi",
    "blank",
    "n_blocks",
    "cc_sum",
    "cc_max",
    "n_blocks_c_or_worse",
    "mi",
    "halstead_volume",
]


def radon_metrics(text: str) -> dict:
    """radon cc / mi / raw / hal of one source, parsed once. Raises SyntaxError/ValueError."""
    tree = ast.parse(text)
    raw = analyze(text)
    visitor = ComplexityVisitor.from_ast(tree)
    blocks = visitor.blocks
    volume = h_visit_ast(tree).total.volume
    comment_lines = raw.comments + raw.multi
    comments_pct = comment_lines / float(raw.sloc) * 100 if raw.sloc else 0
    mi = mi_compute(volume, visitor.total_complexity, raw.lloc, comments_pct)
    cc = [b.complexity for b in blocks]
    return {
        "loc": raw.loc,
        "lloc": raw.lloc,
        "sloc": raw.sloc,
        "comments": raw.comments,
        "multi": raw.multi,
        "blank": raw.blank,
        "n_blocks": len(cc),
        "cc_sum": sum(cc),
        "cc_max": max(cc) if cc else 0,
        "n_blocks_c_or_worse": sum(cc_rank(c) in "CDEF" for c in cc),
        "mi": float(mi),
        "halstead_volume": float(volume),
    }


class FileTimeout(Exception):
    """A file's measurement ran past its time limit."""


@contextmanager
def time_limit(seconds: float | None):
    """Raise ``FileTimeout`` in this block after ``seconds`` (main thread on POSIX only)."""
    usable = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise FileTimeout

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def measure_file(
    path: str, data: bytes, lines_only: bool = False, timeout: float | None = None
) -> dict:
    """One row of the per-file table: kind, problem (or ``""``), pragma counts and radon
    metrics. ``lines_only`` (for vendored files) counts lines and nothing else."""
    kind = "notebook" if path.endswith(".ipynb") else "python"
    row: dict = {"path": path, "kind": kind, "bytes": len(data), "problem": "", "code_cells": None}
    if data.startswith(LFS_POINTER):
        row["problem"] = "lfs_pointer"
        return row
    text, problem = decode(data)
    if text is None:
        row["problem"] = problem
        return row
    if lines_only:
        row["loc"] = len(text.splitlines())
        return row
    if kind == "python":
        row.update({f"pragma_{k}": v for k, v in pragmas(text).items()})
    try:
        with time_limit(timeout):
            _measure_text(row, text, kind)
    except FileTimeout:
        row["problem"] = "radon_timeout"
    return row


def _measure_text(row: dict, text: str, kind: str) -> None:
    if kind == "notebook":
        try:
            text, row["code_cells"] = notebook_code(text)
        except ValueError:
            row["problem"] = "bad_notebook"
            return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes in scanned code
            row.update(radon_metrics(text))
    except (SyntaxError, ValueError) as err:
        row["problem"] = syntax_problem(text, err)
        try:
            raw = analyze(text)  # token based: still counts lines of many unparsable files
            row.update(
                {
                    "loc": raw.loc,
                    "sloc": raw.sloc,
                    "comments": raw.comments,
                    "multi": raw.multi,
                    "blank": raw.blank,
                }
            )
        except Exception:  # radon's tokenizer raises assorted errors on broken code
            row["loc"] = text.count("\n") + 1
    except RecursionError:
        row["problem"] = "too_deep"
        row["loc"] = text.count("\n") + 1
    except MemoryError:
        row["problem"] = "parse_memory"
        row["loc"] = text.count("\n") + 1


def summarise_radon(files: list[dict], prefix: str = "") -> dict:
    """Repository aggregates over rows measured without problem: sums, means, medians."""
    ok = [f for f in files if not f.get("problem") and f.get("mi") is not None]
    n_blocks = sum(f["n_blocks"] for f in ok)
    mis = [f["mi"] for f in ok]
    out = {
        "files_measured": len(ok),
        "loc": sum(int(f.get("loc") or 0) for f in files),
        "sloc": sum(int(f.get("sloc") or 0) for f in files),
        "comments": sum(int(f.get("comments") or 0) for f in files),
        "loc_measured": sum(f["loc"] for f in ok),
        "n_blocks": n_blocks,
        "cc_mean": sum(f["cc_sum"] for f in ok) / n_blocks if n_blocks else None,
        "cc_max": max((f["cc_max"] for f in ok), default=None),
        "cc_share_c_or_worse": (
            sum(f["n_blocks_c_or_worse"] for f in ok) / n_blocks if n_blocks else None
        ),
        "mi_mean": statistics.fmean(mis) if mis else None,
        "mi_median": statistics.median(mis) if mis else None,
        "halstead_volume": sum(f["halstead_volume"] for f in ok) if ok else None,
    }
    return {prefix + k: v for k, v in out.items()}

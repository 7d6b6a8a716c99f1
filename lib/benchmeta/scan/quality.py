"""Code quality of one repository: radon (through its API, each file parsed once) and pylint
(one isolated run over an explicit file list, with a bisecting fallback).

radon: cyclomatic complexity of every block (functions, methods, classes, as ``radon cc``),
maintainability index per file (``radon mi`` with multi-line strings counted as comments)
aggregated as mean and median over files, since radon has no repository MI; Halstead volume;
raw LOC / SLOC / comments. Nothing is imported from radon's command-line package, which reads
configuration files from the working folder.

pylint: ``python -I`` with our rcfile (``pylintrc`` beside this module), an empty working folder,
an empty temporary HOME and PYLINTHOME, no $PYLINTRC, no plugins, ``--output-format=json2``,
a fixed ``-j`` and a timeout. That is not enough on its own: pylint puts the scanned folders at
the FRONT of ``sys.path`` while linting and imports ``isort`` lazily, so a scanned ``isort.py``
runs (observed with pylint 4.1.4). The interpreter therefore gets an import guard that refuses
any module found inside the scanned tree, and pylint's lazy imports are made before linting.
Once pylint's checkers are loaded, site-packages also leaves ``sys.path`` (pylint still imports
from there through a finder of its own), so astroid sees no installed third-party package and
every repository is analysed as if its dependencies were absent, whatever is installed beside
the scanner (this also avoids inferring through pandas or numpy sources). The score is
pylint's default formula, recomputed here from the message counts and the statement count
(obtained by passing ``--evaluation=statement``, since json2 does not report it)::

    score = max(0, 0 if fatal else 10 - (5 * error + warning + refactor + convention)
                                        / statement * 10)

If the run times out or yields no JSON, the file list is split in halves and retried down to
single files; a file that still fails is recorded (``pylint_timeout`` / ``pylint_crash``) and
left out, so one file cannot lose a repository's result.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from radon.complexity import cc_rank
from radon.metrics import h_visit_ast, mi_compute
from radon.raw import analyze
from radon.visitors import ComplexityVisitor

from .sandbox import scrubbed_env

RCFILE = Path(__file__).with_name("pylintrc")
TYPES = ("fatal", "error", "warning", "refactor", "convention", "info")
SCORED_OFF = ("import-error", "no-member", "no-name-in-module")

# Run as `python -I -c GUARD <scan-root> <pylint args...>`.
GUARD = r"""
import sys
from importlib.machinery import PathFinder
ROOT = sys.argv.pop(1).rstrip("/") + "/"

class _ScannedCodeGuard:
    @staticmethod
    def find_spec(name, path=None, target=None):
        spec = PathFinder.find_spec(name, path)
        if spec is not None:
            where = [spec.origin or ""] + list(spec.submodule_search_locations or [])
            if any(str(w).startswith(ROOT) or str(w) + "/" == ROOT for w in where):
                raise ImportError("benchmeta: refusing to import scanned code: " + name)
        return None

class _InstalledOnly:
    @staticmethod
    def find_spec(name, path=None, target=None):
        return PathFinder.find_spec(name, SITE) if path is None else None

SITE = [p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages"))]
sys.meta_path.insert(0, _ScannedCodeGuard)
sys.meta_path.append(_InstalledOnly)
sys.argv[0] = "pylint"
import pylint.lint.pylinter as _pylinter
_check = _pylinter.PyLinter.check

def _check_without_site_packages(self, files_or_modules):
    import isort, isort.api, pylint.lint.parallel, concurrent.futures, multiprocessing  # noqa
    sys.path[:] = [p for p in sys.path if p not in SITE]
    return _check(self, files_or_modules)

_pylinter.PyLinter.check = _check_without_site_packages
from pylint import run_pylint
run_pylint()
"""


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
    """``python2`` when the failure looks like Python 2 code, else ``syntax_error``."""
    msg = str(err)
    if "Missing parentheses in call to" in msg:
        return "python2"
    line = getattr(err, "lineno", None)
    bad = text.splitlines()[line - 1] if line and 0 < line <= len(text.splitlines()) else ""
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
        for ln in src.splitlines():
            s = ln.lstrip()
            lines.append("# " + ln if s.startswith(("%", "!")) or s.endswith("?") else ln)
        lines.append("")
    return "\n".join(lines), len(cells)


# --------------------------------------------------------------------------- radon

RADON_COLUMNS = ["loc", "lloc", "sloc", "comments", "multi", "blank", "n_blocks", "cc_sum",
                 "cc_max", "n_blocks_c_or_worse", "mi", "halstead_volume"]


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
        "loc": raw.loc, "lloc": raw.lloc, "sloc": raw.sloc, "comments": raw.comments,
        "multi": raw.multi, "blank": raw.blank,
        "n_blocks": len(cc), "cc_sum": sum(cc), "cc_max": max(cc) if cc else 0,
        "n_blocks_c_or_worse": sum(cc_rank(c) in "CDEF" for c in cc),
        "mi": float(mi), "halstead_volume": float(volume),
    }


def measure_file(path: str, data: bytes, lines_only: bool = False) -> dict:
    """One row of the per-file table: kind, problem (or ``""``) and radon metrics.

    ``lines_only`` (for vendored files) counts lines and nothing else."""
    kind = "notebook" if path.endswith(".ipynb") else "python"
    row: dict = {"path": path, "kind": kind, "bytes": len(data), "problem": "",
                 "code_cells": None}
    text, problem = decode(data)
    if text is None:
        row["problem"] = problem
        return row
    if lines_only:
        row["loc"] = len(text.splitlines())
        return row
    if kind == "notebook":
        try:
            text, row["code_cells"] = notebook_code(text)
        except ValueError:
            row["problem"] = "bad_notebook"
            return row
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes in scanned code
            row.update(radon_metrics(text))
    except (SyntaxError, ValueError) as err:
        row["problem"] = syntax_problem(text, err)
        try:
            raw = analyze(text)  # token based: still counts lines of many unparsable files
            row.update({"loc": raw.loc, "sloc": raw.sloc, "comments": raw.comments,
                        "multi": raw.multi, "blank": raw.blank})
        except Exception:  # radon's tokenizer raises assorted errors on broken code
            row["loc"] = text.count("\n") + 1
    except RecursionError:
        row["problem"] = "too_deep"
    return row


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
        "cc_share_c_or_worse": (sum(f["n_blocks_c_or_worse"] for f in ok) / n_blocks
                                if n_blocks else None),
        "mi_mean": statistics.fmean(mis) if mis else None,
        "mi_median": statistics.median(mis) if mis else None,
        "halstead_volume": sum(f["halstead_volume"] for f in ok) if ok else None,
    }
    return {prefix + k: v for k, v in out.items()}


# --------------------------------------------------------------------------- pylint

@dataclass
class PylintResult:
    """Counts from one repository's pylint run(s)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    statements: int = 0
    symbols: dict[str, int] = field(default_factory=dict)
    per_file: dict[str, dict[str, int]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # path -> pylint_timeout / crash
    runs: int = 0
    mode: str = "single"

    @property
    def score(self) -> float | None:
        """pylint's default evaluation; ``None`` when nothing was linted."""
        if self.runs == 0 or self.statements == 0:
            return None
        c = self.counts
        if c["fatal"]:
            return 0.0
        bad = 5 * c["error"] + c["warning"] + c["refactor"] + c["convention"]
        return max(0.0, 10.0 - bad / self.statements * 10)


def pylint_command(root: Path, files: list[str], jobs: int, extra: list[str]) -> list[str]:
    return [sys.executable, "-I", "-c", GUARD, str(root), f"--rcfile={RCFILE}",
            "--output-format=json2", f"--jobs={jobs}", "--persistent=n", "--load-plugins=",
            "--evaluation=statement", "--score=y", *extra, "--", *files]


def _run_once(root: Path, files: list[str], jobs: int, timeout: float,
              extra: list[str]) -> dict | str:
    """One pylint process; its json2 dict, or ``"timeout"`` / ``"crash"``."""
    work = Path(tempfile.mkdtemp(prefix="bm-pylint-"))
    home, cwd = work / "home", work / "cwd"
    home.mkdir()
    cwd.mkdir()
    env = scrubbed_env(str(home))
    env["PYLINTHOME"] = str(home / "pylint")
    abs_files = [str(root / f) for f in files]
    try:
        proc = subprocess.Popen(pylint_command(root, abs_files, jobs, extra), cwd=cwd, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return "timeout"
        try:
            data = json.loads(out.decode("utf-8", "replace"))
        except ValueError:
            return "crash"
        return data if isinstance(data, dict) and "statistics" in data else "crash"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _add(result: PylintResult, data: dict, root: Path) -> None:
    stats = data["statistics"]
    for t in TYPES:
        result.counts[t] += int(stats["messageTypeCount"].get(t, 0))
    score = stats.get("score")
    if isinstance(score, (int, float)) and stats.get("modulesLinted", 0):
        result.statements += int(score)
    prefix = str(root).rstrip("/") + "/"
    for msg in data.get("messages", []):
        result.symbols[msg["symbol"]] = result.symbols.get(msg["symbol"], 0) + 1
        path = str(msg.get("absolutePath") or msg.get("path") or "").removeprefix(prefix)
        pf = result.per_file.setdefault(path, dict.fromkeys(TYPES, 0))
        pf[msg["type"]] = pf.get(msg["type"], 0) + 1
    result.runs += 1


def run_pylint(root: Path, files: list[str], lines: dict[str, int] | None = None, jobs: int = 1,
               timeout_base: float = 60.0, timeout_per_kloc: float = 6.0,
               timeout_cap: float = 1800.0, extra: list[str] | None = None) -> PylintResult:
    """Lint ``files`` (relative to ``root``) in one run, bisecting on timeout or crash."""
    files = sorted(files)
    lines = lines or {}
    extra = list(extra or [])
    result = PylintResult()

    def lint(chunk: list[str]) -> None:
        kloc = sum(lines.get(f, 200) for f in chunk) / 1000
        timeout = min(timeout_cap, timeout_base + timeout_per_kloc * kloc)
        data = _run_once(root, chunk, jobs, timeout, extra)
        if isinstance(data, dict):
            _add(result, data, root)
            return
        result.mode = "bisected"
        if len(chunk) == 1:
            result.failed[chunk[0]] = f"pylint_{data}"
            return
        half = len(chunk) // 2
        lint(chunk[:half])
        lint(chunk[half:])

    if files:
        lint(files)
    return result


def pylint_summary(res: PylintResult, kloc: float, prefix: str = "pylint_") -> dict:
    """Repository columns: score, counts and counts per kLOC, most frequent symbols."""
    out = {"score": res.score, "statements": res.statements, "mode": res.mode,
           "runs": res.runs, "files_failed": len(res.failed)}
    for t in TYPES:
        out[t] = res.counts[t]
        out[f"{t}_per_kloc"] = res.counts[t] / kloc if kloc else None
    top = sorted(res.symbols.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    out["top_symbols"] = ";".join(f"{k}={v}" for k, v in top)
    return {prefix + k: v for k, v in out.items()}

"""pylint on untrusted code: isolated runs over explicit file lists, in chunks, with a budget.

Each run is one isolated pylint process (``scan.pylint_process``: ``python -I``, our rcfile, an
empty working folder and HOME, an import guard against the scanned tree, a timeout). The score
is pylint's default formula, recomputed from the message counts and the statement count
(obtained by passing ``--evaluation=statement``, since json2 does not report it)::

    score = max(0, 0 if fatal else 10 - (5 * error + warning + refactor + convention)
                                        / statement * 10)

The repository's top-level modules are passed as ``--known-first-party``, so import-order
messages match a run from the repository's root (isort otherwise takes the working folder as
the project).

Parallelism is one process per chunk (never pylint's own ``-j``, whose workers lose the import
guard and break where processes start by spawn or forkserver). Chunks also keep each command
line short (``E2BIG``). Files with pylint pragmas form their own chunk, linted a second time
with the pragmas neutralised, so the score can be given both ways. If a run times out or yields
no JSON, its file list is split in halves and retried down to single files; a file that still
fails is recorded (``pylint_timeout`` / ``pylint_crash``) and left out of the score, and the
summary says how many were.
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .pylint_process import run_once

TYPES = ("fatal", "error", "warning", "refactor", "convention", "info")
MAX_ARG_BYTES = 100_000  # per pylint command line (Linux allows ~2 MB in all)

# `# pylint: <directive>` as pylint's own pragma parser finds it (``pylint:`` with no space).
PRAGMA = re.compile(r"#.*?\bpylint:\s*([^;#\n]+)")


def pragmas(text: str) -> dict[str, int]:
    """Counts of pylint pragmas in a source: ``skip_file``, ``disable_all`` and other disables
    (``disable``, ``disable-next``, ``disable-msg``). A regex over lines: a pragma-like text
    inside a string literal is counted too."""
    out = {"skip_file": 0, "disable_all": 0, "disable": 0}
    for m in PRAGMA.finditer(text):
        action, _, msgs = m.group(1).strip().partition("=")
        action = action.strip()
        if action == "skip-file":
            out["skip_file"] += 1
        elif action == "disable-all" or (
            action.startswith("disable") and "all" in {x.strip() for x in msgs.split(",")}
        ):
            out["disable_all"] += 1
        elif action in ("disable", "disable-next", "disable-msg"):
            out["disable"] += 1
    return out


def neutralise(data: bytes) -> bytes:
    """The source with every ``pylint:`` pragma turned into an inert ``pylint;`` (same length,
    so line lengths and positions do not change)."""
    return re.sub(rb"(#[^\n]*?\bpylint):", rb"\1;", data)


@dataclass
class PylintResult:
    """Counts from one repository's pylint runs; ``neutral_*``: with pragmas neutralised."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    statements: int = 0
    symbols: dict[str, int] = field(default_factory=dict)
    per_file: dict[str, dict[str, int]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # path -> pylint_timeout / crash
    runs: int = 0
    mode: str = "single"
    neutral_counts: dict[str, int] | None = None
    neutral_statements: int = 0
    neutral_unknown: bool = False  # files with pragmas failed, so no neutralised score

    @staticmethod
    def _score(c: dict[str, int], statements: int) -> float | None:
        if statements == 0:
            return None
        if c["fatal"]:
            return 0.0
        bad = 5 * c["error"] + c["warning"] + c["refactor"] + c["convention"]
        return max(0.0, 10.0 - bad / statements * 10)

    @property
    def score(self) -> float | None:
        """pylint's default evaluation; ``None`` when nothing was linted."""
        return None if self.runs == 0 else self._score(self.counts, self.statements)

    @property
    def neutral_score(self) -> float | None:
        """The score with the repository's pylint pragmas ignored (same as ``score`` when it
        has none)."""
        if self.neutral_unknown:
            return None
        if self.neutral_counts is None:
            return self.score
        return self._score(self.neutral_counts, self.neutral_statements)


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


def chunks(
    files: list[str], lines: dict[str, int], n: int, max_arg_bytes: int = MAX_ARG_BYTES
) -> list[list[str]]:
    """``files`` in ``n`` groups of similar line counts, each cut further so that no command
    line exceeds ``max_arg_bytes``. Deterministic: sorted input, greedy by size."""
    groups: list[list[str]] = [[] for _ in range(max(1, n))]
    load = [0] * len(groups)
    for f in sorted(files, key=lambda f: (-lines.get(f, 200), f)):
        i = load.index(min(load))
        groups[i].append(f)
        load[i] += lines.get(f, 200) + 1
    out = []
    for g in groups:
        cur, size = [], 0
        for f in sorted(g):
            if cur and size + len(f) + 200 > max_arg_bytes:
                out.append(cur)
                cur, size = [], 0
            cur.append(f)
            size += len(f) + 200  # the absolute prefix each path gets
        if cur:
            out.append(cur)
    return out


@dataclass(frozen=True)
class Plan:
    """How long pylint may run: per-run timeout from size, and an overall deadline."""

    timeout_base: float = 60.0
    timeout_per_kloc: float = 6.0
    timeout_cap: float = 1800.0
    deadline: float | None = None  # time.monotonic() after which nothing new starts

    def timeout(self, kloc: float) -> float:
        t = min(self.timeout_cap, self.timeout_base + self.timeout_per_kloc * kloc)
        return t if self.deadline is None else min(t, self.deadline - time.monotonic())


def _lint_all(
    root: Path,
    groups: list[list[str]],
    lines: dict[str, int],
    jobs: int,
    plan: Plan,
    extra: list[str],
) -> PylintResult:
    """Lint every group (bisecting failures), ``jobs`` processes at a time."""
    result, lock = PylintResult(), threading.Lock()

    def lint(chunk: list[str]) -> None:
        kloc = sum(lines.get(f, 200) for f in chunk) / 1000
        data = run_once(root, chunk, plan.timeout(kloc), extra)
        with lock:
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

    if jobs <= 1 or len(groups) <= 1:
        for g in groups:
            lint(g)
    else:
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(lint, groups))
    if len(groups) > 1 and result.mode == "single":
        result.mode = "chunked"
    return result


def first_party(root: Path) -> list[str]:
    """Top-level module names of the tree (and of its ``src/``), as isort would find them from
    the repository's root: pylint's ``wrong-import-order`` then classifies the repository's own
    modules as first party, as a hand run from the repository root does, although our runs
    start in an empty folder."""
    names = set()
    for folder in (root, root / "src"):
        for p in folder.iterdir() if folder.is_dir() else []:
            stem = p.name.removesuffix(".py") if p.is_file() else p.name
            if stem.isidentifier() and (p.is_dir() or p.name.endswith(".py")):
                names.add(stem)
    return sorted(names)


def _merge(a: PylintResult, b: PylintResult) -> PylintResult:
    out = PylintResult(
        statements=a.statements + b.statements,
        runs=a.runs + b.runs,
        failed={**a.failed, **b.failed},
        per_file={**a.per_file, **b.per_file},
    )
    out.counts = {t: a.counts[t] + b.counts[t] for t in TYPES}
    for sym in sorted(set(a.symbols) | set(b.symbols)):
        out.symbols[sym] = a.symbols.get(sym, 0) + b.symbols.get(sym, 0)
    modes = {a.mode, b.mode} - {"single"}
    out.mode = (
        "bisected"
        if "bisected" in modes
        else ("chunked" if a.runs and b.runs else (modes or {"single"}).pop())
    )
    return out


def run_pylint(
    root: Path,
    files: list[str],
    lines: dict[str, int] | None = None,
    jobs: int = 1,
    plan: Plan | None = None,
    extra: list[str] | None = None,
    with_pragmas: set[str] | None = None,
    neutral_root: Path | None = None,
) -> PylintResult:
    """Lint ``files`` (relative to ``root``); files in ``with_pragmas`` are linted as a chunk
    of their own, and again from ``neutral_root`` (the same tree with pragmas neutralised) for
    the neutralised score."""
    root = root.resolve()
    lines, extra, plan = lines or {}, list(extra or []), plan or Plan()
    if own := first_party(root):
        extra = [f"--known-first-party={','.join(own)}", *extra]
    prag = sorted(set(files) & (with_pragmas or set()))
    rest = sorted(set(files) - set(prag))
    result = _lint_all(root, [g for g in chunks(rest, lines, jobs) if g], lines, jobs, plan, extra)
    if not prag:
        return result
    raw = _lint_all(root, [prag], lines, 1, plan, extra)
    merged = _merge(result, raw)
    if neutral_root is not None:
        neutral = _lint_all(neutral_root.resolve(), [prag], lines, 1, plan, extra)
        if not raw.failed and not neutral.failed:  # comparable file for file
            merged.neutral_counts = {t: result.counts[t] + neutral.counts[t] for t in TYPES}
            merged.neutral_statements = result.statements + neutral.statements
        else:
            merged.neutral_unknown = True
    return merged


def pylint_summary(res: PylintResult, kloc: float, prefix: str = "pylint_") -> dict:
    """Repository columns: score (raw and with pragmas neutralised), counts and counts per
    kLOC, files left out of the score, most frequent symbols."""
    out = {
        "score": res.score,
        "score_neutralised": res.neutral_score,
        "statements": res.statements,
        "mode": res.mode,
        "runs": res.runs,
        "files_failed": len(res.failed),
        "files_timed_out": sum(v == "pylint_timeout" for v in res.failed.values()),
    }
    for t in TYPES:
        out[t] = res.counts[t]
        out[f"{t}_per_kloc"] = res.counts[t] / kloc if kloc else None
    top = sorted(res.symbols.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    out["top_symbols"] = ";".join(f"{k}={v}" for k, v in top)
    return {prefix + k: v for k, v in out.items()}

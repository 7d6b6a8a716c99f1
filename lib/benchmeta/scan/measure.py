"""Measure one repository at one commit: per-file rows and the repository's columns.

Everything here runs inside the repository's own budgeted process (see ``executor``); the
``deadline`` passed in is that process's wall-clock end. radon stops taking new files at 70% of
the budget (the rest are ``time_budget``), pylint stops starting runs at 90% (``pylint_budget``),
and the executor kills the process at 100%. Identical blobs are measured once (their rows are
copies, with ``duplicate_of``), and a blob is linted at most ``Settings.lint_copies`` times
(``lint_skipped`` = ``duplicate_blob`` for the other copies).
Every cut is recorded in the ``cuts`` column (``reason=count;...``) and in per-file problems.
Paths are written with ``names.encode_path`` (lossless for any file name).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import pandas as pd

from . import headtree, lint, names, quality, readiness, vendored

MEASURED = (".py", ".ipynb")
# Problems that keep a file out of pylint.
NOT_LINTED = {
    "binary",
    "undecodable",
    "too_deep",
    "parse_memory",
    "lfs_pointer",
    "ipython_magic",
    "radon_timeout",
    "time_budget",
}
# Per-file problems, each counted in a repository column n_<problem>.
PROBLEMS = (
    "syntax_error",
    "python2",
    "binary",
    "undecodable",
    "bad_notebook",
    "too_deep",
    "parse_memory",
    "lfs_pointer",
    "ipython_magic",
    "missing_blob",
    "too_large",
    "symlink",
    "file_count_cap",
    "total_size_cap",
    "radon_timeout",
    "time_budget",
    "name_too_long",
    "name_clash",
    "unwritable_name",
    "pylint_timeout",
    "pylint_crash",
    "pylint_budget",
)
# Cuts that depend on the machine's speed: such results are not cached.
TIME_CUTS = ("time_budget", "radon_timeout", "pylint_budget")
PRAGMAS = ("skip_file", "disable_all", "disable")


def _radon_rows(
    ext: headtree.Extracted, vend: dict[str, str], settings, deadline: float | None
) -> list[dict]:
    """One row per measured file; each distinct blob measured once."""
    soft = None if deadline is None else deadline - 0.3 * settings.budget_seconds
    done: dict[tuple[str, bool], dict] = {}
    rows = []
    for path in sorted(p for p in ext.files if p.endswith(MEASURED)):
        key = (ext.blob_of.get(path, path), bool(vend.get(path)))
        if key in done:
            row = {**done[key], "path": path, "duplicate_of": done[key]["path"]}
        elif soft is not None and time.monotonic() > soft:
            row = {
                "path": path,
                "kind": "notebook" if path.endswith(".ipynb") else "python",
                "bytes": len(ext.files[path]),
                "problem": "time_budget",
            }
        else:
            left = None if soft is None else max(0.0, soft - time.monotonic())
            limits = [x for x in (settings.file_timeout, left) if x is not None]
            row = quality.measure_file(
                path,
                ext.files[path],
                lines_only=bool(vend.get(path)),
                timeout=min(limits) if limits else None,
            )
            done[key] = row
        rows.append({**row, "vendored": vend.get(path, "")})
    for s in ext.skipped:
        kind = {".py": "python", ".ipynb": "notebook"}.get(PurePosixPath(s["path"]).suffix, "other")
        rows.append(
            {
                "path": s["path"],
                "kind": kind,
                "bytes": s["size"],
                "problem": s["reason"],
                "vendored": vend.get(s["path"], ""),
            }
        )
    return rows


def _to_lint(rows: list[dict], ext: headtree.Extracted, copies: int) -> tuple[list[str], int]:
    """Own Python files pylint reads, and how many duplicate copies were left out."""
    seen: dict[str, int] = {}
    out, dropped = [], 0
    for r in rows:
        if (
            r["kind"] != "python"
            or r["vendored"]
            or r["path"] not in ext.files
            or r["problem"] in NOT_LINTED
        ):
            continue
        blob = ext.blob_of.get(r["path"], r["path"])
        seen[blob] = seen.get(blob, 0) + 1
        if seen[blob] > copies:
            r["lint_skipped"] = "duplicate_blob"
            dropped += 1
            continue
        out.append(r["path"])
    return out, dropped


def _lint(
    rows: list[dict], ext: headtree.Extracted, to_lint: list[str], settings, deadline: float | None
) -> lint.PylintResult:
    """Write the files under safe temporary names, lint them, map results back."""
    mapped, bad_names = names.temp_names(to_lint)
    with_pragmas = {
        r["path"]
        for r in rows
        if r["path"] in mapped and any(r.get(f"pragma_{k}") for k in PRAGMAS)
    }
    lines = {mapped[r["path"]]: int(r.get("loc") or 0) for r in rows if r["path"] in mapped}
    work = Path(tempfile.mkdtemp(prefix="bm-tree-")).resolve()
    try:
        root, neutral = work / "t", work / "n"
        root.mkdir()
        written = set(headtree.write_tree({mapped[p]: ext.files[p] for p in mapped}, root))
        if with_pragmas:
            neutral.mkdir()
            headtree.write_tree(
                {
                    mapped[p]: lint.neutralise(ext.files[p]) if p in with_pragmas else ext.files[p]
                    for p in mapped
                },
                neutral,
            )
        back = {t: p for p, t in mapped.items() if t in written}
        bad_names |= {p: "unwritable_name" for p, t in mapped.items() if t not in written}
        plan = lint.Plan(
            timeout_cap=settings.pylint_timeout_cap,
            deadline=None if deadline is None else deadline - 0.1 * settings.budget_seconds,
        )
        pyl = lint.run_pylint(
            root,
            sorted(back),
            lines,
            jobs=settings.pylint_jobs or 1,
            plan=plan,
            extra=list(settings.pylint_extra),
            with_pragmas={mapped[p] for p in with_pragmas},
            neutral_root=neutral if with_pragmas else None,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pyl.per_file = {back.get(k, k): v for k, v in pyl.per_file.items()}
    pyl.failed = {back.get(k, k): v for k, v in pyl.failed.items()}
    linted = set(back.values()) - set(pyl.failed)
    for r in rows:
        if r["path"] in bad_names:
            r["problem"] = r["problem"] or bad_names[r["path"]]
        if r["path"] in pyl.failed:
            r["problem"] = r["problem"] or pyl.failed[r["path"]]
        for t in lint.TYPES:
            r[f"pylint_{t}"] = (
                pyl.per_file.get(r["path"], {}).get(t, 0) if r["path"] in linted else None
            )
    return pyl


def _cuts(ext: headtree.Extracted, rows: list[dict], dropped: int) -> dict[str, int]:
    cuts = dict(ext.cuts)
    for reason in (
        "time_budget",
        "radon_timeout",
        "pylint_timeout",
        "pylint_budget",
        "name_too_long",
        "name_clash",
        "unwritable_name",
    ):
        if n := sum(r["problem"] == reason for r in rows):
            cuts[reason] = n
    if dropped:
        cuts["duplicate_blob_not_linted"] = dropped
    return cuts


def _repo_row(
    repo: str,
    ext: headtree.Extracted,
    rows: list[dict],
    vend: dict[str, str],
    pyl: lint.PylintResult,
    cuts: dict[str, int],
    tree_files: list[str],
) -> dict:
    all_py = [r for r in rows if r["kind"] == "python"]
    own_py = [r for r in all_py if not r["vendored"]]
    notebooks = [r for r in rows if r["kind"] == "notebook" and not r["vendored"]]
    own = quality.summarise_radon(own_py)
    loc_all = sum(int(r.get("loc") or 0) for r in all_py)
    vend_dirs = sorted(
        {
            v.split(":", 1)[1]
            for p, v in vend.items()
            if v and not v.startswith("copyright") and p.endswith(MEASURED)
        }
    )
    problems = pd.Series([r["problem"] for r in rows if r["problem"]], dtype=str)
    return {
        "tree_files": len(ext.tree),
        "tree_bytes": ext.tree_bytes,
        "py_files": len(all_py),
        "py_files_own": len(own_py),
        "notebooks": len(notebooks),
        "notebook_code_cells": sum(int(r.get("code_cells") or 0) for r in notebooks),
        **own,
        **quality.summarise_radon(notebooks, prefix="nb_"),
        "loc_all": loc_all,
        "loc_vendored": loc_all - own["loc"],
        "vendored_share": (loc_all - own["loc"]) / loc_all if loc_all else None,
        "vendored_files": sum(bool(r["vendored"]) for r in all_py),
        "vendored_dirs": ";".join(names.encode_path(d) for d in vend_dirs[:20]),
        **lint.pylint_summary(pyl, own["loc"] / 1000),
        **{f"pragma_{k}": sum(int(r.get(f"pragma_{k}") or 0) for r in own_py) for k in PRAGMAS},
        "pragma_files": sum(any(r.get(f"pragma_{k}") for k in PRAGMAS) for r in own_py),
        **{f"n_{k}": int((problems == k).sum()) for k in PROBLEMS},
        **{f"n_{k}": ext.cuts.get(k, 0) for k in ("file_count_cap", "total_size_cap")},
        "duplicate_files": sum(bool(r.get("duplicate_of")) for r in rows),
        "skipped_entries": len(ext.skipped),
        "tree_blobs_missing": sum(
            e.size is None and e.mode not in ("160000", "040000") for e in ext.tree
        ),
        "n_gitlink": sum(s["reason"] == "gitlink" for s in ext.skipped),
        "n_unsafe_path": sum(s["reason"] == "unsafe_path" for s in ext.skipped),
        "cuts": ";".join(f"{k}={v}" for k, v in sorted(cuts.items())),
        **{f"ready_{k}": v for k, v in readiness.check(tree_files, ext.files).items()},
    }


COLUMNS = (
    "path",
    "kind",
    "bytes",
    "problem",
    "vendored",
    "vendored_evidence",
    "duplicate_of",
    "lint_skipped",
    "code_cells",
)


def measure(repo: str, gd: Path, settings, deadline: float | None = None) -> dict:
    """Everything cached for one repo@sha: per-file rows and repository columns (and, not
    cached, ``timings``: seconds per stage)."""
    clock = [time.perf_counter()]

    def lap() -> float:
        clock.append(time.perf_counter())
        return clock[-1] - clock[-2]

    ext = headtree.extract(gd, settings.limits)
    tree_files = [e.path for e in ext.tree if e.mode != "160000"]
    timings = {"extract": lap()}
    found = vendored.evidence(tree_files, repo, ext.files)
    vend = {p: vendored.decide(f) for p, f in found.items()}
    timings["vendored"] = lap()
    rows = _radon_rows(ext, vend, settings, deadline)
    timings["radon"] = lap()
    to_lint, dropped = _to_lint(rows, ext, settings.lint_copies)
    pyl = _lint(rows, ext, to_lint, settings, deadline)
    timings["pylint"] = lap()
    cuts = _cuts(ext, rows, dropped)
    repo_row = _repo_row(repo, ext, rows, vend, pyl, cuts, tree_files)
    timings["readiness_and_summary"] = lap()
    for r in rows:
        r["vendored_evidence"] = names.encode_path(vendored.evidence_text(found.get(r["path"], [])))
        for col in COLUMNS:
            r.setdefault(col, None if col == "code_cells" else "")
        for col in ("path", "duplicate_of", "vendored"):
            r[col] = names.encode_path(r[col]) if r[col] else r[col]
    return {
        "commit_sha": ext.commit_sha,
        "row": repo_row,
        "files": rows,
        "cacheable": not any(k in cuts for k in TIME_CUTS),
        "timings": timings,
        "scanned_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }

"""Benchmark the repository scanner against the naive baseline (not a test).

    python scripts/bench_scan.py MIRRORS [--repos owner/name ...] [--workers 2] [--repeat 3]
        [--shift]

Scans a fixed set of repositories (``REPOS``; those without a mirror are skipped and named)
cold with an empty cache, then again with the cache (the rescan), and, for comparison, runs the
naive baseline: pylint's and radon's command lines (``pylint <files>``, ``radon cc/mi/raw/hal``)
one repository after another on the same extracted Python files (extraction time is not charged
to the baseline). With ``--repeat N`` the three are run N times as pairs and medians are
reported. Prints the cold and rescan ratios, kLOC/s, and where the scanner's time goes (seconds
per stage summed over repositories: extract, vendoring, radon, pylint, readiness, history, and
the rest of each repository's process: start-up, imports, cache). ``--shift`` also reports how
much enabling import-error / no-member / no-name-in-module moves each pylint score.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

from benchmeta.scan import RepoSpec, Settings, scan_many
from benchmeta.scan.headtree import extract, write_tree
from benchmeta.scan.mirrors import mirror_path
from benchmeta.scan.sandbox import isolated, scrubbed_env

# Varied sizes, from a few hundred lines to ~30 kLOC, all LLM-safety repositories. The first
# eight are the fixed set the reported ratios were measured on; the last three were in an
# earlier set and are skipped where they have no mirror.
REPOS = [
    "arobey1/smooth-llm",
    "XuandongZhao/weak-to-strong",
    "Princeton-SysML/Jailbreak_LLM",
    "potsawee/selfcheckgpt",
    "patrickrchao/JailbreakingLLMs",
    "RICommunity/TAP",
    "greshake/llm-security",
    "facebookresearch/PurpleLlama",
    "thu-coai/SafetyBench",
    "RUCAIBox/HaluEval",
    "mlcommons/modelbench",
]
REFERENCE = date(2026, 6, 30)


def naive_baseline(specs: list[RepoSpec]) -> dict[str, float]:
    """Seconds for the pylint and the radon command lines, one repository after another."""
    total = {"pylint": 0.0, "radon": 0.0}
    for spec in specs:
        work = Path(tempfile.mkdtemp(prefix="bm-naive-"))
        try:
            with isolated(spec.git_dir) as gd:
                ext = extract(gd)
            tree = work / "tree"
            tree.mkdir()
            files = write_tree(ext.files, tree)
            (work / "cwd").mkdir()
            env = scrubbed_env(str(work / "cwd"))
            cmds = [[sys.executable, "-m", "pylint", "--output-format=json2", *files]]
            cmds += [
                [sys.executable, "-m", "radon", sub, "-j", "."]
                for sub in ("cc", "mi", "raw", "hal")
            ]
            for cmd in cmds:
                t0 = time.perf_counter()
                subprocess.run(cmd, cwd=tree, env=env, capture_output=True, timeout=3600)
                total["radon" if "radon" in cmd else "pylint"] += time.perf_counter() - t0
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("mirrors", type=Path)
    ap.add_argument("--repos", nargs="*", default=REPOS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shift", action="store_true", help="also measure the import-error shift")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="paired runs (medians reported)")
    args = ap.parse_args(argv)
    specs = []
    for repo in args.repos:
        path = mirror_path(args.mirrors, repo)
        if path is None:
            print(f"skip {repo}: no mirror", file=sys.stderr)
        else:
            specs.append(RepoSpec(repo, git_dir=str(path)))
    colds, warms, naives, stages = [], [], [], []
    for _ in range(args.repeat):
        cache = Path(tempfile.mkdtemp(prefix="bm-bench-cache-"))
        try:
            t0 = time.perf_counter()
            cold = scan_many(specs, reference_date=REFERENCE, cache_dir=cache, workers=args.workers)
            colds.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            warm = scan_many(specs, reference_date=REFERENCE, cache_dir=cache, workers=args.workers)
            warms.append(time.perf_counter() - t0)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        stages.append(cold.timings.groupby("stage")["seconds"].sum())
        if not args.no_baseline:
            naives.append(sum(naive_baseline(specs).values()))
    same = cold.repos.equals(warm.repos) and cold.files.equals(warm.files)
    t_cold, t_warm = statistics.median(colds), statistics.median(warms)
    kloc = cold.repos["loc_all"].sum() / 1000
    print(
        f"repositories: {len(cold.repos)} scanned, {len(cold.failures)} failed "
        f"({', '.join(s.repo for s in specs)})"
    )
    print(f"python kLOC:  {kloc:.1f} (own code {cold.repos['loc'].sum() / 1000:.1f})")
    print(
        f"cold scan:    {t_cold:.1f} s median of {len(colds)} = {kloc / t_cold:.2f} kLOC/s "
        f"({args.workers} workers, pylint processes auto)"
    )
    print(
        f"rescan:       {t_warm:.2f} s = {100 * t_warm / t_cold:.1f}% of cold; "
        f"identical tables: {same}"
    )
    per_stage = pd.concat(stages, axis=1).median(axis=1)
    inner = per_stage.drop("in_process").sum()
    print("cold, seconds per stage (sum over repositories, median of runs):")
    for stage, sec in per_stage.drop("in_process").sort_values(ascending=False).items():
        print(f"  {stage:<22} {sec:7.1f}")
    print(f"  {'other in process':<22} {per_stage['in_process'] - inner:7.1f}")
    wall = t_cold * args.workers
    print(
        f"  {'outside (start, idle)':<22} {wall - per_stage['in_process']:7.1f}  "
        f"(of {wall:.1f} worker-seconds)"
    )
    if naives:
        t_naive = statistics.median(naives)
        print(
            f"naive:        {t_naive:.1f} s median (pylint + radon cc/mi/raw/hal, "
            f"sequential) = {kloc / t_naive:.2f} kLOC/s"
        )
        ratios = ", ".join(f"{n / c:.2f}" for n, c in zip(naives, colds, strict=True))
        print(f"speed-up:     {t_naive / t_cold:.2f}x cold over naive; per run: {ratios}")
    if args.shift:
        extra = ("--enable=import-error,no-member,no-name-in-module",)
        loud = scan_many(
            specs,
            reference_date=REFERENCE,
            workers=args.workers,
            settings=Settings(pylint_extra=extra),
        )
        a = cold.repos.set_index("repo")["pylint_score"]
        b = loud.repos.set_index("repo")["pylint_score"]
        shift = (a - b).dropna().sort_values()
        print("score shift from disabling import-error/no-member/no-name-in-module:")
        for repo, d in shift.items():
            print(f"  {repo:<36} {b[repo]:5.2f} -> {a[repo]:5.2f}  (+{d:.2f})")
        print(f"  median +{shift.median():.2f}, range +{shift.min():.2f} .. +{shift.max():.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of ``make reproduce``: wall time and peak memory per notebook, cold and no-change.

    .venv/bin/python scripts/bench_reproduce.py   # cold (--force) run, then a no-change run

Cold: each notebook is forced on its own (``reproduce --force --only NN``), so its wall time and the
peak resident memory of its kernel (the largest child process) are its own; the total is one
``reproduce --force`` of all notebooks. No-change: one plain ``reproduce`` on the result, which
skips every notebook. This is a benchmark, not a test: the numbers depend on the machine and its
load. It rewrites the notebooks' outputs with identical bytes (check with ``git status``).
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DONE = re.compile(r"^\s+(\d\d_\S+\.ipynb) done in ([\d.]+) s", re.M)


def run(*args: str) -> tuple[float, float, str]:
    """Wall seconds, peak child RSS (MiB) and stdout of one ``python -m benchmeta reproduce``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "benchmeta", "reproduce", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        sys.exit(f"reproduce {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, res.stdout


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--skip-per-notebook",
        action="store_true",
        help="only the whole cold run and the no-change run",
    )
    a = p.parse_args(argv)
    numbers = sorted(nb.name[:2] for nb in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    rows = []
    if not a.skip_per_notebook:
        for n in numbers:
            # each notebook in a fresh interpreter, so ru_maxrss is this notebook's kernel
            code = (
                "import resource, subprocess, sys, time\n"
                "t = time.perf_counter()\n"
                f"subprocess.run([sys.executable, '-m', 'benchmeta', 'reproduce', '--force', "
                f"'--only', '{n}'], check=True, capture_output=True)\n"
                "print(time.perf_counter() - t, "
                "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
            )
            out = subprocess.run(
                [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.split()
            rows.append((n, float(out[0]), float(out[1])))
    cold, cold_peak, out = run("--force")
    kernel = dict(DONE.findall(out))
    warm, _, _ = run()
    print(f"{'notebook':<10}{'alone, wall s':>15}{'peak MiB':>10}{'in full run, s':>16}")
    for n, wall, peak in rows:
        name = next((k for k in kernel if k.startswith(n)), "")
        print(f"{n:<10}{wall:>15.1f}{peak:>10.0f}{float(kernel.get(name, 'nan')):>16.1f}")
    print(f"cold run of all notebooks: {cold:.1f} s wall (peak child RSS {cold_peak:.0f} MiB)")
    print(f"no-change run: {warm:.2f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())

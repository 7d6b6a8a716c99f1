"""``python -m benchmeta reproduce``: verify raw data, check inputs, run what changed."""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

from ..core import manifest
from ..core.paths import DATA_PROCESSED, DATA_RAW, FIGURES
from . import schedule
from .runner import _number, is_current, notebooks, run_notebook, sweep


# Input checks run before the notebooks that read those inputs (each raises InputError naming the
# file, line and value). Adding a source with its own validation = one entry here.
def _check_manual_records() -> None:
    from ..papers import records

    path = DATA_RAW / "records" / "manual_records.csv"
    if path.is_file():
        records.read_manual(path)


def _check_leaderboards() -> None:
    from ..leaderboards import table

    table.load()


PREFLIGHT: dict[str, list[Callable[[], None]]] = {
    "01": [_check_manual_records],
    "07": [_check_leaderboards],
}


def preflight(numbers: list[str]) -> None:
    """Validate the inputs of the notebooks about to run, before any of them runs."""
    for number in sorted(set(numbers)):
        for check in PREFLIGHT.get(number, []):
            check()


def default_jobs() -> int:
    """One notebook per core (at most 4: each kernel needs about 0.4 GiB); 1 without fork."""
    if not schedule.can_fork():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, cores or 1))


def run_serial(chosen: list, force: bool) -> int:
    """One notebook after another in this process (``--jobs 1``)."""
    for nb_path in chosen:
        current, why = is_current(nb_path, {})  # judged now: earlier notebooks may have rerun
        if current and not force:
            print(f"skip {nb_path.name}: unchanged since its last run")
            continue
        print(f"run  {nb_path.name}: {why if not force else 'forced'}", flush=True)
        t0 = time.perf_counter()
        try:
            run_notebook(nb_path, {})
        except Exception as err:  # papermill prints the cell's traceback
            schedule.report_failure(nb_path.name, f"{type(err).__name__}: {str(err)[-2000:]}")
            return 1
        print(f"     {nb_path.name} done in {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    from . import __doc__ as doc

    p = argparse.ArgumentParser(
        prog="python -m benchmeta reproduce",
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--force", action="store_true", help="run even notebooks that are current")
    p.add_argument("--only", nargs="*", default=None, help="notebook numbers to consider, e.g. 07")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=default_jobs(),
        help="notebooks run at the same time (default: one per core, at most 4; 1 = in order)",
    )
    a = p.parse_args(argv)

    sweep()
    df = manifest.verify()
    print(f"data_raw: {len(df)} files match their MANIFEST sha256")
    FIGURES.mkdir(exist_ok=True)
    DATA_PROCESSED.mkdir(exist_ok=True)
    total = time.perf_counter()
    chosen = [nb for nb in notebooks() if not a.only or _number(nb) in a.only]
    # validate the inputs of every notebook that will run for its own reasons, before any runs
    preflight([_number(nb) for nb in chosen if a.force or not is_current(nb, {})[0]])
    if a.jobs > 1 and schedule.can_fork():
        code = schedule.run_parallel(chosen, a.force, a.jobs)
    else:
        code = run_serial(chosen, a.force)
    if code == 0:
        print(f"reproduce finished in {time.perf_counter() - total:.1f} s")
    return code

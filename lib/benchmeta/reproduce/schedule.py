"""Order the notebooks and run them, up to ``--jobs`` at a time.

A notebook starts once every earlier notebook whose tables it read in its last run has finished
(a notebook never run yet waits for all earlier ones), so 07, which reads no other notebook's
table, runs beside the 01 -> 02..05 -> 06 chain, and 02..05 run beside each other. Whether it is
current is judged at that moment, exactly as in a run one after another. Each notebook runs in a
forked worker (one kernel each); what it writes is the same as in a serial run, and
``datapackage.json`` is updated under a lock (``core.atomic.locked``).

A notebook that reads a table of a notebook that had not finished when it started (its cells
changed to read something new) is not committed: it runs again once all earlier notebooks have
finished. So is one that failed while earlier notebooks were still running. A notebook that fails
otherwise stops the run: nothing new starts, the running ones finish, its committed notebook is
left as it was.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

import nbformat

from ..core import reads
from ..core.paths import ROOT
from .runner import META_KEY, _number, _resources, is_current, run_notebook

# each kernel gets its share of the cores for BLAS: two kernels with a thread per core each would
# oversubscribe the machine (unless the user set these)
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class Premature(RuntimeError):
    """The notebook read tables of a notebook that had not finished when it started."""


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def owners(inputs: list[str], earlier: set[str], root: Path = ROOT) -> set[str]:
    """The earlier notebooks whose tables are among ``inputs``; a ``data_processed`` file that no
    table describes could be any of them."""
    res = _resources(root)
    out: set[str] = set()
    for path in inputs:
        if path.startswith("data_processed/"):
            out |= {res[path]["notebook"][:2]} if path in res else earlier
    return out & earlier


def dependencies(nb_path: Path, chosen: list[Path], root: Path = ROOT) -> set[str]:
    """The chosen notebooks this one waits for: owners of the tables it read in its last run."""
    earlier = {_number(nb) for nb in chosen if _number(nb) < _number(nb_path)}
    meta = nbformat.read(nb_path, as_version=4).metadata.get(META_KEY, {})
    if "inputs" not in meta:
        return earlier
    return owners(meta["inputs"], earlier, root)


@dataclass
class Plan:
    """What is left to run, what has finished, and what waits for what."""

    chosen: list[Path]
    deps: dict[str, set[str]]
    pending: list[str]
    settled: set[str] = field(default_factory=set)
    retried: set[str] = field(default_factory=set)

    @classmethod
    def make(cls, chosen: list[Path], root: Path = ROOT) -> Plan:
        deps = {_number(nb): dependencies(nb, chosen, root) for nb in chosen}
        return cls(chosen, deps, sorted(deps))

    def path(self, number: str) -> Path:
        return next(nb for nb in self.chosen if _number(nb) == number)

    def earlier(self, number: str) -> set[str]:
        return {n for n in self.deps if n < number}

    def ready(self) -> str | None:
        """The lowest pending notebook whose dependencies have all finished."""
        return next((n for n in self.pending if self.deps[n] <= self.settled), None)

    def again(self, number: str) -> bool:
        """Queue a notebook once more, after every earlier one (False if it already was)."""
        if number in self.retried:
            return False
        self.retried.add(number)
        self.deps[number] = self.earlier(number)
        self.pending = sorted({*self.pending, number})
        return True


def _worker(nb_path: Path, allowed: set[str], earlier: set[str], conn: Connection, env: dict):
    """Run one notebook in a forked process; report ``(status, message)`` on ``conn``."""
    reads.watch(env["runner"])  # end with the runner, as its kernel ends with this process
    for var in BLAS_THREADS:
        os.environ.setdefault(var, str(env["threads"]))

    def accept(inputs: list[str]) -> None:
        late = owners(inputs, earlier) - allowed
        if late:
            raise Premature(f"it read tables of {', '.join(sorted(late))}, not finished yet")

    try:
        run_notebook(nb_path, {}, accept=accept)
        conn.send(("ok", ""))
    except Premature as err:
        conn.send(("early", str(err)))
    except Exception as err:  # papermill's message holds the cell's traceback
        conn.send(("error", f"{type(err).__name__}: {str(err)[-2000:]}"))
    finally:
        conn.close()


@dataclass
class Running:
    number: str
    proc: mp.process.BaseProcess
    conn: Connection
    started: float
    early: bool  # started while an earlier notebook had not finished


def _start(plan: Plan, number: str, threads: int) -> Running:
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    earlier = plan.earlier(number)
    env = {"runner": os.getpid(), "threads": threads}
    args = (plan.path(number), set(plan.settled), earlier, send, env)
    sys.stdout.flush()
    sys.stderr.flush()  # a forked child must not print the parent's buffered lines again
    proc = ctx.Process(target=_worker, args=args, daemon=True)
    proc.start()
    send.close()
    return Running(number, proc, receive, time.perf_counter(), not earlier <= plan.settled)


def _result(job: Running) -> tuple[str, str]:
    try:
        status, msg = job.conn.recv()
    except (EOFError, OSError):
        status, msg = "error", "the worker died"
    job.proc.join()
    if status == "error" and job.proc.exitcode not in (0, None):
        msg += f" (exit code {job.proc.exitcode})"
    return status, msg


def report_failure(name: str, msg: str) -> None:
    print(f"FAILED {name}: {msg}", file=sys.stderr)
    print(
        "the committed notebook was left as it was; the failed run is in .cache/failed/",
        file=sys.stderr,
    )


def _launch(plan: Plan, running: dict, jobs: int, force: bool) -> None:
    """Start (or skip) every ready notebook while a worker slot is free."""
    while len(running) < jobs and (number := plan.ready()) is not None:
        plan.pending.remove(number)
        nb_path = plan.path(number)
        current, why = is_current(nb_path, {})  # judged now: its inputs have settled
        if current and not force and number not in plan.retried:
            print(f"skip {nb_path.name}: unchanged since its last run", flush=True)
            plan.settled.add(number)
            continue
        print(f"run  {nb_path.name}: {why if not force else 'forced'}", flush=True)
        job = _start(plan, number, max(1, (os.cpu_count() or 1) // jobs))
        running[job.proc.sentinel] = job


def run_parallel(chosen: list[Path], force: bool, jobs: int, root: Path = ROOT) -> int:
    """Run the chosen notebooks, up to ``jobs`` at a time; 1 if one failed."""
    plan = Plan.make(chosen, root)
    running: dict[int, Running] = {}
    failed = False
    while plan.pending or running:
        if not failed:
            _launch(plan, running, jobs, force)
        if not running:
            break
        for sentinel in wait(list(running)):
            job = running.pop(sentinel)  # type: ignore[call-overload]
            name = plan.path(job.number).name
            status, msg = _result(job)
            if status == "ok":
                print(f"     {name} done in {time.perf_counter() - job.started:.1f} s", flush=True)
                plan.settled.add(job.number)
            elif (status == "early" or job.early) and plan.again(job.number):
                why = msg if status == "early" else "failed while earlier notebooks ran"
                print(f"again {name}: {why}; it runs after them", flush=True)
            else:
                report_failure(name, msg)
                failed = True
    if failed and plan.pending:
        names = ", ".join(plan.path(n).name for n in plan.pending)
        print(f"not run after the failure: {names}", file=sys.stderr)
    return 1 if failed else 0

"""Order the notebooks and run them, up to ``--jobs`` at a time.

A notebook is *ready* once every earlier notebook whose tables it read in its last run has
finished (a notebook never run yet waits for all earlier ones); 02..05 thus run beside each other
once 01 has finished. Ready notebooks start first, and whether one is current is judged when it is
ready, exactly as in a run one after another.

A worker slot that no ready notebook can use starts a notebook *ahead* of the earlier ones it
waits for: the last pending one that has run before and must run anyway (forced, or not current
on the tables as they are). It reads the tables those notebooks last committed while they run
again. Whatever a notebook read, it is committed only once the earlier notebooks whose tables it
read have finished, and only if each table it read is byte for byte what it was when it started;
otherwise it runs again after all earlier notebooks, so every committed notebook ran on the tables
a run one after another would have given it. (Each table is written once per run, by one notebook,
with an atomic rename, so a table equal at start and end is the table that was read.) A cold run
thus overlaps 07 with the 01 -> 02..05 chain. A notebook that fails while it ran ahead also runs
again after them; one that fails otherwise stops the run: nothing new starts, the running ones
finish, its committed notebook is left as it was.

Each notebook runs in a forked worker (one kernel each) that only executes it; this process
checks and commits it, and ``datapackage.json`` is updated under a lock (``core.atomic.locked``).
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
from .runner import DP, META_KEY, _number, _resources, _sha, commit, execute, is_current

# each kernel gets its share of the cores for BLAS: two kernels with a thread per core each would
# oversubscribe the machine (unless the user set these)
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


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


def _meta(nb_path: Path) -> dict:
    return nbformat.read(nb_path, as_version=4).metadata.get(META_KEY, {})


def dependencies(nb_path: Path, chosen: list[Path], root: Path = ROOT) -> set[str]:
    """The chosen notebooks this one waits for: owners of the tables it read in its last run."""
    earlier = {_number(nb) for nb in chosen if _number(nb) < _number(nb_path)}
    meta = _meta(nb_path)
    if "inputs" not in meta:
        return earlier
    return owners(meta["inputs"], earlier, root)


def table_hashes(root: Path = ROOT) -> dict[str, str]:
    """sha256 of every file in ``data_processed`` (bookkeeping and temporary files aside)."""
    out = {}
    for f in sorted((root / DP).glob("*")):
        if f.is_file() and not f.name.startswith(".") and f.name != "datapackage.json":
            out[f"{DP}/{f.name}"] = _sha(f.read_bytes())
    return out


@dataclass
class Plan:
    """What is left to run, what has finished, and what waits for what."""

    chosen: list[Path]
    deps: dict[str, set[str]]
    pending: list[str]
    known: set[str]  # notebooks that ran before (their inputs are recorded)
    settled: set[str] = field(default_factory=set)
    retried: set[str] = field(default_factory=set)
    not_ahead: set[str] = field(default_factory=set)  # current as things were: wait until ready

    @classmethod
    def make(cls, chosen: list[Path], root: Path = ROOT) -> Plan:
        deps = {_number(nb): dependencies(nb, chosen, root) for nb in chosen}
        known = {_number(nb) for nb in chosen if "inputs" in _meta(nb)}
        return cls(chosen, deps, sorted(deps), known)

    def path(self, number: str) -> Path:
        return next(nb for nb in self.chosen if _number(nb) == number)

    def earlier(self, number: str) -> set[str]:
        return {n for n in self.deps if n < number}

    def ready(self) -> str | None:
        """The lowest pending notebook whose dependencies have all finished."""
        return next((n for n in self.pending if self.deps[n] <= self.settled), None)

    def ahead(self, force: bool) -> str | None:
        """The last pending notebook that can start before its dependencies have finished: it
        ran before, is not a second attempt, and must run anyway (forced, or not current)."""
        for n in reversed(self.pending):
            if n in self.known and n not in self.retried and n not in self.not_ahead:
                if force or not is_current(self.path(n), {})[0]:
                    return n
                self.not_ahead.add(n)
        return None

    def again(self, number: str) -> bool:
        """Queue a notebook once more, after every earlier one (False if it already was)."""
        if number in self.retried:
            return False
        self.retried.add(number)
        self.deps[number] = self.earlier(number)
        self.pending = sorted({*self.pending, number})
        return True


def _worker(nb_path: Path, conn: Connection, env: dict) -> None:
    """Execute one notebook in a forked process; report ``(status, message, tmp, inputs)``."""
    reads.watch(env["runner"])  # end with the runner, as its kernel ends with this process
    for var in BLAS_THREADS:
        os.environ.setdefault(var, str(env["threads"]))
    try:
        tmp, inputs = execute(nb_path, {})
        conn.send(("ran", "", str(tmp), inputs))
    except Exception as err:  # papermill's message holds the cell's traceback
        conn.send(("error", f"{type(err).__name__}: {str(err)[-2000:]}", "", []))
    finally:
        conn.close()


@dataclass
class Job:
    """A notebook started in a worker, and what was true when it started."""

    number: str
    proc: mp.process.BaseProcess
    conn: Connection
    started: float
    unsettled: set[str]  # earlier notebooks that had not finished when it started
    tables: dict[str, str]  # sha256 of the tables when it started
    tmp: Path | None = None
    inputs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def waits_for(self, plan: Plan) -> set[str]:
        """Earlier notebooks, unfinished at its start, whose tables it read and that have not
        finished yet: it is checked once they have."""
        return owners(self.inputs, self.unsettled) - plan.settled


def _start(plan: Plan, number: str, threads: int) -> Job:
    import papermill  # noqa: F401  (imported once here, not in every forked worker: 1.5 s each)

    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    env = {"runner": os.getpid(), "threads": threads}
    sys.stdout.flush()
    sys.stderr.flush()  # a forked child must not print the parent's buffered lines again
    proc = ctx.Process(target=_worker, args=(plan.path(number), send, env), daemon=True)
    unsettled = plan.earlier(number) - plan.settled
    tables = table_hashes() if unsettled else {}
    proc.start()
    send.close()
    return Job(number, proc, receive, time.perf_counter(), unsettled, tables)


def _result(job: Job) -> tuple[str, str]:
    try:
        status, msg, tmp, inputs = job.conn.recv()
    except (EOFError, OSError):
        status, msg, tmp, inputs = "error", "the worker died", "", []
    job.proc.join()
    if status == "error" and job.proc.exitcode not in (0, None):
        msg += f" (exit code {job.proc.exitcode})"
    job.tmp, job.inputs = (Path(tmp) if tmp else None), inputs
    job.seconds = time.perf_counter() - job.started
    return status, msg


def report_failure(name: str, msg: str) -> None:
    print(f"FAILED {name}: {msg}", file=sys.stderr)
    print(
        "the committed notebook was left as it was; the failed run is in .cache/failed/",
        file=sys.stderr,
    )


def _launch(plan: Plan, running: dict, jobs: int, force: bool) -> None:
    """Start (or skip) ready notebooks while a worker slot is free, then notebooks ahead."""
    threads = max(1, (os.cpu_count() or 1) // jobs)
    while len(running) < jobs:
        if (number := plan.ready()) is not None:
            plan.pending.remove(number)
            nb_path = plan.path(number)
            current, why = is_current(nb_path, {})  # judged now: its inputs have settled
            if current and not force and number not in plan.retried:
                print(f"skip {nb_path.name}: unchanged since its last run", flush=True)
                plan.settled.add(number)
                continue
            print(f"run  {nb_path.name}: {why if not force else 'forced'}", flush=True)
        elif (number := plan.ahead(force)) is not None:
            plan.pending.remove(number)
            waits = ", ".join(sorted(plan.deps[number] - plan.settled))
            print(f"run  {plan.path(number).name}: ahead of {waits}", flush=True)
        else:
            return
        job = _start(plan, number, threads)
        running[job.proc.sentinel] = job


def _settle(plan: Plan, job: Job) -> bool:
    """Commit a notebook whose tables came out unchanged, or queue it again; False if it cannot
    run again (a second attempt that still read changing tables)."""
    name = plan.path(job.number).name
    now = table_hashes()
    changed = [p for p in job.inputs if p.startswith(f"{DP}/") and job.tables.get(p) != now.get(p)]
    if job.unsettled and changed:
        job.tmp.unlink(missing_ok=True)  # type: ignore[union-attr]
        shown = ", ".join(p.removeprefix(f"{DP}/") for p in changed[:3])
        print(f"again {name}: {shown} changed while it ran; it runs after them", flush=True)
        return plan.again(job.number)
    commit(plan.path(job.number), job.tmp, job.inputs, {})  # type: ignore[arg-type]
    print(f"     {name} done in {job.seconds:.1f} s", flush=True)
    plan.settled.add(job.number)
    return True


def _finish(plan: Plan, job: Job, held: list[Job]) -> bool:
    """Handle a worker that ended; False if the run has failed."""
    name = plan.path(job.number).name
    status, msg = _result(job)
    if status != "ran":
        if job.unsettled and plan.again(job.number):
            why = "failed while earlier notebooks ran; it runs after them"
            print(f"again {name}: {why}", flush=True)
            return True
        report_failure(name, msg)
        return False
    if waits := job.waits_for(plan):
        shown = ", ".join(sorted(waits))
        print(f"     {name} ran in {job.seconds:.1f} s; checked once {shown} end", flush=True)
        held.append(job)
        return True
    return _check(plan, job)


def _check(plan: Plan, job: Job) -> bool:
    try:
        if not _settle(plan, job):
            report_failure(plan.path(job.number).name, "its tables changed in both attempts")
            return False
    except Exception as err:
        report_failure(plan.path(job.number).name, f"{type(err).__name__}: {err}")
        return False
    return True


def run_parallel(chosen: list[Path], force: bool, jobs: int, root: Path = ROOT) -> int:
    """Run the chosen notebooks, up to ``jobs`` at a time; 1 if one failed."""
    plan = Plan.make(chosen, root)
    running: dict[int, Job] = {}
    held: list[Job] = []
    failed = False
    while plan.pending or running or held:
        if not failed:
            _launch(plan, running, jobs, force)
        if not running:
            break
        for sentinel in wait(list(running)):
            failed |= not _finish(plan, running.pop(sentinel), held)  # type: ignore[call-overload]
        while not failed and (done := [j for j in held if not j.waits_for(plan)]):
            for job in done:
                held.remove(job)
                failed |= not _check(plan, job)
    for job in held:  # their earlier notebooks failed: not committed
        job.tmp.unlink(missing_ok=True)  # type: ignore[union-attr]
    if failed and plan.pending:
        names = ", ".join(plan.path(n).name for n in plan.pending)
        print(f"not run after the failure: {names}", file=sys.stderr)
    return 1 if failed else 0

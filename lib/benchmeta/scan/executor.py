"""Map a function over items, each item in its own process with a time and memory budget.

    for item, out in map_items(fn, items, executor="local", workers=2,
                               budget=Budget(seconds=600, memory_bytes=4 << 30)):
        if isinstance(out, Failure): ...   # out.reason: timeout / memory / died / error

Every item runs in a fresh process (``forkserver`` where it exists and the temporary folder's
path is short enough for its socket, else ``spawn``: both work on Linux, macOS and Windows,
unlike ``fork`` with threads). The process gets ``RLIMIT_AS`` (memory) and is killed with all
its descendants when its wall-clock budget runs out, so one item that hangs, amplifies or dies
(out of memory, a signal) is reported as that item's ``Failure`` and the other items complete.
Where the processes are started is the executor's choice:

- ``"local"`` (default): this process starts up to ``workers`` item processes at a time;
- ``"dask"``: each item is a dask.distributed task (``address`` of a scheduler, or a ``Client``)
  that runs the item in its own process on the worker, with the same budget;
- any ``concurrent.futures.Executor``: the same, through ``submit``.

``fn`` and the items must be picklable (a module-level function). Results are yielded as they
complete; sort them if the order matters.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from concurrent.futures import as_completed as cf_as_completed
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

PRELOAD = ("benchmeta.scan.executor",)


@dataclass(frozen=True)
class Budget:
    """Limits of one item's process: wall-clock seconds and address space (``None``: none)."""

    seconds: float | None = None
    memory_bytes: int | None = None
    grace: float = 2.0  # seconds between SIGTERM and SIGKILL


@dataclass(frozen=True)
class Failure:
    """Why an item has no result: ``timeout``, ``memory``, ``died`` (killed, crashed) or
    ``error`` (an exception), with a one-line message."""

    reason: str
    message: str
    seconds: float = 0.0


def context(method: str | None = None) -> mp.context.BaseContext:
    """A multiprocessing context that is safe everywhere (forkserver, else spawn)."""
    if method is None:
        # the forkserver listens on a Unix socket in the temporary folder, whose path may not
        # exceed about 100 bytes: behind a long TMPDIR, spawn (pipes only) is used instead
        short = len(os.fsencode(tempfile.gettempdir())) <= 60
        ok = "forkserver" in mp.get_all_start_methods() and short
        method = "forkserver" if ok else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        # also makes the server inherit sys.path (multiprocessing sends it only with preloads)
        ctx.set_forkserver_preload(list(PRELOAD))
    return ctx


def _limit_memory(memory_bytes: int | None) -> None:
    if memory_bytes and sys.platform != "win32":
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _exit_with_parent(parent: int) -> None:
    """Leave when the process that started this one is gone (nobody waits for the result)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(3)


def _child(conn, fn: Callable, item: Any, memory_bytes: int | None) -> None:
    """Body of an item's process: run ``fn(item)`` and send ``(status, payload)``."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    try:
        _limit_memory(memory_bytes)
        msg: tuple = ("ok", fn(item))
    except MemoryError:
        msg = ("memory", "MemoryError: the item exceeded its memory budget")
    except BaseException as err:  # noqa: BLE001 - everything is reported to the parent
        msg = ("error", traceback.format_exception_only(type(err), err)[-1].strip())
    try:
        conn.send(msg)
    except Exception as err:  # an unpicklable result
        conn.send(("error", f"result could not be sent: {type(err).__name__}: {err}"))
    finally:
        conn.close()


def _kill_tree(proc: mp.process.BaseProcess, grace: float) -> None:
    """SIGTERM then SIGKILL ``proc`` and every process below it (new sessions included)."""
    try:
        import psutil

        kids = psutil.Process(proc.pid).children(recursive=True)
    except Exception:  # psutil missing or the process already gone
        kids = []
    for p in kids:
        try:
            p.kill()
        except Exception:  # noqa: S110 - already exited
            pass
    proc.terminate()
    proc.join(grace)
    if proc.is_alive():
        proc.kill()
        proc.join()


def _exit_failure(proc: mp.process.BaseProcess, seconds: float) -> Failure:
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return Failure("died", f"the item's process was killed by {name}", seconds)
    return Failure("died", f"the item's process exited with code {code} and no result", seconds)


def _local(
    fn: Callable, items: Iterable, workers: int, budget: Budget, method: str | None
) -> Iterator[tuple[Any, Any]]:
    """Run each item in its own process, at most ``workers`` at a time."""
    ctx = context(method)
    me = mp.current_process()
    if me.daemon:  # a dask worker process (daemonic by default) may start item processes too:
        me._config["daemon"] = False  # they exit by themselves when it does (_exit_with_parent)
    pending = deque(items)
    running: dict[Any, tuple[Any, Any, float]] = {}  # connection -> (item, process, start)
    while pending or running:
        while pending and len(running) < max(1, workers):
            item = pending.popleft()
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_child, args=(send, fn, item, budget.memory_bytes), daemon=True
            )
            proc.start()
            send.close()
            running[recv] = (item, proc, time.monotonic())
        timeout = None
        if budget.seconds is not None:
            first = min(t for _, _, t in running.values())
            timeout = max(0.0, first + budget.seconds - time.monotonic())
        ready = set(wait([*running, *(p.sentinel for _, p, _ in running.values())], timeout))
        now = time.monotonic()
        for conn, (item, proc, start) in list(running.items()):
            spent = now - start
            if conn in ready or proc.sentinel in ready:
                out = _receive(conn, proc, spent)
            elif budget.seconds is not None and spent >= budget.seconds:
                _kill_tree(proc, budget.grace)
                out = Failure("timeout", f"killed after its {budget.seconds:g} s budget", spent)
            else:
                continue
            conn.close()
            del running[conn]
            yield item, out


def _receive(conn, proc: mp.process.BaseProcess, spent: float) -> Any:
    try:
        status, payload = conn.recv() if conn.poll() else (None, None)
    except (EOFError, OSError):
        status, payload = None, None
    proc.join(5)
    if proc.is_alive():
        proc.kill()
        proc.join()
    if status == "ok":
        return payload
    if status is None:
        return _exit_failure(proc, spent)
    return Failure(status, payload, spent)


def run_isolated(
    fn: Callable, item: Any, budget: Budget | None = None, method: str | None = None
) -> Any:
    """``fn(item)`` in a process of its own under ``budget``: its result or a ``Failure``."""
    return next(_local(fn, [item], 1, budget or Budget(), method))[1]


def _futures(
    submit: Callable, fn: Callable, items: list, budget: Budget, as_completed: Callable
) -> Iterator[tuple[Any, Any]]:
    futs = {submit(run_isolated, fn, item, budget): item for item in items}
    for fut in as_completed(futs):
        item = futs[fut]
        try:
            yield item, fut.result()
        except Exception as err:  # the worker running the item died or the task was lost
            msg = traceback.format_exception_only(type(err), err)[-1].strip()
            yield item, Failure("died", f"executor lost the item: {msg}")


def map_items(
    fn: Callable,
    items: Iterable,
    *,
    executor: str | Executor = "local",
    workers: int | None = None,
    budget: Budget | None = None,
    address: Any = None,
    method: str | None = None,
) -> Iterator[tuple[Any, Any]]:
    """Yield ``(item, fn(item) or Failure)`` for every item, in completion order."""
    items = list(items)
    budget = budget or Budget()
    if isinstance(executor, Executor):
        yield from _futures(executor.submit, fn, items, budget, cf_as_completed)
    elif executor == "local":
        yield from _local(fn, items, workers or os.cpu_count() or 1, budget, method)
    elif executor == "dask":
        from distributed import Client
        from distributed import as_completed as dask_as_completed

        if address is None:
            raise ValueError("executor 'dask' needs a scheduler address (or a Client)")
        client = address if isinstance(address, Client) else Client(address)
        try:

            def submit(f, *args):
                return client.submit(f, *args, pure=False)

            yield from _futures(submit, fn, items, budget, dask_as_completed)
        finally:
            if client is not address:
                client.close()
    else:
        raise ValueError(f"unknown executor {executor!r} (local, dask or an Executor)")

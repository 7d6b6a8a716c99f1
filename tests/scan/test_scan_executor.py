"""The executor: each item in its own process, killed on overrun, failures per item."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmeta.scan.executor import Budget, Failure, map_items, run_isolated
from scan_workers import work

pytestmark = pytest.mark.xdist_group("scan_executor")
BUDGET = Budget(seconds=5, memory_bytes=768 << 20, grace=0.5)


def _outcomes(pairs):
    return {item: (out.reason if isinstance(out, Failure) else out) for item, out in pairs}


def test_local_failures_are_per_item():
    t0 = time.monotonic()
    got = _outcomes(map_items(work, [1, 2, 3, 4, 5, 6, 7], workers=2, budget=BUDGET))
    assert got == {1: 1, 2: 4, 3: "died", 4: "timeout", 5: "memory", 6: "error", 7: 49}
    assert time.monotonic() - t0 < 40  # the sleeping item (60 s) was cut


def test_messages_say_what_happened():
    assert "SIGKILL" in run_isolated(work, 3, BUDGET).message
    assert "5 s budget" in run_isolated(work, 4, BUDGET).message
    assert "bad item 6" in run_isolated(work, 6, BUDGET).message


def test_any_futures_executor():
    with ThreadPoolExecutor(2) as pool:
        got = _outcomes(map_items(work, [2, 3, 6], executor=pool, budget=BUDGET))
    assert got == {2: 4, 3: "died", 6: "error"}


def test_dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=":0",
    ) as cluster:
        got = _outcomes(
            map_items(
                work,
                [1, 2, 3, 6],
                executor="dask",
                budget=BUDGET,
                address=cluster.scheduler_address,
            )
        )
    assert got == {1: 1, 2: 4, 3: "died", 6: "error"}
    with pytest.raises(ValueError, match="scheduler address"):
        list(map_items(work, [1], executor="dask"))


def test_items_start_from_a_daemonic_worker():
    """dask's worker processes are daemonic, and multiprocessing forbids them children."""
    from benchmeta.scan.executor import context
    from scan_workers import nested

    ctx = context()
    queue = ctx.Queue()
    proc = ctx.Process(target=nested, args=(queue,), daemon=True)
    proc.start()
    assert queue.get(timeout=30) == 4
    proc.join(10)

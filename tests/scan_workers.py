"""Module-level functions for the executor tests (item processes import them by name)."""

from __future__ import annotations

import os
import signal
import time


def work(item: int) -> int:
    """Square ``item``; item 3 kills its own process, 4 sleeps, 5 eats memory, 6 raises."""
    if item == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    if item == 4:
        time.sleep(60)
    if item == 5:
        hog = [bytearray(1 << 20) for _ in range(4096)]  # 4 GB, over the budget
        return len(hog)
    if item == 6:
        raise ValueError("bad item 6")
    return item * item


def nested(queue) -> None:
    """In a daemonic process (as a dask worker's): run an item in a process of its own."""
    from benchmeta.scan.executor import run_isolated

    queue.put(run_isolated(work, 2))

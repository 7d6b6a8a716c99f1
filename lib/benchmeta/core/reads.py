"""What a notebook read, recorded while it runs, so that ``make reproduce`` reruns a notebook only
when one of *its own* inputs changed.

The reproduce runner starts each kernel with ``BENCHMETA_READS`` naming a file; importing
``benchmeta`` in that kernel installs a ``sys.addaudithook`` hook that appends every file opened
for reading under ``data_raw/`` or ``data_processed/`` (and every ``data_raw/`` folder listed, so a
file dropped into a folder a notebook globs counts as its input) to that file, one path per line.
``datapackage.json`` and ``MANIFEST.csv`` are bookkeeping, not inputs: a table's or raw file's own
content hash stands for it.

The same start-up also watches the runner: with ``BENCHMETA_RUNNER_PID`` set, a daemon thread ends
the kernel when that process is gone, so a killed ``make reproduce`` leaves no kernel writing
figures behind it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from .paths import ROOT

READS_ENV = "BENCHMETA_READS"
RUNNER_ENV = "BENCHMETA_RUNNER_PID"
BOOKKEEPING = {"datapackage.json", "MANIFEST.csv"}
FOLDERS = ("data_raw", "data_processed")
WATCH_SECONDS = 0.5

_seen: set[str] = set()
_written: set[str] = set()  # what this process wrote (atomic renames): reading it back is no input


def relative_input(path: object, root: Path = ROOT) -> str | None:
    """``data_raw/...`` or ``data_processed/...`` for a path inside them, else None."""
    if isinstance(path, int | bytes) or path is None:
        return None
    try:
        rel = Path(os.path.abspath(os.fspath(path))).relative_to(root)
    except (TypeError, ValueError):
        return None
    if not rel.parts or rel.parts[0] not in FOLDERS or rel.name in BOOKKEEPING:
        return None
    if any(part.startswith(".") for part in rel.parts):  # temporary files of atomic writes
        return None
    return rel.as_posix()


def _is_read(mode: object, flags: object) -> bool:
    if isinstance(mode, str):
        return not any(c in mode for c in "wax+")
    if isinstance(flags, int):
        return flags & (os.O_WRONLY | os.O_RDWR) == 0
    return True


def _record(line: str, log: Path) -> None:
    if line in _seen:
        return
    _seen.add(line)
    with open(log, "a", encoding="utf-8") as fh:  # opened for writing: the hook ignores it
        fh.write(line + "\n")


def _hook(log: Path, root: Path):
    def hook(event: str, args: tuple) -> None:
        if (
            event == "open"
            and args
            and _is_read(args[1] if len(args) > 1 else None, args[2] if len(args) > 2 else None)
        ):
            rel = relative_input(args[0], root)
            if rel is not None and rel not in _written and not os.path.isdir(args[0]):
                _record(rel, log)
        elif event == "os.rename" and len(args) > 1:
            rel = relative_input(args[1], root)
            if rel is not None:
                _written.add(rel)
        elif event in ("os.scandir", "os.listdir") and args:
            rel = relative_input(args[0], root)
            if rel is not None and rel.startswith("data_raw"):
                _record(rel.rstrip("/") + "/", log)

    return hook


def _watch(pid: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(137)
        except PermissionError:  # the pid was reused by another user's process: runner is gone
            os._exit(137)


def watch(pid: int) -> None:
    """End this process (exit 137) once process ``pid`` is gone (a daemon thread)."""
    threading.Thread(target=_watch, args=(pid,), daemon=True).start()


def install_from_env(root: Path = ROOT) -> None:
    """Start recording reads (and watching the runner) when the runner asked for it."""
    log = os.environ.get(READS_ENV)
    if log and not getattr(sys, "_benchmeta_reads", None):
        sys._benchmeta_reads = log  # type: ignore[attr-defined]  (once per interpreter)
        sys.addaudithook(_hook(Path(log), root))
    pid = os.environ.get(RUNNER_ENV)
    if pid and pid.isdigit() and not getattr(sys, "_benchmeta_watch", None):
        sys._benchmeta_watch = True  # type: ignore[attr-defined]
        watch(int(pid))


def recorded(log: Path | str | None = None) -> list[str]:
    """The inputs recorded so far (sorted), from ``log`` or this process's own record."""
    path = log or os.environ.get(READS_ENV)
    if not path or not Path(path).exists():
        return sorted(_seen)
    return sorted({ln for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln})

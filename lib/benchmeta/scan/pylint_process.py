"""One pylint process on untrusted code, isolated.

Each run is ``python -I`` with our rcfile (``pylintrc`` beside this module), an empty working
folder, an empty temporary HOME and PYLINTHOME, no $PYLINTRC, no plugins,
``--output-format=json2``, ``--jobs=1``, a timeout and an ``RLIMIT_CPU`` of the same length; a
run whose parent dies (a scan killed mid-run) exits by itself. That is not enough on its own:
pylint puts the scanned folders at the FRONT of ``sys.path`` while linting and imports ``isort``
lazily, and astroid's brains import some modules (``gi``) for real, so a scanned ``isort.py`` or
``gi.py`` would run. The interpreter therefore gets an import guard that refuses any module
found inside the scanned tree, comparing real paths (symlinks resolved: a temporary folder
behind a symlink, as on macOS, must not open a way around it), and pylint's lazy imports are
made before linting. Once pylint's checkers are loaded, site-packages also leaves ``sys.path``,
so astroid sees no installed third-party package and every repository is analysed as if its
dependencies were absent.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .sandbox import scrubbed_env

RCFILE = Path(__file__).with_name("pylintrc")

# Run as `python -I -c GUARD <scan-root> <pylint args...>`.
GUARD = r"""
import os, sys, threading, time
from importlib.machinery import PathFinder
ROOT = os.path.realpath(sys.argv.pop(1)).rstrip("/") + "/"
_PARENT = os.getppid()

def _exit_with_parent():  # a scan killed mid-run must not leave pylint running
    while os.getppid() == _PARENT:
        time.sleep(0.5)
    os._exit(3)

threading.Thread(target=_exit_with_parent, daemon=True).start()

def _inside(where):
    real = os.path.realpath(where) if where else ""
    return real.startswith(ROOT) or real + "/" == ROOT

class _ScannedCodeGuard:
    @staticmethod
    def find_spec(name, path=None, target=None):
        spec = PathFinder.find_spec(name, path)
        if spec is not None:
            where = [spec.origin or ""] + list(spec.submodule_search_locations or [])
            if any(_inside(str(w)) for w in where):
                raise ImportError("benchmeta: refusing to import scanned code: " + name)
        return None

class _InstalledOnly:
    @staticmethod
    def find_spec(name, path=None, target=None):
        return PathFinder.find_spec(name, SITE) if path is None else None

SITE = [p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages"))]
sys.meta_path.insert(0, _ScannedCodeGuard)
sys.meta_path.append(_InstalledOnly)
sys.argv[0] = "pylint"
import pylint.lint.pylinter as _pylinter
_check = _pylinter.PyLinter.check

def _check_without_site_packages(self, files_or_modules):
    import isort, isort.api, pylint.lint.parallel, concurrent.futures, multiprocessing  # noqa
    sys.path[:] = [p for p in sys.path if p not in SITE]
    return _check(self, files_or_modules)

_pylinter.PyLinter.check = _check_without_site_packages
from pylint import run_pylint
run_pylint()
"""


def pylint_command(root: Path, files: list[str], extra: list[str]) -> list[str]:
    """The command line of one guarded pylint run over ``files`` (absolute paths) under ``root``."""
    return [
        sys.executable,
        "-I",
        "-c",
        GUARD,
        str(root),
        f"--rcfile={RCFILE}",
        "--output-format=json2",
        "--jobs=1",
        "--persistent=n",
        "--load-plugins=",
        "--evaluation=statement",
        "--score=y",
        *extra,
        "--",
        *files,
    ]


def _cpu_limit(seconds: float):
    """A ``preexec_fn`` setting ``RLIMIT_CPU`` a little above ``seconds`` (``None`` on Windows)."""

    def limit() -> None:
        import resource

        cpu = int(seconds) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))

    return limit if sys.platform != "win32" else None


def run_once(root: Path, files: list[str], timeout: float, extra: list[str]) -> dict | str:
    """One pylint process; its json2 dict, or ``"timeout"`` / ``"crash"``."""
    if timeout <= 0:
        return "timeout"
    work = Path(tempfile.mkdtemp(prefix="bm-pylint-"))
    home, cwd = work / "home", work / "cwd"
    home.mkdir()
    cwd.mkdir()
    env = scrubbed_env(str(home))
    env["PYLINTHOME"] = str(home / "pylint")
    abs_files = [str(root / f) for f in files]
    try:
        proc = subprocess.Popen(
            pylint_command(root, abs_files, extra),
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_cpu_limit(timeout),
        )
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return "timeout"
        try:
            data = json.loads(out.decode("utf-8", "replace"))
        except ValueError:
            return "crash"
        return data if isinstance(data, dict) and "statistics" in data else "crash"
    finally:
        shutil.rmtree(work, ignore_errors=True)

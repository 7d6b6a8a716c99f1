"""``python -m benchmeta reproduce``: verify raw data, then run the notebooks that changed.

A notebook is skipped when nothing it depends on has changed since its last run. Its fingerprint
(stored in the notebook's metadata) hashes: its own cell sources, the parameters, the git-tracked
sources of ``benchmeta``, ``requirements.txt``, and *its own inputs*: the raw files and earlier
notebooks' tables it read during its last run, and the MANIFEST rows of every raw folder it listed
(recorded by ``core.reads``), so adding a leaderboard reruns only the notebook that reads
leaderboards. Its outputs (tables and ``figures/NN_*``) must also still be as it left them.

Before any notebook runs, the inputs of the notebooks about to run are validated (``PREFLIGHT``),
so a bad file fails in seconds with its file, line and value. Notebooks run up to ``--jobs`` at a
time (default: one per core): each starts once the earlier notebooks whose tables it read have
finished, and a slot no such notebook can use starts a later one *ahead* of them, on the tables
they last committed; it is kept only if those tables come out of their rerun byte for byte
unchanged, else it runs again after them (``schedule``). So a cold run overlaps 07 with the 01 ->
02..05 chain (``--jobs 1``: one after another, in order). Notebooks are executed with papermill
into a temporary file under ``.cache/tmp`` and replace the committed notebook only on success; the
executed notebook is then normalised (no timestamps, no timings, no machine paths) so that an
unchanged rerun is byte-identical. Temporary files of an interrupted run are swept at the next
start, and a kernel ends when its runner is killed.
"""

import sys as _sys

# jsonschema (under nbformat) imports rfc3987_syntax when it is installed, only to check "iri"
# formats, which no notebook schema uses; building its grammar costs 2-3 s of every run
_sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from .cli import PREFLIGHT, main, preflight  # noqa: E402
from .runner import (  # noqa: E402
    META_KEY,
    code_hash,
    fingerprint,
    input_hashes,
    is_current,
    normalise,
    notebooks,
    outputs,
    run_notebook,
    sweep,
    uncommitted,
)
from .schedule import dependencies, run_parallel  # noqa: E402

__all__ = [
    "META_KEY",
    "PREFLIGHT",
    "code_hash",
    "dependencies",
    "fingerprint",
    "input_hashes",
    "is_current",
    "main",
    "normalise",
    "notebooks",
    "outputs",
    "preflight",
    "run_notebook",
    "run_parallel",
    "sweep",
    "uncommitted",
]

"""benchmeta: the helper library of the benchmark-of-benchmarks compendium.

Packages follow the research questions, and layers import downward only (contracts in
pyproject.toml): application (``__main__``, ``reproduce``, ``collect``) -> presentation and
cross-question analysis (``figures``, ``influence``) -> questions (``papers``, ``repositories``,
``leaderboards``) -> measurement (``scan``) -> foundation (``core``, ``stats``).
"""

import os as _os

__version__ = "0.1.0"

if _os.environ.get("BENCHMETA_READS") or _os.environ.get("BENCHMETA_RUNNER_PID"):
    from .core import reads as _reads  # a notebook kernel started by the reproduce runner

    _reads.install_from_env()

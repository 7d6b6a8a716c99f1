"""benchmeta: the helper library of the benchmark-of-benchmarks compendium.

Layers import downward only: presentation and statistics (``figures``, ``stats``) sit on top of
domain modules (``leaderboards``, ``models``, ``trends``, ``records`` ...), which sit on the
provenance layer (``paths``, ``manifest``, ``tables``, ``errors``).
"""

__version__ = "0.1.0"

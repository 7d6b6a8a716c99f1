"""Static scanning of untrusted repositories: history, quality, vendored code, readiness.

Nothing from a scanned repository is executed or imported. Entry points: ``scan_many`` (many
repositories, each in its own budgeted process, locally or on a dask cluster), ``scan_repo``
(one), and the command line ``python -m benchmeta scan``. ``executor.map_items`` is the
general tool underneath: any picklable function over any items, one budgeted process per item,
a failure per item instead of an aborted run.
"""

from .run import RepoSpec, ScanResults, Settings, scan_many, scan_repo, tool_versions

__all__ = ["RepoSpec", "ScanResults", "Settings", "scan_many", "scan_repo", "tool_versions"]

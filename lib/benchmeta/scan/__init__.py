"""Static scanning of untrusted repositories: history, quality, vendored code, readiness.

Nothing from a scanned repository is executed or imported. Entry points: ``scan_many`` (many
repositories through a ``concurrent.futures`` executor), ``scan_repo`` (one), and the command
line ``python -m benchmeta scan``.
"""

from .run import RepoSpec, ScanResults, Settings, scan_many, scan_repo, tool_versions

__all__ = ["RepoSpec", "ScanResults", "Settings", "scan_many", "scan_repo", "tool_versions"]

"""Scan results cached by ``repo@sha``, tool versions and scanner settings.

One JSON file per key, written atomically (temporary file + ``os.replace``), so several processes
can add entries at once and a crash never leaves half an entry: the cache only ever grows.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..core import atomic


class ResultCache:
    """A folder of cached scan results; ``None`` folder disables caching."""

    def __init__(self, folder: Path | str | None):
        self.folder = Path(folder) if folder else None

    @staticmethod
    def key(repo: str, sha: str, versions: dict, settings: dict) -> str:
        blob = json.dumps(
            {"repo": repo, "sha": sha, "versions": versions, "settings": settings}, sort_keys=True
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: dict) -> None:
        if self.folder is not None:
            atomic.write_text(self._path(key), json.dumps(value, default=str))

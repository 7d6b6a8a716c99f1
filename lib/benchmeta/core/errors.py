"""One error type for bad input: it always names the file, the line and the offending value."""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """Bad input data. ``str(err)`` reads ``file:line: message (value: ...)``."""

    def __init__(self, path: str | Path, line: int | None, message: str, value: object = None):
        self.path = _shown(Path(path))
        self.line = line
        if hasattr(value, "item") and callable(value.item):  # numpy scalar -> Python value
            value = value.item()
        self.value = value
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        shown = "" if value is None else f" (value: {value!r})"
        super().__init__(f"{where}: {message}{shown}")


def _shown(path: Path) -> str:
    """The path relative to the compendium root when it lies inside it (no machine paths)."""
    from .paths import ROOT

    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def csv_line(row_index: int) -> int:
    """Line number in a CSV file (header on line 1) of the 0-based data row ``row_index``."""
    return int(row_index) + 2

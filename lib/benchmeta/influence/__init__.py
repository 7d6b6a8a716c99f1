"""Notebooks 05-06: do benchmark papers get more attention, and does it track code quality."""

from . import schemas  # noqa: F401  (declares this package's data_processed tables)

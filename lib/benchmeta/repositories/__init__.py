"""Notebooks 02-04: are benchmark repositories maintained, well written and ready to use."""

from . import schemas  # noqa: F401  (declares this package's data_processed tables)

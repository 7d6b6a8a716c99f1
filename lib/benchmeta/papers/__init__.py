"""Notebook 01: which papers are in, and how reliably was that decided."""

from . import schemas  # noqa: F401  (declares this package's data_processed tables)

"""Notebook 07: are LLMs getting safer on public safety leaderboards, and can they still tell."""

from . import schemas  # noqa: F401  (declares this package's data_processed tables)

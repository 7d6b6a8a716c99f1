"""Benchmark passports (07's closing section): one row per safety benchmark, joining its paper
(01), its repository's health (02-04), its attention (05-06) and its life on leaderboards (07)."""

from . import schemas  # noqa: F401  (declares this package's data_processed tables)

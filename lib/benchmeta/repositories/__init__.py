"""Notebooks 02-04: are benchmark repositories maintained, well written and ready to use."""

from . import schemas, schemas_installability, schemas_robustness  # noqa: F401  (declare this package's tables)

"""One importer per leaderboard source, registered by raw file name in ``IMPORTERS``.

An importer reads one file under ``data_raw/leaderboards/`` and returns rows in the tidy schema
(``schema.COLUMNS`` plus ``_file``/``_line`` for error messages); validation happens in
``schema.validate``. A CSV with no importer must already be in the tidy schema.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .confabulations import import_confabulations
from .helm import HELM_SCENARIOS, HELM_SOURCE, SEED_HELM, import_helm_staging, import_seed_helm
from .llmstats import import_llmstats
from .safetywashing import (
    SAFETYWASHING_CAPABILITY,
    SAFETYWASHING_SAFETY,
    import_safetywashing_chat,
    safetywashing_capabilities,
)
from .seed import SEED_COMBINED, import_seed_combined
from .sorry_bench import import_sorry_bench
from .trustllm import import_trustllm
from .vectara import import_vectara

Importer = Callable[[Path, Path], pd.DataFrame]
IMPORTERS: dict[str, Importer] = {
    "helm_staging_results_v1.17.0.csv": import_helm_staging,
    "seed_helm_safety_v1.5.0.csv": import_seed_helm,
    "seed_combined_safety_benchmarks.csv": import_seed_combined,
    "safetywashing_benchmarks_chat_models.csv": import_safetywashing_chat,
    "vectara_hallucination_history.csv": import_vectara,
    "sorry_bench_categories.csv": import_sorry_bench,
    "confabulations_history.csv": import_confabulations,
    "trustllm_leaderboard.csv": import_trustllm,
    "llmstats_scores.csv": import_llmstats,
}
# Raw files that importers read for metadata, or that are kept but not imported.
AUXILIARY = {
    "safetywashing_benchmarks_info.csv",
    "safetywashing_benchmarks_base_models.csv",
    "publication_dates.csv",  # when each board last published (collect publication-dates)
}


__all__ = [
    "AUXILIARY",
    "HELM_SCENARIOS",
    "HELM_SOURCE",
    "IMPORTERS",
    "SAFETYWASHING_CAPABILITY",
    "SAFETYWASHING_SAFETY",
    "SEED_COMBINED",
    "SEED_HELM",
    "import_helm_staging",
    "import_safetywashing_chat",
    "import_seed_combined",
    "import_seed_helm",
    "safetywashing_capabilities",
]

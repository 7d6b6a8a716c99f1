"""Import leaderboard source files from a local folder into ``data_raw/leaderboards/``.

    python -m benchmeta collect leaderboards --from FOLDER [--retrieved-at YYYY-MM-DD]

Files are copied byte for byte (every source here allows redistribution) and get a MANIFEST
row with their origin, licence and attribution. The folder is an argument, never a fixed path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..core import manifest
from ..core.paths import DATA_RAW

COLLECTOR = "python -m benchmeta collect leaderboards"
HELM_CRFM = "Stanford CRFM, HELM Safety (https://crfm.stanford.edu/helm/safety/)"


@dataclass(frozen=True)
class Source:
    file: str
    source: str
    url: str
    licence: str
    attribution: str


SOURCES = [
    Source(
        "helm_staging_results_v1.17.0.csv",
        "faizghifari/llm-coginterp @ c7a86a0f46e3fb4d09a5f07db4d2f4abc41c27e9, "
        "data/staging_helm_results.csv (HELM results, release v1.17.0)",
        "https://github.com/faizghifari/llm-coginterp/blob/c7a86a0f46e3fb4d09a5f07db4d2f4abc41c27e9/"
        "data/staging_helm_results.csv",
        "MIT (extraction); HELM results Apache-2.0",
        f"{HELM_CRFM}; extracted by faizghifari/llm-coginterp",
    ),
    Source(
        "helm_schema_safety.yaml",
        "stanford-crfm/helm @ 63754d05db6f874e41a395880fb573890a13e791, "
        "src/helm/benchmark/static/schema_safety.yaml",
        "https://github.com/stanford-crfm/helm/blob/63754d05db6f874e41a395880fb573890a13e791/"
        "src/helm/benchmark/static/schema_safety.yaml",
        "Apache-2.0",
        HELM_CRFM,
    ),
    Source(
        "seed_helm_safety_v1.5.0.csv",
        "ashley-ferreira/LLM-safety-tracker @ 0eca2f2, HELM_safety_leaderboard.csv "
        "(hand copy of HELM Safety v1.5.0)",
        "https://github.com/ashley-ferreira/LLM-safety-tracker/blob/0eca2f2/HELM_safety_leaderboard.csv",
        "MIT",
        f"Ashley Ferreira, LLM-safety-tracker; scores from {HELM_CRFM}",
    ),
    Source(
        "seed_combined_safety_benchmarks.csv",
        "ashley-ferreira/LLM-safety-tracker @ 0eca2f2, combined_safety_benchmarks.csv",
        "https://github.com/ashley-ferreira/LLM-safety-tracker/blob/0eca2f2/"
        "combined_safety_benchmarks.csv",
        "MIT",
        "Ashley Ferreira, LLM-safety-tracker; scores from the DecodingTrust, Salad-Bench, "
        "Libra-Leaderboard and SafetyBench leaderboards",
    ),
    Source(
        "safetywashing_benchmarks_chat_models.csv",
        "centerforaisafety/safetywashing @ bee302c, data/benchmarks_chat_models.csv",
        "https://github.com/centerforaisafety/safetywashing/blob/bee302c/data/benchmarks_chat_models.csv",
        "MIT",
        "Ren et al., Safetywashing (Center for AI Safety), arXiv 2407.21792",
    ),
    Source(
        "safetywashing_benchmarks_base_models.csv",
        "centerforaisafety/safetywashing @ bee302c, data/benchmarks_base_models.csv",
        "https://github.com/centerforaisafety/safetywashing/blob/bee302c/data/benchmarks_base_models.csv",
        "MIT",
        "Ren et al., Safetywashing (Center for AI Safety), arXiv 2407.21792",
    ),
    Source(
        "safetywashing_benchmarks_info.csv",
        "centerforaisafety/safetywashing @ bee302c, data/benchmarks_info.csv",
        "https://github.com/centerforaisafety/safetywashing/blob/bee302c/data/benchmarks_info.csv",
        "MIT",
        "Ren et al., Safetywashing (Center for AI Safety), arXiv 2407.21792",
    ),
]


def collect(folder: Path, data_raw: Path = DATA_RAW, retrieved_at: str | None = None) -> list[str]:
    """Copy every known source file found in ``folder``; return the data_raw paths written."""
    retrieved_at = retrieved_at or dt.date.today().isoformat()
    out = data_raw / "leaderboards"
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for s in SOURCES:
        src = folder / s.file
        if not src.is_file():
            raise FileNotFoundError(f"{s.file} not found in the folder given with --from")
        shutil.copyfile(src, out / s.file)
        entries.append(
            manifest.Entry(
                path=f"leaderboards/{s.file}",
                source=s.source,
                url=s.url,
                retrieved_at=retrieved_at,
                sha256="",
                licence=s.licence,
                collector=COLLECTOR,
                attribution=s.attribution,
            )
        )
    manifest.record(entries, data_raw)
    return [e.path for e in entries]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmeta collect leaderboards", description=__doc__
    )
    p.add_argument("--from", dest="folder", type=Path, required=True, help="folder of source files")
    p.add_argument("--retrieved-at", help="date the files were retrieved (default: today)")
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    a = p.parse_args(argv)
    for path in collect(a.folder, a.data_raw, a.retrieved_at):
        print(f"wrote data_raw/{path}")
    return 0

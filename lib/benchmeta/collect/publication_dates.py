"""When each leaderboard last published, from the git history of the file we read it from.

    python -m benchmeta collect publication-dates --mirrors FOLDER [--retrieved-at YYYY-MM-DD]

For each source: the date of the last commit, at the pinned commit, that changed the results
file the compendium reads (``git log -1``; nothing is checked out or run). For HELM, whose results
come from a third-party copy, the date is that of the commit adding HELM's maintenance-mode
policy, and ``frozen_from`` is the date that policy names ("HELM will enter maintenance mode on
June 1, 2026 ... no new evaluations will be added to the HELM leaderboards"). Sources whose
history is collected in full (Vectara, confabulations) take their last commit from that table
instead. Writes ``data_raw/leaderboards/publication_dates.csv`` with a MANIFEST row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from ..core import atomic, manifest
from ..core.errors import InputError
from ..core.paths import DATA_RAW
from .git_leaderboards import Mirror

OUT = "leaderboards/publication_dates.csv"
COLLECTOR = "python -m benchmeta collect publication-dates"
HELM_POLICY = "docs/maintenance_mode.md"
_SEED = ("ashley-ferreira/LLM-safety-tracker", "0eca2f201ef1b8709608487d50148059d058862a",
         "combined_safety_benchmarks.csv", "last change to the seed tracker's copy")  # fmt: skip
# source -> (repository, pinned commit, path, what the date means)
SOURCES: dict[str, tuple[str, str, str, str]] = {
    "HELM Safety": ("stanford-crfm/helm", "53876051a77e8d2b7e9c3c9dfedbfe25931fe127", HELM_POLICY,
                    "maintenance-mode policy added; no new evaluations from frozen_from"),
    "SORRY-Bench": ("SORRY-Bench/sorry-bench.github.io", "97718d740817a26d76ca46590f403786457d486d",
                    "sorry_bench_files/heatmap.js", "last change to the results file"),
    "TrustLLM": ("TrustLLMBenchmark/TrustLLM-Website", "080221ba0a4adc404c255f4825eeb288d5941c97",
                 "js/leaderboard/leaderboard-data.js", "last change to the results file"),
    "LLMStats (vendor self-reported)": ("JonathanChavezTamales/LLMStats",
                                        "df1d14eda7143f27fd5e7d71d8b14cb0c807de0d", "models",
                                        "last change to the model files"),
    "LLMStats (independent)": ("JonathanChavezTamales/LLMStats",
                               "df1d14eda7143f27fd5e7d71d8b14cb0c807de0d", "models",
                               "last change to the model files"),
    "Safetywashing": ("centerforaisafety/safetywashing", "bee302c11f174afb064d721123b16b810d34f4fd",
                      "data/benchmarks_chat_models.csv", "last change to the results file"),
    "DecodingTrust": _SEED, "Libra-Leaderboard": _SEED, "SafetyBench": _SEED, "Salad-Bench": _SEED,
}  # fmt: skip
_FREEZE = re.compile(r"maintenance mode on ([A-Z][a-z]+ \d{1,2}, \d{4})")
COLUMNS = ["source", "repo", "commit", "path", "last_change", "frozen_from", "meaning"]


def _frozen_from(m: Mirror, path: str) -> str:
    """The date HELM's maintenance-mode policy names, as YYYY-MM-DD."""
    hit = _FREEZE.search(m.show(path))
    if not hit:
        raise InputError(f"{m.repo}@{m.commit}:{path}", None, "no maintenance-mode date", "")
    return dt.datetime.strptime(hit.group(1), "%B %d, %Y").date().isoformat()


def extract(folder: Path) -> pd.DataFrame:
    """One row per source, read from the mirrors in ``folder``."""
    rows = []
    for source, (repo, commit, path, meaning) in SOURCES.items():
        m = Mirror(folder, repo, commit)
        last = m.git("log", "-1", "--format=%cs", commit, "--", path).strip()
        frozen = _frozen_from(m, path) if path == HELM_POLICY else ""
        rows.append((source, repo, commit, path, last, frozen, meaning))
    return pd.DataFrame(rows, columns=COLUMNS)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog=COLLECTOR, description=__doc__)
    p.add_argument("--mirrors", type=Path, required=True, help="folder of bare git mirrors")
    p.add_argument("--retrieved-at", default=dt.date.today().isoformat())
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    a = p.parse_args(argv)
    atomic.write_csv(a.data_raw / OUT, extract(a.mirrors))
    manifest.record(
        [
            manifest.Entry(
                path=OUT,
                source="git history of each leaderboard's results file at its pinned commit "
                "(repositories and commits in the file)",
                url="",
                retrieved_at=a.retrieved_at,
                sha256="",
                licence="CC-BY-4.0",
                collector=COLLECTOR,
                attribution="facts (dates) from the named repositories",
            )  # fmt: skip
        ],
        a.data_raw,
    )
    print(f"wrote data_raw/{OUT}")
    return 0

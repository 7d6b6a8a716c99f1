"""Extract dated leaderboards from local git mirrors of their public repositories.

    python -m benchmeta collect leaderboards-git --mirrors FOLDER [--retrieved-at YYYY-MM-DD]

``FOLDER`` holds one bare clone per repository, as ``owner+name/repo`` or ``owner+name``. Files
are read with ``git show`` at the pinned commits in ``REPOS`` (never checked out, nothing in them
is run). Each output file gets a MANIFEST row naming ``owner/name@commit:path``; licensed sources
(Apache-2.0, MIT, CC-BY) are stored as extracted tables with that licence, unlicensed ones as
facts only. Model names are then matched to dated models (``leaderboards.matching``): matches are
appended to ``models/registry.csv`` and ``models/aliases.csv``, the rest listed in
``models/unmatched.csv``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import subprocess
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from ..core import atomic, manifest
from ..core.paths import DATA_RAW
from ..leaderboards.sources import confabulations, llmstats, sorry_bench, trustllm, vectara
from . import model_matching

COLLECTOR = "python -m benchmeta collect leaderboards-git"
REPOS = {
    "vectara": ("vectara/hallucination-leaderboard", "2e0985929addf7fd52451854fd899161edea0aa4"),
    "sorry": ("SORRY-Bench/sorry-bench.github.io", "97718d740817a26d76ca46590f403786457d486d"),
    "confab": ("lechmazur/confabulations", "734d5fab13a1f41fa68291afb41a3f9fe81f0b35"),
    "trustllm": ("TrustLLMBenchmark/TrustLLM-Website", "080221ba0a4adc404c255f4825eeb288d5941c97"),
    "llmstats": ("JonathanChavezTamales/LLMStats", "df1d14eda7143f27fd5e7d71d8b14cb0c807de0d"),
    "speechmap": ("xlr8harder/speechmap-site", "32ca60a5a0c87b8662151db99d497dae0ff7c894"),
    "epoch": ("epoch-research/benchmark-stitching", "07356c2106015f283c23a1f2478ea9e654a9f24f"),
}
FACTS_ONLY = "no licence in the repository: facts only (names, numbers, dates)"


class Mirror:
    """Read-only access to one bare git mirror."""

    def __init__(self, folder: Path, repo: str, commit: str) -> None:
        base = folder / repo.replace("/", "+")
        self.git_dir = base / "repo" if (base / "repo").exists() else base
        self.repo, self.commit = repo, commit
        if not self.git_dir.is_dir():
            raise FileNotFoundError(
                f"no mirror of {repo} in the --mirrors folder (expected {base.name}/repo)"
            )
        probe = ["git", f"--git-dir={self.git_dir}", "cat-file", "-e", f"{commit}^{{commit}}"]
        if subprocess.run(probe, capture_output=True).returncode != 0:
            raise FileNotFoundError(f"the mirror of {repo} does not hold commit {commit}")

    def git(self, *args: str) -> str:
        cmd = ["git", f"--git-dir={self.git_dir}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    def show(self, path: str, commit: str | None = None) -> str:
        return self.git("show", f"{commit or self.commit}:{path}")

    def history(self, path: str) -> list[tuple[str, pd.Timestamp]]:
        out = self.git("log", "--format=%H %cI", self.commit, "--", path).split("\n")
        return [(h, pd.Timestamp(d[:10])) for h, d in (x.split() for x in out if x)]

    def descendants(self, commit: str) -> set[str]:
        return set(self.git("rev-list", "--ancestry-path", f"{commit}..{self.commit}").split()) | {
            commit
        }

    def where(self, path: str) -> tuple[str, str]:
        src = f"{self.repo} @ {self.commit} : {path}"
        return src, f"https://github.com/{self.repo}/blob/{self.commit}/{path}"


def _vectara(m: Mirror) -> pd.DataFrame:
    breaks = [(m.descendants(c), name) for c, name in vectara.BREAKS]
    frames = []
    for h, date in tqdm(m.history("README.md"), desc="vectara README history", leave=False):
        df = vectara.parse_readme(m.show("README.md", h))
        regime = next((n for d, n in reversed(breaks) if h in d), vectara.FIRST_REGIME)
        frames.append(df.assign(commit=h, date=date.date().isoformat(), regime=regime))
    return pd.concat([f for f in frames if len(f)], ignore_index=True)[vectara.FACT_COLUMNS]


def _confabulations(m: Mirror) -> pd.DataFrame:
    frames = []
    for h, date in m.history("README.md"):
        text = m.show("README.md", h)
        df = confabulations.parse_readme(text)
        a, b = confabulations.question_counts(text)
        if len(df) and a:
            version = f"{a} unanswerable / {b} answerable questions"
            frames.append(
                df.assign(
                    commit=h,
                    date=date.date().isoformat(),
                    version=version,
                    n_unanswerable=a,
                    n_answerable=b,
                )  # fmt: skip
            )
    return pd.concat(frames, ignore_index=True)[confabulations.FACT_COLUMNS]


def _llmstats(m: Mirror) -> tuple[pd.DataFrame, pd.DataFrame]:
    files = [
        f
        for f in m.git("ls-tree", "-r", "--name-only", m.commit).split()
        if f.startswith("models/") and f.endswith("/model.json")
    ]
    models, scores = [], []
    for f in files:
        a, b = llmstats.parse_model(f, m.show(f))
        models.append(a)
        scores += b
    return (
        pd.DataFrame(models, columns=llmstats.MODEL_COLUMNS),
        pd.DataFrame(scores, columns=llmstats.SCORE_COLUMNS),
    )


def _speechmap(m: Mirror) -> pd.DataFrame:
    text = m.show("model_metadata.json")
    df = pd.DataFrame([json.loads(line) for line in text.splitlines() if line.strip()])
    cols = ["model_identifier", "creator", "model_name", "release_date", "reasoning_model"]
    return df[cols].fillna("")


# output file -> (mirror key, path in the repository, licence, attribution)
OUTPUTS = {
    "leaderboards/vectara_hallucination_history.csv": (
        "vectara", "README.md (every commit's results table)", "Apache-2.0",
        "Vectara, Hallucination Leaderboard (HHEM)",
    ),
    "leaderboards/sorry_bench_categories.csv": (
        "sorry", "sorry_bench_files/heatmap.js and heatmap/assets/sorry_bench.html", FACTS_ONLY,
        "Xie et al., SORRY-Bench (sorry-bench.github.io)",
    ),
    "leaderboards/confabulations_history.csv": (
        "confab", "README.md (every commit's table)", FACTS_ONLY,
        "Lech Mazur, LLM Confabulation (Hallucination) Leaderboard",
    ),
    "leaderboards/trustllm_leaderboard.csv": (
        "trustllm", "js/leaderboard/leaderboard-data.js", FACTS_ONLY,
        "Sun et al., TrustLLM (trustllmbenchmark.github.io)",
    ),
    "leaderboards/llmstats_scores.csv": (
        "llmstats", "models/*/*/model.json", "CC-BY-4.0", "Jonathan Chavez Tamales, LLMStats",
    ),
    "models/llmstats_models.csv": (
        "llmstats", "models/*/*/model.json", "CC-BY-4.0", "Jonathan Chavez Tamales, LLMStats",
    ),
    "models/speechmap_models.csv": (
        "speechmap", "model_metadata.json", FACTS_ONLY, "xlr8harder, SpeechMap (speechmap.ai)",
    ),
    "models/epoch_capabilities_index.csv": (
        "epoch", "data/website/epoch_capabilities_index.csv", "MIT",
        "Copyright (c) Epoch AI; MIT licence",
    ),
}  # fmt: skip


def extract(folder: Path) -> dict[str, pd.DataFrame]:
    """Every output table, read from the mirrors in ``folder``."""
    mirrors = {k: Mirror(folder, repo, commit) for k, (repo, commit) in REPOS.items()}
    sorry = mirrors["sorry"]
    ll_models, ll_scores = _llmstats(mirrors["llmstats"])
    eci = mirrors["epoch"].show("data/website/epoch_capabilities_index.csv")
    return {
        "leaderboards/vectara_hallucination_history.csv": _vectara(mirrors["vectara"]),
        "leaderboards/sorry_bench_categories.csv": pd.concat(
            [
                sorry_bench.parse_html(sorry.show("heatmap/assets/sorry_bench.html")),
                sorry_bench.parse_js(sorry.show("sorry_bench_files/heatmap.js")),
            ],
            ignore_index=True,
        ),
        "leaderboards/confabulations_history.csv": _confabulations(mirrors["confab"]),
        "leaderboards/trustllm_leaderboard.csv": trustllm.parse_js(
            mirrors["trustllm"].show("js/leaderboard/leaderboard-data.js")
        ),
        "leaderboards/llmstats_scores.csv": ll_scores,
        "models/llmstats_models.csv": ll_models,
        "models/speechmap_models.csv": _speechmap(mirrors["speechmap"]),
        "models/epoch_capabilities_index.csv": pd.read_csv(io.StringIO(eci), dtype=str),
    }


def collect(folder: Path, data_raw: Path = DATA_RAW, retrieved_at: str | None = None) -> list[str]:
    """Write every output table and its MANIFEST row, then match model names."""
    retrieved_at = retrieved_at or dt.date.today().isoformat()
    tables = extract(folder)
    entries = []
    for rel, df in tables.items():
        key, path, licence, attribution = OUTPUTS[rel]
        repo, commit = REPOS[key]
        atomic.write_csv(data_raw / rel, df)
        entries.append(
            manifest.Entry(
                path=rel,
                source=f"{repo} @ {commit} : {path}",
                url=f"https://github.com/{repo}/tree/{commit}",
                retrieved_at=retrieved_at,
                sha256="",
                licence=licence,
                collector=COLLECTOR,
                attribution=attribution,
            )
        )
    manifest.record(entries, data_raw)
    written = [e.path for e in entries]
    written += model_matching.update_registry(data_raw, retrieved_at, COLLECTOR)
    return written


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog=COLLECTOR, description=__doc__)
    p.add_argument("--mirrors", type=Path, required=True, help="folder of bare git mirrors")
    p.add_argument("--retrieved-at", help="date the mirrors were fetched (default: today)")
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    a = p.parse_args(argv)
    for path in collect(a.mirrors, a.data_raw, a.retrieved_at):
        print(f"wrote data_raw/{path}")
    return 0

"""Add the models of the git-extracted leaderboards to the registry (exact canonical matches
only, see ``leaderboards.matching``) and list the names that did not match."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pandas as pd
import yaml

from ..core import atomic, manifest
from ..core.paths import DATA_RAW
from ..leaderboards import matching
from ..leaderboards import model_table as models

# namespace -> (leaderboard file under data_raw, name column)
NAMESPACES = {
    "vectara": ("leaderboards/vectara_hallucination_history.csv", "model_name"),
    "sorry_bench": ("leaderboards/sorry_bench_categories.csv", "model_name"),
    "confabulations": ("leaderboards/confabulations_history.csv", "model_name"),
    "trustllm": ("leaderboards/trustllm_leaderboard.csv", "model_name"),
    "llmstats": ("leaderboards/llmstats_scores.csv", "llmstats_id"),
}
UNMATCHED = "models/unmatched.csv"


def date_sources(data_raw: Path) -> dict[str, pd.DataFrame]:
    """Registry id column -> ``name, id, release_date, org`` of each dated model it can name."""
    sm = pd.read_csv(data_raw / models.SPEECHMAP, dtype=str, keep_default_na=False)
    ll = pd.read_csv(data_raw / models.LLMSTATS, dtype=str, keep_default_na=False)
    ep = pd.read_csv(data_raw / models.EPOCH, dtype=str, keep_default_na=False,
                     encoding="utf-8-sig")  # fmt: skip
    ep = ep[ep["Version release date"].str.strip() != ""]
    if "Hugging Face developer id" not in ep:
        ep["Hugging Face developer id"] = ""
    frame = lambda name, id_, date, org: pd.DataFrame(  # noqa: E731
        {"name": name, "id": id_, "release_date": date, "org": org}
    )
    helm = yaml.safe_load((data_raw / models.HELM).read_text(encoding="utf-8"))["models"]
    hm = pd.DataFrame([(m["name"], models.helm_release(m)) for m in helm], columns=["id", "date"])
    hm = hm[hm["date"] != ""]
    eci = pd.read_csv(data_raw / models.ECI, dtype=str, keep_default_na=False)
    eci = eci[eci["Release date"] != ""].drop_duplicates("Model name")
    return {
        "helm_id": frame(hm["id"], hm["id"], hm["date"], hm["id"].str.split("/").str[0]),
        "eci_id": frame(eci["Model name"], eci["Model name"], eci["Release date"],
                        eci["Organization"]),
        "speechmap_id": frame(sm["model_identifier"], sm["model_identifier"],
                              sm["release_date"], sm["creator"]),
        "llmstats_id": frame(ll["llmstats_id"], ll["llmstats_id"], ll["release_date"],
                             ll["organization"]),
        "epoch_id": frame(ep["id"], ep["id"], ep["Version release date"],
                          ep["Hugging Face developer id"]),
    }  # fmt: skip


def update_registry(data_raw: Path, retrieved_at: str, collector: str) -> list[str]:
    """Append matched models and aliases; write the unmatched list; return the paths written."""
    names = pd.concat(
        [
            pd.read_csv(data_raw / f, dtype=str, keep_default_na=False)[[col]]
            .rename(columns={col: "name"})
            .assign(namespace=ns)
            for ns, (f, col) in NAMESPACES.items()
        ],
        ignore_index=True,
    )
    reg = models.load_registry(data_raw)
    aliases = models.load_aliases(data_raw)
    new_reg, new_alias, unmatched = matching.propose(names, reg, aliases, date_sources(data_raw))
    reg = pd.concat([reg, new_reg], ignore_index=True).fillna("")
    aliases = pd.concat([aliases, new_alias], ignore_index=True).fillna("")
    atomic.write_csv(data_raw / models.REGISTRY, reg[models.REGISTRY_COLUMNS + models.DATE_IDS])
    atomic.write_csv(data_raw / models.ALIASES, aliases[models.ALIAS_COLUMNS])
    atomic.write_csv(data_raw / UNMATCHED, unmatched.sort_values(["namespace", "name"]))
    old = manifest.read(data_raw).set_index("path")
    entries = [
        manifest.Entry(
            path=rel,
            source=str(old.at[rel, "source"]) if rel in old.index else desc,
            url="",
            retrieved_at=retrieved_at,
            sha256="",
            licence="CC-BY-4.0",
            collector=f"hand-kept; rows added by {collector} (exact canonical matches)",
            attribution="compendium authors",
        )
        for rel, desc in [
            (models.REGISTRY, "registry"),
            (models.ALIASES, "aliases"),
            (UNMATCHED, "leaderboard model names with no exact dated match, with the reason"),
        ]
    ]
    manifest.record(entries, data_raw)
    return [e.path for e in entries]


def main(argv: list[str]) -> int:
    """``collect model-matching``: match the committed leaderboards' model names again (after a
    change to the matcher or to a date source), without re-extracting anything."""
    p = argparse.ArgumentParser(
        prog="python -m benchmeta collect model-matching", description=__doc__
    )
    p.add_argument("--retrieved-at", default=dt.date.today().isoformat())
    p.add_argument("--data-raw", type=Path, default=DATA_RAW)
    a = p.parse_args(argv)
    for path in update_registry(
        a.data_raw, a.retrieved_at, "python -m benchmeta collect model-matching"
    ):
        print(f"wrote data_raw/{path}")
    return 0

"""Leaderboards: import every source into one tidy table, validate it, normalise the scale.

The tidy schema (one row per source, version, model, benchmark, metric) is the extension point:

    source, version, model_id, model_name, provider, benchmark, metric, score,
    scale_min, scale_max, higher_is_safer, n_items, retrieved_at, url

Every CSV in ``data_raw/leaderboards/`` is either a known source file, read by the importer
registered for its name in ``IMPORTERS``, or a table already in the tidy schema (how a user adds
a leaderboard). Validation and normalisation happen here and only here: a row with an unknown
direction, an out-of-range score, a duplicate key or an unknown model raises ``InputError``
naming the file, line and value.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import manifest
from ..core.errors import InputError
from ..core.paths import DATA_RAW
from . import model_table as models

COLUMNS = [
    "source",
    "version",
    "model_id",
    "model_name",
    "provider",
    "benchmark",
    "metric",
    "score",
    "scale_min",
    "scale_max",
    "higher_is_safer",
    "n_items",
    "retrieved_at",
    "url",
]
KEY = ["source", "version", "model_id", "benchmark", "metric"]
# Row provenance carried through import so errors can name the original file and line.
ORIGIN = ["_file", "_line"]

HELM_SOURCE = "HELM Safety"
HELM_SCENARIOS = {
    "harm_bench": "HarmBench",
    "simple_safety_tests": "SimpleSafetyTests",
    "bbq": "BBQ",
    "anthropic_red_team": "Anthropic Red Team",
    "xstest": "XSTest",
}

# Safetywashing chat-model columns used as safety scores: column -> (benchmark, metric, scale max).
# Directions come from the arrows in safetywashing_benchmarks_info.csv, not from this table.
SAFETYWASHING_SAFETY = {
    "HarmBench-DirectRequest-all": ("HarmBench", "attack failure rate, DirectRequest", 100.0),
    "HarmBench-HumanJailbreaks-all": ("HarmBench", "attack failure rate, HumanJailbreaks", 100.0),
    "HarmBench-TAP-T-all": ("HarmBench", "attack failure rate, TAP-T", 100.0),
    "HarmBench-GCG-T-all": ("HarmBench", "attack failure rate, GCG-T", 100.0),
    "bbq": ("BBQ", "accuracy", 1.0),
    "safety_bench": ("SafetyBench", "accuracy", 1.0),
    "cyberseceval2_prompt_injection": (
        "CyberSecEval2 prompt injection",
        "attack failure rate",
        1.0,
    ),
    "truthfulqa_mc1": ("TruthfulQA", "MC1 accuracy", 1.0),
    "halueval": ("HaluEval", "accuracy", 1.0),
    "beavertails": ("BeaverTails", "accuracy", 1.0),
}
# Capability covariates of the Safetywashing table (not safety scores).
SAFETYWASHING_CAPABILITY = {
    "mmlu": "MMLU accuracy",
    "gsm8k": "GSM8K accuracy",
    "bbh": "BBH accuracy",
    "arc_challenge": "ARC-Challenge accuracy",
    "MT_Bench": "MT-Bench score",
    "LMSYS_Chatbot_Arena": "Chatbot Arena Elo",
    "FLOP": "training compute (FLOP)",
    "model_size": "parameters",
}
SEED_COMBINED = {
    "DecodingTrust Score": "DecodingTrust",
    "Salad-Bench Score": "Salad-Bench",
    "Libra-Leaderboard Score": "Libra-Leaderboard",
    "SafetyBench Score": "SafetyBench",
}
SEED_HELM = {
    "HarmBench Score": "HarmBench",
    "SimpleSafetyTests Score": "SimpleSafetyTests",
    "BBQ Score": "BBQ",
    "Anthropic Red Team Score": "Anthropic Red Team",
    "XSTest Score": "XSTest",
}


def _manifest_row(path: Path, data_raw: Path) -> dict[str, str]:
    rel = path.relative_to(data_raw).as_posix()
    df = manifest.read(data_raw)
    hit = df[df["path"] == rel]
    if hit.empty:
        raise InputError(data_raw / "MANIFEST.csv", None, "raw file has no MANIFEST row", rel)
    return hit.iloc[0].to_dict()


def _item_counts(data_raw: Path) -> pd.DataFrame:
    path = data_raw / "benchmarks" / "item_counts.csv"
    if not path.exists():
        return pd.DataFrame(columns=["source", "benchmark", "n_items"])
    return pd.read_csv(path)[["source", "benchmark", "n_items"]]


def _resolve(
    df: pd.DataFrame, name_col: str, namespace: str, path: Path, data_raw: Path
) -> pd.Series:
    """model_id for each name through the hand-kept alias table; an unknown name is an error at
    its own line of ``path``."""
    aliases = models.load_aliases(data_raw)
    table = aliases[aliases["namespace"] == namespace].set_index("name")["model_id"]
    ids = df[name_col].map(table)
    if ids.isna().any():
        i = ids.isna().idxmax()
        models.resolve(df.loc[[i], name_col], namespace, aliases, path, int(df.at[i, "_line"]))
    return ids


def import_helm_staging(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """HELM Safety rows of the HELM staging export (scores x100 there; HELM's own scale is 0-1)."""
    raw = pd.read_csv(path, dtype={"score": float}, low_memory=False)
    raw["_line"] = raw.index + 2
    rows = raw[raw["source_name"] == "Stanford HELM Safety"].copy()
    unknown = rows[~rows["benchmark_id"].isin(HELM_SCENARIOS)]
    if not unknown.empty:
        i = unknown.index[0]
        raise InputError(
            path, int(raw.at[i, "_line"]), "unknown HELM Safety scenario", raw.at[i, "benchmark_id"]
        )
    m = _manifest_row(path, data_raw)
    out = pd.DataFrame(
        {
            "source": HELM_SOURCE,
            "version": "v1.17.0",
            "model_name": rows["model_name"],
            "benchmark": rows["benchmark_id"].map(HELM_SCENARIOS),
            "metric": rows["metric_name"],
            "score": rows["score"] / 100.0,
            "scale_min": 0.0,
            "scale_max": 1.0,
            "higher_is_safer": True,
            "retrieved_at": m["retrieved_at"],
            "url": rows["source_url"],
            "_file": path.relative_to(data_raw).as_posix(),
            "_line": rows["_line"],
        }
    )
    out["model_id"] = _resolve(out, "model_name", "helm_safety", path, data_raw)
    return out


def import_seed_helm(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """The seed project's hand copy of HELM Safety v1.5.0 (0-1 scale), kept for cross-checking."""
    raw = pd.read_csv(path)
    raw["_line"] = raw.index + 2
    m = _manifest_row(path, data_raw)
    long = raw.melt(
        id_vars=["model", "_line"], value_vars=list(SEED_HELM), var_name="col", value_name="score"
    )
    long = long.dropna(subset=["score"])
    out = pd.DataFrame(
        {
            "source": HELM_SOURCE,
            "version": "v1.5.0",
            "model_name": long["model"],
            "benchmark": long["col"].map(SEED_HELM),
            "metric": np.where(
                long["col"] == "BBQ Score", "BBQ accuracy", "LM Evaluated Safety score"
            ),
            "score": long["score"].astype(float),
            "scale_min": 0.0,
            "scale_max": 1.0,
            "higher_is_safer": True,
            "retrieved_at": m["retrieved_at"],
            "url": m["url"],
            "_file": path.relative_to(data_raw).as_posix(),
            "_line": long["_line"],
        }
    )
    out["model_id"] = _resolve(out, "model_name", "seed_helm_safety", path, data_raw)
    return out


def import_seed_combined(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """DecodingTrust, Salad-Bench, Libra-Leaderboard and SafetyBench overall scores (0-100).

    Empty cells are missing scores, not zeros: they produce no row.
    """
    raw = pd.read_csv(path)
    raw["_line"] = raw.index + 2
    m = _manifest_row(path, data_raw)
    long = raw.melt(
        id_vars=["model", "_line"],
        value_vars=list(SEED_COMBINED),
        var_name="col",
        value_name="score",
    )
    long = long.dropna(subset=["score"])
    out = pd.DataFrame(
        {
            "source": long["col"].map(SEED_COMBINED),
            "version": "seed copy 0eca2f2",
            "model_name": long["model"],
            "benchmark": long["col"].map(SEED_COMBINED),
            "metric": "overall score",
            "score": long["score"].astype(float),
            "scale_min": 0.0,
            "scale_max": 100.0,
            "higher_is_safer": True,
            "retrieved_at": m["retrieved_at"],
            "url": m["url"],
            "_file": path.relative_to(data_raw).as_posix(),
            "_line": long["_line"],
        }
    )
    out["model_id"] = _resolve(out, "model_name", "seed_combined", path, data_raw)
    return out


def _safetywashing_directions(data_raw: Path) -> dict[str, bool]:
    """Column -> higher_is_better, read from the arrows in the Safetywashing info table."""
    path = data_raw / "leaderboards" / "safetywashing_benchmarks_info.csv"
    info = pd.read_csv(path)
    out = {}
    for _, r in info.iterrows():
        metric = str(r["metric"])
        if "↑" in metric:
            out[r["benchmark"]] = True
        elif "↓" in metric:
            out[r["benchmark"]] = False
    return out


def import_safetywashing_chat(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Safety columns of Safetywashing's chat-model table (see ``SAFETYWASHING_SAFETY``)."""
    raw = pd.read_csv(path)
    raw["_line"] = raw.index + 2
    m = _manifest_row(path, data_raw)
    directions = _safetywashing_directions(data_raw)
    frames = []
    for col, (benchmark, metric, top) in SAFETYWASHING_SAFETY.items():
        if col not in raw.columns:
            raise InputError(path, 1, "expected Safetywashing column is missing", col)
        sub = raw[["model", "_line", col]].dropna(subset=[col])
        frames.append(
            pd.DataFrame(
                {
                    "source": "Safetywashing",
                    "version": "bee302c",
                    "model_name": sub["model"],
                    "benchmark": benchmark,
                    "metric": metric,
                    "score": sub[col].astype(float),
                    "scale_min": 0.0,
                    "scale_max": top,
                    "higher_is_safer": directions.get(col, pd.NA),
                    "retrieved_at": m["retrieved_at"],
                    "url": m["url"],
                    "_file": path.relative_to(data_raw).as_posix(),
                    "_line": sub["_line"],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["model_id"] = _resolve(out, "model_name", "safetywashing", path, data_raw)
    return out


def safetywashing_capabilities(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Capability covariates of the Safetywashing chat models, long form:
    ``model_id, covariate, label, value``."""
    path = data_raw / "leaderboards" / "safetywashing_benchmarks_chat_models.csv"
    raw = pd.read_csv(path)
    raw["_line"] = raw.index + 2
    raw["model_id"] = _resolve(raw, "model", "safetywashing", path, data_raw)
    long = raw.melt(
        id_vars=["model_id"],
        value_vars=list(SAFETYWASHING_CAPABILITY),
        var_name="covariate",
        value_name="value",
    ).dropna(subset=["value"])
    long["label"] = long["covariate"].map(SAFETYWASHING_CAPABILITY)
    return long[["model_id", "covariate", "label", "value"]].reset_index(drop=True)


Importer = Callable[[Path, Path], pd.DataFrame]
IMPORTERS: dict[str, Importer] = {
    "helm_staging_results_v1.17.0.csv": import_helm_staging,
    "seed_helm_safety_v1.5.0.csv": import_seed_helm,
    "seed_combined_safety_benchmarks.csv": import_seed_combined,
    "safetywashing_benchmarks_chat_models.csv": import_safetywashing_chat,
}
# Raw files that importers read for metadata, or that are kept but not imported.
AUXILIARY = {"safetywashing_benchmarks_info.csv", "safetywashing_benchmarks_base_models.csv"}


def read_tidy_csv(path: Path, data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """A user-added leaderboard already in the tidy schema."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(
            path,
            1,
            f"not in the tidy leaderboard schema; missing columns {missing}",
            list(df.columns),
        )
    df = df[COLUMNS].copy()
    df["_file"] = path.relative_to(data_raw).as_posix()
    df["_line"] = df.index + 2
    return df


def _bool(value: object) -> object:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    text = str(value).strip().lower()
    return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(
        text, None
    )


def validate(
    df: pd.DataFrame, model_table: pd.DataFrame, data_raw: Path = DATA_RAW
) -> pd.DataFrame:
    """Type and check the tidy table; raise ``InputError`` naming the file, line and value."""
    df = df.copy()
    original = df.copy()  # values as read, for error messages

    def fail(i: object, message: str, value: object) -> None:
        raise InputError(data_raw / str(df.at[i, "_file"]), int(df.at[i, "_line"]), message, value)

    for col in ["source", "version", "model_id", "benchmark", "metric"]:
        empty = df[col].isna() | (df[col].astype(str).str.strip() == "")
        if empty.any():
            fail(empty.idxmax(), f"empty {col}", df.at[empty.idxmax(), col])
    hib = df["higher_is_safer"].map(_bool)
    if hib.isna().any():
        i = hib.isna().idxmax()
        fail(
            i,
            "unknown direction: higher_is_safer must be true or false",
            df.at[i, "higher_is_safer"],
        )
    df["higher_is_safer"] = hib.astype(bool)
    for col in ["score", "scale_min", "scale_max"]:
        num = pd.to_numeric(df[col], errors="coerce")
        if num.isna().any():
            i = num.isna().idxmax()
            fail(i, f"{col} is not a number", df.at[i, col])
        df[col] = num.astype(float)
    bad = df["scale_min"] >= df["scale_max"]
    if bad.any():
        i = bad.idxmax()
        fail(i, "scale_min must be below scale_max", (df.at[i, "scale_min"], df.at[i, "scale_max"]))
    out = (df["score"] < df["scale_min"]) | (df["score"] > df["scale_max"])
    if out.any():
        i = out.idxmax()
        fail(
            i,
            f"score outside [{df.at[i, 'scale_min']}, {df.at[i, 'scale_max']}]",
            original.at[i, "score"],
        )
    text = df["n_items"].astype(str).str.strip()
    blank = text.isin(["", "nan", "<NA>", "None"])
    n = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = (~blank & n.isna()) | (n.notna() & ((n <= 0) | (n % 1 != 0)))
    if bad.any():
        i = bad.idxmax()
        fail(i, "n_items must be empty or a positive whole number", df.at[i, "n_items"])
    df["n_items"] = n.astype("Int64")
    dup = df.duplicated(KEY, keep="first")
    if dup.any():
        i = dup.idxmax()
        fail(i, f"duplicate key {KEY}", tuple(df.loc[i, KEY]))
    known = df["model_id"].isin(model_table["model_id"])
    if not known.all():
        i = (~known).idxmax()
        fail(i, "unknown model_id: add it to data_raw/models/registry.csv", df.at[i, "model_id"])
    return df


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``safety``: the score mapped to [0, 1] with 1 the safest end of the scale.

    This is the one place where scale and direction are handled.
    """
    df = df.copy()
    frac = (df["score"] - df["scale_min"]) / (df["scale_max"] - df["scale_min"])
    df["safety"] = np.where(df["higher_is_safer"], frac, 1.0 - frac)
    return df


def load(data_raw: Path = DATA_RAW, model_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Import, validate and normalise every leaderboard under ``data_raw/leaderboards``.

    Provider comes from the model table, item counts from ``data_raw/benchmarks/item_counts.csv``
    where the source leaves them empty. Columns: the tidy schema, ``safety``, ``_file``, ``_line``.
    """
    model_table = models.build_model_table(data_raw) if model_table is None else model_table
    folder = data_raw / "leaderboards"
    frames = []
    for path in sorted(folder.glob("*.csv")):
        if path.name in AUXILIARY:
            continue
        importer = IMPORTERS.get(path.name)
        frames.append(importer(path, data_raw) if importer else read_tidy_csv(path, data_raw))
    df = pd.concat(frames, ignore_index=True)
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = pd.NA
    providers = model_table.set_index("model_id")["provider"]
    df["provider"] = df["provider"].where(
        df["provider"].notna() & (df["provider"] != ""), df["model_id"].map(providers)
    )
    df["n_items"] = df["n_items"].astype(object).where(df["n_items"].notna(), "")
    df = validate(df[COLUMNS + ORIGIN], model_table, data_raw)
    counts = _item_counts(data_raw).set_index(["source", "benchmark"])["n_items"]
    fill = pd.Series(list(zip(df["source"], df["benchmark"], strict=True)), index=df.index).map(
        counts
    )
    df["n_items"] = df["n_items"].fillna(fill.astype("Float64").round().astype("Int64"))
    return normalise(df).reset_index(drop=True)


def latest(df: pd.DataFrame) -> pd.DataFrame:
    """Only the newest version of each source (versions compared as dotted numbers)."""

    def key(v: str) -> tuple:
        parts = str(v).lstrip("v").split(".")
        return tuple(int(p) if p.isdigit() else -1 for p in parts)

    newest = df.groupby("source")["version"].agg(lambda s: max(s.unique(), key=key))
    return df[df["version"] == df["source"].map(newest)].reset_index(drop=True)


def cross_check(df: pd.DataFrame, source: str, old: str, new: str) -> pd.DataFrame:
    """Scores of the same model and benchmark in two versions of one source, side by side."""
    a = df[(df["source"] == source) & (df["version"] == old)]
    b = df[(df["source"] == source) & (df["version"] == new)]
    m = a.merge(b, on=["model_id", "benchmark", "metric"], suffixes=(f"_{old}", f"_{new}"))
    m["abs_diff"] = (m[f"score_{old}"] - m[f"score_{new}"]).abs()
    return m[["model_id", "benchmark", f"score_{old}", f"score_{new}", "abs_diff"]]

"""The model table: one row per canonical model, with its provider and release date.

Inputs, all under ``data_raw/``:

- ``models/registry.csv`` (hand-kept): one row per canonical model; ``epoch_id`` and ``helm_id``
  name the model's row in the two metadata files.
- ``models/aliases.csv`` (hand-kept): every model-name string as a leaderboard file spells it,
  per namespace, -> ``model_id``. Matching is exact; there is no fuzzy matching anywhere.
- ``models/date_corrections.csv`` (hand-kept): dates that replace wrong or missing ones, each
  with its evidence.
- ``models/epoch_model_versions.csv`` (Epoch AI) and ``models/helm_model_metadata.yaml`` (HELM).
- the seed leaderboards' own dates (``leaderboards/seed_helm_safety_v1.5.0.csv`` "snapshot date",
  ``leaderboards/seed_combined_safety_benchmarks.csv`` "release date").

Date convention: ``release_date`` is the date of the model *version* that was evaluated. Where
the version id carries its own date stamp (``gpt-4o-2024-05-13``, ``claude-3-haiku-20240307``)
that stamp wins over a later announcement or availability date; otherwise it is the date the
version's weights or API endpoint were first released. Variants served by a third party (Turbo,
FP8, guard-wrapped, extended thinking) take the date of the weights they run.

Precedence: a row of ``date_corrections.csv``, else Epoch's ``Version release date``, else
HELM's ``release_date``, else the seed tables' dates (seed_helm_safety before seed_combined).
``date_source`` says which one was used. ``max_disagreement_days`` is the spread (max - min) of
the Epoch, HELM and seed dates that exist for the model; ``dates_disagree`` flags a spread of
more than ``DISAGREE_DAYS`` days.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from ..core.errors import InputError, csv_line
from ..core.paths import DATA_RAW

REGISTRY = "models/registry.csv"
ALIASES = "models/aliases.csv"
CORRECTIONS = "models/date_corrections.csv"
EPOCH = "models/epoch_model_versions.csv"
HELM = "models/helm_model_metadata.yaml"
SPEECHMAP = "models/speechmap_models.csv"
LLMSTATS = "models/llmstats_models.csv"
ECI = "models/epoch_capabilities_index.csv"
# optional registry columns naming a model in further date sources (filled by the collector)
DATE_IDS = ["speechmap_id", "llmstats_id", "eci_id"]
# namespace -> (file under data_raw, model-name column, date column)
SEEDS: dict[str, tuple[str, str, str]] = {
    "seed_helm_safety": ("leaderboards/seed_helm_safety_v1.5.0.csv", "model", "snapshot date"),
    "seed_combined": ("leaderboards/seed_combined_safety_benchmarks.csv", "model", "release date"),
}

REGISTRY_COLUMNS = [
    "model_id",
    "display_name",
    "provider",
    "variant",
    "base_model_id",
    "epoch_id",
    "helm_id",
    "note",
]
ALIAS_COLUMNS = ["namespace", "name", "model_id", "note"]
CORRECTION_COLUMNS = [
    "model_id",
    "wrong_date",
    "wrong_source",
    "release_date",
    "evidence",
    "note",
]
VARIANTS = {"", "thinking", "guard-wrapped", "fp8", "turbo", "preview", "quantized", "other"}
DISAGREE_DAYS = 7
# date source -> its column in the model table (every convention kept, for sensitivity checks)
CONVENTION_COLUMNS = {
    "speechmap": "speechmap_date",
    "llmstats": "llmstats_date",
    "epoch_eci": "epoch_eci_date",
    "date in model id": "id_date",
}
TABLE_COLUMNS = [
    "model_id",
    "display_name",
    "provider",
    "variant",
    "base_model_id",
    "release_date",
    "date_source",
    "epoch_date",
    "helm_date",
    "seed_date",
    "max_disagreement_days",
    "dates_disagree",
    "corrected",
    *CONVENTION_COLUMNS.values(),
]

# columns shown for models whose date sources disagree or were corrected
DATE_CHECK_COLUMNS = [
    "model_id", "release_date", "date_source", "epoch_date", "helm_date", "seed_date",
    "max_disagreement_days", "corrected",
]  # fmt: skip


def _read_csv(path: Path, columns: list[str], encoding: str = "utf-8") -> pd.DataFrame:
    """A CSV as strings (empty cells are ""), checked to hold ``columns``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(path, 1, f"missing columns {missing}", list(df.columns))
    return df


def _check_unique(df: pd.DataFrame, keys: list[str], path: Path) -> None:
    dup = df.duplicated(keys)
    if dup.any():
        i = int(dup.to_numpy().argmax())
        value = tuple(df.iloc[i][keys]) if len(keys) > 1 else df.iloc[i][keys[0]]
        raise InputError(path, csv_line(i), f"duplicated {'/'.join(keys)}", value)


def _check_filled(df: pd.DataFrame, column: str, path: Path) -> None:
    empty = df[column].str.strip() == ""
    if empty.any():
        i = int(empty.to_numpy().argmax())
        raise InputError(path, csv_line(i), f"{column} is missing", df.iloc[i][column])


def _parse_dates(values: pd.Series, path: Path, what: str, lines: list[int | None]) -> pd.Series:
    """``YYYY-MM-DD`` strings -> datetime64; "" -> NaT; anything else is an error."""
    out = pd.to_datetime(values.where(values != ""), format="%Y-%m-%d", errors="coerce")
    bad = out.isna() & (values != "")
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise InputError(path, lines[i], f"{what} is not a YYYY-MM-DD date", values.iloc[i])
    return out


def load_registry(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """``registry.csv``, validated: unique ids, a provider for each, known variants and bases."""
    path = data_raw / REGISTRY
    reg = _read_csv(path, REGISTRY_COLUMNS)
    for col in DATE_IDS:
        if col not in reg.columns:
            reg[col] = ""
    _check_filled(reg, "model_id", path)
    _check_unique(reg, ["model_id"], path)
    _check_filled(reg, "provider", path)
    for i, row in reg.iterrows():
        if row["variant"] not in VARIANTS:
            raise InputError(
                path, csv_line(i), f"variant must be one of {sorted(VARIANTS)}", row["variant"]
            )
        if row["base_model_id"] and row["base_model_id"] not in set(reg["model_id"]):
            raise InputError(
                path, csv_line(i), "base_model_id is not a registry model_id", row["base_model_id"]
            )
    return reg


def load_aliases(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """``aliases.csv``: ``namespace, name -> model_id``; a (namespace, name) pair is unique."""
    path = data_raw / ALIASES
    aliases = _read_csv(path, ALIAS_COLUMNS)
    _check_filled(aliases, "namespace", path)
    _check_filled(aliases, "model_id", path)
    _check_unique(aliases, ["namespace", "name"], path)
    return aliases


def load_corrections(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """``date_corrections.csv`` with ``wrong_date`` and ``release_date`` parsed."""
    path = data_raw / CORRECTIONS
    corr = _read_csv(path, CORRECTION_COLUMNS)
    _check_filled(corr, "model_id", path)
    _check_unique(corr, ["model_id"], path)
    _check_filled(corr, "release_date", path)
    _check_filled(corr, "evidence", path)
    lines: list[int | None] = [csv_line(i) for i in range(len(corr))]
    corr["release_date"] = _parse_dates(corr["release_date"], path, "release_date", lines)
    corr["wrong_date"] = _parse_dates(corr["wrong_date"], path, "wrong_date", lines)
    return corr


def resolve(
    names: pd.Series, namespace: str, aliases: pd.DataFrame, path: str | Path, first_line: int = 2
) -> pd.Series:
    """The ``model_id`` of each name in ``namespace``; the first unknown name is an error
    reported at line ``first_line + position`` of ``path``."""
    table = aliases.loc[aliases["namespace"] == namespace].set_index("name")["model_id"]
    out = names.map(table)
    unknown = out.isna().to_numpy()
    if unknown.any():
        pos = int(unknown.argmax())
        raise InputError(
            path,
            first_line + pos,
            f"unknown model in namespace {namespace!r}; add it to data_raw/{ALIASES}",
            names.iloc[pos],
        )
    return out.rename("model_id")


def check_models_known(
    model_ids: pd.Series, models: pd.DataFrame, path: str | Path, first_line: int = 2
) -> None:
    """Raise ``InputError`` at the first ``model_id`` that is not in the model table."""
    unknown = ~model_ids.isin(set(models["model_id"])).to_numpy()
    if unknown.any():
        pos = int(unknown.argmax())
        raise InputError(
            path,
            first_line + pos,
            f"unknown model_id; add it to data_raw/{REGISTRY} (and its names to {ALIASES})",
            model_ids.iloc[pos],
        )


def _epoch_dates(data_raw: Path) -> pd.Series:
    """Epoch ``id`` -> ``Version release date`` (NaT where Epoch has none)."""
    path = data_raw / EPOCH
    df = _read_csv(path, ["id", "Version release date"], encoding="utf-8-sig")
    lines: list[int | None] = [csv_line(i) for i in range(len(df))]
    dates = _parse_dates(
        df["Version release date"].str.strip(), path, "Version release date", lines
    )
    return pd.Series(dates.to_numpy(), index=df["id"]).groupby(level=0).first()


def helm_release(entry: dict) -> str:
    """A HELM metadata entry's release date ("" without one).

    17 entries of ``model_metadata.yaml`` spell the field ``release`` instead of
    ``release_date``, some without zero padding (``2024-6-18``); such a value is used when it is a
    valid year-month-day date and left out otherwise (``2024-18-4`` has no month 18)."""
    value = entry.get("release_date")
    if value is not None:
        return str(value)
    loose = str(entry.get("release") or "")
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", loose):
        return ""
    date = pd.to_datetime(loose, format="%Y-%m-%d", errors="coerce")
    return "" if pd.isna(date) else date.strftime("%Y-%m-%d")


def _helm_dates(data_raw: Path) -> pd.Series:
    """HELM ``name`` -> ``release_date`` (NaT where HELM has none)."""
    path = data_raw / HELM
    text = path.read_text(encoding="utf-8")
    models = (yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}).get(
        "models"
    ) or []
    names = [str(m.get("name", "")) for m in models]
    raw = [helm_release(m) for m in models]
    line_of = {}
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("- name:"):
            line_of.setdefault(stripped.removeprefix("- name:").strip(), n)
    lines: list[int | None] = [line_of.get(name) for name in names]
    dates = _parse_dates(pd.Series(raw, dtype=str), path, "release_date", lines)
    return pd.Series(dates.to_numpy(), index=names).groupby(level=0).first()


def _seed_dates(data_raw: Path, aliases: pd.DataFrame) -> dict[str, pd.Series]:
    """namespace -> (model_id -> that seed table's date for the model)."""
    out = {}
    for namespace, (rel, name_col, date_col) in SEEDS.items():
        path = data_raw / rel
        df = _read_csv(path, [name_col, date_col])
        ids = resolve(df[name_col], namespace, aliases, path)
        lines: list[int | None] = [csv_line(i) for i in range(len(df))]
        dates = _parse_dates(df[date_col].str.strip(), path, date_col, lines)
        out[namespace] = pd.Series(dates.to_numpy(), index=ids.to_numpy()).groupby(level=0).first()
    return out


def _lookup(keys: pd.Series, dates: pd.Series, path: Path, what: str, source: Path) -> pd.Series:
    """Map registry ``keys`` (empty = none) to ``dates``; a key absent from the source is an
    error on its registry line."""
    known = set(dates.index)
    for i, key in enumerate(keys):
        if key and key not in known:
            raise InputError(path, csv_line(i), f"{what} not found in data_raw/{source}", key)
    return pd.to_datetime(keys.map(dates.to_dict()))


def _extra_dates(data_raw: Path, reg: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """Dates from SpeechMap, LLMStats and the Epoch capabilities index (through the registry's
    optional id columns), then a full date stamp in the model id, in that order."""
    from .matching import embedded_date

    files = [("speechmap", SPEECHMAP, "model_identifier", "release_date", "speechmap_id"),
             ("llmstats", LLMSTATS, "llmstats_id", "release_date", "llmstats_id"),
             ("epoch_eci", ECI, "Model name", "Release date", "eci_id")]  # fmt: skip
    out = []
    for name, rel, key, date, col in files:
        if not (data_raw / rel).exists():
            continue
        df = _read_csv(data_raw / rel, [key, date])
        df = df[(df[key].str.strip() != "") & (df[date].str.strip() != "")].drop_duplicates(key)
        lines: list[int | None] = [csv_line(i) for i in range(len(df))]
        dates = pd.Series(_parse_dates(df[date], data_raw / rel, date, lines).to_numpy(),
                          index=df[key])  # fmt: skip
        out.append((name, _lookup(reg[col], dates, data_raw / REGISTRY, col, Path(rel))))
    stamps = reg["model_id"].map(embedded_date)
    out.append(("date in model id", pd.to_datetime(stamps)))
    return out


def _disagreement(t: pd.DataFrame, seed_cols: list[str]) -> None:
    """Add ``seed_date``, ``max_disagreement_days`` and ``dates_disagree`` in place."""
    seed_first = t[seed_cols[0]]
    for ns in seed_cols[1:]:
        seed_first = seed_first.fillna(t[ns])
    t["seed_date"] = seed_first
    source_dates = t[["epoch_date", "helm_date", *seed_cols]]
    spread = (source_dates.max(axis=1) - source_dates.min(axis=1)).dt.days
    t["max_disagreement_days"] = spread.where(source_dates.notna().sum(axis=1) >= 2).astype("Int64")
    t["dates_disagree"] = (t["max_disagreement_days"] > DISAGREE_DAYS).fillna(False).astype(bool)


def _check_corrections(corr: pd.DataFrame, known: set[str], data_raw: Path) -> None:
    for i, mid in enumerate(corr["model_id"]):
        if mid not in known:
            msg = "model_id is neither a registry model_id nor a HELM name"
            raise InputError(data_raw / CORRECTIONS, csv_line(i), msg, mid)


def _first_date(t: pd.DataFrame, candidates: list, fixes: pd.DataFrame) -> None:
    """``release_date``: the first candidate source (in order) that dates the model, and
    ``date_source`` naming it (a correction with its evidence)."""
    t["release_date"] = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    t["date_source"] = ""
    for name, dates in candidates:
        take = t["release_date"].isna() & dates.notna()
        t.loc[take, "release_date"] = dates[take]
        t.loc[take, "date_source"] = name
    evidence = fixes["evidence"].to_dict()
    t["date_source"] = [
        f"correction: {evidence[mid]}" if src == "correction" else src
        for mid, src in zip(t["model_id"], t["date_source"], strict=True)
    ]


def _check_dates(t: pd.DataFrame, reg_path: Path) -> None:
    """Every model has a release date, and none lies in the future."""
    missing = t["release_date"].isna().to_numpy()
    if missing.any():
        i = int(missing.argmax())
        msg = f"no release date from any source; add a row to data_raw/{CORRECTIONS}"
        raise InputError(reg_path, csv_line(i), msg, t.iloc[i]["model_id"])
    future = (t["release_date"] > pd.Timestamp.today().normalize()).to_numpy()
    if future.any():
        i = int(future.argmax())
        value = f"{t.iloc[i]['model_id']} {t.iloc[i]['release_date']:%Y-%m-%d}"
        raise InputError(reg_path, csv_line(i), "release date lies in the future", value)


def build_model_table(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """One row per registry model with provider, release date and where the date comes from."""
    data_raw = Path(data_raw)
    reg = load_registry(data_raw)
    aliases = load_aliases(data_raw)
    check_models_known(aliases["model_id"], reg, data_raw / ALIASES)
    corr = load_corrections(data_raw)
    helm = _helm_dates(data_raw)
    _check_corrections(corr, set(reg["model_id"]) | set(helm.index), data_raw)

    reg_path = data_raw / REGISTRY
    t = reg[["model_id", "display_name", "provider", "variant", "base_model_id"]].copy()
    t["epoch_date"] = _lookup(reg["epoch_id"], _epoch_dates(data_raw), reg_path, "epoch_id", EPOCH)
    t["helm_date"] = _lookup(reg["helm_id"], helm, reg_path, "helm_id", HELM)
    seed_cols = []
    for namespace, dates in _seed_dates(data_raw, aliases).items():
        t[namespace] = pd.to_datetime(t["model_id"].map(dates.to_dict()))
        seed_cols.append(namespace)
    fixes = corr.set_index("model_id")
    t["corrected"] = t["model_id"].isin(fixes.index)
    fixed = pd.to_datetime(t["model_id"].map(fixes["release_date"].to_dict()))

    candidates = [("correction", fixed), ("epoch", t["epoch_date"]), ("helm", t["helm_date"])]
    candidates += [(ns, t[ns]) for ns in seed_cols]
    extra = _extra_dates(data_raw, reg)
    for name, dates in extra:
        t[CONVENTION_COLUMNS[name]] = dates.to_numpy()
    _first_date(t, candidates + extra, fixes)
    _check_dates(t, reg_path)
    _disagreement(t, seed_cols)
    for col in ["release_date", "epoch_date", "helm_date", "seed_date"]:
        t[col] = pd.to_datetime(t[col]).astype("datetime64[ns]")
    for col in CONVENTION_COLUMNS.values():
        t[col] = pd.to_datetime(t[col]) if col in t else pd.Series(pd.NaT, index=t.index)
        t[col] = t[col].astype("datetime64[ns]")
    return t[TABLE_COLUMNS].reset_index(drop=True)

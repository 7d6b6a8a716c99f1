"""Match leaderboard model names to dated registry models, exactly, after one documented
canonicalisation; list what does not match instead of guessing.

``canonical(name)``: lower case; keep the part after the last ``/``; spaces and ``_`` become
``-``; a leading organisation word from ``ORG_WORDS`` followed by ``-`` is dropped; runs of
``-`` collapse. Two names are the same model only when their canonical keys are equal. A key is
matched to an existing registry model (through its id, display name or any alias), else to the
date sources (SpeechMap, LLMStats, Epoch model versions, or a full date stamp in the name
itself); a key that two date-source rows with different dates claim is ambiguous and unmatched
(rows with the same date under two ids are one model).
"""

from __future__ import annotations

import re

import pandas as pd

ORG_WORDS = [
    "openai", "google", "anthropic", "meta", "mistral", "zhipu-ai", "alibaba", "amazon",
    "microsoft", "cohere", "deepseek", "xai", "ibm", "nvidia", "snowflake", "apple", "tii",
    "databricks", "intel", "01-ai", "ai21",
]  # fmt: skip
# organisation slug (as the sources spell it) -> provider name used in the registry
PROVIDERS = {
    "openai": "OpenAI", "anthropic": "Anthropic", "google": "Google", "meta-llama": "Meta",
    "meta": "Meta", "mistralai": "Mistral AI", "mistral": "Mistral AI", "deepseek": "DeepSeek",
    "deepseek-ai": "DeepSeek", "qwen": "Qwen", "alibaba": "Qwen", "x-ai": "xAI", "xai-org": "xAI",
    "xai": "xAI", "ibm-granite": "IBM", "ibm": "IBM", "cohere": "Cohere",
    "coherelabs": "Cohere", "cohereforai": "Cohere", "z-ai": "Z.ai", "zai-org": "Z.ai",
    "thudm": "Z.ai", "moonshotai": "Moonshot AI", "microsoft": "Microsoft", "amazon": "Amazon",
    "nvidia": "NVIDIA", "allenai": "Allen Institute for AI", "01-ai": "01.AI",
    "ai21": "AI21 Labs", "ai21labs": "AI21 Labs", "tiiuae": "TII UAE",
    "snowflake": "Snowflake", "databricks": "Databricks", "minimax": "MiniMax",
    "minimaxai": "MiniMax", "xiaomi": "Xiaomi", "tencent": "Tencent", "baidu": "Baidu",
    "bytedance": "ByteDance", "apple": "Apple", "intel": "Intel", "internlm": "Shanghai AI Lab",
    "google deepmind": "Google", "meta ai": "Meta", "mistral ai": "Mistral AI",
    "zhipu ai,tsinghua university": "Z.ai", "zhipu-ai": "Z.ai", "moonshot": "Moonshot AI",
    "inceptionlabs": "Inception", "inception": "Inception", "antgroup": "Ant Group",
}  # fmt: skip
_DATE = re.compile(r"(?<!\d)(20[2-3]\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")


def canonical(name: str) -> str:
    """The canonical key of a model name (see the module docstring)."""
    k = str(name).strip().lower().rsplit("/", 1)[-1]
    k = re.sub(r"[\s_]+", "-", k)
    for word in ORG_WORDS:
        if k.startswith(word + "-"):
            k = k[len(word) + 1 :]
            break
    return re.sub(r"-{2,}", "-", k).strip("-")


def org_of(name: str) -> str:
    """The organisation slug of an ``org/model`` name, or the leading organisation word that
    ``canonical`` drops ("" without either)."""
    text = str(name).strip().lower()
    if "/" in text:
        return text.split("/", 1)[0]
    text = re.sub(r"[\s_]+", "-", text)
    return next((w for w in ORG_WORDS if text.startswith(w + "-")), "")


def provider_name(slug: str) -> str:
    """Registry provider for an organisation slug (the slug itself when not in ``PROVIDERS``)."""
    return PROVIDERS.get(slug.lower(), slug)


def embedded_date(name: str) -> pd.Timestamp | None:
    """A full date stamp in the name (``2024-05-13`` or ``20240513``), else None."""
    m = _DATE.search(str(name))
    if not m:
        return None
    try:
        return pd.Timestamp(f"{m.group(1)}-{m.group(2)}-{m.group(3)}")
    except ValueError:
        return None


def key_index(frame: pd.DataFrame, name_col: str, value_col: str) -> tuple[dict, set]:
    """canonical key -> value; keys whose rows carry different values are returned apart."""
    keys = frame[name_col].map(canonical)
    grouped = frame.assign(_k=keys).groupby("_k")[value_col].agg(lambda s: sorted(set(s)))
    unique = {k: v[0] for k, v in grouped.items() if len(v) == 1}
    return unique, {k for k, v in grouped.items() if len(v) > 1}


def variant_of(key: str) -> str:
    """Registry variant from the tokens of a canonical key (thinking, preview, fp8, or none)."""
    tokens = set(key.split("-"))
    for token, variant in [("thinking", "thinking"), ("preview", "preview"), ("fp8", "fp8")]:
        if token in tokens:
            return variant
    return ""


def _existing_index(registry: pd.DataFrame, aliases: pd.DataFrame) -> tuple[dict, set]:
    """canonical key -> existing model_id, from registry ids and display names (not from other
    boards' aliases: "GPT-4" on one board need not be the snapshot another board meant)."""
    del aliases
    names = pd.concat(
        [
            registry[["model_id"]].assign(name=registry["model_id"]),
            registry[["model_id"]].assign(name=registry["display_name"]),
        ],
        ignore_index=True,
    )
    return key_index(names, "name", "model_id")


def date_index(frame: pd.DataFrame) -> tuple[dict, set]:
    """canonical key -> row id of one date source (``name, id, release_date, org``).

    A key is ambiguous only when its rows carry different release dates; rows that agree on the
    date (one model listed under two organisation slugs, e.g. ``ibm/`` and ``ibm-granite/``)
    name one model, and the first id in sort order is kept."""
    keyed = frame.assign(_k=frame["name"].map(canonical))
    dates = keyed.groupby("_k")["release_date"].nunique()
    first = keyed.sort_values("id").groupby("_k")["id"].first()
    return {k: first[k] for k in dates.index[dates == 1]}, set(dates.index[dates > 1])


def _date_indexes(date_sources: dict[str, pd.DataFrame]) -> dict[str, tuple[dict, set]]:
    """Per date source: key -> row id, and the ambiguous keys (see ``date_index``)."""
    return {src: date_index(df) for src, df in date_sources.items()}


def _new_row(mid: str, name: str, org: str, key: str) -> dict:
    """A registry row for a model first seen on a git-extracted board."""
    return {
        "model_id": mid, "display_name": name.rsplit("/", 1)[-1], "provider": provider_name(org),
        "variant": variant_of(key), "base_model_id": "", "epoch_id": "", "helm_id": "",
        "note": f"matched by canonical key {key}", "speechmap_id": "", "llmstats_id": "",
        "eci_id": "",
    }  # fmt: skip


def propose(
    names: pd.DataFrame,
    registry: pd.DataFrame,
    aliases: pd.DataFrame,
    date_sources: dict[str, pd.DataFrame],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """New registry rows, new alias rows and unmatched names for ``names`` (``namespace, name``).

    ``date_sources`` maps a registry id column (``speechmap_id``, ``llmstats_id``, ``epoch_id``)
    to a frame with ``name`` (the string matched), ``id`` (the value stored in that column),
    ``release_date`` and ``org``.
    """
    existing, existing_amb = _existing_index(registry, aliases)
    indexes = _date_indexes(date_sources)
    lookup = {src: df.set_index("id") for src, df in date_sources.items()}
    known = set(zip(aliases["namespace"], aliases["name"], strict=True))
    new_models: dict[str, dict] = {}
    alias_rows, unmatched = [], []
    for ns, name in names[["namespace", "name"]].drop_duplicates().itertuples(index=False):
        if (ns, name) in known:
            continue
        k = canonical(name)
        if k in existing_amb:
            unmatched.append((ns, name, k, "key names two registry models"))
            continue
        if k in existing:
            alias_rows.append((ns, name, existing[k], f"canonical key {k}"))
            continue
        ids = {src: idx[0][k] for src, idx in indexes.items() if k in idx[0]}
        amb = [src for src, idx in indexes.items() if k in idx[1]]
        stamp = embedded_date(name)
        if not ids and stamp is None:
            reason = f"ambiguous in {', '.join(amb)}" if amb else "no dated model with this key"
            unmatched.append((ns, name, k, reason))
            continue
        org = org_of(name) or next(
            (str(lookup[s].at[i, "org"]) for s, i in ids.items() if lookup[s].at[i, "org"]), ""
        )
        if not org:
            unmatched.append((ns, name, k, "dated, but no organisation to name the provider"))
            continue
        slug = re.sub(r"[^a-z0-9.]+", "-", provider_name(org).lower()).strip("-")
        mid = f"{slug}/{k}"
        row = new_models.setdefault(mid, _new_row(mid, name, org, k))
        for src, i in ids.items():
            row[src] = row[src] or i
        alias_rows.append((ns, name, mid, f"canonical key {k}"))
    reg = pd.DataFrame(list(new_models.values()))
    al = pd.DataFrame(alias_rows, columns=["namespace", "name", "model_id", "note"])
    un = pd.DataFrame(unmatched, columns=["namespace", "name", "canonical_key", "reason"])
    return reg, al, un

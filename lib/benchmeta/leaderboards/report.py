"""The sentences and side-by-side tables of notebook 07's extension (provider-robust trends)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.paths import DATA_RAW
from . import regimes
from .sources import HELM_SOURCE, confabulations, llmstats, vectara

# Fixed style order: these providers keep their colour and marker in every figure.
PROVIDER_ORDER = ["OpenAI", "Anthropic", "Google", "Meta", "Mistral AI", "Qwen", "DeepSeek"]
# ... and these a fixed grey and marker each
OTHER_PROVIDERS = [
    "xAI", "Microsoft", "IBM", "Cohere", "Z.ai", "Amazon", "NVIDIA", "Moonshot AI", "01.AI",
    "AI21 Labs", "Allen Institute for AI", "Databricks", "TII UAE", "Writer", "Snowflake",
    "Inception", "Marin Community", "MiniMax", "Tencent", "Baidu",
]  # fmt: skip
NOT_INDEPENDENT = {llmstats.SELF_REPORTED, llmstats.INDEPENDENT}


PUBLICATIONS = "leaderboards/publication_dates.csv"


def publication_dates(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """Per source: ``last_published`` (last commit of the collected board history, else the last
    change to the results file we read), what that date is (``basis``) and ``frozen_from`` where
    the board announced it stops (HELM's maintenance mode). A maintenance-policy commit is not a
    publication, so HELM's ``last_published`` stays unknown."""
    rows = []
    for source, rel in [
        (vectara.SOURCE, "leaderboards/vectara_hallucination_history.csv"),
        (confabulations.SOURCE, "leaderboards/confabulations_history.csv"),
    ]:
        path = data_raw / rel
        if path.exists():
            last = pd.to_datetime(pd.read_csv(path, usecols=["date"])["date"]).max()
            rows.append((source, last, "last commit of the collected board history", pd.NaT))
    path = data_raw / PUBLICATIONS
    if path.exists():
        pub = pd.read_csv(path, dtype=str, keep_default_na=False)
        for r in pub.itertuples(index=False):
            policy = r.frozen_from != ""
            last = pd.NaT if policy else pd.Timestamp(r.last_change)
            basis = f"{r.meaning} ({r.repo}@{r.commit[:7]}:{r.path}, {r.last_change})"
            rows.append((r.source, last, basis, pd.Timestamp(r.frozen_from) if policy else pd.NaT))
    cols = ["source", "last_published", "basis", "frozen_from"]
    return pd.DataFrame(rows, columns=cols).drop_duplicates("source")


def independent(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of independent evaluations only (vendor self-reports are never pooled with them)."""
    return df[~df["source"].isin(NOT_INDEPENDENT)]


def curve_sets(dated: pd.DataFrame, margins: np.ndarray, alpha: float, min_n: int) -> pd.DataFrame:
    """Saturation curve on the trend model set, and on the models of the most recent year."""
    last_year = dated["release_date"] >= dated["release_date"].max() - pd.Timedelta(days=365)
    return pd.concat(
        [
            regimes.saturation_curve(dated, margins, alpha, min_n).assign(subset="all dated"),
            regimes.saturation_curve(dated[last_year], margins, alpha, min_n).assign(
                subset="latest year"
            ),
        ],
        ignore_index=True,
    )


def tracker_side_by_side(robust: pd.DataFrame) -> pd.DataFrame:
    """HELM Safety v1.5.0 (the seed tracker's 22 models, three providers) next to v1.17.0."""
    h = robust[robust["source"] == HELM_SOURCE]
    cols = ["benchmark", "n", "providers", "slope_logit_per_year", "p", "cluster_p", "verdict"]
    a = h[h["version"] == "v1.5.0"][cols]
    b = h[h["version"] == "v1.17.0"][cols]
    return a.merge(b, on="benchmark", suffixes=(" (tracker v1.5.0)", " (extension v1.17.0)"))


def regime_label(df: pd.DataFrame) -> pd.Series:
    """ "source version: benchmark (metric)", naming the benchmark only where it differs from the
    source and the metric only where one benchmark has several in that regime."""
    n_metrics = df.groupby(["source", "version", "benchmark"])["metric"].transform("nunique")
    label = df["source"] + " " + df["version"]
    label = label.where(df["benchmark"] == df["source"], label + ": " + df["benchmark"])
    return label.where(n_metrics == 1, label + " (" + df["metric"] + ")")


def _names(xs: list[str]) -> str:
    return "; ".join(xs) if xs else "none"


def _list(xs: list[str]) -> str:
    return ", ".join(xs) if xs else "none"


def headline(robust: pd.DataFrame, dated: pd.DataFrame, saturated: pd.DataFrame) -> str:
    """The title answer, from the provider-robust verdicts of the independent sources."""
    t = independent(robust)
    tested = t[t["verdict"] != "not tested"]
    label = regime_label(tested)
    v = tested["verdict"]
    robust_up = label[v.str.startswith("safer over time")].tolist()
    one_prov = label[v.str.startswith("safer (robust, but rests")].tolist()
    pooled_only = label[v.str.startswith("safer (pooled only")].tolist()
    down = label[v.str.startswith("less safe over time") | v.str.startswith("less safe (robust")]
    down_pooled = label[v.str.startswith("less safe (pooled only")].tolist()
    d = independent(dated)
    sat = saturated[saturated["saturated_from_margin"].notna()]
    sat_small = sat[sat["saturated_from_margin"] <= 0.02]
    sat_names = (regime_label(sat) + " (from margin "
                 + sat["saturated_from_margin"].map("{:.2f}".format) + ")").tolist()  # fmt: skip
    return (
        f"Across {d['source'].nunique()} independent sources "
        f"({d['model_id'].nunique()} dated models "
        f"released {d['release_date'].min():%B %Y} to {d['release_date'].max():%B %Y}), "
        f"{len(tested)} benchmark regimes have enough dated models to test. "
        f"{len(robust_up)} show a provider-robust rise in safety ({_names(robust_up)}); "
        f"{len(one_prov)} rise but rest on one provider ({_names(one_prov)}); "
        f"{len(pooled_only)} rise only in the pooled test, not once providers are clustered "
        f"({_names(pooled_only)}); {len(down)} fall provider-robustly ({_names(down.tolist())}) "
        f"and {len(down_pooled)} fall in the pooled test only ({_names(down_pooled)}); the rest "
        "show no "
        f"significant trend. Saturated at some margin up to 0.10: {_names(sat_names)} "
        f"({len(sat_small)} already at a margin of 0.02)."
    )


# boards with more than one regime, drawn one panel per regime
REGIME_BOARDS = [vectara.SOURCE, "SORRY-Bench", confabulations.SOURCE]


def regime_boards(dated: pd.DataFrame) -> pd.DataFrame:
    """Rows of the boards in ``REGIME_BOARDS``, with their regime label as ``panel``."""
    boards = dated[dated["source"].isin(REGIME_BOARDS)]
    return boards.assign(panel=regime_label(boards))


def regime_panels(robust: pd.DataFrame) -> list[str]:
    """Panels of the regime figure, in source and release order (non-trend metrics left out)."""
    r = robust[robust["source"].isin(REGIME_BOARDS) & (robust["metric"] != "non-response rate")]
    return r["panel"].tolist()


def tracker_sentence(side: pd.DataFrame) -> str:
    """What changes between the tracker's data and the extension, from the side-by-side table."""
    t, e = " (tracker v1.5.0)", " (extension v1.17.0)"
    sig = lambda col: side.loc[side["p" + col] < 0.05, "benchmark"].tolist()  # noqa: E731
    robust_e = side.loc[side["verdict" + e].str.startswith("safer over time"), "benchmark"]
    robust_t = side.loc[side["verdict" + t].str.startswith("safer"), "benchmark"].tolist()
    n_t, n_e = int(side["n" + t].max()), int(side["n" + e].max())
    return (
        f"On the tracker's data (n = {n_t} dated non-variant models, "
        f"{int(side['providers' + t].max())} providers) the unadjusted Mann-Kendall p is below "
        f"0.05 for {_list(sig(t))}; after Holm and the provider-robust tests {len(robust_t)} of "
        f"its {len(side)} scenarios rise ({_list(robust_t)}). On v1.17.0 (n = {n_e}, "
        f"{int(side['providers' + e].max())} providers) {_list(robust_e.tolist())} rise "
        "provider-robustly. v1.5.0's scores reappear unchanged in v1.17.0 (cross-check above): "
        "old runs were carried over, so what differs is the set of models (newer ones, from more "
        "providers). That both versions share one harness is an assumption, and model vintage "
        "and evaluation release are confounded."
    )


def curve_panels(curve: pd.DataFrame, min_share: float = 0.25) -> list[str]:
    """Panels worth drawing: regimes whose share near the ceiling reaches ``min_share`` at the
    widest margin (the table lists every regime)."""
    widest = curve[
        (curve["subset"] == "all dated")
        & (curve["margin"] == curve["margin"].max())
        & (curve["metric"] != "non-response rate")  # the cost side, not a safety score
    ]
    return widest.loc[widest["share"] >= min_share, "panel"].tolist()


def strip_rows(sat: pd.DataFrame, min_models: int) -> pd.DataFrame:
    """Saturation rows worth a strip: independent sources with at least ``min_models`` models
    (the table keeps every row)."""
    s = independent(sat)
    return s[s["n_models"] >= min_models]

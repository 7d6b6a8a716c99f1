"""Is "safer" more than "more capable"? Safety against the Epoch Capabilities Index (ECI), and
trends under each release-date convention.

ECI per model: the registry's ``eci_id`` (an ECI "Model name") or its ``epoch_id`` (an ECI
"Model version"); where ECI lists several settings of one model (reasoning effort), the highest
score is used. Exact ids only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm

from .. import stats
from ..core.paths import DATA_RAW
from . import model_table as models
from .robust import KEYS, _years
from .trends import _logit_safety

ADJUSTED = [
    *KEYS, "n_with_eci", "rho", "rho_low", "rho_high", "rho_p", "slope_per_year", "p_year",
    "slope_per_year_adjusted", "p_year_adjusted", "slope_per_eci_point", "p_eci", "note",
]  # fmt: skip
CONVENTIONS = {
    "default (precedence in model_table)": "release_date",
    "Epoch model versions": "epoch_date",
    "HELM metadata": "helm_date",
    "SpeechMap": "speechmap_date",
    "LLMStats": "llmstats_date",
    "Epoch capabilities index": "epoch_eci_date",
    "date in the model id": "id_date",
}


def eci_scores(data_raw: Path = DATA_RAW) -> pd.DataFrame:
    """``model_id, eci, eci_match`` for every registry model with an ECI score."""
    eci = pd.read_csv(data_raw / models.ECI, dtype={"ECI Score": float})
    eci = eci.dropna(subset=["ECI Score"])
    by_name = eci.groupby("Model name")["ECI Score"].max()
    by_version = eci.groupby("Model version")["ECI Score"].max()
    reg = models.load_registry(data_raw)
    a = reg["eci_id"].map(by_name)
    b = reg["epoch_id"].map(by_version)
    out = pd.DataFrame(
        {
            "model_id": reg["model_id"],
            "eci": a.fillna(b),
            "eci_match": np.where(
                a.notna(), "ECI model name", np.where(b.notna(), "ECI version", "")
            ),
        }
    )
    return out.dropna(subset=["eci"]).reset_index(drop=True)


def _adjusted(g: pd.DataFrame) -> dict:
    y = _logit_safety(g)
    x = np.column_stack([_years(g["release_date"]), g["eci"].to_numpy()])
    codes = pd.factorize(g["provider"])[0]
    fit = sm.OLS(y, sm.add_constant(x)).fit(cov_type="cluster", cov_kwds={"groups": codes})
    raw = sm.OLS(y, sm.add_constant(x[:, :1])).fit(cov_type="cluster", cov_kwds={"groups": codes})
    return {
        "slope_per_year": float(raw.params[1]), "p_year": float(raw.pvalues[1]),
        "slope_per_year_adjusted": float(fit.params[1]), "p_year_adjusted": float(fit.pvalues[1]),
        "slope_per_eci_point": float(fit.params[2]), "p_eci": float(fit.pvalues[2]),
    }  # fmt: skip


def capability_adjustment(dated: pd.DataFrame, eci: pd.DataFrame, min_n: int = 10) -> pd.DataFrame:
    """Per regime and benchmark with at least ``min_n`` models that have an ECI score: Spearman
    rho of safety with ECI (bootstrap CI), and the logit-safety slope per year before and after
    adding ECI as a covariate (OLS, provider-clustered SEs)."""
    df = dated.merge(eci, on="model_id", how="inner")
    rows = []
    for key, g in df.groupby(KEYS, sort=True):
        row = {**dict(zip(KEYS, key, strict=True)), "n_with_eci": len(g)}
        if len(g) < min_n or g["release_date"].nunique() < 3:
            rows.append({**row, "note": f"not run: fewer than {min_n} models with an ECI score"})
            continue
        c = stats.spearman(g["safety"], g["eci"])
        rows.append({**row, "rho": c.rho, "rho_low": c.low, "rho_high": c.high,
                     "rho_p": c.p, **_adjusted(g), "note": ""})  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=ADJUSTED)


def date_sensitivity(
    scores: pd.DataFrame, model_table: pd.DataFrame, tested: pd.DataFrame, min_n: int = 10
) -> pd.DataFrame:
    """Pooled trend of every tested regime re-run with each date convention (n is the models
    that convention dates; a convention with fewer than ``min_n`` is reported as not run)."""
    cols = [c for c in CONVENTIONS.values() if c in model_table.columns]
    df = scores.merge(model_table[["model_id", "variant", *cols]], on="model_id")
    df = df[df["variant"].fillna("") == ""]
    keep = tested[["source", "version", "benchmark", "metric"]]
    df = df.merge(keep, on=KEYS)
    rows = []
    for key, g in df.groupby(KEYS, sort=True):
        for label, col in CONVENTIONS.items():
            if col not in g:
                continue
            h = g.dropna(subset=[col])
            t = stats.trend(h[col], pd.Series(_logit_safety(h), index=h.index), min_n)
            rows.append(
                {
                    **dict(zip(KEYS, key, strict=True)),
                    "convention": label,
                    "n": t.n,
                    "slope_logit_per_year": t.slope,
                    "p": t.p,
                    "note": t.note,
                }  # fmt: skip
            )
    return pd.DataFrame(rows)


def sensitivity_wide(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """``date_sensitivity`` as one row per regime and one p-value column per date convention."""
    return sensitivity.pivot_table(index=KEYS, columns="convention", values="p", aggfunc="first")

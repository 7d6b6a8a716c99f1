"""Benchmark passports: the registry's exact joins, the verdict rules, the three questions and
the JSON export; a new registry row reaches the passport table without a notebook edit."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from benchmeta.core.errors import InputError
from benchmeta.core.paths import DATA_RAW
from benchmeta.core.tables import read_table
from benchmeta.passports import build, life, questions, registry, report, screening, verdicts


def _copy_raw(tmp_path):
    for sub in ["benchmarks", "screening"]:
        shutil.copytree(DATA_RAW / sub, tmp_path / sub, ignore=shutil.ignore_patterns("scans"))
    return tmp_path


def _assemble(data_raw):
    scores = read_table("leaderboard_scores")
    t07 = {
        "curve": read_table("saturation_curve"),
        "separable": read_table("top_model_separability"),
        "adjusted": read_table("capability_adjusted_trends"),
        "publications": pd.DataFrame(columns=["source", "last_published", "basis", "frozen_from"]),
    }
    return report.assemble(report.upstream(), scores, scores, t07, verdicts.Thresholds(),
                           data_raw=data_raw)  # fmt: skip


def test_a_new_registry_row_and_an_unregistered_board_benchmark_reach_the_passports(tmp_path):
    raw = _copy_raw(tmp_path)
    reg = pd.read_csv(raw / registry.REGISTRY, dtype=str, keep_default_na=False)
    new = {c: "" for c in reg.columns}
    new.update(
        benchmark_id="new-bench",
        name="NewBench",
        paper_id="2999.00001",
        data_released="2025-01",
        data_released_basis="test",
        study_window="after",
    )
    pd.concat([reg, pd.DataFrame([new])]).to_csv(raw / registry.REGISTRY, index=False)
    names = pd.read_csv(raw / registry.NAMES, dtype=str, keep_default_na=False)
    names = names[names["benchmark_id"] != "trustllm"]  # TrustLLM's six names lose their row
    names.to_csv(raw / registry.NAMES, index=False)
    pd.DataFrame(columns=registry.DATASET_COLUMNS).to_csv(raw / registry.DATASETS, index=False)
    p = _assemble(raw)["passports"].set_index("benchmark_id")
    row = p.loc["new-bench"]
    assert row["name"] == "NewBench" and row["screening_status"] == "not in any curated list"
    assert row["repo_scanned"] == "no" and "no repository known" in row["scan_note"]
    assert row["verdict_maintained"] == "unknown" and row["lb_sources"] == 0
    flagged = p[p["registry_status"] == "leaderboard benchmark without a registry row"]
    assert {"board:TrustLLM/TrustLLM safety", "board:TrustLLM/TrustLLM ethics"} <= set(
        flagged.index
    )
    assert (flagged["lb_sources"] == 1).all()


def test_registry_errors_name_file_line_and_value(tmp_path):
    raw = _copy_raw(tmp_path)
    reg = pd.read_csv(raw / registry.REGISTRY, dtype=str, keep_default_na=False)
    reg.loc[3, "study_window"] = "sometime"
    reg.to_csv(raw / registry.REGISTRY, index=False)
    with pytest.raises(InputError, match=r"registry.csv:5: study_window .*'sometime'"):
        registry.load(raw)
    reg.loc[3, "study_window"] = "in"
    reg.loc[4, "data_released"] = "2024/05"
    reg.to_csv(raw / registry.REGISTRY, index=False)
    with pytest.raises(InputError, match=r"registry.csv:6: data_released .*'2024/05'"):
        registry.load(raw)
    reg.loc[4, "data_released"] = ""
    reg.to_csv(raw / registry.REGISTRY, index=False)
    names = pd.read_csv(raw / registry.NAMES, dtype=str, keep_default_na=False)
    names.loc[0, "benchmark_id"] = "no-such-benchmark"
    names.to_csv(raw / registry.NAMES, index=False)
    with pytest.raises(InputError, match=r"leaderboard_names.csv:2: benchmark_id not in the reg"):
        registry.load(raw)


def test_label_basis_reads_the_screening_trail():
    trail = "title-abstract: rules=include curators=include | topic: rules=JB curators=JB | {}"
    assert screening.label_basis(trail.format(
        "benchmark: rules=benchmark curators=benchmark")) == "rule and curators agree"  # fmt: skip
    assert screening.label_basis(trail.format(
        "benchmark: rules=non-benchmark curators=benchmark -> adjudicated benchmark")
    ) == "adjudicated by hand"  # fmt: skip
    assert (
        screening.label_basis(trail.format("benchmark: rules=benchmark curators=no signal"))
        == "rule only (curators silent)"
    )
    assert screening.label_basis("nothing") == "unknown"
    assert screening.record_id("2402.04249") == "arxiv:2402.04249"


def _row(**kw):
    base = dict(reference_date=pd.Timestamp("2026-08-22"), last_commit=pd.Timestamp("2026-01-01"),
                undeclared_imports=0.0, resolves_today="yes", declares_dependencies="yes",
                adoption_edges=0.0, lb_sources=0, n_latest_year=np.nan, told_apart="unknown",
                capability_rho=np.nan, **{f"near_{m:.2f}": np.nan for m in life.MARGINS},
                **{f"near_{m:.2f}_latest_year": np.nan for m in life.MARGINS})  # fmt: skip
    base.update(kw)
    return base


def test_verdict_rules_follow_their_thresholds():
    p = pd.DataFrame([
        _row(),
        _row(last_commit=pd.Timestamp("2024-01-01"), undeclared_imports=2.0, adoption_edges=np.nan,
             lb_sources=1, **{"near_0.05": 0.7}, capability_rho=0.8),
        _row(last_commit=pd.NaT, resolves_today="unknown", declares_dependencies="no",
             adoption_edges=np.nan, n_latest_year=12, **{"near_0.05": 0.7,
             "near_0.05_latest_year": 0.2}, capability_rho=-0.1),
    ])  # fmt: skip
    v = verdicts.verdicts(p, verdicts.Thresholds())
    assert v.iloc[0].tolist() == ["yes", "yes", "no", "unknown", "unknown"]
    assert v.iloc[1].tolist() == ["no", "no", "yes", "no", "no"]
    assert v.iloc[2].tolist() == ["unknown", "no", "unknown", "yes", "yes"]
    loose = verdicts.verdicts(p, verdicts.Thresholds(maintained_days=2000, max_undeclared=5,
                                                     saturated_share=0.8))  # fmt: skip
    assert loose.iloc[1][["verdict_maintained", "verdict_installable",
                          "verdict_discriminating"]].tolist() == ["yes", "yes", "yes"]  # fmt: skip


def test_saturation_event_counts_only_new_models_in_the_trailing_window():
    dates = pd.to_datetime(["2023-06-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01",
                            "2024-07-01", "2025-01-01"])  # fmt: skip
    g = pd.DataFrame({"release_date": dates, "safety": [1.0, 0.5, 0.99, 0.99, 0.98, 0.5, 0.99]})
    hit = questions._event(g[g["release_date"] >= "2024-01-01"], 0.05, 0.5, 365, 5)
    assert hit == pd.Timestamp("2024-07-01")  # 3 of 5 new models near the ceiling
    assert questions._event(g, 0.05, 0.9, 365, 5) is None
    events = pd.DataFrame({"note": ["", "", "", "x"], "saturated": [True, False, True, False],
                           "years": [1.0, 2.0, 3.0, np.nan]})  # fmt: skip
    curve, km = questions.time_to_saturation(events)
    assert km["n"] == 3 and km["saturated"] == 2 and curve["survival"].iloc[-1] == 0


def test_main_regime_prefers_independent_sources():
    rows = pd.DataFrame({"benchmark_id": "b", "source": ["Vendor", "Board"], "version": "v",
                         "benchmark": "B", "metric": "m", "n_models": [30, 8],
                         "first_model_release": pd.Timestamp("2024-01-01"),
                         "last_model_release": pd.Timestamp("2025-01-01")})  # fmt: skip
    for col in life.LIFE_COLUMNS:
        rows[col] = rows.get(col, np.nan)
    pubs = pd.DataFrame({"source": ["Board"], "last_published": [pd.Timestamp("2025-02-01")]})
    s = life.summary(rows, pubs, pd.Series({"b": 35}), {"Vendor"})
    assert s.iloc[0]["lb_main_regime"] == "Board v: m" and s.iloc[0]["lb_models"] == 35


def test_completeness_counts_known_cells_and_the_json_uses_eee_field_names():
    p = pd.DataFrame([{c: "unknown" for c in build.COMPLETENESS_FIELDS}])
    p["lb_sources"], p["paper_id"], p["repo_scanned"] = 2, "2402.04249", "yes"
    assert build.known_share(p).iloc[0] == pytest.approx(3 / len(build.COMPLETENESS_FIELDS))
    p = p.assign(
        benchmark_id="b",
        **{"near_0.02": 0.5, "near_0.05": 0.6, "near_0.10": np.nan},
        lb_models_main=20,
        lb_main_regime="R",
        pylint_score=7.5,
        mi_mean=np.nan,
    )
    doc = json.loads(
        report.to_json(p, pd.DataFrame({"benchmark_id": ["b"], "dataset_id": ["o/d"]}))
    )
    rec = doc["benchmarks"][0]
    assert rec["source_data"] == [{"source_type": "hf_dataset", "hf_repo": "o/d"}]
    first = rec["evaluation_results"][0]
    assert first["metric_config"]["lower_is_better"] is True
    ci = first["score_details"]["uncertainty"]["confidence_interval"]
    assert (
        ci["lower"] < 0.5 < ci["upper"]
        and first["score_details"]["uncertainty"]["num_samples"] == 20
    )
    assert [r["evaluation_name"] for r in rec["evaluation_results"]][-1] == "pylint_score"

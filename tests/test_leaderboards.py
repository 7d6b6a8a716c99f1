"""The leaderboard data contract: importers, validation errors, and the drop-in extension point."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from benchmeta.core import manifest
from benchmeta.core.errors import InputError
from benchmeta.leaderboards import model_table as models
from benchmeta.leaderboards import table as leaderboards

ROOT = Path(__file__).resolve().parents[1]
GOOD = {
    "source": "Toy Board",
    "version": "1",
    "model_id": "openai/gpt-4o-2024-05-13",
    "model_name": "GPT-4o",
    "provider": "",
    "benchmark": "ToyBench",
    "metric": "refusal rate",
    "score": "91",
    "scale_min": "0",
    "scale_max": "100",
    "higher_is_safer": "true",
    "n_items": "200",
    "retrieved_at": "2026-11-01",
    "url": "https://example.org/toy",
}


@pytest.fixture(scope="module")
def model_table():
    return models.build_model_table(ROOT / "data_raw")


@pytest.fixture(scope="module")
def committed(model_table):
    return leaderboards.load(ROOT / "data_raw", model_table)


def copy_data_raw(tmp_path: Path) -> Path:
    dst = tmp_path / "data_raw"
    shutil.copytree(ROOT / "data_raw", dst)
    return dst


def add_board(data_raw: Path, rows: list[dict], name: str = "toy_board.csv") -> Path:
    path = data_raw / "leaderboards" / name
    pd.DataFrame(rows, columns=leaderboards.COLUMNS).to_csv(path, index=False)
    manifest.record(
        [
            manifest.Entry(
                path=f"leaderboards/{name}",
                source="test",
                url="",
                retrieved_at="2026-11-01",
                sha256="",
                licence="CC0-1.0",
                collector="test",
            )
        ],
        data_raw,
    )
    return path


def test_helm_safety_is_87_models_by_5_scenarios_on_0_1(committed):
    helm = committed[(committed["source"] == "HELM Safety") & (committed["version"] == "v1.17.0")]
    assert len(helm) == 435 and helm["model_id"].nunique() == 87
    assert set(helm["benchmark"]) == set(leaderboards.HELM_SCENARIOS.values())
    assert helm["score"].between(0, 1).all() and helm["score"].max() > 0.99
    # the staging export stores x100; the median SimpleSafetyTests score is documented as 98.75
    sst = helm[helm["benchmark"] == "SimpleSafetyTests"]["score"].median()
    assert sst == pytest.approx(0.9875, abs=1e-4)


def test_seed_helm_copy_agrees_with_v1_17(committed):
    check = leaderboards.cross_check(committed, "HELM Safety", "v1.5.0", "v1.17.0")
    assert len(check) == 110 and check["abs_diff"].max() <= 0.0005 + 1e-9


def test_normalisation_flips_direction_and_rescales():
    df = pd.DataFrame(
        {
            "score": [80.0, 0.2],
            "scale_min": [0.0, 0.0],
            "scale_max": [100.0, 1.0],
            "higher_is_safer": [True, False],
        }
    )
    assert leaderboards.normalise(df)["safety"].tolist() == pytest.approx([0.8, 0.8])


def test_safetywashing_attack_failure_is_higher_is_safer(committed):
    sw = committed[committed["source"] == "Safetywashing"]
    hb = sw[sw["benchmark"] == "HarmBench"]
    assert hb["higher_is_safer"].all() and hb["scale_max"].eq(100).all()
    assert sw["safety"].between(0, 1).all() and sw["model_id"].nunique() == 26


def test_empty_seed_cells_are_missing_not_zero(committed):
    seed = committed[committed["version"] == "seed copy 0eca2f2"]
    raw = pd.read_csv(ROOT / "data_raw/leaderboards/seed_combined_safety_benchmarks.csv")
    filled = raw[list(leaderboards.SEED_COMBINED)].notna().sum().sum()
    assert len(seed) == filled and (seed["score"] > 0).all()


def test_tidy_csv_is_picked_up(tmp_path, model_table):
    data_raw = copy_data_raw(tmp_path)
    add_board(
        data_raw, [GOOD, {**GOOD, "model_id": "anthropic/claude-3-opus-20240229", "score": "97"}]
    )
    df = leaderboards.load(data_raw, model_table)
    toy = df[df["source"] == "Toy Board"]
    assert len(toy) == 2 and toy["safety"].tolist() == pytest.approx([0.91, 0.97])
    assert toy["provider"].tolist() == ["OpenAI", "Anthropic"]  # filled from the model table


@pytest.mark.parametrize(
    ("change", "message", "value"),
    [
        ({"higher_is_safer": "maybe"}, "unknown direction", "maybe"),
        ({"score": "101"}, "score outside", "101"),
        ({"score": "high"}, "score is not a number", "high"),
        ({"model_id": "acme/unknown-model"}, "unknown model_id", "acme/unknown-model"),
        ({"n_items": "-3"}, "n_items", "-3"),
    ],
)
def test_bad_row_names_file_line_and_value(tmp_path, model_table, change, message, value):
    data_raw = copy_data_raw(tmp_path)
    add_board(
        data_raw,
        [
            GOOD,
            {**GOOD, "model_id": "anthropic/claude-3-opus-20240229"},
            {**GOOD, "model_id": "openai/gpt-4-0314", **change},
        ],
    )
    with pytest.raises(InputError) as err:
        leaderboards.load(data_raw, model_table)
    assert err.value.line == 4 and err.value.path.endswith("leaderboards/toy_board.csv")
    assert message in str(err.value) and repr(value) in str(err.value)


def test_duplicate_key_is_an_error(tmp_path, model_table):
    data_raw = copy_data_raw(tmp_path)
    add_board(data_raw, [GOOD, {**GOOD, "score": "50"}])
    with pytest.raises(InputError, match=r"toy_board.csv:3: duplicate key"):
        leaderboards.load(data_raw, model_table)


def test_unknown_name_in_a_source_file_names_its_line(tmp_path, model_table):
    data_raw = copy_data_raw(tmp_path)
    path = data_raw / "leaderboards" / "seed_combined_safety_benchmarks.csv"
    text = path.read_text().replace("Clause 3.5 Haiku", "Claude 9 Opus")
    path.write_text(text)
    manifest.record(
        [
            manifest.Entry(
                path="leaderboards/seed_combined_safety_benchmarks.csv",
                source="t",
                url="",
                retrieved_at="x",
                sha256="",
                licence="MIT",
                collector="t",
            )
        ],
        data_raw,
    )
    with pytest.raises(InputError, match=r"seed_combined_safety_benchmarks.csv:11: unknown model"):
        leaderboards.load(data_raw, model_table)


def test_missing_schema_column_is_reported(tmp_path, model_table):
    data_raw = copy_data_raw(tmp_path)
    path = data_raw / "leaderboards" / "toy_board.csv"
    pd.DataFrame([GOOD]).drop(columns=["higher_is_safer"]).to_csv(path, index=False)
    manifest.record(
        [
            manifest.Entry(
                path="leaderboards/toy_board.csv",
                source="t",
                url="",
                retrieved_at="x",
                sha256="",
                licence="x",
                collector="t",
            )
        ],
        data_raw,
    )
    with pytest.raises(InputError, match=r"toy_board.csv:1: not in the tidy leaderboard schema"):
        leaderboards.load(data_raw, model_table)


def _compendium_copy(tmp_path: Path) -> Path:
    root = tmp_path / "compendium"
    root.mkdir()
    for name in ["pyproject.toml", "requirements.txt"]:
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "data_raw", root / "data_raw")
    shutil.copytree(ROOT / "lib", root / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "07_safety_trends.ipynb", root / "notebooks")
    for sub in ["data_processed", "figures"]:
        shutil.copytree(ROOT / sub, root / sub)
    return root


def _reproduce(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BENCHMETA_ROOT": str(root), "PYTHONPATH": str(root / "lib")}
    return subprocess.run(
        [sys.executable, "-m", "benchmeta", "reproduce", "--only", "07"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
@pytest.mark.xdist_group("notebook")
def test_new_leaderboard_flows_through_notebook_07(tmp_path):
    root = _compendium_copy(tmp_path)
    rows = [
        {**GOOD, "model_id": m, "score": str(s)}
        for m, s in [
            ("openai/gpt-4-0314", 60),
            ("openai/gpt-4o-2024-05-13", 70),
            ("anthropic/claude-3-opus-20240229", 80),
            ("openai/gpt-4o-mini-2024-07-18", 75),
            ("anthropic/claude-3-5-sonnet-20240620", 90),
            ("openai/o1-2024-12-17", 95),
        ]
    ]
    add_board(root / "data_raw", rows)
    res = _reproduce(root)
    assert res.returncode == 0, res.stdout + res.stderr
    scores = pd.read_csv(root / "data_processed" / "leaderboard_scores.csv")
    assert (scores["source"] == "Toy Board").sum() == 6
    trends = pd.read_csv(root / "data_processed" / "safety_trends.csv")
    toy = trends[trends["source"] == "Toy Board"].iloc[0]
    assert toy["n"] == 6 and toy["slope_logit_per_year"] > 0
    sat = pd.read_csv(root / "data_processed" / "saturation.csv")
    assert "ToyBench" in set(sat["benchmark"])


@pytest.mark.slow
@pytest.mark.xdist_group("notebook")
def test_bad_leaderboard_stops_reproduce_and_writes_nothing(tmp_path):
    root = _compendium_copy(tmp_path)
    add_board(root / "data_raw", [GOOD, {**GOOD, "model_id": "openai/gpt-4-0314", "score": "140"}])
    before = {
        p: p.read_bytes()
        for sub in ["data_processed", "figures", "notebooks"]
        for p in (root / sub).rglob("*")
        if p.is_file()
    }
    res = _reproduce(root)
    assert res.returncode == 2  # refused by the preflight check, before any notebook runs
    first = res.stderr.splitlines()[0]  # the error comes first and alone, no traceback
    assert first.startswith("error: ") and "toy_board.csv:3: score outside [0.0, 100.0]" in first
    assert "(value: '140')" in first and "Traceback" not in res.stderr
    assert "run  " not in res.stdout
    after = {
        p: p.read_bytes()
        for sub in ["data_processed", "figures", "notebooks"]
        for p in (root / sub).rglob("*")
        if p.is_file()
    }
    assert after == before

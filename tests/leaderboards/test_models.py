"""The model table: aliases, date precedence, corrections, validation, and the committed data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from benchmeta.collect import local_models
from benchmeta.core.errors import InputError
from benchmeta.core.paths import DATA_RAW
from benchmeta.leaderboards import model_table as models

REG_HEAD = "model_id,display_name,provider,variant,base_model_id,epoch_id,helm_id,note\n"
ALIAS_HEAD = "namespace,name,model_id,note\n"
CORR_HEAD = "model_id,wrong_date,wrong_source,release_date,evidence,note\n"
HELM_YAML = """models:
  - name: acme/a-1
    display_name: A 1
    release_date: 2024-01-10
  - name: acme/b-1
    display_name: B 1
    release_date: 2024-03-01
  - name: acme/c-1
    display_name: C 1
"""


def _write(folder: Path, rel: str, text: str) -> None:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def data_raw(tmp_path: Path) -> Path:
    """A tiny data_raw: four models, dated by Epoch, HELM, a seed table and a correction."""
    _write(
        tmp_path,
        models.REGISTRY,
        REG_HEAD
        + "acme/a-1,A 1,Acme,,,a-1,acme/a-1,\n"  # Epoch and HELM agree within 3 days
        + "acme/b-1,B 1,Acme,,,,acme/b-1,\n"  # HELM only; seed 20 days later
        + "acme/c-1,C 1,Acme,,,,acme/c-1,\n"  # HELM has no date; seed has
        + "acme/d-1,D 1,Acme,turbo,acme/a-1,d-1,,\n",
    )  # Epoch wrong, corrected
    _write(
        tmp_path,
        models.ALIASES,
        ALIAS_HEAD
        + "seed_helm_safety,B,acme/b-1,\n"
        + "seed_combined,C one,acme/c-1,\n"
        + "board,A one,acme/a-1,\n",
    )
    _write(
        tmp_path,
        models.CORRECTIONS,
        CORR_HEAD + "acme/d-1,2030-01-01,epoch,2024-01-10,version id date stamp,test\n",
    )
    _write(
        tmp_path,
        models.EPOCH,
        "\ufeffid,Model,Version release date\n" + "a-1,A,2024-01-13\nd-1,D,2030-01-01\nunused,U,\n",
    )
    _write(tmp_path, models.HELM, HELM_YAML)
    _write(
        tmp_path,
        models.SEEDS["seed_helm_safety"][0],
        "provider,model,snapshot date\n" + "Acme,B,2024-03-21\n",
    )
    _write(
        tmp_path,
        models.SEEDS["seed_combined"][0],
        "provider,model,release date\n" + "Acme,C one,2023-05-05\n",
    )
    return tmp_path


def test_precedence_correction_and_disagreement(data_raw: Path) -> None:
    t = models.build_model_table(data_raw).set_index("model_id")
    assert list(t.reset_index().columns) == models.TABLE_COLUMNS
    assert t.loc["acme/a-1", "date_source"] == "epoch"
    assert t.loc["acme/a-1", "release_date"] == pd.Timestamp("2024-01-13")
    assert t.loc["acme/a-1", "max_disagreement_days"] == 3
    assert not t.loc["acme/a-1", "dates_disagree"]
    assert t.loc["acme/b-1", "date_source"] == "helm"
    assert t.loc["acme/b-1", "max_disagreement_days"] == 20
    assert t.loc["acme/b-1", "dates_disagree"]
    assert t.loc["acme/c-1", "date_source"] == "seed_combined"
    assert t.loc["acme/c-1", "release_date"] == pd.Timestamp("2023-05-05")
    assert pd.isna(t.loc["acme/c-1", "max_disagreement_days"])
    assert t.loc["acme/d-1", "release_date"] == pd.Timestamp("2024-01-10")
    assert t.loc["acme/d-1", "date_source"] == "correction: version id date stamp"
    assert t.loc["acme/d-1", "corrected"] and not t.loc["acme/a-1", "corrected"]
    assert t["release_date"].dtype == "datetime64[ns]"


def test_resolve_and_unknown_alias(data_raw: Path) -> None:
    aliases = models.load_aliases(data_raw)
    ids = models.resolve(pd.Series(["A one", "A one"]), "board", aliases, "board.csv")
    assert ids.tolist() == ["acme/a-1", "acme/a-1"]
    with pytest.raises(InputError, match=r"board\.csv:11: unknown model .*aliases\.csv") as err:
        models.resolve(pd.Series(["A one", "A 1"]), "board", aliases, "board.csv", first_line=10)
    assert err.value.line == 11 and err.value.value == "A 1"
    with pytest.raises(InputError):  # names are looked up in their own namespace only
        models.resolve(pd.Series(["B"]), "board", aliases, "board.csv")


def test_unknown_seed_name_names_file_and_line(data_raw: Path) -> None:
    _write(
        data_raw,
        models.SEEDS["seed_combined"][0],
        "provider,model,release date\n" + "Acme,C one,2023-05-05\nAcme,C  one,2023-05-05\n",
    )
    with pytest.raises(InputError, match=r"seed_combined_safety_benchmarks\.csv:3: unknown"):
        models.build_model_table(data_raw)


def test_check_models_known(data_raw: Path) -> None:
    t = models.build_model_table(data_raw)
    models.check_models_known(pd.Series(["acme/a-1"]), t, "x.csv")
    with pytest.raises(InputError, match=r"x\.csv:3: unknown model_id") as err:
        models.check_models_known(pd.Series(["acme/a-1", "acme/zz"]), t, "x.csv")
    assert err.value.value == "acme/zz"


@pytest.mark.parametrize(
    ("rel", "old", "new", "pattern"),
    [
        (models.REGISTRY, "acme/b-1,B 1", "acme/a-1,B 1", r"registry\.csv:3: duplicated model_id"),
        (models.REGISTRY, "acme/c-1,C 1,Acme", "acme/c-1,C 1,", r"registry\.csv:4: provider"),
        (models.REGISTRY, "turbo", "fast", r"registry\.csv:5: variant"),
        (models.ALIASES, "board,A one", "seed_combined,C one", r"aliases\.csv:4: duplicated"),
        (models.ALIASES, "board,A one,acme/a-1", "board,A one,acme/x", r"aliases\.csv:4: unknown"),
        (models.CORRECTIONS, "2024-01-10", "10/01/2024", r"date_corrections\.csv:2: release_date"),
        (models.EPOCH, "2024-01-13", "Jan 2024", r"epoch_model_versions\.csv:2: Version release"),
        (models.HELM, "2024-03-01", "March", r"helm_model_metadata\.yaml:5: release_date"),
        (models.REGISTRY, ",a-1,acme/a-1", ",a-9,acme/a-1", r"registry\.csv:2: epoch_id not found"),
    ],
)
def test_bad_input_names_file_line_value(
    data_raw: Path, rel: str, old: str, new: str, pattern: str
) -> None:
    path = data_raw / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=pattern):
        models.build_model_table(data_raw)


def test_missing_date_is_an_error(data_raw: Path) -> None:
    _write(
        data_raw,
        models.SEEDS["seed_combined"][0],
        "provider,model,release date\n" + "Acme,C one,\n",
    )
    with pytest.raises(InputError, match=r"registry\.csv:4: no release date"):
        models.build_model_table(data_raw)


def test_collector_copies_bytes_and_records(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in local_models.FILES:
        (src / name).write_bytes(b"\xef\xbb\xbfid\r\nx\r\n" + name.encode())
    out = tmp_path / "data_raw"
    rc = local_models.main(
        ["--from", str(src), "--retrieved-at", "2026-01-02", "--data-raw", str(out)]
    )
    assert rc == 0
    for name in local_models.FILES:
        assert (out / "models" / name).read_bytes() == (src / name).read_bytes()
    manifest = pd.read_csv(out / "MANIFEST.csv", dtype=str)
    assert sorted(manifest["path"]) == sorted(f"models/{n}" for n in local_models.FILES)
    assert set(manifest["retrieved_at"]) == {"2026-01-02"}
    assert not manifest.apply(lambda col: col.str.contains(str(tmp_path), regex=False)).any().any()
    assert local_models.main(["--from", str(tmp_path / "nowhere"), "--data-raw", str(out)]) == 2


# --- contract on the committed data ------------------------------------------------------------

NAMESPACE_FILES = {
    "helm_safety": ("leaderboards/helm_staging_results_v1.17.0.csv", "model_name", 87),
    "seed_helm_safety": ("leaderboards/seed_helm_safety_v1.5.0.csv", "model", 22),
    "seed_combined": ("leaderboards/seed_combined_safety_benchmarks.csv", "model", 18),
    "safetywashing": ("leaderboards/safetywashing_benchmarks_chat_models.csv", "model", 26),
}


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    return models.build_model_table(DATA_RAW)


@pytest.mark.parametrize("namespace", sorted(NAMESPACE_FILES))
def test_committed_names_all_resolve(committed: pd.DataFrame, namespace: str) -> None:
    rel, column, expected = NAMESPACE_FILES[namespace]
    df = pd.read_csv(DATA_RAW / rel, dtype=str, keep_default_na=False)
    if namespace == "helm_safety":
        df = df[df["source_name"] == "Stanford HELM Safety"]
    names = pd.Series(sorted(df[column].unique()))
    assert len(names) == expected
    ids = models.resolve(names, namespace, models.load_aliases(DATA_RAW), rel)
    models.check_models_known(ids, committed, rel)


def test_committed_table_complete(committed: pd.DataFrame) -> None:
    aliases = models.load_aliases(DATA_RAW)
    assert set(aliases["model_id"]) <= set(committed["model_id"])
    assert committed["release_date"].notna().all()
    assert (committed["provider"].str.strip() != "").all()
    assert committed["model_id"].is_unique
    variants = committed[committed["variant"] != ""]
    assert set(variants["variant"]) <= models.VARIANTS
    # the known HELM date errors are corrected
    t = committed.set_index("model_id")
    assert t.loc["openai/gpt-4o-2024-05-13", "release_date"] == pd.Timestamp("2024-05-13")
    assert t.loc["openai/gpt-3.5-turbo-1106", "release_date"] == pd.Timestamp("2023-11-06")
    assert t.loc["ibm/granite-4.0-micro", "corrected"]


def test_future_release_date_is_refused(data_raw: Path) -> None:
    path = data_raw / "models" / "date_corrections.csv"
    corr = pd.read_csv(path, dtype=str, keep_default_na=False)
    mid = models.load_registry(data_raw)["model_id"].iloc[0]
    corr = corr[corr["model_id"] != mid]
    extra = pd.DataFrame([{"model_id": mid, "wrong_date": "", "wrong_source": "", "release_date":
                           "2099-01-01", "evidence": "test", "note": ""}])  # fmt: skip
    pd.concat([corr, extra]).to_csv(path, index=False)
    with pytest.raises(InputError, match="release date lies in the future"):
        models.build_model_table(data_raw)

import hashlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from benchmeta import figures, reproduce  # noqa: E402
from benchmeta.core import atomic, manifest, schemas, tables  # noqa: E402
from benchmeta.core.errors import InputError  # noqa: E402
from benchmeta.core.paths import ROOT  # noqa: E402


def _entry(path):
    return manifest.Entry(
        path=path,
        source="s",
        url="u",
        retrieved_at="2026-01-01",
        sha256="",
        licence="MIT",
        collector="test",
    )


def test_manifest_record_and_verify(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.csv").write_text("a,b\n1,2\n")
    manifest.record([_entry("a/x.csv")], tmp_path)
    df = manifest.verify(tmp_path)
    assert df.loc[0, "sha256"] == hashlib.sha256(b"a,b\n1,2\n").hexdigest()


def test_manifest_detects_tampering_and_unlisted(tmp_path):
    (tmp_path / "x.csv").write_text("1\n")
    manifest.record([_entry("x.csv")], tmp_path)
    (tmp_path / "x.csv").write_text("2\n")
    with pytest.raises(InputError, match=r"MANIFEST.csv:2: sha256 mismatch"):
        manifest.verify(tmp_path)
    (tmp_path / "x.csv").write_text("1\n")
    (tmp_path / "y.csv").write_text("new\n")
    with pytest.raises(InputError, match="without a MANIFEST row"):
        manifest.verify(tmp_path)


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_write_table_describes_every_column(tmp_path):
    df = pd.DataFrame(
        {
            "a": [1, 2],
            "b": [0.5, 1.5],
            "c": ["x", "y"],
            "d": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "e": [True, False],
        }
    )
    schemas.declare(
        "t", {"a": "integer", "b": "number", "c": "string", "d": "date", "e": "boolean"}
    )
    tables.write_table(
        df, "t", notebook="07_x", description="test", fields={"a": "an int"}, folder=tmp_path
    )
    pkg = tables.read_package(tmp_path)
    fields = {f["name"]: f["type"] for f in pkg["resources"][0]["schema"]["fields"]}
    assert fields == {"a": "integer", "b": "number", "c": "string", "d": "date", "e": "boolean"}
    back = tables.read_table("t", tmp_path)
    assert back["d"].dtype.kind == "M" and len(back) == 2


def test_save_figure_is_byte_stable(tmp_path):
    figures.use_style()

    def draw(folder):
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3], [1, 4, 9], label="x")
        ax.set_title("t")
        paths = figures.save_figure(fig, "f", folder)
        plt.close(fig)
        return [p.read_bytes() for p in paths]

    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    assert draw(tmp_path / "1") == draw(tmp_path / "2")


def test_normalise_strips_timings_and_paths(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.metadata["papermill"] = {"duration": 1.2}
    cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    cell.outputs = [
        nbformat.v4.new_output(
            "stream",
            name="stderr",
            text="fits:  50%|#   | 1/2 [00:00<00:01, 3.1it/s]\r"
            "fits: 100%|##| 2/2 [00:01<00:00, 2.0it/s]\n"
            f"warning in {tmp_path}/x.py\n",
        )
    ]
    nb.cells = [cell]
    nb.metadata["papermill"] = {"start_time": "now"}
    out = reproduce.normalise(nb, tmp_path)
    text = out.cells[0].outputs[0]["text"]
    assert text == "fits: 100%|##| 2/2\nwarning in <repo>/x.py\n"
    assert "papermill" not in out.metadata and not out.cells[0].metadata


def test_read_table_keeps_string_ids(tmp_path):
    df = pd.DataFrame({"paper_id": ["2401.10000", "10.1145/1"], "n": [1, 2]})
    schemas.declare("ids", {"paper_id": "string", "n": "integer"})
    schemas.declare("ids2", {"paper_id": "string"})
    tables.write_table(df, "ids", notebook="01_x", description="t", folder=tmp_path)
    assert tables.read_table("ids", tmp_path)["paper_id"].tolist() == ["2401.10000", "10.1145/1"]
    only_arxiv = pd.DataFrame({"paper_id": ["2401.10000", "2402.00100"]})
    tables.write_table(only_arxiv, "ids2", notebook="01_x", description="t", folder=tmp_path)
    assert tables.read_table("ids2", tmp_path)["paper_id"].tolist() == ["2401.10000", "2402.00100"]


def test_a_table_must_match_its_declared_schema(tmp_path):
    from pandera.errors import SchemaErrors

    with pytest.raises(KeyError, match="no declared schema"):
        tables.write_table(
            pd.DataFrame({"a": [1]}),
            "undeclared",
            notebook="01_x",
            description="t",
            folder=tmp_path,
        )
    schemas.declare("typed", {"a": "integer", "b": "string"})
    with pytest.raises(SchemaErrors):  # a column of the wrong type
        tables.write_table(
            pd.DataFrame({"a": ["x"], "b": ["y"]}),
            "typed",
            notebook="01_x",
            description="t",
            folder=tmp_path,
        )
    with pytest.raises(SchemaErrors):  # a column the declaration does not publish
        tables.write_table(
            pd.DataFrame({"a": [1], "b": ["y"], "c": [2]}),
            "typed",
            notebook="01_x",
            description="t",
            folder=tmp_path,
        )
    assert not (tmp_path / "typed.csv").exists()  # refused before anything is written
    assert schemas.columns("typed") == ["a", "b"]


def test_every_processed_table_is_declared():
    """Every table in data_processed/datapackage.json has a declaration with the same columns."""
    import benchmeta.influence  # noqa: F401  (each package declares its tables on import)
    import benchmeta.leaderboards  # noqa: F401
    import benchmeta.papers  # noqa: F401
    import benchmeta.repositories  # noqa: F401

    for res in tables.read_package(ROOT / "data_processed")["resources"]:
        declared = schemas.get(res["name"]).types
        assert {f["name"]: f["type"] for f in res["schema"]["fields"]} == declared, res["name"]

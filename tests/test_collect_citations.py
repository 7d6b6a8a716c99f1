import json

import pandas as pd
import pytest

from benchmeta.collect import local_citations
from benchmeta.core import manifest
from benchmeta.core.errors import InputError


def _write(folder, records):
    (folder / "citation_catalog.json").write_text(json.dumps(records))
    (folder / "citation_history.json").write_text(
        json.dumps({"updates": [{"date": "2026-09-06", "source": "Google Scholar via SerpApi"}]})
    )


REC = {
    "title": "T1",
    "year": 2024,
    "venue": "ICLR",
    "target": "Text",
    "category": "Benchmark",
    "abstract": "SECRET ABSTRACT TEXT",
    "citations": 12,
    "url": "https://x",
    "lastChecked": "2026-09-06",
}


def test_facts_only_and_manifest(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    _write(src, [REC, {**REC, "title": "T2", "citations": None, "lastChecked": None}])
    data_raw = tmp_path / "data_raw"
    data_raw.mkdir()
    local_citations.collect(src, data_raw, "2026-11-23")
    out = (data_raw / local_citations.OUT).read_text()
    assert "SECRET ABSTRACT" not in out and "abstract" not in out
    df = pd.read_csv(data_raw / local_citations.OUT)
    assert df["citations"].tolist()[0] == 12 and pd.isna(df["citations"].tolist()[1])
    assert manifest.verify(data_raw).loc[0, "licence"].startswith("none stated")


def test_record_without_a_fact_is_an_error(tmp_path):
    bad = {k: v for k, v in REC.items() if k != "category"}
    _write(tmp_path, [REC, {**bad, "title": "T3"}])
    with pytest.raises(InputError, match=r"citation_catalog.json:1: catalogue record lacks"):
        local_citations.read_catalog(tmp_path)

"""Append-only checkpoints: resume after a kill with nothing lost and nothing duplicated."""

from __future__ import annotations

import json
import logging

import pytest

from benchmeta.core.checkpoint import NOT_FOUND, Checkpoint, load_frame
from benchmeta.core.errors import InputError


def test_add_is_idempotent_and_survives_reopen(tmp_path):
    path = tmp_path / "c.jsonl"
    cp = Checkpoint(path)
    assert cp.add("a", {"n": 1}) and cp.add("b", None, NOT_FOUND)
    assert not cp.add("a", {"n": 2})
    again = Checkpoint(path)
    assert len(again) == 2 and "a" in again and again.get("a")["data"] == {"n": 1}
    assert again.todo(["a", "c", "b", "c", "d"]) == ["c", "d"]
    assert path.read_text().count("\n") == 2


def test_truncated_last_line_is_dropped_with_a_warning(tmp_path, caplog):
    path = tmp_path / "c.jsonl"
    cp = Checkpoint(path)
    cp.add("a", {"n": 1})
    cp.add("b", {"n": 2})
    with open(path, "ab") as fh:  # a kill in the middle of a write
        fh.write(b'{"data": {"n": 3}, "key": "c", "sta')
    with caplog.at_level(logging.WARNING):
        resumed = Checkpoint(path)
    assert "truncated" in caplog.text
    assert [r["key"] for r in resumed] == ["a", "b"]
    resumed.add("c", {"n": 3})
    lines = path.read_text().splitlines()
    assert [json.loads(line)["key"] for line in lines] == ["a", "b", "c"]


def test_whole_line_without_newline_is_kept(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"key": "a", "status": "ok", "data": 1}')
    cp = Checkpoint(path)
    cp.add("b", 2)
    assert [r["key"] for r in Checkpoint(path)] == ["a", "b"]


def test_corrupt_line_in_the_middle_is_an_error(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"key": "a", "status": "ok", "data": 1}\nGARBAGE\n'
        '{"key": "b", "status": "ok", "data": 2}\n'
    )
    with pytest.raises(InputError, match=r"c.jsonl:2"):
        Checkpoint(path)


def test_load_frame_flattens_data(tmp_path):
    cp = Checkpoint(tmp_path / "c.jsonl", clock=lambda: 1_700_000_000.0)
    cp.add("a", {"stars": 3})
    cp.add("b", None, NOT_FOUND)
    df = load_frame(tmp_path / "c.jsonl")
    assert set(df["retrieved_at"]) == {"2023-11-14T22:13:20Z"}
    assert list(df["key"]) == ["a", "b"] and list(df["status"]) == ["ok", "not_found"]
    assert df.loc[0, "stars"] == 3
    assert load_frame(tmp_path / "missing.jsonl").empty

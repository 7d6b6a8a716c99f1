"""Append-only checkpoints: resume after a kill with nothing lost and nothing duplicated; readers
never write (case 8); one locked writer (case 13)."""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest

from benchmeta.core.checkpoint import NOT_FOUND, Checkpoint, CheckpointBusy, load_frame
from benchmeta.core.errors import InputError


def test_add_is_idempotent_and_survives_reopen(tmp_path):
    path = tmp_path / "c.jsonl"
    with Checkpoint.writer(path) as cp:
        assert cp.add("a", {"n": 1}) and cp.add("b", None, NOT_FOUND)
        assert not cp.add("a", {"n": 2})
    again = Checkpoint(path)
    assert len(again) == 2 and "a" in again and again.get("a")["data"] == {"n": 1}
    assert again.todo(["a", "c", "b", "c", "d"]) == ["c", "d"]
    assert path.read_text().count("\n") == 2


def test_a_reader_cannot_add(tmp_path):
    with Checkpoint.writer(tmp_path / "c.jsonl") as cp:
        cp.add("a", 1)
    with pytest.raises(RuntimeError, match="read-only"):
        Checkpoint(tmp_path / "c.jsonl").add("b", 2)


def test_truncated_last_line_is_dropped_by_the_writer_only(tmp_path, caplog):
    path = tmp_path / "c.jsonl"
    with Checkpoint.writer(path) as cp:
        cp.add("a", {"n": 1})
        cp.add("b", {"n": 2})
    with open(path, "ab") as fh:  # a kill in the middle of a write
        fh.write(b'{"data": {"n": 3}, "key": "c", "sta')
    before = path.read_bytes()
    assert [r["key"] for r in Checkpoint(path)] == ["a", "b"]
    assert list(load_frame(path)["key"]) == ["a", "b"]
    assert path.read_bytes() == before  # readers changed nothing
    with caplog.at_level(logging.WARNING), Checkpoint.writer(path) as resumed:
        assert "truncated" in caplog.text
        assert [r["key"] for r in resumed] == ["a", "b"]
        resumed.add("c", {"n": 3})
    lines = path.read_text().splitlines()
    assert [json.loads(line)["key"] for line in lines] == ["a", "b", "c"]


def test_a_reader_never_cuts_lines_a_running_writer_is_appending(tmp_path):
    """Case 8: a notebook or second reader opening the file mid-write loses nothing."""
    path = tmp_path / "c.jsonl"
    big = "x" * 1_000_000
    stop = threading.Event()
    with Checkpoint.writer(path) as cp:

        def write() -> None:
            for i in range(20):
                cp.add(f"k{i}", big)
            stop.set()

        t = threading.Thread(target=write)
        t.start()
        reads = 0
        while not stop.is_set():
            Checkpoint(path)
            load_frame(path)
            reads += 1
        t.join()
    assert reads > 0
    assert [json.loads(line)["key"] for line in path.read_text().splitlines()] == [
        f"k{i}" for i in range(20)
    ]


def test_whole_line_without_newline_is_kept(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"key": "a", "status": "ok", "data": 1}')
    assert [r["key"] for r in Checkpoint(path)] == ["a"]
    with Checkpoint.writer(path) as cp:
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
    with Checkpoint.writer(tmp_path / "c.jsonl", clock=lambda: 1_700_000_000.0) as cp:
        cp.add("a", {"stars": 3})
        cp.add("b", None, NOT_FOUND)
    df = load_frame(tmp_path / "c.jsonl")
    assert set(df["retrieved_at"]) == {"2023-11-14T22:13:20Z"}
    assert list(df["key"]) == ["a", "b"] and list(df["status"]) == ["ok", "not_found"]
    assert df.loc[0, "stars"] == 3
    assert load_frame(tmp_path / "missing.jsonl").empty


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path):
    """Case 13: two instances cannot both append (no doubled lines)."""
    path = tmp_path / "c.jsonl"
    with Checkpoint.writer(path) as first:
        first.add("a", 1)
        with pytest.raises(CheckpointBusy, match="another running collector"):
            Checkpoint.writer(path)
    with Checkpoint.writer(path) as second:  # free again once the first is closed
        assert not second.add("a", 1)
    assert path.read_text().count("\n") == 1


def test_a_second_writer_can_wait_for_the_first(tmp_path):
    path = tmp_path / "c.jsonl"
    first = Checkpoint.writer(path)
    first.add("a", 1)
    threading.Timer(0.3, first.close).start()
    t0 = time.monotonic()
    with Checkpoint.writer(path, wait=5) as second:
        assert 0.2 < time.monotonic() - t0 < 3 and "a" in second


def test_an_unused_writer_leaves_no_empty_file(tmp_path):
    Checkpoint.writer(tmp_path / "c.jsonl").close()
    assert not (tmp_path / "c.jsonl").exists()


def test_a_waiting_writer_never_writes_into_a_file_the_first_one_removed(tmp_path):
    path = tmp_path / "c.jsonl"
    first = Checkpoint.writer(path)  # writes nothing: closing removes the empty file
    threading.Timer(0.3, first.close).start()
    with Checkpoint.writer(path, wait=5) as second:
        second.add("a", 1)
    assert [json.loads(line)["key"] for line in path.read_text().splitlines()] == ["a"]

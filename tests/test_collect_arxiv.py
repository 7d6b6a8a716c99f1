"""arXiv collector and the records-online command against a local Atom feed."""

from __future__ import annotations

import json
import re

import pytest
from werkzeug import Request, Response

from benchmeta.collect import arxiv, records_online
from benchmeta.core import http
from benchmeta.core.checkpoint import Checkpoint

TOTAL = 5


def entry(i: int) -> str:
    return f"""<entry>
    <id>http://arxiv.org/abs/2301.0000{i}v2</id>
    <updated>2023-02-0{i}T00:00:00Z</updated>
    <published>2023-01-0{i}T10:00:00Z</published>
    <title>A jailbreak
      benchmark {i}</title>
    <summary>We study jailbreaks.</summary>
    <author><name>Ada Lovelace</name></author>
    <arxiv:doi>10.1000/j{i}</arxiv:doi>
    <arxiv:primary_category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
  </entry>"""


def feed(req: Request) -> Response:
    start, size = int(req.args["start"]), int(req.args["max_results"])
    entries = "".join(entry(i) for i in range(1, TOTAL + 1)[start : start + size])
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title>arXiv Query</title>
  <opensearch:totalResults>{TOTAL}</opensearch:totalResults>
  <opensearch:startIndex>{start}</opensearch:startIndex>
  {entries}
</feed>"""
    return Response(xml, content_type="application/atom+xml")


@pytest.fixture
def base(httpserver) -> str:
    httpserver.expect_request("/api/query").respond_with_handler(feed)
    return httpserver.url_for("/api/query")


def test_window_query():
    assert arxiv.window_query("abs:jailbreak", "2022-11-30", "2024-11-01") == (
        "(abs:jailbreak) AND submittedDate:[202211300000 TO 202411012359]"
    )


def test_pages_with_start_to_the_end(httpserver, base, tmp_path):
    sleeps: list[float] = []
    s = http.make_session(tmp_path / "cache")
    cp = Checkpoint.writer(tmp_path / "a.jsonl")
    arxiv.search(
        "abs:jailbreak", "2022-11-30", "2024-11-01", s, cp, base, page=2, sleep=sleeps.append
    )
    cp.close()
    assert [int(r.args["start"]) for r, _ in httpserver.log] == [0, 2, 4]
    assert sleeps == [3.0, 3.0]  # polite pause between calls, not before the first
    assert (
        "submittedDate:[202211300000 TO 202411012359]" in httpserver.log[0][0].args["search_query"]
    )
    df = arxiv.records_frame(cp)
    assert list(df.columns) == arxiv.RECORD_COLUMNS
    assert list(df["arxiv_id"]) == [f"2301.0000{i}" for i in range(1, 6)]
    first = df.iloc[0]
    assert first["title"] == "A jailbreak benchmark 1" and first["date"] == "2023-01-01"
    assert first["paper_url"] == "https://arxiv.org/abs/2301.00001" and first["doi"] == "10.1000/j1"
    # a rerun walks the checkpoint and asks nothing
    with Checkpoint.writer(tmp_path / "a.jsonl") as again:
        arxiv.search(
            "abs:jailbreak", "2022-11-30", "2024-11-01", s, again, base, page=2, sleep=sleeps.append
        )
    assert len(httpserver.log) == 3
    s.close()


def test_records_online_cli_both_sources(httpserver, base, tmp_path, capsys):
    def bulk(req: Request) -> Response:
        body = {
            "total": 1,
            "data": [
                {
                    "paperId": "s1",
                    "title": "Prompt injection bench",
                    "year": 2023,
                    "publicationDate": "2023-03-01",
                    "externalIds": {"ArXiv": "2303.00001"},
                }
            ],
        }
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(re.compile("^/graph/v1/paper/search/bulk$")).respond_with_handler(
        bulk
    )
    data_raw = tmp_path / "data_raw"
    code = records_online.main(
        [
            "--topic",
            "prompt injection",
            "--s2-url",
            httpserver.url_for("/graph/v1"),
            "--arxiv-url",
            base,
            "--arxiv-delay",
            "0",
            "--data-raw",
            str(data_raw),
            "--cache",
            str(tmp_path / "cache"),
        ]
    )
    assert code == 0
    out = data_raw / "collected" / "records-online"
    s2 = (out / "s2_records.csv").read_text()
    assert "2303.00001" in s2 and "s2-bulk-search" in s2
    assert (out / "arxiv_records.csv").read_text().count("\n") == TOTAL + 1
    manifest = (data_raw / "MANIFEST.csv").read_text()
    assert "arXiv API Terms of Use" in manifest and "records-online" in manifest
    assert "records" in capsys.readouterr().out


def test_an_html_page_instead_of_a_feed_is_a_failure_not_an_empty_result(
    httpserver, tmp_path, fast_policy
):
    httpserver.expect_request("/api/query").respond_with_data(
        "<html>busy</html>", content_type="text/html"
    )
    s = http.make_session(tmp_path / "cache")
    with (
        pytest.raises(http.FetchError, match="Atom"),
        Checkpoint.writer(tmp_path / "a.jsonl") as cp,
    ):
        arxiv.search(
            "abs:x",
            "2022-11-30",
            "2024-11-01",
            s,
            cp,
            httpserver.url_for("/api/query"),
            delay=0,
            policy=fast_policy,
        )
    s.close()
    assert not (tmp_path / "a.jsonl").exists() and len(httpserver.log) == 2


def test_records_online_records_a_failed_query_and_goes_on(httpserver, base, tmp_path, capsys):
    httpserver.expect_request(re.compile("^/graph/v1/paper/search/bulk$")).respond_with_data(
        "<html>down</html>", status=200
    )
    data_raw = tmp_path / "data_raw"
    code = records_online.main(
        [
            "--topic",
            "prompt injection",
            "--s2-url",
            httpserver.url_for("/graph/v1"),
            "--arxiv-url",
            base,
            "--arxiv-delay",
            "0",
            "--data-raw",
            str(data_raw),
            "--cache",
            str(tmp_path / "cache"),
            "--attempts",
            "1",
        ]
    )
    assert code == 3
    out = data_raw / "collected" / "records-online"
    assert (out / "arxiv_records.csv").exists() and not (out / "s2_records.csv").exists()
    assert "s2 bulk search: prompt injection" in capsys.readouterr().err

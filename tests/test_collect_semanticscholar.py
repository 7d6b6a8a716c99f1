"""Semantic Scholar collector against a local server speaking the Graph API's response shapes."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import requests
from werkzeug import Request, Response

from benchmeta.collect import influence, semanticscholar
from benchmeta.core import http
from benchmeta.core.checkpoint import Checkpoint
from httpfakes import files_containing

CANARY = "canary-S2-5b8e1f0c77aa"
PAPERS = {
    "ARXIV:2307.15043": {
        "paperId": "p1",
        "title": "Universal attacks",
        "year": 2023,
        "publicationDate": "2023-07-27",
        "citationCount": 5,
        "influentialCitationCount": 2,
        "venue": "arXiv",
        "s2FieldsOfStudy": [
            {"category": "Computer Science", "source": "s2"},
            {"category": "Computer Science", "source": "external"},
        ],
        "authors": [{"authorId": "a1", "name": "A"}, {"authorId": "a2", "name": "B"}],
        "externalIds": {"ArXiv": "2307.15043"},
    },
    "DOI:10.1000/xyz": {
        "paperId": "p2",
        "title": "A benchmark",
        "year": 2024,
        "publicationDate": None,
        "citationCount": 0,
        "influentialCitationCount": 0,
        "s2FieldsOfStudy": [],
        "authors": [{"authorId": "a2", "name": "B"}],
        "externalIds": {"DOI": "10.1000/xyz"},
    },
}
CITING = {
    "ARXIV:2307.15043": [
        {"paperId": f"c{i}", "publicationDate": f"2024-0{i + 1}-01", "year": 2024} for i in range(5)
    ],
    "DOI:10.1000/xyz": [],
}
AUTHORS = {
    "a1": {"authorId": "a1", "name": "A", "hIndex": 40},
    "a2": {"authorId": "a2", "name": "B", "hIndex": 7},
}


class FakeS2:
    """Graph API v1 routes; ``fail_after`` makes every request after that many a 503."""

    def __init__(self) -> None:
        self.requests = 0
        self.fail_after: int | None = None
        self.search_pages = {"": ("t1", [1, 2]), "t1": ("t2", [3, 4]), "t2": (None, [5])}

    def __call__(self, req: Request) -> Response:
        self.requests += 1
        if self.fail_after is not None and self.requests > self.fail_after:
            return Response("down", status=503)
        path = req.path.removeprefix("/graph/v1")
        if path == "/paper/batch":
            ids = json.loads(req.get_data())["ids"]
            return self._json([PAPERS.get(i) for i in ids])
        if path == "/author/batch":
            return self._json([AUTHORS.get(i) for i in json.loads(req.get_data())["ids"]])
        if path.startswith("/paper/") and path.endswith("/citations"):
            pid = path.removeprefix("/paper/").removesuffix("/citations")
            if pid not in CITING:
                return Response('{"error": "Paper not found"}', status=404)
            off, lim = int(req.args["offset"]), int(req.args["limit"])
            rows = CITING[pid][off : off + lim]
            body = {"offset": off, "data": [{"citingPaper": r} for r in rows]}
            if off + lim < len(CITING[pid]):
                body["next"] = off + lim
            return self._json(body)
        if path == "/paper/search/bulk":
            nxt, nums = self.search_pages[req.args.get("token", "")]
            body = {
                "total": 5,
                "data": [
                    {
                        "paperId": f"s{n}",
                        "title": f"Paper {n}",
                        "year": 2023,
                        "publicationDate": "2023-05-01",
                        "externalIds": {"ArXiv": f"2305.0000{n}"},
                    }
                    for n in nums
                ],
            }
            if nxt:
                body["token"] = nxt
            return self._json(body)
        return Response("no route", status=404)

    @staticmethod
    def _json(body: object) -> Response:
        return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def fake_s2(httpserver) -> FakeS2:
    fake = FakeS2()
    httpserver.expect_request(re.compile(r"^/graph/v1/.+")).respond_with_handler(fake)
    return fake


@pytest.fixture
def policy(fast_policy) -> http.RetryPolicy:
    return fast_policy


def base(httpserver) -> str:
    return httpserver.url_for("/graph/v1")


IDS = ["2307.15043", "10.9999/missing", "10.1000/xyz"]


def test_s2_id():
    assert semanticscholar.s2_id("arXiv:2307.15043v2") == "ARXIV:2307.15043"
    assert semanticscholar.s2_id("https://doi.org/10.1000/XYZ") == "DOI:10.1000/xyz"


def test_paper_batch_records_missing_ids(httpserver, fake_s2, session, policy, tmp_path):
    cp = Checkpoint.writer(tmp_path / "p.jsonl")
    assert semanticscholar.collect_papers(IDS, session, cp, base(httpserver), policy=policy) == 3
    assert cp.get("10.9999/missing")["status"] == "not_found"
    p1 = cp.get("2307.15043")["data"]
    assert p1["citation_count"] == 5 and p1["fields_of_study"] == ["Computer Science"]
    df = semanticscholar.papers_frame(cp)
    assert list(df["paper_id"]) == sorted(IDS)
    assert semanticscholar.author_ids(cp) == ["a1", "a2"]


def test_citations_follow_next_to_the_end(httpserver, fake_s2, session, policy, tmp_path):
    cp = Checkpoint.writer(tmp_path / "c.jsonl")
    semanticscholar.collect_citations(IDS, session, cp, base(httpserver), page=2, policy=policy)
    assert len(cp.get("2307.15043")["data"]["citing"]) == 5
    assert cp.get("10.9999/missing")["status"] == "not_found"  # a 404 among good ids
    assert cp.get("10.1000/xyz")["data"] == {"complete": True, "citing": []}
    offsets = [int(r.args["offset"]) for r, _ in httpserver.log if "2307" in r.path]
    assert offsets == [0, 2, 4]
    df = semanticscholar.citations_frame(cp)
    assert len(df) == 5 and df["citing_date"].iloc[0] == "2024-01-01"


def test_author_h_index(httpserver, fake_s2, session, policy, tmp_path):
    cp = Checkpoint.writer(tmp_path / "a.jsonl")
    semanticscholar.collect_authors(
        ["a1", "a2", "zz"], session, cp, base(httpserver), policy=policy
    )
    assert cp.get("a1")["data"]["h_index"] == 40 and cp.get("zz")["status"] == "not_found"


def test_bulk_search_pages_by_token_and_resumes(httpserver, fake_s2, session, policy, tmp_path):
    cp = Checkpoint.writer(tmp_path / "s.jsonl")
    fake_s2.fail_after = 2  # the third page fails: the run stops with two pages kept
    with pytest.raises(http.FetchError):
        semanticscholar.search_bulk(
            "jailbreak", "2022-11-30:2024-11-01", session, cp, base(httpserver), policy=policy
        )
    assert len(cp) == 2
    cp.close()
    fake_s2.fail_after = None
    before = len(httpserver.log)
    with Checkpoint.writer(tmp_path / "s.jsonl") as cp:
        semanticscholar.search_bulk(
            "jailbreak", "2022-11-30:2024-11-01", session, cp, base(httpserver), policy=policy
        )
    assert len(httpserver.log) - before == 1  # only the missing page is fetched
    papers = [p["paperId"] for r in Checkpoint(tmp_path / "s.jsonl") for p in r["data"]["papers"]]
    assert papers == ["s1", "s2", "s3", "s4", "s5"]
    sent = httpserver.log[0][0].args
    assert sent["publicationDateOrYear"] == "2022-11-30:2024-11-01" and sent["query"]


class Interrupt(Exception):
    pass


def test_killed_midway_resumes_without_loss_or_duplicates(
    httpserver, fake_s2, policy, tmp_path, monkeypatch
):
    ids = [f"10.1000/x{i}" for i in range(7)]
    s = http.make_session(tmp_path / "cache")
    real = requests.Session.send
    count = {"n": 0}

    def dying(*args, **kwargs):
        count["n"] += 1
        if count["n"] > 3:
            raise Interrupt("killed")
        return real(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(requests.Session, "send", dying)
        with pytest.raises(Interrupt), Checkpoint.writer(tmp_path / "p.jsonl") as cp:
            semanticscholar.collect_papers(ids, s, cp, base(httpserver), batch=2, policy=policy)
    assert len(Checkpoint(tmp_path / "p.jsonl")) == 6
    with Checkpoint.writer(tmp_path / "p.jsonl") as cp:
        semanticscholar.collect_papers(ids, s, cp, base(httpserver), batch=2, policy=policy)
    s.close()
    keys = [json.loads(line)["key"] for line in (tmp_path / "p.jsonl").read_text().splitlines()]
    assert sorted(keys) == sorted(ids) and len(keys) == len(set(keys))


def test_cli_influence_s2_only_with_canary_key(
    httpserver, fake_s2, tmp_path, monkeypatch, capsys, caplog
):
    monkeypatch.setenv("S2_API_KEY", CANARY)
    data_raw = tmp_path / "data_raw"
    ids_file = tmp_path / "included.csv"
    ids_file.write_text("paper_id,title\n" + "".join(f"{i},t\n" for i in IDS))
    args = [
        "--ids-file",
        str(ids_file),
        "--no-openalex",
        "--s2-url",
        base(httpserver),
        "--data-raw",
        str(data_raw),
        "--cache",
        str(tmp_path / "cache"),
        "--min-wait",
        "0.01",
    ]
    caplog.set_level("DEBUG")
    assert influence.main(args) == 0
    out = data_raw / "collected" / "influence"
    assert {p.name for p in out.iterdir()} >= {
        "s2_papers.csv",
        "s2_papers.jsonl",
        "s2_citations.csv",
        "s2_authors.csv",
    }
    assert all(r.headers.get("x-api-key") == CANARY for r, _ in httpserver.log)
    papers = pd.read_csv(out / "s2_papers.csv").set_index("paper_id")
    assert papers.loc["2307.15043", "top_author_h_index"] == 40
    assert papers.loc["10.9999/missing", "status"] == "not_found"
    manifest = (data_raw / "MANIFEST.csv").read_text()
    assert "collected/influence/s2_papers.csv" in manifest and "terms: Semantic" in manifest
    # a second run hitting a dead server gives up cleanly, keeping what is done
    fake_s2.fail_after = 0
    assert influence.main([*args, "--ids", "2401.00001"]) == 3
    captured = capsys.readouterr()
    logs = "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")
    assert CANARY not in captured.out + captured.err + logs
    assert "rerun" in captured.err
    assert files_containing(tmp_path, CANARY) == []

"""OpenAlex collector against a local server speaking OpenAlex's response shapes."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from werkzeug import Request, Response

from benchmeta.collect import influence, openalex
from benchmeta.core import http
from benchmeta.core.checkpoint import Checkpoint
from httpfakes import files_containing

CANARY_MAIL = "canary-OA-91c2@example.org"
WORKS = {
    "10.48550/arxiv.2307.15043": {
        "id": "https://openalex.org/W1",
        "doi": "https://doi.org/10.48550/arxiv.2307.15043",
        "title": "Universal attacks",
        "publication_date": "2023-07-27",
        "cited_by_count": 5,
        "counts_by_year": [
            {"year": 2024, "cited_by_count": 4},
            {"year": 2023, "cited_by_count": 1},
        ],
        "concepts": [
            {"display_name": "Computer science", "level": 0},
            {"display_name": "Adversarial system", "level": 2},
        ],
        "topics": [
            {
                "display_name": "Adversarial Robustness",
                "field": {"display_name": "Computer Science"},
            }
        ],
        "authorships": [{"author": {"id": "https://openalex.org/A1"}}],
    },
}
CITING = [
    {"id": f"https://openalex.org/W10{i}", "publication_date": f"2024-0{i + 1}-15"}
    for i in range(5)
]
CURSORS = {"*": ("c1", CITING[0:2]), "c1": ("c2", CITING[2:4]), "c2": (None, CITING[4:])}


def handler(req: Request) -> Response:
    path = req.path.removeprefix("/oa")
    if path.startswith("/works/doi:"):
        work = WORKS.get(path.removeprefix("/works/doi:").lower())
        return (
            Response(json.dumps(work), content_type="application/json")
            if work
            else Response('{"error": "not found"}', status=404)
        )
    if path == "/works":
        assert req.args["filter"] == "cites:W1"
        nxt, results = CURSORS[req.args["cursor"]]
        body = {"meta": {"count": 5, "next_cursor": nxt}, "results": results}
        return Response(json.dumps(body), content_type="application/json")
    if path.startswith("/authors/"):
        body = {
            "id": "https://openalex.org/A1",
            "display_name": "A",
            "works_count": 9,
            "cited_by_count": 99,
            "summary_stats": {"h_index": 12},
        }
        return Response(json.dumps(body), content_type="application/json")
    return Response("no route", status=404)


@pytest.fixture
def base(httpserver) -> str:
    httpserver.expect_request(re.compile(r"^/oa/.+")).respond_with_handler(handler)
    return httpserver.url_for("/oa")


POLICY = http.RetryPolicy(attempts=2, sleep=lambda s: None, countdown=False)


def test_doi_for():
    assert openalex.doi_for("2307.15043v1") == "10.48550/arxiv.2307.15043"
    assert openalex.doi_for("10.1000/ABC") == "10.1000/abc"


def test_works_by_arxiv_id_and_missing_doi(base, session, tmp_path):
    cp = Checkpoint.writer(tmp_path / "w.jsonl")
    openalex.collect_works(["2307.15043", "10.9999/nope"], session, cp, base, policy=POLICY)
    w = cp.get("2307.15043")["data"]
    assert w["openalex_id"] == "W1" and w["cited_by_count"] == 5
    assert w["counts_by_year"] == {"2024": 4, "2023": 1}
    assert w["concepts"] == ["Computer science"] and w["fields"] == ["Computer Science"]
    assert cp.get("10.9999/nope")["status"] == "not_found"
    df = openalex.works_frame(cp)
    assert df.loc[df.paper_id == "2307.15043", "counts_by_year"].item() == "2023:1;2024:4"


def test_citing_works_follow_the_cursor_to_the_end(httpserver, base, session, tmp_path):
    cp = Checkpoint.writer(tmp_path / "c.jsonl")
    openalex.collect_citing({"2307.15043": "W1"}, session, cp, base, per_page=2, policy=POLICY)
    assert [c[0] for c in cp.get("2307.15043")["data"]["citing"]] == [
        "W100",
        "W101",
        "W102",
        "W103",
        "W104",
    ]
    assert [r.args["cursor"] for r, _ in httpserver.log] == ["*", "c1", "c2"]
    assert len(openalex.citing_frame(cp)) == 5


def test_author_h_index(base, session, tmp_path):
    cp = Checkpoint.writer(tmp_path / "a.jsonl")
    openalex.collect_authors(["A1"], session, cp, base, policy=POLICY)
    assert cp.get("A1")["data"]["h_index"] == 12


def test_cli_openalex_only_with_canary_email(
    httpserver, base, tmp_path, monkeypatch, capsys, caplog
):
    monkeypatch.setenv("OPENALEX_EMAIL", CANARY_MAIL)
    monkeypatch.setenv("OPENALEX_API_KEY", "canary-OA-key-77")
    caplog.set_level("DEBUG")
    data_raw = tmp_path / "data_raw"
    code = influence.main(
        [
            "--ids",
            "2307.15043",
            "10.9999/nope",
            "--no-s2",
            "--openalex-url",
            base,
            "--data-raw",
            str(data_raw),
            "--cache",
            str(tmp_path / "cache"),
            "--min-wait",
            "0.01",
        ]
    )
    assert code == 0
    assert all(r.args.get("mailto") == CANARY_MAIL for r, _ in httpserver.log)
    assert all(r.args.get("api_key") == "canary-OA-key-77" for r, _ in httpserver.log)
    out = data_raw / "collected" / "influence"
    assert (out / "openalex_works.csv").exists() and (out / "openalex_authors.csv").exists()
    works = pd.read_csv(out / "openalex_works.csv").set_index("paper_id")
    assert works.loc["2307.15043", "top_author_h_index"] == 12
    assert (out / "openalex_citations.csv").read_text().count("\n") == 6
    captured = capsys.readouterr()
    logs = "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")
    for secret in (CANARY_MAIL, "canary-OA-key-77"):
        assert secret not in captured.out + captured.err + logs
        assert files_containing(tmp_path, secret) == []

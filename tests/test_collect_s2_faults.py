"""Issue 13, Semantic Scholar: bad answers are never facts (7, 9), paging ends (10), one bad id
or one stopped source does not block the run (11)."""

from __future__ import annotations

import gzip
import json
import re

import pandas as pd
import pytest
from werkzeug import Request, Response

from benchmeta.collect import influence, semanticscholar
from benchmeta.collect.online import Failures
from benchmeta.core import http
from benchmeta.core.checkpoint import Checkpoint
from httpfakes import as_json, paths

PAPER = {
    "paperId": "p1",
    "title": "T",
    "year": 2023,
    "citationCount": 1,
    "authors": [{"authorId": "a1", "name": "A"}],
}


def base(httpserver) -> str:
    return httpserver.url_for("/graph/v1")


def route(httpserver, path: str, handler) -> None:
    httpserver.expect_request(re.compile("^/graph/v1" + path + "$")).respond_with_handler(handler)


# --- case 7: null, error objects and 404s are failures, never "not found" ----------------------


@pytest.mark.parametrize(
    "answer",
    [
        as_json(None),
        as_json({"error": "Too many ids"}),
        as_json({"message": "Not Found"}, 404),
        as_json([PAPER]),
    ],
)  # a short batch: 1 answer for 3 ids
def test_a_bad_batch_answer_fails_its_ids_and_marks_none_not_found(
    httpserver, session, fast_policy, tmp_path, answer
):
    route(httpserver, "/paper/batch", lambda req: answer)
    failures = Failures()
    with Checkpoint.writer(tmp_path / "p.jsonl") as cp:
        added = semanticscholar.collect_papers(
            ["2301.00001", "2301.00002", "10.1/x"],
            session,
            cp,
            base(httpserver),
            policy=fast_policy,
            failures=failures,
        )
    assert added == 0 and len(Checkpoint(tmp_path / "p.jsonl")) == 0
    assert [k for _, k, _ in failures.items] == ["2301.00001", "2301.00002", "10.1/x"]
    assert len(httpserver.log) == (1 if answer.status_code == 404 else 2)  # retried if 200


def test_null_data_in_a_citations_page_is_not_zero_citations(
    httpserver, session, fast_policy, tmp_path
):
    route(httpserver, "/paper/.+/citations", lambda req: as_json({"offset": 0, "data": None}))
    failures = Failures()
    with Checkpoint.writer(tmp_path / "c.jsonl") as cp:
        semanticscholar.collect_citations(
            ["2301.00001"], session, cp, base(httpserver), policy=fast_policy, failures=failures
        )
        assert len(cp) == 0
    assert failures.items[0][1] == "2301.00001" and "data" in failures.items[0][2]


# --- case 9: the faults that used to end in a traceback ----------------------------------------

FAULTS = {
    "wrong types": lambda: as_json({"offset": 0, "data": "oops"}),
    "deep json": lambda: Response("[" * 100_000 + "]" * 100_000, content_type="application/json"),
    "bad gzip": lambda: Response(
        b"\x1f\x8b\x08garbage",
        content_type="application/json",
        headers={"Content-Encoding": "gzip"},
    ),
    "html": lambda: Response("<html>maintenance</html>", content_type="text/html"),
}


def _good_citations(req: Request) -> Response:
    return Response(
        gzip.compress(
            json.dumps(
                {
                    "offset": 0,
                    "data": [
                        {
                            "citingPaper": {
                                "paperId": "c1",
                                "publicationDate": "2024-01-01",
                                "year": 2024,
                            }
                        }
                    ],
                }
            ).encode()
        ),
        content_type="application/json",
        headers={"Content-Encoding": "gzip"},
    )


@pytest.mark.parametrize("fault", [*FAULTS, "redirect loop"])
def test_a_fault_on_one_paper_ends_in_exit_3_with_tables_manifest_and_a_rerun_hint(
    httpserver, tmp_path, canary, capsys, caplog, fault
):
    def papers(req: Request) -> Response:
        ids = json.loads(req.get_data())["ids"]
        return as_json([{**PAPER, "paperId": f"p{i}"} for i, _ in enumerate(ids)])

    def citations(req: Request) -> Response:
        if "2301.00002" not in req.path:
            return _good_citations(req)
        if fault == "redirect loop":
            return Response("", status=302, headers={"Location": req.url})
        return FAULTS[fault]()

    route(httpserver, "/paper/batch", papers)
    route(httpserver, "/paper/.+/citations", citations)
    route(httpserver, "/author/batch", lambda req: as_json([{"authorId": "a1", "hIndex": 3}]))
    data_raw = tmp_path / "data_raw"
    code = influence.main(
        [
            "--ids",
            "2301.00001",
            "2301.00002",
            "--no-openalex",
            "--s2-url",
            base(httpserver),
            "--data-raw",
            str(data_raw),
            "--cache",
            str(tmp_path / "cache"),
            "--attempts",
            "2",
            "--min-wait",
            "0",
        ]
    )
    assert code == 3
    out = data_raw / "collected" / "influence"
    cites = pd.read_csv(out / "s2_citations.csv")
    assert list(cites["citing_id"]) == ["c1"]  # the good paper, decoded from gzip
    manifest = (data_raw / "MANIFEST.csv").read_text()
    assert "s2_papers.csv" in manifest and "s2_citations.csv" in manifest
    err = capsys.readouterr().err
    assert "2301.00002" in err and "rerun the same command" in err and "Traceback" not in err
    canary.check(tmp_path, None, caplog, err)


# --- case 10: paging always ends ---------------------------------------------------------------


def test_a_next_offset_that_never_advances_stops_and_says_so(
    httpserver, session, fast_policy, tmp_path
):
    route(
        httpserver,
        "/paper/.+/citations",
        lambda req: as_json({"offset": 0, "next": 0, "data": [{"citingPaper": {"paperId": "c1"}}]}),
    )
    with Checkpoint.writer(tmp_path / "c.jsonl") as cp:
        semanticscholar.collect_citations(
            ["2301.00001"], session, cp, base(httpserver), policy=fast_policy
        )
        data = cp.get("2301.00001")["data"]
    assert data["complete"] is False and "repeats" in data["stopped"]
    assert len(data["citing"]) == 1 and len(httpserver.log) == 1


def test_a_next_offset_that_runs_forever_stops_at_the_page_cap(
    httpserver, session, fast_policy, tmp_path
):
    def endless(req: Request) -> Response:
        off = int(req.args["offset"])
        return as_json(
            {"offset": off, "next": off + 1, "data": [{"citingPaper": {"paperId": f"c{off}"}}]}
        )

    route(httpserver, "/paper/.+/citations", endless)
    with Checkpoint.writer(tmp_path / "c.jsonl") as cp:
        semanticscholar.collect_citations(
            ["2301.00001"], session, cp, base(httpserver), page=1, max_pages=7, policy=fast_policy
        )
        data = cp.get("2301.00001")["data"]
    assert data["complete"] is False and "page cap" in data["stopped"]
    assert len(httpserver.log) == 7


def test_a_repeating_bulk_search_token_stops_and_a_rerun_does_not_spin(
    httpserver, session, fast_policy, tmp_path
):
    def bulk(req: Request) -> Response:
        token = {"": "t1", "t1": "t2", "t2": "t1"}[req.args.get("token", "")]
        return as_json({"total": 9, "token": token, "data": [{"paperId": token}]})

    route(httpserver, "/paper/search/bulk", bulk)
    for _ in range(2):  # the second walk reads the checkpoint only
        with Checkpoint.writer(tmp_path / "s.jsonl") as cp:
            semanticscholar.search_bulk(
                "q", "2023:2024", session, cp, base(httpserver), policy=fast_policy
            )
    assert len(httpserver.log) == 3 and len(Checkpoint(tmp_path / "s.jsonl")) == 3


# --- case 11: one poison id, one stopped source -----------------------------------------------


def test_a_poison_id_is_recorded_failed_and_the_rest_is_collected(
    httpserver, session, fast_policy, tmp_path
):
    def citations(req: Request) -> Response:
        if "poison" in req.path:
            return Response("boom", status=500)
        return as_json({"offset": 0, "data": []})

    route(httpserver, "/paper/.+/citations", citations)
    ids = ["10.1/a", "10.1/poison", "10.1/b"]
    failures = Failures()
    with Checkpoint.writer(tmp_path / "c.jsonl") as cp:
        semanticscholar.collect_citations(
            ids, session, cp, base(httpserver), policy=fast_policy, failures=failures
        )
    assert sorted(r["key"] for r in Checkpoint(tmp_path / "c.jsonl")) == ["10.1/a", "10.1/b"]
    assert "10.1/poison" in failures.summary()
    before = len(httpserver.log)
    with Checkpoint.writer(tmp_path / "c.jsonl") as cp:  # a rerun retries only the poison id
        semanticscholar.collect_citations(
            ids, session, cp, base(httpserver), policy=fast_policy, failures=Failures()
        )
    assert paths(httpserver)[before:] and all("poison" in p for p in paths(httpserver)[before:])


def test_a_spent_failure_budget_stops_one_source_only(httpserver, tmp_path, canary, capsys):
    route(httpserver, "/paper/batch", lambda req: Response("down", status=503))
    httpserver.expect_request(re.compile("^/oa/works/doi:.+")).respond_with_json(
        {"id": "https://openalex.org/W1", "cited_by_count": 4, "authorships": []}
    )
    data_raw = tmp_path / "data_raw"
    code = influence.main(
        [
            "--ids",
            "10.1/a",
            "--s2-url",
            base(httpserver),
            "--openalex-url",
            httpserver.url_for("/oa"),
            "--data-raw",
            str(data_raw),
            "--cache",
            str(tmp_path / "cache"),
            "--attempts",
            "1",
            "--max-failures",
            "1",
            "--no-citations",
            "--no-authors",
        ]
    )
    assert code == 3
    works = pd.read_csv(data_raw / "collected" / "influence" / "openalex_works.csv")
    assert works["cited_by_count"].tolist() == [4]  # OpenAlex ran after S2 stopped
    papers = pd.read_csv(data_raw / "collected" / "influence" / "s2_papers.csv")
    assert papers[["paper_id", "status"]].values.tolist() == [["10.1/a", "failed"]]
    assert "503" in papers["failure"].item()  # missing, with the reason
    err = capsys.readouterr().err
    assert "Semantic Scholar: stopped early" in err
    canary.check(tmp_path, None, None, err)


def test_an_s2_rate_limit_beyond_max_wait_does_not_skip_openalex(
    httpserver, tmp_path, canary, capsys
):
    route(
        httpserver,
        "/paper/batch",
        lambda req: Response("", status=429, headers={"Retry-After": "86400"}),
    )
    httpserver.expect_request(re.compile("^/oa/works/doi:.+")).respond_with_json(
        {"id": "https://openalex.org/W1", "cited_by_count": 4, "authorships": []}
    )
    data_raw = tmp_path / "data_raw"
    code = influence.main(
        [
            "--ids",
            "10.1/a",
            "--s2-url",
            base(httpserver),
            "--openalex-url",
            httpserver.url_for("/oa"),
            "--data-raw",
            str(data_raw),
            "--cache",
            str(tmp_path / "cache"),
            "--no-citations",
            "--no-authors",
        ]
    )
    assert code == 3
    assert sum(p.endswith("/paper/batch") for p in paths(httpserver)) == 1  # gave up at once
    assert (data_raw / "collected" / "influence" / "openalex_works.csv").exists()
    err = capsys.readouterr().err
    assert "more than --max-wait" in err
    canary.check(tmp_path, None, None, err)


def test_http_policy_fields_come_from_the_command_line():
    args = influence._parser().parse_args(["--deadline", "5", "--max-mb", "1"])
    pol = influence.policy(args)
    assert isinstance(pol, http.RetryPolicy) and pol.deadline == 5 and pol.max_bytes == 1 << 20


def test_dois_with_hash_or_question_mark_reach_the_citations_path_whole(
    httpserver, session, fast_policy, tmp_path
):
    """Case 16 for Semantic Scholar: the id is URL-quoted in the path."""
    route(httpserver, "/paper/.+/citations", lambda req: as_json({"offset": 0, "data": []}))
    with Checkpoint.writer(tmp_path / "c.jsonl") as cp:
        semanticscholar.collect_citations(
            ["10.1000/a#b", "10.1000/c?d=1"], session, cp, base(httpserver), policy=fast_policy
        )
    assert paths(httpserver) == [
        "/graph/v1/paper/DOI:10.1000/a#b/citations",
        "/graph/v1/paper/DOI:10.1000/c?d=1/citations",
    ]

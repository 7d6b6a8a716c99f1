"""Issue 13, done-when: whole runs against a hostile local server (redirects across hosts,
malformed bodies, repeating cursors, a poison id, rate limits) finish with exit 0 or a clear give-up
and leave no canary in any file, cache, log, output or exception."""

from __future__ import annotations

import json
import re

import pandas as pd
from werkzeug import Request, Response

from benchmeta.collect import github, influence
from benchmeta.core import http
from httpfakes import as_json


class World:
    """Semantic Scholar under /graph/v1, OpenAlex under /oa, a mirror on another host name."""

    def __init__(self, port: int) -> None:
        self.other = f"http://127.0.0.1:{port}"
        self.batch_calls = 0
        self.poison_fixed = False

    def s2(self, req: Request) -> Response:
        path = req.path.removeprefix("/graph/v1")
        if path == "/paper/batch":
            self.batch_calls += 1
            if self.batch_calls == 1:
                return Response("<html>overloaded</html>", content_type="text/html")
            ids = json.loads(req.get_data())["ids"]
            return as_json(
                [{"paperId": i, "citationCount": 1, "authors": [{"authorId": "a1"}]} for i in ids]
            )
        if path == "/author/batch":
            return as_json([{"authorId": "a1", "hIndex": 9}])
        pid = path.removeprefix("/paper/").removesuffix("/citations")
        if pid == "DOI:10.1/a":  # moved to a mirror on another host
            return Response("", status=307, headers={"Location": f"{self.other}/mirror/a"})
        if pid == "DOI:10.1/poison" and not self.poison_fixed:
            return Response("boom", status=500)
        if pid == "DOI:10.1/b":
            return as_json({"offset": 0, "next": 0, "data": [{"citingPaper": {"paperId": "x"}}]})
        return as_json({"offset": 0, "data": []})

    def mirror(self, req: Request) -> Response:
        return as_json({"offset": 0, "data": [{"citingPaper": {"paperId": "m1"}}]})

    def openalex(self, req: Request) -> Response:
        path = req.path.removeprefix("/oa")
        if path.startswith("/works/doi:"):
            doi = path.removeprefix("/works/doi:")
            if "poison" in doi:
                return as_json({"error": "not found"}, 404)
            return as_json(
                {
                    "id": f"https://openalex.org/W{doi[-1]}",
                    "cited_by_count": 3,
                    "authorships": [{"author": {"id": "https://openalex.org/A1"}}],
                }
            )
        if path == "/works":
            if req.args["filter"] == "cites:Wa":
                return as_json(
                    {
                        "meta": {"count": 50, "next_cursor": "same"},
                        "results": [{"id": "https://openalex.org/W7"}],
                    }
                )
            return as_json({"meta": {"count": 0, "next_cursor": None}, "results": []})
        if path == "/authors/A1":  # a merged author
            return Response(
                "",
                status=301,
                headers={"Location": f"{req.host_url}oa/authors/A2?{req.query_string.decode()}"},
            )
        if path == "/authors/A2":
            return as_json({"id": "https://openalex.org/A2", "summary_stats": {"h_index": 4}})
        return Response("no route", status=404)


def test_influence_full_hostile_run_then_rerun(httpserver, tmp_path, canary, capsys, caplog):
    caplog.set_level("DEBUG")
    world = World(httpserver.port)
    httpserver.expect_request(re.compile("^/graph/v1/.+")).respond_with_handler(world.s2)
    httpserver.expect_request(re.compile("^/mirror/.+")).respond_with_handler(world.mirror)
    httpserver.expect_request(re.compile("^/oa/.+")).respond_with_handler(world.openalex)
    data_raw = tmp_path / "data_raw"
    args = [
        "--ids",
        "10.1/a",
        "10.1/poison",
        "10.1/b",
        "--s2-url",
        httpserver.url_for("/graph/v1"),
        "--openalex-url",
        httpserver.url_for("/oa"),
        "--data-raw",
        str(data_raw),
        "--cache",
        str(tmp_path / "cache"),
        "--attempts",
        "2",
        "--min-wait",
        "0",
    ]
    assert influence.main(args) == 3
    first = capsys.readouterr()
    err = first.err
    assert "1 item(s) failed" in err and "s2 citations: 10.1/poison" in err
    out = data_raw / "collected" / "influence"
    cites = pd.read_csv(out / "s2_citations.csv")
    assert sorted(cites["citing_id"]) == ["m1", "x"]  # the mirror's page; b stopped at a repeat
    mirror = [r for r, _ in httpserver.log if r.path.startswith("/mirror/")]
    assert mirror and all("x-api-key" not in r.headers for r in mirror)
    authors = pd.read_csv(out / "openalex_authors.csv")
    assert authors["h_index"].tolist() == [4]  # the merged author, followed on its host
    works = pd.read_csv(out / "openalex_works.csv").set_index("paper_id")
    assert works.loc["10.1/poison", "status"] == "not_found"
    manifest = (data_raw / "MANIFEST.csv").read_text()
    assert "s2_citations.csv" in manifest and "openalex_citations.jsonl" in manifest
    canary.check(tmp_path, None, caplog, first.out, first.err)

    world.poison_fixed = True
    before = len(httpserver.log)
    assert influence.main(args) == 0
    again = [r.path for r, _ in httpserver.log[before:]]
    assert again == ["/graph/v1/paper/DOI:10.1/poison/citations"]  # only what had failed
    canary.check(tmp_path, capsys, caplog)


def test_github_full_hostile_run(httpserver, tmp_path, canary, capsys, caplog, monkeypatch):
    caplog.set_level("DEBUG")
    other = f"http://127.0.0.1:{httpserver.port}"
    limited = {"n": 0}

    def api(req: Request) -> Response:
        path = req.path.removeprefix("/gh")
        base = {"stargazers_count": 1, "forks_count": 0, "open_issues_count": 1}
        if path == "/repos/o/old":
            return Response("", status=301, headers={"Location": f"{req.host_url}gh/repos/o/new"})
        if path == "/repos/o/limited" and limited["n"] == 0:
            limited["n"] += 1
            return Response('{"message": "secondary rate limit"}', status=403)
        if m := re.fullmatch(r"/repos/o/(\w+)", path):
            return as_json({**base, "full_name": f"o/{m.group(1)}"})
        if path == "/repos/o/off/issues":
            return Response('{"message": "Issues are disabled"}', status=410)
        if path.endswith("/issues"):
            return as_json(
                [
                    {
                        "number": 1,
                        "url": "u1",
                        "state": "open",
                        "user": {"login": "a"},
                        "created_at": "2024-01-01T00:00:00Z",
                    }
                ],
                Link=f'<{other}/steal>; rel="next"',
            )
        return as_json(
            [{"issue_url": "u1", "user": {"login": "m"}, "created_at": "2024-01-01T02:00:00Z"}]
        )

    httpserver.expect_request(re.compile("^/gh/.+")).respond_with_handler(api)
    waits: list[float] = []  # the 60 s floor is waited on a fake clock
    monkeypatch.setattr(
        github,
        "policy",
        lambda args: http.RetryPolicy(
            attempts=args.attempts, min_wait=0, countdown=False, sleep=waits.append
        ),
    )
    code = github.main(
        [
            "--repos",
            "o/old",
            "o/limited",
            "o/off",
            "--github-url",
            httpserver.url_for("/gh"),
            "--data-raw",
            str(tmp_path / "data_raw"),
            "--cache",
            str(tmp_path / "cache"),
            "--min-wait",
            "0",
        ]
    )
    assert code == 0
    assert sum(waits) >= 60  # the secondary rate limit waited a minute (on the fake clock)
    assert not any(r.path == "/steal" for r, _ in httpserver.log)
    repos = pd.read_csv(tmp_path / "data_raw/collected/github/github_repos.csv").set_index("repo")
    assert repos.loc["o/old", "full_name"] == "o/new"
    assert repos.loc["o/off", "issues_status"] == "issues_disabled"
    assert not repos.loc["o/limited", "issues_complete"]  # the refused next page, said so
    captured = capsys.readouterr()
    assert "cut short" in captured.out
    canary.check(tmp_path, None, caplog, captured.out, captured.err)

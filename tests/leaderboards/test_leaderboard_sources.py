"""Parsers of the git-extracted leaderboards, the exact model matcher and the git collector."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

from benchmeta.collect import git_leaderboards
from benchmeta.leaderboards import matching
from benchmeta.leaderboards.sources import confabulations, sorry_bench, trustllm, vectara

README_A = """# Board
|Model|Hallucination Rate|Factual Consistency Rate|Answer Rate|
|----|----:|----:|----:|
|GPT-4|3.0 %|97.0 %|100.0 %|
|Llama 2 70B|5.1 %|94.9 %|99.9 %|
"""
# the same board with its columns in another order
README_B = """intro
|Model|Answer Rate|Average Summary Length (Words)|Hallucination Rate|Factual Consistency Rate|
|----|----:|----:|----:|----:|
|openai/gpt-4.1-2025-04-14|99.9 %|91.7|5.6 %|94.4 %|
"""


def test_vectara_table_parsed_by_header_not_position():
    a, b = vectara.parse_readme(README_A), vectara.parse_readme(README_B)
    assert a["hallucination_rate"].tolist() == [3.0, 5.1]
    assert b.iloc[0]["model_name"] == "openai/gpt-4.1-2025-04-14"
    assert b.iloc[0]["hallucination_rate"] == 5.6 and b.iloc[0]["answer_rate"] == 99.9
    assert vectara.parse_readme("no table here").empty


def _git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(repo)}  # fmt: skip
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()  # fmt: skip


def test_vectara_regime_follows_the_break_commit_not_the_text(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q", "-b", "main")
    shas = []
    for i, text in enumerate([README_A, README_A.replace("3.0 %", "1.8 %"), README_B]):
        (work / "README.md").write_text(text)
        _git(work, "add", "README.md")
        _git(work, "commit", "-q", "-m", f"c{i}", "--date", f"2024-0{i + 1}-01T00:00:00")
        shas.append(_git(work, "rev-parse", "HEAD"))
    mirrors = tmp_path / "mirrors"
    mirrors.mkdir()
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(mirrors / "o+r")], check=True)
    monkeypatch.setattr(vectara, "BREAKS", [(shas[1], "judge 2"), (shas[2], "judge 3")])
    facts = git_leaderboards._vectara(git_leaderboards.Mirror(mirrors, "o/r", shas[2]))
    by_commit = facts.groupby("commit")["regime"].first()
    assert by_commit[shas[0]] == vectara.FIRST_REGIME
    assert by_commit[shas[1]] == "judge 2" and by_commit[shas[2]] == "judge 3"
    gpt4 = facts[facts["model_name"] == "GPT-4"].set_index("commit")["hallucination_rate"]
    assert gpt4[shas[0]] == 3.0 and gpt4[shas[1]] == 1.8  # re-scored, and kept apart


def test_sorry_bench_js_skips_commented_categories_and_html_reads_the_trace():
    js = """// const all_categories = [
//   "A",
// ];
const all_categories = [
    "1: A",
    // "2: Dropped",
    "2: B",
  ];
const data = [
  { model: "m1", scores: [0.1,0.3], categories: all_categories },
];"""
    df = sorry_bench.parse_js(js)
    assert df["category"].tolist() == ["A", "B"] and df["fulfilment_rate"].tolist() == [0.1, 0.3]
    html = '<div>{"x":["#1: A","#2: B"],"y":["m1","m2"],"z":[[0.0,1.0],[0.5,0.5]],"type":"heatmap"}'
    h = sorry_bench.parse_html(html)
    assert (
        len(h) == 4 and h["category"].iloc[0] == "A" and h["version"].iloc[0] == sorry_bench.V2024
    )


def test_sorry_bench_js_with_a_missing_score_is_refused():
    js = 'const all_categories = [\n "1: A",\n "2: B",\n];\n{ model: "m", scores: [0.1], x }'
    with pytest.raises(ValueError, match="1 scores for 2 categories"):
        sorry_bench.parse_js(js)


def test_confabulations_counts_and_table():
    text = """As of Feb 10, 2025, 201 questions, confirmed by a human to lack answers ...
Currently, 2,612 hard questions (see the prompts) with known answers
|Rank|Model|Confab %|Non-Resp %|Weighted|
|---:|---|---:|---:|---:|
|1|GPT-5 (medium reasoning)|10.9|9.8|10.34|
"""
    assert confabulations.question_counts(text) == (201, 2612)
    df = confabulations.parse_readme(text)
    assert df.iloc[0].tolist() == ["GPT-5 (medium reasoning)", 10.9, 9.8]


def test_trustllm_reads_each_dimension():
    js = (
        'privacy = [{ "Model": "A", "Leak (\\u2193)": 0.1 }];\n'
        'safety=[{ "Model": "A", "Jailbreak (\\u2191)": 0.9 }]'
    )
    df = trustllm.parse_js(js)
    assert df["dimension"].tolist() == ["privacy", "safety"] and df["score"].tolist() == [0.1, 0.9]


@pytest.mark.parametrize(
    "name, key",
    [
        ("openai/gpt-4.1-2025-04-14", "gpt-4.1-2025-04-14"),
        ("Google Gemini-2.0-Flash-001", "gemini-2.0-flash-001"),
        ("OpenAI-o1-mini", "o1-mini"),
        ("Zhipu AI GLM-4-9B-Chat", "glm-4-9b-chat"),
        ("meta-llama/Llama_3.3  70B", "llama-3.3-70b"),
    ],
)
def test_canonical_key(name, key):
    assert matching.canonical(name) == key


def test_embedded_date_needs_a_full_stamp():
    assert matching.embedded_date("gpt-4o-2024-05-13") == pd.Timestamp("2024-05-13")
    assert matching.embedded_date("claude-3-haiku-20240307") == pd.Timestamp("2024-03-07")
    assert matching.embedded_date("mistral-large-2411") is None  # YYMM: ambiguous, not a date
    assert matching.embedded_date("model-20241399") is None


def _frames():
    registry = pd.DataFrame(
        [{"model_id": "openai/gpt-4-0314", "display_name": "GPT-4 (0314)", "provider": "OpenAI"}]
    )
    aliases = pd.DataFrame(
        [{"namespace": "seed", "name": "GPT-4", "model_id": "openai/gpt-4-0314", "note": ""}]
    )
    dates = {
        "speechmap_id": pd.DataFrame(
            {
                "name": ["x-ai/grok-3", "a/dup", "b/dup"],
                "id": ["x-ai/grok-3", "a/dup", "b/dup"],
                "release_date": ["2025-02-17", "2024-01-01", "2024-02-01"],
                "org": ["x-ai", "a", "b"],
            }
        ),  # fmt: skip
        "llmstats_id": pd.DataFrame(columns=["name", "id", "release_date", "org"]),
        "epoch_id": pd.DataFrame(columns=["name", "id", "release_date", "org"]),
    }
    return registry, aliases, dates


def test_propose_matches_exactly_and_lists_the_rest():
    registry, aliases, dates = _frames()
    names = pd.DataFrame(
        {"namespace": "board", "name": ["xAI Grok-3", "GPT-4", "dup", "Mystery 7B",
                                        "openai/gpt-4-0314"]}
    )  # fmt: skip
    reg, al, un = matching.propose(names, registry, aliases, dates)
    assert reg["model_id"].tolist() == ["xai/grok-3"] and reg.iloc[0]["provider"] == "xAI"
    assert reg.iloc[0]["speechmap_id"] == "x-ai/grok-3"
    mapped = dict(zip(al["name"], al["model_id"], strict=True))
    assert mapped == {"xAI Grok-3": "xai/grok-3", "openai/gpt-4-0314": "openai/gpt-4-0314"}
    reasons = dict(zip(un["name"], un["reason"], strict=True))
    # another board's alias "GPT-4" -> gpt-4-0314 is not borrowed: no guessing which snapshot
    assert reasons["GPT-4"] == "no dated model with this key"
    assert reasons["dup"] == "ambiguous in speechmap_id"
    assert reasons["Mystery 7B"] == "no dated model with this key"


def test_missing_mirror_or_commit_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no mirror of o/r"):
        git_leaderboards.Mirror(tmp_path, "o/r", "0" * 40)
    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q", "-b", "main")
    (work / "f").write_text("x")
    _git(work, "add", "f")
    _git(work, "commit", "-q", "-m", "c")
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(tmp_path / "o+r")], check=True)
    with pytest.raises(FileNotFoundError, match="does not hold commit"):
        git_leaderboards.Mirror(tmp_path, "o/r", "1" * 40)


def test_one_model_under_two_slugs_with_one_date_is_not_ambiguous():
    ids = ["ibm/granite-3.1-2b-instruct", "ibm-granite/granite-3.1-2b-instruct", "a/x", "b/x"]
    frame = pd.DataFrame(
        {
            "name": ids,
            "id": ids,
            "release_date": ["2024-12-18", "2024-12-18", "2024-01-01", "2024-02-01"],
            "org": ["ibm", "ibm-granite", "a", "b"],
        }
    )  # fmt: skip
    unique, ambiguous = matching.date_index(frame)
    assert unique == {"granite-3.1-2b-instruct": "ibm-granite/granite-3.1-2b-instruct"}
    assert ambiguous == {"x"}


def test_helm_release_reads_the_misspelt_field_only_when_it_is_a_date():
    from benchmeta.leaderboards.model_table import helm_release

    assert helm_release({"release_date": "2024-12-18", "release": "2020-01-01"}) == "2024-12-18"
    assert helm_release({"release": "2024-6-18"}) == "2024-06-18"
    assert helm_release({"release": "2024-18-4"}) == ""
    assert helm_release({}) == ""

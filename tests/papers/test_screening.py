"""benchmeta.screening and benchmeta.screening_tools: the rules on hand-made records (window
edges, survey exclusion, benchmark detection), the curator mapping, agreement on a tiny table,
adjudication input errors, tool importers, and a paper added through manual_records.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from benchmeta.core.errors import InputError
from benchmeta.papers import adjudication as A
from benchmeta.papers import criteria as K
from benchmeta.papers import dedup as D
from benchmeta.papers import included as I
from benchmeta.papers import records as R
from benchmeta.papers import report as Rep
from benchmeta.papers import screening as S
from benchmeta.papers import screening_exports as T
from benchmeta.stats import agreement

C = K.Criteria()


def rec(title: str, date: str = "2024-03", **kw) -> dict:
    base = {
        "record_id": kw.pop("record_id", "arxiv:2403.00001"),
        "title": title,
        "date": date,
        "year": int(date[:4]) if date else None,
        "kind": "paper",
        "tags": "",
        "sections": "",
        "sources": "",
        "topic_hint": "",
        "arxiv_id": "",
        "doi": "",
        "repo": "",
        "venue": "",
    }
    base.update(kw)
    return base


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    "date, expected",
    [
        ("2022-11-29", False),
        ("2022-11-30", True),
        ("2024-11-01", True),
        ("2024-11-02", False),
        ("2022-11", False),
        ("2022-12", True),
        ("2024-10", True),
        ("2024-11", False),
    ],
)
def test_window_edges(date, expected):
    assert K.in_window(date, None, C) is expected


def test_year_only_dates():
    assert K.in_window("", 2023, C) is True  # the whole year lies in the window
    assert K.in_window("", 2024, C) is None  # cannot tell: no usable date
    assert K.in_window("", 2021, C) is False
    assert K.in_window("", None, C) is None


def test_window_is_a_parameter():
    wide = K.Criteria(window_end="2025-06-30")
    r = rec("Jailbreaking LLMs with ciphers", "2025-03")
    assert S.rule_inclusion(r, C) == ("exclude", K.OUT_OF_WINDOW)
    assert S.rule_inclusion(r, wide)[0] == "include"
    assert "2025-06-30" in wide.text()


@pytest.mark.parametrize(
    "title",
    [
        "A Survey on Hallucination in Large Language Models",
        "SoK: Prompt Hacking of Large Language Models",
        "Position: Jailbreak research needs threat models",
    ],
)
def test_surveys_and_position_papers_are_excluded(title):
    assert S.rule_inclusion(rec(title), C) == ("exclude", K.SURVEY)


def test_exclusion_order_and_reasons():
    assert S.rule_inclusion(rec("Jailbreak tool", kind="non-paper"), C) == ("exclude", K.NOT_PAPER)
    assert S.rule_inclusion(rec("大语言模型越狱攻击研究"), C) == ("exclude", K.NOT_ENGLISH)
    assert S.rule_inclusion(rec("Jailbreak", date="", year=None), C) == ("exclude", K.NO_DATE)
    vis = rec("Visual Adversarial Examples Jailbreak Aligned Large Language Models")
    assert S.rule_inclusion(vis, C) == ("exclude", K.NOT_LLM)
    assert S.rule_inclusion(vis, K.Criteria(include_multimodal=True))[0] == "include"
    assert S.rule_inclusion(rec("Efficient fine-tuning of LLMs"), C) == ("exclude", K.OFF_TOPIC)


def test_topics_from_title_and_abstract():
    assert S.rule_topics(rec("Indirect Prompt Injection in LLM apps"), C) == ["PI"]
    assert S.rule_topics(rec("HaluEval: hallucination evaluation"), C) == ["HAL"]
    assert S.rule_topics(rec("A new attack", abstract="We jailbreak GPT-4."), C) == ["JB"]
    # a generic "attack on LLMs" about another threat is not a jailbreak
    assert S.rule_topics(rec("Backdoor attacks on large language models"), C) == []


@pytest.mark.parametrize(
    "title, label",
    [
        ("HarmBench: A Standardized Evaluation Framework for Automated Red Teaming", "benchmark"),
        ("JailbreakBench: An Open Robustness Benchmark for Jailbreaking LLMs", "benchmark"),
        ("TruthfulQA: Measuring How Models Mimic Human Falsehoods", "benchmark"),
        ("Do-Not-Answer: A Dataset for Evaluating Safeguards in LLMs", "benchmark"),
        ("Jailbreaking Black Box Large Language Models in Twenty Queries", "non-benchmark"),
        ("Defending Against Prompt Injection with a Dataset of Attacks", "non-benchmark"),
        ("SelfCheckGPT: Zero-Resource Hallucination Detection", "non-benchmark"),
    ],
)
def test_benchmark_rule(title, label):
    assert S.rule_benchmark(rec(title))[0] == label


# --------------------------------------------------------------------------- curators


def test_curator_benchmark_mapping():
    lmssp = "ThuCCSLab__Awesome-LM-SSP"
    badge = rec("X", tags="LLM;Benchmark", sources=lmssp, sections=f"{lmssp}: A1. Jailbreak")
    assert S.curator_benchmark(badge)[0] == "benchmark"
    plain = rec("X", tags="LLM", sources=lmssp, sections=f"{lmssp}: A1. Jailbreak")
    assert S.curator_benchmark(plain)[0] == "non-benchmark"
    y = "yueliu1999__Awesome-Jailbreak-on-LLMs"
    ev = rec("X", sources=y, sections=f"{y}: Papers > Evaluation & Analysis")
    assert S.curator_benchmark(ev)[0] == "benchmark"
    att = rec("X", sources=y, sections=f"{y}: Papers > Jailbreak Attack > Black-box Attack")
    assert S.curator_benchmark(att)[0] == "non-benchmark"
    lucky = "LuckyyySTA__Awesome-LLM-hallucination"
    mixed = rec(
        "X",
        sources=lucky,
        sections=f"{lucky}: Papers > Hallucination Detection and "
        "Benchmarks > Hallucination Detection > Uncertainty Estimation",
    )
    assert S.curator_benchmark(mixed)[0] == "non-benchmark"
    edin = "EdinburghNLP__awesome-hallucination-detection"
    silent = rec("X", sources=edin, sections=f"{edin}: Papers and Summaries")
    assert S.curator_benchmark(silent)[0] == K.NO_SIGNAL


def test_curator_inclusion_and_topic():
    lmssp = "ThuCCSLab__Awesome-LM-SSP"
    r = rec("X", topic_hint="JB", sources=lmssp, tags="LLM")
    assert S.curator_inclusion(r, C)[0] == "include"
    assert S.curator_inclusion(rec("X", topic_hint="other"), C) == ("exclude", K.OFF_TOPIC)
    assert S.curator_inclusion(rec("X", topic_hint="JB", tags="Survey"), C)[1] == K.SURVEY
    assert S.curator_inclusion(rec("X", topic_hint="JB", tags="VLM"), C)[1] == K.NOT_LLM


def test_screen_long_format_and_no_signal():
    unique = pd.DataFrame(
        [
            rec("Jailbreak prompts in the wild", record_id="a", topic_hint="JB"),
            rec("Jailbreak prompts", "2019-01", record_id="b", topic_hint="JB"),
        ]
    )
    d = S.screen(unique)
    assert list(d.columns) == K.DECISION_COLUMNS
    assert set(d["stage"]) == set(K.STAGES)
    assert set(d[d["record_id"] == "b"]["stage"]) == {"title-abstract"}  # out of window
    bench = d[(d["stage"] == "benchmark") & (d["reviewer"] == K.REVIEWER_TWO)]
    assert bench["decision"].tolist() == [K.NO_SIGNAL]


def test_agreement_on_a_tiny_known_table():
    # 10 items: 8 agree; kappa by hand = (0.8 - 0.5) / 0.5 = 0.6
    r1 = ["y"] * 5 + ["n"] * 5
    r2 = ["y"] * 4 + ["n"] + ["y"] + ["n"] * 4
    a = agreement(r1, r2)
    assert a.n == 10 and a.percent == pytest.approx(0.8) and a.kappa == pytest.approx(0.6)
    assert a.ac1 == pytest.approx(0.6)


def test_concordance_table_leaves_out_no_signal():
    rows = []
    for i in range(12):
        rid = f"r{i}"
        rows += [
            (rid, "benchmark", "rules", "benchmark" if i < 6 else "non-benchmark", ""),
            (
                rid,
                "benchmark",
                "curators",
                K.NO_SIGNAL if i == 0 else ("benchmark" if i < 7 else "non-benchmark"),
                "",
            ),
        ]
    d = pd.DataFrame(rows, columns=K.DECISION_COLUMNS)
    t = Rep.concordance_table(d, set(), {f"r{i}" for i in range(12)})
    row = t[t["stage"] == "benchmark"].iloc[0]
    assert row["n_rated"] == 11 and row["n_no_signal"] == 1
    assert row["percent"] == pytest.approx(10 / 11)


# --------------------------------------------------------------------------- adjudications


def write_adj(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "adjudications.csv"
    p.write_text("record_id,stage,decision,reason,adjudicator\n" + text, encoding="utf-8")
    return p


def test_adjudications_override_rules():
    d = pd.DataFrame(
        [
            ("a", "benchmark", "rules", "non-benchmark", "m"),
            ("a", "benchmark", "curators", "benchmark", "t"),
        ],
        columns=K.DECISION_COLUMNS,
    )
    adj = pd.DataFrame(
        [("a", "benchmark", "benchmark", "read it", "me")], columns=K.ADJUDICATION_COLUMNS
    )
    f = A.final_decisions(d, adj)
    assert f.iloc[0]["decision"] == "benchmark" and f.iloc[0]["source"] == K.ADJUDICATOR
    assert A.final_decisions(d, adj.iloc[0:0]).iloc[0]["decision"] == "non-benchmark"


@pytest.mark.parametrize(
    "body, value, line",
    [
        ("a,full-text,include,x,me\n", "full-text", 2),
        ("a,benchmark,include,x,me\n", "include", 2),
        ("a,topic,JB,x,me\na,title-abstract,maybe,x,me\n", "maybe", 3),
        ("zz,topic,JB,x,me\n", "zz", 2),
        ("a,topic,JB,,me\n", "a", 2),
        ("a,topic,JB,x,me\na,topic,PI,y,me\n", "a", 3),
    ],
)
def test_bad_adjudications_name_file_line_value(tmp_path, body, value, line):
    p = write_adj(tmp_path, body)
    with pytest.raises(InputError) as err:
        A.read_adjudications(p, known_ids={"a"})
    assert err.value.line == line and err.value.value == value
    assert "adjudications.csv" in str(err.value)


def test_committed_adjudications_are_valid():
    r, _ = R.load_snapshot()
    u, _ = D.deduplicate(r)
    alias = D.aliases(r)  # ids absorbed by the close-title merge still name a record
    adj = A.read_adjudications(
        R.DATA_RAW / "screening" / "adjudications.csv", set(u["record_id"]) | set(alias)
    )
    assert len(adj) > 50 and adj["reason"].str.len().min() > 5
    assert set(D.remap(adj, alias, ["record_id", "stage"])["record_id"]) <= set(u["record_id"])


# --------------------------------------------------------------------------- importers

UNIQUE = pd.DataFrame(
    [
        {
            "record_id": "arxiv:2307.15043",
            "title": "Universal and Transferable Adversarial Attacks on Aligned Language Models",
            "doi": "",
            "arxiv_id": "2307.15043",
        },
        {
            "record_id": "doi:10.1000/xyz",
            "title": "A DOI-only paper",
            "doi": "10.1000/xyz",
            "arxiv_id": "",
        },
        {
            "record_id": "title:abc",
            "title": "HaluEval: A Hallucination Benchmark",
            "doi": "",
            "arxiv_id": "",
        },
    ]
)


def test_asreview_import(tmp_path):
    p = tmp_path / "asreview.csv"
    p.write_text(
        "record_id,title,abstract,url,asreview_label,asreview_time,asreview_note\n"
        "arxiv:2307.15043,Universal and Transferable Adversarial Attacks on Aligned Language "
        "Models,,https://arxiv.org/abs/2307.15043,1,2024-01-01T10:00:00,jailbreak attack\n"
        "7,A DOI-only paper,,https://doi.org/10.1000/xyz,0,2024-01-01T10:01:00,\n"
        "8,HaluEval: A Hallucination Benchmark,,,,,\n",
        encoding="utf-8",
    )
    d = T.read_asreview(p, UNIQUE, reviewer="anna")
    assert d.values.tolist() == [
        ["arxiv:2307.15043", "title-abstract", "anna", "include", "jailbreak attack"],
        ["doi:10.1000/xyz", "title-abstract", "anna", "exclude", "asreview label"],
    ]


def test_asreview_old_included_column_and_bad_label(tmp_path):
    p = tmp_path / "old.csv"
    p.write_text("title,included\nHaluEval: A Hallucination Benchmark,1\n", encoding="utf-8")
    assert T.read_asreview(p, UNIQUE, "bo")["decision"].tolist() == ["include"]
    p.write_text("title,included\nHaluEval: A Hallucination Benchmark,yes\n", encoding="utf-8")
    with pytest.raises(InputError, match="old.csv:2"):
        T.read_asreview(p, UNIQUE, "bo")


def test_rayyan_import(tmp_path):
    p = tmp_path / "articles.csv"
    notes = (
        '"RAYYAN-INCLUSION: {""Alice""=>""Included"", ""Bob""=>""Excluded""} | '
        'RAYYAN-EXCLUSION-REASONS: wrong topic"'
    )
    p.write_text(
        "key,title,authors,journal,year,url,abstract,notes,doi\n"
        f"1,Universal and Transferable Adversarial Attacks on Aligned Language Models,Zou,,2023,"
        f"https://arxiv.org/abs/2307.15043,,{notes},\n"
        '2,A DOI-only paper,X,,2024,,,"RAYYAN-INCLUSION: {""Alice""=>""Maybe""}",10.1000/XYZ\n'
        "3,HaluEval: A Hallucination Benchmark,Y,,2023,,,,\n",
        encoding="utf-8",
    )
    d = T.read_rayyan(p, UNIQUE)
    assert d.values.tolist() == [
        ["arxiv:2307.15043", "title-abstract", "rayyan:Alice", "include", "rayyan vote"],
        ["arxiv:2307.15043", "title-abstract", "rayyan:Bob", "exclude", "wrong topic"],
        ["doi:10.1000/xyz", "title-abstract", "rayyan:Alice", "maybe", "rayyan vote"],
    ]


def test_covidence_import_and_unmatched_row(tmp_path):
    p = tmp_path / "irrelevant.csv"
    p.write_text(
        "Title,Authors,Abstract,Published Year,Published Month,Journal,Volume,Issue,Pages,"
        "Accession Number,DOI,Ref,Covidence #,Study,Notes,Tags\n"
        "A DOI-only paper,X,,2024,,J,,,,,10.1000/xyz,,#12,X 2024,,\n",
        encoding="utf-8",
    )
    d = T.read_covidence(p, UNIQUE, decision="exclude")
    assert d.values.tolist() == [
        ["doi:10.1000/xyz", "title-abstract", "covidence", "exclude", "Covidence list export #12"]
    ]
    p.write_text("Title,DOI\nA paper nobody listed,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        T.read_covidence(p, UNIQUE, decision="exclude")
    assert err.value.line == 2 and err.value.value == "A paper nobody listed"


# --------------------------------------------------------------------------- manual records


def test_a_manual_record_is_carried_to_the_included_list(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    listed = {c: "" for c in R.COLUMNS}
    listed.update(
        {
            "list": "ThuCCSLab__Awesome-LM-SSP",
            "file": "j.md",
            "line": 3,
            "section": "A1. Jailbreak",
            "kind": "paper",
            "title": "Jailbreaking LLMs in Twenty Queries",
            "date": "2023-10",
            "date_source": "list",
            "year": 2023,
            "arxiv_id": "2310.08419",
            "paper_url": "https://arxiv.org/abs/2310.08419",
            "tags": "LLM",
            "topic_hint": "JB",
        }
    )
    pd.DataFrame([listed]).to_csv(folder / "records.csv", index=False)
    pd.DataFrame(columns=R.PROBLEM_COLUMNS).to_csv(folder / "parse_problems.csv", index=False)
    (folder / "manual_records.csv").write_text(
        "title,paper_url,date,code_url,venue,tags,topic_hint,note\n"
        "PIBench: A Benchmark for Prompt Injection Robustness,https://arxiv.org/abs/2405.01234,"
        "2024-05,https://github.com/example/pibench,,Benchmark,PI,missed by every list\n",
        encoding="utf-8",
    )
    raw, _ = R.load_snapshot(tmp_path)
    unique, _ = D.deduplicate(raw)
    d = S.screen(unique)
    final = A.final_decisions(d, pd.DataFrame(columns=K.ADJUDICATION_COLUMNS))
    inc = I.included_papers(unique, d, final).set_index("paper_id")
    assert set(inc.index) == {"2310.08419", "2405.01234"}
    row = inc.loc["2405.01234"]
    assert bool(row["is_benchmark"]) and row["topic"] == "PI"
    assert row["repo"] == "example/pibench" and row["sources"] == "manual"
    assert "benchmark: rules=benchmark curators=benchmark" in row["screening_trail"]
    assert list(inc.reset_index().columns[:9]) == I.INCLUDED_COLUMNS[:9]


def test_shared_repositories_are_not_a_papers_code():
    u = pd.DataFrame({"repo": ["a/x", "A/X", "a/x", "b/y", ""]})
    assert I.shared_repos(u, 3) == {"a/x": 3}


def test_first_version_is_the_earlier_of_list_date_and_arxiv_id():
    assert K.first_version_date({"date": "2023-02", "arxiv_id": "2208.03274"}) == "2022-08"
    assert K.first_version_date({"date": "2023-02", "arxiv_id": "2303.00001"}) == "2023-02"
    assert K.first_version_date({"date": "", "arxiv_id": "2401.00001"}) == "2024-01"
    r = rec("Jailbreak prompts", "2023-02", arxiv_id="2208.03274")
    assert S.rule_inclusion(r, C) == ("exclude", K.OUT_OF_WINDOW)


@pytest.mark.parametrize(
    "reason, category",
    [
        ("a survey of hallucination", K.SURVEY),
        ("process supervision for maths: off-topic", K.OFF_TOPIC),
        ("CroPA: attacks on vision-language models: not a text LLM", K.NOT_LLM),
        ("duplicate of arxiv:2311.16119", A.DUPLICATE),
        ("Llama Guard 2 is a model card: not a research paper", K.NOT_PAPER),
        (K.NO_DATE, K.NO_DATE),
    ],
)
def test_adjudicated_exclusions_map_to_prisma_categories(reason, category):
    assert A.exclusion_category(reason) == category


@pytest.mark.parametrize(
    ("title", "repo", "expected"),
    [
        ("Lynx: An Open Source Hallucination Detection Model", "lynx-family/lynx-website", False),
        (
            "THaMES: An End-to-End Tool for Hallucination Mitigation",
            "AI-Stuff/hudson-and-thames-research",
            False,
        ),
        (
            "NOVO: Norm Voting Off Hallucinations with Attention Heads",
            "MorganCThomas/MolScore",
            False,
        ),
        ("DAHRS: Divergence-Aware Hallucination-Remediated SRL Projection", "dahrs/dahrs", True),
        (
            "GraphEval: A Knowledge-Graph Based LLM Hallucination Evaluation",
            "ulab-uiuc/GraphEval",
            True,
        ),
        (
            "Faithfulness-Aware Decoding Strategies for Abstractive Summarization",
            "amazon-science/faithful-summarization-generation",
            True,
        ),
    ],
)
def test_plausible_repo(title, repo, expected):
    assert I.plausible_repo(title, repo) is expected

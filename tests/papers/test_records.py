"""benchmeta.papers (lists, records, dedup) and core.ids: one test per list format on tiny inline snippets, de-duplication, the
identification counts, the collector, and a contract test on the committed snapshot."""
# ruff: noqa: E501  (the inline snippets reproduce the lists' own long lines)

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from benchmeta.collect import local_records
from benchmeta.core import ids
from benchmeta.core.errors import InputError
from benchmeta.core.manifest import sha256_file
from benchmeta.core.paths import DATA_RAW
from benchmeta.papers import dedup as D
from benchmeta.papers import markdown
from benchmeta.papers import records as R
from benchmeta.papers.lists import registry as L


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return root


def run(parser, tmp_path: Path, name: str, files: dict[str, str]):
    root = tmp_path / name
    for rel, text in files.items():
        write(root, rel, text)
    recs, probs = parser(root)
    return pd.DataFrame(recs, columns=R.COLUMNS), pd.DataFrame(probs, columns=R.PROBLEM_COLUMNS)


def one(df: pd.DataFrame, **match) -> pd.Series:
    sel = df
    for k, v in match.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"expected one row with {match}, got {len(sel)}"
    return sel.iloc[0]


def problem(probs: pd.DataFrame, line: int, words: str, action: str | None = None) -> pd.Series:
    sel = probs[(probs["line"] == line) & probs["reason"].str.contains(words, regex=False)]
    assert len(sel) >= 1, f"no problem at line {line} mentioning {words!r}:\n{probs}"
    row = sel.iloc[0]
    assert row["file"] and row["list"]
    if action:
        assert row["action"] == action
    return row


# --------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("https://arxiv.org/abs/2403.02691", "2403.02691"),
        ("https://arxiv.org/pdf/2403.02691v2", "2403.02691"),
        ("https://arxiv.org/pdf/2403.02691v3.pdf", "2403.02691"),
        ("https://arxiv.org/html/2402.01822v1", "2402.01822"),
        ("http://export.arxiv.org/abs/1706.03762", "1706.03762"),
        ("https://huggingface.co/papers/2510.04849", "2510.04849"),
        ("arXiv:2309.01219", "2309.01219"),
        ("https://doi.org/10.48550/arXiv.2403.02691", "2403.02691"),
        ("https://arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001"),
        ("https://arxiv.org/abs/cs/0112017", "cs/0112017"),
        ("https://arxiv.org/abs/2413.00001", ""),  # month 13
        ("https://example.org/2403.02691", ""),  # not an arXiv link
    ],
)
def test_arxiv_id(text, expected):
    assert ids.arxiv_id(text) == expected


def test_arxiv_month_old_and_new_style():
    assert ids.arxiv_month("2403.02691") == "2024-03"
    assert ids.arxiv_month("hep-th/9901001") == "1999-01"
    assert ids.arxiv_month("cs/0112017") == "2001-12"
    assert ids.arxiv_month("") == ""


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://github.com/uiuc-kang-lab/InjecAgent", "uiuc-kang-lab/InjecAgent"),
        ("https://github.com/uiuc-kang-lab/InjecAgent.git", "uiuc-kang-lab/InjecAgent"),
        ("https://www.github.com/oneal2000/MIND/tree/main", "oneal2000/MIND"),
        (
            "https://github.com/MaHuanAAA/SemanticEnergy/blob/main/x.ipynb",
            "MaHuanAAA/SemanticEnergy",
        ),
        ("https://github.com/walledai/walledeval?tab=readme-ov-file#flow", "walledai/walledeval"),
        ("http://github.com/leondz/garak/", "leondz/garak"),
        ("https://gitlab.com/owner/repo", ""),
        ("https://image-hijacks.github.io", ""),
        ("https://github.com/yueliu1999", ""),
        ("https://github.com/orgs/foo/repositories", ""),
        ("", ""),
    ],
)
def test_github_repo(url, expected):
    assert ids.github_repo(url) == expected


def test_doi_forms():
    assert ids.doi("https://doi.org/10.1145/3658644.3670285") == "10.1145/3658644.3670285"
    assert ids.doi("https://dl.acm.org/doi/10.1145/3658644.3670285") == "10.1145/3658644.3670285"
    assert (
        ids.doi("https://dl.acm.org/doi/pdf/10.1145/3658644.3670285") == "10.1145/3658644.3670285"
    )
    assert ids.doi("https://doi.org/10.48550/arXiv.2403.02691") == ""  # an arXiv id instead
    assert ids.doi("https://arxiv.org/abs/2403.02691") == ""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024/03", ("2024-03", 2024)),
        ("[2024/03]", ("2024-03", 2024)),
        ("2023.5", ("2023-05", 2023)),
        ("2023.10", ("2023-10", 2023)),
        ("23.10", ("2023-10", 2023)),
        ("2024-03-05", ("2024-03-05", 2024)),
        ("2024/5/20", ("2024-05-20", 2024)),
        ("2023", ("", 2023)),
        ("", ("", None)),
        ("-", ("", None)),
    ],
)
def test_parse_date(text, expected):
    assert markdown.parse_date(text) == expected


@pytest.mark.parametrize("text", ["March 2024", "2024/13", "2024.1O", "24/03", "2024-02-31x"])
def test_parse_date_unknown(text):
    with pytest.raises(ValueError):
        markdown.parse_date(text)


# --------------------------------------------------------------------------- parsers

LMSSP = """
# A1. Jailbreak
- [2024/03] **[InjecAgent: Benchmarking Indirect Prompt Injections](https://arxiv.org/abs/2403.02691v2)** [<img src="https://x/github.svg" alt="Code" width="15">](https://github.com/uiuc-kang-lab/InjecAgent.git) ![LLM](https://img.shields.io/badge/LLM-589cf4) ![Benchmark](https://img.shields.io/badge/Benchmark-87b800) ![ICLR'24_(Spotlight)](https://img.shields.io/badge/ICLR'24_(Spotlight)-f1b800)
- [2024/13] **[Impossible Month](https://arxiv.org/abs/2401.00001)**
- [March 2024] **[Unknown Date Format](https://arxiv.org/abs/2403.00002)**
- [2024/03] **[InjecAgent listed twice](https://arxiv.org/abs/2403.02691)**
- [2024/03] a broken entry without a bold linked title
- [2023/05] **[HaluEval](https://arxiv.org/abs/2305.11747)** ![LLM](https://img.shields.io/badge/LLM-589cf4)
"""


def test_lm_ssp(tmp_path):
    recs, probs = run(
        L.parse_lm_ssp,
        tmp_path,
        "ThuCCSLab__Awesome-LM-SSP",
        {"collection/paper/safety/jailbreak.md": LMSSP},
    )
    assert len(recs) == 5  # every entry but the broken one survives
    r = one(recs, title="InjecAgent: Benchmarking Indirect Prompt Injections")
    assert (r.arxiv_id, r.date, r.date_source, r.year) == ("2403.02691", "2024-03", "list", 2024)
    assert r.repo == "uiuc-kang-lab/InjecAgent" and r.venue == "ICLR'24 (Spotlight)"
    assert r.tags == "LLM;Benchmark" and r.topic_hint == "JB" and r.kind == "paper"
    assert r.section == "A1. Jailbreak" and r.line == 2
    assert r.file == "collection/paper/safety/jailbreak.md"
    bad = one(recs, title="Unknown Date Format")
    assert (bad.date, bad.date_source) == ("2024-03", "arxiv_id")  # dated from its arXiv id
    problem(probs, 3, "'2024/13'", "kept")
    problem(probs, 4, "unknown date format: 'March 2024'", "kept")
    problem(probs, 5, "duplicate arXiv id 2403.02691", "kept")
    problem(probs, 6, "does not match", "dropped")
    assert one(probs, line=6).text_excerpt.startswith("- [2024/03] a broken entry")


YUELIU = """
# Awesome-Jailbreak-on-LLMs
## Papers
### Jailbreak Attack
#### Black-box Attack
| Time    | Title                                                        | Venue |  Paper  |  Code  |
| ------- | ------------------------------------------------------------ | :---: | :-----: | :----: |
| 2023.10 | **Jailbreaking Black Box Large Language Models in Twenty Queries (PAIR)** | NeurIPS'24 | [link](https://arxiv.org/pdf/2310.08419v3) | [link](https://github.com/patrickrchao/JailbreakingLLMs/tree/main) |
| 2023.1O | **Typo In Date** | arXiv | [link](https://arxiv.org/abs/2310.00001) | - |
| 2023.10 | **Too Many Cells** | arXiv | [link](https://arxiv.org/abs/2310.00002) | - | surprise |
| 2024.02 | **Second Paper** | arXiv | [link](https://arxiv.org/abs/2402.00003) | [models](https://huggingface.co/x) |
| 2024.02 | **PAIR again** | arXiv | [link](https://arxiv.org/abs/2310.08419) | - |
"""


def test_yueliu(tmp_path):
    recs, probs = run(
        L.parse_yueliu, tmp_path, "yueliu1999__Awesome-Jailbreak-on-LLMs", {"README.md": YUELIU}
    )
    assert len(recs) == 4
    r = recs.iloc[0]
    assert r.title == "Jailbreaking Black Box Large Language Models in Twenty Queries (PAIR)"
    assert (r.arxiv_id, r.date, r.venue) == ("2310.08419", "2023-10", "NeurIPS'24")
    assert r.repo == "patrickrchao/JailbreakingLLMs" and r.topic_hint == "JB"
    assert r.section == "Papers > Jailbreak Attack > Black-box Attack" and r.line == 7
    assert one(recs, title="Second Paper").repo == ""  # a model link is not a repository
    problem(probs, 8, "unknown date format: '2023.1O'", "kept")
    problem(probs, 9, "row has 6 cells", "dropped")
    problem(probs, 11, "duplicate arXiv id 2310.08419 within the list (first at line 7)", "kept")


YDYJYA = """
# Jailbreaks&Attack

## 📑Papers

| Date  |        Institute        |   Publication   |                      Paper                      |          Keywords          |
|:-----:|:-----------------------:|:---------------:|:-----------------------------------------------:|:--------------------------:|
| 23.10 |   University of Pennsylvania    |      arxiv      | [Jailbreaking Black Box Large Language Models in Twenty Queries](https://arxiv.org/abs/2310.08419) | **Prompt Automatic Iterative Refinement**&**Jailbreak** |
| 23.13 |  X  |  arxiv  | [Bad Month](https://arxiv.org/abs/2311.00001) | **Jailbreak** |
| 24.01 |  Y  |  ICLR 2024  | [Indirect Prompt Injection Study](https://arxiv.org/abs/2401.00002) | **Prompt Injection** || 24.02 | Z | arxiv | [Glued Row](https://arxiv.org/abs/2402.00003) | **Attack** |

## 📖Tutorials & Workshops

| Date  |        Type        |   Title   |   URL   |
|:-----:|:------------------:|:---------:|:-------:|
| 23.02 | Resource&Tutorials | Jailbreak Chat | [link](https://www.jailbreakchat.com/) |
"""


def test_ydyjya(tmp_path):
    recs, probs = run(
        L.parse_ydyjya,
        tmp_path,
        "ydyjya__Awesome-LLM-Safety",
        {"subtopic/Jailbreaks&Attack.md": YDYJYA},
    )
    assert len(recs) == 5
    r = one(recs, arxiv_id="2310.08419")
    assert (r.date, r.venue, r.section) == ("2023-10", "arxiv", "Jailbreaks&Attack > Papers")
    assert r.tags == "Prompt Automatic Iterative Refinement;Jailbreak" and r.topic_hint == "JB"
    assert one(recs, arxiv_id="2401.00002").topic_hint == "PI"
    assert one(recs, title="Glued Row").line == 9
    tut = one(recs, title="Jailbreak Chat")
    assert tut.kind == "non-paper" and tut.paper_url == "https://www.jailbreakchat.com/"
    problem(probs, 8, "'23.13'", "kept")
    problem(probs, 9, "two table rows on one line", "kept")


CHAWINS = """
# LLM Security & Privacy
## Vulnerabilities
### Prompt Injection
```
# attack 1: not a heading, inside a code block
```
<details><summary>Tensor Trust: Interpretable Prompt Injection Attacks from an Online Game (2023) [<a href="https://arxiv.org/abs/2311.01011">Paper</a>] 💽 💸</summary>

> quoted abstract, never copied

</details>
<details><summary>No Year Given [<a href="https://arxiv.org/abs/2302.00539">Paper</a>] 👤</summary></details>
<details><summary>A summary that is never closed
### Jailbreak
<details><summary>Jailbroken: How Does LLM Safety Training Fail? (2023) [<a href="https://arxiv.org/abs/2307.02483">Paper</a>] ⭐</summary></details>
## Other resources
### Open-Source Projects
- [garak](https://github.com/leondz/garak): LLM vulnerability scanner.
"""


def test_chawins(tmp_path):
    recs, probs = run(L.parse_chawins, tmp_path, "chawins__llm-sp", {"README.md": CHAWINS})
    papers = recs[recs["kind"] == "paper"]
    assert len(papers) == 3
    r = one(recs, arxiv_id="2311.01011")
    assert r.title == "Tensor Trust: Interpretable Prompt Injection Attacks from an Online Game"
    assert r.tags == "dataset/benchmark/framework;closed-source models"
    assert (r.section, r.topic_hint, r.year, r.date) == (
        "Vulnerabilities > Prompt Injection",
        "PI",
        2023,
        "2023-11",
    )
    assert one(recs, arxiv_id="2307.02483").topic_hint == "JB"
    assert one(recs, arxiv_id="2302.00539").tags == "👤"
    tool = one(recs, kind="non-paper")
    assert tool.repo == "leondz/garak"
    problem(probs, 12, "no '(YYYY)' year", "kept")
    problem(probs, 13, "not closed", "dropped")
    assert (
        one(
            recs, title="Tensor Trust: Interpretable Prompt Injection Attacks from an Online Game"
        ).abstract
        == "quoted abstract, never copied"
    )


TLDRSEC = """
# prompt-injection-defenses
## Input Pre-processing (Paraphrasing, Retokenization)
|   | Summary |
| -------- | ------- |
| **Paraphrasing** |  |
| [StruQ: Defending Against Prompt Injection with Structured Queries](https://arxiv.org/abs/2402.06363) | a summary we do not copy |
| [A blog post about defenses](https://simonwillison.net/2023/Dec/20/x/) | summary |
| [StruQ again](https://arxiv.org/pdf/2402.06363) | dup |
| [no closing link(https://arxiv.org/abs/2402.00009) | broken |
# Tools
* [liu00222/Open-Prompt-Injection](https://github.com/liu00222/Open-Prompt-Injection)
"""


def test_tldrsec(tmp_path):
    recs, probs = run(
        L.parse_tldrsec, tmp_path, "tldrsec__prompt-injection-defenses", {"README.md": TLDRSEC}
    )
    r = one(recs, arxiv_id="2402.06363", line=6)
    assert r.section == "Input Pre-processing (Paraphrasing, Retokenization) > Paraphrasing"
    assert (r.kind, r.date, r.date_source, r.topic_hint) == ("paper", "2024-02", "arxiv_id", "PI")
    assert one(recs, line=7).kind == "non-paper"
    tool = one(recs, line=11)
    assert (tool.kind, tool.repo) == ("non-paper", "liu00222/Open-Prompt-Injection")
    problem(probs, 8, "duplicate arXiv id 2402.06363", "kept")
    assert "summary" not in " ".join(recs["title"])
    assert len(probs[probs["line"] == 9]) == 1  # the broken row is reported, not lost


FONDU = """
# Awesome Prompt Injection
## Research Papers
- [Not what you've signed up for: Indirect Prompt Injection](https://arxiv.org/abs/2302.12173) - This paper explores...
## Tools
- [Garak](https://github.com/leondz/garak) - Automate looking for hallucination.
## CTF
- [Gandalf](https://gandalf.lakera.ai/) - a game
"""


def test_fonduai(tmp_path):
    recs, _ = run(
        L.parse_fonduai, tmp_path, "FonduAI__awesome-prompt-injection", {"README.md": FONDU}
    )
    assert list(recs["kind"]) == ["paper", "non-paper", "non-paper"]
    assert recs.iloc[0].arxiv_id == "2302.12173" and recs.iloc[1].repo == "leondz/garak"
    assert set(recs["topic_hint"]) == {"PI"}
    # the description after the link is kept as the entry's summary (FonduAI is CC0-1.0)
    assert list(recs["abstract"]) == [
        "This paper explores...",
        "Automate looking for hallucination.",
        "a game",
    ]


CORCA = """
# Awesome LLM Security
## Papers
### Black-box attack
- "Jailbroken: How Does LLM Safety Training Fail?", 2023-07, NeurIPS(Oral) 23, [[paper]](https://www.themoonlight.io/paper/share/1b53) [[repo]](https://github.com/x/jailbroken/tree/main)
- “Curly Quoted Title”, 2024-06, `multi-modal`, [[paper]](https://arxiv.org/pdf/2406.00001)
- "No Date Here", NeurIPS 23, [[paper]](https://www.themoonlight.io/paper/share/3)
## Benchmark
- "JailbreakBench: An Open Robustness Benchmark for Jailbreaking Large Language Models", 2024-03, [[paper]](https://www.themoonlight.io/paper/share/2e9c), [[repo]](https://github.com/JailbreakBench/jailbreakbench)
## Tools
- [Garak](https://github.com/leondz/garak/): a LLM vulnerability scanner
## Other Awesome Projects
- (0din GenAI Bug Bounty)(https://0din.ai): malformed link
"""


def test_corca(tmp_path):
    recs, probs = run(
        L.parse_corca, tmp_path, "corca-ai__awesome-llm-security", {"README.md": CORCA}
    )
    r = one(recs, title="Jailbroken: How Does LLM Safety Training Fail?")
    assert (r.date, r.venue, r.repo, r.arxiv_id) == (
        "2023-07",
        "NeurIPS(Oral) 23",
        "x/jailbroken",
        "",
    )
    c = one(recs, title="Curly Quoted Title")
    assert (c.tags, c.arxiv_id) == ("multi-modal", "2406.00001")
    assert one(recs, title="No Date Here").date == ""
    assert one(recs, section="Benchmark").repo == "JailbreakBench/jailbreakbench"
    assert one(recs, title="Garak").kind == "non-paper"
    problem(probs, 6, "no YYYY-MM date", "kept")
    problem(probs, 12, "malformed link", "dropped")


EDINBURGH = """
# awesome-hallucination-detection
## Papers and Summaries
### [HaluEval: A Large-Scale Hallucination Evaluation Benchmark](https://arxiv.org/abs/2305.11747)
- **Metrics:** Accuracy
- **Datasets:** HaluEval, a collection of generated samples
- **Comments:** a comment we never copy

### [HaluEval (listed again)](https://arxiv.org/abs/2305.11747v2)
### [A title without its link]
## Overviews, Surveys, and Shared Tasks
- [Siren's Song in the AI Ocean](https://arxiv.org/abs/2309.01219)
- [A blog on hallucinations](https://amatriain.net/blog/hallucinations)
"""


def test_edinburgh(tmp_path):
    recs, probs = run(
        L.parse_edinburgh,
        tmp_path,
        "EdinburghNLP__awesome-hallucination-detection",
        {"README.md": EDINBURGH},
    )
    r = one(recs, line=3)
    assert (r.arxiv_id, r.section, r.topic_hint) == ("2305.11747", "Papers and Summaries", "HAL")
    assert r.tags == "has metrics field;has datasets field"
    assert one(recs, arxiv_id="2309.01219").kind == "paper"
    assert one(recs, line=12).kind == "non-paper"
    problem(probs, 8, "duplicate arXiv id 2305.11747", "kept")
    problem(probs, 9, "without a [Title](url) link", "dropped")
    assert one(recs, line=3).abstract == "a comment we never copy"  # Apache-2.0: kept


HILLZHANG = """
# llm-hallucination-survey
## Evaluation of LLM Hallucination
### Fact-conflicting Hallucination
1. **TruthfulQA: Measuring How Models Mimic Human Falsehoods**
   *Stephanie Lin, Jacob Hilton, Owain Evans* [[paper]](https://aclanthology.org/2022.acl-long.229/) 2022.5

1. **HaluEval: A Large-Scale Hallucination Evaluation Benchmark for Large Language Models**
   *Junyi Li* [[paper]](https://arxiv.org/abs/2305.11747) 2023.5
1. **An Odd Date**
   *A. Author* [[paper]](https://arxiv.org/abs/2305.11748) 2023.13
1. **No Link At All**
   *A. Author*
### Input-conflicting Hallucination
+ `Machine Translation`:
  + **Looking for a Needle in a Haystack**
  *Nuno M. Guerreiro* [[paper]](https://arxiv.org/abs/2208.05309) 2022.8
Some prose citing *someone* [[paper]](https://arxiv.org/abs/2305.99999) 2023.5
"""


def test_survey_lists(tmp_path):
    recs, probs = run(
        L.parse_hillzhang,
        tmp_path,
        "HillZhang1999__llm-hallucination-survey",
        {"README.md": HILLZHANG},
    )
    assert len(recs) == 5
    t = one(recs, line=4)
    assert (t.date, t.date_source, t.arxiv_id) == ("2022-05", "list", "")
    assert t.section == "Evaluation of LLM Hallucination > Fact-conflicting Hallucination"
    assert one(recs, line=7).arxiv_id == "2305.11747"
    odd = one(recs, line=9)
    assert (odd.date, odd.date_source) == ("2023-05", "arxiv_id")
    problem(probs, 9, "'2023.13'", "kept")
    problem(probs, 11, "without a [[paper]] link", "kept")
    n = one(recs, arxiv_id="2208.05309")
    assert n.section.endswith("Input-conflicting Hallucination > Machine Translation")
    problem(probs, 17, "matches no entry format", "dropped")


LUCKY = """
# Awesome-LLM-hallucination
## Papers
#### Hallucination Benchmarks

**Hallucination Evaluation Benchmarks**

1. **TruthfulQA: Measuring How Models Mimic Human Falsehoods** `ACL 2022`

   *Stephanie Lin, Jacob Hilton, Owain Evans* [[paper]](https://arxiv.org/abs/2109.07958) 2021.09
"""


def test_luckyyysta(tmp_path):
    recs, _ = run(
        L.parse_luckyyysta, tmp_path, "LuckyyySTA__Awesome-LLM-hallucination", {"README.md": LUCKY}
    )
    r = one(recs, arxiv_id="2109.07958")
    assert (r.venue, r.date) == ("ACL", "2021-09")
    assert r.section == "Papers > Hallucination Benchmarks > Hallucination Evaluation Benchmarks"


MALA = r"""
# Awesome-Hallucination-Detection-and-Mitigation
## Hallucinations Evaluation Benchmark
- [Li2023] HaluEval: A Large-Scale Hallucination Evaluation Benchmark for Large Language Models in *EMNLP*, 2023. [\[paper\]](https://arxiv.org/abs/2305.11747)
- [Kossen2024] Semantic Entropy Probes: Robust and Cheap Hallucination Detection in LLMs in *Arxiv*, 2024.[\[paper\]](https://arxiv.org/pdf/2406.15927)[\[code\]](https://github.com/OATML/semantic-entropy-probes)
- [Bad2024] a bullet without the venue marker [\[paper\]](https://arxiv.org/abs/2406.00001)
- [Kossen2024] Semantic Entropy Probes again in *ICML*, 2024. [\[paper\]](https://arxiv.org/abs/2406.15927)
"""


def test_mala(tmp_path):
    recs, probs = run(
        L.parse_mala,
        tmp_path,
        "mala-lab__Awesome-LLM-LVLM-Hallucination-Detection-and-Mitigation",
        {"README.md": MALA},
    )
    assert len(recs) == 3
    r = one(recs, line=4)
    assert (r.venue, r.repo, r.arxiv_id, r.date) == (
        "Arxiv",
        "OATML/semantic-entropy-probes",
        "2406.15927",
        "2024-06",
    )
    assert one(recs, line=3).tags == "benchmark section"
    problem(probs, 5, "does not match", "dropped")
    problem(probs, 6, "duplicate arXiv id 2406.15927 within the list (first at line 4)", "kept")


def test_atlas(tmp_path):
    papers = [
        {
            "title": "SymLoc: Symbolic Localization of Hallucination",
            "url": "https://arxiv.org/abs/2511.14172",
            "code": "https://github.com/naveen308/SYMLOC",
            "year": 2025,
            "date": "2025-11-18",
            "venue": "CODS 2025",
            "model_type": "LLM",
            "method_type": "Training-free",
            "benchmark": True,
            "survey": False,
            "tags": ["RAG"],
            "abstract": "never copied",
            "id": 1,
        },
        {
            "title": "Same id again",
            "url": "https://doi.org/10.1000/xyz",
            "code": "",
            "year": 2024,
            "date": "2024",
            "venue": "ACL 2024",
            "tags": [],
            "id": 1,
        },
        "not an object",
        {
            "title": "Bad date",
            "url": "https://arxiv.org/abs/2402.00001",
            "code": "",
            "year": 2024,
            "date": "2024-13",
            "tags": [],
            "id": 3,
        },
    ]
    recs, probs = run(
        L.parse_atlas,
        tmp_path,
        "GuangtaoLyu__awesome-hallucination-atlas",
        {"data/papers.json": json.dumps({"generated": True, "papers": papers})},
    )
    assert len(recs) == 3
    r = one(recs, line=1)
    assert (r.date, r.repo, r.venue) == ("2025-11-18", "naveen308/SYMLOC", "CODS 2025")
    assert r.tags == "RAG;LLM;Training-free;Benchmark"
    d = one(recs, line=2)
    assert (d.doi, d.year, d.date) == ("10.1000/xyz", 2024, "")
    problem(probs, 2, "duplicate id 1", "kept")
    problem(probs, 3, "not a JSON object", "dropped")
    problem(probs, 4, "'2024-13'", "kept")
    assert recs.iloc[0].abstract == "never copied"  # CC0-1.0: kept


OBSERVATORY = """
# nips2024 - Jailbreak Research Papers
## Benchmark
### Text (1 paper)
| Title | First Author Affiliation | Track | Average Rating | Status | Link |
|--------|:-----:|:-----:|:-----:|:-----:|:-----:|
| JailbreakBench: An Open Robustness Benchmark for Jailbreaking Large Language Models | UPenn | D&B | 6.5 | Poster | [🔗](https://neurips.cc/virtual/2024/poster/97432) |
| Broken | row | with | too | many | cells | x | y |
"""
TOP100 = """
# Top 100 Classified Papers

## AutoDAN: Generating Stealthy Jailbreak Prompts on Aligned Large Language Models
📑 Citations: 526
🎯 Target: Text  🗂️ Category: Attack
📅 Year: 2023  📍 Venue: International Conference on Learning Representations

Abstract:
never copied
"""


def test_observatory(tmp_path):
    recs, probs = run(
        L.parse_observatory,
        tmp_path,
        "GenggengSvan__Jailbreak-Observatory",
        {"Conference/NIPS/nips2024.md": OBSERVATORY, "citations_top_100.md": TOP100},
    )
    r = one(recs, file="Conference/NIPS/nips2024.md")
    assert (r.venue, r.year, r.section, r.topic_hint) == (
        "NeurIPS 2024",
        2024,
        "Benchmark > Text",
        "JB",
    )
    t = one(recs, file="citations_top_100.md")
    assert (t.year, t.tags, t.line) == (2023, "Attack;Text", 3)
    problem(probs, 7, "row has 8 cells", "dropped")
    # the parser reads the abstract; the collector drops it (the list has no licence)
    assert t.abstract == "never copied"


def test_parse_all_reports_unknown_folders_and_keeps_the_rest(tmp_path):
    write(tmp_path / "ThuCCSLab__Awesome-LM-SSP", "collection/paper/safety/jailbreak.md", LMSSP)
    write(tmp_path / "FonduAI__awesome-prompt-injection", "README.md", FONDU)
    (tmp_path / "someone__unknown-list").mkdir()
    recs, probs = R.parse_all(tmp_path)
    assert set(recs["list"]) == {"ThuCCSLab__Awesome-LM-SSP", "FonduAI__awesome-prompt-injection"}
    folder = one(probs, reason="no parser for this list folder")
    assert (folder.list, folder.line, folder.action) == ("someone__unknown-list", 0, "dropped")
    assert list(recs.columns) == R.COLUMNS and list(probs.columns) == R.PROBLEM_COLUMNS
    assert str(recs["year"].dtype) == "Int64"


def test_a_crashing_parser_does_not_lose_the_other_lists(tmp_path, monkeypatch):
    write(tmp_path / "FonduAI__awesome-prompt-injection", "README.md", FONDU)
    write(tmp_path / "chawins__llm-sp", "README.md", CHAWINS)

    def boom(root):
        raise RuntimeError("bug")

    monkeypatch.setitem(L.PARSERS, "chawins__llm-sp", boom)
    recs, probs = R.parse_all(tmp_path)
    assert set(recs["list"]) == {"FonduAI__awesome-prompt-injection"}
    assert probs["reason"].str.contains("parser failed: RuntimeError").any()


# --------------------------------------------------------------------------- de-duplication


def rec(**kw) -> dict:
    base = {c: "" for c in R.COLUMNS}
    base.update({"list": "a__list", "file": "README.md", "line": 1, "kind": "paper", "year": None})
    base.update(kw)
    if base["paper_url"] and not base["arxiv_id"]:
        base["arxiv_id"] = ids.arxiv_id(base["paper_url"])
    if base["paper_url"] and not base["doi"]:
        base["doi"] = ids.doi(base["paper_url"])
    if base["code_url"] and not base["repo"]:
        base["repo"] = ids.github_repo(base["code_url"])
    return base


def frame(rows: list[dict]) -> pd.DataFrame:
    return R._frame(rows, R.COLUMNS)


def test_dedup_arxiv_versions_keep_sources_dates_code_and_tags():
    df = frame(
        [
            rec(
                list="b__two",
                line=5,
                title="InjecAgent",
                paper_url="https://arxiv.org/pdf/2403.02691v2",
                date="2024-04",
                tags="Benchmark",
                section="Attack",
            ),
            rec(
                list="a__one",
                line=9,
                title="InjecAgent: Benchmarking Indirect Prompt Injections",
                paper_url="https://arxiv.org/abs/2403.02691",
                date="2024-03",
                tags="LLM",
                code_url="https://github.com/uiuc-kang-lab/InjecAgent/tree/main",
            ),
            rec(
                list="c__three",
                line=2,
                title="Unrelated",
                paper_url="https://arxiv.org/abs/2401.00001",
            ),
        ]
    )
    unique, dups = D.deduplicate(df)
    assert len(unique) == 2
    u = one(unique, record_id="arxiv:2403.02691")
    assert u.sources == "a__one;b__two" and u.n_sources == 2 and u.n_records == 2
    assert (u.date, u.year) == ("2024-03", 2024)
    assert u.repo == "uiuc-kang-lab/InjecAgent"
    assert u.code_url.startswith("https://github.com/uiuc-kang-lab/InjecAgent")
    assert u.tags == "Benchmark;LLM" and u.paper_url == "https://arxiv.org/abs/2403.02691"
    assert list(dups["matched_on"]) == ["arxiv"] and dups.iloc[0]["record_id"] == u.record_id


def test_dedup_by_doi_then_title():
    df = frame(
        [
            rec(
                list="a__one",
                title="A CCS paper",
                paper_url="https://doi.org/10.1145/3658644.3670285",
            ),
            rec(
                list="b__two",
                title="A CCS Paper (extended)",
                paper_url="https://dl.acm.org/doi/10.1145/3658644.3670285",
            ),
            rec(
                list="a__one",
                line=3,
                title="HaluEval: A Large-Scale Hallucination Benchmark",
                paper_url="https://openreview.net/x",
            ),
            rec(
                list="b__two",
                line=4,
                title="Halueval — a large‑scale hallucination benchmark!",
                paper_url="https://aclanthology.org/y",
            ),
            rec(
                list="c__three",
                line=5,
                title="ＨａｌｕＥｖａｌ: A Large-Scale Hallucination Benchmark",
                paper_url="https://arxiv.org/abs/2305.11747",
            ),
        ]
    )
    unique, dups = D.deduplicate(df)
    assert len(unique) == 2
    d = one(unique, record_id="doi:10.1145/3658644.3670285")
    assert d.sources == "a__one;b__two"
    h = one(unique, record_id="arxiv:2305.11747")  # title variants joined the arXiv record
    assert h.n_records == 3 and h.sources == "a__one;b__two;c__three"
    assert set(dups["matched_on"]) == {"doi", "title"}


def test_dedup_title_only_ids_are_stable_and_different_arxiv_ids_stay_apart():
    rows = [
        rec(
            list="a__one",
            title="Practices for Governing Agentic AI Systems",
            paper_url="https://cdn.openai.com/papers/x.pdf",
        ),
        rec(
            list="b__two",
            title="Practices for governing agentic AI systems.",
            paper_url="https://openai.com/y",
        ),
        rec(list="a__one", line=7, title="A Survey", paper_url="https://arxiv.org/abs/2309.01219"),
        rec(list="b__two", line=8, title="A Survey", paper_url="https://arxiv.org/abs/2311.05232"),
    ]
    unique, _ = D.deduplicate(frame(rows))
    assert len(unique) == 3 and unique["record_id"].is_unique
    tid = "title:" + ids.title_hash("Practices for Governing Agentic AI Systems")
    assert tid in set(unique["record_id"]) and len(tid) == len("title:") + 12
    again, _ = D.deduplicate(frame(rows[::-1]))
    assert set(again["record_id"]) == set(unique["record_id"])


def test_dedup_repo_case_insensitive():
    df = frame(
        [
            rec(
                list="a__one",
                title="X",
                paper_url="https://arxiv.org/abs/2401.00001",
                code_url="https://github.com/Owner/Repo.git",
            ),
            rec(
                list="b__two",
                title="X",
                paper_url="https://arxiv.org/abs/2401.00001v2",
                code_url="https://github.com/owner/repo/tree/main",
            ),
        ]
    )
    unique, _ = D.deduplicate(df)
    assert one(unique, record_id="arxiv:2401.00001").repo.lower() == "owner/repo"


def test_identification_counts_add_up(tmp_path):
    write(tmp_path / "ThuCCSLab__Awesome-LM-SSP", "collection/paper/safety/jailbreak.md", LMSSP)
    write(
        tmp_path / "mala-lab__Awesome-LLM-LVLM-Hallucination-Detection-and-Mitigation",
        "README.md",
        MALA,
    )
    recs, probs = R.parse_all(tmp_path)
    unique, dups = D.deduplicate(recs)
    counts = D.identification_counts(recs, unique, probs, dups)
    per = counts[counts["list"] != "all"]
    assert (per["entries"] == per["parsed"] + per["dropped"]).all()
    total = counts.set_index("list").loc["all"]
    assert total["parsed"] == len(recs)
    assert total["duplicates_removed"] == len(recs) - len(unique) == len(dups)
    assert total["unique_after_dedup"] == len(unique)


# --------------------------------------------------------------------------- manual records


def test_manual_records_bad_input_names_file_line_value(tmp_path):
    path = tmp_path / "manual_records.csv"
    path.write_text(
        "list,title,date,paper_url\nmanual,Good,2024-03,https://arxiv.org/abs/2403.18802\n"
        "manual,Bad date,March 2024,https://example.org\n"
    )
    with pytest.raises(InputError) as err:
        R.read_manual(path)
    assert err.value.line == 3 and err.value.value == "March 2024"
    path.write_text(
        "list,title,date,paper_url\nmanual,Good,2024-03,https://arxiv.org/abs/2403.18802\n"
    )
    df = R.read_manual(path)
    assert (df.iloc[0]["arxiv_id"], df.iloc[0]["date_source"], df.iloc[0]["line"]) == (
        "2403.18802",
        "manual",
        2,
    )


MANUAL_HEAD = "list,title,date,paper_url,arxiv_id,topic_hint,code_url,repo\n"


def manual_error(tmp_path, row: str) -> InputError:
    path = tmp_path / "manual_records.csv"
    path.write_text(
        MANUAL_HEAD + "manual,Good,2024-03,https://arxiv.org/abs/2403.18802,,HAL,,\n" + row + "\n"
    )
    with pytest.raises(InputError) as err:
        R.read_manual(path)
    assert err.value.line == 3 and str(path) in str(err.value)
    return err.value


def test_read_manual_refuses_an_arxiv_id_of_the_wrong_form(tmp_path):
    err = manual_error(tmp_path, "manual,Bad id,2024-05,https://example.org/p,24050.0001x,HAL,,")
    assert err.value == "24050.0001x" and "wrong form" in str(err)


def test_seven_digit_arxiv_url_is_refused_not_truncated(tmp_path):
    assert ids.arxiv_id("https://arxiv.org/abs/2405.1234567") == ""  # not 2405.12345
    assert ids.arxiv_id("https://arxiv.org/abs/2405.12345v3") == "2405.12345"
    err = manual_error(tmp_path, "manual,Long id,2024-05,https://arxiv.org/abs/2405.1234567,,HAL,,")
    assert err.value == "https://arxiv.org/abs/2405.1234567"


def test_read_manual_refuses_an_unknown_topic_hint(tmp_path):
    err = manual_error(tmp_path, "manual,Odd topic,2024-05,https://example.org/p,,XYZ,,")
    assert err.value == "XYZ" and "topic_hint" in str(err)


def test_read_manual_honours_the_repo_column(tmp_path):
    path = tmp_path / "manual_records.csv"
    path.write_text(
        MANUAL_HEAD + "manual,With repo,2024-03,https://arxiv.org/abs/2403.18802,,HAL,,"
        "google-deepmind/long-form-factuality\n"
    )
    rec = R.read_manual(path).iloc[0]
    assert rec["repo"] == "google-deepmind/long-form-factuality"
    assert rec["code_url"] == "https://github.com/google-deepmind/long-form-factuality"
    err = manual_error(tmp_path, "manual,Bad repo,2024-05,https://example.org/p,,HAL,,not a repo")
    assert err.value == "not a repo"


# --------------------------------------------------------------------------- collector


def test_collector_writes_snapshot_and_manifest(tmp_path):
    src = tmp_path / "lists"
    write(src / "FonduAI__awesome-prompt-injection", "README.md", FONDU)
    write(
        src / "mala-lab__Awesome-LLM-LVLM-Hallucination-Detection-and-Mitigation", "README.md", MALA
    )
    write(src / "tldrsec__prompt-injection-defenses", "README.md", TLDRSEC)
    data_raw = tmp_path / "data_raw"
    data_raw.mkdir()
    assert (
        local_records.main(
            ["--from", str(src), "--data-raw", str(data_raw), "--retrieved-at", "2026-11-23"]
        )
        == 0
    )
    out = data_raw / "records"
    recs = pd.read_csv(out / "records.csv", dtype=str, keep_default_na=False)
    assert list(recs.columns) == R.COLUMNS
    lists = pd.read_csv(out / "lists.csv", dtype=str).set_index("list")
    assert set(lists["licence"]) == {"CC0-1.0", "none"}
    # summaries are kept only from lists under an open licence, and counted either way
    tldr = recs[recs["list"] == "tldrsec__prompt-injection-defenses"]
    fondu = recs[recs["list"] == "FonduAI__awesome-prompt-injection"]
    assert len(tldr) and (tldr["abstract"] == "").all() and (fondu["abstract"] != "").all()
    assert int(lists.loc["tldrsec__prompt-injection-defenses", "with_abstract_in_list"]) > 0
    assert lists.loc["tldrsec__prompt-injection-defenses", "with_abstract_kept"] == "0"
    assert lists.loc["FonduAI__awesome-prompt-injection", "with_abstract_kept"] == "3"
    man = pd.read_csv(data_raw / "MANIFEST.csv", dtype=str, keep_default_na=False)
    assert {"records/records.csv", "records/parse_problems.csv", "records/lists.csv"} <= set(
        man["path"]
    )
    for f in out.iterdir():
        assert str(tmp_path) not in f.read_text(encoding="utf-8")
    assert str(tmp_path) not in (data_raw / "MANIFEST.csv").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- committed snapshot

SNAPSHOT = DATA_RAW / "records" / "records.csv"


@pytest.mark.skipif(not SNAPSHOT.is_file(), reason="no records snapshot committed yet")
def test_committed_snapshot_contract():
    recs, probs = R.load_snapshot(DATA_RAW)
    assert list(recs.columns) == R.COLUMNS and list(probs.columns) == R.PROBLEM_COLUMNS
    assert (recs["title"] != "").all() and (recs["line"] >= 0).all()
    lists = pd.read_csv(DATA_RAW / "records" / "lists.csv", dtype=str)
    assert set(recs["list"]) - {R.MANUAL_LIST} <= set(lists["list"])
    assert len(lists) == 13
    assert (recs["list"] == R.MANUAL_LIST).any()
    unique, dups = D.deduplicate(recs)
    assert len(unique) > 1000 and unique["record_id"].is_unique
    assert list(unique.columns) == D.UNIQUE_COLUMNS
    assert unique["record_id"].str.match(r"^(arxiv:|doi:|title:[0-9a-f]{12})").all()
    assert (unique["arxiv_id"] != "").sum() > 1000 and (unique["repo"] != "").sum() > 500
    ok = recs["date"] != ""
    assert recs.loc[ok, "date"].str.fullmatch(r"\d{4}-\d{2}(-\d{2})?").all()
    man = pd.read_csv(DATA_RAW / "MANIFEST.csv", dtype=str, keep_default_na=False)
    for name in ["records.csv", "parse_problems.csv", "lists.csv", "manual_records.csv"]:
        row = man[man["path"] == f"records/{name}"]
        assert len(row) == 1, name
        assert row.iloc[0]["sha256"] == sha256_file(DATA_RAW / "records" / name)
    roots = (DATA_RAW.parent, Path.home(), tempfile.gettempdir())
    machine = {str(p).rstrip("/") + "/" for p in roots}
    for f in (DATA_RAW / "records").iterdir():
        text = f.read_text(encoding="utf-8")
        assert not any(m in text for m in machine), f.name

"""Screening: two passes over every unique record, in the tool-neutral long format
``record_id, stage, reviewer, decision, reason``.

Reviewer one (``rules``) applies the written criteria (``criteria.Criteria``) as keyword rules
over a record's title and abstract (where a list gives one), kind and first-version date.
Reviewer two (``curators``) is the curated lists' own classification: the list, section or
badge under which a paper is filed. Both come from the lists that form the identification
frame, so their agreement is rule-vs-curator concordance, not inter-rater reliability.
"""

from __future__ import annotations

import re

import pandas as pd

from .criteria import (
    _I,
    DECISION_COLUMNS,
    NO_DATE,
    NO_SIGNAL,
    NOT_ENGLISH,
    NOT_LLM,
    NOT_PAPER,
    OFF_TOPIC,
    OUT_OF_WINDOW,
    REVIEWER_ONE,
    REVIEWER_TWO,
    SURVEY,
    Criteria,
    record_in_window,
)
from .lists.registry import BADGE_LISTS, MACHINE_GENERATED, SECTION_LISTS

# --------------------------------------------------------------------------- reviewer one

TOPIC_RULES = {
    "PI": re.compile(
        r"prompt[\s-]*injection|injection attack|indirect (?:prompt )?injection|"
        r"instruction injection|inject(?:ed|ing)? (?:prompts?|instructions?)|prompt hijack|"
        r"goal hijack|\binjecagent\b|\bbipia\b|prompt (?:hacking|manipulation)|"
        r"instruction hierarchy|attacks? (?:and defen[cs]es? )?(?:on|for|against) (?:\w+[\s-]){0,2}"
        r"agents?\b",
        _I,
    ),
    "JB": re.compile(
        r"jail[\s-]?br[eo]a?k|red[\s-]?team|adversarial (?:prompts?|suffix(?:es)?)|"
        r"adversarial attacks? on (?:aligned|large|llms?|language)|"
        r"harmful (?:prompts?|requests?|questions?|instructions?|quer(?:y|ies)|behaviou?rs?)|"
        r"unsafe (?:prompts?|inputs?)|many[\s-]shot|refus(?:al|e|es|ing)\b|"
        r"safety[\s-](?:aligned|training|guard)|multi[\s-]turn attack|"
        r"\b(?:attack\w*|attacker)\b[^:]{0,40}\b(?:llms?|language models?|chatgpt|gpt-4)\b|"
        r"\b(?:llm|language model) attacks?\b",
        _I,
    ),
    "HAL": re.compile(
        r"hallucinat|factual|truthful|fact[\s-]?check|confabulat|fabricat|faithful|"
        r"groundedness|self[\s-]contradict|false premise",
        _I,
    ),
}
# a generic "attack on LLMs" is a jailbreak only when it is not about these other threats
OTHER_THREAT = re.compile(
    r"backdoor|poison|watermark|membership|privacy|extraction|stealing|copyright|trojan", _I
)
SURVEY_RULE = re.compile(
    r"\bsurvey\b|\bsystematic (?:literature )?review\b|\ba review\b|\breview of\b|\boverview\b|"
    r"\bsok\b|systemati[sz]ation of knowledge|\bposition(?: paper)?:|\bposition paper\b|"
    r"\bperspectives?\b|\btutorial\b|\broadmap\b|\bprimer\b|reading list|\bawesome\b",
    _I,
)
MODALITY_RULE = re.compile(
    r"vision[\s-]language|\b(?:l?vlms?|mllms?|lvlms?|vllms?)\b|multi[\s-]?modal|\bimages?\b|"
    r"\bvisual\b|\bvideos?\b|\baudio\b|\bspeech\b|text[\s-]to[\s-]image|\bdiffusion\b|"
    r"\bobject hallucination\b|\b3d\b|captioning",
    _I,
)
BENCH_STRONG = re.compile(
    r"benchmark|\b\w*bench\b|leaderboard|test[\s-]?suite|evaluation (?:suite|framework|"
    r"platform|toolkit|protocol)|\barena\b",
    _I,
)
BENCH_NAME = re.compile(r"\b[A-Z][\w-]*(?:Eval|QA|Bench)\b")
BENCH_WEAK = re.compile(r"\bdatasets?\b|\bdata set\b|\bcorpus\b|\bcorpora\b", _I)
EVAL_WORD = re.compile(r"\bevaluat\w*|\bassess\w*|\bmeasur\w*|\bquantif\w*", _I)
EVAL_OBJECT = re.compile(
    r"\b(?:framework|suite|protocol|metrics?|comprehensive|holistic|systematic|large[\s-]scale)\b",
    _I,
)
METHOD_RULE = re.compile(
    r"\b(?:attack(?:s|ing)?|defen[cs]es?|defending|detect\w*|mitigat\w*|guard\w*|shield\w*|"
    r"protect\w*|reduc\w*|alleviat\w*|improv\w*|enhanc\w*|prevent\w*|robustif\w*|purif\w*|"
    r"filter\w*|correct\w*|editing|decoding|fine[\s-]?tun\w*|training|align\w*|steer\w*|"
    r"jailbreaking|exploit\w*)\b",
    _I,
)


def _text(rec: dict) -> str:
    """Title and abstract (where the list gives one): what the topic and modality rules read."""
    return " ".join(str(rec.get(k) or "") for k in ("title", "abstract"))


def not_english(title: str) -> bool:
    """A title whose letters are mostly outside the Latin script."""
    letters = [c for c in title if c.isalpha()]
    other = sum(1 for c in letters if ord(c) > 0x024F)
    return bool(letters) and other / len(letters) > 0.3


def rule_topics(rec: dict, criteria: Criteria) -> list[str]:
    text = _text(rec)
    found = [t for t in criteria.topics if TOPIC_RULES[t].search(text)]
    if "JB" in found and OTHER_THREAT.search(text) and not re.search(r"jail[\s-]?br", text, _I):
        found.remove("JB")
    return found


# an abstract states a benchmark as the contribution ("we introduce X, a benchmark ..."); a
# benchmark merely used for evaluation ("on standard benchmarks") does not count
BENCH_CONTRIBUTION = re.compile(
    r"\b(?:we|this (?:paper|work))\s+(?:\w+\s+){0,2}?(?:introduc|present|propos|construct|"
    r"build|buil|releas|creat|develop|curat|collect|design)\w*\s+[^.;]{0,60}?"
    r"(?:benchmark|\b\w*bench\b|dataset|data set|test[\s-]?suite|evaluation (?:suite|framework|"
    r"platform|toolkit|protocol))",
    _I,
)


def rule_benchmark(rec: dict) -> tuple[str, str]:
    """Reviewer one's benchmark label with the rule that fired: benchmark words in the title,
    or an abstract that states a benchmark or dataset as its contribution."""
    text = str(rec.get("title") or "")
    m = BENCH_STRONG.search(text) or BENCH_NAME.search(text)
    if m:
        return "benchmark", f"title names a benchmark ({m.group(0)!r})"
    c = BENCH_CONTRIBUTION.search(str(rec.get("abstract") or ""))
    if c:
        return "benchmark", f"abstract introduces a benchmark ({c.group(0)[:60]!r})"
    method = METHOD_RULE.search(text)
    weak = BENCH_WEAK.search(text)
    if weak and not method:
        return "benchmark", f"title offers a dataset ({weak.group(0)!r}) and no method"
    if EVAL_WORD.search(text) and EVAL_OBJECT.search(text) and not method:
        return "benchmark", "title offers an evaluation framework and no method"
    if method:
        return "non-benchmark", f"method paper ({method.group(0)!r})"
    return "non-benchmark", "no benchmark or dataset in the title"


def rule_inclusion(rec: dict, criteria: Criteria) -> tuple[str, str]:
    """Reviewer one's title-abstract decision and the first exclusion reason that applies."""
    title = str(rec.get("title") or "")
    if rec.get("kind", "paper") != "paper":
        return "exclude", NOT_PAPER
    if not_english(title):
        return "exclude", NOT_ENGLISH
    window = record_in_window(rec, criteria)
    if window is None:
        return "exclude", NO_DATE
    if not window:
        return "exclude", OUT_OF_WINDOW
    if SURVEY_RULE.search(title):
        return "exclude", SURVEY
    if not criteria.include_multimodal and MODALITY_RULE.search(_text(rec)):
        return "exclude", NOT_LLM
    topics = rule_topics(rec, criteria)
    if not topics:
        return "exclude", OFF_TOPIC
    return "include", "topic keywords: " + ";".join(topics)


# --------------------------------------------------------------------------- reviewer two

BENCH_TAG = re.compile(
    r"^(?:benchmark|new[ _]dataset|dataset|dataset/benchmark/framework|"
    r"benchmark section|[\w ]*benchmark(?: dataset)?)$",
    _I,
)
BENCH_SECTION = re.compile(r"benchmark|datasets? ?& ?benchmark|evaluation & analysis", _I)
# a parent heading over both detection methods and benchmarks is not a benchmark signal
MIXED_SECTION = re.compile(r"detection and benchmarks", _I)
# sections that mix benchmarks with methods, or conference lists: no classification
UNCLASSIFIED_SECTION = re.compile(
    r"^(?:ICML|ICLR|NAACL)\s?\d{4}|^Top 100$|^Evaluation of LLM Hallucination", _I
)
SURVEY_TAG = re.compile(r"^(?:survey|position paper)$", _I)
SURVEY_SECTION = re.compile(r"surveys?\b|overviews|analytical papers", _I)
MODEL_BADGES = {"vlm", "mllm", "diffusion", "cv", "video", "audio", "vision"}


def _sections(rec: dict) -> list[tuple[str, str]]:
    out = []
    for entry in str(rec.get("sections") or "").split(" | "):
        if ": " in entry:
            name, sec = entry.split(": ", 1)
            out.append((name, sec))
    return out


def _tags(rec: dict) -> set[str]:
    return {t.strip() for t in str(rec.get("tags") or "").split(";") if t.strip()}


def curator_topics(rec: dict, criteria: Criteria) -> list[str]:
    """Topics of the lists / sections the curators filed the paper under."""
    hints = {t for t in str(rec.get("topic_hint") or "").split(";") if t}
    return [t for t in criteria.topics if t in hints]


def curator_benchmark(rec: dict) -> tuple[str, str]:
    """Benchmark if any curator flags it (badge or section); non-benchmark if a classifying list
    files it elsewhere; otherwise ``no signal``."""
    tags = _tags(rec)
    flagged = sorted(t for t in tags if BENCH_TAG.match(t))
    if flagged:
        return "benchmark", "curator tag: " + ", ".join(flagged[:3])
    secs = _sections(rec)
    hit = next(((n, s) for n, s in secs if BENCH_SECTION.search(MIXED_SECTION.sub("", s))), None)
    if hit:
        return "benchmark", f"{hit[0].split('__')[0]} section: {hit[1]}"
    sources = set(str(rec.get("sources") or "").split(";"))
    # a missing badge in a machine-generated list is no curator's rating: no signal
    badge = sorted(sources & (BADGE_LISTS - MACHINE_GENERATED))
    if badge:
        return "non-benchmark", f"no benchmark badge in {badge[0].split('__')[0]}"
    filed = next(
        ((n, s) for n, s in secs if n in SECTION_LISTS and not UNCLASSIFIED_SECTION.search(s)), None
    )
    if filed:
        return "non-benchmark", f"{filed[0].split('__')[0]} section: {filed[1]}"
    return NO_SIGNAL, "no list classifies this paper"


def curator_inclusion(rec: dict, criteria: Criteria) -> tuple[str, str]:
    """The curators' view of eligibility: not a paper / survey / non-text model by their tags
    and sections, off-topic when filed only under other topics; dates are facts shared with
    reviewer one, so the window applies to both."""
    if rec.get("kind", "paper") != "paper":
        return "exclude", NOT_PAPER
    window = record_in_window(rec, criteria)
    if window is None:
        return "exclude", NO_DATE
    if not window:
        return "exclude", OUT_OF_WINDOW
    tags = _tags(rec)
    secs = _sections(rec)
    if any(SURVEY_TAG.match(t) for t in tags) or (
        secs and all(SURVEY_SECTION.search(s) for _, s in secs)
    ):
        return "exclude", SURVEY
    lowered = {t.lower() for t in tags}
    if not criteria.include_multimodal and lowered & MODEL_BADGES and "llm" not in lowered:
        return "exclude", NOT_LLM
    topics = curator_topics(rec, criteria)
    if not topics:
        return "exclude", OFF_TOPIC
    return "include", "filed under " + ";".join(topics)


# --------------------------------------------------------------------------- both passes


def screen(unique: pd.DataFrame, criteria: Criteria | None = None) -> pd.DataFrame:
    """Both reviewers' decisions in long format for every unique record.

    Title-abstract: every record. Topic and benchmark: records with a first version in the
    window that are papers (the records whose topic and type anyone could judge)."""
    criteria = criteria or Criteria()
    rows = []
    for rec in unique.to_dict("records"):
        rid = rec["record_id"]
        d1, why1 = rule_inclusion(rec, criteria)
        d2, why2 = curator_inclusion(rec, criteria)
        rows += [
            (rid, "title-abstract", REVIEWER_ONE, d1, why1),
            (rid, "title-abstract", REVIEWER_TWO, d2, why2),
        ]
        if rec.get("kind", "paper") != "paper" or not record_in_window(rec, criteria):
            continue
        t1, t2 = rule_topics(rec, criteria), curator_topics(rec, criteria)
        rows += [
            (
                rid,
                "topic",
                REVIEWER_ONE,
                ";".join(t1) or "none",
                "title keywords" if t1 else "no topic keyword",
            ),
            (
                rid,
                "topic",
                REVIEWER_TWO,
                ";".join(t2) or NO_SIGNAL,
                "list / section topic" if t2 else "filed under no screened topic",
            ),
        ]
        b1, b2 = rule_benchmark(rec), curator_benchmark(rec)
        rows += [(rid, "benchmark", REVIEWER_ONE, *b1), (rid, "benchmark", REVIEWER_TWO, *b2)]
    return pd.DataFrame(rows, columns=DECISION_COLUMNS)

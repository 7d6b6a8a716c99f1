"""Screening: the eligibility criteria (single source of truth) and two independent passes.

Reviewer one (``rules``) applies the written criteria as transparent rules over a record's
title, abstract (where known), venue and first-version date. Reviewer two (``curators``) is the
curated lists' own classification: the list, section or badge under which a paper is filed.
Both passes are written in the tool-neutral long format ``record_id, stage, reviewer, decision,
reason``; hand adjudications (``data_raw/screening/adjudications.csv``) override reviewer one,
whose decision otherwise stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.errors import InputError, csv_line
from .records import MACHINE_GENERATED

STAGES = ("title-abstract", "topic", "benchmark")
NO_SIGNAL = "no signal"
TOPICS = ("PI", "JB", "HAL")
TOPIC_NAMES = {"PI": "prompt injection", "JB": "jailbreak", "HAL": "hallucination"}
DECISION_COLUMNS = ["record_id", "stage", "reviewer", "decision", "reason"]
ADJUDICATION_COLUMNS = ["record_id", "stage", "decision", "reason", "adjudicator"]
REVIEWER_ONE, REVIEWER_TWO, ADJUDICATOR = "rules", "curators", "adjudicated"

# exclusion reasons, in the order they are checked (the first that applies is recorded)
NOT_PAPER = "not a research paper (tool, blog, list)"
NOT_ENGLISH = "not English"
NO_DATE = "no usable first-version date"
OUT_OF_WINDOW = "first version outside the window"
SURVEY = "survey, position paper or tutorial"
NOT_LLM = "not a text LLM (vision, multimodal, diffusion)"
OFF_TOPIC = "off-topic (not prompt injection, jailbreak or hallucination)"
REASONS = (NOT_PAPER, NOT_ENGLISH, NO_DATE, OUT_OF_WINDOW, SURVEY, NOT_LLM, OFF_TOPIC)


@dataclass(frozen=True)
class Criteria:
    """Eligibility criteria. ``month_day``: a date known only to the month counts as that day of
    the month; a year-only date is in the window only if the whole year is."""

    window_start: str = "2022-11-30"
    window_end: str = "2024-11-01"
    topics: tuple[str, ...] = TOPICS
    include_multimodal: bool = False
    month_day: int = 15
    languages: tuple[str, ...] = ("English",)
    exclusion_reasons: tuple[str, ...] = field(default=REASONS)

    def text(self) -> str:
        """The criteria as Markdown, for the notebook."""
        topics = ", ".join(f"{TOPIC_NAMES[t]} ({t})" for t in self.topics)
        mm = "including" if self.include_multimodal else "excluding"
        return "\n".join([
            f"- **Topic:** an LLM-safety paper on {topics}; text LLMs, {mm} vision-language, "
            "multimodal and diffusion models.",
            f"- **Date:** first public version between {self.window_start} and "
            f"{self.window_end} (inclusive). A date known only to the month counts as day "
            f"{self.month_day} of that month; a year-only date counts only if the whole year lies "
            "in the window.",
            f"- **Language:** {', '.join(self.languages)} (non-Latin titles are excluded).",
            "- **Type:** a research paper; not a survey, systematisation, position paper, "
            "tutorial, tool list or blog post.",
            "- **Benchmark:** a paper whose main contribution is an evaluation dataset or "
            "framework with a scoring protocol. Attack, defence, detection, mitigation and "
            "analysis papers are non-benchmarks, even when they evaluate.",
            "- **Exclusion reasons** (first that applies): " + "; ".join(self.exclusion_reasons)
            + ".",
        ])


# --------------------------------------------------------------------------- dates

def first_version(date: str, year: object, criteria: Criteria) -> tuple[pd.Timestamp | None, str]:
    """``(date, precision)`` used for the window: day, month (at ``month_day``) or year."""
    s = str(date or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return pd.Timestamp(s), "day"
    if re.fullmatch(r"\d{4}-\d{2}", s):
        return pd.Timestamp(f"{s}-{criteria.month_day:02d}"), "month"
    if year is not None and not pd.isna(year) and str(year).strip():
        return pd.Timestamp(f"{int(year)}-01-01"), "year"
    return None, ""


def first_version_date(rec: dict) -> str:
    """The earliest of the list's date and the month implied by the arXiv id (lists often give
    a venue or revision date; an arXiv id is assigned at first submission)."""
    from .records import arxiv_month

    date = str(rec.get("date") or "")
    month = arxiv_month(str(rec.get("arxiv_id") or ""))
    if month and (not date or month < date[:7]):
        return month
    return date


def _window(rec: dict, criteria: Criteria) -> bool | None:
    return in_window(first_version_date(rec), rec.get("year"), criteria)


def in_window(date: str, year: object, criteria: Criteria) -> bool | None:
    """Whether the first version lies in the window; ``None`` when the date is unusable."""
    when, precision = first_version(date, year, criteria)
    start, end = pd.Timestamp(criteria.window_start), pd.Timestamp(criteria.window_end)
    if when is None:
        return None
    if precision == "year":
        if start <= when and pd.Timestamp(f"{when.year}-12-31") <= end:
            return True
        return False if (when.year < start.year or when.year > end.year) else None
    return bool(start <= when <= end)


# --------------------------------------------------------------------------- reviewer one

_I = re.IGNORECASE
TOPIC_RULES = {
    "PI": re.compile(
        r"prompt[\s-]*injection|injection attack|indirect (?:prompt )?injection|"
        r"instruction injection|inject(?:ed|ing)? (?:prompts?|instructions?)|prompt hijack|"
        r"goal hijack|\binjecagent\b|\bbipia\b|prompt (?:hacking|manipulation)|"
        r"instruction hierarchy|attacks? (?:and defen[cs]es? )?(?:on|for|against) (?:\w+[\s-]){0,2}"
        r"agents?\b", _I),
    "JB": re.compile(
        r"jail[\s-]?br[eo]a?k|red[\s-]?team|adversarial (?:prompts?|suffix(?:es)?)|"
        r"adversarial attacks? on (?:aligned|large|llms?|language)|"
        r"harmful (?:prompts?|requests?|questions?|instructions?|quer(?:y|ies)|behaviou?rs?)|"
        r"unsafe (?:prompts?|inputs?)|many[\s-]shot|refus(?:al|e|es|ing)\b|"
        r"safety[\s-](?:aligned|training|guard)|multi[\s-]turn attack|"
        r"\b(?:attack\w*|attacker)\b[^:]{0,40}\b(?:llms?|language models?|chatgpt|gpt-4)\b|"
        r"\b(?:llm|language model) attacks?\b", _I),
    "HAL": re.compile(
        r"hallucinat|factual|truthful|fact[\s-]?check|confabulat|fabricat|faithful|"
        r"groundedness|self[\s-]contradict|false premise", _I),
}
# a generic "attack on LLMs" is a jailbreak only when it is not about these other threats
OTHER_THREAT = re.compile(
    r"backdoor|poison|watermark|membership|privacy|extraction|stealing|copyright|trojan", _I)
SURVEY_RULE = re.compile(
    r"\bsurvey\b|\bsystematic (?:literature )?review\b|\ba review\b|\breview of\b|\boverview\b|"
    r"\bsok\b|systemati[sz]ation of knowledge|\bposition(?: paper)?:|\bposition paper\b|"
    r"\bperspectives?\b|\btutorial\b|\broadmap\b|\bprimer\b|reading list|\bawesome\b", _I)
MODALITY_RULE = re.compile(
    r"vision[\s-]language|\b(?:l?vlms?|mllms?|lvlms?|vllms?)\b|multi[\s-]?modal|\bimages?\b|"
    r"\bvisual\b|\bvideos?\b|\baudio\b|\bspeech\b|text[\s-]to[\s-]image|\bdiffusion\b|"
    r"\bobject hallucination\b|\b3d\b|captioning", _I)
BENCH_STRONG = re.compile(
    r"benchmark|\b\w*bench\b|leaderboard|test[\s-]?suite|evaluation (?:suite|framework|"
    r"platform|toolkit|protocol)|\barena\b", _I)
BENCH_NAME = re.compile(r"\b[A-Z][\w-]*(?:Eval|QA|Bench)\b")
BENCH_WEAK = re.compile(r"\bdatasets?\b|\bdata set\b|\bcorpus\b|\bcorpora\b", _I)
EVAL_WORD = re.compile(r"\bevaluat\w*|\bassess\w*|\bmeasur\w*|\bquantif\w*", _I)
EVAL_OBJECT = re.compile(
    r"\b(?:framework|suite|protocol|metrics?|comprehensive|holistic|systematic|large[\s-]scale)\b",
    _I)
METHOD_RULE = re.compile(
    r"\b(?:attack(?:s|ing)?|defen[cs]es?|defending|detect\w*|mitigat\w*|guard\w*|shield\w*|"
    r"protect\w*|reduc\w*|alleviat\w*|improv\w*|enhanc\w*|prevent\w*|robustif\w*|purif\w*|"
    r"filter\w*|correct\w*|editing|decoding|fine[\s-]?tun\w*|training|align\w*|steer\w*|"
    r"jailbreaking|exploit\w*)\b", _I)


def _text(rec: dict) -> str:
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


def rule_benchmark(rec: dict) -> tuple[str, str]:
    """Reviewer one's benchmark label with the rule that fired."""
    text = _text(rec)
    m = BENCH_STRONG.search(text) or BENCH_NAME.search(text)
    if m:
        return "benchmark", f"title names a benchmark ({m.group(0)!r})"
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
    window = _window(rec, criteria)
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

# lists that file every paper under a classification (benchmark or not); others give no signal
BADGE_LISTS = {"ThuCCSLab__Awesome-LM-SSP", "chawins__llm-sp",
               "GuangtaoLyu__awesome-hallucination-atlas"}
SECTION_LISTS = {
    "yueliu1999__Awesome-Jailbreak-on-LLMs", "corca-ai__awesome-llm-security",
    "GenggengSvan__Jailbreak-Observatory", "mala-lab__Awesome-LLM-LVLM-Hallucination-Detection"
    "-and-Mitigation", "LuckyyySTA__Awesome-LLM-hallucination",
    "HillZhang1999__llm-hallucination-survey", "tldrsec__prompt-injection-defenses",
    "ydyjya__Awesome-LLM-Safety",
}
BENCH_TAG = re.compile(r"^(?:benchmark|new[ _]dataset|dataset|dataset/benchmark/framework|"
                       r"benchmark section|[\w ]*benchmark(?: dataset)?)$", _I)
BENCH_SECTION = re.compile(r"benchmark|datasets? ?& ?benchmark|evaluation & analysis", _I)
# a parent heading over both detection methods and benchmarks is not a benchmark signal
MIXED_SECTION = re.compile(r"detection and benchmarks", _I)
# sections that mix benchmarks with methods, or conference lists: no classification
UNCLASSIFIED_SECTION = re.compile(
    r"^(?:ICML|ICLR|NAACL)\s?\d{4}|^Top 100$|^Evaluation of LLM Hallucination", _I)
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
    badge = sorted(sources & BADGE_LISTS)
    if badge:
        return "non-benchmark", f"no benchmark badge in {badge[0].split('__')[0]}"
    filed = next(((n, s) for n, s in secs
                  if n in SECTION_LISTS and not UNCLASSIFIED_SECTION.search(s)), None)
    if filed:
        return "non-benchmark", f"{filed[0].split('__')[0]} section: {filed[1]}"
    return NO_SIGNAL, "no list classifies this paper"


def curator_inclusion(rec: dict, criteria: Criteria) -> tuple[str, str]:
    """The curators' view of eligibility: not a paper / survey / non-text model by their tags
    and sections, off-topic when filed only under other topics; dates are facts shared with
    reviewer one, so the window applies to both."""
    if rec.get("kind", "paper") != "paper":
        return "exclude", NOT_PAPER
    window = _window(rec, criteria)
    if window is None:
        return "exclude", NO_DATE
    if not window:
        return "exclude", OUT_OF_WINDOW
    tags = _tags(rec)
    secs = _sections(rec)
    if any(SURVEY_TAG.match(t) for t in tags) or (
            secs and all(SURVEY_SECTION.search(s) for _, s in secs)):
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
        rows += [(rid, "title-abstract", REVIEWER_ONE, d1, why1),
                 (rid, "title-abstract", REVIEWER_TWO, d2, why2)]
        if rec.get("kind", "paper") != "paper" or not _window(rec, criteria):
            continue
        t1, t2 = rule_topics(rec, criteria), curator_topics(rec, criteria)
        rows += [(rid, "topic", REVIEWER_ONE, ";".join(t1) or "none",
                  "title keywords" if t1 else "no topic keyword"),
                 (rid, "topic", REVIEWER_TWO, ";".join(t2) or NO_SIGNAL,
                  "list / section topic" if t2 else "filed under no screened topic")]
        b1, b2 = rule_benchmark(rec), curator_benchmark(rec)
        rows += [(rid, "benchmark", REVIEWER_ONE, *b1), (rid, "benchmark", REVIEWER_TWO, *b2)]
    return pd.DataFrame(rows, columns=DECISION_COLUMNS)


def valid_decision(stage: str, decision: str, criteria: Criteria | None = None) -> bool:
    criteria = criteria or Criteria()
    if stage == "title-abstract":
        return decision in {"include", "exclude"}
    if stage == "benchmark":
        return decision in {"benchmark", "non-benchmark"}
    if stage == "topic":
        parts = decision.split(";")
        return decision == "none" or (bool(parts) and all(p in criteria.topics for p in parts))
    return False


def read_adjudications(path: Path | str, known_ids: set[str] | None = None) -> pd.DataFrame:
    """Hand adjudications, validated: unknown stage, decision or record and an empty reason are
    ``InputError`` naming the file, line and value."""
    path = Path(path)
    if not path.is_file():
        return pd.DataFrame(columns=ADJUDICATION_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ADJUDICATION_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(path, 1, f"adjudications lack columns {missing}", list(df.columns))
    seen: dict[tuple[str, str], int] = {}
    for i, row in df.iterrows():
        line = csv_line(int(i))
        if row["stage"] not in STAGES:
            raise InputError(path, line, f"unknown stage (expected one of {STAGES})",
                             row["stage"])
        if not valid_decision(row["stage"], row["decision"]):
            raise InputError(path, line, f"unknown decision for stage {row['stage']!r}",
                             row["decision"])
        if known_ids is not None and row["record_id"] not in known_ids:
            raise InputError(path, line, "unknown record_id", row["record_id"])
        if not row["reason"].strip():
            raise InputError(path, line, "adjudication without a reason", row["record_id"])
        key = (row["record_id"], row["stage"])
        if key in seen:
            raise InputError(path, line, f"record adjudicated twice (first on line {seen[key]})",
                             row["record_id"])
        seen[key] = line
    return df[ADJUDICATION_COLUMNS]


DUPLICATE = "duplicate found at screening"
_CATEGORY_RULES = [
    (re.compile(r"duplicate", _I), DUPLICATE),
    (re.compile(r"off-topic", _I), OFF_TOPIC),
    (re.compile(r"survey|systemati[sz]|literature review|overview|position paper", _I), SURVEY),
    (re.compile(r"before the window|after the window|outside the window", _I), OUT_OF_WINDOW),
    (re.compile(r"not a text llm|multimodal|\bvision\b|\bimages?\b|audio|diffusion|not an llm",
                _I),
     NOT_LLM),
    (re.compile(r"not a research paper|model card|toolkit description|blog", _I), NOT_PAPER),
]


def exclusion_category(reason: str) -> str:
    """The PRISMA exclusion category of a reason: reviewer one's reasons are categories already;
    an adjudicator's free-text reason is mapped by keywords, off-topic otherwise."""
    if reason in REASONS:
        return reason
    return next((cat for rx, cat in _CATEGORY_RULES if rx.search(reason)), OFF_TOPIC)


def final_decisions(decisions: pd.DataFrame, adjudications: pd.DataFrame) -> pd.DataFrame:
    """One final decision per record and stage: the adjudication if there is one, else
    reviewer one's. Column ``source`` says which; ``category`` is the PRISMA exclusion
    category of a title-abstract exclusion (empty otherwise)."""
    one = decisions[decisions["reviewer"] == REVIEWER_ONE][
        ["record_id", "stage", "decision", "reason"]].copy()
    one["source"] = REVIEWER_ONE
    adj = adjudications[["record_id", "stage", "decision", "reason"]].copy()
    adj["source"] = ADJUDICATOR
    out = pd.concat([adj, one], ignore_index=True)
    out = out.drop_duplicates(["record_id", "stage"], keep="first")
    excluded = (out["stage"] == "title-abstract") & (out["decision"] == "exclude")
    out["category"] = ""
    out.loc[excluded, "category"] = out.loc[excluded, "reason"].map(exclusion_category)
    return out.sort_values(["record_id", "stage"], kind="stable").reset_index(drop=True)


def wide(decisions: pd.DataFrame) -> pd.DataFrame:
    """``record_id`` x (stage, reviewer) decisions."""
    return decisions.pivot_table(index="record_id", columns=["stage", "reviewer"],
                                 values="decision", aggfunc="first")


def adjudication_summary(decisions: pd.DataFrame, adjudications: pd.DataFrame,
                         pools: dict[str, set[str]]) -> pd.DataFrame:
    """Per stage: disagreements (curators with an opinion), how many were adjudicated and how
    many keep reviewer one's decision because nobody adjudicated them."""
    rows = []
    for stage, pool in pools.items():
        dis = disagreements(decisions, stage)
        ids = set(dis["record_id"]) & pool if len(dis) else set()
        adj = adjudications[adjudications["stage"] == stage]
        done = ids & set(adj["record_id"])
        changed = adj[adj["record_id"].isin(done)].merge(
            decisions[(decisions["stage"] == stage) & (decisions["reviewer"] == REVIEWER_ONE)],
            on="record_id", suffixes=("", "_rules"))
        rows.append({"stage": stage, "pool": len(pool), "disagreements": len(ids),
                     "adjudicated": len(done),
                     "adjudicated_for_curators": int(
                         (changed["decision"] != changed["decision_rules"]).sum()),
                     "rules_decision_stands": len(ids) - len(done),
                     "adjudicated_without_disagreement": int(
                         (~adj["record_id"].isin(ids)).sum())})
    return pd.DataFrame(rows)


def disagreements(decisions: pd.DataFrame, stage: str) -> pd.DataFrame:
    """Records where both reviewers gave an opinion on ``stage`` and it differs."""
    d = decisions[decisions["stage"] == stage].pivot_table(
        index="record_id", columns="reviewer", values="decision", aggfunc="first")
    if REVIEWER_ONE not in d or REVIEWER_TWO not in d:
        return d.iloc[0:0]
    d = d[(d[REVIEWER_TWO] != NO_SIGNAL) & (d[REVIEWER_ONE] != d[REVIEWER_TWO])]
    return d.reset_index()


# --------------------------------------------------------------------------- agreement

def _labels(series: pd.Series, label: str) -> pd.Series:
    return series.map(lambda v: label in str(v).split(";"))


def agreement_table(decisions: pd.DataFrame, window_ids: set[str],
                    included_ids: set[str]) -> pd.DataFrame:
    """Agreement of the two reviewers per stage and label (``benchmeta.stats.agreement``).

    Inclusion on in-window papers (the date is a fact both share); topic per label and
    benchmark on the finally included papers. Records where the curators give no signal are
    left out and counted in ``n_no_signal``."""
    from ..stats import agreement

    rows = []

    def add(stage: str, label: str, pool: set[str], r1: pd.Series, r2: pd.Series, yes: str):
        d = pd.DataFrame({"r1": r1, "r2": r2}).loc[lambda x: x.index.isin(pool)].dropna()
        silent = d["r2"] == NO_SIGNAL
        d = d[~silent]
        a = agreement(d["r1"], d["r2"])
        rows.append({"stage": stage, "label": label, "population": yes,
                     "n_no_signal": int(silent.sum()), **a.as_dict(),
                     "rules_yes": int((d["r1"] == label).sum()) if stage != "topic"
                     else int(d["r1"].sum()),
                     "curators_yes": int((d["r2"] == label).sum()) if stage != "topic"
                     else int(d["r2"].sum())})

    for stage in STAGES:
        w = decisions[decisions["stage"] == stage].pivot_table(
            index="record_id", columns="reviewer", values="decision", aggfunc="first")
        if w.empty:
            continue
        if stage == "title-abstract":
            add(stage, "include", window_ids, w[REVIEWER_ONE], w[REVIEWER_TWO],
                "papers with a first version in the window")
        elif stage == "benchmark":
            add(stage, "benchmark", included_ids, w[REVIEWER_ONE], w[REVIEWER_TWO],
                "included papers")
        else:
            for t in TOPICS:
                r2 = w[REVIEWER_TWO].where(w[REVIEWER_TWO] == NO_SIGNAL,
                                           _labels(w[REVIEWER_TWO], t))
                add(stage, t, included_ids, _labels(w[REVIEWER_ONE], t).astype(object), r2,
                    "included papers")
    out = pd.DataFrame(rows)
    out.insert(5, "n_rated", out.pop("n"))
    return out


# --------------------------------------------------------------------------- included papers

INCLUDED_COLUMNS = ["paper_id", "title", "first_version_date", "venue", "topic", "is_benchmark",
                    "repo", "sources", "screening_trail", "record_id"]


def _trail(rid: str, stage: str, w: pd.DataFrame, final: dict) -> str:
    r1 = w.get((stage, REVIEWER_ONE), {}).get(rid, "")
    r2 = w.get((stage, REVIEWER_TWO), {}).get(rid, "")
    dec, src = final.get((rid, stage), ("", ""))
    tail = f" -> adjudicated {dec}" if src == ADJUDICATOR else ""
    return f"{stage}: rules={r1} curators={r2}{tail}"


def shared_repos(unique: pd.DataFrame, limit: int = 3) -> dict[str, int]:
    """Repositories linked to ``limit`` or more different papers (lower-cased owner/name ->
    count): list artefacts such as the machine-generated atlas linking one repository to
    hundreds of papers; they are not taken as any paper's code."""
    repos = unique["repo"].fillna("")
    counts = repos[repos != ""].str.lower().value_counts()
    return {k: int(v) for k, v in counts.items() if v >= limit}


TRACKER = re.compile(r"arxiv[-_]?daily|paper[-_]?daily|^awesome|daily[-_]?arxiv", re.IGNORECASE)
_NAME_STOP = {"large", "language", "models", "model", "hallucination", "hallucinations",
              "based", "towards", "through", "using", "learning", "research", "detection"}


def plausible_repo(title: str, repo: str) -> bool:
    """Whether a repository name fits a paper title: it equals (or extends by a few characters)
    the acronym before the title's colon, or at least two of its words occur in the title.
    Used only for links that no human curator gave."""
    name = repo.split("/", 1)[-1]
    flat = re.sub(r"[^a-z0-9]", "", name.lower())
    head = re.sub(r"[^a-z0-9]", "", title.split(":", 1)[0].lower()) if ":" in title else ""
    if head and len(head) <= 30 and len(flat) >= 3 and (
        flat == head or (flat.startswith(head) and len(flat) - len(head) <= 4)
        or (head.startswith(flat) and len(flat) >= 4)
    ):
        return True
    words = {w for w in re.findall(r"[a-z0-9]+", title.lower()) if len(w) >= 5} - _NAME_STOP
    parts = re.findall(r"[a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower())
    hits = sum(1 for p in parts if len(p) >= 4 and p not in _NAME_STOP
               and any(p in w or w in p for w in words))
    return hits >= 2


def _year(year: object) -> str:
    return "" if year is None or pd.isna(year) or str(year).strip() == "" else str(int(year))


def included_papers(unique: pd.DataFrame, decisions: pd.DataFrame,
                    final: pd.DataFrame, repo_limit: int = 3) -> pd.DataFrame:
    """The included papers with their final topic and benchmark label and the screening trail.

    ``paper_id`` is the arXiv id, else the DOI, else the record id. A repository linked to
    ``repo_limit`` or more papers is dropped (see ``shared_repos``), so is a paper-tracker
    repository, and so is a link given only by a machine-generated list whose name does not fit
    the title (``plausible_repo``); the trail says which."""
    shared = shared_repos(unique, repo_limit)
    fin = {(r.record_id, r.stage): (r.decision, r.source) for r in final.itertuples()}
    w = {k: v.to_dict() for k, v in wide(decisions).items()}
    keep = {rid for (rid, st), (d, _) in fin.items() if st == "title-abstract" and d == "include"}
    rows = []
    for rec in unique[unique["record_id"].isin(keep)].to_dict("records"):
        rid = rec["record_id"]
        topic = fin.get((rid, "topic"), ("none", ""))[0]
        if topic in {"none", ""}:
            topic = ";".join(t for t in TOPICS if t in str(rec.get("topic_hint", "")).split(";"))
        bench = fin.get((rid, "benchmark"), ("non-benchmark", ""))[0] == "benchmark"
        repo = rec.get("repo", "") or ""
        trail = [_trail(rid, s, w, fin) for s in STAGES]
        machine_only = set(str(rec.get("repo_sources", "")).split(";")) <= MACHINE_GENERATED
        if repo.lower() in shared:
            trail.append(f"repo {repo} dropped: linked to {shared[repo.lower()]} papers")
            repo = ""
        elif repo and TRACKER.search(repo.split("/", 1)[-1]):
            trail.append(f"repo {repo} dropped: a paper-tracker repository, not the paper's code")
            repo = ""
        elif repo and machine_only and not plausible_repo(rec["title"], repo):
            trail.append(f"repo {repo} dropped: only a machine-generated list links it and its "
                         "name does not match the title")
            repo = ""
        rows.append({
            "paper_id": rec.get("arxiv_id") or rec.get("doi") or rid, "record_id": rid,
            "title": rec["title"],
            "first_version_date": first_version_date(rec) or _year(rec.get("year")),
            "venue": rec.get("venue", ""), "topic": topic, "is_benchmark": bench,
            "repo": repo, "sources": rec.get("sources", ""), "screening_trail": " | ".join(trail),
        })
    out = pd.DataFrame(rows, columns=INCLUDED_COLUMNS)
    out["is_benchmark"] = out["is_benchmark"].astype(bool)
    return out.sort_values(["first_version_date", "paper_id"], kind="stable").reset_index(
        drop=True)


def headline(n_records: int, n_lists: int, n_unique: int, n_screened: int,
             included: pd.DataFrame, agree: pd.DataFrame) -> str:
    """The notebook's one-sentence answer, written from the numbers."""
    n_b = int(included["is_benchmark"].sum())
    n_nb = len(included) - n_b
    first = included["topic"].str.split(";").str[0]
    topics = ", ".join(f"{TOPIC_NAMES[t]} {int((first == t).sum())}" for t in TOPICS)
    repo = int((included["repo"] != "").sum())
    rb = int(((included["repo"] != "") & included["is_benchmark"]).sum())

    def fmt(stage: str, label: str) -> str:
        r = agree[(agree["stage"] == stage) & (agree["label"] == label)]
        if r.empty or pd.isna(r.iloc[0]["kappa"]):
            return f"{label}: not computed"
        r = r.iloc[0]
        return (f"{label} κ = {r['kappa']:.2f} [{r['kappa_low']:.2f}, {r['kappa_high']:.2f}], "
                f"AC1 = {r['ac1']:.2f} (n = {int(r['n_rated'])})")

    return (f"{n_records:,} records from {n_lists} curated lists (plus hand-kept records) gave "
            f"{n_unique:,} unique records; all {n_screened:,} were screened and "
            f"{len(included):,} included: {n_b} benchmark and {n_nb} non-benchmark papers "
            f"(by first topic: {topics}); {repo} have a GitHub repository ({rb} of the "
            f"benchmarks). Agreement between the rules and the curators: "
            f"{fmt('title-abstract', 'include')}; {fmt('benchmark', 'benchmark')}.")

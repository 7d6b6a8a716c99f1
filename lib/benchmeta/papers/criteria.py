"""The eligibility criteria, written once: topics, window, language, type, the benchmark
definition and the exclusion reasons; and the first-version date the window is checked on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..core.ids import arxiv_month

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
_I = re.IGNORECASE


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

    def eligibility(self) -> list[str]:
        """The include rules (topic, date, language, type) as Markdown bullets."""
        topics = ", ".join(f"{TOPIC_NAMES[t]} ({t})" for t in self.topics)
        mm = "including" if self.include_multimodal else "excluding"
        return [
            f"- **Topic:** an LLM-safety paper on {topics}; text LLMs, {mm} vision-language, "
            "multimodal and diffusion models.",
            f"- **Date:** first public version between {self.window_start} and "
            f"{self.window_end} (inclusive). A date known only to the month counts as day "
            f"{self.month_day} of that month; a year-only date counts only if the whole year "
            "lies in the window.",
            f"- **Language:** {', '.join(self.languages)} (non-Latin titles are excluded).",
            "- **Type:** a research paper; not a survey, systematisation, position paper, "
            "tutorial, tool list or blog post.",
        ]

    BENCHMARK = (
        "- **Benchmark:** a paper whose main contribution is an evaluation dataset or "
        "framework with a scoring protocol. Attack, defence, detection, mitigation and "
        "analysis papers are non-benchmarks, even when they evaluate."
    )

    def text(self) -> str:
        """The criteria as Markdown, for the notebook."""
        reasons = "; ".join(self.exclusion_reasons)
        return "\n".join(
            [
                *self.eligibility(),
                self.BENCHMARK,
                f"- **Exclusion reasons** (first that applies): {reasons}.",
            ]
        )


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
    date = str(rec.get("date") or "")
    month = arxiv_month(str(rec.get("arxiv_id") or ""))
    if month and (not date or month < date[:7]):
        return month
    return date


def record_in_window(rec: dict, criteria: Criteria) -> bool | None:
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

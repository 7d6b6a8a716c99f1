"""Parser for the survey reading lists (HillZhang1999, LuckyyySTA)."""

from __future__ import annotations

import re
from pathlib import Path

from ..markdown import (
    _HEADING,
    clean_heading,
    walk,
)
from .base import (
    _leftovers,
    _read,
    _section,
    _Sink,
)

_SURVEY_TITLE = re.compile(
    r"^\s*(?:[-+*]|\d+\.)\s+\*\*(?P<title>.+?)\*\*\s*(?:`(?P<venue>[^`]*)`)?\s*(?P<rest>.*)$"
)
_SURVEY_PAPER = re.compile(r"\[\[(?:paper|talk|pdf|arxiv)\\?\]\]\((?P<url>[^)]*)\)", re.I)
_SURVEY_DATE = re.compile(r"\)\s*(?P<date>(?:19|20)\d{2}(?:\.\d{1,2})?)\b")


def _parse_survey_list(root: Path, name: str, topic: str = "HAL"):
    """Survey reading lists: ``1. **Title** `Venue Year``` then ``*Authors* [[paper]](url)
    YYYY.MM`` on the next line(s)."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    used: set[int] = set()
    lines = list(walk(text))
    sub, sub_sec = "", None
    for i, ln in enumerate(lines):
        bold = re.fullmatch(r"\s*\*\*(?P<x>[^*]+)\*\*\s*", ln.text)
        label = re.fullmatch(r"\s*[-+*]\s*`(?P<x>[^`]+)`\s*:?\s*", ln.text)
        if bold or label:
            sub, sub_sec = clean_heading((bold or label).group("x")), ln.section
            continue
        m = _SURVEY_TITLE.match(ln.text)
        if not m or "[[paper]]" in m.group("title"):
            continue
        used.add(ln.no)
        paper, date_text, raw = "", None, ln.text
        for nxt in [ln] + lines[i + 1 : i + 5]:
            if nxt is not ln and (_SURVEY_TITLE.match(nxt.text) or _HEADING.match(nxt.text)):
                break
            pm = _SURVEY_PAPER.search(nxt.text)
            if pm:
                used.add(nxt.no)
                paper = pm.group("url")
                dm = _SURVEY_DATE.search(nxt.text[pm.start() :])
                date_text = dm.group("date") if dm else None
                raw = f"{ln.text} {nxt.text}"
                break
        venue = m.group("venue") or ""
        vy = re.search(r"\b((?:19|20)\d{2})\b", venue)
        path = ln.section + ([sub] if sub and sub_sec == ln.section else [])
        sec = _section(path)
        if not paper:
            sink.problem(rel, ln.no, "entry without a [[paper]] link", ln.text, "kept")
        sink.add(
            rel,
            ln.no,
            raw,
            title=m.group("title"),
            section=sec,
            paper_url=paper,
            venue=re.sub(r"\s*\b(?:19|20)\d{2}\b", "", venue).strip(),
            year=int(vy.group(1)) if vy else None,
            date_text=date_text,
            topic_hint=topic,
            kind="paper",
        )
    _leftovers(
        sink,
        rel,
        text,
        used,
        lambda ln: bool(ln.section) and not re.search(r"News|Reference|Contact", ln.section[0]),
    )
    return sink.result()


def parse_hillzhang(root: Path, name: str = "HillZhang1999__llm-hallucination-survey"):
    """HillZhang1999/llm-hallucination-survey (Siren's Song reading list)."""
    return _parse_survey_list(root, name)


def parse_luckyyysta(root: Path, name: str = "LuckyyySTA__Awesome-LLM-hallucination"):
    """LuckyyySTA/Awesome-LLM-hallucination (Huang et al. survey reading list)."""
    return _parse_survey_list(root, name)

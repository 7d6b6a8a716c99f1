"""Parser for corca-ai/awesome-llm-security."""

from __future__ import annotations

import re
from pathlib import Path

from ...core.ids import arxiv_id
from ..markdown import (
    walk,
)
from .base import (
    _leftovers,
    _link_bullets,
    _read,
    _section,
    _Sink,
    _topic,
)

_CORCA = re.compile(r"^\s*[-*]\s*[\"“](?P<title>.+?)[\"”]\s*,?\s*(?P<rest>.*)$")


def parse_corca(root: Path, name: str = "corca-ai__awesome-llm-security"):
    """corca-ai/awesome-llm-security: ``- "Title", YYYY-MM, Venue, `tag`, [[paper]](url)
    [[repo]](gh)``; tools and articles are ``- [Name](url): ...`` bullets (non-paper)."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    used: set[int] = set()
    for ln in walk(text):
        m = _CORCA.match(ln.text)
        if not m:
            continue
        used.add(ln.no)
        rest = m.group("rest")
        lk = re.findall(r"\[\[(\w+)\]\]\(([^)]*)\)", rest)
        paper = next((u for t, u in lk if t.lower() == "paper"), "")
        code = next((u for t, u in lk if t.lower() in {"repo", "code"}), "")
        tags = re.findall(r"`([^`]+)`", rest)
        meta = re.sub(r"\[\[\w+\]\]\([^)]*\)|`[^`]+`", "", rest)
        dm = re.search(r"\b((?:19|20)\d{2}-\d{1,2})\b", meta)
        venue = meta.replace(dm.group(1), "") if dm else meta
        venue = " ".join(venue.replace(",", " ").split())
        sec = _section(ln.section)
        if not dm:
            sink.problem(rel, ln.no, "no YYYY-MM date after the title", ln.text, "kept")
        topic = _topic(sec, " ".join(tags))
        if topic == "other":  # attack/defence/benchmark sections mix JB and PI: unspecified
            topic = "other" if re.search(r"Backdoor|Fingerprint|Platform", sec) else ""
        sink.add(
            rel,
            ln.no,
            ln.text,
            title=m.group("title"),
            section=sec,
            paper_url=paper,
            code_url=code,
            venue=venue,
            tags=tags,
            date_text=dm.group(1) if dm else None,
            topic_hint=topic,
            kind="paper",
        )
    _link_bullets(
        sink,
        rel,
        text,
        used,
        zone=lambda ln: (
            bool(ln.section) and ln.section[0] not in {"Table of Contents", "Papers", "Benchmark"}
        ),
        topic=lambda s: "",
        kind=lambda s, u: "non-paper" if not arxiv_id(u) else "paper",
    )
    _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()

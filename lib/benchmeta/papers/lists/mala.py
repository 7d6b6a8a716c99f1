"""Parser for mala-lab/Awesome-LLM-LVLM-Hallucination-Detection-and-Mitigation."""

from __future__ import annotations

import re
from pathlib import Path

from ..markdown import (
    walk,
)
from .base import (
    _leftovers,
    _read,
    _section,
    _Sink,
)

_MALA = re.compile(
    r"^\s*[-*]\s*\[(?P<key>[^\]]+)\]\s*(?P<title>.+?)\s*,?\s+in\s+\*(?P<venue>[^*]+)\*\s*,?\s*"
    r"(?P<year>(?:19|20)\d{2})?\.?\s*(?P<rest>.*)$"
)
_MALA_LINK = re.compile(r"\[\\\[(?P<t>\w+)\\\]\]\((?P<u>[^)]*)\)")


def parse_mala(
    root: Path, name: str = "mala-lab__Awesome-LLM-LVLM-Hallucination-Detection-and-Mitigation"
):
    """mala-lab: ``- [AuthorYear] Title in *Venue*, Year. [\\[paper\\]](url)[\\[code\\]](gh)``."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    used: set[int] = set()
    for ln in walk(text):
        if not re.match(r"^\s*[-*]\s*\[[^\]]*\d{4}[a-z]?\]", ln.text):
            continue
        used.add(ln.no)
        m = _MALA.match(ln.text)
        if not m:
            sink.problem(
                rel, ln.no, "bullet does not match '- [AuthorYear] Title in *Venue*, Year'", ln.text
            )
            continue
        lk = {t.lower(): u for t, u in _MALA_LINK.findall(ln.text)}
        sec = _section(ln.section)
        tags = ["benchmark section"] if "Benchmark" in sec else []
        sink.add(
            rel,
            ln.no,
            ln.text,
            title=m.group("title"),
            section=sec,
            paper_url=lk.get("paper", ""),
            code_url=lk.get("code", ""),
            venue=m.group("venue").strip(),
            tags=tags,
            year=int(m.group("year")) if m.group("year") else None,
            topic_hint="HAL",
            kind="paper",
        )
    _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()

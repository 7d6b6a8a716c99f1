"""Parser for EdinburghNLP/awesome-hallucination-detection."""

from __future__ import annotations

import re
from pathlib import Path

from ..markdown import (
    _HEADING,
    _LINK,
    walk,
)
from .base import (
    _leftovers,
    _link_bullets,
    _read,
    _section,
    _Sink,
)


def parse_edinburgh(root: Path, name: str = "EdinburghNLP__awesome-hallucination-detection"):
    """EdinburghNLP/awesome-hallucination-detection: one ``### [Title](url)`` heading per paper
    (with Metrics/Datasets fields below) plus link bullets in the overview sections. Links in
    the prose of Taxonomies / Definitions are citations, not entries, and are skipped."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    used: set[int] = set()
    is_entry = lambda s: bool(re.match(r"^#{3,6}\s*\[", s))  # noqa: E731
    lines = list(walk(text, entry_heading=is_entry))
    for i, ln in enumerate(lines):
        if not is_entry(ln.text):
            continue
        used.add(ln.no)
        lk = _LINK.search(ln.text)
        if not lk:
            sink.problem(rel, ln.no, "entry heading without a [Title](url) link", ln.text)
            continue
        fields, comment = [], ""
        for nxt in lines[i + 1 : i + 8]:
            if _HEADING.match(nxt.text):
                break
            cm = re.match(r"^\s*[-*]\s*\*\*Comments?\s*:?\*\*\s*:?\s*(.*)$", nxt.text)
            comment = cm.group(1) if cm else comment
            fm = re.match(r"^\s*[-*]\s*\*\*(Metrics|Datasets?|Framework)\s*:?\*\*", nxt.text)
            if fm:
                fields.append(f"has {fm.group(1).lower().rstrip('s')}s field")
        sec = _section(ln.section)
        sink.add(
            rel,
            ln.no,
            ln.text,
            title=lk.group("text"),
            section=sec,
            paper_url=lk.group("url"),
            tags=fields,
            topic_hint="HAL",
            kind="paper",
            abstract=comment,
        )
    _link_bullets(
        sink,
        rel,
        text,
        used,
        zone=lambda ln: (
            bool(ln.section) and not re.search(r"Taxonom|Definition|Citing", ln.section[0])
        ),
        topic=lambda s: "HAL",
    )
    _leftovers(
        sink,
        rel,
        text,
        used,
        lambda ln: bool(ln.section) and not re.search(r"Taxonom|Definition", ln.section[0]),
    )
    return sink.result()

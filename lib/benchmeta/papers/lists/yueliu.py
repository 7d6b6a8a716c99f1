"""Parser for yueliu1999/Awesome-Jailbreak-on-LLMs."""

from __future__ import annotations

import re
from pathlib import Path

from .base import (
    _leftovers,
    _read,
    _Sink,
    _table_entries,
)


def parse_yueliu(root: Path, name: str = "yueliu1999__Awesome-Jailbreak-on-LLMs"):
    """yueliu1999/Awesome-Jailbreak-on-LLMs: ``| Time | **Title** | Venue | [link](paper) |
    [link](code) |`` tables under attack / defense / evaluation headings."""
    sink = _Sink(name)
    text = _read(sink, root, "README.md")
    if text is not None:
        used = _table_entries(
            sink,
            "README.md",
            text,
            topic=lambda s, t: "JB",
            kind=lambda s, f: (
                "paper" if not re.search(r"manning\.com|/books?/", f["paper_url"]) else "non-paper"
            ),
        )
        _leftovers(sink, "README.md", text, used, lambda ln: "Papers" in ln.section)
    return sink.result()

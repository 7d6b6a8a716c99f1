"""Parser for ydyjya/Awesome-LLM-Safety."""

from __future__ import annotations

from pathlib import Path

from .base import (
    _files,
    _kind_for,
    _leftovers,
    _read,
    _Sink,
    _table_entries,
    _topic,
)


def parse_ydyjya(root: Path, name: str = "ydyjya__Awesome-LLM-Safety"):
    """ydyjya/Awesome-LLM-Safety: padded ``| YY.MM | Institute | Venue | [Title](url) |
    **kw**&**kw** |`` tables; tutorial/news tables become non-paper records."""
    sink = _Sink(name)
    for rel in _files(root, ["subtopic/*.md", "conference/*/*.md", "README.md"]):
        text = _read(sink, root, rel)
        if text is None:
            continue
        stem = Path(rel).stem

        def topic(sec: str, tags: str, stem: str = stem) -> str:
            t = _topic(tags)
            if stem.startswith("Jailbreak") or "JailBreak" in sec:
                t = t if t != "other" else "JB"
            if stem.startswith("Truthfulness") or "Truthfulness" in sec:
                t = "HAL" if t == "other" else t
            return t

        def kind(sec: str, f: dict) -> str:
            if "Papers" in sec or "tags" in f:
                return "paper"
            return "non-paper" if "type" in f else _kind_for(sec, f["paper_url"])

        used = _table_entries(
            sink, rel, text, topic=topic, kind=kind, skip_title=rel == "README.md"
        )
        _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()

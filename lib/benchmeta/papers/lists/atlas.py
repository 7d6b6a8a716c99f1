"""Parser for GuangtaoLyu/awesome-hallucination-atlas (machine-generated)."""

from __future__ import annotations

import json
from pathlib import Path

from ..markdown import EXCERPT
from .base import (
    _read,
    _Sink,
)


def parse_atlas(root: Path, name: str = "GuangtaoLyu__awesome-hallucination-atlas"):
    """GuangtaoLyu/awesome-hallucination-atlas: ``data/papers.json`` (machine-generated)."""
    sink = _Sink(name)
    rel = "data/papers.json"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    try:
        papers = json.loads(text)["papers"]
    except (ValueError, KeyError, TypeError) as err:
        sink.problem(rel, 0, f"not a JSON object with a 'papers' array: {err}", text[:80])
        return sink.result()
    seen_ids: dict[object, int] = {}
    for idx, p in enumerate(papers, start=1):
        raw = json.dumps(p, ensure_ascii=False)[:EXCERPT] if isinstance(p, dict) else str(p)
        if not isinstance(p, dict):
            sink.problem(rel, idx, "record is not a JSON object", raw)
            continue
        pid = p.get("id")
        if pid is not None and pid in seen_ids:
            sink.problem(
                rel, idx, f"duplicate id {pid!r} (first at record {seen_ids[pid]})", raw, "kept"
            )
        elif pid is not None:
            seen_ids[pid] = idx
        tags = list(p.get("tags") or []) if isinstance(p.get("tags"), list) else []
        tags += [str(p.get("model_type") or ""), str(p.get("method_type") or "")]
        tags += [
            "Benchmark" if p.get("benchmark") is True else "",
            "Survey" if p.get("survey") is True else "",
        ]
        year = p.get("year") if isinstance(p.get("year"), int) else None
        date_text = str(p.get("date") or "")
        venue = str(p.get("venue") or "")
        sink.add(
            rel,
            idx,
            raw,
            title=str(p.get("title") or ""),
            paper_url=str(p.get("url") or ""),
            code_url=str(p.get("code") or ""),
            venue=venue,
            tags=tags,
            date_text=date_text if len(date_text) > 4 else None,
            year=year if len(date_text) <= 4 else None,
            topic_hint="HAL",
            kind="paper",
            abstract=str(p.get("abstract") or ""),
        )
    return sink.result()

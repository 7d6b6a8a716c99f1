"""Parser for tldrsec/prompt-injection-defenses."""

from __future__ import annotations

from pathlib import Path

from ...core.ids import arxiv_id, is_academic
from .base import (
    _kind_for,
    _leftovers,
    _link_bullets,
    _read,
    _Sink,
    _table_entries,
)


def parse_tldrsec(root: Path, name: str = "tldrsec__prompt-injection-defenses"):
    """tldrsec/prompt-injection-defenses: ``| [Title](url) | summary |`` tables by defence
    family (bold rows are sub-families) and ``* [Title](url)`` bullets under Tools/References."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is not None:
        used = _table_entries(
            sink,
            rel,
            text,
            topic=lambda s, t: "PI",
            kind=lambda s, f: "paper" if is_academic(f["paper_url"]) else "non-paper",
        )
        _link_bullets(
            sink,
            rel,
            text,
            used,
            zone=lambda ln: bool(ln.section) and ln.section[0] != "Table of Contents",
            topic=lambda s: "PI",
            kind=lambda s, u: (
                "non-paper" if s.startswith("Tools") and not arxiv_id(u) else _kind_for("", u)
            ),
        )
        _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()

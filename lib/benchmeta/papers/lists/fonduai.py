"""Parser for FonduAI/awesome-prompt-injection."""

from __future__ import annotations

from pathlib import Path

from .base import (
    _leftovers,
    _link_bullets,
    _read,
    _Sink,
)


def parse_fonduai(root: Path, name: str = "FonduAI__awesome-prompt-injection"):
    """FonduAI/awesome-prompt-injection: ``- [Title](url) - description`` bullets by section."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is not None:
        used: set[int] = set()
        _link_bullets(
            sink,
            rel,
            text,
            used,
            zone=lambda ln: (
                bool(ln.section)
                and ln.section[0] not in {"Contents", "Introduction", "Contributing"}
            ),
            topic=lambda s: "PI",
            kind=lambda s, u: "paper" if "Research Papers" in s else "non-paper",
            describe=True,
        )
        _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()

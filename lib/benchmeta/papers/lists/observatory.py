"""Parser for GenggengSvan/Jailbreak-Observatory."""

from __future__ import annotations

import re
from pathlib import Path

from .base import (
    _files,
    _leftovers,
    _read,
    _Sink,
    _table_entries,
)

_VENUES = {
    "nips": "NeurIPS",
    "iclr": "ICLR",
    "icml": "ICML",
    "aaai": "AAAI",
    "acl": "ACL",
    "emnlp": "EMNLP",
    "naacl": "NAACL",
    "www": "WWW",
    "sp": "IEEE S&P",
    "ccs": "CCS",
    "ndss": "NDSS",
    "usenix": "USENIX Security",
}


def _observatory_venue(stem: str) -> tuple[str, int | None]:
    m = re.match(r"([a-z]+?)(?:_sec)?(\d{2,4})", stem.lower())
    if not m:
        return stem, None
    y = int(m.group(2)) if len(m.group(2)) == 4 else 2000 + int(m.group(2))
    return f"{_VENUES.get(m.group(1), m.group(1).upper())} {y}", y


def parse_observatory(root: Path, name: str = "GenggengSvan__Jailbreak-Observatory"):
    """GenggengSvan/Jailbreak-Observatory: per-conference ``| Title | ... | Link |`` tables
    under Attack / Defense / Benchmark / Mechanism x Text / Vision / Hybrid / Agent, and the
    ``citations_top_100.md`` list (``## Title`` with Year / Venue / Category fields)."""
    sink = _Sink(name)
    for rel in _files(root, ["Conference/*/*.md"]):
        text = _read(sink, root, rel)
        if text is None:
            continue
        venue, year = _observatory_venue(Path(rel).stem)
        used = _table_entries(
            sink,
            rel,
            text,
            topic=lambda s, t: "JB",
            venue=venue,
            year=year,
            kind=lambda s, f: "paper",
        )
        _leftovers(sink, rel, text, used, lambda ln: True)
    rel = "citations_top_100.md"
    text = _read(sink, root, rel) if (root / rel).is_file() else None
    if text is not None:
        lines = text.splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"^##\s+(?P<title>.+?)\s*$", line)
            if not m:
                continue
            block = "\n".join(lines[i + 1 : i + 5])
            ym = re.search(r"Year:\s*(\d{4})", block)
            vm = re.search(r"Venue:\s*(.+)", block)
            cm = re.search(r"Category:\s*(\w+)", block)
            tm = re.search(r"Target:\s*(\w+)", block)
            if not ym:
                sink.problem(rel, i + 1, "no 'Year:' field below the title", line, "kept")
            tags = [cm.group(1) if cm else "", tm.group(1) if tm else ""]
            rest = lines[i + 1 :]
            end = next((k for k, x in enumerate(rest) if x.startswith("## ")), len(rest))
            am = re.search(r"^Abstract:\s*(.*)", "\n".join(rest[:end]), re.M | re.S)
            sink.add(
                rel,
                i + 1,
                line,
                title=m.group("title"),
                section=f"Top 100 > {tags[1]} > {tags[0]}".rstrip(" >"),
                venue=vm.group(1).strip() if vm else "",
                year=int(ym.group(1)) if ym else None,
                tags=tags,
                topic_hint="JB",
                kind="paper",
                abstract=am.group(1) if am else "",
            )
    return sink.result()

"""Parser for ThuCCSLab/Awesome-LM-SSP."""

from __future__ import annotations

import re
from pathlib import Path

from ...core.ids import github_repo
from ..markdown import (
    links,
    walk,
)
from .base import (
    _files,
    _kind_for,
    _leftovers,
    _read,
    _section,
    _Sink,
    _topic,
)

_BADGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\((?P<url>https?://img\.shields\.io/badge/\S*?-(?P<color>[0-9a-fA-F]{6}))\)"
)
_LMSSP_ENTRY = re.compile(
    r"^\s*[-*]\s*\[(?P<date>[^\]]*)\]\s*\*\*\[(?P<title>.+?)\]\(\s*(?P<url>[^)\s]*)\s*\)\s*\*\*"
    r"(?P<rest>.*)$"
)
_LMSSP_NON_PAPER = {"competition.md", "book.md", "leaderboard.md"}


def parse_lm_ssp(root: Path, name: str = "ThuCCSLab__Awesome-LM-SSP") -> tuple[list, list]:
    """ThuCCSLab/Awesome-LM-SSP: ``- [YYYY/MM] **[Title](url)** [code](gh) ![badge](...)``."""
    sink = _Sink(name)
    for rel in _files(root, ["collection/**/*.md"]):
        text = _read(sink, root, rel)
        if text is None:
            continue
        used: set[int] = set()
        fname = Path(rel).name
        for ln in walk(text, skip_title=False):
            if not re.match(r"^\s*[-*]\s*\[", ln.text):
                continue
            used.add(ln.no)
            m = _LMSSP_ENTRY.match(ln.text)
            if not m:
                sink.problem(
                    rel, ln.no, "bullet does not match '- [YYYY/MM] **[Title](url)**'", ln.text
                )
                continue
            rest = m.group("rest")
            venue, tags = "", []
            for b in _BADGE.finditer(rest):
                alt = b.group("alt").replace("_", " ").strip()
                if b.group("color").lower() == "f1b800" and alt.lower() != "blog":
                    venue = venue or alt
                else:
                    tags.append(alt)
            code = next(
                (
                    u
                    for t, u in links(_BADGE.sub("", rest))
                    if github_repo(u) or t.lower() == "code"
                ),
                "",
            )
            sec = _section(ln.section)
            url = m.group("url")
            if fname in _LMSSP_NON_PAPER or "blog" in {t.lower() for t in tags}:
                kind = "non-paper"
            elif fname == "toolkit.md":
                kind = _kind_for("", url)
            else:
                kind = "paper"
            sink.add(
                rel,
                ln.no,
                ln.text,
                title=m.group("title"),
                section=sec,
                paper_url=url,
                code_url=code,
                venue=venue,
                tags=tags,
                date_text=m.group("date"),
                topic_hint=_topic(fname),
                kind=kind,
            )
        _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()

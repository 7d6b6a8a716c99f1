"""Parser for chawins/llm-sp."""

from __future__ import annotations

import re
from pathlib import Path

from ...core.ids import arxiv_id, github_repo
from ..markdown import (
    _HREF,
    _is_symbol,
    links,
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

_CHAWINS_EMOJI = {
    "⭐": "favourite",
    "💽": "dataset/benchmark/framework",
    "📍": "position paper",
    "🔭": "survey",
    "👁": "vision-language",
    "💸": "closed-source models",
}
_SUMMARY = re.compile(r"<summary>(?P<body>.*?)</summary>", re.S)


def _details_body(lines: list[str], summary_line: int) -> str:
    """The prose inside ``<details>`` after the summary line (a quoted abstract or the curator's
    notes), without code blocks, up to ``</details>``."""
    out, fenced = [], False
    for line in lines[summary_line:]:
        if "</details>" in line or "<summary>" in line:
            break
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced and line.strip():
            out.append(line.strip().lstrip(">-* ").strip('“”"'))
    return " ".join(out)


def _summary_links(body: str) -> tuple[str, str]:
    """``(paper_url, code_url)`` of a ``<summary>``: the Paper/PDF/arXiv link (else the first
    link) and a GitHub or Code link."""
    hrefs = links(body)
    paper = next(
        (u for t, u in hrefs if t.lower() in {"paper", "pdf", "arxiv"}),
        hrefs[0][1] if hrefs else "",
    )
    code = next((u for t, u in hrefs if github_repo(u) or t.lower() == "code"), "")
    return paper, code


def _summary_tags(tail: str) -> list[str]:
    """Tags from the emoji after a ``<summary>``'s title: known ones named, others as they are."""
    tail = _HREF.sub("", tail)
    tags = [v for k, v in _CHAWINS_EMOJI.items() if k in tail]
    tags += sorted(
        {ch for ch in tail if _is_symbol(ch) and ch not in "\ufe0f\u200d"}
        - {k[0] for k in _CHAWINS_EMOJI}
    )
    return tags


def parse_chawins(root: Path, name: str = "chawins__llm-sp"):
    """chawins/llm-sp: ``<details><summary>Title (YYYY) [<a href=..>Paper</a>] 💽</summary>``."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    used: set[int] = set()
    raw_lines = text.splitlines()
    for ln in walk(text):
        if "<summary>" not in ln.text:
            continue
        used.add(ln.no)
        m = _SUMMARY.search(ln.text)
        if not m:
            sink.problem(rel, ln.no, "<summary> not closed on its line", ln.text)
            continue
        body = m.group("body")
        head = re.split(r"\s*\[\s*<a\s", body, maxsplit=1)[0]
        ym = re.search(r"\((?P<y>(?:19|20)\d{2})\)?\s*$", head)
        title = head[: ym.start()] if ym else head
        paper, code = _summary_links(body)
        tags = _summary_tags(body[len(head) :])
        sec = _section(ln.section)
        if not ym:
            sink.problem(rel, ln.no, "no '(YYYY)' year after the title", ln.text, "kept")
        sink.add(
            rel,
            ln.no,
            ln.text,
            title=title,
            section=sec,
            paper_url=paper,
            code_url=code,
            year=int(ym.group("y")) if ym else None,
            tags=tags,
            topic_hint=_topic(sec),
            kind="paper",
            abstract=_details_body(raw_lines, ln.no),
        )
    _link_bullets(
        sink,
        rel,
        text,
        used,
        zone=lambda ln: bool(ln.section) and ln.section[0] == "Other resources",
        topic=lambda s: "",
        kind=lambda s, u: "non-paper" if not arxiv_id(u) else "paper",
    )
    _leftovers(sink, rel, text, used, lambda ln: "<summary>" in ln.text)
    return sink.result()

"""What every list parser shares: the record sink (derived columns, duplicate checks),
section/topic/kind helpers, generic link bullets and table entries."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ...core.errors import InputError
from ...core.ids import arxiv_id, arxiv_month, doi, github_repo, is_academic
from ..markdown import (
    _COLS,
    _HEADING,
    _LINK,
    _Line,
    _tables,
    clean_heading,
    clean_text,
    excerpt,
    links,
    parse_date,
    walk,
)

COLUMNS = [
    "list",
    "file",
    "line",
    "section",
    "kind",
    "title",
    "date",
    "date_source",
    "year",
    "arxiv_id",
    "doi",
    "paper_url",
    "code_url",
    "repo",
    "venue",
    "tags",
    "topic_hint",
    "abstract",
]
PROBLEM_COLUMNS = ["list", "file", "line", "reason", "action", "text_excerpt"]


# --------------------------------------------------------------------------- record building


class _Sink:
    """Collects records and problems for one list; fills derived columns."""

    def __init__(self, name: str):
        self.name = name
        self.records: list[dict] = []
        self.problems: list[dict] = []
        self._seen: dict[tuple[str, str], tuple[str, int]] = {}

    def problem(self, file: str, line: int, reason: str, text: str, action: str = "dropped"):
        self.problems.append(
            {
                "list": self.name,
                "file": file,
                "line": line,
                "reason": reason,
                "action": action,
                "text_excerpt": excerpt(text),
            }
        )

    def add(
        self,
        file: str,
        line: int,
        raw: str,
        *,
        title: str,
        section: str = "",
        date: str = "",
        year: int | None = None,
        paper_url: str = "",
        code_url: str = "",
        venue: str = "",
        tags: list[str] | tuple[str, ...] = (),
        topic_hint: str = "",
        kind: str = "paper",
        date_text: str | None = None,
        abstract: str = "",
    ) -> dict | None:
        """Add one entry. ``date_text`` is parsed here so that an unknown format becomes a
        problem row while the entry is still kept (dated from its arXiv id if it has one)."""
        title = clean_text(title).strip(' .,;:-"“”')
        if not title:
            self.problem(file, line, "entry without a title", raw)
            return None
        aid = arxiv_id(paper_url) or arxiv_id(code_url if "arxiv" in code_url else "")
        d = doi(paper_url)
        date, date_source, year = self._dating(file, line, raw, date, year, date_text, aid)
        if not code_url and github_repo(paper_url):  # the entry links a repository only
            code_url = paper_url
        repo = github_repo(code_url)
        rec = {
            "list": self.name,
            "file": file,
            "line": int(line),
            "section": section,
            "kind": kind,
            "title": title,
            "date": date,
            "date_source": date_source,
            "year": year,
            "arxiv_id": aid,
            "doi": d,
            "paper_url": paper_url,
            "code_url": code_url,
            "repo": repo,
            "venue": clean_text(venue),
            "tags": ";".join(dict.fromkeys(t for t in tags if t)),
            "topic_hint": topic_hint,
            "abstract": clean_text(abstract),
        }
        self._note_duplicates(file, line, raw, aid, d)
        self.records.append(rec)
        return rec

    def _dating(
        self,
        file: str,
        line: int,
        raw: str,
        date: str,
        year: int | None,
        date_text: str | None,
        aid: str,
    ) -> tuple[str, str, int | None]:
        """``(date, date_source, year)``: the list's date (``date_text`` parsed, an unknown
        format noted as a problem), else the arXiv id's month."""
        if date_text is not None:
            try:
                date, y = parse_date(date_text, file, line)
                year = year or y
            except InputError:
                self.problem(file, line, f"unknown date format: {date_text!r}", raw, "kept")
                date = ""
        date_source = "list" if date else ""
        if not date and aid:
            date, date_source = arxiv_month(aid), "arxiv_id"
        if date:
            year = int(date[:4])
        return date, date_source, year

    def _note_duplicates(self, file: str, line: int, raw: str, aid: str, d: str) -> None:
        """A problem row (entry kept) for an arXiv id or DOI seen before in this list."""
        for key, value in (("arXiv id", aid), ("DOI", d)):
            if not value:
                continue
            prev = self._seen.get((key, value))
            if prev:
                where = f"line {prev[1]}" if prev[0] == file else f"{prev[0]}:{prev[1]}"
                first = "at" if prev[0] == file else "in"
                reason = f"duplicate {key} {value} within the list (first {first} {where})"
                self.problem(file, line, reason, raw, "kept")
            else:
                self._seen[(key, value)] = (file, int(line))

    def result(self) -> tuple[list[dict], list[dict]]:
        return self.records, self.problems


def _section(path: list[str]) -> str:
    return " > ".join(path)


def _topic(*texts: str) -> str:
    """PI / JB / HAL from words in a file name, section or tag; ``other`` if none."""
    s = " ".join(texts).lower().replace("_", " ")
    found = []
    if "injection" in s:
        found.append("PI")
    if "jailbreak" in s or "jail break" in s:
        found.append("JB")
    if "hallucinat" in s or "truthful" in s or "factual" in s:
        found.append("HAL")
    return ";".join(found) or "other"


_NON_PAPER_SECTIONS = re.compile(
    r"tool|article|blog|tutorial|ctf|community|competition|book|leaderboard|resource|news|talk|"
    r"presentation|scholar|people|project|open.source models|workshop|other useful|other awesome",
    re.I,
)


def _kind_for(section: str, url: str) -> str:
    if _NON_PAPER_SECTIONS.search(section):
        return "paper" if arxiv_id(url) else "non-paper"
    return "paper" if is_academic(url) else "non-paper"


def _read(sink: _Sink, root: Path, rel: str) -> str | None:
    try:
        return (root / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        sink.problem(rel, 0, f"cannot read file: {err.__class__.__name__}", "")
        return None


def _files(root: Path, patterns: list[str]) -> list[str]:
    out: list[str] = []
    for pat in patterns:
        out += sorted(p.relative_to(root).as_posix() for p in root.glob(pat) if p.is_file())
    return list(dict.fromkeys(out))


_PAPERISH = re.compile(r"arxiv\.org/(?:abs|pdf)|\[\[paper\]\]|\\\[paper\\\]|doi\.org/10\.", re.I)


def _leftovers(sink: _Sink, file: str, text: str, used: set[int], zone: Callable[[_Line], bool]):
    """Report lines that carry a paper link but matched no entry format (never drop silently)."""
    for ln in walk(text):
        if ln.no in used or not zone(ln) or not _PAPERISH.search(ln.text):
            continue
        if _HEADING.match(ln.text) and not _LINK.search(ln.text):
            continue
        sink.problem(file, ln.no, "line with a paper link matches no entry format", ln.text)


def _link_bullets(
    sink: _Sink,
    file: str,
    text: str,
    used: set[int],
    *,
    zone: Callable[[_Line], bool],
    topic: Callable[[str], str],
    kind: Callable[[str, str], str] = _kind_for,
    top_level_only: bool = True,
    describe: bool = False,
):
    """Generic ``- [Title](url) ...`` bullets (resources, tools, blog posts, short paper lists).
    With ``describe``, the text after the first link (``- [Title](url) - what it is``) is kept
    as the entry's summary."""
    for ln in walk(text):
        if ln.no in used or not zone(ln):
            continue
        m = re.match(r"^(\s*)[-*+]\s+(.*)$", ln.text)
        if not m or (top_level_only and len(m.group(1)) > 1):
            continue
        found = links(m.group(2))
        lm = _LINK.match(m.group(2).strip())
        if not found or not lm:
            if re.match(r"\(.*\)\(https?://", m.group(2).strip()):
                sink.problem(
                    file, ln.no, "malformed link (parentheses instead of brackets)", ln.text
                )
                used.add(ln.no)
            continue
        title, url = clean_text(lm.group("text")), lm.group("url")
        if re.fullmatch(r"https?://\S+", title):
            title = url
        sec = _section(ln.section)
        code = next((u for _, u in found if github_repo(u) and u != url), "")
        tail = m.group(2).strip()[lm.end() :] if describe else ""
        sink.add(
            file,
            ln.no,
            ln.text,
            title=title,
            section=sec,
            paper_url=url,
            code_url=code,
            topic_hint=topic(sec),
            kind=kind(sec, url),
            abstract=re.sub(r"^\s*[-–—:]\s*", "", tail),
        )
        used.add(ln.no)


def _row_fields(header: list[str], cells: list[str]) -> dict[str, str] | None:
    """Map cells to fields by header name; ``None`` if extra non-empty cells do not fit."""
    if len(cells) > len(header) and any(c.strip(" -") for c in cells[len(header) :]):
        return None
    cells = cells + [""] * (len(header) - len(cells))
    has_title = "title" in header
    out: dict[str, str] = {}
    for h, c in zip(header, cells, strict=False):
        key = "url" if h == "paper" and has_title else _COLS.get(h, h)
        if key in out and out[key]:
            continue
        out[key] = c
    return out


def _row_links(f: dict[str, str], title_cell: str) -> tuple[str, str, str] | None:
    """``(title, paper_url, code_url)`` of a table row; ``None`` when the title cell holds a
    malformed link."""
    url = f.get("url", "")
    if not clean_text(title_cell) and links(url):
        title_cell = url
    lk = links(title_cell)
    if not lk and re.search(r"https?://", title_cell):
        return None
    paper_url = (links(url)[0][1] if links(url) else "") if url else ""
    if lk and not paper_url:
        paper_url = lk[0][1]
    code_links = links(f.get("code", ""))
    code = next((u for _, u in code_links if github_repo(u)), "")
    code = code or (code_links[0][1] if code_links else "")
    title = lk[0][0] if lk and len(clean_text(title_cell)) <= len(lk[0][0]) + 2 else title_cell
    return title, paper_url, code


def _row_tags(f: dict[str, str]) -> list[str]:
    """A row's tags (``&``-separated, bold or not) and its type."""
    tags = [clean_text(t) for t in re.split(r"\*\*\s*&\s*\*\*|&", f.get("tags", ""))]
    if f.get("type"):
        tags.append(clean_text(f["type"]))
    return tags


def _table_entries(
    sink: _Sink,
    rel: str,
    text: str,
    *,
    topic: Callable[[str, str], str],
    kind: Callable[[str, dict], str],
    venue: str = "",
    year: int | None = None,
    skip_title: bool = True,
) -> set[int]:
    """Parse every table row of a file into records; returns the lines consumed."""
    used: set[int] = set()
    sub = ""
    for ln, header, cells, note in _tables(text, skip_title):
        used.add(ln.no)
        if note:
            sink.problem(rel, ln.no, note, ln.text, "kept")
        if not header:
            sink.problem(rel, ln.no, "table row without a header", ln.text)
            continue
        f = _row_fields(header, cells)
        if f is None:
            sink.problem(
                rel, ln.no, f"row has {len(cells)} cells, header has {len(header)}", ln.text
            )
            continue
        title_cell = f.get("title", "")
        bold = re.fullmatch(r"\*\*(.+?)\*\*", title_cell.strip())
        if bold and not any(v.strip() for k, v in f.items() if k != "title"):
            sub = clean_heading(bold.group(1))  # a bold row used as a sub-heading
            continue
        linked = _row_links(f, title_cell)
        if linked is None:
            sink.problem(rel, ln.no, "malformed link in the title cell", ln.text)
            continue
        title, paper_url, code = linked
        tags = _row_tags(f)
        sec = _section(ln.section + ([sub] if sub else []))
        if ln.section and sub and not ln.section[-1]:
            sec = sub
        date_text = clean_text(f.get("date", "")) if "date" in f else None
        sink.add(
            rel,
            ln.no,
            ln.text,
            title=title,
            section=sec,
            paper_url=paper_url,
            code_url=code,
            venue=clean_text(f.get("venue", "")) or venue,
            tags=tags,
            date_text=date_text,
            year=year,
            topic_hint=topic(sec, " ".join(tags)),
            kind=kind(sec, {**f, "paper_url": paper_url}),
            abstract=f.get("summary", ""),
        )
    return used

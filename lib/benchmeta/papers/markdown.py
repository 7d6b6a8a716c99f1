"""Plain-text helpers for Markdown lists: dates, links, headings, table rows."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError

EXCERPT = 100


# --------------------------------------------------------------------------- dates


def parse_date(
    text: str, path: str | Path = "<date>", line: int | None = None
) -> tuple[str, int | None]:
    """``(date, year)`` from a list's date text: ``2024/03``, ``2023.5``, ``23.10``, ``2024-03-05``,
    ``2023``. ``date`` is ``YYYY-MM[-DD]`` or ``""`` (year only); otherwise an ``InputError``
    naming ``path``, ``line`` (where the text was read) and the text."""
    s = (text or "").strip().strip("[]()").strip()
    if s in {"", "-", "—"}:
        return "", None
    m = re.fullmatch(r"((?:19|20)\d{2})[/.\-](\d{1,2})(?:[/.\-](\d{1,2}))?", s)
    if not m:
        m2 = re.fullmatch(r"(\d{2})\.(\d{2})", s)
        if m2:
            m = re.fullmatch(r"(\d{4})-(\d{2})()", f"20{m2.group(1)}-{m2.group(2)}")
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
        if not 1 <= month <= 12 or (day and not 1 <= int(day) <= 31):
            raise InputError(path, line, "impossible date", text)
        date = f"{year:04d}-{month:02d}" + (f"-{int(day):02d}" if day else "")
        return date, year
    if re.fullmatch(r"(?:19|20)\d{2}", s):
        return "", int(s)
    raise InputError(path, line, "unknown date format", text)


# --------------------------------------------------------------------------- markdown helpers

_LINK = re.compile(
    r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?(?P<url>[^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)"
    r">?(?:\s+\"[^\"]*\")?\s*\)"
)
_HREF = re.compile(r"<a\s[^>]*href=[\"'](?P<url>[^\"']+)[\"'][^>]*>(?P<text>.*?)</a>", re.I | re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch) in {"So", "Sk", "Cf"} or ch in "\ufe0f\u200d"


def clean_text(s: str) -> str:
    """Plain text of a markdown fragment: links to their text, no emphasis, single spaces."""
    s = _LINK.sub(lambda m: m.group("text"), s or "")
    s = _HREF.sub(lambda m: m.group("text"), s)
    s = re.sub(r"<[^>]+>", " ", s)
    s = html.unescape(s).replace("\\&", "&").replace("\\_", "_").replace("\\|", "|")
    s = re.sub(r"\*\*|__|`", "", s)
    return " ".join(s.split()).strip()


def clean_heading(s: str) -> str:
    s = re.sub(r":[a-z0-9_+\-]+:", "", clean_text(s))
    s = re.sub(r"\(\d+ papers?\)", "", s)
    s = "".join(ch for ch in s if not _is_symbol(ch))
    return " ".join(s.split()).strip(" -:")


def links(s: str) -> list[tuple[str, str]]:
    """``(text, url)`` of every markdown or HTML link in ``s``, in order."""
    found = [(m.start(), m.group("text"), m.group("url")) for m in _LINK.finditer(s or "")]
    found += [(m.start(), m.group("text"), m.group("url")) for m in _HREF.finditer(s or "")]
    return [(clean_text(t), u.strip()) for _, t, u in sorted(found) if u.strip()]


@dataclass
class _Line:
    no: int
    text: str
    section: list[str]


def walk(
    text: str, *, skip_title: bool = True, entry_heading: Callable[[str], bool] | None = None
) -> Iterator[_Line]:
    """Lines outside code fences with the heading path above them. Heading lines themselves are
    yielded too (after the path is updated) unless ``entry_heading`` says they are entries, in
    which case they are yielded with the path above them and do not change it."""
    stack: list[tuple[int, str]] = []
    fenced = False
    first_heading = True
    for no, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        m = _HEADING.match(line)
        if m and not (entry_heading and entry_heading(line)):
            level, name = len(m.group(1)), clean_heading(m.group(2))
            if first_heading and skip_title and level == 1:
                first_heading = False
                continue
            first_heading = False
            stack = [(lv, n) for lv, n in stack if lv < level] + [(level, name)]
        yield _Line(no, line, [n for _, n in stack if n])


def excerpt(s: str, n: int = EXCERPT) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def split_row(line: str) -> list[str]:
    """Cells of a markdown table row (escaped pipes and pipes inside links kept)."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, buf, depth = [], [], 0
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and s[i + 1] == "|":
            buf.append("\\|")
            i += 2
            continue
        if ch in "[(":
            depth += 1
        elif ch in "])" and depth:
            depth -= 1
        if ch == "|" and depth == 0:
            cells.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
        i += 1
    cells.append("".join(buf).strip())
    if depth:  # an unclosed bracket: fall back to a plain split
        return [c.strip() for c in re.split(r"(?<!\\)\|", s)]
    return cells


_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


_COLS = {
    "date": "date",
    "time": "date",
    "title": "title",
    "paper": "title",
    "venue": "venue",
    "publication": "venue",
    "conference": "venue",
    "code": "code",
    "keywords": "tags",
    "type": "type",
    "url": "url",
    "link": "url",
    "": "title",
    "status": "status",
    "track": "track",
}


def _tables(
    text: str, skip_title: bool = True
) -> Iterator[tuple[_Line, list[str], list[str], str]]:
    """Rows of every markdown table: ``(line, header, cells, note)``.

    A table without its own header row reuses the previous table's header. Two rows glued on
    one line, or a row glued to the end of a heading, are split and yielded with a ``note``."""
    header: list[str] = []
    lines = list(walk(text, skip_title=skip_title))
    glue = re.compile(r"\|\s*\|(?=\s*\d{2}\.\d{2}\s*\|)")
    i = 0
    while i < len(lines):
        ln = lines[i]
        s = ln.text.strip()
        glued = re.match(r"^#{1,6}\s.*?(\|\s*\d{2}\.\d{2}\s*\|.*)$", s)
        if glued and header:
            row = glued.group(1)
            yield _Line(ln.no, row, ln.section), header, split_row(row), "row glued to a heading"
            i += 1
            continue
        if not s.startswith("|"):
            i += 1
            continue
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if _SEPARATOR.match(nxt) and lines[i + 1].no == ln.no + 1:
            header = [clean_text(c).lower() for c in split_row(s)]
            i += 2
        while i < len(lines) and lines[i].text.strip().startswith("|"):
            row = lines[i]
            if not _SEPARATOR.match(row.text):
                parts = glue.split(row.text.strip())
                note = "two table rows on one line" if len(parts) > 1 else ""
                for part in parts:
                    part = part if part.startswith("|") else "| " + part
                    yield _Line(row.no, part, row.section), header, split_row(part), note
            i += 1

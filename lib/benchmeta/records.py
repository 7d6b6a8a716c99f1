"""Records for PRISMA "identification": parse curated paper lists, de-duplicate, count.

One small parser per list format (``PARSERS``); each reads a folder laid out like
``<owner>__<repo>/<path inside the list>`` and returns ``(records, problems)``:

- a record is one list entry with the columns ``COLUMNS`` (facts only: title, dates, ids, links,
  venue, curator tags and the heading it sits under; never abstracts or comments);
- a problem names ``list, file, line`` and the reason, with a short excerpt. ``action`` says
  whether the entry was ``dropped`` (not parseable) or ``kept`` (parsed, but something was off:
  an unknown date format, a duplicate id ...). One bad entry never loses the rest.

``line`` is the 1-based line of the entry in its file; for JSON lists it is the 1-based index
of the record in the list's array.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import InputError
from .paths import DATA_RAW

COLUMNS = [
    "list", "file", "line", "section", "kind", "title", "date", "date_source", "year",
    "arxiv_id", "doi", "paper_url", "code_url", "repo", "venue", "tags", "topic_hint",
]
PROBLEM_COLUMNS = ["list", "file", "line", "reason", "action", "text_excerpt"]
UNIQUE_COLUMNS = [
    "record_id", "title", "norm_title", "kind", "date", "date_source", "year", "arxiv_id", "doi",
    "paper_url", "code_url", "repo", "venue", "tags", "topic_hint", "sources", "n_sources",
    "sections", "n_records",
]
DUPLICATE_COLUMNS = ["record_id", "list", "file", "line", "title", "matched_on"]
MANUAL_LIST = "manual"
EXCERPT = 100

# --------------------------------------------------------------------------- identifiers

_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html|format)/|huggingface\.co/papers/|alphaxiv\.org/(?:abs/)?"
    r"|\barxiv:\s*|10\.48550/arxiv\.)"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_DOI = re.compile(
    r"(?:doi\.org/|\bdoi:\s*|/doi/(?:abs/|pdf/|full/|epdf/)?|/chapter/|/article/)"
    r"(?P<doi>10\.\d{4,9}/[^\s\"'<>#?]+)",
    re.IGNORECASE,
)
_GITHUB = re.compile(
    r"^https?://(?:www\.)?github\.com/(?P<owner>[A-Za-z0-9][A-Za-z0-9-]*)/(?P<name>[A-Za-z0-9._-]+)",
    re.IGNORECASE,
)
_NOT_OWNERS = {
    "orgs", "features", "topics", "sponsors", "settings", "marketplace", "apps", "collections",
    "about", "site", "advisories", "users", "login", "search", "explore", "pricing",
}
ACADEMIC_HOSTS = (
    "arxiv.org", "doi.org", "aclanthology.org", "aclweb.org", "openreview.net", "neurips.cc",
    "nips.cc", "proceedings.mlr.press", "mlr.press", "usenix.org", "ieeexplore.ieee.org",
    "computer.org", "dl.acm.org", "springer.com", "ojs.aaai.org", "aaai.org", "thecvf.com",
    "ecva.net", "ijcai.org", "semanticscholar.org", "sciencedirect.com", "nature.com",
    "ndss-symposium.org", "huggingface.co/papers", "iclr.cc", "icml.cc", "jmlr.org",
    "ssrn.com", "alphaxiv.org", "scirp.org", "themoonlight.io/paper", "acm.org", "mdpi.com",
    "researchgate.net", "biorxiv.org", "medrxiv.org", "zenodo.org", "pnas.org", "science.org",
    "wiley.com", "tandfonline.com", "iacr.org", "isca-archive.org", "ieee.org",
)


def arxiv_id(text: str) -> str:
    """The arXiv id in a URL or string (``2403.02691``, ``hep-th/9901001``), without version."""
    for m in _ARXIV.finditer(text or ""):
        aid = m.group("id")
        if "/" in aid:
            archive, num = aid.split("/")
            return f"{archive.lower()}/{num}"
        yymm, num = aid.split(".")
        mm = int(yymm[2:])
        if 1 <= mm <= 12 and (len(num) == 4 or int(yymm) >= 1501):
            return aid
    return ""


def arxiv_month(aid: str) -> str:
    """``YYYY-MM`` of the first version implied by an arXiv id, or ``""``."""
    m = re.fullmatch(r"(\d{2})(\d{2})\.\d{4,5}", aid or "")
    if not m:
        m = re.search(r"/(\d{2})(\d{2})\d{3}$", aid or "")
        if not m:
            return ""
        yy = int(m.group(1))
        return f"{1900 + yy if yy >= 91 else 2000 + yy}-{m.group(2)}"
    return f"20{m.group(1)}-{m.group(2)}"


def doi(text: str) -> str:
    """A DOI (lower case) found in a URL or string; arXiv DOIs are left to ``arxiv_id``."""
    m = _DOI.search(text or "")
    if not m:
        return ""
    d = m.group("doi").rstrip(".,;:)]").lower()
    d = re.sub(r"\.pdf$", "", d)
    return "" if d.startswith("10.48550/") else d


def github_repo(url: str) -> str:
    """``owner/name`` of a github.com repository link (GitHub's case kept), else ``""``.

    Strips ``.git``, ``/tree/...``, ``/blob/...``, queries and fragments; ignores other hosts.
    """
    m = _GITHUB.match((url or "").strip())
    if not m:
        return ""
    owner, name = m.group("owner"), re.sub(r"\.git$", "", m.group("name"), flags=re.I)
    if owner.lower() in _NOT_OWNERS or name in {"", ".", ".."}:
        return ""
    return f"{owner}/{name}"


def is_academic(url: str) -> bool:
    """Whether a link points at a paper host (arXiv, a DOI, a proceedings site ...)."""
    u = (url or "").lower()
    return bool(arxiv_id(u) or doi(u)) or any(h in u for h in ACADEMIC_HOSTS) or u.endswith(".pdf")


def norm_title(title: str) -> str:
    """Title key: NFKC, casefold, a trailing ``(ACRONYM)`` dropped, no punctuation or spaces."""
    t = unicodedata.normalize("NFKC", html.unescape(title or "")).casefold().strip()
    t = re.sub(r"\s*\([^()]{1,20}\)\s*$", "", t) or t
    return re.sub(r"[\W_]+", "", t)


def title_hash(title: str) -> str:
    return hashlib.sha1(norm_title(title).encode("utf-8")).hexdigest()[:12]


# --------------------------------------------------------------------------- dates

def parse_date(text: str) -> tuple[str, int | None]:
    """``(date, year)`` from a list's date text: ``2024/03``, ``2023.5``, ``23.10``, ``2024-03-05``,
    ``2023``. ``date`` is ``YYYY-MM[-DD]`` or ``""`` (year only); ``ValueError`` otherwise."""
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
            raise ValueError(f"impossible date {text!r}")
        date = f"{year:04d}-{month:02d}" + (f"-{int(day):02d}" if day else "")
        return date, year
    if re.fullmatch(r"(?:19|20)\d{2}", s):
        return "", int(s)
    raise ValueError(f"unknown date format {text!r}")


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


# --------------------------------------------------------------------------- record building

class _Sink:
    """Collects records and problems for one list; fills derived columns."""

    def __init__(self, name: str):
        self.name = name
        self.records: list[dict] = []
        self.problems: list[dict] = []
        self._seen: dict[tuple[str, str], tuple[str, int]] = {}

    def problem(self, file: str, line: int, reason: str, text: str, action: str = "dropped"):
        self.problems.append({
            "list": self.name, "file": file, "line": line, "reason": reason, "action": action,
            "text_excerpt": excerpt(text),
        })

    def add(
        self, file: str, line: int, raw: str, *, title: str, section: str = "", date: str = "",
        year: int | None = None, paper_url: str = "", code_url: str = "", venue: str = "",
        tags: list[str] | tuple[str, ...] = (), topic_hint: str = "", kind: str = "paper",
        date_text: str | None = None,
    ) -> dict | None:
        """Add one entry. ``date_text`` is parsed here so that an unknown format becomes a
        problem row while the entry is still kept (dated from its arXiv id if it has one)."""
        title = clean_text(title).strip(" .,;:-\"“”")
        if not title:
            self.problem(file, line, "entry without a title", raw)
            return None
        if date_text is not None:
            try:
                date, y = parse_date(date_text)
                year = year or y
            except ValueError:
                self.problem(file, line, f"unknown date format: {date_text!r}", raw, "kept")
                date = ""
        aid = arxiv_id(paper_url) or arxiv_id(code_url if "arxiv" in code_url else "")
        d = doi(paper_url)
        date_source = "list" if date else ""
        if not date and aid:
            date, date_source = arxiv_month(aid), "arxiv_id"
        if date:
            year = int(date[:4])
        if not code_url and github_repo(paper_url):  # the entry links a repository only
            code_url = paper_url
        repo = github_repo(code_url)
        rec = {
            "list": self.name, "file": file, "line": int(line), "section": section, "kind": kind,
            "title": title, "date": date, "date_source": date_source, "year": year,
            "arxiv_id": aid, "doi": d, "paper_url": paper_url, "code_url": code_url, "repo": repo,
            "venue": clean_text(venue), "tags": ";".join(dict.fromkeys(t for t in tags if t)),
            "topic_hint": topic_hint,
        }
        for key, value in (("arXiv id", aid), ("DOI", d)):
            if not value:
                continue
            prev = self._seen.get((key, value))
            if prev and prev[0] == file:
                self.problem(
                    file, line,
                    f"duplicate {key} {value} within the list (first at line {prev[1]})",
                    raw, "kept",
                )
            elif prev:
                self.problem(
                    file, line,
                    f"duplicate {key} {value} within the list (first in {prev[0]}:{prev[1]})",
                    raw, "kept",
                )
            else:
                self._seen[(key, value)] = (file, int(line))
        self.records.append(rec)
        return rec

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
    sink: _Sink, file: str, text: str, used: set[int], *, zone: Callable[[_Line], bool],
    topic: Callable[[str], str], kind: Callable[[str, str], str] = _kind_for,
    top_level_only: bool = True,
):
    """Generic ``- [Title](url) ...`` bullets (resources, tools, blog posts, short paper lists)."""
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
                sink.problem(file, ln.no, "malformed link (parentheses instead of brackets)",
                             ln.text)
                used.add(ln.no)
            continue
        title, url = clean_text(lm.group("text")), lm.group("url")
        if re.fullmatch(r"https?://\S+", title):
            title = url
        sec = _section(ln.section)
        code = next((u for _, u in found if github_repo(u) and u != url), "")
        sink.add(file, ln.no, ln.text, title=title, section=sec, paper_url=url, code_url=code,
                 topic_hint=topic(sec), kind=kind(sec, url))
        used.add(ln.no)


# --------------------------------------------------------------------------- list parsers

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
                sink.problem(rel, ln.no, "bullet does not match '- [YYYY/MM] **[Title](url)**'",
                             ln.text)
                continue
            rest = m.group("rest")
            venue, tags = "", []
            for b in _BADGE.finditer(rest):
                alt = b.group("alt").replace("_", " ").strip()
                if b.group("color").lower() == "f1b800" and alt.lower() != "blog":
                    venue = venue or alt
                else:
                    tags.append(alt)
            code = next((u for t, u in links(_BADGE.sub("", rest)) if github_repo(u) or
                         t.lower() == "code"), "")
            sec = _section(ln.section)
            url = m.group("url")
            if fname in _LMSSP_NON_PAPER or "blog" in {t.lower() for t in tags}:
                kind = "non-paper"
            elif fname == "toolkit.md":
                kind = _kind_for("", url)
            else:
                kind = "paper"
            sink.add(rel, ln.no, ln.text, title=m.group("title"), section=sec, paper_url=url,
                     code_url=code, venue=venue, tags=tags, date_text=m.group("date"),
                     topic_hint=_topic(fname), kind=kind)
        _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()


_COLS = {
    "date": "date", "time": "date", "title": "title", "paper": "title", "venue": "venue",
    "publication": "venue", "conference": "venue", "code": "code", "keywords": "tags",
    "type": "type", "url": "url", "link": "url", "": "title", "status": "status",
    "track": "track",
}


def _tables(text: str, skip_title: bool = True
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


def _row_fields(header: list[str], cells: list[str]) -> dict[str, str] | None:
    """Map cells to fields by header name; ``None`` if extra non-empty cells do not fit."""
    if len(cells) > len(header) and any(c.strip(" -") for c in cells[len(header):]):
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


def _table_entries(
    sink: _Sink, rel: str, text: str, *, topic: Callable[[str, str], str],
    kind: Callable[[str, dict], str], venue: str = "", year: int | None = None,
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
            sink.problem(rel, ln.no, f"row has {len(cells)} cells, header has {len(header)}",
                         ln.text)
            continue
        title_cell = f.get("title", "")
        bold = re.fullmatch(r"\*\*(.+?)\*\*", title_cell.strip())
        if bold and not any(v.strip() for k, v in f.items() if k != "title"):
            sub = clean_heading(bold.group(1))  # a bold row used as a sub-heading
            continue
        url = f.get("url", "")
        if not clean_text(title_cell) and links(url):
            title_cell = url
        lk = links(title_cell)
        if not lk and re.search(r"https?://", title_cell):
            sink.problem(rel, ln.no, "malformed link in the title cell", ln.text)
            continue
        paper_url = (links(url)[0][1] if links(url) else "") if url else ""
        if lk and not paper_url:
            paper_url = lk[0][1]
        code_links = links(f.get("code", ""))
        code = next((u for _, u in code_links if github_repo(u)), "")
        code = code or (code_links[0][1] if code_links else "")
        title = lk[0][0] if lk and len(clean_text(title_cell)) <= len(lk[0][0]) + 2 else title_cell
        tags = [clean_text(t) for t in re.split(r"\*\*\s*&\s*\*\*|&", f.get("tags", ""))]
        if f.get("type"):
            tags.append(clean_text(f["type"]))
        sec = _section(ln.section + ([sub] if sub else []))
        if ln.section and sub and not ln.section[-1]:
            sec = sub
        date_text = clean_text(f.get("date", "")) if "date" in f else None
        sink.add(rel, ln.no, ln.text, title=title, section=sec, paper_url=paper_url,
                 code_url=code, venue=clean_text(f.get("venue", "")) or venue, tags=tags,
                 date_text=date_text, year=year, topic_hint=topic(sec, " ".join(tags)),
                 kind=kind(sec, {**f, "paper_url": paper_url}))
    return used


def parse_yueliu(root: Path, name: str = "yueliu1999__Awesome-Jailbreak-on-LLMs"):
    """yueliu1999/Awesome-Jailbreak-on-LLMs: ``| Time | **Title** | Venue | [link](paper) |
    [link](code) |`` tables under attack / defense / evaluation headings."""
    sink = _Sink(name)
    text = _read(sink, root, "README.md")
    if text is not None:
        used = _table_entries(
            sink, "README.md", text, topic=lambda s, t: "JB",
            kind=lambda s, f: "paper" if not re.search(r"manning\.com|/books?/", f["paper_url"])
            else "non-paper",
        )
        _leftovers(sink, "README.md", text, used, lambda ln: "Papers" in ln.section)
    return sink.result()


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

        used = _table_entries(sink, rel, text, topic=topic, kind=kind,
                              skip_title=rel == "README.md")
        _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()


_CHAWINS_EMOJI = {
    "⭐": "favourite", "💽": "dataset/benchmark/framework", "📍": "position paper",
    "🔭": "survey", "👁": "vision-language", "💸": "closed-source models",
}
_SUMMARY = re.compile(r"<summary>(?P<body>.*?)</summary>", re.S)


def parse_chawins(root: Path, name: str = "chawins__llm-sp"):
    """chawins/llm-sp: ``<details><summary>Title (YYYY) [<a href=..>Paper</a>] 💽</summary>``."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    used: set[int] = set()
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
        hrefs = links(body)
        paper = next((u for t, u in hrefs if t.lower() in {"paper", "pdf", "arxiv"}),
                     hrefs[0][1] if hrefs else "")
        code = next((u for t, u in hrefs if github_repo(u) or t.lower() == "code"), "")
        tail = _HREF.sub("", body[len(head):])
        tags = [v for k, v in _CHAWINS_EMOJI.items() if k in tail]
        tags += sorted({ch for ch in tail if _is_symbol(ch) and ch not in "\ufe0f\u200d"}
                       - {k[0] for k in _CHAWINS_EMOJI})
        sec = _section(ln.section)
        if not ym:
            sink.problem(rel, ln.no, "no '(YYYY)' year after the title", ln.text, "kept")
        sink.add(rel, ln.no, ln.text, title=title, section=sec, paper_url=paper, code_url=code,
                 year=int(ym.group("y")) if ym else None, tags=tags, topic_hint=_topic(sec),
                 kind="paper")
    _link_bullets(sink, rel, text, used, zone=lambda ln: bool(ln.section) and
                  ln.section[0] == "Other resources", topic=lambda s: "",
                  kind=lambda s, u: "non-paper" if not arxiv_id(u) else "paper")
    _leftovers(sink, rel, text, used, lambda ln: "<summary>" in ln.text)
    return sink.result()


def parse_tldrsec(root: Path, name: str = "tldrsec__prompt-injection-defenses"):
    """tldrsec/prompt-injection-defenses: ``| [Title](url) | summary |`` tables by defence
    family (bold rows are sub-families) and ``* [Title](url)`` bullets under Tools/References."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is not None:
        used = _table_entries(
            sink, rel, text, topic=lambda s, t: "PI",
            kind=lambda s, f: "paper" if is_academic(f["paper_url"]) else "non-paper",
        )
        _link_bullets(sink, rel, text, used,
                      zone=lambda ln: bool(ln.section) and ln.section[0] != "Table of Contents",
                      topic=lambda s: "PI",
                      kind=lambda s, u: "non-paper" if s.startswith("Tools") and not arxiv_id(u)
                      else _kind_for("", u))
        _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()


def parse_fonduai(root: Path, name: str = "FonduAI__awesome-prompt-injection"):
    """FonduAI/awesome-prompt-injection: ``- [Title](url) - description`` bullets by section."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is not None:
        used: set[int] = set()
        _link_bullets(sink, rel, text, used,
                      zone=lambda ln: bool(ln.section) and ln.section[0] not in
                      {"Contents", "Introduction", "Contributing"},
                      topic=lambda s: "PI",
                      kind=lambda s, u: "paper" if "Research Papers" in s else "non-paper")
        _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()


_CORCA = re.compile(r"^\s*[-*]\s*[\"“](?P<title>.+?)[\"”]\s*,?\s*(?P<rest>.*)$")


def parse_corca(root: Path, name: str = "corca-ai__awesome-llm-security"):
    """corca-ai/awesome-llm-security: ``- "Title", YYYY-MM, Venue, `tag`, [[paper]](url)
    [[repo]](gh)``; tools and articles are ``- [Name](url): ...`` bullets (non-paper)."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    used: set[int] = set()
    for ln in walk(text):
        m = _CORCA.match(ln.text)
        if not m:
            continue
        used.add(ln.no)
        rest = m.group("rest")
        lk = re.findall(r"\[\[(\w+)\]\]\(([^)]*)\)", rest)
        paper = next((u for t, u in lk if t.lower() == "paper"), "")
        code = next((u for t, u in lk if t.lower() in {"repo", "code"}), "")
        tags = re.findall(r"`([^`]+)`", rest)
        meta = re.sub(r"\[\[\w+\]\]\([^)]*\)|`[^`]+`", "", rest)
        dm = re.search(r"\b((?:19|20)\d{2}-\d{1,2})\b", meta)
        venue = meta.replace(dm.group(1), "") if dm else meta
        venue = " ".join(venue.replace(",", " ").split())
        sec = _section(ln.section)
        if not dm:
            sink.problem(rel, ln.no, "no YYYY-MM date after the title", ln.text, "kept")
        topic = _topic(sec, " ".join(tags))
        if topic == "other":  # attack/defence/benchmark sections mix JB and PI: unspecified
            topic = "other" if re.search(r"Backdoor|Fingerprint|Platform", sec) else ""
        sink.add(rel, ln.no, ln.text, title=m.group("title"), section=sec, paper_url=paper,
                 code_url=code, venue=venue, tags=tags, date_text=dm.group(1) if dm else None,
                 topic_hint=topic, kind="paper")
    _link_bullets(sink, rel, text, used,
                  zone=lambda ln: bool(ln.section) and ln.section[0] not in
                  {"Table of Contents", "Papers", "Benchmark"},
                  topic=lambda s: "", kind=lambda s, u: "non-paper" if not arxiv_id(u) else "paper")
    _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()


def parse_edinburgh(root: Path, name: str = "EdinburghNLP__awesome-hallucination-detection"):
    """EdinburghNLP/awesome-hallucination-detection: one ``### [Title](url)`` heading per paper
    (with Metrics/Datasets fields below) plus link bullets in the overview sections. Links in
    the prose of Taxonomies / Definitions are citations, not entries, and are skipped."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    used: set[int] = set()
    is_entry = lambda s: bool(re.match(r"^#{3,6}\s*\[", s))  # noqa: E731
    lines = list(walk(text, entry_heading=is_entry))
    for i, ln in enumerate(lines):
        if not is_entry(ln.text):
            continue
        used.add(ln.no)
        lk = _LINK.search(ln.text)
        if not lk:
            sink.problem(rel, ln.no, "entry heading without a [Title](url) link", ln.text)
            continue
        fields = []
        for nxt in lines[i + 1: i + 8]:
            if _HEADING.match(nxt.text):
                break
            fm = re.match(r"^\s*[-*]\s*\*\*(Metrics|Datasets?|Framework)\s*:?\*\*", nxt.text)
            if fm:
                fields.append(f"has {fm.group(1).lower().rstrip('s')}s field")
        sec = _section(ln.section)
        sink.add(rel, ln.no, ln.text, title=lk.group("text"), section=sec,
                 paper_url=lk.group("url"), tags=fields, topic_hint="HAL", kind="paper")
    _link_bullets(sink, rel, text, used,
                  zone=lambda ln: bool(ln.section) and not re.search(
                      r"Taxonom|Definition|Citing", ln.section[0]),
                  topic=lambda s: "HAL")
    _leftovers(sink, rel, text, used,
               lambda ln: bool(ln.section) and not re.search(r"Taxonom|Definition", ln.section[0]))
    return sink.result()


_SURVEY_TITLE = re.compile(
    r"^\s*(?:[-+*]|\d+\.)\s+\*\*(?P<title>.+?)\*\*\s*(?:`(?P<venue>[^`]*)`)?\s*(?P<rest>.*)$"
)
_SURVEY_PAPER = re.compile(r"\[\[(?:paper|talk|pdf|arxiv)\\?\]\]\((?P<url>[^)]*)\)", re.I)
_SURVEY_DATE = re.compile(r"\)\s*(?P<date>(?:19|20)\d{2}(?:\.\d{1,2})?)\b")


def _parse_survey_list(root: Path, name: str, topic: str = "HAL"):
    """Survey reading lists: ``1. **Title** `Venue Year``` then ``*Authors* [[paper]](url)
    YYYY.MM`` on the next line(s)."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    used: set[int] = set()
    lines = list(walk(text))
    sub, sub_sec = "", None
    for i, ln in enumerate(lines):
        bold = re.fullmatch(r"\s*\*\*(?P<x>[^*]+)\*\*\s*", ln.text)
        label = re.fullmatch(r"\s*[-+*]\s*`(?P<x>[^`]+)`\s*:?\s*", ln.text)
        if bold or label:
            sub, sub_sec = clean_heading((bold or label).group("x")), ln.section
            continue
        m = _SURVEY_TITLE.match(ln.text)
        if not m or "[[paper]]" in m.group("title"):
            continue
        used.add(ln.no)
        paper, date_text, raw = "", None, ln.text
        for nxt in [ln] + lines[i + 1: i + 5]:
            if nxt is not ln and (_SURVEY_TITLE.match(nxt.text) or _HEADING.match(nxt.text)):
                break
            pm = _SURVEY_PAPER.search(nxt.text)
            if pm:
                used.add(nxt.no)
                paper = pm.group("url")
                dm = _SURVEY_DATE.search(nxt.text[pm.start():])
                date_text = dm.group("date") if dm else None
                raw = f"{ln.text} {nxt.text}"
                break
        venue = m.group("venue") or ""
        vy = re.search(r"\b((?:19|20)\d{2})\b", venue)
        path = ln.section + ([sub] if sub and sub_sec == ln.section else [])
        sec = _section(path)
        if not paper:
            sink.problem(rel, ln.no, "entry without a [[paper]] link", ln.text, "kept")
        sink.add(rel, ln.no, raw, title=m.group("title"), section=sec, paper_url=paper,
                 venue=re.sub(r"\s*\b(?:19|20)\d{2}\b", "", venue).strip(),
                 year=int(vy.group(1)) if vy else None,
                 date_text=date_text, topic_hint=topic, kind="paper")
    _leftovers(sink, rel, text, used,
               lambda ln: bool(ln.section)
               and not re.search(r"News|Reference|Contact", ln.section[0]))
    return sink.result()


def parse_hillzhang(root: Path, name: str = "HillZhang1999__llm-hallucination-survey"):
    """HillZhang1999/llm-hallucination-survey (Siren's Song reading list)."""
    return _parse_survey_list(root, name)


def parse_luckyyysta(root: Path, name: str = "LuckyyySTA__Awesome-LLM-hallucination"):
    """LuckyyySTA/Awesome-LLM-hallucination (Huang et al. survey reading list)."""
    return _parse_survey_list(root, name)


_MALA = re.compile(
    r"^\s*[-*]\s*\[(?P<key>[^\]]+)\]\s*(?P<title>.+?)\s*,?\s+in\s+\*(?P<venue>[^*]+)\*\s*,?\s*"
    r"(?P<year>(?:19|20)\d{2})?\.?\s*(?P<rest>.*)$"
)
_MALA_LINK = re.compile(r"\[\\\[(?P<t>\w+)\\\]\]\((?P<u>[^)]*)\)")


def parse_mala(root: Path,
               name: str = "mala-lab__Awesome-LLM-LVLM-Hallucination-Detection-and-Mitigation"):
    """mala-lab: ``- [AuthorYear] Title in *Venue*, Year. [\\[paper\\]](url)[\\[code\\]](gh)``."""
    sink = _Sink(name)
    rel = "README.md"
    text = _read(sink, root, rel)
    if text is None:
        return sink.result()
    used: set[int] = set()
    for ln in walk(text):
        if not re.match(r"^\s*[-*]\s*\[[^\]]*\d{4}[a-z]?\]", ln.text):
            continue
        used.add(ln.no)
        m = _MALA.match(ln.text)
        if not m:
            sink.problem(rel, ln.no,
                         "bullet does not match '- [AuthorYear] Title in *Venue*, Year'", ln.text)
            continue
        lk = {t.lower(): u for t, u in _MALA_LINK.findall(ln.text)}
        sec = _section(ln.section)
        tags = ["benchmark section"] if "Benchmark" in sec else []
        sink.add(rel, ln.no, ln.text, title=m.group("title"), section=sec,
                 paper_url=lk.get("paper", ""), code_url=lk.get("code", ""),
                 venue=m.group("venue").strip(), tags=tags,
                 year=int(m.group("year")) if m.group("year") else None,
                 topic_hint="HAL", kind="paper")
    _leftovers(sink, rel, text, used, lambda ln: True)
    return sink.result()


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
            sink.problem(rel, idx, f"duplicate id {pid!r} (first at record {seen_ids[pid]})", raw,
                         "kept")
        elif pid is not None:
            seen_ids[pid] = idx
        tags = list(p.get("tags") or []) if isinstance(p.get("tags"), list) else []
        tags += [str(p.get("model_type") or ""), str(p.get("method_type") or "")]
        tags += ["Benchmark" if p.get("benchmark") is True else "",
                 "Survey" if p.get("survey") is True else ""]
        year = p.get("year") if isinstance(p.get("year"), int) else None
        date_text = str(p.get("date") or "")
        venue = str(p.get("venue") or "")
        sink.add(rel, idx, raw, title=str(p.get("title") or ""), paper_url=str(p.get("url") or ""),
                 code_url=str(p.get("code") or ""), venue=venue, tags=tags,
                 date_text=date_text if len(date_text) > 4 else None,
                 year=year if len(date_text) <= 4 else None, topic_hint="HAL", kind="paper")
    return sink.result()


_VENUES = {
    "nips": "NeurIPS", "iclr": "ICLR", "icml": "ICML", "aaai": "AAAI", "acl": "ACL",
    "emnlp": "EMNLP", "naacl": "NAACL", "www": "WWW", "sp": "IEEE S&P", "ccs": "CCS",
    "ndss": "NDSS", "usenix": "USENIX Security",
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
            sink, rel, text, topic=lambda s, t: "JB", venue=venue, year=year,
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
            block = "\n".join(lines[i + 1: i + 5])
            ym = re.search(r"Year:\s*(\d{4})", block)
            vm = re.search(r"Venue:\s*(.+)", block)
            cm = re.search(r"Category:\s*(\w+)", block)
            tm = re.search(r"Target:\s*(\w+)", block)
            if not ym:
                sink.problem(rel, i + 1, "no 'Year:' field below the title", line, "kept")
            tags = [cm.group(1) if cm else "", tm.group(1) if tm else ""]
            sink.add(rel, i + 1, line, title=m.group("title"),
                     section=f"Top 100 > {tags[1]} > {tags[0]}".rstrip(" >"),
                     venue=vm.group(1).strip() if vm else "",
                     year=int(ym.group(1)) if ym else None, tags=tags, topic_hint="JB",
                     kind="paper")
    return sink.result()


@dataclass(frozen=True)
class ListInfo:
    """A curated list: where it comes from and how to parse it (facts from SOURCES.md)."""

    name: str
    url: str
    commit: str
    commit_date: str
    licence: str
    topics: str
    parser: Callable[[Path], tuple[list, list]]


LISTS: dict[str, ListInfo] = {i.name: i for i in [
    ListInfo("ThuCCSLab__Awesome-LM-SSP", "https://github.com/ThuCCSLab/Awesome-LM-SSP",
             "49a5f511a83cc7f8dee2955a49438fc3411638d9", "2025-10-13", "Apache-2.0",
             "JB;PI;HAL;other", parse_lm_ssp),
    ListInfo("yueliu1999__Awesome-Jailbreak-on-LLMs",
             "https://github.com/yueliu1999/Awesome-Jailbreak-on-LLMs",
             "5d4e29a1dca57e3efb21684dcd07dd496e9412b7", "2026-06-07", "MIT", "JB", parse_yueliu),
    ListInfo("ydyjya__Awesome-LLM-Safety", "https://github.com/ydyjya/Awesome-LLM-Safety",
             "70571a03c4c531bbc61703a9b55f42538466ea63", "2026-05-19", "none",
             "JB;PI;HAL;other", parse_ydyjya),
    ListInfo("chawins__llm-sp", "https://github.com/chawins/llm-sp",
             "e06c15e979de41dfa437b1c4a52c75482d46dce6", "2024-11-27", "Apache-2.0",
             "PI;JB;other", parse_chawins),
    ListInfo("tldrsec__prompt-injection-defenses",
             "https://github.com/tldrsec/prompt-injection-defenses",
             "423a2f36a979858223ba5c6dfede8409c8d0fb63", "2025-02-22", "none", "PI",
             parse_tldrsec),
    ListInfo("FonduAI__awesome-prompt-injection",
             "https://github.com/FonduAI/awesome-prompt-injection",
             "93d7b941a6f66cde498ce47bceed13a0c1cdb771", "2023-10-14", "CC0-1.0", "PI",
             parse_fonduai),
    ListInfo("corca-ai__awesome-llm-security", "https://github.com/corca-ai/awesome-llm-security",
             "4b3725b6013a4da898c3fa950997bc5a8751e582", "2025-04-18", "none", "JB;PI",
             parse_corca),
    ListInfo("EdinburghNLP__awesome-hallucination-detection",
             "https://github.com/EdinburghNLP/awesome-hallucination-detection",
             "64920cc6b746e41b7a3f12d6cf3d90af2d7e196f", "2026-04-23", "Apache-2.0", "HAL",
             parse_edinburgh),
    ListInfo("HillZhang1999__llm-hallucination-survey",
             "https://github.com/HillZhang1999/llm-hallucination-survey",
             "dee6e6a2e29f91b0c0bbf7bc536a9a073f7e0d12", "2024-11-21", "none", "HAL",
             parse_hillzhang),
    ListInfo("LuckyyySTA__Awesome-LLM-hallucination",
             "https://github.com/LuckyyySTA/Awesome-LLM-hallucination",
             "c3a4ee67a9c9011533ba337cf36e80a512f79d1a", "2024-03-11", "MIT", "HAL",
             parse_luckyyysta),
    ListInfo("mala-lab__Awesome-LLM-LVLM-Hallucination-Detection-and-Mitigation",
             "https://github.com/mala-lab/Awesome-LLM-LVLM-Hallucination-Detection-and-Mitigation",
             "64d4900aeef853d2a1491ee09db6e4b4f7abd4a0", "2026-06-15", "none", "HAL", parse_mala),
    ListInfo("GuangtaoLyu__awesome-hallucination-atlas",
             "https://github.com/GuangtaoLyu/awesome-hallucination-atlas",
             "a62d11c1a5d0a0d5d7add48b36293823536e7c14", "2026-08-22", "CC0-1.0", "HAL",
             parse_atlas),
    ListInfo("GenggengSvan__Jailbreak-Observatory",
             "https://github.com/GenggengSvan/Jailbreak-Observatory",
             "866ff3a0cece445d0d29901b63df9237beadb79d", "2025-12-15", "none", "JB",
             parse_observatory),
]}
PARSERS: dict[str, Callable[[Path], tuple[list, list]]] = {k: v.parser for k, v in LISTS.items()}


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    if "year" in df:
        df["year"] = pd.array(df["year"], dtype="Int64")
    if "line" in df:
        df["line"] = df["line"].astype("int64")
    return df


def parse_list(folder: Path, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse one list folder ``<folder>/<name>`` with its parser."""
    root = Path(folder) / name
    try:
        recs, probs = PARSERS[name](root)
    except Exception as err:  # a parser bug must not lose the other lists
        recs, probs = [], [{"list": name, "file": "", "line": 0, "action": "dropped",
                            "reason": f"parser failed: {err.__class__.__name__}: {err}",
                            "text_excerpt": ""}]
    return _frame(recs, COLUMNS), _frame(probs, PROBLEM_COLUMNS)


def parse_all(folder: Path | str, manual: Path | str | None = None
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every known parser on the list folders found in ``folder``; unknown folders are
    reported. ``manual`` (or ``folder/manual_records.csv``) adds hand-kept records."""
    folder = Path(folder)
    recs, probs = [], []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if sub.name in PARSERS:
            r, p = parse_list(folder, sub.name)
            recs.append(r)
            probs.append(p)
        elif not sub.name.startswith("."):
            probs.append(_frame([{"list": sub.name, "file": "", "line": 0, "action": "dropped",
                                  "reason": "no parser for this list folder",
                                  "text_excerpt": ""}], PROBLEM_COLUMNS))
    manual = Path(manual) if manual else folder / "manual_records.csv"
    if manual.is_file():
        recs.append(read_manual(manual))
    records = pd.concat(recs, ignore_index=True) if recs else _frame([], COLUMNS)
    problems = pd.concat(probs, ignore_index=True) if probs else _frame([], PROBLEM_COLUMNS)
    return _frame(records.to_dict("records"), COLUMNS), _frame(problems.to_dict("records"),
                                                                PROBLEM_COLUMNS)


def read_manual(path: Path | str) -> pd.DataFrame:
    """Hand-kept records (``list`` = ``manual``), one documented row per paper the lists missed.

    Columns as ``COLUMNS`` (plus a free ``note``); ``title`` and ``paper_url`` are required,
    ``file``/``line`` are set to the CSV's own name and line, and arXiv id, DOI, repo and year
    are derived from the links and date exactly as for list entries.

    Raises ``InputError`` naming the file, line and value for a missing column, an empty title
    or an unknown date format."""
    path = Path(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("title", "paper_url") if c not in df.columns]
    if missing:
        raise InputError(path, 1, f"manual records lack columns {missing}", list(df.columns))
    sink = _Sink(MANUAL_LIST)
    for i, row in df.iterrows():
        line = int(i) + 2
        if not row.get("title", "").strip():
            raise InputError(path, line, "manual record without a title", row.to_dict())
        date = row.get("date", "")
        try:
            parse_date(date)
        except ValueError as err:
            raise InputError(path, line, "unknown date format", date) from err
        rec = sink.add(path.name, line, "", title=row["title"], section=row.get("section", ""),
                       paper_url=row.get("paper_url", ""), code_url=row.get("code_url", ""),
                       venue=row.get("venue", ""), tags=row.get("tags", "").split(";"),
                       topic_hint=row.get("topic_hint", ""), kind=row.get("kind", "") or "paper",
                       date_text=date)
        if rec is not None:
            rec["date_source"] = "manual" if rec["date_source"] == "list" else rec["date_source"]
            rec["doi"] = rec["doi"] or row.get("doi", "").strip().lower()
            rec["arxiv_id"] = rec["arxiv_id"] or arxiv_id("arXiv:" + row.get("arxiv_id", ""))
    return _frame(sink.records, COLUMNS)


def load_snapshot(data_raw: Path = DATA_RAW) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The committed snapshot: ``records/records.csv`` plus the hand-kept
    ``records/manual_records.csv`` (if any), and ``records/parse_problems.csv``."""
    folder = Path(data_raw) / "records"
    recs = pd.read_csv(folder / "records.csv", dtype=str, keep_default_na=False)
    probs = pd.read_csv(folder / "parse_problems.csv", dtype=str, keep_default_na=False)
    recs["year"] = pd.to_numeric(recs["year"].replace("", None)).astype("Int64")
    frames = [recs[COLUMNS]]
    if (folder / "manual_records.csv").is_file():
        frames.append(read_manual(folder / "manual_records.csv"))
    recs = pd.concat(frames, ignore_index=True)
    return _frame(recs.to_dict("records"), COLUMNS), _frame(probs.to_dict("records"),
                                                            PROBLEM_COLUMNS)


# --------------------------------------------------------------------------- de-duplication

def _record_id(aids: set[str], dois: set[str], title: str) -> str:
    if aids:
        return f"arxiv:{sorted(aids)[0]}"
    if dois:
        return f"doi:{sorted(dois)[0]}"
    return f"title:{title_hash(title)}"


def deduplicate(records: pd.DataFrame, min_title: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge records of the same paper: by arXiv id, then DOI, then normalised title.

    Two groups with different arXiv ids are never merged on DOI or title. Titles shorter than
    ``min_title`` characters after normalisation are not used as keys. Returns ``(unique,
    duplicates)``: one row per paper with a stable ``record_id`` (``arxiv:<id>``, ``doi:<doi>``
    or ``title:<sha1[:12]>``), every source list, the earliest date, the first code link and
    GitHub repo, the union of tags; and one row per merged record naming what it joined.
    """
    df = records.reset_index(drop=True).copy()
    for col in ("arxiv_id", "doi", "title", "date", "date_source", "repo", "code_url", "venue",
                "tags", "topic_hint", "section", "paper_url", "kind", "list", "file"):
        df[col] = df[col].fillna("").astype(str)
    n = len(df)
    parent = list(range(n))
    aids: list[set[str]] = [{a} if a else set() for a in df["arxiv_id"].fillna("")]
    dois: list[set[str]] = [{d} if d else set() for d in df["doi"].fillna("")]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int, guard: bool) -> None:
        a, b = find(i), find(j)
        if a == b or (guard and aids[a] and aids[b] and aids[a] != aids[b]):
            return
        a, b = min(a, b), max(a, b)
        parent[b] = a
        aids[a] |= aids[b]
        dois[a] |= dois[b]

    titles = [norm_title(t) for t in df["title"].fillna("")]
    for key, guard in (("arxiv_id", False), ("doi", True), ("title", True)):
        first: dict[str, int] = {}
        values = titles if key == "title" else list(df[key].fillna(""))
        for i, v in enumerate(values):
            if not v or (key == "title" and len(v) < min_title):
                continue
            if v in first:
                union(first[v], i, guard)
            else:
                first[v] = i
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    rows = df.to_dict("records")
    unique_rows, dup_rows = [], []
    for root, members in groups.items():
        g = [rows[i] for i in members]
        rid = _record_id(aids[root], dois[root], g[0]["title"])
        rep = min(g, key=lambda r: (not r["arxiv_id"], not r["date"]))
        dated = [r for r in g if r["date"]]
        first = min(dated, key=lambda r: r["date"]) if dated else None
        years = [int(r["year"]) for r in g if pd.notna(r["year"])]
        repos = [r["repo"] for r in g if r["repo"]]
        lowered = [r.lower() for r in repos]
        best = max(dict.fromkeys(lowered), key=lowered.count, default="")
        repo = next((r for r in repos if r.lower() == best), "")
        codes = [r["code_url"] for r in g if r["code_url"]]
        code = next((c for c in codes if github_repo(c)), codes[0] if codes else "")
        venues = [r["venue"] for r in g
                  if r["venue"] and not r["venue"].lower().startswith("arxiv")]
        tags = sorted({t for r in g for t in r["tags"].split(";") if t})
        topics = sorted({t for r in g for t in r["topic_hint"].split(";") if t})
        sources = sorted({r["list"] for r in g})
        sections = sorted({f"{r['list']}: {r['section']}" for r in g if r["section"]})
        aid = sorted(aids[root])[0] if aids[root] else ""
        unique_rows.append({
            "record_id": rid, "title": rep["title"], "norm_title": titles[members[0]],
            "kind": "paper" if any(r["kind"] == "paper" for r in g) else "non-paper",
            "date": first["date"] if first else "",
            "date_source": first["date_source"] if first else "",
            "year": int(first["date"][:4]) if first else (min(years) if years else None),
            "arxiv_id": aid, "doi": sorted(dois[root])[0] if dois[root] else "",
            "paper_url": f"https://arxiv.org/abs/{aid}" if aid else rep["paper_url"],
            "code_url": code, "repo": repo, "venue": venues[0] if venues else rep["venue"],
            "tags": ";".join(tags), "topic_hint": ";".join(topics), "sources": ";".join(sources),
            "n_sources": len(sources), "sections": " | ".join(sections), "n_records": len(g),
        })
        for r in g:
            if r is rep:
                continue
            on = ("arxiv" if r["arxiv_id"] and r["arxiv_id"] == rep["arxiv_id"]
                  else "doi" if r["doi"] and r["doi"] in dois[root] and r["doi"] == rep["doi"]
                  else "title")
            dup_rows.append({"record_id": rid, "list": r["list"], "file": r["file"],
                             "line": r["line"], "title": r["title"], "matched_on": on})
    unique = _frame(unique_rows, UNIQUE_COLUMNS)
    clash = unique["record_id"].duplicated(keep=False)
    if clash.any():  # e.g. two groups kept apart by different arXiv ids but one shared DOI
        unique.loc[clash, "record_id"] = [
            f"{rid}~{hashlib.sha1(s.encode()).hexdigest()[:6]}"
            for rid, s in unique.loc[clash, ["record_id", "sections"]].itertuples(index=False)
        ]
    unique = unique.sort_values("record_id", kind="stable").reset_index(drop=True)
    dups = _frame(dup_rows, DUPLICATE_COLUMNS)
    dups = dups.sort_values(["record_id", "list", "file", "line"], kind="stable")
    return unique, dups.reset_index(drop=True)


def identification_counts(
    records: pd.DataFrame, unique: pd.DataFrame, problems: pd.DataFrame | None = None,
    duplicates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """PRISMA identification numbers per list: entries (parsed + dropped), parsed, problems
    (rows reported), dropped, papers, with arXiv id, with GitHub repo, and duplicates removed
    (this list's records merged into a record kept from another row); plus an ``all`` row
    whose ``unique_after_dedup`` is the number of unique records."""
    problems = problems if problems is not None else _frame([], PROBLEM_COLUMNS)
    if duplicates is None:
        duplicates = deduplicate(records)[1]
    dup_counts = duplicates.groupby("list").size()
    rows = []
    for name in sorted(set(records["list"]) | set(problems["list"])):
        r = records[records["list"] == name]
        p = problems[problems["list"] == name]
        dropped = int((p["action"] == "dropped").sum())
        rows.append({
            "list": name, "entries": len(r) + dropped, "parsed": len(r), "problems": len(p),
            "dropped": dropped, "papers": int((r["kind"] == "paper").sum()),
            "with_arxiv_id": int((r["arxiv_id"].fillna("") != "").sum()),
            "with_github_repo": int((r["repo"].fillna("") != "").sum()),
            "duplicates_removed": int(dup_counts.get(name, 0)),
        })
    out = pd.DataFrame(rows)
    total = {"list": "all", **out.drop(columns="list").sum().to_dict()} if rows else {"list": "all"}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["unique_after_dedup"] = pd.array([None] * (len(out) - 1) + [len(unique)], dtype="Int64")
    return out

"""Identifier keys, one place: arXiv ids and months, DOIs, GitHub repositories, title keys."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

# the form of an arXiv identifier: new style YYMM.NNNN(N), old style archive(.XX)/YYMMNNN
ARXIV_ID = r"\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Za-z]{2})?/\d{7}"
_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html|format)/|huggingface\.co/papers/|alphaxiv\.org/(?:abs/)?"
    r"|\barxiv:\s*|10\.48550/arxiv\.)"
    rf"(?P<id>{ARXIV_ID})(?:v\d+)?(?!\d)",
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
    "orgs",
    "features",
    "topics",
    "sponsors",
    "settings",
    "marketplace",
    "apps",
    "collections",
    "about",
    "site",
    "advisories",
    "users",
    "login",
    "search",
    "explore",
    "pricing",
}
ACADEMIC_HOSTS = (
    "arxiv.org",
    "doi.org",
    "aclanthology.org",
    "aclweb.org",
    "openreview.net",
    "neurips.cc",
    "nips.cc",
    "proceedings.mlr.press",
    "mlr.press",
    "usenix.org",
    "ieeexplore.ieee.org",
    "computer.org",
    "dl.acm.org",
    "springer.com",
    "ojs.aaai.org",
    "aaai.org",
    "thecvf.com",
    "ecva.net",
    "ijcai.org",
    "semanticscholar.org",
    "sciencedirect.com",
    "nature.com",
    "ndss-symposium.org",
    "huggingface.co/papers",
    "iclr.cc",
    "icml.cc",
    "jmlr.org",
    "ssrn.com",
    "alphaxiv.org",
    "scirp.org",
    "themoonlight.io/paper",
    "acm.org",
    "mdpi.com",
    "researchgate.net",
    "biorxiv.org",
    "medrxiv.org",
    "zenodo.org",
    "pnas.org",
    "science.org",
    "wiley.com",
    "tandfonline.com",
    "iacr.org",
    "isca-archive.org",
    "ieee.org",
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

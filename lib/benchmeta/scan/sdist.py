"""Static requirements of an sdist, read from the archive in memory (never unpacked, never built).

Used when a package has no usable wheel: ``pick_sdist`` chooses the sdist from PyPI's JSON
``releases``, ``sdist_metadata`` reads its ``PKG-INFO``, ``*.egg-info/requires.txt`` or static
PEP 621 dependencies; ``None`` when a build would be needed to know.
"""

from __future__ import annotations

import io
import re
import tarfile
import zipfile
from email.parser import HeaderParser

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

MAX_SDIST_BYTES = 50_000_000
EGG_INFO = re.compile(r"^[^/]+/(?:[^/]+/)?[^/]+\.egg-info/")


def sdist_metadata(data: bytes, filename: str) -> list[str] | None:
    """``Requires-Dist`` of an sdist read in memory (never unpacked to disk, never built).

    ``PKG-INFO`` at metadata 2.2+ without ``Dynamic: Requires-Dist`` is static; otherwise
    ``*.egg-info/requires.txt`` (its base and ``[:marker]`` sections; extras skipped); an
    ``.egg-info`` folder (top level or under ``src/``) without ``requires.txt`` means no
    requirements; else the static PEP 621 ``[project] dependencies`` of its pyproject.toml.
    ``None``: not static (a build would be needed to know).
    """
    members = _archive_members(data, filename)
    if members is None:
        return None
    top = {n: b for n, b in members.items() if n.count("/") == 1}
    pkg = next((b for n, b in top.items() if n.endswith("/PKG-INFO")), None)
    if pkg is not None:
        meta = HeaderParser().parsestr(pkg.decode("utf-8", "replace"))
        try:
            mv = Version(meta.get("Metadata-Version", "1.0"))
        except InvalidVersion:
            mv = Version("1.0")
        dynamic = {d.lower() for d in meta.get_all("Dynamic") or []}
        if mv >= Version("2.2") and "requires-dist" not in dynamic:
            return [r for r in meta.get_all("Requires-Dist") or [] if "extra" not in r]
    eggs = [n for n in members if EGG_INFO.match(n)]
    if not eggs:
        return _pep621(top)
    req = next((members[n] for n in eggs if n.endswith(".egg-info/requires.txt")), None)
    return [] if req is None else _requires_txt(req.decode("utf-8", "replace"))


def _pep621(top: dict[str, bytes]) -> list[str] | None:
    """``[project] dependencies`` of the sdist's pyproject.toml when they are static (listed,
    or absent and not declared ``dynamic``: PEP 621 then means none)."""
    import tomllib

    raw = next((b for n, b in top.items() if n.endswith("/pyproject.toml")), None)
    if raw is None:
        return None
    try:
        project = tomllib.loads(raw.decode("utf-8", "replace")).get("project")
    except tomllib.TOMLDecodeError:
        return None
    if not isinstance(project, dict) or "dependencies" in (project.get("dynamic") or []):
        return None
    return [d for d in project.get("dependencies") or [] if isinstance(d, str)]


def _requires_txt(text: str) -> list[str]:
    out, marker, skip = [], "", False
    for line in (x.strip() for x in text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            extra, _, marker = section.partition(":")
            skip = bool(extra)
            continue
        if not skip:
            out.append(f"{line} ; {marker}" if marker else line)
    return out


def _archive_members(data: bytes, filename: str) -> dict[str, bytes] | None:
    """PKG-INFO and egg-info files of a .tar.gz/.tar.bz2/.zip sdist, read in memory."""
    wanted = re.compile(
        r"^[^/]+/(PKG-INFO|pyproject\.toml|(?:[^/]+/)?[^/]+\.egg-info/"
        r"(requires\.txt|PKG-INFO))$"
    )
    out: dict[str, bytes] = {}
    try:
        if filename.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    if wanted.match(info.filename) and info.file_size < 5_000_000:
                        out[info.filename] = zf.read(info)
                    elif EGG_INFO.match(info.filename):
                        out[info.filename] = b""
            return out
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tf:
            for m in tf:
                name = m.name.removeprefix("./")
                if m.isfile() and wanted.match(name) and m.size < 5_000_000:
                    fh = tf.extractfile(m)
                    out[name] = fh.read() if fh else b""
                elif m.isdir() and EGG_INFO.match(name.rstrip("/") + "/"):
                    out[name.rstrip("/") + "/"] = b""
        return out
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError):
        return None


def pick_sdist(releases: dict, spec: str, cutoff: str) -> tuple[str, str, str] | None:
    """(version, filename, url) of the newest non-yanked sdist uploaded before ``cutoff`` whose
    version satisfies ``spec`` (PyPI JSON API ``releases`` mapping)."""
    ss = SpecifierSet(spec) if spec else SpecifierSet()
    best = None
    for ver, files in releases.items():
        try:
            v = Version(ver)
        except InvalidVersion:
            continue
        if v not in ss and not (v.is_prerelease and ss.contains(v, prereleases=True)):
            continue
        for f in files:
            if f.get("packagetype") != "sdist" or f.get("yanked"):
                continue
            if (f.get("upload_time_iso_8601") or "9999")[:19] > cutoff[:19]:
                continue
            if best is None or v > best[0]:
                best = (v, f["filename"], f["url"])
    return (str(best[0]), best[1], best[2]) if best else None

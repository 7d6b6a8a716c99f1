"""A tiny package index on loopback for resolver tests: wheels and sdists built in memory,
served through pytest-httpserver as a PEP 691 JSON simple index (with upload times, so
``--exclude-newer`` applies) plus the PyPI JSON API that the sdist reader uses."""

from __future__ import annotations

import hashlib
import io
import json
import re
import tarfile
import zipfile
from dataclasses import dataclass, field

from werkzeug import Response


def wheel(
    name: str,
    version: str,
    requires: list[str] = (),
    tag: str = "py3-none-any",
    requires_python: str = "",
) -> tuple[str, bytes]:
    """(filename, bytes) of a minimal wheel holding one module ``<name>``."""
    dist = name.replace("-", "_")
    fname = f"{dist}-{version}-{tag}.whl"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    if requires_python:
        meta += f"Requires-Python: {requires_python}\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    info = f"{dist}-{version}.dist-info"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(f"{dist}/__init__.py", "")
        zf.writestr(f"{info}/METADATA", meta)
        zf.writestr(f"{info}/WHEEL", f"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: {tag}\n")
        zf.writestr(f"{info}/top_level.txt", f"{dist}\n")
        zf.writestr(f"{info}/RECORD", "")
    return fname, buf.getvalue()


def _wheel_metadata(data: bytes) -> bytes | None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        name = next((n for n in zf.namelist() if n.endswith(".dist-info/METADATA")), None)
        return zf.read(name) if name else None


def sdist(
    name: str,
    version: str,
    requires: list[str] = (),
    metadata: str = "2.2",
    egg_requires: str | None = None,
    pyproject: str | None = None,
    egg_prefix: str = "",
    setup_py: str = "raise SystemExit('never run')\n",
) -> tuple[str, bytes]:
    """(filename, bytes) of a .tar.gz sdist; ``egg_requires`` adds an egg-info requires.txt."""
    base = f"{name.replace('-', '_')}-{version}"
    pkg = f"Metadata-Version: {metadata}\nName: {name}\nVersion: {version}\n"
    pkg += "".join(f"Requires-Dist: {r}\n" for r in requires)
    files = {f"{base}/PKG-INFO": pkg, f"{base}/setup.py": setup_py}
    if egg_requires is not None:
        files[f"{base}/{egg_prefix}{name}.egg-info/requires.txt"] = egg_requires
        files[f"{base}/{egg_prefix}{name}.egg-info/PKG-INFO"] = pkg
    if pyproject is not None:
        files[f"{base}/pyproject.toml"] = pyproject
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for path, text in files.items():
            data = text.encode()
            ti = tarfile.TarInfo(path)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
    return f"{base}.tar.gz", buf.getvalue()


@dataclass
class LocalIndex:
    """Packages added with ``add``; ``serve(httpserver)`` registers every route."""

    files: dict[str, list[dict]] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)

    def add(
        self,
        name: str,
        version: str,
        built: tuple[str, bytes],
        uploaded: str,
        requires_python: str = "",
    ) -> None:
        fname, data = built
        self.blobs[fname] = data
        self.files.setdefault(name, []).append(
            {
                "filename": fname,
                "version": version,
                "uploaded": uploaded,
                "sha256": hashlib.sha256(data).hexdigest(),
                "requires_python": requires_python,
                "sdist": fname.endswith(".tar.gz"),
                "metadata": None if fname.endswith(".tar.gz") else _wheel_metadata(data),
            }
        )

    def serve(self, server) -> None:
        base = server.url_for("")
        for name, files in self.files.items():
            simple = {
                "meta": {"api-version": "1.1"},
                "name": name,
                "versions": sorted({f["version"] for f in files}),
                "files": [
                    {
                        "filename": f["filename"],
                        "url": f"{base}files/{f['filename']}",
                        "hashes": {"sha256": f["sha256"]},
                        "upload-time": f["uploaded"],
                        "requires-python": f["requires_python"] or None,
                        **(
                            {"core-metadata": {"sha256": hashlib.sha256(f["metadata"]).hexdigest()}}
                            if f["metadata"]
                            else {}
                        ),
                    }
                    for f in files
                ],
            }
            server.expect_request(f"/simple/{name}/").respond_with_response(
                Response(json.dumps(simple), content_type="application/vnd.pypi.simple.v1+json")
            )
            releases: dict[str, list] = {}
            for f in files:
                releases.setdefault(f["version"], []).append(
                    {
                        "filename": f["filename"],
                        "url": f"../../files/{f['filename']}",
                        "packagetype": "sdist" if f["sdist"] else "bdist_wheel",
                        "upload_time_iso_8601": f["uploaded"],
                        "yanked": False,
                    }
                )
            server.expect_request(f"/pypi/{name}/json").respond_with_json(
                {"info": {"name": name}, "releases": releases}
            )
        for files in self.files.values():
            for f in files:
                if f["metadata"]:
                    server.expect_request(f"/files/{f['filename']}.metadata").respond_with_data(
                        f["metadata"], content_type="application/octet-stream"
                    )
        for fname, data in self.blobs.items():
            server.expect_request(f"/files/{fname}").respond_with_data(
                data, content_type="application/octet-stream"
            )
        server.expect_request(re.compile(r"^/(simple|pypi)/.+$")).respond_with_data(
            "not found", status=404
        )

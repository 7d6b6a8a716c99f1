"""One repository's installability rows: its cut-off dates and target Pythons, each resolved
(cached by repo@sha + input hash + cut-off + Python + resolver version), and the sdist metadata
fetcher the resolver uses; ``collect.installability`` runs these over the corpus."""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urljoin

from ..core.paths import CACHE
from ..scan import sandbox
from ..scan.cache import ResultCache
from ..scan.dependencies import Declared, load
from ..scan.resolve import PLATFORM, Index, Resolution, input_hash, resolve, uv_version

COLLECTOR = "python -m benchmeta collect installability"
LOGIC = "3"  # bump when what a cached resolution means changes (part of the cache key)
DEFAULT_PYTHON = "3.10"
CURRENT_PYTHON = "3.13"
GPU = (
    "torch",
    "torchvision",
    "torchaudio",
    "jax",
    "jaxlib",
    "tensorflow",
    "xformers",
    "flash-attn",
    "vllm",
    "bitsandbytes",
    "deepspeed",
    "triton",
)
COLUMNS = [
    "repo",
    "commit_sha",
    "last_commit",
    "python_role",
    "python",
    "python_declared",
    "python_source",
    "index_role",
    "exclude_newer",
    "collection_date",
    "resolver",
    "resolver_version",
    "platform",
    "route",
    "dependency_files",
    "n_requirements",
    "n_conda",
    "conda_names",
    "url_names",
    "requirements",
    "flags",
    "input_sha256",
    "outcome",
    "sdist_packages",
    "blamed",
    "message",
    "n_resolved",
    "gpu_packages",
    "cuda_variant",
    "closure",
    "resolve_seconds",
    "resolver_calls",
]


def sdist_fetcher(index: Index, cache_dir: str | None):
    """``fetch(name, spec, cutoff) -> (version, requirements | None)`` for ``resolve``: the PyPI
    JSON API through our HTTP layer, the sdist downloaded into memory (at most
    ``MAX_SDIST_BYTES``) and its static metadata read; parsed results are cached by file URL."""
    from ..core import http
    from ..scan.sdist import MAX_SDIST_BYTES, pick_sdist, sdist_metadata

    session = http.make_session(Path(cache_dir or CACHE) / "http", cache_name="pypi_json")
    parsed = ResultCache(Path(cache_dir) / "sdists" if cache_dir else None)

    def fetch(name: str, spec: str, cutoff: str):
        try:
            return _fetch(name, spec, cutoff)
        except (http.FetchError, OSError, ValueError) as err:  # requests errors are OSErrors
            print(f"sdist of {name}: {http.redact(type(err).__name__)}", file=sys.stderr)
            return None

    def _fetch(name: str, spec: str, cutoff: str):
        api = f"{index.json_api}/{name}/json"
        got = http.get_json(session, api)
        if not got.found or not isinstance(got.data, dict):
            return None
        pick = pick_sdist(got.data.get("releases") or {}, spec, cutoff)
        if pick is None:
            return None
        key = parsed.key(name, pick[0], {"file": pick[1]}, {"logic": LOGIC})
        hit = parsed.get(key)
        if hit is not None:
            return pick[0], hit["requirements"]
        with session.cache_disabled() if hasattr(session, "cache_disabled") else _null():
            resp = session.get(urljoin(api, pick[2]), stream=True, timeout=http.TIMEOUT)
            resp.raise_for_status()
            data = b""
            for chunk in resp.iter_content(1 << 20):
                data += chunk
                if len(data) > MAX_SDIST_BYTES:
                    return None
        reqs = sdist_metadata(data, pick[1])
        parsed.put(key, {"requirements": reqs})
        return pick[0], reqs

    return fetch


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def cutoffs(
    last_commit: str, collection_date: dt.date, every_days: int = 0
) -> list[tuple[str, str]]:
    """(role, ISO UTC time) for --exclude-newer: the last commit, the collection date and, with
    ``every_days``, checkpoints ``commit+<k*every_days>d`` strictly between the two (for the
    time until the dependencies stop resolving)."""
    t = dt.datetime.fromisoformat(last_commit).astimezone(dt.UTC)
    end = dt.datetime.combine(collection_date, dt.time(), tzinfo=dt.UTC)
    out = [
        ("commit", t.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("collection", end.strftime("%Y-%m-%dT%H:%M:%SZ")),
    ]
    k = 1
    while every_days > 0 and t + dt.timedelta(days=k * every_days) < end:
        when = t + dt.timedelta(days=k * every_days)
        out.append((f"commit+{k * every_days}d", when.strftime("%Y-%m-%dT%H:%M:%SZ")))
        k += 1
    return out


def conda_name(spec: str) -> str:
    """The package name of a conda spec (``pytorch::pytorch=2.0=py3`` -> ``pytorch``)."""
    return re.split(r"[=<>!~ \[]", spec.split("::")[-1].strip(), maxsplit=1)[0].lower()


def _variant(closure: list[str]) -> tuple[str, str]:
    names = {c.split("==")[0]: c for c in closure}
    gpu = ";".join(names[n] for n in GPU if n in names)
    cuda = sorted(
        {
            n.rsplit("-cu", 1)[1]
            for n in names
            if n.startswith("nvidia-") and "-cu" in n and n.rsplit("-cu", 1)[1].isdigit()
        }
    )
    return gpu, ";".join(f"cu{c}" for c in cuda)


def repo_rows(
    repo: str,
    git_dir: str,
    rev: str,
    collection_date: dt.date,
    index: Index,
    cache_dir: str | None,
    fetch_sdists: bool = True,
    every_days: int = 0,
) -> dict:
    """All rows of one repository (4 resolutions, and one per checkpoint for the target
    Python), plus counts of cached and fresh resolver runs."""
    cache = ResultCache(Path(cache_dir) / "resolutions" if cache_dir else None)
    version = uv_version()
    with sandbox.isolated(git_dir) as gd:
        exists = sandbox.git(gd, "cat-file", "-e", f"{rev}^{{commit}}", check=False)
        sha, decl = load(str(gd), rev if exists.returncode == 0 else "HEAD")
        last = sandbox.git(gd, "log", "-1", "--format=%cI", sha).stdout.decode().strip()
    reqs = decl.requirements
    target = decl.target_python
    pythons = [("target", target or DEFAULT_PYTHON), ("current", CURRENT_PYTHON)]
    fetch = sdist_fetcher(index, cache_dir) if fetch_sdists else None
    rows, fresh, cached = [], 0, 0
    for index_role, cutoff in cutoffs(last, collection_date, every_days):
        for py_role, py in pythons if "+" not in index_role else pythons[:1]:
            if not reqs:
                res = Resolution(
                    "conda_only"
                    if decl.conda
                    else ("no_pep508_requirements" if decl.files else "no_declared_dependencies")
                )
            else:
                res, hit = _cached_resolution(
                    cache, repo, sha, version, index, fetch, reqs, cutoff, py
                )
                cached, fresh = cached + hit, fresh + (not hit)
            rows.append(
                _row(
                    repo,
                    sha,
                    last,
                    py_role,
                    py,
                    target,
                    decl,
                    index_role,
                    cutoff,
                    collection_date,
                    version,
                    res,
                )
            )
    return {"repo": repo, "rows": rows, "fresh": fresh, "cached": cached}


def _cached_resolution(
    cache: ResultCache,
    repo: str,
    sha: str,
    version: str,
    index: Index,
    fetch: object,
    reqs: list[str],
    cutoff: str,
    py: str,
) -> tuple[Resolution, bool]:
    """The resolution of ``reqs`` for ``py`` at ``cutoff`` and whether it came from the cache
    (keyed by repo@sha, uv version, platform, index, sdist use and the resolver logic)."""
    key = cache.key(
        repo,
        sha,
        {
            "uv": version,
            "platform": PLATFORM,
            "index": index.url,
            "sdists": bool(fetch),
            "logic": LOGIC,
        },
        {"input": input_hash(reqs), "cutoff": cutoff, "python": py},
    )
    hit = cache.get(key)
    if hit is not None:
        return Resolution(**hit), True
    res = resolve(reqs, py, cutoff, index, fetch)
    cache.put(key, asdict(res))
    return res, False


def _row(
    repo: str,
    sha: str,
    last: str,
    py_role: str,
    py: str,
    target: str | None,
    decl: Declared,
    index_role: str,
    cutoff: str,
    collection_date: dt.date,
    version: str,
    res: Resolution,
) -> dict:
    gpu, cuda = _variant(res.closure)
    return {
        "repo": repo,
        "commit_sha": sha,
        "last_commit": last,
        "python_role": py_role,
        "python": py,
        "python_declared": decl.python_spec,
        "python_source": decl.python_source
        if target
        else ("default" if py_role == "target" else ""),
        "index_role": index_role,
        "exclude_newer": cutoff,
        "collection_date": collection_date.isoformat(),
        "resolver": "uv pip compile",
        "resolver_version": version,
        "platform": PLATFORM,
        "route": decl.route,
        "dependency_files": ";".join(decl.files),
        "n_requirements": len(decl.requirements),
        "n_conda": len(decl.conda),
        "url_names": ";".join(sorted(set(decl.url_names))),
        "conda_names": ";".join(sorted({conda_name(c) for c in decl.conda} - {""})),
        "requirements": "|".join(decl.requirements),
        "flags": ";".join(decl.flags[:30]),
        "input_sha256": input_hash(decl.requirements) if decl.requirements else "",
        "outcome": res.outcome,
        "sdist_packages": ";".join(res.sdists),
        "blamed": ";".join(res.blamed),
        "message": res.message,
        "n_resolved": len(res.closure) if res.closure else None,
        "gpu_packages": gpu,
        "cuda_variant": cuda,
        "closure": ";".join(res.closure),
        "resolve_seconds": round(res.seconds, 2),
        "resolver_calls": res.calls,
    }


def item_rows(item: tuple) -> dict:
    """``repo_rows`` for one work item; an exception becomes that repository's error."""
    try:
        return repo_rows(*item)
    except Exception as err:  # one repository must not stop the others
        from ..scan.run import _NO_PATHS

        msg = _NO_PATHS.sub("<path>", f"{type(err).__name__}: {err}")
        return {"repo": item[0], "error": msg, "rows": [], "fresh": 0, "cached": 0}

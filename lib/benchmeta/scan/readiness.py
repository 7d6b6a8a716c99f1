"""Static readiness checks: can a newcomer see how to install and run it? Nothing is executed.

Every check answers ``"yes"``, ``"no"`` or ``"unknown"``. ``unknown`` means the repository did
not let us decide (README or licence blob missing from the snapshot, undecodable or too large,
no dependency declared to compute a pinned share from), never a silent pass or zero. A missing
README is a ``no`` for the README-based items: the absence is itself the finding.

The Papers-with-Code ML code completeness checklist has five items: dependencies specified,
training code, evaluation code, pre-trained models, and a README with results plus the command
that produces them. Regexes over-match (validate them by hand on a sample before reporting).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import PurePosixPath

YES, NO, UNKNOWN = "yes", "no", "unknown"

# repo2docker's configuration files, in its order of precedence (binder/ or .binder/ also).
REPO2DOCKER = [
    ("Dockerfile", "dockerfile"),
    ("environment.yml", "conda"),
    ("environment.yaml", "conda"),
    ("Pipfile.lock", "pipfile"),
    ("Pipfile", "pipfile"),
    ("requirements.txt", "pip"),
    ("setup.py", "setup.py"),
    ("pyproject.toml", "pyproject"),
    ("Project.toml", "julia"),
    ("install.R", "r"),
    ("DESCRIPTION", "r"),
    ("apt.txt", "apt"),
    ("postBuild", "postbuild"),
    ("runtime.txt", "runtime"),
    ("default.nix", "nix"),
]
SPDX = [
    ("Apache-2.0", r"apache license,?\s+version 2\.0"),
    ("AGPL-3.0", r"gnu affero general public license"),
    ("LGPL-3.0", r"gnu lesser general public license\s+version 3"),
    ("LGPL-2.1", r"gnu lesser general public license\s+version 2\.1"),
    ("GPL-3.0", r"gnu general public license\s+version 3"),
    ("GPL-2.0", r"gnu general public license\s+version 2"),
    ("MPL-2.0", r"mozilla public license,?\s+(version|v\.?)\s*2\.0"),
    ("CC-BY-NC-SA-4.0", r"attribution-noncommercial-sharealike 4\.0"),
    ("CC-BY-NC-4.0", r"attribution-noncommercial 4\.0"),
    ("CC-BY-SA-4.0", r"attribution-sharealike 4\.0"),
    ("CC-BY-4.0", r"creative commons attribution 4\.0|attribution 4\.0 international"),
    ("CC0-1.0", r"cc0 1\.0|creative commons zero"),
    ("Unlicense", r"this is free and unencumbered software released into the public domain"),
    ("MIT", r"permission is hereby granted, free of charge"),
    ("BSD-3-Clause", r"neither the name of .{0,200} nor the names of"),
    ("BSD-2-Clause", r"redistributions in binary form must reproduce"),
]
INSTALL_KINDS = {
    "pip": r"\bpip3? install\b|python -m pip install|\bpoetry install\b|\buv (pip|sync)\b",
    "conda": r"\bconda (env )?create\b|\bconda install\b|\bmamba (env )?create\b|"
    r"conda env update",
    "docker": r"\bdocker (build|run|pull|compose)\b|\bdocker-compose\b",
    "setup": r"setup\.py (install|develop)",
}
ETHICS = re.compile(
    r"ethic(s|al)\s+(statement|consideration|concern|use|guideline)|responsible(ly)?\s+(use|"
    r"disclosure|ai)|content warning|trigger warning|warning:?[^\n]{0,80}(offensive|harmful|"
    r"disturbing|toxic|upsetting)|(may|might|could) (contain|include|produce|generate)[^\n]{0,60}"
    r"(offensive|harmful|toxic|disturbing|unsafe)|for research purposes only|research use only|"
    r"potential (for )?misuse|intended (solely )?for research|broader impact|dual[- ]use",
    re.I,
)
DATA = re.compile(
    r"huggingface\.co/datasets|zenodo\.org|drive\.google\.com|figshare|kaggle\.com/datasets|"
    r"(download|obtain|access)[^\n]{0,60}(data|dataset|benchmark)|"
    r"(data|dataset)[^\n]{0,40}(is|are) (available|released|hosted|provided)|"
    r"load_dataset\(",
    re.I,
)
RUN_CMD = re.compile(
    r"^\s*(\$\s*)?(python3?|bash|sh|torchrun|accelerate launch|deepspeed|make)\s+[\w./-]+", re.M
)
MODELS = re.compile(
    r"huggingface\.co/(?!datasets)[\w-]+/[\w.-]+|(pre-?trained|fine-?tuned)\s+(model|checkpoint|"
    r"weight)s?[^\n]{0,80}(http|download|huggingface)|checkpoints?[^\n]{0,60}(http|download)",
    re.I,
)
RESULTS_TABLE = re.compile(r"^\s*\|?[^\n]*\|[^\n]*\n\s*\|?\s*:?-{3,}", re.M)


def _text(files: dict[str, bytes], path: str) -> str:
    return files[path][:500_000].decode("utf-8", "replace")


def _root(paths: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(p for p in paths if "/" not in p and p.lower().startswith(names))


def spdx_id(text: str) -> str | None:
    """The SPDX id of a licence text when one is recognisable."""
    t = re.sub(r"\s+", " ", text.lower())
    for sid, pat in SPDX:
        # GPL-family texts name each other in their bodies: decide those on the title only
        where = t[:400] if "GPL" in sid else t
        if re.search(pat, where):
            return sid
    return None


REQ_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._\-\[\],]*)\s*(.*)$")


def _req_pinned(spec: str) -> bool:
    return bool(re.search(r"===?\s*[\w.*+!-]+", spec)) and "==*" not in spec


def dependencies(files: dict[str, bytes]) -> list[tuple[str, bool]]:
    """(name, pinned) for declared dependencies, read statically from the usual files."""
    deps: list[tuple[str, bool]] = []
    for path in sorted(files):
        name = PurePosixPath(path).name.lower()
        if "/" in path and not path.lower().startswith(("binder/", ".binder/")):
            continue
        text = _text(files, path)
        if name.startswith("requirements") and name.endswith((".txt", ".in")):
            for line in text.splitlines():
                line = line.split("#", 1)[0].strip()
                if not line or line.startswith(("-", "git+", "http")):
                    continue
                m = REQ_LINE.match(line.split(";", 1)[0])
                if m:
                    deps.append((m.group(1).lower(), _req_pinned(m.group(2))))
        elif name in {"environment.yml", "environment.yaml"}:
            for line in text.splitlines():
                m = re.match(r"^\s*-\s+([A-Za-z0-9][\w.\-]*)\s*(.*)$", line)
                if m and m.group(1) not in {"pip"} and not line.strip().endswith(":"):
                    spec = m.group(2)
                    pinned = bool(re.match(r"^(==|=)\s*\d", spec.strip()))
                    deps.append((m.group(1).lower(), pinned))
        elif name == "pyproject.toml":
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                continue
            for d in data.get("project", {}).get("dependencies", []) or []:
                m = REQ_LINE.match(str(d).split(";", 1)[0])
                if m:
                    deps.append((m.group(1).lower(), _req_pinned(m.group(2))))
        elif name == "setup.py":
            m = re.search(r"install_requires\s*=\s*\[([^\]]*)\]", text, re.S)
            for s in re.findall(r"[\"']([^\"']+)[\"']", m.group(1) if m else ""):
                r = REQ_LINE.match(s)
                if r:
                    deps.append((r.group(1).lower(), _req_pinned(r.group(2))))
    return deps


def _readme(paths: list[str], files: dict[str, bytes]) -> tuple[str, str]:
    """The root README text(s) and their state: ``NO`` none, ``UNKNOWN`` none was read."""
    readmes = _root(paths, ("readme",))
    readable = [p for p in readmes if p in files]
    if not readmes:
        return "", NO
    if not readable:
        return "", UNKNOWN
    return "\n".join(_text(files, p) for p in readable), YES


def _from_readme(readme: str, state: str, pattern: re.Pattern | str) -> str:
    """``YES`` / ``NO`` whether the README matches ``pattern``; the README's state if unread."""
    if state != YES:
        return state
    pat = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, re.I | re.M)
    return YES if pat.search(readme) else NO


def _install(readme: str, state: str) -> dict:
    """Install instructions in the README (a known install command or heading) and their kinds."""
    kinds = [k for k, pat in INSTALL_KINDS.items() if re.search(pat, readme, re.I)]
    has_heading = bool(
        re.search(
            r"^(#+|\.\.)?\s*(install|setup|set up|getting started|"
            r"requirements|environment)",
            readme,
            re.I | re.M,
        )
    )
    instructions = state if state != YES else (YES if kinds or has_heading else NO)
    return {"install_instructions": instructions, "install_kind": ";".join(kinds)}


def _environment(paths: list[str]) -> dict:
    """An environment specification repo2docker would use (root, ``binder/``, ``.binder/``) or
    a root ``requirements*.txt``."""
    lower = {p.lower(): p for p in paths}
    env_kinds = []
    for fname, kind in REPO2DOCKER:
        for prefix in ("", "binder/", ".binder/"):
            if (prefix + fname).lower() in lower and kind not in env_kinds:
                env_kinds.append(kind)
    if (
        any(
            "/" not in p and p.lower().startswith("requirements") and p.endswith(".txt")
            for p in paths
        )
        and "pip" not in env_kinds
    ):
        env_kinds.append("pip")
    return {
        "environment_spec": YES if env_kinds else NO,
        "environment_kinds": ";".join(env_kinds),
    }


def _pinning(files: dict[str, bytes]) -> dict:
    """How many dependencies are declared and which share is pinned."""
    deps = dependencies(files)
    return {
        "n_dependencies": len(deps),
        "pinned_share": sum(p for _, p in deps) / len(deps) if deps else None,
        "pinned": UNKNOWN if not deps else (YES if all(p for _, p in deps) else NO),
    }


def _licence(paths: list[str], files: dict[str, bytes], readme: str, state: str) -> dict:
    """A licence file, a packaging ``license =`` or a README sentence, and its SPDX id."""
    licences = _root(paths, ("license", "licence", "copying"))
    lic_texts = [_text(files, p) for p in licences if p in files]
    sid = next((s for s in map(spdx_id, lic_texts) if s), None)
    if licences:
        licence = YES
    else:
        declared = any(
            re.search(r"^\s*license\s*=", _text(files, p), re.M | re.I)
            for p in ("pyproject.toml", "setup.py", "setup.cfg")
            if p in files
        )
        licence = YES if declared else (UNKNOWN if state == UNKNOWN else NO)
    if not sid and state == YES and licence == NO:
        m = re.search(r"licen[cs]ed? under (the )?([^\n.]{3,60})", readme, re.I)
        if m:
            licence = YES
            sid = spdx_id(m.group(2)) or spdx_id(m.group(2) + " license")
    return {"licence": licence, "licence_spdx": sid or (UNKNOWN if licence != NO else "")}


def _statements(paths: list[str], files: dict[str, bytes], readme: str, state: str) -> dict:
    """Ethics statement (a root file or the README), data availability, entry points."""
    ethics_files = _root(paths, ("ethics", "disclaimer", "responsible"))
    entry = (
        bool(
            re.search(
                r"\[(project\.scripts|tool\.poetry\.scripts)\]",
                _text(files, "pyproject.toml"),
                re.I,
            )
        )
        if "pyproject.toml" in files
        else False
    )
    return {
        "ethics_statement": YES if ethics_files else _from_readme(readme, state, ETHICS),
        "data_availability": _from_readme(readme, state, DATA),
        "entry_points": YES if entry else _from_readme(readme, state, RUN_CMD),
    }


def _pwc(paths: list[str], readme: str, state: str, environment_spec: str) -> dict:
    """The Papers with Code checklist items and how many are yes / unknown."""
    py = [p.lower() for p in paths if p.endswith((".py", ".ipynb", ".sh"))]

    def has_code(pattern: str) -> str:
        rx = re.compile(pattern)  # a match in the name is a match in the path
        return YES if any(rx.search(p) for p in py) else NO

    out = {
        "pwc_dependencies": environment_spec,
        "pwc_training_code": has_code(r"(^|[/_-])(train|finetun|fine_tun|sft|dpo|rlhf)"),
        "pwc_evaluation_code": has_code(r"(^|[/_-])(eval|evaluat|benchmark|judge|score|test_)"),
        "pwc_pretrained_models": _from_readme(readme, state, MODELS),
    }
    if state != YES:
        out["pwc_results"] = state
    else:
        table = bool(RESULTS_TABLE.search(readme))
        out["pwc_results"] = YES if table and RUN_CMD.search(readme) else NO
    items = list(out.values())
    out["pwc_items_yes"] = sum(v == YES for v in items)
    out["pwc_items_unknown"] = sum(v == UNKNOWN for v in items)
    return out


def check(paths: list[str], files: dict[str, bytes]) -> dict:
    """All readiness items of one repository (``paths``: the tree; ``files``: texts read)."""
    readme, state = _readme(paths, files)
    out: dict = {"readme": state}
    out.update(_install(readme, state))
    out.update(_environment(paths))
    out.update(_pinning(files))
    out.update(_licence(paths, files, readme, state))
    out.update(_statements(paths, files, readme, state))
    out.update(_pwc(paths, readme, state, out["environment_spec"]))
    return out

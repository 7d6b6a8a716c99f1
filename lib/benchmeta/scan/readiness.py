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


def check(paths: list[str], files: dict[str, bytes]) -> dict:
    """All readiness items of one repository (``paths``: the tree; ``files``: texts read)."""
    readmes = _root(paths, ("readme",))
    readable = [p for p in readmes if p in files]
    out: dict = {}
    if not readmes:
        readme, readme_state = "", NO
    elif not readable:
        readme, readme_state = "", UNKNOWN
    else:
        readme, readme_state = "\n".join(_text(files, p) for p in readable), YES
    out["readme"] = readme_state

    def from_readme(pattern: re.Pattern | str) -> str:
        if readme_state != YES:
            return readme_state
        pat = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, re.I | re.M)
        return YES if pat.search(readme) else NO

    kinds = [k for k, pat in INSTALL_KINDS.items() if re.search(pat, readme, re.I)]
    has_heading = bool(
        re.search(
            r"^(#+|\.\.)?\s*(install|setup|set up|getting started|"
            r"requirements|environment)",
            readme,
            re.I | re.M,
        )
    )
    if readme_state != YES:
        out["install_instructions"] = readme_state
    else:
        out["install_instructions"] = YES if kinds or has_heading else NO
    out["install_kind"] = ";".join(kinds)

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
    out["environment_spec"] = YES if env_kinds else NO
    out["environment_kinds"] = ";".join(env_kinds)

    deps = dependencies(files)
    out["n_dependencies"] = len(deps)
    out["pinned_share"] = sum(p for _, p in deps) / len(deps) if deps else None
    out["pinned"] = UNKNOWN if not deps else (YES if all(p for _, p in deps) else NO)

    licences = _root(paths, ("license", "licence", "copying"))
    lic_texts = [_text(files, p) for p in licences if p in files]
    sid = next((s for s in map(spdx_id, lic_texts) if s), None)
    if licences:
        out["licence"] = YES
    else:
        declared = any(
            re.search(r"^\s*license\s*=", _text(files, p), re.M | re.I)
            for p in ("pyproject.toml", "setup.py", "setup.cfg")
            if p in files
        )
        out["licence"] = YES if declared else (UNKNOWN if readme_state == UNKNOWN else NO)
    if not sid and readme_state == YES and out["licence"] == NO:
        m = re.search(r"licen[cs]ed? under (the )?([^\n.]{3,60})", readme, re.I)
        if m:
            out["licence"] = YES
            sid = spdx_id(m.group(2)) or spdx_id(m.group(2) + " license")
    out["licence_spdx"] = sid or (UNKNOWN if out["licence"] != NO else "")

    ethics_files = _root(paths, ("ethics", "disclaimer", "responsible"))
    if ethics_files:
        out["ethics_statement"] = YES
    else:
        out["ethics_statement"] = from_readme(ETHICS)
    out["data_availability"] = from_readme(DATA)
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
    out["entry_points"] = YES if entry else from_readme(RUN_CMD)

    py = [p.lower() for p in paths if p.endswith((".py", ".ipynb", ".sh"))]

    def has_code(pattern: str) -> str:
        rx = re.compile(pattern)  # a match in the name is a match in the path
        return YES if any(rx.search(p) for p in py) else NO

    out["pwc_dependencies"] = out["environment_spec"]
    out["pwc_training_code"] = has_code(r"(^|[/_-])(train|finetun|fine_tun|sft|dpo|rlhf)")
    out["pwc_evaluation_code"] = has_code(r"(^|[/_-])(eval|evaluat|benchmark|judge|score|test_)")
    out["pwc_pretrained_models"] = from_readme(MODELS)
    if readme_state != YES:
        out["pwc_results"] = readme_state
    else:
        table = bool(RESULTS_TABLE.search(readme))
        out["pwc_results"] = YES if table and RUN_CMD.search(readme) else NO
    items = [out[k] for k in out if k.startswith("pwc_")]
    out["pwc_items_yes"] = sum(v == YES for v in items)
    out["pwc_items_unknown"] = sum(v == UNKNOWN for v in items)
    return out

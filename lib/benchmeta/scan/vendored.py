"""Find third-party code copied into a repository, so quality measures the paper's own code.

Signals, each giving a reason recorded per file (first match wins, outermost folder first):
``vendor_dir`` (a path component such as ``site-packages``, ``third_party``, ``vendor``),
``known_package`` (a folder named like a well-known PyPI package, optionally with a version, as
``transformers-4.28.1/``, holding Python files; not when it is the repository's own name, and
generic names such as ``datasets`` or ``openai`` only with a version suffix),
``nested_project`` (a sub-folder with its own packaging file AND its own licence file),
``copyright_header`` (a file whose header names a well-known third-party copyright holder
that the repository's own licence does not name).

Two exemptions, applied to every rule: a top-level package (first folder, or ``src/<name>``)
named like the repository (``NeMo-Guardrails`` ~ ``nemoguardrails``, separators and case
ignored) or declared in the repository's own root ``pyproject.toml`` / ``setup.py`` /
``setup.cfg`` (read as text, never run) is the repository's own code (``own_package``); and a
copyright header of the repository owner's organisation is not third-party (``owner_holder``).
The owner-to-holder table is data, ``copyright_holders.csv`` beside this module: ``header`` rows
map a header phrase to a holder, ``owner`` rows a GitHub owner (case-insensitive) to a holder.

``classify`` gives the decision per file; ``evidence`` every rule that matched a file, with its
outcome (``rule:detail=vendored`` or ``=exempt(own_package)`` / ``=exempt(owner_holder)`` /
``=exempt(licence)``), so each rule's decision can be validated by hand later.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

VENDOR_DIRS = {
    "site-packages",
    "dist-packages",
    "third_party",
    "third-party",
    "thirdparty",
    "3rdparty",
    "3rd_party",
    "vendor",
    "vendored",
    "_vendor",
    "externals",
    "extern",
    "node_modules",
    "deps",
}

# Import names of large, frequently copied packages in ML research code.
KNOWN_PACKAGES = {
    "transformers",
    "peft",
    "fastchat",
    "langchain",
    "langchain_core",
    "langchain_community",
    "langchain-templates",
    "trl",
    "accelerate",
    "datasets",
    "diffusers",
    "vllm",
    "deepspeed",
    "megatron",
    "bitsandbytes",
    "torch",
    "torchvision",
    "numpy",
    "scipy",
    "sklearn",
    "tokenizers",
    "huggingface_hub",
    "openai",
    "anthropic",
    "timm",
    "open_clip",
    "clip",
    "lavis",
    "llava",
    "minigpt4",
    "fairseq",
    "allennlp",
    "nltk",
    "spacy",
    "gym",
    "gymnasium",
    "textattack",
    "lm_eval",
    "lm-evaluation-harness",
    "alpaca_eval",
    "evaluate",
    "sentencepiece",
    "flash_attn",
    "xformers",
    "apex",
    "jax",
    "flax",
    "tensorflow",
    "keras",
    "pytorch_lightning",
    "lightning",
    "ray",
    "guidance",
    "llama_index",
    "autogen",
    "mmcv",
    "detectron2",
    "segment_anything",
    "visualwebarena",
    "webarena",
    "alpaca_farm",
    "safe_rlhf",
    "opencompass",
    "helm",
    "promptbench",
    "garak",
    "nemoguardrails",
    "llama_recipes",
    "bigcode_eval",
    "human_eval",
    "openrlhf",
    "tqdm",
    "requests",
    "six",
}

# Names that research code also uses for its own folders (``datasets/``, ``evaluate/``, a
# wrapper ``openai/`` sub-package): they count only with a version suffix (``datasets-2.14.0``).
GENERIC = {
    "datasets",
    "evaluate",
    "openai",
    "anthropic",
    "clip",
    "helm",
    "ray",
    "gym",
    "gymnasium",
    "lightning",
    "guidance",
    "autogen",
    "human_eval",
    "requests",
    "six",
    "tqdm",
    "jax",
    "flax",
    "keras",
    "torch",
    "numpy",
    "scipy",
    "webarena",
    "apex",
}

PACKAGING = {"setup.py", "pyproject.toml", "setup.cfg"}
LICENCE_PREFIXES = ("license", "licence", "copying")
HOLDERS = re.compile(
    r"copyright[^\n]{0,40}?\b(the huggingface|huggingface|google|facebook|meta platforms|"
    r"microsoft|openai|nvidia|the apache software foundation|python software foundation|"
    r"deepmind|salesforce|allen institute|eleutherai|lmsys|the tensorflow authors|"
    r"the pytorch|alibaba|baidu|tencent|intel corporation|ibm|amazon)",
    re.I,
)
_VERSIONED = re.compile(r"^(?P<name>[A-Za-z][\w.-]*?)[-_]v?\d+(\.\d+)+$")


HOLDERS_CSV = Path(__file__).with_name("copyright_holders.csv")


def _norm(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _squash(name: str) -> str:
    return re.sub(r"[-_.\s]", "", name.lower())


@cache
def holder_table() -> tuple[dict[str, str], dict[str, str]]:
    """``(header phrase -> holder, GitHub owner -> holder)`` from ``copyright_holders.csv``."""
    header, owner = {}, {}
    with HOLDERS_CSV.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            (header if row["kind"] == "header" else owner)[row["key"].lower()] = row["holder"]
    return header, owner


_DECLARED = [
    re.compile(r"^\s*name\s*=\s*[\"']([A-Za-z0-9][\w.-]*)[\"']", re.M),  # toml / cfg
    re.compile(r"\bname\s*=\s*[\"']([A-Za-z0-9][\w.-]*)[\"']"),  # setup(name=)
    re.compile(r"\binclude\s*=\s*[\"']([A-Za-z_]\w*)[\"']"),  # poetry packages
    re.compile(r"^\s*packages\s*=\s*([A-Za-z_]\w*)\s*$", re.M),  # setup.cfg
]
_LIST = re.compile(r"\bpackages\s*=\s*\[([^\]]*)\]")


def own_packages(repo: str, texts: dict[str, bytes]) -> set[str]:
    """Squashed names that are the repository's own: its name, and packages its root
    packaging files declare (literal names only; nothing is executed)."""
    own = {_squash(repo.split("/")[-1])} if repo else set()
    for name in ("pyproject.toml", "setup.py", "setup.cfg"):
        text = texts.get(name, b"")[:200_000].decode("utf-8", "replace")
        for rx in _DECLARED:
            own |= {_squash(m) for m in rx.findall(text)}
        for m in _LIST.findall(text):
            own |= {_squash(x) for x in re.findall(r"[\"']([A-Za-z_][\w.]*)[\"']", m)}
    return own - {""}


def _top_package(parts: tuple[str, ...]) -> str:
    if len(parts) > 2 and parts[0] == "src":
        return parts[1]
    return parts[0] if len(parts) > 1 else ""


_KNOWN = {_norm(n) for n in KNOWN_PACKAGES}


def _package_name(component: str) -> str | None:
    """The package a folder name refers to, if it is a known one (``transformers-4.28.1``)."""
    m = _VERSIONED.match(component)
    base = _norm(m.group("name") if m else component)
    if base not in _KNOWN or (base in GENERIC and not m):
        return None
    return base


def evidence(
    paths: Iterable[str], repo: str = "", texts: dict[str, bytes] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Every rule that matched each path: ``[(rule:detail, outcome), ...]`` in rule order."""
    texts = texts or {}
    paths = sorted(paths)
    own = own_packages(repo, texts) | {_squash(p) for p in repo.split("/") if p}
    header_holder, owner_holder = holder_table()
    owner = owner_holder.get(repo.split("/")[0].lower()) if repo else None
    root_licence = " ".join(
        texts[p][:4000].decode("utf-8", "replace").lower()
        for p in texts
        if "/" not in p and p.lower().startswith(LICENCE_PREFIXES)
    )
    dir_rules = _dir_rules(paths, repo)
    out: dict[str, list[tuple[str, str]]] = {}
    for p in paths:
        parts = tuple(p.split("/"))
        exempt = "exempt(own_package)" if _squash(_top_package(parts)) in own else ""
        found: list[tuple[str, str]] = []
        for i in range(1, len(parts)):
            for rule, own_name in dir_rules("/".join(parts[:i])):
                found.append((rule, "exempt(own_package)" if own_name else exempt or "vendored"))
        if p.endswith(".py") and p in texts:
            head = texts[p][:3000].decode("utf-8", "replace")
            if m := HOLDERS.search(head):
                phrase = m.group(1).lower()
                holder = header_holder.get(phrase, phrase)
                if owner and holder == owner:
                    outcome = "exempt(owner_holder)"
                elif phrase in root_licence or holder.lower() in root_licence:
                    outcome = "exempt(licence)"
                else:
                    outcome = exempt or "vendored"
                found.append((f"copyright_header:{phrase}", outcome))
        out[p] = found
    return out


def _dir_rules(paths: list[str], repo: str):
    """A cached function: the folder rules matching at a path prefix."""
    by_dir: dict[str, set[str]] = {}
    py_dirs: set[str] = set()
    for p in paths:
        parts = p.split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i])
            by_dir.setdefault(prefix, set()).add(parts[i].lower())
            if p.endswith(".py"):
                py_dirs.add(prefix)
    nested = {
        d
        for d, names in by_dir.items()
        if names & PACKAGING and any(n.startswith(LICENCE_PREFIXES) for n in names)
    }

    repo_names = {_norm(x) for x in repo.split("/")} | {_squash(repo.split("/")[-1])}

    @cache
    def dir_rules(prefix: str) -> tuple[tuple[str, bool], ...]:
        """Folder rules matching at ``prefix``: (rule:detail, names an own package)."""
        comp = prefix.rsplit("/", 1)[-1]
        found = []
        if comp.lower() in VENDOR_DIRS:
            found.append((f"vendor_dir:{prefix}", False))
        if (name := _package_name(comp)) and prefix in py_dirs:
            found.append(
                (f"known_package:{prefix}", name in repo_names or _squash(name) in repo_names)
            )
        if prefix in nested:
            found.append((f"nested_project:{prefix}", False))
        return tuple(found)

    return dir_rules


def decide(found: list[tuple[str, str]]) -> str:
    """The decision from a path's evidence: the first rule that was not exempted, or ``""``."""
    return next((rule for rule, outcome in found if outcome == "vendored"), "")


def classify(
    paths: Iterable[str], repo: str = "", texts: dict[str, bytes] | None = None
) -> dict[str, str]:
    """Reason each path is vendored (``""`` when it is the repository's own code).

    ``paths`` are all file paths of the tree; ``texts`` the contents read (for licences,
    packaging files and headers); ``repo`` is ``owner/name``."""
    return {p: decide(f) for p, f in evidence(paths, repo, texts).items()}


def evidence_text(found: list[tuple[str, str]]) -> str:
    """One CSV field: ``rule:detail=outcome;...``."""
    return ";".join(f"{rule}={outcome}" for rule, outcome in found)

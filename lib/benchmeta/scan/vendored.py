"""Find third-party code copied into a repository, so quality measures the paper's own code.

Signals, each giving a reason recorded per file (first match wins, outermost folder first):
``vendor_dir`` (a path component such as ``site-packages``, ``third_party``, ``vendor``),
``known_package`` (a folder named like a well-known PyPI package, optionally with a version, as
``transformers-4.28.1/``, holding Python files; not when it is the repository's own name, and
generic names such as ``datasets`` or ``openai`` only with a version suffix),
``nested_project`` (a sub-folder with its own packaging file AND its own licence file),
``copyright_header`` (a file whose header names a well-known third-party copyright holder
that the repository's own licence does not name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

VENDOR_DIRS = {"site-packages", "dist-packages", "third_party", "third-party", "thirdparty",
               "3rdparty", "3rd_party", "vendor", "vendored", "_vendor", "externals", "extern",
               "node_modules", "deps"}

# Import names of large, frequently copied packages in ML research code.
KNOWN_PACKAGES = {
    "transformers", "peft", "fastchat", "langchain", "langchain_core", "langchain_community",
    "langchain-templates", "trl", "accelerate", "datasets", "diffusers", "vllm", "deepspeed",
    "megatron", "bitsandbytes", "torch", "torchvision", "numpy", "scipy", "sklearn",
    "tokenizers", "huggingface_hub", "openai", "anthropic", "timm", "open_clip", "clip",
    "lavis", "llava", "minigpt4", "fairseq", "allennlp", "nltk", "spacy", "gym", "gymnasium",
    "textattack", "lm_eval", "lm-evaluation-harness", "alpaca_eval", "evaluate", "sentencepiece",
    "flash_attn", "xformers", "apex", "jax", "flax", "tensorflow", "keras", "pytorch_lightning",
    "lightning", "ray", "guidance", "llama_index", "autogen", "mmcv", "detectron2",
    "segment_anything", "visualwebarena", "webarena", "alpaca_farm", "safe_rlhf", "opencompass",
    "helm", "promptbench", "garak", "nemoguardrails", "llama_recipes", "bigcode_eval",
    "human_eval", "openrlhf", "tqdm", "requests", "six",
}

# Names that research code also uses for its own folders (``datasets/``, ``evaluate/``, a
# wrapper ``openai/`` sub-package): they count only with a version suffix (``datasets-2.14.0``).
GENERIC = {"datasets", "evaluate", "openai", "anthropic", "clip", "helm", "ray", "gym",
           "gymnasium", "lightning", "guidance", "autogen", "human_eval", "requests", "six",
           "tqdm", "jax", "flax", "keras", "torch", "numpy", "scipy", "webarena", "apex"}

PACKAGING = {"setup.py", "pyproject.toml", "setup.cfg"}
LICENCE_PREFIXES = ("license", "licence", "copying")
HOLDERS = re.compile(
    r"copyright[^\n]{0,40}?\b(the huggingface|huggingface|google|facebook|meta platforms|"
    r"microsoft|openai|nvidia|the apache software foundation|python software foundation|"
    r"deepmind|salesforce|allen institute|eleutherai|lmsys|the tensorflow authors|"
    r"the pytorch|alibaba|baidu|tencent|intel corporation|ibm|amazon)", re.I)
_VERSIONED = re.compile(r"^(?P<name>[A-Za-z][\w.-]*?)[-_]v?\d+(\.\d+)+$")


def _norm(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


_KNOWN = {_norm(n) for n in KNOWN_PACKAGES}


def _package_name(component: str) -> str | None:
    """The package a folder name refers to, if it is a known one (``transformers-4.28.1``)."""
    m = _VERSIONED.match(component)
    base = _norm(m.group("name") if m else component)
    if base not in _KNOWN or (base in GENERIC and not m):
        return None
    return base


def classify(paths: Iterable[str], repo: str = "", texts: dict[str, bytes] | None = None
             ) -> dict[str, str]:
    """Reason each path is vendored (``""`` when it is the repository's own code).

    ``paths`` are all file paths of the tree; ``texts`` the contents read (for licences and
    headers); ``repo`` is ``owner/name``, whose name never counts as a known package.
    """
    texts = texts or {}
    paths = sorted(paths)
    own = {_norm(p) for p in repo.split("/") if p}
    root_licence = " ".join(
        texts[p][:4000].decode("utf-8", "replace").lower() for p in texts
        if "/" not in p and p.lower().startswith(LICENCE_PREFIXES))

    by_dir: dict[str, set[str]] = {}
    for p in paths:
        parts = PurePosixPath(p).parts
        for i in range(1, len(parts)):
            by_dir.setdefault("/".join(parts[:i]), set()).add(parts[i].lower())
    nested = {d for d, names in by_dir.items()
              if names & PACKAGING and any(n.startswith(LICENCE_PREFIXES) for n in names)}
    py_dirs = {"/".join(PurePosixPath(p).parts[:i]) for p in paths if p.endswith(".py")
               for i in range(1, len(PurePosixPath(p).parts))}

    out: dict[str, str] = {}
    for p in paths:
        parts = PurePosixPath(p).parts
        reason = ""
        for i in range(1, len(parts)):
            comp, prefix = parts[i - 1], "/".join(parts[:i])
            if comp.lower() in VENDOR_DIRS:
                reason = f"vendor_dir:{prefix}"
            elif (name := _package_name(comp)) and name not in own and prefix in py_dirs:
                reason = f"known_package:{prefix}"
            elif prefix in nested:
                reason = f"nested_project:{prefix}"
            if reason:
                break
        if not reason and p.endswith(".py") and p in texts:
            head = texts[p][:3000].decode("utf-8", "replace")
            m = HOLDERS.search(head)
            if m and m.group(1).lower() not in root_licence:
                reason = f"copyright_header:{m.group(1).lower()}"
        out[p] = reason
    return out

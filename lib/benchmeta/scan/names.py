"""File names from untrusted trees: written losslessly to CSV, and mapped to a temporary tree.

A git path is bytes. ``encode_path`` writes it as text when it is plain (valid UTF-8, no control
character, not starting with ``hex:``), otherwise as ``hex:`` followed by the hexadecimal of its
bytes, so every name (invalid UTF-8, a carriage return or newline in a folder name) survives a
CSV round trip and ``decode_path`` gives the original bytes back. Paths arrive here as ``str``
decoded with ``surrogateescape`` (as ``headtree.list_tree`` gives them).

``temp_names`` maps the Python files to be linted onto names that are safe to create on disk: a
component that is not plain is replaced by ``_x<hex>`` (``.py`` kept; same folder structure, so
packages and imports stay as they were). A component longer than 255 bytes, or a file whose name
clashes with another's on disk (case-insensitive file systems, a file where a folder must be),
is left out and recorded with its reason rather than reported as linted with no messages.
"""

from __future__ import annotations

import unicodedata

HEX = "hex:"
MAX_COMPONENT_BYTES = 255


def to_bytes(path: str) -> bytes:
    return path.encode("utf-8", "surrogateescape")


def _plain(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(unicodedata.category(c) in ("Cc", "Cs") for c in text)


def encode_path(path: str) -> str:
    """Lossless text form of a (surrogate-escaped) path, safe in any CSV field."""
    if _plain(path) and not path.startswith(HEX):
        return path
    return HEX + to_bytes(path).hex()


def decode_path(text: str) -> bytes:
    """The original bytes of an ``encode_path`` value."""
    if text.startswith(HEX):
        return bytes.fromhex(text[len(HEX) :])
    return text.encode("utf-8")


def _component(part: str) -> str:
    if _plain(part):
        return part
    stem, dot, ext = part.rpartition(".")
    if dot and ext in ("py", "pyi") and stem:  # keep the suffix: pylint lints by it
        return "_x" + to_bytes(stem).hex() + "." + ext
    return "_x" + to_bytes(part).hex()


def temp_names(paths: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """``(tree path -> temporary path, skipped path -> reason)`` for files to write."""
    mapped: dict[str, str] = {}
    skipped: dict[str, str] = {}
    taken: dict[str, str] = {}  # case-folded temp path -> tree path
    folders: set[str] = set()
    for path in sorted(paths):
        parts = [_component(p) for p in path.split("/")]
        if any(len(p.encode()) > MAX_COMPONENT_BYTES for p in parts):
            skipped[path] = "name_too_long"
            continue
        tmp = "/".join(parts)
        dirs = {"/".join(parts[:i]).casefold() for i in range(1, len(parts))}
        key = tmp.casefold()
        if key in taken or key in folders or any(d in taken for d in dirs):
            skipped[path] = "name_clash"
            continue
        taken[key] = path
        folders |= dirs
        mapped[path] = tmp
    return mapped, skipped

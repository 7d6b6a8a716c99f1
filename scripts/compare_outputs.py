"""Record or compare the sha256 of every output (data_processed/ and figures/).

A refactor proves it changed no result:

    python scripts/compare_outputs.py record before.json   # old code, after make reproduce
    python scripts/compare_outputs.py compare before.json  # new code, after reproduce --force

``compare`` exits 1 and lists every file that was added, removed or changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("data_processed", "figures")


def digests(root: Path = ROOT) -> dict[str, str]:
    """sha256 of every file under the output folders, keyed by path relative to ``root``."""
    out = {}
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                out[path.relative_to(root).as_posix()] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return out


def compare(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Lines describing every difference between two digest maps (empty when identical)."""
    lines = [f"removed  {p}" for p in sorted(set(before) - set(after))]
    lines += [f"added    {p}" for p in sorted(set(after) - set(before))]
    lines += [f"changed  {p}" for p in sorted(set(before) & set(after)) if before[p] != after[p]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "compare"])
    parser.add_argument("file", type=Path, help="JSON file of digests")
    args = parser.parse_args(argv)
    now = digests()
    if args.action == "record":
        args.file.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"recorded {len(now)} files in {args.file}")
        return 0
    diff = compare(json.loads(args.file.read_text()), now)
    print("\n".join(diff) if diff else f"identical: {len(now)} files")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())

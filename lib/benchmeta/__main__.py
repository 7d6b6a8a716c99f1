"""Command line: ``python -m benchmeta verify|reproduce|collect <what>|scan``.

Each collector lives in its own module and exposes ``main(argv) -> int``; this file only
dispatches, so adding a collector is one line in ``COLLECTORS``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, one-line help). Local importers read a folder given on the command line;
# online collectors reach the network and write checkpoints under data_raw/.
COLLECTORS: dict[str, tuple[str, str]] = {
    "leaderboards": ("benchmeta.collect.local_leaderboards", "import leaderboard files from a folder"),
    "models": ("benchmeta.collect.local_models", "import model metadata files from a folder"),
    "records": ("benchmeta.collect.local_records", "parse curated paper lists from a folder"),
    "influence": ("benchmeta.collect.influence", "S2 + OpenAlex for the included papers"),
    "github": ("benchmeta.collect.github", "GitHub repository metadata and issue reply times"),
    "records-online": ("benchmeta.collect.records_online", "S2 bulk search + arXiv by query"),
}


def _collect(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COLLECTORS:
        print("usage: python -m benchmeta collect <what> [options]\n\ncollectors:")
        for name, (_, text) in sorted(COLLECTORS.items()):
            print(f"  {name:<16} {text}")
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    module = importlib.import_module(COLLECTORS[argv[0]][0])
    return int(module.main(argv[1:]) or 0)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m benchmeta", description=__doc__)
    parser.add_argument("command", choices=["verify", "reproduce", "collect", "scan"])
    if not argv or argv[0] in {"-h", "--help"}:
        parser.print_help()
        return 0
    command, rest = argv[0], argv[1:]
    if command == "collect":
        return _collect(rest)
    if command == "scan":
        return int(importlib.import_module("benchmeta.scan.cli").main(rest) or 0)
    if command == "verify":
        from . import manifest

        df = manifest.verify()
        print(f"data_raw: {len(df)} files match their MANIFEST sha256")
        return 0
    if command == "reproduce":
        from . import reproduce

        return reproduce.main(rest)
    parser.error(f"unknown command {command!r}")
    return 2


if __name__ == "__main__":
    sys.exit(main())

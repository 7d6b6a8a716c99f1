"""Command line: ``python -m benchmeta verify|reproduce|collect <what>|scan|manifest add``.

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
    "leaderboards": (
        "benchmeta.collect.local_leaderboards",
        "import leaderboard files from a folder",
    ),
    "leaderboards-git": (
        "benchmeta.collect.git_leaderboards",
        "extract dated leaderboards from local git mirrors (--mirrors FOLDER)",
    ),
    "models": ("benchmeta.collect.local_models", "import model metadata files from a folder"),
    "publication-dates": (
        "benchmeta.collect.publication_dates",
        "when each leaderboard last changed its results file (--mirrors FOLDER)",
    ),
    "model-matching": (
        "benchmeta.collect.model_matching",
        "match the committed leaderboards' model names to dated models again",
    ),
    "match-audit-sheet": (
        "benchmeta.collect.match_audit_sheet",
        "draw the hand-check sample of the model matcher",
    ),
    "records": ("benchmeta.collect.local_records", "parse curated paper lists from a folder"),
    "screening": (
        "benchmeta.collect.local_screening",
        "audit sample, hand screening, adjudications, dedup pairs",
    ),
    "repos": (
        "benchmeta.collect.local_repos",
        "scan the included papers' repositories from mirrors",
    ),
    "benchmark-repos": (
        "benchmeta.collect.benchmark_repos",
        "scan the benchmark registry's repositories outside the 02-04 corpus (--mirrors FOLDER)",
    ),
    "reference-lines": (
        "benchmeta.collect.reference_lines",
        "locate every reference line of the scanned repositories (adoption evidence)",
    ),
    "citations": (
        "benchmeta.collect.local_citations",
        "citation facts (Jailbreak-Observatory) from a folder",
    ),
    "influence": ("benchmeta.collect.influence", "S2 + OpenAlex for the included papers"),
    "github": ("benchmeta.collect.github", "GitHub repository metadata and issue reply times"),
    "installability": (
        "benchmeta.collect.installability",
        "resolve the scanned repositories' declared dependencies (uv, wheels only)",
    ),
    "imports": (
        "benchmeta.collect.imports",
        "third-party imports of the scanned repositories and the modules their wheels ship",
    ),
    "pwc-checklist": (
        "benchmeta.collect.pwc_checklist",
        "Papers-with-Code checklist labels and our readiness detectors on those repositories",
    ),
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


def _manifest(argv: list[str]) -> int:
    """``manifest add FILE --source ... --licence ...``: record a hand-added raw file."""
    import datetime as dt
    from pathlib import Path

    from .core import manifest
    from .core.paths import DATA_RAW

    p = argparse.ArgumentParser(
        prog="python -m benchmeta manifest add",
        description="Record a file you put under data_raw/ in MANIFEST.csv.",
    )
    p.add_argument("action", choices=["add"])
    p.add_argument("file", type=Path, help="the file, inside data_raw/")
    p.add_argument("--source", required=True, help="where the data comes from (who, what, version)")
    p.add_argument("--url", default="", help="where it can be retrieved")
    p.add_argument("--licence", required=True, help="its licence (SPDX id where there is one)")
    p.add_argument("--retrieved-at", default=dt.date.today().isoformat())
    p.add_argument("--attribution", default="")
    a = p.parse_args(argv)
    try:
        rel = a.file.resolve().relative_to(DATA_RAW.resolve()).as_posix()
    except ValueError:
        p.error(f"{a.file} is not inside data_raw/")
    manifest.record(
        [
            manifest.Entry(
                path=rel,
                source=a.source,
                url=a.url,
                retrieved_at=a.retrieved_at,
                sha256="",
                licence=a.licence,
                collector="hand-added",
                attribution=a.attribution,
            )
        ]
    )
    print(f"recorded data_raw/{rel} in data_raw/MANIFEST.csv")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m benchmeta", description=__doc__)
    parser.add_argument("command", choices=["verify", "reproduce", "collect", "scan", "manifest"])
    if not argv or argv[0] in {"-h", "--help"}:
        parser.print_help()
        return 0
    command, rest = argv[0], argv[1:]
    if command == "collect":
        return _collect(rest)
    if command == "scan":
        return int(importlib.import_module("benchmeta.scan.cli").main(rest) or 0)
    if command == "manifest":
        return _manifest(rest)
    if command == "verify":
        from .core import manifest

        df = manifest.verify()
        print(f"data_raw: {len(df)} files match their MANIFEST sha256")
        return 0
    if command == "reproduce":
        from . import reproduce

        return reproduce.main(rest)
    parser.error(f"unknown command {command!r}")
    return 2


def run() -> int:
    """``main`` with bad input reported as one clear line instead of a traceback."""
    from .core.credentials import SecretError, redact
    from .core.errors import InputError

    try:
        return main()
    except (InputError, SecretError) as err:
        print(redact(f"error: {err}"), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(run())

"""Bad command-line values of ``python -m benchmeta scan`` are argparse errors (exit 2)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["--executor", "dask"], "--scheduler"),
        (["--repos", "not-a-repo"], "'not-a-repo'"),
    ],
)
def test_scan_cli_bad_values_are_argparse_errors(tmp_path, capsys, args, what):
    from benchmeta.scan.cli import main

    base = ["--mirrors", str(tmp_path), "--out", str(tmp_path / "r.csv")]
    with pytest.raises(SystemExit) as err:
        main([*base, "--reference-date", "2024-06-01", *args])
    assert err.value.code == 2 and what in capsys.readouterr().err

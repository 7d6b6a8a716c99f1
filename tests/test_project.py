"""The compendium's own promises: layout, environment files that agree, MANIFEST integrity."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from benchmeta.core import manifest

ROOT = Path(__file__).resolve().parents[1]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        assert m, f"requirements.txt: not an exact pin: {line!r}"
        pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return pins


def _names(reqs: list[str]) -> set[str]:
    return {
        re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0]).lower() for r in reqs
    }


def test_layout_is_the_designs():
    for name in [
        "README.md",
        "Makefile",
        "pyproject.toml",
        "requirements.txt",
        "environment.yml",
        "CITATION.cff",
        "LICENSE",
        "LICENSE-DATA",
        ".ci/run",
        "lib/benchmeta/__init__.py",
        "notebooks",
        "data_raw/MANIFEST.csv",
        "data_processed/datapackage.json",
        "figures",
        "tests",
    ]:
        assert (ROOT / name).exists(), name


def test_every_pyproject_dependency_is_pinned_in_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _names(project["dependencies"]) | _names(project["optional-dependencies"]["test"])
    pins = _pins()
    assert not wanted - set(pins), f"unpinned: {sorted(wanted - set(pins))}"
    for must in [
        "jupyterlab",
        "pandas",
        "matplotlib",
        "statsmodels",
        "requests",
        "radon",
        "pylint",
        "papermill",
    ]:
        assert must in pins


def test_environment_yml_agrees():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps and "pip" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert pip == ["-r requirements.txt", "-e ."]
    assert (
        tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
        == ">=3.11"
    )


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make reproduce" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_manifest_matches_every_raw_file():
    df = manifest.verify(ROOT / "data_raw")
    assert len(df) > 0
    assert (df[["source", "retrieved_at", "licence", "collector"]] != "").all().all()


def test_no_machine_paths_committed():
    bad = re.compile(r"/(work|tmp|root|home)/[A-Za-z]")
    for sub in ["lib", "data_raw", "data_processed", "notebooks", "README.md"]:
        base = ROOT / sub
        files = [base] if base.is_file() else [p for p in base.rglob("*") if p.is_file()]
        for f in files:
            if f.suffix in {".png", ".pdf", ".pyc"} or "__pycache__" in f.parts:
                continue
            text = f.read_text(errors="ignore")
            m = bad.search(text)
            assert m is None, (
                f"{f.relative_to(ROOT)}: machine path {text[m.start() : m.start() + 40]!r}"
            )


@pytest.mark.parametrize(
    "path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name
)
def test_notebook_shape(path):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one parameters cell"
    import ast

    for node in ast.parse(params[0].source).body:  # literals only
        assert isinstance(node, ast.Assign), ast.dump(node)
        ast.literal_eval(node.value)
    assert "provenance" in nb.cells[-1].source
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, "committed notebook has an error output"
    assert nb.metadata.get("benchmeta", {}).get("fingerprint"), "not run by make reproduce"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name
)
def test_committed_notebook_is_current(path):
    """The executed notebook matches today's code, data and outputs: `make reproduce` on a fresh
    clone skips it and leaves git status clean."""
    from benchmeta import reproduce

    current, why = reproduce.is_current(path, {}, ROOT)
    assert current, f"{path.name}: {why}; run `make reproduce` and commit the result"


def test_ruff_clean():
    import subprocess
    import sys

    res = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "lib", "tests", "notebooks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout[-3000:]


def test_import_contracts_hold():
    """import-linter: layers import downward only; figures import only core and stats; only
    collectors use the HTTP layer (contracts in pyproject.toml)."""
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).with_name("lint-imports")
    res = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert "0 broken" in res.stdout

"""The reproduce runner: skips unchanged notebooks, reruns changed ones, output is byte-stable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from benchmeta.core import manifest

ROOT = Path(__file__).resolve().parents[1]

CELLS = [
    ("markdown", "# 01 · Tiny\n\nA notebook for testing the runner."),
    ("code", "n = 3"),
    (
        "code",
        "import pandas as pd\nfrom tqdm import tqdm\nfrom benchmeta.core import tables\n"
        "from benchmeta.core.paths import DATA_RAW\n"
        "df = pd.read_csv(DATA_RAW / 'x.csv').head(n)\n"
        "for _ in tqdm(range(3), desc='work'):\n    pass\n"
        "from benchmeta.core import schemas\nschemas.declare('tiny', {'a': 'integer'})\n"
        "tables.write_table(df, 'tiny', notebook='01_tiny', description='test')\n"
        "print(DATA_RAW)",
    ),
    ("code", "# provenance\nprint('done')"),
]


@pytest.fixture
def compendium(tmp_path: Path) -> Path:
    root = tmp_path / "c"
    (root / "data_raw").mkdir(parents=True)
    for sub in ["notebooks", "data_processed", "figures"]:
        (root / sub).mkdir()
    shutil.copy(ROOT / "pyproject.toml", root)
    shutil.copy(ROOT / "requirements.txt", root)
    shutil.copytree(ROOT / "lib", root / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "data_raw" / "x.csv").write_text("a\n1\n2\n3\n4\n")
    manifest.record(
        [manifest.Entry("x.csv", "t", "", "2026-01-01", "", "CC0-1.0", "t")], root / "data_raw"
    )
    nb = nbformat.v4.new_notebook()
    for kind, src in CELLS:
        cell = (nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell)(
            src
        )
        nb.cells.append(cell)
    nb.cells[1].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "notebooks" / "01_tiny.ipynb")
    return root


def run(root: Path, *args: str) -> str:
    env = {**os.environ, "BENCHMETA_ROOT": str(root), "PYTHONPATH": str(root / "lib")}
    res = subprocess.run(
        [sys.executable, "-m", "benchmeta", "reproduce", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for sub in ["notebooks", "data_processed", "figures"]
        for p in (root / sub).rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
@pytest.mark.xdist_group("notebook")
def test_skip_rerun_and_byte_stability(compendium):
    out = run(compendium)
    assert "run  01_tiny.ipynb: never run" in out
    first = snapshot(compendium)
    nb_text = first["notebooks/01_tiny.ipynb"].decode()
    assert str(compendium) not in nb_text and "<repo>/data_raw" in nb_text  # no machine path
    assert "it/s" not in nb_text and "work: 100%" in nb_text  # progress bar kept, timings gone
    assert "start_time" not in nb_text

    assert "skip 01_tiny.ipynb: unchanged" in run(compendium)
    assert snapshot(compendium) == first

    run(compendium, "--force")  # a forced rerun on unchanged inputs is byte-identical
    assert snapshot(compendium) == first

    (compendium / "data_processed" / "tiny.csv").unlink()  # a missing output triggers a rerun
    assert "outputs changed or missing" in run(compendium)
    assert snapshot(compendium) == first

    (compendium / "data_raw" / "x.csv").write_text("a\n9\n8\n7\n")  # new input data
    manifest.record(
        [manifest.Entry("x.csv", "t", "", "2026-01-02", "", "CC0-1.0", "t")],
        compendium / "data_raw",
    )
    assert "inputs changed" in run(compendium)
    assert (compendium / "data_processed" / "tiny.csv").read_text() == "a\n9\n8\n7\n"


def test_reproduce_refuses_a_tampered_raw_file(compendium):
    (compendium / "data_raw" / "x.csv").write_text("tampered\n")
    env = {**os.environ, "BENCHMETA_ROOT": str(compendium), "PYTHONPATH": str(compendium / "lib")}
    res = subprocess.run(
        [sys.executable, "-m", "benchmeta", "reproduce"],
        cwd=compendium,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode != 0 and "MANIFEST.csv:2: sha256 mismatch for x.csv" in res.stderr


def _notebook(path: Path, *sources: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# test"))
    nb.cells.append(nbformat.v4.new_code_cell("n = 1"))
    nb.cells[1].metadata["tags"] = ["parameters"]
    for src in sources:
        nb.cells.append(nbformat.v4.new_code_cell(src))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def _record(root: Path, rel: str, text: str) -> None:
    (root / "data_raw" / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / "data_raw" / rel).write_text(text)
    manifest.record(
        [manifest.Entry(rel, "t", "", "2026-01-01", "", "CC0-1.0", "t")], root / "data_raw"
    )


@pytest.fixture
def two_notebooks(compendium: Path) -> Path:
    """01 reads one raw file and writes a table; 02 globs a raw folder and reads 01's table."""
    (compendium / "notebooks" / "01_tiny.ipynb").unlink()
    _record(compendium, "boards/a.csv", "s\n1\n")
    _notebook(
        compendium / "notebooks" / "01_first.ipynb",
        "import pandas as pd\nfrom benchmeta.core import tables\n"
        "from benchmeta.core.paths import DATA_RAW\n"
        "from benchmeta.core import schemas\nschemas.declare('first', {'a': 'integer'})\n"
        "tables.write_table(pd.read_csv(DATA_RAW / 'x.csv'), 'first', notebook='01_first',"
        " description='t')",
    )
    _notebook(
        compendium / "notebooks" / "02_second.ipynb",
        "import pandas as pd\nfrom benchmeta.core import tables\n"
        "from benchmeta.core.paths import DATA_RAW\n"
        "files = sorted((DATA_RAW / 'boards').glob('*.csv'))\n"
        "boards = pd.concat(pd.read_csv(p) for p in files)\n"
        "t = tables.read_table('first')\n"
        "from benchmeta.core import schemas\nschemas.declare('second', {'s': 'integer'})\n"
        "tables.write_table(boards, 'second', notebook='02_second', description='t')",
    )
    return compendium


@pytest.mark.slow
@pytest.mark.xdist_group("notebook")
def test_a_notebook_reruns_only_for_its_own_inputs(two_notebooks):
    # --jobs 1: the serial runner (the other notebook tests use the default, side by side)
    root = two_notebooks
    run(root, "--jobs", "1")
    nb2 = nbformat.read(root / "notebooks" / "02_second.ipynb", as_version=4)
    assert nb2.metadata["benchmeta"]["inputs"] == [
        "data_processed/first.csv",
        "data_raw/boards/",
        "data_raw/boards/a.csv",
    ]
    first = snapshot(root)
    _record(root, "boards/b.csv", "s\n2\n")  # a new board: only 02 globs that folder
    out = run(root, "--jobs", "1")
    assert "skip 01_first.ipynb" in out and "run  02_second.ipynb: its code" in out
    after = snapshot(root)
    assert after["data_processed/first.csv"] == first["data_processed/first.csv"]
    assert after["data_processed/second.csv"] != first["data_processed/second.csv"]
    _record(root, "x.csv", "a\n5\n")  # 01's input: 01 reruns, and 02 because it reads 01's table
    out = run(root, "--jobs", "1")
    assert "run  01_first.ipynb" in out and "run  02_second.ipynb" in out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_kernel_side_watchdog_ends_with_its_runner(tmp_path, compendium):
    """With BENCHMETA_RUNNER_PID set, importing benchmeta ends the process once that pid dies."""
    import time

    runner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    env = {
        **os.environ,
        "BENCHMETA_ROOT": str(compendium),
        "PYTHONPATH": str(compendium / "lib"),
        "BENCHMETA_RUNNER_PID": str(runner.pid),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", "import benchmeta, time; time.sleep(60)"], env=env
    )
    time.sleep(1.5)
    assert child.poll() is None  # alive while its runner is
    runner.kill()
    runner.wait()
    child.wait(timeout=10)
    assert child.returncode == 137


def test_reads_are_recorded_and_own_writes_are_not(tmp_path, compendium):
    log = tmp_path / "reads.txt"
    code = (
        "import os, pandas as pd\n"
        "from benchmeta.core import atomic, reads\n"
        "from benchmeta.core.paths import DATA_RAW, DATA_PROCESSED\n"
        "pd.read_csv(DATA_RAW / 'x.csv')\n"
        "list((DATA_RAW).glob('*.csv'))\n"
        "atomic.write_text(DATA_PROCESSED / 'mine.csv', 'a\\n1\\n')\n"
        "open(DATA_PROCESSED / 'mine.csv').read()\n"
        "open(DATA_RAW / 'MANIFEST.csv').read()\n"
        "print(reads.recorded())\n"
    )
    env = {
        **os.environ,
        "BENCHMETA_ROOT": str(compendium),
        "PYTHONPATH": str(compendium / "lib"),
        "BENCHMETA_READS": str(log),
    }
    res = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr
    assert log.read_text().split() == ["data_raw/x.csv", "data_raw/"]


@pytest.mark.slow
@pytest.mark.xdist_group("notebook")
def test_sigkill_during_a_notebook_leaves_nothing_behind(compendium):
    """kill -9 of the runner's process group mid-notebook: no temporary file stays in the tree,
    the kernel stops (it writes nothing afterwards), and the next run completes."""
    import signal
    import time

    (compendium / "notebooks" / "01_tiny.ipynb").unlink()
    _notebook(
        compendium / "notebooks" / "01_slow.ipynb",
        "import time\nfrom benchmeta.core.paths import ROOT\ntime.sleep(4)\n"
        "(ROOT / 'figures' / '01_late.txt').write_text('kernel outlived its runner')",
    )
    env = {**os.environ, "BENCHMETA_ROOT": str(compendium), "PYTHONPATH": str(compendium / "lib")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmeta", "reproduce"],
        cwd=compendium,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list((compendium / ".cache" / "tmp").glob(".01_*")):
        time.sleep(0.1)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(5)
    assert not (compendium / "figures" / "01_late.txt").exists()
    stray = [
        p
        for p in compendium.rglob(".*")
        if p.is_file() and ".cache" not in p.parts and "lib" not in p.parts
    ]
    assert stray == []
    run(compendium)
    assert not list((compendium / ".cache" / "tmp").glob(".*"))


def _write_many(folder: str, prefix: str) -> None:
    import pandas as pd

    from benchmeta.core import schemas, tables

    for i in range(15):
        schemas.declare(f"{prefix}{i}", {"a": "integer"})
        tables.write_table(
            pd.DataFrame({"a": [i]}),
            f"{prefix}{i}",
            notebook=f"0{prefix}",
            description="t",
            folder=Path(folder),
        )


def test_datapackage_updates_of_two_processes_are_all_kept(tmp_path):
    """write_table's read-modify-write of datapackage.json is serialised across processes."""
    import multiprocessing as mp

    from benchmeta.core import tables

    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_write_many, args=(str(tmp_path), p)) for p in "12"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    names = [r["name"] for r in tables.read_package(tmp_path)["resources"]]
    assert names == sorted(f"{p}{i}" for p in "12" for i in range(15))
    assert sorted(x.name for x in tmp_path.iterdir()) == sorted(
        ["datapackage.json", *(f"{p}{i}.csv" for p in "12" for i in range(15))]
    )  # no lock file or temporary file left


WRITE = (
    "import time, pandas as pd\nfrom benchmeta.core import schemas, tables\n"
    "from benchmeta.core.paths import DATA_RAW\n"
    "print('start', time.time())\ntime.sleep(2)\n"
    "schemas.declare('{name}', {{'a': 'integer'}})\n"
    "tables.write_table(pd.read_csv(DATA_RAW / 'x.csv'), '{name}', notebook='{nb}',"
    " description='t')\nprint('end', time.time())"
)


def _times(root: Path, name: str) -> tuple[float, float]:
    nb = nbformat.read(root / "notebooks" / name, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    words = text.split()
    return float(words[words.index("start") + 1]), float(words[words.index("end") + 1])


@pytest.fixture
def three_notebooks(compendium: Path) -> Path:
    """01 writes a table; 02 reads it; 03 reads only raw data (independent of 01 and 02)."""
    (compendium / "notebooks" / "01_tiny.ipynb").unlink()
    nbs = compendium / "notebooks"
    _notebook(nbs / "01_a.ipynb", WRITE.format(name="a", nb="01_a"))
    _notebook(
        nbs / "02_b.ipynb",
        "from benchmeta.core import tables\nt = tables.read_table('a')",
        WRITE.format(name="b", nb="02_b"),
    )
    _notebook(nbs / "03_c.ipynb", WRITE.format(name="c", nb="03_c"))
    return compendium


def _processed(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(root).items() if k.startswith("data_processed/")}


@pytest.mark.slow
@pytest.mark.xdist_group("notebook")
def test_independent_notebooks_run_side_by_side(three_notebooks):
    root = three_notebooks
    run(root, "--jobs", "2")  # never run: nothing is known of their inputs, so one after another
    a, b, c = (_times(root, f) for f in ("01_a.ipynb", "02_b.ipynb", "03_c.ipynb"))
    assert a[1] <= b[0] and b[1] <= c[0]
    serial = _processed(root)

    out = run(root, "--force", "--jobs", "2")
    a, b, c = (_times(root, f) for f in ("01_a.ipynb", "02_b.ipynb", "03_c.ipynb"))
    assert c[0] < a[1]  # 03 read no table of 01: it ran beside it
    assert a[1] <= b[0]  # 02 read 01's table: it waited for it
    assert "01_a.ipynb done in" in out and "03_c.ipynb done in" in out
    assert _processed(root) == serial  # datapackage.json and tables as a serial run wrote them
    assert "skip 02_b.ipynb" in run(root, "--jobs", "2")  # the skip logic is unchanged

    # 03 now reads 01's table, which its last run did not: it starts beside 01 as before and is
    # kept, since the table it read came out of 01's run byte for byte as it was
    path = root / "notebooks" / "03_c.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].source = "from benchmeta.core import tables\nt = tables.read_table('a')\n" + (
        nb.cells[2].source
    )
    nbformat.write(nb, path)
    out = run(root, "--force", "--only", "01", "03", "--jobs", "2")
    a, c = _times(root, "01_a.ipynb"), _times(root, "03_c.ipynb")
    assert c[0] < a[1] and "03_c.ipynb done in" in out and "again" not in out
    meta = nbformat.read(path, as_version=4).metadata["benchmeta"]
    assert "data_processed/a.csv" in meta["inputs"]

    # 01 now writes a different table: 03, which read the old one beside it, is not committed
    # and runs again after 01
    nb01 = root / "notebooks" / "01_a.ipynb"
    nb = nbformat.read(nb01, as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("'x.csv')", "'x.csv').head(2)")
    nbformat.write(nb, nb01)
    out = run(root, "--force", "--only", "01", "03", "--jobs", "2")
    assert "again 03_c.ipynb: a.csv changed while it ran" in out
    a, c = _times(root, "01_a.ipynb"), _times(root, "03_c.ipynb")
    assert a[1] <= c[0]

    # 02 waits for 01 (it read 01's table); with a slot free it starts ahead of 01 on the
    # committed table, and is kept because 01 writes that table again unchanged
    out = run(root, "--force", "--only", "01", "02", "--jobs", "2")
    assert "run  02_b.ipynb: ahead of 01" in out and "again" not in out
    a, b = _times(root, "01_a.ipynb"), _times(root, "02_b.ipynb")
    assert b[0] < a[1] and "02_b.ipynb done in" in out
    assert "skip 02_b.ipynb" in run(root, "--jobs", "2")

    # 02 now reads a table that 01 only starts writing in this run: run ahead, it fails for want
    # of it, and runs again after 01
    nb = nbformat.read(nb01, as_version=4)
    nb.cells[2].source += (
        "\nschemas.declare('a2', {'a': 'integer'})\n"
        "tables.write_table(pd.read_csv(DATA_RAW / 'x.csv'), 'a2', notebook='01_a',"
        " description='t')"
    )
    nbformat.write(nb, nb01)
    nb02 = root / "notebooks" / "02_b.ipynb"
    nb = nbformat.read(nb02, as_version=4)
    nb.cells[2].source += "\nt2 = tables.read_table('a2')"
    nbformat.write(nb, nb02)
    out = run(root, "--force", "--only", "01", "02", "--jobs", "2")
    assert "run  02_b.ipynb: ahead of 01" in out
    assert "again 02_b.ipynb: failed while earlier notebooks ran" in out
    assert (
        "data_processed/a2.csv" in nbformat.read(nb02, as_version=4).metadata["benchmeta"]["inputs"]
    )

    # 02 fails while 01 is current and 03 (deps: 01) runs beside it: 03 finishes, 02's committed
    # notebook is untouched, the run exits 1
    before = (root / "notebooks" / "02_b.ipynb").read_bytes()
    nb = nbformat.read(root / "notebooks" / "02_b.ipynb", as_version=4)
    nb.cells[2].source = "raise ValueError('broken on purpose')"
    nbformat.write(nb, root / "notebooks" / "02_b.ipynb")
    broken = (root / "notebooks" / "02_b.ipynb").read_bytes()
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].source += "\n# changed"
    nbformat.write(nb, path)
    env = {**os.environ, "BENCHMETA_ROOT": str(root), "PYTHONPATH": str(root / "lib")}
    res = subprocess.run(
        [sys.executable, "-m", "benchmeta", "reproduce", "--jobs", "2"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 1, res.stdout + res.stderr
    assert "FAILED 02_b.ipynb" in res.stderr and "broken on purpose" in res.stderr
    assert "skip 01_a.ipynb" in res.stdout and "03_c.ipynb done in" in res.stdout
    assert (root / "notebooks" / "02_b.ipynb").read_bytes() == broken != before
    assert (root / ".cache" / "failed" / "02_b.ipynb").exists()

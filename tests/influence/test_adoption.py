import pandas as pd

from benchmeta.influence import adoption
from benchmeta.scan import references as refs_mod

USER = {
    "README.md": b"We evaluate on [HarmBench](https://github.com/centerforaisafety/HarmBench.git) "
    b"and https://huggingface.co/datasets/walledai/AdvBench. Paper: arXiv:2402.04249\n",
    "requirements.txt": b"# deps\ntorch==2.1\nstrong-reject>=0.1\n-e .\n",
    "run.py": b"import os\nfrom jailbreakbench.classifier import Llama\nfrom . import local\n",
    "broken.py": b"def f(:\n",
    "image.png": b"github.com/not/text",
}


def test_references_kinds_and_normalisation():
    refs = refs_mod.references(USER)
    got = set(map(tuple, refs[["kind", "value"]].to_numpy()))
    assert ("github", "centerforaisafety/harmbench") in got
    assert ("hf_dataset", "walledai/advbench") in got and ("arxiv", "2402.04249") in got
    assert ("requirement", "strong-reject") in got and ("requirement", "torch") in got
    assert ("import", "jailbreakbench") in got and ("import", "os") not in got  # stdlib left out
    assert not any(v == "not/text" for v in refs["value"])  # binary files are not read


def test_identifiers_drop_generic_packages():
    files = {
        "setup.py": b"setup(name='jailbreakbench', version='1')",
        "utils/__init__.py": b"",
        "jailbreakbench/__init__.py": b"",
        "README.md": b"data: https://huggingface.co/datasets/JailbreakBench/JBB-Behaviors",
    }
    ids = refs_mod.identifiers("JailbreakBench/jailbreakbench", files)
    got = set(map(tuple, ids.to_numpy()))
    assert ("github", "jailbreakbench/jailbreakbench") in got
    assert ("package", "jailbreakbench") in got and ("package", "utils") not in got
    assert ("hf_dataset", "jailbreakbench/jbb-behaviors") in got


def test_adoption_joins_and_excludes_self():
    refs = pd.concat(
        [
            refs_mod.references(USER).assign(repo="someone/attack"),
            pd.DataFrame(
                {
                    "repo": ["jailbreakbench/jailbreakbench"],
                    "kind": ["import"],
                    "value": ["jailbreakbench"],
                    "path": ["x.py"],
                }
            ),
        ]
    )
    ids = pd.concat(
        [
            refs_mod.identifiers(
                "JailbreakBench/jailbreakbench", {"jailbreakbench/__init__.py": b""}
            ).assign(benchmark_repo="JailbreakBench/jailbreakbench"),
            pd.DataFrame(
                {
                    "benchmark_repo": ["centerforaisafety/HarmBench"],
                    "kind": ["github"],
                    "value": ["centerforaisafety/harmbench"],
                }
            ),
        ]
    )
    edges = adoption.legacy_edges(refs, ids)
    assert edges.to_dict("records") == [
        {
            "benchmark_repo": "JailbreakBench/jailbreakbench",
            "repo": "someone/attack",
            "via": "import",
        },
        {
            "benchmark_repo": "centerforaisafety/HarmBench",
            "repo": "someone/attack",
            "via": "github",
        },
    ]
    counts = adoption.adoption_counts(["centerforaisafety/HarmBench", "x/unused"], edges)
    assert counts["adopters"].tolist() == [1, 0]


def _lines() -> pd.DataFrame:
    from benchmeta.scan.reference_lines import reference_lines

    files = {
        "README.md": b"Built on https://github.com/EasyJailbreak/EasyJailbreak and\n"
        b"https://github.com/Other/generic\n",
        "run.py": b"import os\nimport easyjailbreak\nfrom experiments import x\n",
        "vendor_copy/a.py": b"# see https://github.com/Bench/B\n",
        "requirements.txt": b"easyjailbreak==0.1\n# experiments\n",
    }
    ln = reference_lines(files, ["easyjailbreak", "experiments"]).assign(
        repo="user/u", commit_sha="x"
    )
    ln["vendored"] = ln["path"].map(lambda p: "vendor_dir:vendor_copy" if "vendor" in p else "")
    return ln


def test_reference_lines_locate_every_line():
    ln = _lines()
    got = set(map(tuple, ln[["kind", "value", "path", "line_no"]].to_numpy()))
    assert ("github", "easyjailbreak/easyjailbreak", "README.md", 1) in got
    assert ("import", "easyjailbreak", "run.py", 2) in got
    assert ("import", "experiments", "run.py", 3) in got
    assert ("requirement", "easyjailbreak", "requirements.txt", 1) in got
    assert not any(ln["value"] == "os")  # only the names asked for
    assert ln.loc[ln["path"] == "run.py", "line_text"].tolist()[0] == "import easyjailbreak"


def test_adoption_edges_need_accepted_identifiers_and_own_code():
    decisions = pd.DataFrame(
        {
            "benchmark_repo": ["EasyJailbreak/EasyJailbreak", "Other/generic"],
            "kind": ["package", "package"],
            "value": ["easyjailbreak", "experiments"],
            "decision": ["own", "generic"],
        }
    )
    ids = adoption.accepted_identifiers(
        ["EasyJailbreak/EasyJailbreak", "Other/generic", "Bench/B", "user/u"], decisions
    )
    edges = adoption.adoption_edges(_lines(), ids)
    pairs = set(zip(edges["benchmark_repo"], edges["repo"], strict=False))
    # the generic folder name gives no edge; the URL in vendored code gives none either
    assert pairs == {("EasyJailbreak/EasyJailbreak", "user/u"), ("Other/generic", "user/u")}
    ej = edges[edges["benchmark_repo"] == "EasyJailbreak/EasyJailbreak"].iloc[0]
    assert ej["kind"] == "package" and ej["kinds"] == "github;package" and ej["n_lines"] == 3
    og = edges[edges["benchmark_repo"] == "Other/generic"].iloc[0]
    assert og["kind"] == "github"  # only the README link counts for it


def test_adoption_check_sheet_is_blind_and_precision_counts():
    from benchmeta.influence import adoption_check as ac

    edges = pd.DataFrame(
        {
            "edge_id": ["E001", "E002"],
            "benchmark_repo": ["b/1", "b/2"],
            "repo": ["u/1", "u/1"],
            "kind": ["github", "package"],
            "matched_text": ["b/1", "p"],
            "path": ["README.md", "a.py"],
            "line_no": [1, 2],
            "line_text": ["x", "import p"],
        }
    )
    dropped = edges.assign(
        edge_id="",
        vendored="",
        drop_reason="identifier not accepted",
        benchmark_repo=["b/3", "b/4"],
    )
    sheet, key = ac.build_sheet(edges, dropped, n_dropped=1)
    assert len(sheet) == 3 and "in_current" not in sheet and "edge_id" not in sheet
    reviewed = pd.DataFrame(
        {
            "sheet_id": key["sheet_id"],
            "genuine": ["yes" if c == "yes" else "no" for c in key["in_current"]],
        }
    )
    reviewed.loc[key["kind"] == "package", "genuine"] = "no"
    p = ac.precision(key, reviewed).set_index("edges")
    assert p.loc["current edges", "n_checked"] == 2 and p.loc["current edges", "genuine"] == 1
    assert p.loc["dropped edges", "genuine"] == 0


def test_reference_lines_mask_other_machines_paths():
    from benchmeta.scan.reference_lines import reference_lines

    tmp = "/" + "tmp/x"  # a made-up path of another machine (built so no path is committed)
    files = {"README.md": f"clone https://github.com/a/b into /home/alice/src and {tmp}\n".encode()}
    ln = reference_lines(files, [])
    assert ln["line_text"].tolist() == ["clone https://github.com/a/b into <path> and <path>"]

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
    edges = adoption.adoption(refs, ids)
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

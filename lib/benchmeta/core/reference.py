"""The reference study's published numbers, held once (arXiv 2603.04459, "Benchmark of
Benchmarks: Unpacking Influence and Code Repository Quality in LLM Safety Benchmarks").

Sign convention: the study reports Cliff's delta as non-benchmark vs benchmark (negative =
benchmark higher). ``GROUP_TESTS`` keeps the published value (``delta_published``) and gives it
in ours (``delta``: benchmark vs non-benchmark, positive = benchmark higher); every table that
shows a reference delta takes it from here.
"""

from __future__ import annotations

import pandas as pd

PAPERS = {"benchmark": 31, "non-benchmark": 382}
WITH_CODE = {"benchmark": 27, "non-benchmark": 168}

# metric (the study's name) -> (p, delta as published: non-benchmark vs benchmark)
GROUP_TESTS = pd.DataFrame(
    [
        ("pylint score", "quality", 0.031, -0.276),
        ("number of commits", "maintenance", 0.001, -0.389),
        ("commit frequency", "maintenance", 0.010, -0.309),
        ("issue reply time", "maintenance", 0.044, -0.239),
        ("citations", "influence", 0.237, -0.130),
        ("citation_density", "influence", 0.309, -0.112),
        ("stars", "influence", 0.004, -0.347),
        ("star_density", "influence", 0.012, -0.301),
        ("field_count", "influence", 0.632, -0.052),
    ],
    columns=["reference_metric", "family", "reference_p", "reference_delta"],
)
GROUP_TESTS["reference_delta_our_sign"] = -GROUP_TESTS["reference_delta"]

# hands-on usability audit: share of repositories
HANDS_ON = pd.DataFrame(
    [
        ("runnable", "runnable", 0.68),
        ("ready_to_use", "ready to use", 0.39),
        ("install_guide_flawless", "flawless installation guide", 0.16),
        ("ethics", "addresses ethics", 0.06),
    ],
    columns=["reference_item", "reference_label", "reference_share"],
)
H_INDEX_CITATIONS_RHO = 0.73


def group_tests(family: str) -> pd.DataFrame:
    """The study's group tests of one family: ``reference_metric, reference_p,
    reference_delta`` (published sign), ``reference_delta_our_sign``."""
    t = GROUP_TESTS[GROUP_TESTS["family"] == family]
    return t.drop(columns="family").reset_index(drop=True)


def attach(tests: pd.DataFrame, reference_of: dict[str, str]) -> pd.DataFrame:
    """Our group tests (``stats.benchmark_comparison``) with the study's values beside the
    metrics it measured (``reference_of``: our metric -> its metric name)."""
    out = tests.assign(reference_metric=tests["metric"].map(reference_of))
    ref = GROUP_TESTS.drop(columns="family")
    return out.merge(ref, on="reference_metric", how="left")

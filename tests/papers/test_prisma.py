"""benchmeta.prisma: counts from tables, arithmetic checks, template field names, the diagram."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from benchmeta.figures import prisma_diagram
from benchmeta.papers import prisma as P  # noqa: E402

IDENT = pd.DataFrame(
    [
        {"list": "o__a", "entries": 6, "dropped": 1, "duplicates_removed": 0},
        {"list": "o__b", "entries": 3, "dropped": 0, "duplicates_removed": 2},
        {"list": "manual", "entries": 1, "dropped": 0, "duplicates_removed": 0},
        {"list": "all", "entries": 10, "dropped": 1, "duplicates_removed": 2},
    ]
)
# r0-r2 included (r2 by hand), r3-r5 excluded by the rule alone, r6 excluded by hand
FINAL = pd.DataFrame(
    [
        ("r0", "include", "ok", "rules"),
        ("r1", "include", "ok", "rules"),
        ("r2", "include", "on topic", "adjudicated"),
        ("r3", "exclude", "off-topic", "rules"),
        ("r4", "exclude", "off-topic", "rules"),
        ("r5", "exclude", "outside window", "rules"),
        ("r6", "exclude", "off-topic", "adjudicated"),
    ],
    columns=["record_id", "decision", "reason", "source"],
).assign(stage="title-abstract")
INCLUDED = pd.DataFrame(
    {
        "record_id": ["r0", "r1", "r2"],
        "is_benchmark": [True, False, False],
        "topic": ["PI", "JB;PI", "HAL"],
    }
)


def test_counts_add_up_and_use_template_names():
    p = P.compute(IDENT, FINAL, INCLUDED)
    c = p.counts
    assert c["database_results"] == 0 and c["register_results"] == 0  # none searched
    assert c["website_results"] == 9 and c["other_results"] == 1
    assert c["duplicates"] == 2 and c["excluded_other"] == 1
    # rule-alone exclusions are counted as automation, not as screened-and-excluded
    assert c["excluded_automatic"] == 3 and p.automatic_reasons == {
        "off-topic": 2,
        "outside window": 1,
    }
    assert c["records_screened"] == 4 and c["records_excluded"] == 1 and c["new_studies"] == 3
    assert p.screened_by == {
        "included by the keyword rule, no hand check": 2,
        "decided by hand adjudication": 2,
    }
    assert p.excluded_reasons == {"off-topic": 1}
    assert p.included_by_group == {"benchmark": 1, "non-benchmark": 2}
    assert p.included_by_topic == {"HAL": 1, "JB": 1, "PI": 1}
    t = p.table().set_index("data")
    assert list(t.index) == [*P.TEMPLATE_FIELDS, "other_results"]
    # no full text was assessed: those fields are empty, not zero
    assert t.loc["dbr_assessed", "n"] is pd.NA and t.loc["other_assessed", "n"] is pd.NA
    assert "not performed" in t.loc["other_sought_reports", "detail"]


def test_inconsistent_counts_raise():
    bad = IDENT.copy()
    bad.loc[0, "entries"] = 7  # one more entry than the screened records account for
    with pytest.raises(P.PrismaError, match="screened"):
        P.compute(bad, FINAL, INCLUDED)
    with pytest.raises(P.PrismaError, match="new studies"):
        P.compute(IDENT, FINAL, INCLUDED.iloc[:2])
    p = P.compute(IDENT, FINAL, INCLUDED)
    p.excluded_reasons["off-topic"] = 2
    with pytest.raises(P.PrismaError, match="exclusion reasons"):
        p.check()


def test_diagram_shows_the_numbers(tmp_path):
    p = P.compute(IDENT, FINAL, INCLUDED)
    fig = prisma_diagram(p, title="test")
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for s in (
        "websites",
        "n = 9",
        "Duplicate records: n = 2",
        "automation tools",
        "not checked by hand): n = 3",
        "Records screened: n = 4",
        "not performed",
        "off-topic: 1",
        "Studies included",
        "n = 3",
        "other methods",
    ):
        assert s in texts, s
    assert "Reports assessed" not in texts
    fig.savefig(tmp_path / "f.png")

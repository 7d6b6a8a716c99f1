"""benchmeta.prisma: counts from tables, arithmetic checks, template field names, the diagram."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from benchmeta.figures import prisma_diagram
from benchmeta.papers import prisma as P  # noqa: E402

IDENT = pd.DataFrame([
    {"list": "a", "entries": 6, "dropped": 1, "duplicates_removed": 0},
    {"list": "b", "entries": 4, "dropped": 0, "duplicates_removed": 2},
    {"list": "all", "entries": 10, "dropped": 1, "duplicates_removed": 2},
])
FINAL = pd.DataFrame(
    [(f"r{i}", "title-abstract", "include" if i < 3 else "exclude",
      "ok" if i < 3 else ("off-topic" if i < 6 else "outside window"), "rules")
     for i in range(7)], columns=["record_id", "stage", "decision", "reason", "source"])
INCLUDED = pd.DataFrame({"record_id": ["r0", "r1", "r2"], "is_benchmark": [True, False, False],
                         "topic": ["PI", "JB;PI", "HAL"]})


def test_counts_add_up_and_use_template_names():
    p = P.compute(IDENT, FINAL, INCLUDED)
    c = p.counts
    assert c["database_results"] == 10 and c["duplicates"] == 2 and c["excluded_other"] == 1
    assert c["records_screened"] == 7 and c["records_excluded"] == 4 and c["new_studies"] == 3
    assert p.excluded_reasons == {"off-topic": 3, "outside window": 1}
    assert p.included_by_group == {"benchmark": 1, "non-benchmark": 2}
    assert p.included_by_topic == {"HAL": 1, "JB": 1, "PI": 1}
    t = p.table()
    assert t["data"].tolist() == P.TEMPLATE_FIELDS
    for name in ("database_results", "register_results", "duplicates", "excluded_automatic",
                 "records_screened", "records_excluded", "new_studies"):
        assert name in P.TEMPLATE_FIELDS


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
    for s in ("n = 10", "Duplicate records: n = 2", "n = 7", "off-topic: 3",
              "Studies included: n = 3"):
        assert s in texts
    fig.savefig(tmp_path / "f.png")

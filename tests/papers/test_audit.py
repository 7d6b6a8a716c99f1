"""benchmeta.papers.audit, accuracy, dedup_audit and the screening collector: the blind sample,
weighted error rates with known answers, de-duplication precision/recall, and the import of
hand reviews."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmeta.collect import local_screening
from benchmeta.core.errors import InputError
from benchmeta.papers import accuracy as Acc
from benchmeta.papers import adjudication as A
from benchmeta.papers import audit as Au
from benchmeta.papers import criteria as K
from benchmeta.papers import dedup as D
from benchmeta.papers import dedup_audit as DA
from benchmeta.papers.criteria import DECISION_COLUMNS


def unique_frame(n: int = 30) -> pd.DataFrame:
    rows = []
    for i in range(n):
        rows.append(
            {
                "record_id": f"arxiv:2401.{i:05d}",
                "title": f"Paper {i}",
                "kind": "paper",
                "date": "2024-01",
                "year": 2024,
                "arxiv_id": f"2401.{i:05d}",
                "doi": "",
                "paper_url": f"https://arxiv.org/abs/2401.{i:05d}",
                "code_url": "",
                "venue": "V",
                "abstract": "abs" if i % 2 else "",
                "sources": "secret__list",
                "sections": "x: y",
                "tags": "Benchmark",
                "topic_hint": "PI",
                "repo": "",
                "repo_sources": "",
            }
        )
    rows.append(
        {**rows[0], "record_id": "arxiv:2001.00001", "arxiv_id": "2001.00001", "date": "2020-01"}
    )  # outside the window: not in the frame
    return pd.DataFrame(rows)


def decisions_frame(unique: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for i, rid in enumerate(unique["record_id"]):
        rows.append((rid, "title-abstract", "rules", "include" if i < 10 else "exclude", "r"))
        rows.append((rid, "title-abstract", "curators", "include" if i < 15 else "exclude", "c"))
        rows.append((rid, "benchmark", "rules", "benchmark" if i < 3 else "non-benchmark", "r"))
        rows.append((rid, "benchmark", "curators", "no signal", "c"))
    return pd.DataFrame(rows, columns=DECISION_COLUMNS)


def test_sample_is_stratified_seeded_and_blind():
    u = unique_frame()
    d = decisions_frame(u)
    st = Au.strata(u, d, K.Criteria())
    assert "arxiv:2001.00001" not in st.index  # not in window
    assert (st == Au.CENSUS).sum() == 3 and (st == Au.RULE_INCLUDE).sum() == 7
    design = Au.draw_sample(st, {Au.RULE_INCLUDE: 4, Au.RULE_EXCLUDE: 5}, seed=3)
    assert design.groupby("stratum").size().to_dict() == {
        Au.CENSUS: 3,
        Au.RULE_EXCLUDE: 5,
        Au.RULE_INCLUDE: 4,
    }
    w = design.groupby("stratum")["weight"].first()
    assert w[Au.CENSUS] == 1 and w[Au.RULE_INCLUDE] == 7 / 4 and w[Au.RULE_EXCLUDE] == 20 / 5
    again = Au.draw_sample(st, {Au.RULE_INCLUDE: 4, Au.RULE_EXCLUDE: 5}, seed=3)
    pd.testing.assert_frame_equal(design, again)
    other = Au.draw_sample(st, {Au.RULE_INCLUDE: 4, Au.RULE_EXCLUDE: 5}, seed=4)
    assert set(other["record_id"]) != set(design["record_id"])
    sheet = Au.blind_sheet(u, design, seed=3)
    assert list(sheet.columns) == Au.SHEET_COLUMNS and len(sheet) == 12
    text = sheet.to_csv()
    for leak in ("secret__list", "Benchmark", "include", "rules", "PI"):
        assert leak not in text
    assert list(sheet["record_id"]) != sorted(sheet["record_id"])  # shuffled
    md = Au.criteria_sheet(K.Criteria())
    assert all(r in md for r in K.REASONS) and "main contribution" in md


def test_weighted_rates_and_missed_count_by_hand():
    # stratum X: 10 records, 2 sampled (weight 5); stratum Y: census of 2 (weight 1)
    design = pd.DataFrame(
        {
            "record_id": ["a", "b", "c", "d"],
            "stratum": ["X", "X", "Y", "Y"],
            "stratum_size": [10, 10, 2, 2],
            "sample_size": [2, 2, 2, 2],
            "weight": [5.0, 5.0, 1.0, 1.0],
        }
    )
    truth = pd.Series([True, True, True, False], index=list("abcd"))
    said = pd.Series([False, True, True, False], index=list("abcd"))
    t = Acc.accuracy(truth, {"p": said}, design.set_index("record_id")["weight"], "eligible")
    sens = t[t["measure"] == "sensitivity"].iloc[0]
    assert sens["estimate"] == pytest.approx((5 + 1) / (5 + 5 + 1))  # b and c found, a missed
    assert sens["n_eff"] == pytest.approx(11**2 / 51)
    assert sens["low"] < sens["estimate"] < sens["high"]
    spec = t[t["measure"] == "specificity"].iloc[0]
    assert spec["estimate"] == 1 and spec["n"] == 1
    m = Acc.missed(design, truth & ~said)
    assert m["estimate"] == pytest.approx(10 * 1 / 2)  # a stands for 5 records, Y has none
    assert m["low"] < 5 < m["high"] <= 10


def test_evaluate_and_reviewer_agreement():
    u = unique_frame()
    d = decisions_frame(u)
    design = Au.draw_sample(Au.strata(u, d, K.Criteria()), {}, seed=1)  # everything
    final = A.final_decisions(d, pd.DataFrame(columns=K.ADJUDICATION_COLUMNS))
    rows = []
    for i, rid in enumerate(design["record_id"]):
        dec = "include" if i < 12 else "exclude"
        rows.append((rid, "title-abstract", "A", dec, ""))
        rows.append((rid, "title-abstract", "B", dec if i % 5 else "include", ""))
        if dec == "include":
            rows.append((rid, "benchmark", "A", "benchmark" if i < 2 else "non-benchmark", ""))
    hand = pd.DataFrame(rows, columns=DECISION_COLUMNS)
    assert Acc.evaluate(design, u, d, final, hand, "nobody") == {}
    res = Acc.evaluate(design, u, d, final, hand, "A")
    r = res["rates"].set_index(["label", "pass", "measure", "subset"])["estimate"]
    # census of 30 in-window records: the rule includes 10 of the 12 eligible ones
    assert r[("eligible", "rules", "sensitivity", "all")] == pytest.approx(10 / 12)
    assert r[("eligible", "curators", "sensitivity", "all")] == 1
    assert r[("benchmark", "rules", "sensitivity", "eligible records")] == 1
    assert r[("benchmark", "rules", "specificity", "eligible records")] == pytest.approx(9 / 10)
    bench = res["rates"][res["rates"]["label"] == "benchmark"]
    assert (bench.loc[bench["pass"] == "curators", "no_rating"] == 12).all()  # no signal
    missed = res["missed"].set_index("what")["estimate"]
    assert missed["eligible papers excluded by the rule"] == 2
    ag = res["agreement"].iloc[0]
    assert ag["n"] == 30 and ag["percent"] == pytest.approx(27 / 30)  # 15, 20, 25 differ


def test_read_hand_screening_refuses_bad_rows(tmp_path):
    good = pd.DataFrame([("r1", "title-abstract", "A", "include", "")], columns=DECISION_COLUMNS)
    good.to_csv(tmp_path / "A.csv", index=False)
    assert len(Acc.read_hand_screening(tmp_path)) == 1
    bad = good.assign(decision="maybe")
    bad.to_csv(tmp_path / "B.csv", index=False)
    with pytest.raises(InputError, match=r"B.csv:2: .*maybe"):
        Acc.read_hand_screening(tmp_path)


def test_collector_converts_reviews_to_long_format(tmp_path):
    data_raw = tmp_path / "data_raw"
    (data_raw / "screening").mkdir(parents=True)
    pd.DataFrame({"record_id": ["r1", "r2"], "weight": [1, 1]}).to_csv(
        data_raw / local_screening.DESIGN, index=False
    )
    answers = pd.DataFrame(
        {
            "record_id": ["r1", "r2"],
            "decision": ["include", "exclude"],
            "reason": ["", K.OFF_TOPIC],
            "benchmark": ["benchmark", "na"],
            "note": ["dataset paper", ""],
        }
    )
    answers.to_csv(tmp_path / "a.csv", index=False)
    rel = local_screening.reviews(tmp_path / "a.csv", "A", data_raw)
    long = pd.read_csv(data_raw / rel, dtype=str, keep_default_na=False)
    assert list(long.columns) == DECISION_COLUMNS and len(long) == 3
    assert set(long["stage"]) == {"title-abstract", "benchmark"}
    man = pd.read_csv(data_raw / "MANIFEST.csv")
    assert man.loc[man["path"] == rel, "source"].iloc[0].startswith("hand screening by A")
    assert len(Acc.read_hand_screening(data_raw / local_screening.HAND)) == 3
    answers.assign(reason=["", "because"]).to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(InputError, match=r"b.csv:3: .*because"):
        local_screening.reviews(tmp_path / "b.csv", "B", data_raw)
    answers.assign(record_id=["r1", "zzz"]).to_csv(tmp_path / "c.csv", index=False)
    with pytest.raises(InputError, match="not in the audit sample"):
        local_screening.reviews(tmp_path / "c.csv", "C", data_raw)


def test_dedup_candidates_and_precision_recall():
    rows = [
        ("Jailbreak prompts in the wild", "2401.00001", ""),
        ("Jailbreak prompts in the wild", "", "10.1/abc"),  # merged by title (DOI version)
        ("FactCHD: Benchmarking Fact-Conflicting Hallucination Detection", "2310.12086", ""),
        ("FactCHD: Benchmarking Fact-Conficting Hallucination Detection", "", ""),  # a typo
        ("Something entirely different about cats", "2402.00002", ""),
    ]
    recs = pd.DataFrame(
        [
            {
                "list": "l",
                "file": "f",
                "line": i,
                "section": "",
                "kind": "paper",
                "title": t,
                "date": "",
                "date_source": "",
                "year": 2024,
                "arxiv_id": a,
                "doi": d,
                "paper_url": "",
                "code_url": "",
                "repo": "",
                "venue": "",
                "tags": "",
                "topic_hint": "",
                "abstract": "",
            }
            for i, (t, a, d) in enumerate(rows)
        ]
    )
    pairs = DA.candidate_pairs(recs)
    kinds = {(int(r.i), int(r.j)): r.kind for r in pairs.itertuples()}
    assert kinds[(0, 1)] == DA.MERGED and kinds[(2, 3)] == DA.CLOSE_TITLE
    assert not any(4 in k for k in kinds)
    sample = DA.sample_pairs(pairs, {}, seed=1)
    sheet, key = DA.sheets(recs, sample, seed=1)
    assert "merged" not in sheet.columns and len(sheet) == len(key) == len(pairs)
    assert sheet["a_id"].str.startswith("entry-").all()
    reviewed = sheet.merge(key, on="pair_id").assign(same_paper="yes")
    pr = DA.precision_recall(reviewed).set_index("measure")["estimate"]
    assert pr["precision"] == 1
    assert pr["recall (candidate pairs)"] == pytest.approx(1 / 2)


def test_pending_adjudications_lists_curator_include_rule_exclude():
    u = unique_frame()
    d = decisions_frame(u)
    adj = pd.DataFrame(
        [(u["record_id"][10], "title-abstract", "include", "on topic", "x")],
        columns=K.ADJUDICATION_COLUMNS,
    )
    p = A.pending(u, d, adj)
    # records 10..14: curators include, rules exclude; one is adjudicated already
    assert len(p) == 4 and u["record_id"][10] not in set(p["record_id"])
    assert (
        list(p.columns) == A.PENDING_COLUMNS
        and p["curator_evidence"].str.contains("secret__list").all()
    )


def test_close_titles_merge_with_guard_and_aliases():
    base = {
        "list": "l",
        "file": "f",
        "section": "",
        "kind": "paper",
        "date": "",
        "date_source": "",
        "year": 2024,
        "doi": "",
        "paper_url": "",
        "code_url": "",
        "repo": "",
        "venue": "",
        "tags": "",
        "topic_hint": "",
        "abstract": "",
    }
    recs = pd.DataFrame(
        [
            {
                **base,
                "line": 1,
                "arxiv_id": "2310.12086",
                "title": "FactCHD: Benchmarking Fact-Conflicting Hallucination Detection",
            },
            {
                **base,
                "line": 2,
                "arxiv_id": "",  # a typo in the published title: the same paper
                "title": "FactCHD: Benchmarking Fact-Conficting Hallucination Detection",
            },
            {
                **base,
                "line": 3,
                "title": "LLM Defenses Are Not Robust to Multi-Turn Human Jailbreaks",
                "arxiv_id": "2408.15221",
            },
            {
                **base,
                "line": 4,
                "title": "LLM Defenses Are Not Robust to Multi-Turn Human Jailbreaks",
                "arxiv_id": "2502.09638",
            },  # two arXiv ids: never merged
        ]
    )
    u = D.membership(recs)
    assert u[0] == u[1] and u[2] != u[3]
    unique, dups = D.deduplicate(recs)
    assert len(unique) == 3 and dups["matched_on"].tolist() == ["close title"]
    assert len(D.deduplicate(recs, fuzzy=None)[0]) == 4
    alias = D.aliases(recs)
    old_id = D.deduplicate(recs.iloc[[1]], fuzzy=None)[0]["record_id"][0]
    assert alias == {old_id: "arxiv:2310.12086"}
    decided = pd.DataFrame({"record_id": [*alias, "arxiv:2310.12086"], "stage": ["s", "s"]})
    assert D.remap(decided, alias, ["record_id", "stage"])["record_id"].tolist() == [
        "arxiv:2310.12086"
    ]


def test_adjudication_effect_counts_what_each_adjudicator_changed():
    from benchmeta.papers import included as I

    u = unique_frame()
    d = decisions_frame(u)
    ids = list(u["record_id"])
    adj = pd.DataFrame(
        [
            (ids[12], "title-abstract", "include", "on topic", "X"),
            (ids[13], "title-abstract", "include", "on topic", "Y"),
            (ids[14], "title-abstract", "include", "on topic", "Y"),
            (ids[13], "benchmark", "benchmark", "a dataset", "Y"),
        ],
        columns=K.ADJUDICATION_COLUMNS,
    )
    t = I.adjudication_effect(u, d, adj).set_index("adjudications")
    assert t.loc["all", "included"] == 13 and t.loc["all", "benchmarks"] == 4
    assert t.loc["without X", "change_included"] == 1
    assert t.loc["without Y", "change_included"] == 2
    assert t.loc["without Y", "change_benchmarks"] == 1

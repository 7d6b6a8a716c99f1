"""Bad dates in lists and bad arguments to screening-export importers are InputErrors that name
the file, the line and the value."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmeta.core.errors import InputError
from benchmeta.papers import markdown
from benchmeta.papers import screening_exports as T


@pytest.mark.parametrize(
    ("text", "what"), [("March 2024", "unknown date format"), ("2024/13", "impossible date")]
)
def test_parse_date_names_file_line_and_text(text, what):
    with pytest.raises(InputError) as err:
        markdown.parse_date(text, "lists/x/README.md", 12)
    assert (err.value.path, err.value.line, err.value.value) == ("lists/x/README.md", 12, text)
    assert err.value.message == what
    assert str(err.value).startswith("lists/x/README.md:12: ")


def _export(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text("Title,DOI\nA paper,\n", encoding="utf-8")
    return p


UNIQUE = pd.DataFrame({"record_id": ["r1"], "title": ["A paper"], "arxiv_id": [""], "doi": [""]})


@pytest.mark.parametrize("reader", [T.read_asreview, T.read_rayyan, T.read_covidence])
def test_unknown_stage_names_the_export_and_the_value(tmp_path, reader):
    p = _export(tmp_path)
    kwargs = {"decision": "include"} if reader is T.read_covidence else {}
    if reader is T.read_asreview:
        kwargs["reviewer"] = "anna"
    with pytest.raises(InputError) as err:
        reader(p, UNIQUE, stage="fulltext-ish", **kwargs)
    assert err.value.path.endswith("export.csv") and err.value.value == "fulltext-ish"
    assert err.value.line is None and "unknown stage" in err.value.message


def test_covidence_decision_names_the_export_and_the_value(tmp_path):
    p = _export(tmp_path)
    with pytest.raises(InputError) as err:
        T.read_covidence(p, UNIQUE, decision="maybe")
    assert err.value.path.endswith("export.csv") and err.value.value == "maybe"

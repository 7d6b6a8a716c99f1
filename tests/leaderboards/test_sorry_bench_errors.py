"""A malformed SORRY-Bench heatmap is an InputError naming the file, the line and the model."""

from __future__ import annotations

import pytest

from benchmeta.core.errors import InputError
from benchmeta.leaderboards.sources import sorry_bench


def test_js_score_count_mismatch_names_file_line_and_model():
    js = 'const all_categories = [\n "1: A",\n "2: B",\n];\n{ model: "m", scores: [0.1], x }'
    with pytest.raises(InputError) as err:
        sorry_bench.parse_js(js)
    assert (err.value.path, err.value.line, err.value.value) == (sorry_bench.JS_PATH, 5, "m")
    assert "1 scores for 2 categories" in err.value.message


def test_missing_category_list_or_trace_names_the_file():
    with pytest.raises(InputError) as err:
        sorry_bench.parse_js("nothing here", path="heatmap.js")
    assert err.value.path == "heatmap.js" and "all_categories" in err.value.message
    with pytest.raises(InputError) as err:
        sorry_bench.parse_html("<div></div>")
    assert err.value.path == sorry_bench.HTML_PATH and "heatmap trace" in err.value.message

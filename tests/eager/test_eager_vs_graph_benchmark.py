"""benchmarks/eager_vs_graph.py's pieces on tiny sizes: both modes run, the table and chart."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "benchmarks"))
import eager_vs_graph  # noqa: E402


def test_compare_table_and_chart(tmp_path):
    rows = [("tiny MLP", *eager_vs_graph.compare(lambda: eager_vs_graph.mlp([2, 4, 2], 4), 2)),
            ("chain", *eager_vs_graph.compare(
                lambda: eager_vs_graph.elementwise_chain(n=64), 2))]
    for _, eager_s, graph_s, first_s in rows:
        assert eager_s > 0 and graph_s > 0 and first_s > 0
    text = eager_vs_graph.table(rows)
    assert text.count("\n") == 3 and "| tiny MLP |" in text and "x |" in text
    pytest.importorskip("matplotlib")
    path = eager_vs_graph.plot(rows, str(tmp_path / "chart.png"))
    assert os.path.getsize(path) > 1000

"""The browser helpers' pure logic (no browser): explorer detection, readout parsing,
and the verdict on a slider move."""
from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import browser_helpers as bh


@pytest.mark.parametrize("source, calls", [
    ("explorer()", True),
    ("w = epsilon_explorer(X, y, norm=2)", True),
    ("advot_teach.widgets.coupling_explorer (X6, Y6)", True),
    ("%matplotlib widget\nbarycenter_explorer(A, B)", True),
    ("# EXPLORER: attack_explorer(model_2d, X2, y2)", False),  # placeholder comment
    ("print('explorer(')", False),
    ("explorer = None", False),
    ("explorers(3)", False),
])
def test_calls_explorer(source, calls):
    assert bh.calls_explorer(source) is calls


def test_explorer_notebooks_lists_only_notebooks_calling_an_explorer(tmp_path):
    def write(name, *cells):
        nbformat.write(new_notebook(cells=list(cells)), tmp_path / name)

    write("b.ipynb", new_markdown_cell("call explorer(X) here"), new_code_cell("explorer(X)"))
    write("a.ipynb", new_code_cell("# epsilon_explorer(X, y)"))
    write("c.ipynb", new_markdown_cell("epsilon_explorer(X, y)"))
    write("d.ipynb", new_code_cell("x = 1\nepsilon_explorer(X, y)"))
    assert bh.explorer_notebooks(tmp_path) == ["b.ipynb", "d.ipynb"]


@pytest.mark.parametrize("text, expected", [
    ("eps = 0.350 | R* = 0.4167", (0.35, 0.4167)),
    ("ε = 1.5 · R* = 0", (1.5, 0.0)),
    ("R* = 0.25", (None, 0.25)),
    ("eps = 0.1", (0.1, None)),
    ("", (None, None)),
    (None, (None, None)),
])
def test_parse_readout(text, expected):
    assert bh.parse_readout(text) == expected


def test_parse_number_keeps_displayed_precision():
    assert bh.parse_number(" 0.35 ") == (0.35, 2)
    assert bh.parse_number("2") == (2.0, 0)
    assert bh.parse_number("eps=1") is None


def snap(picture, value, slider_text, readout):
    return {"picture": picture, "value": value, "slider_text": slider_text, "readout": readout}


def test_slider_problems_accepts_a_consistent_move():
    move = bh.SliderMove("eps", snap("a", "0.1", "0.10", "eps = 0.100 | R* = 0.0500"),
                         snap("b", "0.3", "0.25", "eps = 0.250 | R* = 0.1250"), 0.3)
    assert bh.slider_problems(move, has_readout=True) == []


def test_slider_problems_reports_each_failure():
    frozen = bh.SliderMove("eps", snap("a", "0.1", "0.10", "eps = 0.100 | R* = 0.0500"),
                           snap("a", "0.1", "0.10", "eps = 0.100 | R* = 0.0500"), 0.3)
    problems = bh.slider_problems(frozen, has_readout=True)
    assert any("figure did not change" in p for p in problems)
    assert any("did not increase" in p for p in problems)
    assert any("did not follow" in p for p in problems)

    wrong = bh.SliderMove("eps", snap("a", "0.1", "0.10", "eps = 0.100 | R* = 0.0500"),
                          snap("b", "0.3", "0.25", "eps = 0.300 | R* = 1.5"), 0.3)
    problems = bh.slider_problems(wrong, has_readout=True)
    assert any("differs from the slider" in p for p in problems)
    assert any("not in [0, 1]" in p for p in problems)
    # Without a readout only the figure and the slider are judged.
    assert bh.slider_problems(wrong, has_readout=False) == []

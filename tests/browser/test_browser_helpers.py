"""The browser helpers' pure logic (no browser): explorer detection, readouts
read from their data attributes, the verdict on a slider move and the solver
comparison."""
from __future__ import annotations

import nbformat
import numpy as np
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
    write("d.ipynb", new_code_cell("x = 1\nepsilon_explorer(X, y)"),
          new_code_cell("attack_explorer(m, X, y)"))
    assert bh.explorer_notebooks(tmp_path) == ["b.ipynb", "d.ipynb"]
    assert [bh.explorer_cells(tmp_path / n) for n in ("a.ipynb", "b.ipynb", "d.ipynb")] == [0, 1, 2]


# ---- readouts -------------------------------------------------------------
def snap(picture, value, slider_text, readout, **data):
    return {"picture": picture, "value": value, "slider_text": slider_text, "readout": readout,
            "data": {k: str(v) for k, v in data.items()}, "snap": False}


@pytest.mark.parametrize("data, control, value, quantity, result, order", [
    (dict(eps="0.35", risk="0.41666666666666663", order="3", exact="true"), "eps", 0.35, "R*",
     0.41666666666666663, None),
    (dict(eps="0.35", risk="0.3888", order="2", exact="false"), "eps", 0.35, "R*", 0.3888, 2),
    (dict(eps="0.3499999999999999", accuracy="0.9083"), "eps", 0.3499999999999999, "robust accuracy",
     0.9083, None),
    (dict(eps="0.577", feasible="true", unmatched="0.0"), "eps", 0.577, "W_inf <= eps", True, None),
    (dict(eps="0.1", feasible="false", unmatched="0.25"), "eps", 0.1, "W_inf <= eps", False, None),
    (dict(t="0.5"), "t", 0.5, None, None, None),
])
def test_read_readout_takes_the_data_attributes(data, control, value, quantity, result, order):
    r = bh.read_readout(snap("a", None, None, "some text", **data))
    assert (r.control, r.value, r.quantity, r.result, r.order) == (control, value, quantity, result, order)
    assert r.result is result or r.result == result  # yes/no are booleans, not 1/0
    assert bh.readout_problems(r) == []


def test_read_readout_without_data_is_none():
    assert bh.read_readout(snap("a", None, None, "eps = 0.350 | R* = 0.4167")) is None
    assert bh.read_readout(None) is None


@pytest.mark.parametrize("data, text, complaint", [
    ({}, "eps = 0.3", "no data attributes"),
    (dict(eps="0.35", risk="1.4167", order="3", exact="true"), "x", "not in [0, 1]"),
    (dict(eps="0.35", accuracy="-0.1"), "x", "not in [0, 1]"),
    (dict(eps="0.35"), "x", "no R*, robust accuracy or W_inf"),
    (dict(eps="0.35", risk="0.1"), "", "shows no text"),
    (dict(t="1.5"), "t = 1.50", "not in [0, 1]"),
    (dict(risk="0.4"), "R* = 0.4", "no numeric data-eps or data-t"),
    (dict(eps="-0.1", risk="0"), "x", "negative"),
])
def test_readout_problems_names_the_fault(data, text, complaint):
    readout = bh.read_readout(snap("a", None, None, text, **data))
    problems = bh.readout_problems(readout)
    assert any(complaint in p for p in problems), problems


def test_parse_number_keeps_displayed_precision():
    assert bh.parse_number(" 0.35 ") == (0.35, 2)
    assert bh.parse_number("2") == (2.0, 0)
    assert bh.parse_number("eps=1") is None


@pytest.mark.parametrize("slider_text, eps, matches", [
    ("0.350", 0.35, True),
    ("0.350", 0.3499999999999999, True),
    ("0.35", 0.354, True),
    ("0.35", 0.356, False),
    ("0.364", 0.3646, False),
    (None, 0.35, False),
])
def test_readout_matches_slider(slider_text, eps, matches):
    assert bh.readout_matches_slider(snap("a", None, slider_text, "text", eps=eps, risk=0.1)) is matches


def move(before, after, settled=True, keys=("ArrowRight",) * 3):
    return bh.SliderMove(0, "ε", list(keys), before, after, 0.5 if before["picture"] != after["picture"]
                         else None, settled)


@pytest.mark.parametrize("before, after", [
    (snap("a", "0.1", "0.100", "eps = 0.100 | R* = 0.0500", eps=0.1, risk=0.05, order=3, exact="true"),
     snap("b", "0.3", "0.250", "eps = 0.250 | R* = 0.1250", eps=0.25, risk=0.125, order=3, exact="true")),
    (snap("a", "0.2", "0.190", "eps = 0.190 | robust accuracy = 0.8750", eps=0.19, accuracy=0.875),
     snap("b", "0.2", "0.220", "eps = 0.220 | robust accuracy = 0.8500", eps=0.22, accuracy=0.85)),
    (snap("a", "0.3", "0.289", "eps = 0.289 | W_inf <= eps: no", eps=0.2887, feasible="false"),
     snap("b", "0.6", "0.577", "eps = 0.577 | W_inf <= eps: yes", eps=0.5774, feasible="true")),
    (snap("a", "0.5", "0.50", "t = 0.50", t=0.5), snap("b", "0.5", "0.52", "t = 0.52", t=0.52)),
])
def test_slider_problems_accepts_a_consistent_move(before, after):
    assert bh.slider_problems(move(before, after)) == []


def test_slider_problems_reports_each_failure():
    before = snap("a", "0.1", "0.100", "eps = 0.100 | R* = 0.0500", eps=0.1, risk=0.05)
    problems = bh.slider_problems(move(before, dict(before), settled=False))
    for complaint in ("no stable", "figure did not change", "did not increase",
                      "did not follow", "did not grow"):
        assert any(complaint in p for p in problems), (complaint, problems)

    wrong = move(before, snap("b", "0.3", "0.250", "eps = 0.300 | R* = 1.5", eps=0.3, risk=1.5))
    problems = bh.slider_problems(wrong)
    assert any("differs from the slider" in p for p in problems)
    assert any("not in [0, 1]" in p for p in problems)
    assert len(problems) == 2

    mute = move(before, snap("b", "0.3", "0.250", "eps = 0.250", eps=0.25))
    assert any("no R*, robust accuracy or W_inf" in p for p in bh.slider_problems(mute))


def test_explorer_problems():
    ok = {"index": 0, "box": True, "readouts_in_box": 1, "label": "ε", "figure": True, "snap": False}
    assert bh.explorer_problems(ok) == []
    assert "no slider" in bh.explorer_problems({**ok, "box": False})[0]
    assert "2 readouts" in bh.explorer_problems({**ok, "readouts_in_box": 2})[0]
    assert "no figure" in bh.explorer_problems({**ok, "figure": False})[0]


# ---- solver comparison ----------------------------------------------------------
def test_risk_problems_compares_with_the_solver_at_the_exact_eps():
    from advot_teach import datasets

    # one point per class at the corners of a unit triangle: R* = 0, then 1/2
    # from eps = 1/2 (the closed ball: eps = 1/2 itself counts), then 2/3 from 1/sqrt(3)
    X, y = datasets.triangle()

    def readout(eps, risk, exact="true"):
        return bh.read_readout(snap("a", None, None, "text", eps=eps, risk=risk, order=3, exact=exact))

    assert bh.risk_problems(X, y, readout(0.3, 0.0)) == []
    assert bh.risk_problems(X, y, readout(0.5, 0.5)) == []
    assert bh.risk_problems(X, y, readout(1 / np.sqrt(3), 2 / 3)) == []
    assert "gives 0.5" in bh.risk_problems(X, y, readout(0.5, 0.0))[0]
    assert "does not carry the exact R*" in bh.risk_problems(X, y, readout(0.5, 0.5, exact="false"))[0]


def test_check_notebook_holds_the_check_data(tmp_path):
    path = bh.write_check_notebook(tmp_path)
    assert bh.explorer_notebooks(tmp_path) == [bh.CHECK_NOTEBOOK]
    (cell,) = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    *setup, call = cell.source.strip().splitlines()
    assert call == f"epsilon_explorer(X, y, eps_max={bh.CHECK_EPS_MAX!r})"
    namespace = {}
    exec("\n".join(setup), namespace)  # the data lines, without the explorer
    X, y = bh.check_data()
    np.testing.assert_array_equal(namespace["X"], X)
    np.testing.assert_array_equal(namespace["y"], y)

"""The browser helpers' pure logic (no browser): explorer detection, readout
parsing, the verdict on a slider move and the solver comparison."""
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
@pytest.mark.parametrize("text, control, value, decimals, quantity, result, order", [
    ("eps = 0.350 | R* = 0.4167", "eps", 0.35, 3, "R*", 0.4167, None),
    ("eps = 0.350 | R*_2 = 0.3889 (lower bound)", "eps", 0.35, 3, "R*", 0.3889, 2),
    ("ε = 1.5 | R* = 0", "eps", 1.5, 1, "R*", 0.0, None),
    ("eps = 0.350 | robust accuracy = 0.9083", "eps", 0.35, 3, "robust accuracy", 0.9083, None),
    ("eps = 0.577 | W_inf <= eps: yes", "eps", 0.577, 3, "W_inf <= eps", True, None),
    ("eps = 0.100 | W_inf <= eps: no", "eps", 0.1, 3, "W_inf <= eps", False, None),
    ("t = 0.50", "t", 0.5, 2, None, None, None),
    ("eps = 2", "eps", 2.0, 0, None, None, None),
])
def test_parse_readout(text, control, value, decimals, quantity, result, order):
    r = bh.parse_readout(text)
    assert (r.control, r.value, r.decimals, r.quantity, r.result, r.order, r.unknown) == (
        control, value, decimals, quantity, result, order, ())
    assert r.result is result or r.result == result  # yes/no are booleans, not 1/0


def test_parse_readout_keeps_what_it_does_not_know():
    assert bh.parse_readout("") is None
    assert bh.parse_readout(None) is None
    r = bh.parse_readout("R* = 0.25")  # the slider's value must come first
    assert (r.control, r.quantity, r.result, r.unknown) == (None, None, None, ("R* = 0.25",))
    r = bh.parse_readout("eps = 0.1 | loss = 3")
    assert (r.value, r.quantity, r.unknown) == (0.1, None, ("loss = 3",))


@pytest.mark.parametrize("text", [
    "eps = 0.350 | R* = 0.4167",
    "eps = 0.350 | R*_2 = 0.4167 (lower bound)",
    "eps = 0.000 | robust accuracy = 1.0000",
    "eps = 0.350 | W_inf <= eps: no",
    "t = 1.00",
])
def test_readout_problems_accepts_every_explorer_format(text):
    assert bh.readout_problems(bh.parse_readout(text)) == []


@pytest.mark.parametrize("text, complaint", [
    ("", "empty"),
    ("eps = 0.350 | R* = 1.4167", "not in [0, 1]"),
    ("eps = 0.350 | robust accuracy = -0.1", "not in [0, 1]"),
    ("eps = 0.350", "no R*, robust accuracy or W_inf"),
    ("eps = 0.350 | W_inf <= eps: maybe", "cannot parse"),
    ("t = 1.50", "not in [0, 1]"),
    ("R* = 0.4", "does not start with"),
])
def test_readout_problems_names_the_fault(text, complaint):
    problems = bh.readout_problems(bh.parse_readout(text))
    assert any(complaint in p for p in problems), problems


def test_parse_number_keeps_displayed_precision():
    assert bh.parse_number(" 0.35 ") == (0.35, 2)
    assert bh.parse_number("2") == (2.0, 0)
    assert bh.parse_number("eps=1") is None


def snap(picture, value, slider_text, readout):
    return {"picture": picture, "value": value, "slider_text": slider_text, "readout": readout,
            "snap": False}


@pytest.mark.parametrize("slider_text, readout, matches", [
    ("0.350", "eps = 0.350 | R* = 0.4167", True),
    ("0.35", "eps = 0.354 | R* = 0.4167", True),   # both round 0.3540
    ("0.35", "eps = 0.356 | R* = 0.4167", False),
    ("0.53", "t = 0.53", True),
    ("0.53", "t = 0.52", False),
    ("0.53", "t = 0.54", False),
    ("0.53", "R* = 0.5", False),
    (None, "t = 0.53", False),
])
def test_readout_matches_slider(slider_text, readout, matches):
    assert bh.readout_matches_slider(snap("a", None, slider_text, readout)) is matches


def move(before, after, settled=True, keys=("ArrowRight",) * 3):
    return bh.SliderMove(0, "ε", list(keys), before, after, 0.5 if before["picture"] != after["picture"]
                         else None, settled)


@pytest.mark.parametrize("before, after", [
    (snap("a", "0.1", "0.100", "eps = 0.100 | R* = 0.0500"),
     snap("b", "0.3", "0.250", "eps = 0.250 | R* = 0.1250")),
    (snap("a", "0.2", "0.190", "eps = 0.190 | robust accuracy = 0.8750"),
     snap("b", "0.2", "0.220", "eps = 0.220 | robust accuracy = 0.8500")),
    (snap("a", "0.3", "0.289", "eps = 0.289 | W_inf <= eps: no"),
     snap("b", "0.6", "0.577", "eps = 0.577 | W_inf <= eps: yes")),
    (snap("a", "0.5", "0.50", "t = 0.50"), snap("b", "0.5", "0.53", "t = 0.53")),
])
def test_slider_problems_accepts_a_consistent_move(before, after):
    assert bh.slider_problems(move(before, after)) == []


def test_slider_problems_reports_each_failure():
    before = snap("a", "0.1", "0.100", "eps = 0.100 | R* = 0.0500")
    problems = bh.slider_problems(move(before, dict(before), settled=False))
    for complaint in ("no stable", "figure did not change", "did not increase",
                      "did not follow", "did not grow"):
        assert any(complaint in p for p in problems), (complaint, problems)

    wrong = move(before, snap("b", "0.3", "0.250", "eps = 0.300 | R* = 1.5"))
    problems = bh.slider_problems(wrong)
    assert any("differs from the slider" in p for p in problems)
    assert any("not in [0, 1]" in p for p in problems)
    assert len(problems) == 2

    mute = move(before, snap("b", "0.3", "0.250", "eps = 0.250"))
    assert any("no R*, robust accuracy or W_inf" in p for p in bh.slider_problems(mute))


def test_explorer_problems():
    ok = {"index": 0, "box": True, "readouts_in_box": 1, "label": "ε", "figure": True, "snap": False}
    assert bh.explorer_problems(ok) == []
    assert "no slider" in bh.explorer_problems({**ok, "box": False})[0]
    assert "2 readouts" in bh.explorer_problems({**ok, "readouts_in_box": 2})[0]
    assert "no figure" in bh.explorer_problems({**ok, "figure": False})[0]


# ---- solver comparison ----------------------------------------------------------
def test_solver_risk_text_decides_only_away_from_jumps():
    from advot_teach import datasets

    # one point per class at the corners of a unit triangle: R* = 0, then 1/2
    # from eps = 1/2, then 2/3 from eps = 1/sqrt(3)
    X, y = datasets.triangle()
    text = bh.parse_readout
    assert bh.solver_risk_text(X, y, text("eps = 0.300 | R* = 0.0000")) == "0.0000"
    assert bh.solver_risk_text(X, y, text("eps = 0.520 | R* = 0.5000")) == "0.5000"
    assert bh.solver_risk_text(X, y, text("eps = 0.600 | R* = 0.6667")) == "0.6667"
    assert bh.solver_risk_text(X, y, text("eps = 0.500 | R* = 0.5000")) is None  # 0.4995 vs 0.5005
    assert bh.solver_risk_text(X, y, text("eps = 0.58 | R* = 0.6667")) is None   # 1/sqrt(3) = 0.5774
    assert bh.solver_risk_text(X, y, text("eps = 0.5 | R* = 0.5000")) is None


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

"""The lecture app (notebooks/lecture.ipynb) served by Voila in a real Chromium.

Voila executes the notebook when the page is requested; the page must show
no error, and every explorer's slider must redraw its figure and update its
readout, as in JupyterLab.  ``browser_check.ipynb`` (written into the served
copy by the fixtures) is served too, and the R* its epsilon explorer prints
after a move must be the one ``optimal_adversarial_risk`` computes here.
"""
from __future__ import annotations

import pytest

import browser_helpers as bh

LECTURE = "lecture.ipynb"


@pytest.mark.browser
def test_lecture_runs_in_voila_and_sliders_update_figures(page, voila_server, served_notebooks):
    if not (served_notebooks / LECTURE).is_file():
        pytest.fail(f"{LECTURE} missing in {bh.notebooks_dir()}", pytrace=False)
    expected = bh.explorer_cells(served_notebooks / LECTURE)
    assert expected >= 1, f"{LECTURE} has no code cell calling an explorer"
    server = voila_server(LECTURE)
    seconds = bh.open_in_voila(page, server, n_explorers=expected)
    errors = bh.error_outputs(page)
    assert errors == [], f"{LECTURE} in Voila shows errors:\n" + "\n---\n".join(errors)
    print(f"{LECTURE}: Voila showed {expected} explorers after {seconds:.1f} s")

    explorers = bh.find_explorers(page)
    assert len(explorers) >= expected, f"{LECTURE}: only {len(explorers)} explorers shown"
    moves, problems = bh.check_explorers(page)
    for move in moves:
        print(f"{LECTURE}: {move.describe()}")
    assert problems == [], f"{LECTURE} in Voila:\n" + "\n".join(problems)
    assert bh.error_outputs(page) == [], f"{LECTURE}: errors after moving the sliders"


@pytest.mark.browser
def test_voila_epsilon_explorer_prints_the_solvers_risk(page, voila_server, served_notebooks):
    server = voila_server(bh.CHECK_NOTEBOOK)
    bh.open_in_voila(page, server)
    assert bh.error_outputs(page) == []
    X, y = bh.check_data()
    moves, checked, problems = bh.check_exact_risk(page, X, y)
    for move in moves:
        print(move.describe())
    print(f"checked against optimal_adversarial_risk: {checked}")
    assert problems == [], "\n".join(problems)
    assert bh.error_outputs(page) == []
